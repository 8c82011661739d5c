"""The tiny reverse-mode AD must agree with SymPy, with the complex step and with the MLP."""
import doctest
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from coursepkg import autodiff
from coursepkg.autodiff import Value, value_and_grad
from coursepkg.gradcheck import check_gradient, numerical_gradient
from coursepkg.mlp import MLP, mlp_forward

EPS = np.finfo(np.float64).eps


# --------------------------------------------------------------------------- single operations
def _grad_of(build, *xs):
    """Value and gradient of build(*values) at the numbers xs."""
    vs = [Value(x) for x in xs]
    out = build(*vs)
    out.backward()
    return out.data, [v.grad for v in vs]


UNARY = [  # (build on a Value, the same function in SymPy, points)
    (lambda a: a.exp(), sp.exp, [-3.0, 0.0, 1.7]),
    (lambda a: a.log(), sp.log, [0.01, 1.0, 5.0]),
    (lambda a: a.tanh(), sp.tanh, [-2.0, 0.0, 0.4]),
    (lambda a: a.sigmoid(), lambda s: 1 / (1 + sp.exp(-s)), [-4.0, 0.0, 2.5]),
    (lambda a: -a, lambda s: -s, [-1.0, 3.0]),
    (lambda a: a ** 3, lambda s: s ** 3, [-1.5, 0.0, 2.0]),
    (lambda a: a ** -2, lambda s: s ** -2, [-1.5, 0.5]),
    (lambda a: a ** 0.5, sp.sqrt, [0.25, 3.0]),
    (lambda a: a ** 0, lambda s: sp.Integer(1), [-2.0, 0.0, 3.0]),
    (lambda a: 2.0 ** a, lambda s: 2 ** s, [-1.0, 0.3]),
    (lambda a: 3.0 - a, lambda s: 3 - s, [0.7]),
    (lambda a: 3.0 / a, lambda s: 3 / s, [-0.7, 2.0]),
    (lambda a: 1.5 + a * 2.0, lambda s: sp.Rational(3, 2) + 2 * s, [0.1]),
]


@pytest.mark.parametrize("build, ref, points", UNARY)
def test_unary_operations_match_sympy(build, ref, points):
    s = sp.Symbol("s", real=True)
    f, df = sp.lambdify(s, ref(s)), sp.lambdify(s, sp.diff(ref(s), s))
    for x in points:
        value, (grad,) = _grad_of(build, x)
        assert value == pytest.approx(float(f(x)), rel=4 * EPS, abs=4 * EPS)
        assert grad == pytest.approx(float(df(x)), rel=8 * EPS, abs=8 * EPS)


BINARY = [
    (lambda a, b: a + b, lambda s, t: s + t),
    (lambda a, b: a - b, lambda s, t: s - t),
    (lambda a, b: a * b, lambda s, t: s * t),
    (lambda a, b: a / b, lambda s, t: s / t),
    (lambda a, b: a ** b, lambda s, t: s ** t),
]


@pytest.mark.parametrize("build, ref", BINARY)
@pytest.mark.parametrize("x, y", [(0.7, 1.3), (2.5, -0.4), (1.0, 3.0)])
def test_binary_operations_match_sympy(build, ref, x, y):
    s, t = sp.symbols("s t", real=True)
    expr = ref(s, t)
    value, grads = _grad_of(build, x, y)
    assert value == pytest.approx(float(expr.subs({s: x, t: y})), rel=4 * EPS)
    for g, var in zip(grads, (s, t)):
        exact = float(sp.diff(expr, var).subs({s: x, t: y}))
        assert g == pytest.approx(exact, rel=8 * EPS, abs=8 * EPS)


def test_relu_and_its_derivative_including_zero():
    for x, value, grad in [(-2.0, 0.0, 0.0), (0.0, 0.0, 0.0), (1.5, 1.5, 1.0)]:
        assert _grad_of(lambda a: a.relu(), x) == (value, [grad])


def test_composite_expression_against_sympy():
    s, t = sp.symbols("s t", real=True)
    expr = sp.tanh(s * t) + sp.exp(s) / t - sp.log(t) ** 2 + 1 / (1 + sp.exp(-(s - t))) + (s ** 2 + 1) ** sp.Rational(3, 2)

    def build(a, b):
        return (a * b).tanh() + a.exp() / b - b.log() ** 2 + (a - b).sigmoid() + (a ** 2 + 1) ** 1.5

    for x, y in [(0.3, 1.7), (-1.2, 0.4), (2.0, 3.5)]:
        value, grads = _grad_of(build, x, y)
        subs = {s: x, t: y}
        assert value == pytest.approx(float(expr.subs(subs)), rel=1e-14)
        np.testing.assert_allclose(grads, [float(sp.diff(expr, v).subs(subs)) for v in (s, t)], rtol=1e-13)


# --------------------------------------------------------------------------- the graph and the sweep
def test_shared_subexpressions_accumulate():
    # f = x^2 + x^2 * x = x^2 + x^3, used through one shared node a = x * x
    x = Value(1.5)
    a = x * x
    f = a + a * x
    f.backward()
    assert f.data == pytest.approx(1.5 ** 2 + 1.5 ** 3)
    assert x.grad == pytest.approx(2 * 1.5 + 3 * 1.5 ** 2, rel=4 * EPS)
    assert a.grad == pytest.approx(1 + 1.5, rel=4 * EPS)


def test_backward_twice_gives_the_same_gradients():
    x, y = Value(0.3), Value(-0.8)
    f = (x * y).tanh() * x + y.exp()
    f.backward()
    first = (x.grad, y.grad)
    f.backward()
    assert (x.grad, y.grad) == first


def test_intermediate_nodes_get_their_adjoints():
    x = Value(0.5)
    h = x.tanh()
    f = h * h
    f.backward()
    assert h.grad == pytest.approx(2 * math.tanh(0.5))
    assert f.grad == 1.0


def test_a_deep_chain_needs_no_recursion():
    x = Value(0.1)
    y = x
    for _ in range(20_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == 1.0


def test_constant_result_and_unused_inputs():
    value, grad = value_and_grad(lambda u: u[0] * 2.0, [1.0, 5.0])
    assert value == 2.0 and grad.tolist() == [2.0, 0.0]
    value, grad = value_and_grad(lambda u: 3.0, [1.0, 5.0])
    assert value == 3.0 and grad.tolist() == [0.0, 0.0]


def test_numpy_object_arrays_give_matrix_products():
    W = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]])
    x = np.array([0.3, -0.7, 1.1])

    def f(u):
        return np.sum((W @ u) ** 2)

    value, grad = value_and_grad(f, x)
    assert value == pytest.approx(np.sum((W @ x) ** 2), rel=1e-15)
    np.testing.assert_allclose(grad, 2 * W.T @ (W @ x), rtol=1e-14)


def test_repr_has_no_address():
    assert repr(Value(1.25)) == "Value(data=1.25, grad=0)"


# --------------------------------------------------------------------------- against the gradient checker
def f_numpy(x):
    """The same function as f_value, with numpy (complex input passes through)."""
    a, b, c = x[0], x[1], x[2]
    return np.tanh(a * b - c) + np.log(1 + a * a) * np.exp(0.5 * c) + b / (1 + c * c) + 1 / (1 + np.exp(-a * c))


def f_value(u):
    a, b, c = u
    return (a * b - c).tanh() + (1 + a * a).log() * (0.5 * c).exp() + b / (1 + c * c) + (a * c).sigmoid()


@pytest.mark.parametrize("method, tol", [("complex", 1e-14), ("central", 1e-9)])
def test_check_gradient_accepts_the_ad_gradient(method, tol):
    x0 = np.array([0.4, -1.3, 0.9])
    res = check_gradient(f_numpy, lambda x: value_and_grad(f_value, x)[1], x0, method=method)
    assert res.max_rel_error < tol, str(res)
    assert value_and_grad(f_value, x0)[0] == pytest.approx(f_numpy(x0), rel=1e-15)


def test_relu_network_against_central_differences():
    x0 = np.array([0.4, -1.3, 0.9, 0.2])

    def f_np(x):
        return np.maximum(np.maximum(x[0] * x[1] + x[2], 0) - x[3], 0) + np.maximum(x[0] - x[3], 0) * x[2]

    def f_v(u):
        return ((u[0] * u[1] + u[2]).relu() - u[3]).relu() + (u[0] - u[3]).relu() * u[2]

    res = check_gradient(f_np, lambda x: value_and_grad(f_v, x)[1], x0, method="central")
    assert res.max_rel_error < 1e-9, str(res)


# Random expressions: a tree of operations, evaluated once on Values and once with numpy on
# complex numbers (for the complex-step reference). The composite "safe" operations keep every
# primitive inside its domain: log(1 + e^2), e / (1 + d^2), exp(tanh(e)), (1 + e^2)^c.
def _leaf(n_vars):
    return st.one_of(st.tuples(st.just("x"), st.integers(0, n_vars - 1)),
                     st.tuples(st.just("c"), st.floats(-2, 2, allow_nan=False).map(lambda v: round(v, 3))))


def _expressions(n_vars):
    unary = ["neg", "exp_tanh", "log1p_sq", "tanh", "sigmoid", "pow"]
    binary = ["add", "sub", "mul", "div"]
    return st.recursive(
        _leaf(n_vars),
        lambda kids: st.one_of(
            st.tuples(st.sampled_from(unary), kids, st.sampled_from([0.5, 2.0, -1.0, 3.0])),
            st.tuples(st.sampled_from(binary), kids, kids)),
        max_leaves=10)


def _evaluate(tree, x, mode):
    kind = tree[0]
    if kind == "x":
        return x[tree[1]]
    if kind == "c":
        return tree[1]
    if kind in ("add", "sub", "mul", "div"):
        a, b = _evaluate(tree[1], x, mode), _evaluate(tree[2], x, mode)
        if kind == "add":
            return a + b
        if kind == "sub":
            return a - b
        if kind == "mul":
            return a * b
        return a / (1 + b * b)
    a = _evaluate(tree[1], x, mode)
    v = mode == "value" and isinstance(a, Value)
    if kind == "neg":
        return -a
    if kind == "exp_tanh":
        return a.tanh().exp() if v else np.exp(np.tanh(a))
    if kind == "log1p_sq":
        return (1 + a * a).log() if v else np.log(1 + a * a)
    if kind == "tanh":
        return a.tanh() if v else np.tanh(a)
    if kind == "sigmoid":
        return a.sigmoid() if v else 1 / (1 + np.exp(-a))
    return (1 + a * a) ** tree[2]


@given(_expressions(3), st.lists(st.floats(-2, 2, allow_nan=False), min_size=3, max_size=3))
def test_random_expressions_match_the_complex_step(tree, point):
    x0 = np.array(point)
    value = _evaluate(tree, x0, "numpy")
    assume(np.isfinite(value) and abs(value) < 1e8)
    v, g = value_and_grad(lambda u: _evaluate(tree, u, "value"), x0)
    assert v == pytest.approx(float(value), rel=1e-12, abs=1e-12)
    ref = numerical_gradient(lambda x: _evaluate(tree, x, "numpy"), x0, method="complex")
    scale = max(1.0, float(np.max(np.abs(ref))))
    np.testing.assert_allclose(g, ref, rtol=1e-11, atol=1e-11 * scale)


# --------------------------------------------------------------------------- against the MLP's forward pass
def test_a_network_built_from_values_reproduces_mlp_forward():
    rng = np.random.default_rng(3)
    net = MLP([2, 3, 2], hidden="tanh", output="softmax", rng=rng)
    X = rng.normal(size=(4, 2))
    A_np, _ = mlp_forward(net.params, X, hidden="tanh", output="softmax")
    P = {k: np.vectorize(Value, otypes=[object])(v) for k, v in net.params.items()}
    Z1 = X @ P["W1"].T + P["b1"]
    A1 = np.vectorize(lambda z: z.tanh(), otypes=[object])(Z1)
    Z2 = A1 @ P["W2"].T + P["b2"]
    E = np.vectorize(lambda z: z.exp(), otypes=[object])(Z2)
    A2 = E / E.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(np.vectorize(lambda a: a.data)(A2), A_np, rtol=1e-14)


# --------------------------------------------------------------------------- extreme and bad input
def test_extreme_inputs_give_finite_values_and_no_warnings():
    for x in (-1e4, 1e4):
        s = Value(x).sigmoid()
        s.backward()
        assert s.data == (1.0 if x > 0 else 0.0)
        t = Value(x).tanh()
        t.backward()
        assert abs(t.data) == 1.0
    x = Value(-1e4)
    e = x.exp()
    e.backward()
    assert e.data == 0.0 and x.grad == 0.0


@pytest.mark.parametrize("bad, error, match", [
    ("a", TypeError, "data must be a real number"),
    (None, TypeError, "data must be a real number"),
    (True, TypeError, "data must be a real number"),
    (1 + 2j, TypeError, "data must be a real number"),
    (np.array([1.0, 2.0]), TypeError, "data must be a real number"),
    (float("nan"), ValueError, "data must be finite"),
    (float("inf"), ValueError, "data must be finite"),
])
def test_bad_data_is_rejected(bad, error, match):
    with pytest.raises(error, match=match):
        Value(bad)


X2 = Value(2.0)

# One table of bad operations: (exception, message from its start, operation).
BAD_OPERATIONS = [
    (TypeError, r"the other operand of \+ must be a Value or a real number, got str 'a'", lambda: X2 + "a"),
    (TypeError, r"the other operand of \* must be a Value or a real number, got complex", lambda: X2 * (1 + 1j)),
    (ValueError, r"the other operand of \+ must be finite, got nan", lambda: Value(1.0) + float("nan")),
    (ValueError, r"the other operand of - must be finite, got inf", lambda: float("inf") - Value(1.0)),
    (TypeError, r"exponent must be a real number", lambda: X2 ** "2"),
    (ValueError, r"log needs a positive argument, got -1", lambda: Value(-1.0).log()),
    (ValueError, r"log needs a positive argument, got 0", lambda: Value(0.0).log()),
    (ValueError, r"the divisor of / must be nonzero, got 0 \(dividing 2 by zero\)", lambda: X2 / Value(0.0)),
    (ValueError, r"the divisor of / must be nonzero, got 0 \(dividing 1 by zero\)", lambda: Value(1.0) / 0.0),
    (ValueError, r"the divisor of / must be nonzero, got 0 \(dividing 1 by zero\)", lambda: 1.0 / Value(0)),
    (ValueError, r"a negative base \(-2\) needs an integer exponent", lambda: Value(-2.0) ** 0.5),
    (ValueError, r"a Value raised to a Value exponent needs a positive base", lambda: Value(-2.0) ** Value(2.0)),
    (ValueError, r"x \*\* 0.5 is not differentiable at x = 0", lambda: Value(0.0) ** 0.5),
    (OverflowError, r"exp\(1000\) overflows", lambda: Value(1000.0).exp()),
    (OverflowError, r"mul\(1e\+200, 1e\+200\) is not a finite float64", lambda: Value(1e200) * Value(1e200)),
    (OverflowError, r"pow\(10000, 100\) overflows float64", lambda: Value(1e4) ** 100),
    (OverflowError, r"pow\(10, 400\) overflows float64", lambda: 10.0 ** Value(400.0)),
    (OverflowError, r"div\(1, 9.99989e-321\) is not a finite float64", lambda: Value(1.0) / Value(1e-320)),
    # the value log(1e-320) = -736.8 is fine; its derivative 1e320 is not
    (OverflowError, r"the derivative of log at \(9.99989e-321\) overflows float64", lambda: Value(1e-320).log()),
    (TypeError, r"f must be a function, got NoneType None", lambda: value_and_grad(None, [1.0])),
]


@pytest.mark.parametrize("error, match, operation", BAD_OPERATIONS)
def test_bad_operations_raise_clear_errors(error, match, operation):
    with pytest.raises(error, match="^" + match):
        operation()


@pytest.mark.parametrize("bad, error, match", [
    ([[1.0, 2.0]], ValueError, "x must be 1-D"),
    ([], ValueError, "x must not be empty"),
    ([1.0, np.nan], ValueError, "x must be finite"),
    ([1j, 2.0], TypeError, "x must be real"),
    ("ab", TypeError, "x must be an array of numbers"),
])
def test_value_and_grad_rejects_bad_points(bad, error, match):
    with pytest.raises(error, match=match):
        value_and_grad(lambda u: u[0], bad)


def test_value_and_grad_rejects_a_non_scalar_result():
    with pytest.raises(TypeError, match="f must return a Value"):
        value_and_grad(lambda u: u, [1.0, 2.0])


def test_docstring_examples():
    result = doctest.testmod(autodiff, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("hidden", ["tanh", "sigmoid", "softplus"])
def test_autodiff_agrees_with_mlp_backpropagation(hidden):
    rng = np.random.default_rng(11)
    net = MLP([3, 4, 3], hidden=hidden, output="softmax", rng=rng)
    X = rng.normal(size=(6, 3))
    y = np.array([0, 2, 1, 1, 0, 2])
    unit = {"tanh": lambda z: z.tanh(), "sigmoid": lambda z: z.sigmoid(),
            "softplus": lambda z: (1 + z.exp()).log()}[hidden]
    P = {k: np.vectorize(Value, otypes=[object])(v) for k, v in net.params.items()}
    A1 = np.vectorize(unit, otypes=[object])(X @ P["W1"].T + P["b1"])
    Z2 = A1 @ P["W2"].T + P["b2"]
    loss = sum(sum(z.exp() for z in row).log() - row[k] for row, k in zip(Z2, y)) / len(y)
    loss.backward()
    ref_loss, ref = net.loss_and_grads(X, y)
    assert loss.data == pytest.approx(float(ref_loss), rel=1e-14)
    for k in net.params:
        got = np.vectorize(lambda v: v.grad)(P[k])
        np.testing.assert_allclose(got, ref[k], rtol=1e-12, atol=1e-15)


def test_value_and_grad_refuses_a_non_finite_constant():
    # before: a NaN returned by f came back as the value with a zero gradient
    with pytest.raises(ValueError, match=r"f\(x\) must be finite, got nan"):
        value_and_grad(lambda u: float("nan"), np.zeros(2))
    with pytest.raises(ValueError, match=r"f\(x\) must be finite, got inf"):
        value_and_grad(lambda u: np.float64(np.inf), np.zeros(2))
    with pytest.raises(TypeError, match="f must return a Value"):
        value_and_grad(lambda u: np.True_, np.zeros(2))
    assert value_and_grad(lambda u: np.float64(3.0), np.zeros(2))[0] == 3.0
