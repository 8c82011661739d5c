"""coursepkg.regularization: penalties, dropout, the dropout ensemble and batch normalization (against mpmath); one bad-input table."""
import itertools

import mpmath as mp

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coursepkg import activations as act
from coursepkg.gradcheck import check_gradient
from coursepkg.regularization import (MAX_ENSEMBLE_INPUTS, BatchNormCache, batchnorm_backward, batchnorm_forward, dropout,
                                      dropout_backward, dropout_ensemble_softmax, l1_penalty, l1_penalty_grad,
                                      l2_penalty, l2_penalty_grad)

finite = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)


def params_dict(rng):
    return {"W1": rng.standard_normal((4, 3)), "b1": rng.standard_normal(4),
            "W2": rng.standard_normal((2, 4)), "b2": rng.standard_normal(2)}


# ----------------------------------------------------------------------------- penalties

def test_l2_penalty_reference_weights_only():
    rng = np.random.default_rng(0)
    p = params_dict(rng)
    ref = 0.3 / 2 * (np.linalg.norm(p["W1"], "fro") ** 2 + np.linalg.norm(p["W2"], "fro") ** 2)
    assert l2_penalty(p, 0.3) == pytest.approx(ref, rel=1e-14)
    assert l2_penalty(p["W1"], 0.3) == pytest.approx(0.15 * np.sum(p["W1"] ** 2), rel=1e-14)


def test_l1_penalty_reference_weights_only():
    rng = np.random.default_rng(1)
    p = params_dict(rng)
    ref = 0.7 * (np.abs(p["W1"]).sum() + np.abs(p["W2"]).sum())
    assert l1_penalty(p, 0.7) == pytest.approx(ref, rel=1e-14)


def test_l2_gradient_complex_step_dict_and_array():
    rng = np.random.default_rng(2)
    p = params_dict(rng)
    res = check_gradient(lambda q: l2_penalty(q, 0.4), lambda q: l2_penalty_grad(q, 0.4), p, method="complex")
    assert res.max_rel_error < 1e-13, str(res)
    W = rng.standard_normal((3, 5))
    res = check_gradient(lambda w: l2_penalty(w, 1.7), lambda w: l2_penalty_grad(w, 1.7), W, method="complex")
    assert res.max_rel_error < 1e-13, str(res)
    g = l2_penalty_grad(p, 0.4)
    assert set(g) == set(p) and np.all(g["b1"] == 0) and np.all(g["b2"] == 0)


def test_l1_gradient_central_away_from_zero():
    rng = np.random.default_rng(3)
    p = params_dict(rng)
    p = {k: v + 0.1 * np.sign(v) for k, v in p.items()}  # |w| >= 0.1, far from the kink
    res = check_gradient(lambda q: l1_penalty(q, 0.25), lambda q: l1_penalty_grad(q, 0.25), p)
    assert res.max_rel_error < 1e-8, str(res)
    assert l1_penalty_grad(np.zeros(3), 2.0).tolist() == [0.0, 0.0, 0.0]


@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=finite),
       st.floats(0, 10))
def test_property_penalties_nonnegative_and_homogeneous(W, lam):
    assert l2_penalty(W, lam) >= 0 and l1_penalty(W, lam) >= 0
    assert l2_penalty(2 * W, lam) == pytest.approx(4 * l2_penalty(W, lam), rel=1e-12, abs=1e-300)
    assert l1_penalty(2 * W, lam) == pytest.approx(2 * l1_penalty(W, lam), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_mask_rate_and_mean_preserved(p):
    rng = np.random.default_rng(4)
    x = rng.uniform(0.5, 1.5, size=(400, 250))
    out, mask = dropout(x, p, rng)
    n = x.size
    removed = np.mean(mask == 0)
    # binomial rate: standard error sqrt(p (1-p) / n); allow 5 standard errors
    assert abs(removed - p) < 5 * np.sqrt(p * (1 - p) / n)
    assert np.all((mask == 0) | np.isclose(mask, 1 / (1 - p), rtol=1e-15))
    np.testing.assert_array_equal(out, x * mask)
    # mean of out vs mean of x: each entry has variance x^2 p/(1-p); 5 standard errors
    se = np.sqrt(np.sum(x ** 2) * p / (1 - p)) / n
    assert abs(out.mean() - x.mean()) < 5 * se


def test_dropout_inference_and_p_zero_are_identity():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 4))
    for out, mask in (dropout(x, 0.5, rng, training=False), dropout(x, 0.0, rng)):
        np.testing.assert_array_equal(out, x)
        np.testing.assert_array_equal(mask, np.ones_like(x))


def test_dropout_is_reproducible_and_backward_is_the_mask():
    x = np.arange(12.0).reshape(3, 4)
    o1, m1 = dropout(x, 0.3, np.random.default_rng(7))
    o2, m2 = dropout(x, 0.3, np.random.default_rng(7))
    np.testing.assert_array_equal(o1, o2)
    dout = np.random.default_rng(8).standard_normal(x.shape)
    res = check_gradient(lambda v: np.sum(dout * v * m1), dropout_backward(dout, m1), x, method="complex")
    assert res.max_rel_error < 1e-14, str(res)


# ----------------------------------------------------------------------------- the dropout ensemble

def ensemble_by_product(W, b, x):
    """Independent reference: the explicit product over every mask, then the 2^-n-th root, then normalize."""
    n = x.size
    prod = np.ones(W.shape[0])
    for bits in itertools.product([0.0, 1.0], repeat=n):
        prod *= act.softmax(W @ (np.array(bits) * x) + b) ** (2.0 ** -n)
    return prod / prod.sum()


@pytest.mark.parametrize("n, K", [(1, 2), (3, 4), (6, 3)])
def test_ensemble_matches_explicit_product_and_theorem(n, K):
    rng = np.random.default_rng(n)
    W, b, x = rng.standard_normal((K, n)), rng.standard_normal(K), rng.standard_normal(n)
    got = dropout_ensemble_softmax(W, b, x)
    np.testing.assert_allclose(got, ensemble_by_product(W, b, x), rtol=1e-12)
    np.testing.assert_allclose(got, act.softmax(W @ x / 2 + b), rtol=1e-12)


@given(st.integers(1, 8), st.integers(2, 5), st.integers(0, 2 ** 32 - 1))
def test_property_ensemble_theorem_batch(n, K, seed):
    rng = np.random.default_rng(seed)
    W, b, X = 3 * rng.standard_normal((K, n)), rng.standard_normal(K), rng.standard_normal((4, n))
    got = dropout_ensemble_softmax(W, b, X)
    assert got.shape == (4, K)
    np.testing.assert_allclose(got, act.softmax(X @ W.T / 2 + b, axis=1), rtol=1e-10, atol=1e-300)


def test_ensemble_extreme_inputs_no_warning():
    W, b, x = np.array([[1e4, -1e4], [-1e4, 1e4]]), np.zeros(2), np.array([1.0, -1.0])
    got = dropout_ensemble_softmax(W, b, x)
    np.testing.assert_allclose(got, act.softmax(W @ x / 2 + b), rtol=1e-12, atol=1e-300)


# ----------------------------------------------------------------------------- batch normalization

def test_batchnorm_forward_statistics_and_reference():
    rng = np.random.default_rng(9)
    x = 5 + 3 * rng.standard_normal((50, 4))
    y, _ = batchnorm_forward(x, np.ones(4), np.zeros(4), eps=0.0)
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-13)
    np.testing.assert_allclose(y.var(axis=0), 1, rtol=1e-12)  # biased variance (ddof=0)
    gamma, beta = rng.standard_normal(4), rng.standard_normal(4)
    y, _ = batchnorm_forward(x, gamma, beta, eps=1e-3)
    ref = gamma * (x - x.mean(0)) / np.sqrt(x.var(0, ddof=0) + 1e-3) + beta
    np.testing.assert_allclose(y, ref, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("N, d", [(2, 1), (7, 3), (20, 5)])
def test_batchnorm_backward_complex_step(N, d):
    rng = np.random.default_rng(N * 10 + d)
    x, gamma, beta = rng.standard_normal((N, d)), rng.standard_normal(d), rng.standard_normal(d)
    R = rng.standard_normal((N, d))  # a random linear read-out makes a scalar loss

    def loss(v):
        y, _ = batchnorm_forward(v["x"], v["gamma"], v["beta"])
        return np.sum(R * y)

    _, cache = batchnorm_forward(x, gamma, beta)
    dx, dgamma, dbeta = batchnorm_backward(R, cache)
    res = check_gradient(loss, {"x": dx, "gamma": dgamma, "beta": dbeta},
                         {"x": x, "gamma": gamma, "beta": beta}, method="complex")
    assert res.max_rel_error < 1e-10, str(res)


def test_batchnorm_extreme_inputs_no_warning():
    x = np.array([[1e4, -1e4], [-1e4, 1e4], [0.0, 3.0]])
    y, cache = batchnorm_forward(x, np.ones(2), np.zeros(2))
    dx, _, _ = batchnorm_backward(np.ones_like(y), cache)
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(dx))
    np.testing.assert_allclose(dx, 0, atol=1e-12)  # a constant upstream gradient cannot change a normalized output


@given(arrays(np.float64, st.tuples(st.integers(2, 8), st.integers(1, 4)), elements=st.floats(-100, 100)))
def test_property_batchnorm_is_shift_invariant(x):
    d = x.shape[1]
    y1, _ = batchnorm_forward(x, np.ones(d), np.zeros(d))
    y2, _ = batchnorm_forward(x + 7.0, np.ones(d), np.zeros(d))
    np.testing.assert_allclose(y1, y2, atol=1e-6)


def _batchnorm_mpmath(x, eps):
    """y = (x - mean) / sqrt(biased var + eps) per column, in 50-digit arithmetic."""
    mp.mp.dps = 50
    out = np.empty(x.shape)
    for j in range(x.shape[1]):
        col = [mp.mpf(float(v)) for v in x[:, j]]
        mu = sum(col) / len(col)
        var = sum((v - mu) ** 2 for v in col) / len(col)
        out[:, j] = [float((v - mu) / mp.sqrt(var + mp.mpf(eps))) for v in col]
    return out


@pytest.mark.parametrize("t", [1e-160, 1e-170, 1e-300, 1.0, 1e200, 1e300])
def test_batchnorm_two_points_give_plus_minus_one_at_every_scale(t):
    # used to give +-1.0000056 at 1e-160 and to refuse 1e-170 as "zero variance"
    y, cache = batchnorm_forward(np.array([[0.0], [t]]), np.ones(1), np.zeros(1), eps=0.0)
    np.testing.assert_allclose(y.ravel(), [-1.0, 1.0], rtol=4 * np.finfo(float).eps, atol=0)
    np.testing.assert_allclose(cache.std, [t / 2], rtol=4 * np.finfo(float).eps, atol=0)


@pytest.mark.parametrize("scale, eps", [(1e-170, 0.0), (1e-170, 1e-330), (1e-160, 1e-5), (1.0, 1e-5),
                                        (1e150, 1e-5), (1e300, 0.0)])
def test_batchnorm_forward_against_mpmath(scale, eps):
    x = scale * np.random.default_rng(3).standard_normal((6, 3))
    y, _ = batchnorm_forward(x, np.ones(3), np.zeros(3), eps=eps)
    ref = _batchnorm_mpmath(x, eps)
    # a few ulps of the largest |y| (the centred entries carry the rounding of the mean)
    np.testing.assert_allclose(y, ref, rtol=0, atol=16 * np.finfo(float).eps * np.abs(ref).max() + 1e-320)


def test_batchnorm_is_exactly_invariant_under_power_of_two_scaling():
    x = np.random.default_rng(4).uniform(1, 2, (5, 2)) * np.array([1.0, -1.0])
    y, _ = batchnorm_forward(x, np.ones(2), np.zeros(2), eps=0.0)
    for k in (-1000, -560, -1, 300, 1000):
        np.testing.assert_array_equal(batchnorm_forward(np.ldexp(x, k), np.ones(2), np.zeros(2), eps=0.0)[0], y)


def test_batchnorm_backward_at_tiny_scale_matches_the_scaled_gradient():
    # d xhat / dx scales like 1/s: the backward at scale 1e-170 is 1e170 times the backward at scale 1
    rng = np.random.default_rng(6)
    x, dy = rng.standard_normal((5, 2)), rng.standard_normal((5, 2))
    g = rng.standard_normal(2)
    dx1, dg1, db1 = batchnorm_backward(dy, batchnorm_forward(x, g, np.zeros(2), eps=0.0)[1])
    dx2, dg2, db2 = batchnorm_backward(dy, batchnorm_forward(1e-170 * x, g, np.zeros(2), eps=0.0)[1])
    np.testing.assert_allclose(dx2 * 1e-170, dx1, rtol=1e-13, atol=0)
    np.testing.assert_allclose(dg2, dg1, rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(db2, db1)


def test_batchnorm_cache_is_a_named_tuple_that_still_unpacks():
    _, cache = batchnorm_forward(np.array([[1.0], [3.0]]), np.full(1, 2.0), np.zeros(1), eps=0.0)
    assert isinstance(cache, BatchNormCache)
    xhat, gamma, std = cache
    np.testing.assert_array_equal(xhat, [[-1.0], [1.0]])
    np.testing.assert_array_equal(std, [1.0])
    assert gamma is cache.gamma


_rng = np.random.default_rng(0)
_n = MAX_ENSEMBLE_INPUTS + 1
_bn_cache = batchnorm_forward(np.arange(6.0).reshape(3, 2), np.ones(2), np.zeros(2))[1]

BAD_INPUT = [
    # (call, exception, regex naming the argument)
    (lambda: l2_penalty(np.ones(2), -1.0), ValueError, r"\blam must be >= 0"),
    (lambda: l2_penalty(np.ones(2), 10**400), ValueError, r"\blam must be finite"),
    (lambda: l2_penalty("W", 1.0), TypeError, r"\bparams must be an array"),
    (lambda: l1_penalty(np.ones(2) + 1j, 1.0), TypeError, r"\bparams must be real"),
    (lambda: l2_penalty_grad({}, 1.0), ValueError, r"\bparams must be a non-empty dict"),
    (lambda: l2_penalty({1: np.ones(2)}, 1.0), TypeError, r"\bparams keys must be strings"),
    (lambda: l1_penalty_grad(np.array([np.nan]), 1.0), ValueError, r"\bparams must be finite"),
    (lambda: dropout(np.ones(3), 1.0, _rng), ValueError, r"\bp must be < 1.0"),
    (lambda: dropout(np.ones(3), -0.1, _rng), ValueError, r"\bp must be >= 0"),
    (lambda: dropout(np.ones(3), 10**400, _rng), ValueError, r"\bp must be finite"),
    (lambda: dropout(np.ones(3), 0.5, 0), TypeError, r"\brng must be a numpy.random.Generator"),
    (lambda: dropout(np.ones(3), 0.5, _rng, training="yes"), TypeError, r"\btraining must be True or False"),
    (lambda: dropout([[1.0], [2.0, 3.0]], 0.5, _rng), TypeError, r"\bx must be an array of numbers"),
    (lambda: dropout_backward(np.ones(3), np.ones(4)), ValueError, r"dout and mask must have the same shape"),
    (lambda: dropout_ensemble_softmax(np.ones((2, _n)), np.zeros(2), np.ones(_n)), ValueError, r"limited to n <= 16"),
    (lambda: dropout_ensemble_softmax(np.ones((2, 3)), np.zeros(3), np.ones(3)), ValueError, r"\bb must have shape \(2,\)"),
    (lambda: dropout_ensemble_softmax(np.ones((2, 3)), np.zeros(2), np.ones(4)), ValueError, r"\bx must have 3 features"),
    (lambda: dropout_ensemble_softmax(np.ones(3), np.zeros(2), np.ones(3)), ValueError, r"\bW must be 2-D"),
    (lambda: batchnorm_forward(np.ones((1, 3)), np.ones(3), np.zeros(3)), ValueError, r"\bx must hold .* at least 2 samples"),
    (lambda: batchnorm_forward(np.ones((4, 3)), np.ones(2), np.zeros(3)), ValueError, r"\bgamma must have shape \(3,\)"),
    (lambda: batchnorm_forward(np.ones((4, 3)), np.ones(3), np.zeros(2)), ValueError, r"\bbeta must have shape \(3,\)"),
    (lambda: batchnorm_forward(np.ones((4, 3)), np.ones(3), np.zeros(3), eps=0.0), ValueError,
     r"\bx has zero batch variance in feature 0 and eps = 0"),
    (lambda: batchnorm_forward(np.ones((4, 3)), np.ones(3), np.zeros(3), eps=-1e-5), ValueError, r"\beps must be >= 0"),
    (lambda: batchnorm_forward(np.ones(3), np.ones(3), np.zeros(3)), ValueError, r"\bx must be 2-D"),
    (lambda: batchnorm_backward(np.ones((2, 2)), _bn_cache), ValueError, r"\bdy must have the shape"),
    (lambda: batchnorm_backward(np.ones((3, 2)), None), TypeError, r"cache must be the BatchNormCache"),
    (lambda: batchnorm_backward(np.ones((3, 2)), (1, 2, 3)), TypeError, r"cache must be the BatchNormCache"),
    (lambda: batchnorm_backward(np.ones((3, 2)), tuple(_bn_cache)), TypeError, r"cache must be the BatchNormCache"),
]


@pytest.mark.parametrize("call, exc, pattern", BAD_INPUT)
def test_bad_input(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 6)), elements=finite),
       st.floats(0, 0.95), st.integers(0, 2 ** 32 - 1))
def test_property_dropout_output_is_input_times_mask(x, p, seed):
    out, mask = dropout(x, p, np.random.default_rng(seed))
    assert out.shape == mask.shape == x.shape
    np.testing.assert_array_equal(out, x * mask)
    assert np.all((mask == 0) | (mask == 1 / (1 - p)))


# ----------------------------------------------------------------------------- consistency with MLP.fit

def test_mlp_fit_weight_decay_uses_the_l2_convention():
    """One full-batch SGD step of MLP.fit(weight_decay=lam) is a step on loss + l2_penalty(params, lam)."""
    from coursepkg import optim
    from coursepkg.mlp import MLP

    rng = np.random.default_rng(11)
    X, y = rng.standard_normal((12, 4)), rng.integers(0, 3, size=12)
    net = MLP([4, 5, 3], hidden="tanh", rng=rng)
    before = {k: v.copy() for k, v in net.params.items()}
    _, grads = net.loss_and_grads(X, y)
    decay = l2_penalty_grad(before, 0.2)
    expected = {k: before[k] - 0.1 * (grads[k] + decay[k]) for k in before}
    net.fit(X, y, optim.sgd(0.1), epochs=1, batch_size=12, rng=np.random.default_rng(0), weight_decay=0.2)
    for k in before:
        np.testing.assert_allclose(net.params[k], expected[k], rtol=1e-12, atol=1e-14)
