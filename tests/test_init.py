"""coursepkg.init: shapes, variances (statistically), orthogonal (Haar) and sparse schemes, one bad-input table."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursepkg.init import he_normal, orthogonal, sparse, xavier_normal, xavier_uniform

SCHEMES = [(xavier_normal, lambda o, i: 2 / (i + o)), (xavier_uniform, lambda o, i: 2 / (i + o)),
           (he_normal, lambda o, i: 2 / i)]


@pytest.mark.parametrize("init, var", SCHEMES)
@pytest.mark.parametrize("n_out, n_in", [(300, 400), (50, 2000), (1000, 30)])
def test_variance_and_mean(init, var, n_out, n_in):
    W = init(n_out, n_in, np.random.default_rng(n_out + n_in))
    assert W.shape == (n_out, n_in) and W.dtype == np.float64
    m = W.size
    v = var(n_out, n_in)
    # the sample variance has relative standard error sqrt(2/m) (normal) or sqrt(0.8/m) (uniform);
    # allow 5 of the larger one. The mean has standard error sqrt(v/m); allow 5.
    assert abs(W.var() / v - 1) < 5 * np.sqrt(2 / m)
    assert abs(W.mean()) < 5 * np.sqrt(v / m)


def test_uniform_bound_and_normal_kurtosis():
    rng = np.random.default_rng(0)
    W = xavier_uniform(200, 100, rng)
    a = np.sqrt(6 / 300)
    assert np.all(np.abs(W) <= a) and np.max(np.abs(W)) > 0.99 * a
    # excess kurtosis: 0 for a normal, -1.2 for a uniform (standard error about sqrt(24/m) ~ 0.035)
    for init, kurt in [(xavier_normal, 0.0), (he_normal, 0.0), (xavier_uniform, -1.2)]:
        V = init(200, 100, rng).ravel()
        k = np.mean((V - V.mean()) ** 4) / V.var() ** 2 - 3
        assert abs(k - kurt) < 5 * np.sqrt(24 / V.size)


@given(st.integers(1, 40), st.integers(1, 40), st.integers(0, 2 ** 32 - 1))
def test_property_reproducible_and_shaped(n_out, n_in, seed):
    for init, _ in SCHEMES:
        W1 = init(n_out, n_in, np.random.default_rng(seed))
        W2 = init(n_out, n_in, np.random.default_rng(seed))
        assert W1.shape == (n_out, n_in)
        np.testing.assert_array_equal(W1, W2)
        assert np.all(np.isfinite(W1))


# ----------------------------------------------------------------------------- orthogonal

@pytest.mark.parametrize("n_out, n_in", [(7, 7), (50, 20), (20, 50), (1, 9), (9, 1)])
@pytest.mark.parametrize("gain", [1.0, np.sqrt(2.0), 0.3])
def test_orthogonal_rows_or_columns_are_orthonormal(n_out, n_in, gain):
    W = orthogonal(n_out, n_in, np.random.default_rng(n_out * 100 + n_in), gain=gain)
    assert W.shape == (n_out, n_in)
    if n_out >= n_in:
        np.testing.assert_allclose(W.T @ W, gain**2 * np.eye(n_in), rtol=0, atol=1e-12)
    else:
        np.testing.assert_allclose(W @ W.T, gain**2 * np.eye(n_out), rtol=0, atol=1e-12)
    np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), gain, rtol=1e-12, atol=0)


def test_orthogonal_keeps_every_singular_value_of_a_deep_linear_network():
    rng = np.random.default_rng(0)
    n, L, gain = 30, 20, 1.1
    P = np.eye(n)
    for _ in range(L):
        P = orthogonal(n, n, rng, gain=gain) @ P
    np.testing.assert_allclose(np.linalg.svd(P, compute_uv=False), gain**L, rtol=1e-11, atol=0)


def test_orthogonal_is_haar_distributed():
    """Haar on O(3): every entry is symmetric about 0 with E[w^2] = 1/3, and det = +1 or -1 equally often.

    Without the sign fix, LAPACK's QR makes W[0, 0] negative in every draw; each statistic below is
    compared with its exact value within 5 standard errors over R = 4000 seeded draws.
    """
    rng = np.random.default_rng(1)
    R, n = 4000, 3
    Ws = np.array([orthogonal(n, n, rng) for _ in range(R)])  # (R, 3, 3)
    w00 = Ws[:, 0, 0]
    assert abs(np.mean(w00 > 0) - 0.5) < 5 * np.sqrt(0.25 / R)
    assert abs(w00.mean()) < 5 * np.sqrt((1 / n) / R)
    # w00^2 ~ Beta(1/2, 1): mean 1/3, variance (1/2)(1)/((3/2)^2 (5/2)) = 4/45
    assert abs(np.mean(w00**2) - 1 / n) < 5 * np.sqrt(4 / 45 / R)
    dets = np.linalg.det(Ws)
    np.testing.assert_allclose(np.abs(dets), 1.0, rtol=1e-12, atol=0)
    assert abs(np.mean(dets > 0) - 0.5) < 5 * np.sqrt(0.25 / R)


# ----------------------------------------------------------------------------- sparse

@pytest.mark.parametrize("n_out, n_in, k", [(10, 100, 15), (40, 15, 15), (5, 3, 1), (300, 50, 7)])
def test_sparse_has_exactly_k_nonzeros_per_row(n_out, n_in, k):
    W = sparse(n_out, n_in, np.random.default_rng(k), k=k)
    assert W.shape == (n_out, n_in)
    np.testing.assert_array_equal(np.count_nonzero(W, axis=1), np.full(n_out, k))


def test_sparse_default_k_is_15():
    np.testing.assert_array_equal(np.count_nonzero(sparse(4, 40, np.random.default_rng(0)), axis=1), 15)


def test_sparse_values_are_standard_normal_and_positions_uniform():
    rng = np.random.default_rng(2)
    n_out, n_in, k = 2000, 40, 10
    W = sparse(n_out, n_in, rng, k=k)
    v = W[W != 0]  # n_out * k values
    m = v.size
    assert abs(v.mean()) < 5 * np.sqrt(1 / m)
    assert abs(v.var() - 1) < 5 * np.sqrt(2 / m)
    # each input is chosen by a row with probability k / n_in, independently across rows
    p = k / n_in
    counts = np.count_nonzero(W, axis=0)  # (n_in,)
    assert np.all(np.abs(counts - n_out * p) < 5 * np.sqrt(n_out * p * (1 - p)))


# ----------------------------------------------------------------------------- bad input

_rng = np.random.default_rng(0)
ALL = [xavier_normal, xavier_uniform, he_normal, orthogonal, sparse]

BAD_INPUT = [
    # (call, exception, regex naming the argument)
    *[(lambda f=f: f(0, 3, _rng), ValueError, r"\bn_out must be an integer >= 1") for f in ALL],
    *[(lambda f=f: f(3, 2.5, _rng), TypeError, r"\bn_in must be an integer") for f in ALL],
    *[(lambda f=f: f(3, 2, 42), TypeError, r"\brng must be a numpy.random.Generator") for f in ALL],
    *[(lambda f=f: f(10**400, 2, _rng), ValueError, r"\bn_out must be an integer <=") for f in ALL],
    (lambda: he_normal(2**20, 2**20, _rng), ValueError, r"n_out \* n_in must be at most"),
    (lambda: orthogonal(3, 2, _rng, gain=0.0), ValueError, r"\bgain must be > 0"),
    (lambda: orthogonal(3, 2, _rng, gain="1"), TypeError, r"\bgain must be a real number"),
    (lambda: orthogonal(3, 2, _rng, gain=np.inf), ValueError, r"\bgain must be finite"),
    (lambda: sparse(3, 10, _rng), ValueError, r"\bk must be an integer <= 10, got .*15"),
    (lambda: sparse(3, 10, _rng, k=0), ValueError, r"\bk must be an integer >= 1"),
    (lambda: sparse(3, 10, _rng, k=2.0), TypeError, r"\bk must be an integer"),
]


@pytest.mark.parametrize("call, exc, pattern", BAD_INPUT)
def test_bad_input(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()
