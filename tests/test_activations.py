"""Activations: values against scipy/numpy/mpmath, derivatives through the gradient checker,
identities as property tests, extreme inputs, bad input."""
import warnings

import mpmath
import numpy as np
import pytest
import scipy.special as sps
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coursepkg import activations as A
from coursepkg.gradcheck import check_gradient, numerical_jacobian

Z = np.array([-30.0, -5.0, -1.0, -1e-3, 0.0, 1e-3, 0.5, 2.0, 7.0, 30.0])
EXTREME = np.array([-1e4, -1e3, -745.0, -50.0, 0.0, 50.0, 709.0, 1e3, 1e4])
SMOOTH = ["sigmoid", "tanh", "softplus", "identity"]
ELEMENTWISE = SMOOTH + ["relu", "leaky_relu", "absolute", "smooth_relu"]
ALPHAS = [0.5, 1.0, 2.0, 4.0, 8.0]

# Tolerances of the derivative checks (relative error as defined by check_gradient).
TOL_COMPLEX = 1e-13   # complex step: exact up to round-off
TOL_CENTRAL = 1e-8    # central differences, h ~ 6e-6: truncation ~ h^2 plus round-off ~ eps/h
# Piecewise-linear functions: central differences have no truncation error, only round-off
# eps |sum f| / h ~ 1e-10, which relative to the smallest slope (0.01) is ~ 1e-8 .. 1e-7.
TOL_PIECEWISE = 1e-6


# ---------------------------------------------------------------- values

def test_values_against_references():
    np.testing.assert_allclose(A.sigmoid(Z), sps.expit(Z), rtol=1e-15)
    np.testing.assert_allclose(A.tanh(Z), np.tanh(Z), rtol=1e-15, atol=1e-16)
    np.testing.assert_allclose(A.softplus(Z), np.logaddexp(0.0, Z), rtol=1e-15)
    np.testing.assert_allclose(A.relu(Z), np.maximum(Z, 0.0))
    np.testing.assert_allclose(A.leaky_relu(Z, 0.1), np.where(Z > 0, Z, 0.1 * Z))
    np.testing.assert_allclose(A.absolute(Z), np.abs(Z))
    np.testing.assert_allclose(A.identity(Z), Z)
    np.testing.assert_allclose(A.smooth_relu(Z, 4.0), np.logaddexp(0.0, 4.0 * Z) / 4.0, rtol=1e-15)
    M = np.stack([Z, Z[::-1] * 0.3])
    np.testing.assert_allclose(A.softmax(M), sps.softmax(M, axis=-1), rtol=1e-14)
    np.testing.assert_allclose(A.softmax(M, axis=0), sps.softmax(M, axis=0), rtol=1e-14)
    np.testing.assert_allclose(A.logsumexp(M), sps.logsumexp(M, axis=-1), rtol=1e-15)
    np.testing.assert_allclose(A.logsumexp(M, axis=0), sps.logsumexp(M, axis=0), rtol=1e-15)
    # scipy's log_softmax loses digits near zero (30 ulps at -8.2e-4, 0.0 for -1.15e-17);
    # the ulp-level comparison is against mpmath in test_accuracy.py
    np.testing.assert_allclose(A.log_softmax(M, axis=0), sps.log_softmax(M, axis=0), rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(A.log_softmax(M), sps.log_softmax(M, axis=-1), rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(A.maxout(np.arange(6.0)[None], 3), [[2.0, 5.0]])


def test_derivative_values_against_references():
    s = sps.expit(Z)
    # sigma(z) sigma(-z), not sigma(1 - sigma): the latter loses relative accuracy for large z
    np.testing.assert_allclose(A.sigmoid_prime(Z), s * sps.expit(-Z), rtol=1e-14)
    np.testing.assert_allclose(A.tanh_prime(Z), 1 - np.tanh(Z) ** 2, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(A.softplus_prime(Z), s, rtol=1e-15)
    np.testing.assert_allclose(A.smooth_relu_prime(Z, 4.0), sps.expit(4.0 * Z), rtol=1e-15)
    np.testing.assert_allclose(A.relu_prime(Z), (Z > 0).astype(float))
    np.testing.assert_allclose(A.leaky_relu_prime(Z, 0.2), np.where(Z > 0, 1.0, 0.2))
    np.testing.assert_allclose(A.absolute_prime(Z), np.sign(Z))
    np.testing.assert_allclose(A.identity_prime(Z), np.ones_like(Z))


@pytest.mark.parametrize("z", [-700.0, -100.0, -40.0, -1.0, 0.3, 40.0, 100.0, 700.0])
def test_tails_to_full_relative_accuracy(z):
    """Against 50-digit mpmath: the branch-wise formulas keep full relative accuracy in the tails,
    where the naive sigma(1 - sigma) or log(1 + exp(z)) lose it."""
    mpmath.mp.dps = 50
    x = mpmath.mpf(z)
    # formulas that are exact in mpmath at any z (no 1 - (something close to 1))
    ref = {"sigmoid": 1 / (1 + mpmath.exp(-x)),
           "sigmoid_prime": mpmath.exp(-x) / (1 + mpmath.exp(-x)) ** 2,
           "softplus": mpmath.log1p(mpmath.exp(x)),
           "tanh": mpmath.tanh(x),
           "tanh_prime": 1 / mpmath.cosh(x) ** 2}
    for name, value in ref.items():
        got = float(getattr(A, name)(z))
        want = float(value)
        if want == 0.0:  # below the float64 range
            assert got == 0.0
        else:
            assert abs(got - want) <= 1e-14 * abs(want), (name, got, want)


def test_relu_prime_at_zero_is_zero():
    assert A.relu_prime(0.0) == 0.0
    assert A.leaky_relu_prime(0.0, 0.3) == 0.3
    assert A.absolute_prime(0.0) == 0.0


def test_shapes_and_dtypes_are_kept():
    z = np.arange(24, dtype=np.int32).reshape(2, 3, 4) - 12
    for name in ELEMENTWISE:
        f, fp = A.HIDDEN[name]
        for out in (f(z), fp(z)):
            assert out.shape == z.shape and out.dtype == np.float64
        assert f(z + 0j).dtype == np.complex128
    assert A.sigmoid(3).shape == ()
    assert A.softmax(z).shape == z.shape and A.logsumexp(z, axis=1).shape == (2, 4)
    assert A.maxout(z, 2).shape == (2, 3, 2)


# ---------------------------------------------------------------- derivatives via check_gradient

def _elementwise_check(f, fp, z, method):
    """Check fp against the derivative of sum(f(z)) (which equals fp elementwise)."""
    return check_gradient(lambda v: np.sum(f(v)), fp, z, method=method)


@pytest.mark.parametrize("name", SMOOTH)
def test_smooth_prime_complex_step(name):
    f, fp = A.HIDDEN[name]
    res = _elementwise_check(f, fp, Z, "complex")
    assert res.max_rel_error < TOL_COMPLEX, str(res)


@pytest.mark.parametrize("alpha", ALPHAS)
def test_smooth_relu_prime_complex_step(alpha):
    res = _elementwise_check(lambda v: A.smooth_relu(v, alpha), lambda v: A.smooth_relu_prime(v, alpha),
                             Z, "complex")
    assert res.max_rel_error < TOL_COMPLEX, str(res)


@pytest.mark.parametrize("name, kwargs", [("relu", {}), ("leaky_relu", {"alpha": 0.1}),
                                          ("leaky_relu", {}), ("absolute", {})])
def test_piecewise_prime_central_differences(name, kwargs):
    f, fp = getattr(A, name), getattr(A, name + "_prime")
    z = Z[np.abs(Z) > 1e-2]  # the steps (~6e-6 |z|) never cross the kink at 0
    res = _elementwise_check(lambda v: f(v, **kwargs), lambda v: fp(v, **kwargs), z, "central")
    assert res.max_rel_error < TOL_PIECEWISE, str(res)


def test_complex_step_passes_through_piecewise_functions():
    """Away from the kinks the complex step also differentiates relu/leaky/abs exactly."""
    z = Z[Z != 0]
    for name in ["relu", "leaky_relu", "absolute"]:
        f, fp = A.HIDDEN[name]
        num = np.diag(numerical_jacobian(f, z, method="complex"))
        np.testing.assert_allclose(fp(z), num, rtol=0, atol=1e-15)


def test_prelu_alpha_derivative_is_min_zero_z():
    """A PReLU learns alpha: d leaky_relu / d alpha = min(0, z)."""
    z = Z
    for alpha in [0.05, 0.25]:
        res = check_gradient(lambda a: np.sum(A.leaky_relu(z, float(a[0]))), np.array([np.minimum(z, 0).sum()]),
                             np.array([alpha]), method="central")
        assert res.max_rel_error < TOL_PIECEWISE, str(res)


def test_logsumexp_gradient_is_softmax():
    z = np.array([0.2, -1.0, 3.0, 0.5, 30.0])
    res = check_gradient(A.logsumexp, A.softmax, z, method="complex")
    assert res.max_rel_error < TOL_COMPLEX, str(res)


@pytest.mark.parametrize("n", [2, 3, 7])
def test_softmax_jacobian_matches_complex_step(n):
    z = np.linspace(-2.0, 3.0, n) ** 2 - 1.0
    np.testing.assert_allclose(A.softmax_jacobian(z), numerical_jacobian(A.softmax, z, method="complex"),
                               atol=1e-15)
    J = A.softmax_jacobian(z)
    np.testing.assert_allclose(J, J.T, atol=0)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-15)
    assert np.linalg.eigvalsh(J).min() > -1e-15


def test_softmax_vjp_and_log_softmax_jacobian():
    rng = np.random.default_rng(3)
    z, w = rng.normal(size=5), rng.normal(size=5)
    res = check_gradient(lambda v: w @ A.softmax(v), A.softmax_jacobian(z).T @ w, z, method="complex")
    assert res.max_rel_error < TOL_COMPLEX, str(res)
    # d log softmax_j / d z_k = delta_jk - a_k
    J = numerical_jacobian(A.log_softmax, z, method="complex")
    np.testing.assert_allclose(J, np.eye(5) - A.softmax(z)[None, :], atol=1e-15)


def test_maxout_against_reference_and_backward():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(3, 12))
    for k in [1, 2, 3, 4, 6, 12]:
        ref = np.array([[row[i:i + k].max() for i in range(0, 12, k)] for row in z])
        np.testing.assert_array_equal(A.maxout(z, k), ref)
        w = rng.normal(size=ref.shape)
        res = check_gradient(lambda v: np.sum(w * A.maxout(v, k)), A.maxout_backward(w, z, k), z,
                             method="central")
        assert res.max_rel_error < TOL_PIECEWISE, str(res)
    np.testing.assert_array_equal(A.maxout(z, 1), z)
    # ties: the first maximizer gets the gradient
    np.testing.assert_array_equal(A.maxout_backward(np.array([1.0]), np.array([2.0, 2.0]), 2), [1.0, 0.0])


# ---------------------------------------------------------------- property tests

finite = st.floats(-1e4, 1e4, allow_nan=False)
moderate = st.floats(-30.0, 30.0, allow_nan=False)
vectors = arrays(np.float64, st.integers(1, 8), elements=finite)


@given(vectors)
def test_property_sigmoid_symmetry(z):
    np.testing.assert_allclose(A.sigmoid(-z), 1.0 - A.sigmoid(z), rtol=0, atol=1.2e-16)


@given(vectors)
def test_property_softplus_difference_is_identity(z):
    assert np.all(np.abs(A.softplus(z) - A.softplus(-z) - z) <= 4e-16 * (1 + np.abs(z)))


@given(vectors)
def test_property_tanh_from_sigmoid(z):
    np.testing.assert_allclose(A.tanh(z), 2 * A.sigmoid(2 * z) - 1, rtol=0, atol=4.5e-16)
    np.testing.assert_allclose(A.sigmoid(z), (1 + A.tanh(z / 2)) / 2, rtol=0, atol=2.3e-16)


@given(arrays(np.float64, st.integers(1, 8), elements=moderate))
def test_property_derivative_identities(z):
    s, t = A.sigmoid(z), A.tanh(z)
    np.testing.assert_allclose(A.sigmoid_prime(z), s * A.sigmoid(-z), rtol=1e-14, atol=0)
    # the textbook form s (1 - s) agrees up to the cancellation in 1 - s (absolute error ~ eps)
    np.testing.assert_allclose(A.sigmoid_prime(z), s * (1 - s), rtol=0, atol=2.3e-16)
    # 1 - t^2 with t within 2 ulps (1.1e-16 each below 1): absolute error <= 2 * 2.2e-16 + 1.1e-16
    np.testing.assert_allclose(A.tanh_prime(z), 1 - t * t, rtol=0, atol=5.6e-16)


@given(arrays(np.float64, st.integers(1, 6), elements=finite))
def test_property_softplus_prime_is_sigmoid(z):
    """The complex-step derivative of softplus equals sigma at every point, tails included."""
    num = np.diag(numerical_jacobian(A.softplus, z, method="complex"))
    np.testing.assert_allclose(num, A.sigmoid(z), rtol=1e-14, atol=0)
    np.testing.assert_array_equal(A.softplus_prime(z), A.sigmoid(z))


@given(vectors, st.sampled_from(ALPHAS + [0.1, 3.0, 100.0]))
def test_property_smooth_relu_gap(z, alpha):
    """0 <= f_alpha(z) - relu(z) <= log(2)/alpha, with equality at z = 0."""
    gap = A.smooth_relu(z, alpha) - A.relu(z)
    slack = 4e-16 * (1 + np.abs(z))
    assert np.all(gap >= -slack)
    assert np.all(gap <= np.log(2.0) / alpha * (1 + 1e-15) + slack)
    assert abs(A.smooth_relu(0.0, alpha) - np.log(2.0) / alpha) <= 1e-15 / alpha


@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 6)), elements=finite),
       st.floats(-1e3, 1e3))
def test_property_softmax_rows_sum_to_one_and_shift(z, c):
    a = A.softmax(z)
    assert np.all(a >= 0) and np.all(a <= 1)
    np.testing.assert_allclose(a.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(A.softmax(z + c), a, atol=1e-12)
    np.testing.assert_allclose(A.logsumexp(z + c), A.logsumexp(z) + c, rtol=1e-14, atol=1e-12)
    np.testing.assert_allclose(A.log_softmax(z), z - A.logsumexp(z)[:, None], rtol=1e-12, atol=1e-9)


@given(arrays(np.float64, st.integers(2, 6), elements=moderate, unique=True))
def test_property_softmax_is_monotone(z):
    """d a_j / d z_j > 0 and d a_j / d z_k < 0 (k != j), and the order of the entries is kept."""
    J = A.softmax_jacobian(z)
    assert np.all(np.diag(J) > 0) and np.all(J[~np.eye(z.size, dtype=bool)] < 0)
    a = A.softmax(z)
    order = np.argsort(z)
    assert np.all(np.diff(a[order]) >= 0)


# ---------------------------------------------------------------- extreme inputs

@pytest.mark.parametrize("name", ELEMENTWISE)
def test_extreme_inputs_are_finite_and_silent(name):
    f, fp = A.HIDDEN[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for z in (EXTREME, EXTREME + 1e-20j):
            assert np.all(np.isfinite(f(z))) and np.all(np.isfinite(fp(z)))
        for alpha in ALPHAS:
            assert np.all(np.isfinite(A.smooth_relu(EXTREME, alpha)))
            assert np.all(np.isfinite(A.smooth_relu_prime(EXTREME, alpha)))


def test_extreme_values_are_right():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(A.sigmoid([-1e4, 1e4]), [0.0, 1.0])
        np.testing.assert_array_equal(A.tanh([-1e4, 1e4]), [-1.0, 1.0])
        np.testing.assert_array_equal(A.softplus([-1e4, 1e4]), [0.0, 1e4])
        np.testing.assert_array_equal(A.smooth_relu([-1e4, 1e4], 8.0), [0.0, 1e4])
        np.testing.assert_array_equal(A.softmax([1e4, -1e4, 1e4]), [0.5, 0.0, 0.5])
        assert A.logsumexp([1e4, -1e4]) == 1e4
        np.testing.assert_array_equal(A.log_softmax([1e4, -1e4]), [0.0, -2e4])
        assert np.all(np.isfinite(A.softmax_jacobian(EXTREME)))
        # complex step at the extremes: derivative information survives
        d = np.imag(A.sigmoid(np.array([-50.0, 50.0]) + 1e-20j)) / 1e-20
        np.testing.assert_allclose(d, sps.expit(50.0) * sps.expit(-50.0), rtol=1e-14)
        d = np.imag(A.logsumexp(EXTREME + 1e-20j * (np.arange(EXTREME.size) == 8))) / 1e-20
        assert d == pytest.approx(1.0)


def test_naive_formulas_do_fail_at_1000():
    """What the stable versions avoid: the naive formulas warn (and go wrong) at |z| = 1000."""
    with pytest.warns(RuntimeWarning):
        naive = 1.0 / (1.0 + np.exp(-np.array([-1000.0])))
    assert naive[0] == 0.0  # right by luck, but with an overflow on the way
    with pytest.warns(RuntimeWarning):
        e = np.exp(np.array([1000.0, 999.0]))
        _ = e / e.sum()


# ---------------------------------------------------------------- bad input

# One table of bad input: (exception, message from its start, call).
BAD_INPUT = [
    (TypeError, r"z must be an array of numbers, got str 'x'", lambda: A.sigmoid("x")),
    (TypeError, r"z must be an array of numbers, got NoneType None", lambda: A.tanh(None)),
    (TypeError, r"z must be an array of numbers, got list of length 2", lambda: A.softplus([[1.0], [1.0, 2.0]])),
    (ValueError, r"z must be finite, got 1 NaN or infinite entry", lambda: A.softmax([1.0, np.nan])),
    (ValueError, r"z must be finite, got 1 NaN or infinite entry", lambda: A.relu([np.inf])),
    (ValueError, r"alpha must be > 0.0, got 0.0", lambda: A.smooth_relu([1.0], alpha=0.0)),
    (ValueError, r"alpha must be > 0.0, got -1.0", lambda: A.smooth_relu_prime([1.0], alpha=-1.0)),
    (TypeError, r"alpha must be a real number, got str '2'", lambda: A.smooth_relu([1.0], alpha="2")),
    (ValueError, r"alpha \* z must be finite, got alpha=1e\+306", lambda: A.smooth_relu([1e4], alpha=1e306)),
    (ValueError, r"alpha must be >= 0.0, got -0.1", lambda: A.leaky_relu([1.0], alpha=-0.1)),
    (ValueError, r"alpha must be >= 0.0, got -0.1", lambda: A.leaky_relu_prime([1.0], alpha=-0.1)),
    (ValueError, r"the last axis of z \(6\) must be a multiple of pieces \(4\)", lambda: A.maxout(np.zeros((2, 6)), 4)),
    (ValueError, r"pieces must be an integer >= 1, got 0", lambda: A.maxout(np.zeros((2, 6)), 0)),
    (TypeError, r"pieces must be an integer, got float 2.0", lambda: A.maxout(np.zeros((2, 6)), 2.0)),
    (TypeError, r"z must be real, got complex", lambda: A.maxout(np.zeros(4) + 1j, 2)),
    (ValueError, r"z must have at least one axis, got a scalar", lambda: A.maxout(1.0, 1)),
    (ValueError, r"dout must have the shape of maxout\(z, pieces\), \(2, 3\), got \(2, 2\)",
     lambda: A.maxout_backward(np.zeros((2, 2)), np.zeros((2, 6)), 2)),
    (ValueError, r"axis must be in \[-2, 2\) for z of shape \(2, 3\), got 2", lambda: A.softmax(np.zeros((2, 3)), axis=2)),
    (TypeError, r"axis must be an integer, got float 0.5", lambda: A.logsumexp(np.zeros(3), axis=0.5)),
    (ValueError, r"z must have at least one axis, got a scalar", lambda: A.log_softmax(3.0)),
    (ValueError, r"z must not be empty, got an array of shape \(2, 0\)", lambda: A.softmax(np.zeros((2, 0)))),
    (ValueError, r"z must be 1-D, got an array of shape \(2, 2\)", lambda: A.softmax_jacobian(np.zeros((2, 2)))),
]


@pytest.mark.parametrize("exc, message, call", BAD_INPUT)
def test_bad_input(exc, message, call):
    with pytest.raises(exc, match="^" + message):
        call()


# ---------------------------------------------------------------- review fixes
@pytest.mark.parametrize("alpha", [1.0, 4.0])
def test_complex_softplus_keeps_the_real_part_in_the_tail(alpha):
    # numpy's complex log1p rounds log(1 + w) for tiny w (real part 0 at z = -40); the real part
    # of a complex-step evaluation must still be the real function value to full accuracy.
    z = np.array([-700.0, -40.0, -30.0, -20.0, -5.0, 0.0, 3.0, 50.0])
    complex_value = A.smooth_relu(z + 1e-20j, alpha)
    real_value = A.smooth_relu(z, alpha)
    np.testing.assert_allclose(complex_value.real, real_value, rtol=1e-14, atol=0)
    np.testing.assert_allclose(complex_value.imag / 1e-20, A.sigmoid(alpha * z), rtol=1e-14, atol=1e-300)
    # a genuinely complex argument: log(1 + e^z) as written
    w = np.array([2.0 + 3.0j, -1.0 - 2.0j, -30.0 + 0.5j])
    with mpmath.workdps(50):
        reference = np.array([complex(mpmath.log(1 + mpmath.exp(mpmath.mpc(x.real, x.imag)))) for x in w])
    np.testing.assert_allclose(A.softplus(w), reference, rtol=1e-14)
