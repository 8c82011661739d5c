"""Symbolic derivations: each identity holds, a deliberately wrong variant is rejected,
and the SymPy expressions agree numerically with coursepkg.activations and coursepkg.losses."""
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coursepkg import activations as A
from coursepkg import losses as L
from coursepkg import symbolic as S
from coursepkg.gradcheck import numerical_jacobian

z = sp.Symbol("z", real=True)


def zs(n):
    return sp.symbols(f"z0:{n}", real=True)


def ys(n):
    return sp.symbols(f"y0:{n}", real=True)


def test_import_does_not_load_sympy():
    code = "import sys, coursepkg, coursepkg.symbolic; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- is_identity
def test_is_identity_true_false_and_matrices():
    x = sp.Symbol("x", real=True)
    assert S.is_identity(sp.cosh(x) ** 2 - sp.sinh(x) ** 2, 1)
    assert not S.is_identity(sp.cosh(x) ** 2 + sp.sinh(x) ** 2, 1)
    assert S.is_identity(sp.Matrix([x, 2 * x]), sp.Matrix([x, x + x]))
    assert not S.is_identity(sp.Matrix([x, 2 * x]), sp.Matrix([x, 3 * x]))


def test_is_identity_bad_input():
    x = sp.Symbol("x")
    with pytest.raises(TypeError, match="must both be matrices or both scalars"):
        S.is_identity(sp.Matrix([x]), x)
    with pytest.raises(ValueError, match="same shape"):
        S.is_identity(sp.Matrix([x]), sp.Matrix([x, x]))
    with pytest.raises(TypeError, match="lhs must be a SymPy expression"):
        S.is_identity("x", x)


# ---------------------------------------------------------------- sigmoid, tanh
def test_sigmoid_derivative_identity_and_wrong_variant():
    assert S.sigmoid_derivative_identity() is True
    s = S.sigmoid_expr(z)
    assert not S.is_identity(sp.diff(s, z), s * (1 + s))
    assert not S.is_identity(sp.diff(s, z), s ** 2)


def test_sigmoid_expr_matches_activations():
    s = S.sigmoid_expr(z)
    f, fp = sp.lambdify(z, s, "numpy"), sp.lambdify(z, sp.diff(s, z), "numpy")
    grid = np.linspace(-20, 20, 41)
    np.testing.assert_allclose(f(grid), A.sigmoid(grid), rtol=1e-14)
    np.testing.assert_allclose(fp(grid), A.sigmoid_prime(grid), rtol=1e-12, atol=1e-300)


def test_tanh_sigmoid_identity_and_the_notes_slip():
    assert S.tanh_sigmoid_identity() is True
    # the notes' last step equates e^{-z/2}/(e^{z/2}+e^{-z/2}) with sigma(z); it is sigma(-z)
    notes = sp.exp(-z / 2) / (sp.exp(z / 2) + sp.exp(-z / 2))
    assert not S.is_identity(notes, S.sigmoid_expr(z))
    assert S.is_identity(notes, S.sigmoid_expr(-z))
    grid = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(A.sigmoid(grid), (1 + A.tanh(grid / 2)) / 2, rtol=1e-14, atol=1e-15)


# ---------------------------------------------------------------- softmax
@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_softmax_jacobian_identity_and_numeric(n):
    assert S.softmax_jacobian_identity(n)
    J = sp.lambdify([zs(n)], S.softmax_jacobian(n), "numpy")
    zval = np.linspace(-1.5, 2.0, n)
    np.testing.assert_allclose(np.array(J(zval), dtype=float), A.softmax_jacobian(zval), atol=1e-15)


def test_softmax_jacobian_wrong_variant():
    a = S.activation_expr("softmax", zs(3))
    assert not S.is_identity(S.softmax_jacobian(3), sp.diag(*a) + a * a.T)
    assert not S.is_identity(S.softmax_jacobian(3), sp.diag(*a.applyfunc(lambda v: v * (1 - v))))


_J3 = sp.lambdify([zs(3)], S.softmax_jacobian(3), "numpy")


@given(arrays(np.float64, 3, elements=st.floats(-30, 30)))
def test_property_symbolic_jacobian_equals_package(zval):
    np.testing.assert_allclose(np.array(_J3(zval), dtype=float), A.softmax_jacobian(zval), atol=1e-14)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_softmax_derivative_signs(n):
    assert S.softmax_derivative_signs(n) is True
    J = A.softmax_jacobian(np.array([0.3, -2.0, 1.0, 4.0])[:n])
    assert np.all(np.diag(J) > 0) and np.all(J[~np.eye(n, dtype=bool)] < 0)


def test_softmax_inverse_identity_and_numeric():
    assert S.softmax_inverse_identity(4)
    zval = np.array([0.5, -3.0, 2.0, 7.0])
    shift = zval - np.log(A.softmax(zval))
    np.testing.assert_allclose(shift, A.logsumexp(zval) * np.ones(4), rtol=1e-14)
    # a wrong inverse (z_j = a_j + C) is not an identity
    a = S.activation_expr("softmax", zs(2))
    assert not S.is_identity(zs(2)[0] - a[0], zs(2)[1] - a[1])


def test_softmax_temperature_derivative_closed_form_and_wrong_variant():
    n = 3
    c = sp.Symbol("c", real=True)
    zv = sp.Matrix(zs(n))
    a = S.activation_expr("softmax", zs(n), temperature=c)
    mean_a = (a.T * zv)[0]
    d = S.softmax_temperature_derivative(n)
    assert S.is_identity(d, a.multiply_elementwise(zv - mean_a * sp.ones(n, 1)))
    plain_mean = sum(zv) / n
    assert not S.is_identity(d, a.multiply_elementwise(zv - plain_mean * sp.ones(n, 1)))
    # numeric: derivative in c of activations.softmax(c z) by the complex step
    zval = np.array([0.4, -1.0, 1.3])
    f = sp.lambdify([c, zs(n)], d, "numpy")
    num = numerical_jacobian(lambda cc: A.softmax(cc[0] * zval), np.array([0.7]), method="complex")[:, 0]
    np.testing.assert_allclose(np.array(f(0.7, zval), dtype=float).ravel(), num, atol=1e-14)


def test_softmax_temperature_limit():
    lim = S.softmax_temperature_limit([1.0, 3.0, 3.0, -2.0])
    assert lim == [0, sp.Rational(1, 2), sp.Rational(1, 2), 0]
    assert S.softmax_temperature_limit([0.25, -1.0]) == [1, 0]
    np.testing.assert_allclose(A.softmax(200 * np.array([1.0, 3.0, 3.0, -2.0])), [0, 0.5, 0.5, 0], atol=1e-80)
    with pytest.raises(ValueError, match="z must be finite"):
        S.softmax_temperature_limit([1.0, np.inf])


# ---------------------------------------------------------------- costs
def test_cross_entropy_stationary_point():
    points, curvature = S.cross_entropy_stationary_point()
    y = sp.Symbol("y", positive=True)
    assert points == [y]
    assert S.is_identity(curvature, 1 / (y * (1 - y)))
    assert not S.is_identity(curvature, -1 / (y * (1 - y)))
    # numeric: the cross-entropy as a function of a is minimal at a = y
    grid = np.linspace(0.01, 0.99, 99)
    for yv in (0.2, 0.5, 0.9):
        cost = -(yv * np.log(grid) + (1 - yv) * np.log(1 - grid))
        assert abs(grid[np.argmin(cost)] - yv) < 1e-12


def _closed_form(cost, activation, n):
    zv, yv = sp.Matrix(zs(n)), sp.Matrix(ys(n))
    a = S.activation_expr(activation, zs(n))
    if (cost, activation) == ("quadratic", "sigmoid"):
        return (a - yv).multiply_elementwise(a.applyfunc(lambda v: v * (1 - v)))
    if (cost, activation) == ("quadratic", "softmax"):
        return S.softmax_jacobian(n).T * (a - yv)
    if (cost, activation) == ("log_likelihood", "softmax"):
        return a * sum(yv) - yv
    return a - yv


@pytest.mark.parametrize("pair", S.OUTPUT_PAIRS)
def test_output_error_closed_forms(pair):
    n = 2
    delta = S.output_error(*pair, zs(n), ys(n))
    assert S.is_identity(delta, _closed_form(*pair, n))


def test_output_error_wrong_sign_detected():
    # the notes write delta^L = y - a for the quadratic cost with linear outputs
    delta = S.output_error("quadratic", "linear", zs(2), ys(2))
    assert not S.is_identity(delta, sp.Matrix(ys(2)) - sp.Matrix(zs(2)))
    # the sigma' factor is absent with the cross-entropy: a - y without it is right, with it wrong
    delta = S.output_error("cross_entropy", "sigmoid", zs(1), ys(1))
    assert not S.is_identity(delta, _closed_form("quadratic", "sigmoid", 1))


def test_log_likelihood_error_is_a_minus_y_for_every_label():
    n = 3
    delta = S.output_error("log_likelihood", "softmax", zs(n), ys(n))
    a = S.activation_expr("softmax", zs(n))
    for label in range(n):
        onehot = {ys(n)[j]: int(j == label) for j in range(n)}
        e = sp.Matrix([int(j == label) for j in range(n)])
        assert S.is_identity(delta.subs(onehot), a - e)


def test_output_error_matches_package_losses():
    zval, yval = np.array([0.3, -1.2, 2.0]), np.array([0.0, 1.0, 0.0])
    subs = lambda d: np.array(d.subs(dict(zip(zs(3) + ys(3), [*zval, *yval]))), dtype=float).ravel()
    d = S.output_error("cross_entropy", "sigmoid", zs(3), ys(3))
    np.testing.assert_allclose(subs(d), L.binary_cross_entropy_with_logits_grad(zval[None], yval[None])[0],
                               atol=1e-14)
    d = S.output_error("log_likelihood", "softmax", zs(3), ys(3))
    np.testing.assert_allclose(subs(d), L.softmax_cross_entropy_grad(zval[None], np.array([1]))[0], atol=1e-14)
    d = S.output_error("quadratic", "sigmoid", zs(3), ys(3))
    ref = L.quadratic_grad(A.sigmoid(zval)[None], yval[None])[0] * A.sigmoid_prime(zval)
    np.testing.assert_allclose(subs(d), ref, atol=1e-14)


@pytest.mark.parametrize("pair", [("quadratic", "sigmoid"), ("quadratic", "linear"),
                                  ("cross_entropy", "sigmoid"), ("log_likelihood", "softmax")])
def test_output_layer_gradients_chain_rule(pair):
    g = S.output_layer_gradients(*pair, n_in=2, n_out=2)
    assert S.is_identity(g["dW"], g["delta"] * g["x"].T)
    assert S.is_identity(g["db"], g["delta"])
    # the transposed outer product (x delta^T) is not the gradient
    assert not S.is_identity(g["dW"], g["x"] * g["delta"].T)


# ---------------------------------------------------------------- initialization and weight decay
def test_weighted_input_variance():
    assert S.weighted_input_variance([1] * 500 + [0] * 500, Fraction(1, 1000), 1) == sp.Rational(3, 2)
    assert S.weighted_input_variance([1] * 500 + [0] * 500, Fraction(1, 1000), 1) != sp.Rational(1, 2)
    assert S.weighted_input_variance([2.0, 0.5], 0.25, 0) == sp.Rational(17, 16)
    with pytest.raises(ValueError, match="weight_var must be a real number >= 0, got -1"):
        S.weighted_input_variance([1.0], -1.0, 0.0)
    with pytest.raises(ValueError, match="x must be 1-D"):
        S.weighted_input_variance([[1.0]], 1.0, 0.0)


def test_weight_decay_factor():
    eta, lam, n, m = sp.symbols("eta lambda n m", positive=True)
    assert S.is_identity(S.weight_decay_factor(limit=True), sp.exp(-eta * lam / m))
    assert not S.is_identity(S.weight_decay_factor(limit=True), sp.exp(-eta * lam / n))
    vals = {eta: sp.Rational(1, 2), lam: 5, n: 50000, m: 10}
    exact = float(S.weight_decay_factor().subs(vals))
    assert abs(exact - np.exp(-0.25)) / np.exp(-0.25) < 0.25 ** 2 * 10 / 50000  # (eta lam)^2/(2 n m) bound, x2
    with pytest.raises(TypeError, match="limit must be True or False"):
        S.weight_decay_factor(limit="yes")


# ---------------------------------------------------------------- bad input
def test_bad_arguments():
    with pytest.raises(ValueError, match=r"name must be one of \['sigmoid', 'linear', 'softmax'\], got 'relu'"):
        S.activation_expr("relu", zs(2))
    with pytest.raises(ValueError, match="temperature applies to the softmax only"):
        S.activation_expr("sigmoid", zs(2), temperature=2)
    with pytest.raises(ValueError, match="cost 'log_likelihood' is not used with activation 'linear'"):
        S.output_error("log_likelihood", "linear", zs(2), ys(2))
    with pytest.raises(ValueError, match="z and y must have the same length, got 2 and 3"):
        S.output_error("quadratic", "linear", zs(2), ys(3))
    with pytest.raises(TypeError, match="z must be a list, tuple or column Matrix"):
        S.output_error("quadratic", "linear", "z", ys(1))
    with pytest.raises(TypeError, match=r"z\[0\] must be a SymPy expression"):
        S.activation_expr("linear", ["a"])
    with pytest.raises(ValueError, match="n must be an integer >= 2, got 1"):
        S.softmax_derivative_signs(1)
    with pytest.raises(TypeError, match="n must be an integer"):
        S.softmax_jacobian(2.0)
    with pytest.raises(ValueError, match="n_in must be an integer >= 1, got 0"):
        S.output_layer_gradients("quadratic", "linear", 0, 1)
    with pytest.raises(ValueError, match="z must not be empty"):
        S.activation_expr("linear", [])


def test_is_identity_refuses_to_guess():
    # sin(10 pi x) vanishes at every sample point k/10 but is not the zero function
    x = sp.Symbol("x", real=True)
    with pytest.raises(ValueError, match="could not decide whether entry 0"):
        S.is_identity(sp.sin(10 * sp.pi * x), 0)


def _sym_cost(cost, a, y):
    if cost == "quadratic":
        return sum((a[j] - y[j]) ** 2 for j in range(len(a))) / 2
    if cost == "cross_entropy":
        return -sum(y[j] * sp.log(a[j]) + (1 - y[j]) * sp.log(1 - a[j]) for j in range(len(a)))
    return -sum(y[j] * sp.log(a[j]) for j in range(len(a)))


@pytest.mark.parametrize("pair", S.OUTPUT_PAIRS)
def test_output_error_passes_gradient_check(pair):
    from coursepkg.gradcheck import check_gradient
    n = 3
    z_s, y_s = zs(n), ys(n)
    yv = np.array([0.0, 1.0, 0.0]) if pair[0] == "log_likelihood" else np.array([0.2, 0.9, 0.5])
    a = S.activation_expr(pair[1], z_s)
    cost = sp.lambdify([z_s], _sym_cost(pair[0], a, y_s).subs(dict(zip(y_s, yv))), "numpy")
    delta = sp.lambdify([z_s], S.output_error(*pair, z_s, y_s).subs(dict(zip(y_s, yv))), "numpy")
    zv = np.array([0.4, -1.3, 2.1])
    res = check_gradient(lambda v: cost(v), lambda v: np.array(delta(v), dtype=float).ravel(), zv,
                         method="complex")
    assert res.max_rel_error < 1e-12, str(res)


def test_output_layer_weights_are_distinct_symbols_for_wide_layers():
    # w{j}{k} used to name w[1, 11] and w[11, 1] alike ("w111"): two weights, one symbol
    g = S.output_layer_gradients("quadratic", "linear", 12, 12)
    assert len(set(g["W"])) == 144 and len(g["W"].free_symbols) == 144
    assert g["W"][1, 11] != g["W"][11, 1]
    assert S.is_identity(g["dW"], g["delta"] * g["x"].T)
    # the names stay w{j}{k} where they are unambiguous
    assert str(S.output_layer_gradients("quadratic", "linear", 12, 2)["W"][1, 11]) == "w111"
    assert str(S.output_layer_gradients("quadratic", "linear", 2, 1)["W"][0, 1]) == "w01"


def test_floats_are_converted_to_their_exact_rational_values():
    # nsimplify(v, rational=True) rounds to ~15 digits: 1.0 - 1e-12 became 1 and tied with 1.0
    assert S.softmax_temperature_limit([1.0, 1.0 - 1e-12]) == [1, 0]
    assert S.softmax_temperature_limit([1e4 - 1e-9, 1e4, -3.0]) == [0, 1, 0]
    assert S.softmax_temperature_limit([0.1, 0.3, 0.3]) == [0, sp.Rational(1, 2), sp.Rational(1, 2)]
    x = 1.0 + 2.0**-50
    assert S.weighted_input_variance([x], 1, 0) == sp.Rational(x) ** 2
    assert S.weighted_input_variance([0.1, 0.2], 1, 0) == sp.Rational(1, 20)  # short forms kept when exact
    # a SymPy number is exact already: it used to go through nsimplify and be rounded to 1
    near_one = sp.Rational(1.0 - 1e-12)
    assert not S.is_identity(near_one, 1)
    assert S.sigmoid_expr(near_one) == 1 / (1 + sp.exp(-near_one))
    assert not S.is_identity(1.0 - 1e-12, 1)


def test_non_finite_numbers_are_rejected():
    x = sp.Symbol("x", real=True)
    with pytest.raises(ValueError, match="lhs must be finite, got nan"):
        S.is_identity(float("nan"), 1)
    with pytest.raises(ValueError, match="rhs must be finite, got inf"):
        S.is_identity(x, np.float64(np.inf))
    with pytest.raises(ValueError, match="z must be finite"):
        S.sigmoid_expr(float("-inf"))
    with pytest.raises(ValueError, match=r"z\[1\] must be finite"):
        S.activation_expr("linear", [x, complex(np.nan, 0)])
    assert S.is_identity(0.5, sp.Rational(1, 2)) and S.is_identity(1j, sp.I)


def test_screening_points_respect_the_symbols_assumptions():
    # the screening used to set every symbol to a fraction in [0.1, 0.9]: at n = 1/10,
    # ceil(n/2) + floor(n/2) - n = 0.9, so a true identity of integers was reported False
    n = sp.Symbol("n", integer=True)
    with pytest.raises(ValueError, match="could not decide"):
        S.is_identity(sp.ceiling(n / 2) + sp.floor(n / 2), n)
    assert S.is_identity(sp.ceiling(n / 2) + sp.floor(n / 2), n + 1) is False
    odd = sp.Symbol("m", odd=True)
    assert S.is_identity(sp.ceiling(odd / 2) - sp.floor(odd / 2), 0) is False
    neg = sp.Symbol("t", negative=True)
    assert S.is_identity(sp.log(-neg) * 2, sp.log(neg**2))
    assert S.is_identity(sp.Abs(neg) + neg, 1) is False
    for point in S._numeric_points(n + odd + neg):
        assert point[n].is_integer and point[odd].is_odd and point[neg].is_negative
