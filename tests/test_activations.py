"""Activations: values against scipy/numpy, derivatives through the gradient checker, extremes, bad input."""
import warnings

import numpy as np
import pytest
import scipy.special as sps
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coursepkg import activations as A
from coursepkg.gradcheck import numerical_jacobian

Z = np.array([-30.0, -5.0, -1.0, -1e-3, 0.0, 1e-3, 0.5, 2.0, 7.0, 30.0])
EXTREME = np.array([-1e4, -1e3, -745.0, -50.0, 0.0, 50.0, 709.0, 1e3, 1e4])
SMOOTH = ["sigmoid", "tanh", "softplus", "identity"]
ELEMENTWISE = SMOOTH + ["relu", "leaky_relu", "absolute", "smooth_relu"]


def test_values_against_references():
    np.testing.assert_allclose(A.sigmoid(Z), sps.expit(Z), rtol=1e-15)
    np.testing.assert_allclose(A.tanh(Z), np.tanh(Z), rtol=1e-15, atol=1e-16)
    np.testing.assert_allclose(A.softplus(Z), np.logaddexp(0.0, Z), rtol=1e-15)
    np.testing.assert_allclose(A.relu(Z), np.maximum(Z, 0.0))
    np.testing.assert_allclose(A.leaky_relu(Z, 0.1), np.where(Z > 0, Z, 0.1 * Z))
    np.testing.assert_allclose(A.absolute(Z), np.abs(Z))
    np.testing.assert_allclose(A.smooth_relu(Z, 4.0), np.logaddexp(0.0, 4.0 * Z) / 4.0, rtol=1e-15)
    M = np.stack([Z, Z[::-1] * 0.3])
    np.testing.assert_allclose(A.softmax(M), sps.softmax(M, axis=-1), rtol=1e-14)
    np.testing.assert_allclose(A.logsumexp(M), sps.logsumexp(M, axis=-1), rtol=1e-15)
    np.testing.assert_allclose(A.log_softmax(M, axis=0), sps.log_softmax(M, axis=0), rtol=1e-14)
    np.testing.assert_allclose(A.maxout(np.arange(6.0)[None], 3), [[2.0, 5.0]])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_prime_matches_numerical_derivative(name):
    f, fp = A.HIDDEN[name]
    z = Z[np.abs(Z) > 1e-2]  # away from the kinks of relu/abs
    method = "complex" if name in SMOOTH + ["smooth_relu"] else "central"
    num = np.diag(numerical_jacobian(f, z, method=method))
    tol = 1e-14 if method == "complex" else 1e-8
    np.testing.assert_allclose(fp(z), num, rtol=tol, atol=tol)


def test_relu_prime_at_zero_is_zero():
    assert A.relu_prime(0.0) == 0.0


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_extreme_inputs_are_finite_and_silent(name):
    f, fp = A.HIDDEN[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for z in (EXTREME, EXTREME + 1e-20j):
            assert np.all(np.isfinite(f(z))) and np.all(np.isfinite(fp(z)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.all(np.isfinite(A.softmax(EXTREME))) and np.isfinite(A.logsumexp(EXTREME))


def test_softmax_jacobian_matches_numerical():
    z = np.array([0.2, -1.0, 3.0, 0.5])
    np.testing.assert_allclose(A.softmax_jacobian(z), numerical_jacobian(A.softmax, z, method="complex"),
                               atol=1e-15)


finite = st.floats(-1e4, 1e4, allow_nan=False)


@given(arrays(np.float64, st.integers(1, 8), elements=finite))
def test_property_sigmoid_symmetry_and_softplus(z):
    np.testing.assert_allclose(A.sigmoid(-z), 1.0 - A.sigmoid(z), atol=1e-15)
    assert np.all(np.abs(A.softplus(z) - A.softplus(-z) - z) <= 1e-12 * (1 + np.abs(z)))
    np.testing.assert_allclose(A.tanh(z), 2 * A.sigmoid(2 * z) - 1, atol=1e-15)


@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 6)), elements=finite),
       st.floats(-1e3, 1e3))
def test_property_softmax_rows_sum_to_one_and_shift(z, c):
    a = A.softmax(z)
    np.testing.assert_allclose(a.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(A.softmax(z + c), a, atol=1e-12)


def test_bad_input():
    with pytest.raises(TypeError, match="z must be an array of numbers"):
        A.sigmoid("x")
    with pytest.raises(ValueError, match="z must be finite"):
        A.softmax([1.0, np.nan])
    with pytest.raises(ValueError, match="alpha must be > 0"):
        A.smooth_relu([1.0], alpha=0.0)
    with pytest.raises(ValueError, match=r"multiple of pieces \(4\)"):
        A.maxout(np.zeros((2, 6)), 4)
    with pytest.raises(ValueError, match=r"axis must be in \[-2, 2\)"):
        A.softmax(np.zeros((2, 3)), axis=2)
    with pytest.raises(ValueError, match="z must be 1-D"):
        A.softmax_jacobian(np.zeros((2, 2)))
