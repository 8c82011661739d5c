"""coursepkg.conv against numpy, scipy.signal and scipy.linalg; adjoints by the dot test; one bad-input table."""
import numpy as np
import pytest
import scipy.linalg
import scipy.signal
from hypothesis import given
from hypothesis import strategies as st

from coursepkg.conv import (MODES, ConvolutionOperator, convolve, convolve2d, correlate, correlate2d, dot_test,
                            laplacian_kernel)
from coursepkg.gradcheck import check_gradient

TOL = dict(rtol=1e-12, atol=1e-12)


def loop_convolve_full(f, g):
    """The definition (f * g)[n] = sum_m f[m] g[n - m], one term at a time."""
    M, N = len(f), len(g)
    out = np.zeros(M + N - 1, dtype=np.result_type(f, g))
    for n in range(M + N - 1):
        for m in range(M):
            if 0 <= n - m < N:
                out[n] += f[m] * g[n - m]
    return out


def loop_correlate_full(f, g):
    """The definition (f star g)[n] = sum_m f[m] g[n + m] for the lags n = -(M-1), ..., N-1."""
    M, N = len(f), len(g)
    out = np.zeros(M + N - 1, dtype=np.result_type(f, g))
    for idx, n in enumerate(range(-(M - 1), N)):
        for m in range(M):
            if 0 <= n + m < N:
                out[idx] += f[m] * g[n + m]
    return out


@st.composite
def kernel_and_signal(draw, max_len=12):
    M = draw(st.integers(1, 6))
    N = draw(st.integers(M, max_len))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return rng.standard_normal(M), rng.standard_normal(N)


@given(kernel_and_signal(), st.sampled_from(MODES))
def test_convolve_equals_numpy(fg, mode):
    f, g = fg
    np.testing.assert_allclose(convolve(f, g, mode), np.convolve(f, g, mode), **TOL)


@given(kernel_and_signal(), st.sampled_from(MODES))
def test_correlate_equals_numpy_with_swapped_arguments(fg, mode):
    f, g = fg
    np.testing.assert_allclose(correlate(f, g, mode), np.correlate(g, f, mode), **TOL)


@given(kernel_and_signal())
def test_full_results_equal_the_loop_definitions(fg):
    f, g = fg
    np.testing.assert_allclose(convolve(f, g), loop_convolve_full(f, g), **TOL)
    np.testing.assert_allclose(correlate(f, g), loop_correlate_full(f, g), **TOL)


@given(kernel_and_signal())
def test_convolution_commutes_and_correlation_is_reversed_convolution(fg):
    f, g = fg
    np.testing.assert_allclose(convolve(f, g), convolve(g, f), **TOL)
    np.testing.assert_allclose(correlate(f, g), convolve(f[::-1], g), **TOL)


def test_complex_input_is_kept_and_never_conjugated():
    rng = np.random.default_rng(0)
    f = rng.standard_normal(3) + 1j * rng.standard_normal(3)
    g = rng.standard_normal(7) + 1j * rng.standard_normal(7)
    np.testing.assert_allclose(convolve(f, g), np.convolve(f, g), **TOL)
    np.testing.assert_allclose(correlate(f, g), np.correlate(g, np.conj(f), "full"), **TOL)


@st.composite
def image_and_kernel(draw):
    H, W = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    kh, kw = draw(st.integers(1, H)), draw(st.integers(1, W))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return rng.standard_normal((H, W)), rng.standard_normal((kh, kw))


@given(image_and_kernel(), st.sampled_from(MODES))
def test_2d_functions_equal_scipy(xk, mode):
    x, k = xk
    np.testing.assert_allclose(convolve2d(x, k, mode), scipy.signal.convolve2d(x, k, mode), **TOL)
    np.testing.assert_allclose(correlate2d(x, k, mode), scipy.signal.correlate2d(x, k, mode), **TOL)


def test_2d_same_with_a_kernel_larger_than_the_image_follows_scipy():
    rng = np.random.default_rng(3)
    x, k = rng.standard_normal((3, 4)), rng.standard_normal((5, 6))
    for mode in ("same", "full"):
        np.testing.assert_allclose(convolve2d(x, k, mode), scipy.signal.convolve2d(x, k, mode), **TOL)
        np.testing.assert_allclose(correlate2d(x, k, mode), scipy.signal.correlate2d(x, k, mode), **TOL)


@given(kernel_and_signal(), st.sampled_from(MODES))
def test_operator_matrix_equals_scipy_convolution_matrix(fg, mode):
    f, g = fg
    op = ConvolutionOperator(f, g.size, mode)
    A = op.to_dense()
    np.testing.assert_array_equal(A, scipy.linalg.convolution_matrix(f, g.size, mode))
    assert A.shape == op.shape
    np.testing.assert_allclose(op.matvec(g), A @ g, **TOL)


@given(kernel_and_signal(), st.sampled_from(MODES), st.integers(0, 2**32 - 1))
def test_dot_test_holds_for_every_mode(fg, mode, seed):
    f, g = fg
    op = ConvolutionOperator(f, g.size, mode)
    assert dot_test(op, np.random.default_rng(seed)) < 1e-12
    y = np.random.default_rng(seed).standard_normal(op.shape[0])
    np.testing.assert_allclose(op.rmatvec(y), op.to_dense().T @ y, **TOL)


@given(kernel_and_signal(), st.integers(0, 2**32 - 1))
def test_adjoint_pairs_full_convolution_with_valid_correlation(fg, seed):
    f, g = fg
    y = np.random.default_rng(seed).standard_normal(f.size + g.size - 1)
    np.testing.assert_allclose(ConvolutionOperator(f, g.size, "full").rmatvec(y), correlate(f, y, "valid"), **TOL)
    y = y[: g.size - f.size + 1]
    np.testing.assert_allclose(ConvolutionOperator(f, g.size, "valid").rmatvec(y), correlate(f, y, "full"), **TOL)


def test_dot_test_catches_a_wrong_adjoint():
    class Wrong(ConvolutionOperator):
        def rmatvec(self, y):  # convolution instead of correlation: not the adjoint
            return convolve(self.kernel, y, "valid")

    op = Wrong([1.0, 2.0, 5.0], 15, "full")
    assert dot_test(op, np.random.default_rng(0)) > 1e-3


@pytest.mark.parametrize("mode", MODES)
def test_rmatvec_is_the_gradient_of_the_inner_product(mode):
    rng = np.random.default_rng(4)
    op = ConvolutionOperator(rng.standard_normal(4), 10, mode)
    y = rng.standard_normal(op.shape[0])
    x = rng.standard_normal(10)
    res = check_gradient(lambda v: y @ op.matvec(v), op.rmatvec(y), x, method="complex")
    assert res.max_rel_error < 1e-13, str(res)


@pytest.mark.parametrize("h", [1.0, 0.1, 0.01])
def test_laplacian_is_exact_on_cubics(h):
    t = h * np.arange(-5, 6)
    u = 2.0 - t + 3.0 * t**2 - 0.5 * t**3
    d2 = convolve(laplacian_kernel(h), u, "valid")
    # the error is pure round-off: about 4 eps max|u| / h^2 (three terms, each rounded)
    np.testing.assert_allclose(d2, 6.0 - 3.0 * t[1:-1], rtol=0, atol=16 * np.finfo(float).eps * np.abs(u).max() / h**2)


def test_extreme_values_stay_finite_and_exact():
    big = np.full(7, 1e4)
    np.testing.assert_array_equal(convolve(laplacian_kernel(), big, "valid"), 0.0)
    np.testing.assert_array_equal(correlate2d(np.full((5, 5), -1e4), np.ones((2, 2))), -4e4)
    op = ConvolutionOperator(np.array([1e4, -1e4]), 6, "same")
    assert dot_test(op, np.random.default_rng(0)) < 1e-12


class MatrixOp:
    """A matrix-free operator made of two matrices: matvec by A, rmatvec by B (the adjoint when B = A.T)."""

    def __init__(self, A, B=None, shape=None):
        self.A = np.asarray(A, dtype=float)
        self.B = self.A.T if B is None else np.asarray(B, dtype=float)
        self.shape = self.A.shape if shape is None else shape

    def matvec(self, x):
        return self.A @ x

    def rmatvec(self, y):
        return self.B @ y


@pytest.mark.parametrize("scale", [1e-300, 1e-170, 1.0, 1e170, 1e300])
def test_dot_test_is_scale_invariant(scale):
    # the norms of A x for entries of 1e-170 underflow when squared; the test must still see a wrong adjoint
    A = np.random.default_rng(1).standard_normal((4, 3))
    right = dot_test(MatrixOp(scale * A), np.random.default_rng(0))
    wrong = dot_test(MatrixOp(scale * A, scale * A.T[::-1]), np.random.default_rng(0))
    assert right < 4 * np.finfo(float).eps
    # at scale 1 the same wrong adjoint gives the same discrepancy: the scale changes nothing
    reference = dot_test(MatrixOp(A, A.T[::-1]), np.random.default_rng(0))
    assert reference > 0.05
    np.testing.assert_allclose(wrong, reference, rtol=1e-12, atol=0)


def test_dot_test_on_an_operator_and_adjoint_of_very_different_sizes():
    A = np.random.default_rng(2).standard_normal((3, 3))
    # B = 1e-300 A^T is not the adjoint of A: the small side must not vanish from the comparison
    assert dot_test(MatrixOp(A, 1e-300 * A.T), np.random.default_rng(0)) > 0.05
    assert dot_test(MatrixOp(1e-300 * A, A.T), np.random.default_rng(0)) > 0.05


def test_dot_test_zero_branches():
    rng = np.random.default_rng(0)
    assert dot_test(MatrixOp(np.zeros((3, 2))), rng) == 0.0        # the zero map is its own adjoint
    # only one side zero: |<x, B y>| / (|x| |B y|), the cosine of an angle between random vectors
    x_rng, B = np.random.default_rng(5), np.ones((2, 3))
    x, y = x_rng.standard_normal(2), x_rng.standard_normal(3)
    expected = abs(x @ (B @ y)) / (np.linalg.norm(x) * np.linalg.norm(B @ y))
    np.testing.assert_allclose(dot_test(MatrixOp(np.zeros((3, 2)), B), np.random.default_rng(5)), expected,
                               rtol=1e-14, atol=0)
    assert expected > 0.1


def test_dot_test_accepts_a_list_shape():
    assert dot_test(MatrixOp(np.eye(3), shape=[3, 3]), np.random.default_rng(0)) < 1e-15


def test_laplacian_kernel_over_its_whole_range():
    # h**2 neither overflows (h = 1e200 used to raise OverflowError) nor gives subnormals
    np.testing.assert_array_equal(laplacian_kernel(2.0 ** -511), [2.0 ** 1022, -(2.0 ** 1023), 2.0 ** 1022])
    np.testing.assert_array_equal(laplacian_kernel(2.0 ** 511), [2.0 ** -1022, -(2.0 ** -1021), 2.0 ** -1022])
    np.testing.assert_allclose(laplacian_kernel(3.0), np.array([1.0, -2.0, 1.0]) / 9.0, rtol=1e-15, atol=0)


_rng = np.random.default_rng(0)
_op = ConvolutionOperator([1.0, 2.0], 4, "full")


class _NoAdjoint:
    shape = (3, 3)

    def matvec(self, x):
        return x


BAD_INPUT = [
    # (call, exception, regex naming the argument)
    (lambda: convolve(np.ones(4), np.ones(3), "valid"), ValueError, r"kernel f .*len\(f\) = 4 > len\(g\) = 3"),
    (lambda: correlate(np.ones(4), np.ones(3), "same"), ValueError, r"kernel f must not be longer"),
    (lambda: convolve(np.ones((2, 2)), np.ones(3)), ValueError, r"\bf must be 1-D.*\(2, 2\)"),
    (lambda: correlate(np.ones(2), 3.0), ValueError, r"\bg must be 1-D"),
    (lambda: convolve(np.ones(2), np.ones(3), "circular"), ValueError, r"mode must be one of.*'circular'"),
    (lambda: convolve(np.ones(2), "abc"), TypeError, r"\bg must be an array of numbers"),
    (lambda: correlate(np.ones(2), [1.0, np.nan]), ValueError, r"\bg must be finite"),
    (lambda: convolve2d(np.ones((3, 3)), np.ones((4, 2)), "valid"), ValueError, r"kernel k must fit.*\(4, 2\)"),
    (lambda: correlate2d(np.ones((1, 3, 3)), np.ones((2, 2))), ValueError, r"\bx must be 2-D.*\(1, 3, 3\)"),
    (lambda: convolve2d(np.ones((3, 3)), np.ones(2)), ValueError, r"\bk must be 2-D"),
    (lambda: ConvolutionOperator([1.0, 2.0, 3.0], 2, "valid"), ValueError, r"\bn must be an integer >= 3, got 2"),
    (lambda: ConvolutionOperator([1j, 2.0], 4), TypeError, r"kernel must be real"),
    (lambda: ConvolutionOperator([1.0, 2.0], 4.0), TypeError, r"\bn must be an integer"),
    (lambda: ConvolutionOperator([1.0, 2.0], 10**400), ValueError, r"\bn must be an integer <="),
    (lambda: _op.matvec(np.ones(5)), ValueError, r"\bx must have length 4 .*\(5, 4\), got 5"),
    (lambda: _op.rmatvec(np.ones(4)), ValueError, r"\by must have length 5"),
    (lambda: dot_test(np.eye(3), _rng), TypeError, r"op must have shape, matvec and rmatvec"),
    (lambda: dot_test(_NoAdjoint(), _rng), TypeError, r"op must have .* without 'rmatvec'"),
    (lambda: dot_test(_op, 0), TypeError, r"rng must be a numpy.random.Generator"),
    (lambda: dot_test(MatrixOp(np.eye(3), shape=(3,)), _rng), ValueError, r"op.shape must be a tuple \(m, n\)"),
    (lambda: dot_test(MatrixOp(np.eye(3), shape=(3.0, 3)), _rng), TypeError, r"op.shape\[0\] must be an integer"),
    (lambda: dot_test(MatrixOp(np.eye(3), shape=(3, 0)), _rng), ValueError, r"op.shape\[1\] must be an integer >= 1"),
    (lambda: dot_test(MatrixOp(np.eye(3), shape=(3, 10**400)), _rng), ValueError, r"op.shape\[1\] must be an integer <="),
    (lambda: dot_test(MatrixOp(np.ones((4, 3)), np.ones((3, 3)), shape=(3, 3)), _rng), ValueError,
     r"op.matvec must return 3 .* got 4"),
    (lambda: dot_test(ComplexOp(), _rng), TypeError, r"op.matvec\(x\) must be real"),
    (lambda: dot_test(MatrixOp(np.full((3, 3), np.inf)), _rng), ValueError, r"op.matvec\(x\) must be finite"),
    (lambda: laplacian_kernel(0.0), ValueError, r"\bh must be > 0"),
    (lambda: laplacian_kernel(1e-200), ValueError, r"\bh must be between .*got 1e-200"),
    (lambda: laplacian_kernel(1e200), ValueError, r"\bh must be between .*got 1e\+200"),
    (lambda: laplacian_kernel(2.0 ** -512), ValueError, r"\bh must be between"),
    (lambda: laplacian_kernel(10**400), ValueError, r"\bh must be finite"),
    (lambda: laplacian_kernel("0.1"), TypeError, r"\bh must be a real number"),
]


class ComplexOp(MatrixOp):
    def __init__(self):
        super().__init__(np.eye(3))

    def matvec(self, x):
        return 1j * x


@pytest.mark.parametrize("call, exc, pattern", BAD_INPUT)
def test_bad_input(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def test_full_mode_accepts_a_kernel_longer_than_the_signal_and_repr_names_the_mode():
    assert convolve(np.ones(4), np.ones(3), "full").shape == (6,)
    assert correlate(np.ones(4), np.ones(3), "full").shape == (6,)
    assert "mode='full'" in repr(_op)


def test_operator_keeps_its_own_copy_of_the_kernel():
    kernel = np.array([1.0, 2.0])
    op = ConvolutionOperator(kernel, 3)
    kernel[0] = 100.0  # the caller reuses its array
    np.testing.assert_array_equal(op.matvec([1.0, 0.0, 0.0]), [1.0, 2.0, 0.0, 0.0])
