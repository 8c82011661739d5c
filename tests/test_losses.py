"""Losses: values against scipy/numpy/SymPy, every gradient through the gradient checker
(complex step where the loss is smooth), property tests, extreme logits, bad input."""
import warnings

import numpy as np
import pytest
import scipy.special as sps
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coursepkg import activations as A
from coursepkg import losses as L
from coursepkg.gradcheck import check_gradient

TOL_COMPLEX = 1e-13   # complex step: exact up to round-off
TOL_CENTRAL = 1e-8    # central differences of a piecewise-linear loss: round-off only

RNG = np.random.default_rng(20181123)
N, K = 5, 4
A_PRED = RNG.normal(size=(N, K))
Y_REG = RNG.normal(size=(N, K))
P_BIN = RNG.uniform(0.05, 0.95, size=(N, K))
Y_BIN = RNG.integers(0, 2, size=(N, K)).astype(float)
Y_SOFT = RNG.uniform(0, 1, size=(N, K))
Z_LOG = 3.0 * RNG.normal(size=(N, K))
LABELS = np.array([0, 3, 1, 1, 2])
P_CAT = A.softmax(RNG.normal(size=(N, K)))


# ---------------------------------------------------------------- values against references

def test_regression_losses_against_numpy():
    assert L.quadratic(A_PRED, Y_REG) == pytest.approx(0.5 * np.sum((A_PRED - Y_REG) ** 2) / N, rel=1e-15)
    assert L.absolute_error(A_PRED, Y_REG) == pytest.approx(np.sum(np.abs(A_PRED - Y_REG)) / N, rel=1e-15)
    a1, y1 = A_PRED[:, 0], Y_REG[:, 0]  # (N,): one output unit per sample
    assert L.quadratic(a1, y1) == pytest.approx(0.5 * np.mean((a1 - y1) ** 2), rel=1e-15)
    assert L.absolute_error(a1, y1) == pytest.approx(np.mean(np.abs(a1 - y1)), rel=1e-15)


@pytest.mark.parametrize("y", [Y_BIN, Y_SOFT])
def test_binary_cross_entropy_against_scipy(y):
    ref = -np.sum(sps.xlogy(y, P_BIN) + sps.xlogy(1 - y, 1 - P_BIN)) / N
    assert L.binary_cross_entropy(P_BIN, y) == pytest.approx(ref, rel=1e-14)
    ref_logits = -np.sum(y * sps.log_expit(Z_LOG) + (1 - y) * sps.log_expit(-Z_LOG)) / N
    assert L.binary_cross_entropy_with_logits(Z_LOG, y) == pytest.approx(ref_logits, rel=1e-14)


def test_zero_log_zero_is_zero():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert L.binary_cross_entropy(np.array([0.0, 1.0]), np.array([0.0, 1.0])) == 0.0
        assert L.binary_cross_entropy(np.array([0.0, 1.0]), np.array([1.0, 0.0])) == np.inf
        g = L.binary_cross_entropy_grad(np.array([0.0, 1.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0, 1.0]))
        np.testing.assert_array_equal(g, [-np.inf, np.inf, 0.0, 0.0])
        assert L.cross_entropy(np.array([[0.0, 1.0]]), [1]) == 0.0
        assert L.cross_entropy(np.array([[0.0, 1.0]]), [0]) == np.inf
        np.testing.assert_array_equal(L.cross_entropy_grad(np.array([[0.0, 1.0]]), [0]), [[-np.inf, 0.0]])


def test_categorical_losses_against_scipy():
    rows = np.arange(N)
    assert L.cross_entropy(P_CAT, LABELS) == pytest.approx(-np.mean(np.log(P_CAT[rows, LABELS])), rel=1e-15)
    ref = -np.mean(sps.log_softmax(Z_LOG, axis=1)[rows, LABELS])
    assert L.softmax_cross_entropy(Z_LOG, LABELS) == pytest.approx(ref, rel=1e-14)
    assert L.softmax_cross_entropy(Z_LOG, LABELS) == pytest.approx(
        L.cross_entropy(A.softmax(Z_LOG), LABELS), rel=1e-13)
    # cross-entropy of one-hot targets = binary-style sum restricted to the true class
    Y = L.one_hot(LABELS, K)
    assert L.cross_entropy(P_CAT, LABELS) == pytest.approx(-np.sum(sps.xlogy(Y, P_CAT)) / N, rel=1e-15)


def test_losses_against_sympy():
    """Per-sample formulas derived symbolically, evaluated to 30 digits."""
    u, y = sp.symbols("u y", real=True)
    f = 1 / (1 + sp.exp(-u))
    nll = -(y * sp.log(f) + (1 - y) * sp.log(1 - f))
    # the logistic-regression NLL: -y u + log(1 + e^u)
    closed = -y * u + sp.log(1 + sp.exp(u))
    for uv, yv in [(-3.5, 1.0), (0.2, 0.0), (4.0, 0.3), (-0.7, 0.9)]:
        subs = {u: sp.Rational(str(uv)), y: sp.Rational(str(yv))}
        assert abs(sp.N((nll - closed).subs(subs), 30)) < 1e-25
        want = float(sp.N(nll.subs(subs), 30))
        assert L.binary_cross_entropy_with_logits(np.array([uv]), np.array([yv])) == pytest.approx(want, rel=1e-15)
        dwant = float(sp.N(sp.diff(nll, u).subs(subs), 30))
        assert L.binary_cross_entropy_with_logits_grad(np.array([uv]), np.array([yv]))[0] == pytest.approx(
            dwant, rel=1e-14, abs=1e-16)
    # softmax cross-entropy for K = 3 and its gradient a - e_y
    z = sp.symbols("z0:3", real=True)
    zv = [sp.Rational(7, 5), sp.Rational(-2, 3), sp.Rational(1, 4)]
    for label in range(3):
        c = -sp.log(sp.exp(z[label]) / sum(sp.exp(t) for t in z))
        subs = dict(zip(z, zv))
        zz = np.array([[float(v) for v in zv]])
        assert L.softmax_cross_entropy(zz, [label]) == pytest.approx(float(sp.N(c.subs(subs), 30)), rel=1e-15)
        grad = [float(sp.N(sp.diff(c, t).subs(subs), 30)) for t in z]
        np.testing.assert_allclose(L.softmax_cross_entropy_grad(zz, [label])[0], grad, rtol=1e-14, atol=1e-16)


def test_gaussian_and_laplace_nll_constants():
    """quadratic / absolute_error are the Gaussian / Laplace NLL per sample without their constants."""
    r = A_PRED - Y_REG
    gauss = np.sum(0.5 * r ** 2 + 0.5 * np.log(2 * np.pi)) / N   # unit variance, K outputs per sample
    assert L.quadratic(A_PRED, Y_REG) == pytest.approx(gauss - 0.5 * K * np.log(2 * np.pi), rel=1e-14)
    laplace = np.sum(np.abs(r) + np.log(2.0)) / N                 # density e^{-|r|}/2
    assert L.absolute_error(A_PRED, Y_REG) == pytest.approx(laplace - K * np.log(2.0), rel=1e-14)


def test_one_hot():
    np.testing.assert_array_equal(L.one_hot([2, 0, 1], 3), np.eye(3)[[2, 0, 1]])
    np.testing.assert_array_equal(L.one_hot(np.array([1.0, 0.0]), 2), [[0.0, 1.0], [1.0, 0.0]])


# ---------------------------------------------------------------- gradients through check_gradient

SMOOTH_CASES = {
    "quadratic": (A_PRED, Y_REG),
    "quadratic_1d": (A_PRED[:, 0], Y_REG[:, 0]),
    "binary_cross_entropy": (P_BIN, Y_SOFT),
    "binary_cross_entropy_hard": (P_BIN, Y_BIN),
    "binary_cross_entropy_with_logits": (Z_LOG, Y_SOFT),
    "binary_cross_entropy_with_logits_1d": (Z_LOG[:, 1], Y_BIN[:, 1]),
    "cross_entropy": (P_CAT, LABELS),
    "softmax_cross_entropy": (Z_LOG, LABELS),
}


@pytest.mark.parametrize("case", sorted(SMOOTH_CASES))
def test_smooth_grad_complex_step(case):
    name = case.replace("_1d", "").replace("_hard", "")
    f, g = getattr(L, name), getattr(L, name + "_grad")
    pred, target = SMOOTH_CASES[case]
    res = check_gradient(lambda v: f(v, target), g(pred, target), pred, method="complex")
    assert res.max_rel_error < TOL_COMPLEX, str(res)


def test_absolute_error_grad_central():
    pred = Y_REG + np.where(np.abs(A_PRED) < 0.1, 0.1, A_PRED)  # no entry near the kink a = y
    res = check_gradient(lambda v: L.absolute_error(v, Y_REG), L.absolute_error_grad(pred, Y_REG), pred,
                         method="central")
    assert res.max_rel_error < TOL_CENTRAL, str(res)
    np.testing.assert_array_equal(L.absolute_error_grad(Y_REG, Y_REG), np.zeros_like(Y_REG))


def test_fused_gradient_equals_chain_rule():
    """softmax_cross_entropy_grad = J_softmax^T (cross_entropy_grad at softmax(z)), row by row."""
    chain = np.stack([A.softmax_jacobian(Z_LOG[i]).T @ L.cross_entropy_grad(A.softmax(Z_LOG), LABELS)[i]
                      for i in range(N)])
    np.testing.assert_allclose(L.softmax_cross_entropy_grad(Z_LOG, LABELS), chain, rtol=1e-12, atol=1e-15)
    chain_bin = L.binary_cross_entropy_grad(A.sigmoid(Z_LOG), Y_SOFT) * A.sigmoid_prime(Z_LOG)
    np.testing.assert_allclose(L.binary_cross_entropy_with_logits_grad(Z_LOG, Y_SOFT), chain_bin,
                               rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------- property tests

logit_rows = arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(2, 5)),
                    elements=st.floats(-1e4, 1e4, allow_nan=False))


@given(logit_rows, st.data())
def test_property_fused_gradient(z, data):
    labels = np.array(data.draw(st.lists(st.integers(0, z.shape[1] - 1), min_size=z.shape[0],
                                         max_size=z.shape[0])))
    g = L.softmax_cross_entropy_grad(z, labels)
    n = z.shape[0]
    np.testing.assert_allclose(g.sum(axis=1), 0.0, atol=1e-15)           # rows sum to zero
    assert np.all(np.abs(g) <= 1.0 / n * (1 + 1e-15))                   # bounded by 1/N
    assert np.all(g[np.arange(n), labels] <= 0)                         # true class pushed up
    value = L.softmax_cross_entropy(z, labels)
    assert np.isfinite(value) and value >= 0
    # shift invariance of the loss, row by row
    c = data.draw(st.floats(-100, 100))
    assert L.softmax_cross_entropy(z + c, labels) == pytest.approx(value, rel=1e-12, abs=1e-9)


@given(arrays(np.float64, st.integers(1, 6), elements=st.floats(-10, 10)),
       arrays(np.float64, 6, elements=st.floats(0, 1)))
def test_property_logits_loss_equals_probability_loss(z, y):
    """Same loss from logits and from probabilities. |z| <= 10 because the probability form
    loses accuracy like eps * e^|z| (the cancellation in 1 - sigma(z)): about 5e-12 at |z| = 10."""
    y = y[:z.size]
    assert L.binary_cross_entropy_with_logits(z, y) == pytest.approx(
        L.binary_cross_entropy(A.sigmoid(z), y), rel=1e-10, abs=1e-10)


@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 3)), elements=st.floats(-1e3, 1e3)))
def test_property_mean_over_samples(a):
    """Each loss is the mean of its per-sample values: splitting the batch and averaging agrees."""
    y = np.zeros_like(a)
    per_sample = np.array([L.quadratic(a[i:i + 1], y[i:i + 1]) for i in range(a.shape[0])])
    assert L.quadratic(a, y) == pytest.approx(per_sample.mean(), rel=1e-13, abs=1e-300)
    per_sample = np.array([L.absolute_error(a[i:i + 1], y[i:i + 1]) for i in range(a.shape[0])])
    assert L.absolute_error(a, y) == pytest.approx(per_sample.mean(), rel=1e-13, abs=1e-300)


@given(st.floats(0.01, 0.99), st.floats(0.01, 0.99))
def test_property_cross_entropy_minimal_at_target(a, y):
    """For a fixed target y in (0, 1) the binary cross-entropy is minimal at a = y."""
    def c(p):
        return L.binary_cross_entropy(np.array([p]), np.array([y]))
    assert c(a) >= c(y) - 1e-15
    assert abs(L.binary_cross_entropy_grad(np.array([y]), np.array([y]))[0]) <= 1e-15


# ---------------------------------------------------------------- extreme logits

def test_extreme_logits_are_finite_and_silent():
    z = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4 - 1.0, -1e4]])
    labels = np.array([1, 2, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = L.softmax_cross_entropy(z, labels)
        g = L.softmax_cross_entropy_grad(z, labels)
        assert np.isfinite(value) and np.all(np.isfinite(g))
        # row 0: logsumexp = 1e4, loss 2e4; row 1: log 3; row 2: log(1 + e^{-1})
        assert value == pytest.approx((2e4 + np.log(3.0) + np.log1p(np.exp(-1.0))) / 3, rel=1e-15)
        zb = np.array([1e4, -1e4, 1e4, -1e4])
        yb = np.array([0.0, 1.0, 1.0, 0.0])
        assert L.binary_cross_entropy_with_logits(zb, yb) == pytest.approx(5e3, rel=1e-15)
        np.testing.assert_array_equal(L.binary_cross_entropy_with_logits_grad(zb, yb), [0.25, -0.25, 0.0, 0.0])
        # complex step at the extremes
        zc = z.astype(complex)
        zc[0, 0] += 1e-20j
        d = np.imag(L.softmax_cross_entropy(zc, labels)) / 1e-20
        assert d == pytest.approx(g[0, 0], rel=1e-14)


# ---------------------------------------------------------------- bad input

CLASS_LOSSES = [L.cross_entropy, L.cross_entropy_grad, L.softmax_cross_entropy, L.softmax_cross_entropy_grad]
REGRESSION = [L.quadratic, L.quadratic_grad, L.absolute_error, L.absolute_error_grad]
BINARY = [L.binary_cross_entropy, L.binary_cross_entropy_grad]
LOGITS = [L.binary_cross_entropy_with_logits, L.binary_cross_entropy_with_logits_grad]

# One table of bad input: (functions, exception, message from its start, arguments).
BAD_INPUT = [
    (CLASS_LOSSES, ValueError, r"labels must hold integers in \[0, 4\), got values from 0 to 4", (P_CAT, [0, 1, 2, 3, 4])),
    (CLASS_LOSSES, ValueError, r"labels must hold integers in \[0, 4\), got values from -1 to 3", (P_CAT, [0, -1, 2, 3, 3])),
    (CLASS_LOSSES, ValueError, r"labels must hold integer labels, got non-integer values such as (np\.float64\()?1\.5",
     (P_CAT, [0, 1.5, 2, 3, 3])),
    (CLASS_LOSSES, ValueError, r"labels must hold integer labels, got NaN", (P_CAT, [0, np.nan, 2, 3, 3])),
    (CLASS_LOSSES, ValueError, r"labels must have one label per sample \(5\), got 3", (P_CAT, [0, 1, 2])),
    (CLASS_LOSSES, ValueError, r"labels must be 1-D \(one label per sample\), got shape \(5, 1\)",
     (P_CAT, np.zeros((5, 1), dtype=int))),
    (CLASS_LOSSES, ValueError, r"labels must be a 1-D array of integer labels, got a ragged list of length 5",
     (P_CAT, [0, [1, 2], 2, 3, 3])),
    (CLASS_LOSSES, TypeError, r"labels must be an array of integer labels", (P_CAT, ["a"] * 5)),
    (CLASS_LOSSES, TypeError, r"labels must be an array of integer labels", (P_CAT, np.zeros(5, dtype=bool))),
    (CLASS_LOSSES[:2], ValueError, r"p must be 2-D, got an array of shape \(4,\)", (P_CAT[0], [0])),
    (CLASS_LOSSES[2:], ValueError, r"z must be 2-D, got an array of shape \(4,\)", (P_CAT[0], [0])),
    (CLASS_LOSSES[:2], ValueError, r"p must hold probabilities in \[0, 1\], got values from 0.5 to 1.5", ([[0.5, 1.5]], [0])),
    (CLASS_LOSSES[2:], ValueError, r"z must be finite, got 1 NaN", ([[np.nan, 0.0]], [0])),
    ([L.one_hot], ValueError, r"labels must hold integers in \[0, 3\), got values from 3 to 3", ([3], 3)),
    ([L.one_hot], ValueError, r"n_classes must be an integer >= 1, got 0", ([0], 0)),
    ([L.one_hot], ValueError, r"n_classes must be an integer <= 2147483647, got one of 401 digits", ([0], 10 ** 400)),
    ([L.one_hot], ValueError, r"labels must be a 1-D array of integer labels, got a ragged list", ([[0], [0, 1]], 2)),
    (BINARY, ValueError, r"p must hold probabilities in \[0, 1\], got values from 0.2 to 1.2", ([0.2, 1.2], [0.0, 1.0])),
    (BINARY, ValueError, r"p must hold probabilities in \[0, 1\], got values from -0.1 to 0.5", ([-0.1, 0.5], [0.0, 1.0])),
    (BINARY, ValueError, r"y must hold targets in \[0, 1\], got values from 0 to 2", ([0.2, 0.5], [0.0, 2.0])),
    (BINARY, ValueError, r"p and y must have the same shape, got \(2,\) and \(2, 1\)", ([0.2, 0.5], [[0.0], [1.0]])),
    (LOGITS, ValueError, r"y must hold targets in \[0, 1\], got values from -1 to 0", ([3.0, -2.0], [0.0, -1.0])),
    (LOGITS, ValueError, r"z must be finite, got 1 NaN", ([np.inf, -2.0], [0.0, 1.0])),
    (LOGITS, ValueError, r"z and y must have the same shape, got \(2,\) and \(1,\)", ([3.0, -2.0], [0.0])),
    (LOGITS, ValueError, r"z and y must have the same shape, got \(2,\) and \(2, 1\)", ([0.5, -0.5], [[1.0], [0.0]])),
    (REGRESSION, ValueError, r"a and y must have the same shape, got \(5, 4\) and \(5, 3\)", (A_PRED, Y_REG[:, :3])),
    (REGRESSION, ValueError, r"a must be 1-D or 2-D, got an array of shape \(\) \(0-D\)", (1.0, 1.0)),
    (REGRESSION, TypeError, r"a must be an array of numbers, got str 'a'", ("a", Y_REG)),
    (REGRESSION, ValueError, r"y must be finite, got 20 NaN or infinite entries", (A_PRED, np.full_like(Y_REG, np.nan))),
    (REGRESSION, TypeError, r"y must be real, got complex", (A_PRED, Y_REG + 1j)),
    (REGRESSION[2:], TypeError, r"a must be real, got complex", (A_PRED + 1j, Y_REG)),
]
CASES = [pytest.param(f, exc, msg, args, id=f"{f.__name__}-{i}")
         for i, (fs, exc, msg, args) in enumerate(BAD_INPUT) for f in fs]


@pytest.mark.parametrize("f, exc, message, args", CASES)
def test_bad_input(f, exc, message, args):
    with pytest.raises(exc, match="^" + message):
        f(*args)


def test_gradients_at_subnormal_probabilities_are_silent():
    # sigmoid(-740) is a subnormal float; 1/p overflows: the gradient is -inf, with no RuntimeWarning
    p = A.sigmoid(np.array([-740.0, -700.0, 0.0]))
    assert 0.0 < p[0] < np.finfo(float).tiny
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = L.binary_cross_entropy_grad(p, np.array([1.0, 1.0, 1.0]))
        ce = L.cross_entropy_grad(np.array([[p[0], 1.0 - p[0]], [0.5, 0.5]]), [0, 0])
        value = L.binary_cross_entropy(p, np.array([1.0, 1.0, 1.0]))
    assert g[0] == -np.inf and np.isfinite(g[1:]).all()
    np.testing.assert_allclose(g[1:], -(1.0 - p[1:]) / (p[1:] * (1.0 - p[1:])) / 3, rtol=1e-12)
    assert ce[0, 0] == -np.inf and ce[1, 0] == -1.0 and ce[0, 1] == 0.0
    # finite; p[0] is subnormal, so it carries only a few significant bits and log p[0] = -740 only roughly
    np.testing.assert_allclose(value, (740.0 + 700.0 + np.log(2.0)) / 3, rtol=1e-5)
