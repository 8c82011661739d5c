"""coursepkg.symbolic: the identity check (true identities, wrong variants rejected with a
numeric witness, no guessing), the expression builders against coursepkg.activations and
coursepkg.losses, and the gradient of an expression."""
import subprocess
import sys

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


# ---------------------------------------------------------------- expression builders
def test_sigmoid_derivative_through_the_helpers_and_wrong_variants():
    s = S.sigmoid_expr(z)
    d = S.gradient(s, [z])[0]
    assert S.is_identity(d, s * (1 - s))
    assert not S.is_identity(d, s * (1 + s))
    assert not S.is_identity(d, s ** 2)


def test_sigmoid_expr_matches_activations():
    s = S.sigmoid_expr(z)
    f, fp = sp.lambdify(z, s, "numpy"), sp.lambdify(z, sp.diff(s, z), "numpy")
    grid = np.linspace(-20, 20, 41)
    np.testing.assert_allclose(f(grid), A.sigmoid(grid), rtol=1e-14)
    np.testing.assert_allclose(fp(grid), A.sigmoid_prime(grid), rtol=1e-12, atol=1e-300)


def test_tanh_sigmoid_relation_and_the_notes_slip():
    th = sp.tanh(z).rewrite(sp.exp)
    assert S.is_identity(S.sigmoid_expr(z), (1 + th.subs(z, z / 2)) / 2)
    assert S.is_identity(th, 2 * S.sigmoid_expr(2 * z) - 1)
    # the notes' last step equates e^{-z/2}/(e^{z/2}+e^{-z/2}) with sigma(z); it is sigma(-z)
    notes = sp.exp(-z / 2) / (sp.exp(z / 2) + sp.exp(-z / 2))
    assert not S.is_identity(notes, S.sigmoid_expr(z))
    assert S.is_identity(notes, S.sigmoid_expr(-z))
    grid = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(A.sigmoid(grid), (1 + A.tanh(grid / 2)) / 2, rtol=1e-14, atol=1e-15)


def _softmax_jacobian(n):
    return S.activation_expr("softmax", zs(n)).jacobian(zs(n))


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_softmax_jacobian_identity_and_numeric(n):
    a = S.activation_expr("softmax", zs(n))
    assert S.is_identity(_softmax_jacobian(n), sp.diag(*a) - a * a.T)
    J = sp.lambdify([zs(n)], _softmax_jacobian(n), "numpy")
    zval = np.linspace(-1.5, 2.0, n)
    np.testing.assert_allclose(np.array(J(zval), dtype=float), A.softmax_jacobian(zval), rtol=0, atol=1e-15)


def test_softmax_jacobian_wrong_variant():
    a = S.activation_expr("softmax", zs(3))
    assert not S.is_identity(_softmax_jacobian(3), sp.diag(*a) + a * a.T)
    assert not S.is_identity(_softmax_jacobian(3), sp.diag(*a.applyfunc(lambda v: v * (1 - v))))


_J3 = sp.lambdify([zs(3)], _softmax_jacobian(3), "numpy")


@given(arrays(np.float64, 3, elements=st.floats(-30, 30)))
def test_property_symbolic_jacobian_equals_package(zval):
    np.testing.assert_allclose(np.array(_J3(zval), dtype=float), A.softmax_jacobian(zval), rtol=0, atol=1e-14)


def test_softmax_temperature_derivative_weighted_not_plain_mean():
    n = 3
    c = sp.Symbol("c", real=True)
    zv = sp.Matrix(zs(n))
    a = S.activation_expr("softmax", zs(n), temperature=c)
    d = sp.diff(a, c)
    mean_a = (a.T * zv)[0]
    assert S.is_identity(d, a.multiply_elementwise(zv - mean_a * sp.ones(n, 1)))
    assert not S.is_identity(d, a.multiply_elementwise(zv - sum(zv) / n * sp.ones(n, 1)))
    zval = np.array([0.4, -1.0, 1.3])
    f = sp.lambdify([c, zs(n)], d, "numpy")
    num = numerical_jacobian(lambda cc: A.softmax(cc[0] * zval), np.array([0.7]), method="complex")[:, 0]
    np.testing.assert_allclose(np.array(f(0.7, zval), dtype=float).ravel(), num, rtol=0, atol=1e-14)


# ---------------------------------------------------------------- gradient
def test_gradient_of_costs_matches_package_losses():
    n = 3
    zval, label = np.array([0.3, -1.2, 2.0]), 1
    y = ys(n)
    a = S.activation_expr("softmax", zs(n))
    delta = S.gradient(-sum(y[k] * sp.log(a[k]) for k in range(n)), zs(n))
    for lab in range(n):                           # a - e_y for every label
        e = sp.Matrix([int(j == lab) for j in range(n)])
        assert S.is_identity(delta.subs(dict(zip(y, e))), a - e)
    subs = {**dict(zip(zs(n), zval)), **dict(zip(y, [0, 1, 0]))}
    np.testing.assert_allclose(np.array(delta.subs(subs), dtype=float).ravel(),
                               L.softmax_cross_entropy_grad(zval[None], np.array([label]))[0], rtol=1e-13, atol=0)
    s = S.activation_expr("sigmoid", zs(n))
    bce = -sum(y[k] * sp.log(s[k]) + (1 - y[k]) * sp.log(1 - s[k]) for k in range(n))
    d_bce = S.gradient(bce, zs(n))
    assert S.is_identity(d_bce, s - sp.Matrix(y))
    assert not S.is_identity(d_bce, (s - sp.Matrix(y)).multiply_elementwise(s.applyfunc(lambda v: v * (1 - v))))


def test_gradient_bad_input():
    x = sp.Symbol("x")
    with pytest.raises(TypeError, match=r"variables\[0\] must be a SymPy Symbol"):
        S.gradient(x, [x + 1])
    with pytest.raises(ValueError, match="variables must not be empty"):
        S.gradient(x, [])
    with pytest.raises(TypeError, match="expr must be a SymPy expression"):
        S.gradient("x", [x])


# ---------------------------------------------------------------- bad input
def test_bad_arguments():
    with pytest.raises(ValueError, match=r"name must be one of \['sigmoid', 'linear', 'softmax'\], got 'relu'"):
        S.activation_expr("relu", zs(2))
    with pytest.raises(ValueError, match="temperature applies to the softmax only"):
        S.activation_expr("sigmoid", zs(2), temperature=2)
    with pytest.raises(TypeError, match="z must be a list, tuple or column Matrix"):
        S.activation_expr("linear", "z")
    with pytest.raises(TypeError, match=r"z\[0\] must be a SymPy expression"):
        S.activation_expr("linear", ["a"])
    with pytest.raises(ValueError, match="z must not be empty"):
        S.activation_expr("linear", [])


def test_is_identity_refuses_to_guess():
    # sin(10 pi x) vanishes at every sample point k/10 but is not the zero function
    x = sp.Symbol("x", real=True)
    with pytest.raises(ValueError, match="could not decide whether entry 0"):
        S.is_identity(sp.sin(10 * sp.pi * x), 0)


def test_floats_are_converted_to_their_exact_rational_values():
    # a SymPy number is exact already: it used to go through nsimplify and be rounded to 1
    near_one = sp.Rational(1.0 - 1e-12)
    assert not S.is_identity(near_one, 1)
    assert S.sigmoid_expr(near_one) == 1 / (1 + sp.exp(-near_one))
    assert not S.is_identity(1.0 - 1e-12, 1)
    assert not S.is_identity(1.0 + 2.0**-50, 1)
    assert S.is_identity(0.1, sp.Rational(1, 10))       # short forms kept when exact


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
