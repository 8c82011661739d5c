"""coursepkg.conv against numpy, scipy.signal and scipy.linalg; adjoints by the dot test."""
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


@pytest.mark.parametrize("func", [convolve, correlate])
def test_bad_input_1d(func):
    with pytest.raises(ValueError, match=r"kernel f must not be longer than the signal g.*len\(f\) = 4 > len\(g\) = 3"):
        func(np.ones(4), np.ones(3), "valid")
    with pytest.raises(ValueError, match="kernel f must not be longer"):
        func(np.ones(4), np.ones(3), "same")
    assert func(np.ones(4), np.ones(3), "full").shape == (6,)
    with pytest.raises(ValueError, match=r"f must be 1-D, got an array of shape \(2, 2\)"):
        func(np.ones((2, 2)), np.ones(3))
    with pytest.raises(ValueError, match="g must be 1-D"):
        func(np.ones(2), 3.0)
    with pytest.raises(ValueError, match=r"mode must be one of \['full', 'same', 'valid'\], got 'circular'"):
        func(np.ones(2), np.ones(3), "circular")
    with pytest.raises(TypeError, match="g must be an array of numbers"):
        func(np.ones(2), "abc")
    with pytest.raises(ValueError, match="g must be finite"):
        func(np.ones(2), [1.0, np.nan])


@pytest.mark.parametrize("func", [convolve2d, correlate2d])
def test_bad_input_2d(func):
    with pytest.raises(ValueError, match=r"kernel k must fit inside the image x, got k of shape \(4, 2\)"):
        func(np.ones((3, 3)), np.ones((4, 2)), "valid")
    with pytest.raises(ValueError, match=r"x must be 2-D, got an array of shape \(1, 3, 3\)"):
        func(np.ones((1, 3, 3)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="k must be 2-D"):
        func(np.ones((3, 3)), np.ones(2))


def test_bad_input_operator():
    with pytest.raises(ValueError, match=r"input length n must be at least the kernel length 3, got n = 2"):
        ConvolutionOperator([1.0, 2.0, 3.0], 2, "valid")
    with pytest.raises(TypeError, match="kernel must be real"):
        ConvolutionOperator([1j, 2.0], 4)
    with pytest.raises(TypeError, match="n must be an integer"):
        ConvolutionOperator([1.0, 2.0], 4.0)
    op = ConvolutionOperator([1.0, 2.0], 4, "full")
    with pytest.raises(ValueError, match=r"x must have length 4 for an operator of shape \(5, 4\), got 5"):
        op.matvec(np.ones(5))
    with pytest.raises(ValueError, match="y must have length 5"):
        op.rmatvec(np.ones(4))
    with pytest.raises(TypeError, match="op must have shape, matvec and rmatvec"):
        dot_test(np.eye(3), np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        dot_test(op, 0)
    with pytest.raises(ValueError, match="h must be > 0.0, got 0.0"):
        laplacian_kernel(0.0)
    assert "mode='full'" in repr(op)


def test_laplacian_kernel_with_a_tiny_spacing_raises_instead_of_overflowing():
    # 1/h**2 overflows float64 below h ~ 1.5e-154: an error, not inf and a RuntimeWarning
    with pytest.raises(ValueError, match=r"h must be at least about 1.5e-154.*got 1e-200"):
        laplacian_kernel(1e-200)
    with pytest.raises(ValueError, match="h must be at least"):
        laplacian_kernel(1e-160)
    assert np.all(np.isfinite(laplacian_kernel(1e-150)))
    with pytest.raises(TypeError, match="h must be a real number"):
        laplacian_kernel("0.1")


def test_dot_test_rejects_a_malformed_operator():
    class Op:
        def __init__(self, shape, factor=1.0):
            self.shape, self.factor = shape, factor

        def matvec(self, x):
            return self.factor * x

        def rmatvec(self, y):
            return self.factor * y

    rng = np.random.default_rng(0)
    assert dot_test(Op((3, 3)), rng) < 1e-15
    assert dot_test(Op([3, 3]), rng) < 1e-15
    with pytest.raises(ValueError, match=r"op.shape must be a tuple \(m, n\) of two integers, got \(3,\)"):
        dot_test(Op((3,)), rng)
    with pytest.raises(TypeError, match="op.shape\\[0\\] must be an integer, got float 3.0"):
        dot_test(Op((3.0, 3)), rng)
    with pytest.raises(ValueError, match=r"op.shape\[1\] must be an integer >= 1, got 0"):
        dot_test(Op((3, 0)), rng)
    # a complex operator used to be cast to real with a ComplexWarning (a wrong answer)
    with pytest.raises(TypeError, match=r"op.matvec\(x\) must be real"):
        dot_test(Op((3, 3), factor=1j), rng)
    with pytest.raises(ValueError, match=r"op.matvec\(x\) must be finite"):
        dot_test(Op((3, 3), factor=np.inf), rng)


def test_operator_keeps_its_own_copy_of_the_kernel():
    kernel = np.array([1.0, 2.0])
    op = ConvolutionOperator(kernel, 3)
    kernel[0] = 100.0  # the caller reuses its array
    np.testing.assert_array_equal(op.matvec([1.0, 0.0, 0.0]), [1.0, 2.0, 0.0, 0.0])
