"""Accuracy of `activations` and `losses` against 60-digit mpmath, in ulps.

The contract (module docstrings): every real smooth function is within a few ulps of
the exact value of the float64 input, for |z| from 1e-300 to 1e4, tiny arguments and
far tails included. The error of a result r against the exact value v is
|r - v| / ulp(v), with ulp(v) the spacing of float64 at fl(v) (5e-324 for the
subnormal range and for 0), so a result that underflows to 0 where v does is exact.
Also here: the reference cases of numpy, scipy and PyTorch cited in issue 15, and the
complex-step derivative through the accurate branches.
"""
import mpmath as mp
import numpy as np
import pytest

from coursepkg import activations as A
from coursepkg import losses as L

mp.mp.dps = 60
MAX_ULPS = 3  # "a few ulps" (measured worst: 1.42, softmax and tanh_prime); a failure prints where

MAGS = np.geomspace(1e-300, 1e4, 181)
GRID = np.concatenate([-MAGS[::-1], [0.0], MAGS])  # 363 points, both signs


def ulps(result, exact) -> float:
    """|result - exact| in units of the float64 spacing at exact."""
    ex = float(exact)
    spacing = float(np.spacing(abs(ex))) if ex != 0 else 5e-324
    return float(abs(mp.mpf(float(result)) - exact) / mp.mpf(spacing))


def worst(values, exact_fn, points):
    errs = [ulps(v, exact_fn(mp.mpf(float(x)))) for v, x in zip(values, points)]
    k = int(np.argmax(errs))
    return errs[k], points[k]


def _softplus(x):
    return mp.log1p(mp.exp(x)) if x < 0 else x + mp.log1p(mp.exp(-x))


def _sigmoid(x):
    return 1 / (1 + mp.exp(-x))


EXACT = {
    "sigmoid": _sigmoid,
    "sigmoid_prime": lambda x: _sigmoid(x) * _sigmoid(-x),
    "tanh": mp.tanh,
    "tanh_prime": lambda x: mp.sech(x) ** 2,
    "softplus": _softplus,
    "softplus_prime": _sigmoid,
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_elementwise_within_a_few_ulps(name):
    err, at = worst(getattr(A, name)(GRID), EXACT[name], GRID)
    assert err <= MAX_ULPS, f"{name}: {err:.2f} ulps at z = {at!r}"


@pytest.mark.parametrize("alpha", [0.25, 1.0, 4.0])  # powers of two: alpha * z is exact
def test_smooth_relu_within_a_few_ulps(alpha):
    z = GRID[np.abs(GRID) * alpha <= 1e4]
    a = mp.mpf(alpha)
    err, at = worst(A.smooth_relu(z, alpha), lambda x: _softplus(a * x) / a, z)
    assert err <= MAX_ULPS, f"smooth_relu(alpha={alpha}): {err:.2f} ulps at z = {at!r}"
    err, at = worst(A.smooth_relu_prime(z, alpha), lambda x: _sigmoid(a * x), z)
    assert err <= MAX_ULPS, f"smooth_relu_prime(alpha={alpha}): {err:.2f} ulps at z = {at!r}"


def _lse(row):
    row = [mp.mpf(float(v)) for v in row]
    m = max(row)
    return m + mp.log1p(sum(mp.exp(v - m) for v in row) - 1)


# rows: the largest entry and the gaps to the others span the contract's range
ROWS = ([[0.0, -g] for g in np.geomspace(1e-300, 1e4, 61)]
        + [[m, m - g, m - 2 * g] for m in (-1e4, -700.0, -3.0, 1e-300, 2.5, 800.0, 1e4)
           for g in (1e-300, 1e-17, 1e-8, 0.3, 5.0, 40.0, 745.0, 1e4)]
        + [list(r) for r in np.random.default_rng(15).normal(scale=30.0, size=(40, 4))]
        + [[a, float(np.log1p(-np.exp(a)))] for a in (-0.7, -1e-3, -3.0, -30.0)])  # lse near 0: cancellation


def _no_cancellation(row):
    """True unless lse = m + log1p(s) cancels: m < 0 and the sum reaches above m / 2.

    Where it cancels (the result near 0 although no entry is), the exact result depends on
    the last bits of the input more than the result's own ulp; see the backward-stability test.
    """
    m, lse = max(row), _lse(row)
    return not (m < 0 and lse > m / 2)


def test_logsumexp_within_a_few_ulps():
    errs = [(ulps(A.logsumexp(r), _lse(r)), r) for r in ROWS if _no_cancellation(r)]
    assert len(errs) > 150
    err, row = max(errs, key=lambda t: t[0])
    assert err <= MAX_ULPS, f"logsumexp: {err:.2f} ulps at {row}"


def test_logsumexp_ill_conditioned_rows_are_backward_stable():
    # Where the result is near zero by cancellation (m < 0 < lse), the error is bounded by
    # eps times the condition number sum_j |z_j| a_j / |lse| -- the error of rounding the input.
    for r in ROWS:
        lse = _lse(r)
        bound = 4 * 2.0 ** -53 * sum(abs(mp.mpf(float(v))) * mp.exp(mp.mpf(float(v)) - lse) for v in r) + 4 * mp.mpf(
            float(np.spacing(abs(float(lse)) or 5e-324)))
        assert abs(mp.mpf(float(A.logsumexp(r))) - lse) <= bound, r


def test_log_softmax_and_softmax_within_a_few_ulps():
    worst_ls, worst_sm = (0.0, None), (0.0, None)
    for r in ROWS:
        lse = _lse(r)
        ls, sm = A.log_softmax(r), A.softmax(r)
        for j, v in enumerate(r):
            ex = mp.mpf(float(v)) - lse
            e1, e2 = ulps(ls[j], ex), ulps(sm[j], mp.exp(ex))
            worst_ls, worst_sm = max(worst_ls, (e1, r), key=lambda t: t[0]), max(worst_sm, (e2, r), key=lambda t: t[0])
    # log_softmax: the entries of the largest z are near 0 and keep full relative accuracy
    assert worst_ls[0] <= MAX_ULPS, f"log_softmax: {worst_ls[0]:.2f} ulps at {worst_ls[1]}"
    assert worst_sm[0] <= MAX_ULPS, f"softmax: {worst_sm[0]:.2f} ulps at {worst_sm[1]}"


def test_losses_within_a_few_ulps():
    for r in ROWS:
        z = np.array([r])
        for y in range(len(r)):
            ex = _lse(r) - mp.mpf(float(r[y]))
            assert ulps(L.softmax_cross_entropy(z, [y]), ex) <= MAX_ULPS, (r, y)
    for y in (0.0, 1.0):
        # per-unit loss y softplus(-u) + (1 - y) softplus(u), summed: check unit by unit
        for x in GRID:
            ex = _softplus(-mp.mpf(float(x))) if y == 1 else _softplus(mp.mpf(float(x)))
            assert ulps(L.binary_cross_entropy_with_logits([x], [y]), ex) <= MAX_ULPS, (x, y)
            g = L.binary_cross_entropy_with_logits_grad([x], [y])[0]
            X = mp.mpf(float(x))
            assert ulps(g, -_sigmoid(-X) if y == 1 else _sigmoid(X)) <= MAX_ULPS, (x, y)  # sigma(x) - y
    for p in np.concatenate([np.geomspace(1e-300, 0.5, 40), 1 - np.geomspace(1e-16, 0.5, 20)]):
        for y in (0.0, 1.0):
            P = mp.mpf(float(p))
            ex = -mp.log(P) if y == 1 else -mp.log1p(-P)
            assert ulps(L.binary_cross_entropy([p], [y]), ex) <= MAX_ULPS, (p, y)
            assert ulps(L.cross_entropy([[p, 1 - p]], [0]), -mp.log(P)) <= MAX_ULPS, p


# ---------------------------------------------------------------- reference cases named in issue 15

def test_reference_cases():
    assert A.tanh(1e-17) == 1e-17                                   # was 0
    assert ulps(A.tanh(5.4e-7), mp.tanh(mp.mpf(5.4e-7))) <= 1       # PyTorch reference input (was 2.6e-11 relative)
    assert ulps(A.tanh(1e-8), mp.tanh(mp.mpf(1e-8))) <= 1           # was 1.6e-9 relative
    exact = mp.log1p(mp.exp(-40))                                  # 4.248354255291589e-18
    assert ulps(A.logsumexp([0.0, -40.0]), exact) <= 1              # scipy gh-18295 (was 0.0)
    assert A.logsumexp([0.0, -40.0]) == np.logaddexp(0.0, -40.0)    # scipy's own check of gh-18295
    assert ulps(A.logsumexp([0.0, -20.0]), mp.log1p(mp.exp(-20))) <= 1  # was 3e-8 relative
    assert ulps(-A.log_softmax([40.0, 0.0])[0], exact) <= 1
    assert ulps(L.softmax_cross_entropy([[40.0, 0.0]], [0]), exact) <= 1  # was 0.0
    assert ulps(L.binary_cross_entropy_with_logits([40.0], [1.0]), exact) <= 1  # was 0.0
    # scipy's logsumexp tests: equal large entries, and a sum of many equal terms
    assert ulps(A.logsumexp([1000.0, 1000.0]), 1000 + mp.log(2)) <= 1
    assert ulps(A.logsumexp(np.zeros(10000)), mp.log(10000)) <= 2
    # scipy's expit tests at the ends of the float64 range
    assert ulps(A.sigmoid(-710.0), _sigmoid(mp.mpf(-710))) <= 1 and A.sigmoid(710.0) == 1.0
    assert ulps(A.sigmoid_prime(40.0), _sigmoid(mp.mpf(40)) * _sigmoid(mp.mpf(-40))) <= 2  # tail, relative


def test_complex_step_through_the_accurate_branches():
    h = 1e-30
    for z in (1e-17, 5.4e-7, 0.3, -2.0, 40.0, -300.0):
        assert ulps(A.tanh(z + 1j * h).imag / h, mp.sech(mp.mpf(z)) ** 2) <= 4, z
        s = _sigmoid(mp.mpf(z))
        assert ulps(A.sigmoid(z + 1j * h).imag / h, s * (1 - s)) <= 4, z
    # d/dz_1 logsumexp([0, z_1]) at z_1 = -40 is softmax([0, -40])[1] = e^-40 / (1 + e^-40)
    g = A.logsumexp(np.array([0.0, -40.0 + 1j * h])).imag / h
    assert ulps(g, mp.exp(-40) / (1 + mp.exp(-40))) <= 4
    g = L.softmax_cross_entropy(np.array([[40.0 + 1j * h, 0.0]]), [0]).imag / h
    assert ulps(g, -mp.exp(-40) / (1 + mp.exp(-40))) <= 4
