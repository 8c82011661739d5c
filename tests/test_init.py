"""coursepkg.init: shapes, variances (statistically) and bad input."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursepkg.init import he_normal, xavier_normal, xavier_uniform

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


@pytest.mark.parametrize("init, _", SCHEMES)
def test_bad_input(init, _):
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="n_out must be an integer >= 1"):
        init(0, 3, rng)
    with pytest.raises(TypeError, match="n_in must be an integer"):
        init(3, 2.5, rng)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        init(3, 2, 42)
