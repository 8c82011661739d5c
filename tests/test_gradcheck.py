"""The gradient checker must find correct gradients correct and wrong ones wrong."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coursepkg.gradcheck import check_gradient, default_step, numerical_gradient, numerical_jacobian


def f_smooth(x):
    """A smooth scalar function with a known gradient, written so complex input passes through."""
    return np.sum(np.sin(x) * np.exp(0.5 * x)) + 0.25 * np.sum(x ** 2) ** 2


def grad_smooth(x):
    return (np.cos(x) + 0.5 * np.sin(x)) * np.exp(0.5 * x) + np.sum(x ** 2) * x


X0 = np.array([0.3, -1.2, 0.7, 2.0, -0.4])


def test_default_steps():
    eps = np.finfo(float).eps
    assert default_step("forward") == pytest.approx(np.sqrt(eps))
    assert default_step("central") == pytest.approx(eps ** (1 / 3))
    assert default_step("complex") == 1e-20


@pytest.mark.parametrize("method, tol", [("forward", 1e-6), ("central", 1e-10), ("complex", 1e-14)])
def test_correct_gradient_passes_at_the_expected_accuracy(method, tol):
    res = check_gradient(f_smooth, grad_smooth, X0, method=method)
    assert res.max_rel_error < tol, str(res)


def test_complex_step_reaches_machine_precision():
    g = numerical_gradient(f_smooth, X0, method="complex")
    np.testing.assert_allclose(g, grad_smooth(X0), rtol=4 * np.finfo(float).eps, atol=0)


@pytest.mark.parametrize("method", ["forward", "central", "complex"])
def test_one_percent_error_is_flagged_and_located(method):
    wrong = grad_smooth(X0)
    wrong[3] *= 1.01
    res = check_gradient(f_smooth, wrong, X0, method=method)
    assert 0.005 < res.max_rel_error < 0.02
    assert res.worst == "x[3]"
    assert "x[3]" in str(res) and method in str(res)


def test_dict_parameters_name_the_worst_entry():
    params = {"W1": np.array([[0.5, -1.0], [2.0, 0.1]]), "b1": np.array([0.3, -0.2])}

    def f(p):
        return np.sum(np.tanh(p["W1"] @ np.array([1.0, 2.0]) + p["b1"]) ** 2)

    def g(p):
        z = p["W1"] @ np.array([1.0, 2.0]) + p["b1"]
        dz = 2 * np.tanh(z) * (1 - np.tanh(z) ** 2)
        return {"W1": np.outer(dz, [1.0, 2.0]), "b1": dz}

    assert check_gradient(f, g, params).max_rel_error < 1e-9
    bad = g(params)
    bad["W1"][1, 0] += 0.05 * abs(bad["W1"][1, 0])
    res = check_gradient(f, bad, params)
    assert res.worst == "W1[1, 0]"
    reordered = {"b1": g(params)["b1"], "W1": g(params)["W1"]}  # key order must not matter
    assert check_gradient(f, reordered, params).max_rel_error < 1e-9
    with pytest.raises(ValueError, match="grad must be a dict with the keys of x"):
        check_gradient(f, {"W1": g(params)["W1"]}, params)
    num = numerical_gradient(f, params, method="complex")
    assert set(num) == {"W1", "b1"} and num["W1"].shape == (2, 2)


def test_jacobian_shape_and_values():
    A = np.array([[1.0, 2.0, 0.0], [0.5, -1.0, 3.0]])
    J = numerical_jacobian(lambda x: A @ x, np.ones(3), method="forward")
    assert J.shape == (2, 3)
    np.testing.assert_allclose(J, A, atol=1e-6)
    J2 = numerical_jacobian(lambda x: x ** 2, np.ones((2, 2)), method="complex")
    assert J2.shape == (2, 2, 2, 2)
    np.testing.assert_allclose(J2.reshape(4, 4), 2 * np.eye(4))


def test_zero_gradient_entries_do_not_blow_up():
    # d/dx1 of x0^2 at x = (1, 5) is exactly 0; round-off must not make the check fail
    res = check_gradient(lambda x: x[0] ** 2, lambda x: np.array([2 * x[0], 0.0]), np.array([1.0, 5.0]))
    assert res.max_rel_error < 1e-9
    zero = check_gradient(lambda x: 0.0 * np.sum(x), np.zeros(2), np.array([1.0, 2.0]))
    assert zero.max_rel_error == 0.0


@given(arrays(np.float64, st.integers(1, 6), elements=st.floats(-3, 3)))
def test_property_complex_step_matches_analytic(x):
    res = check_gradient(f_smooth, grad_smooth, x, method="complex")
    assert res.max_rel_error < 1e-13, str(res)


ONES2 = np.ones(2)

# One table of bad input: (exception, exact message start naming the argument, call).
BAD_INPUT = [
    (ValueError, r"method must be one of \['forward', 'central', 'complex'\], got 'backward'",
     lambda: numerical_gradient(np.sum, ONES2, method="backward")),
    (ValueError, r"h must be > 0.0, got 0.0", lambda: numerical_gradient(np.sum, ONES2, h=0.0)),
    (ValueError, r"x must be finite, got 1 NaN or infinite entry", lambda: numerical_gradient(np.sum, [1.0, np.nan])),
    (ValueError, r"x must not be empty", lambda: numerical_gradient(np.sum, np.array([]))),
    (TypeError, r"x must be real, got complex", lambda: numerical_gradient(np.sum, np.array([1j]))),
    (TypeError, r"x must be an array of numbers, got str 'ab'", lambda: numerical_gradient(np.sum, "ab")),
    (ValueError, r"f must return a scalar, got an array of shape \(2,\)", lambda: numerical_gradient(lambda x: x, ONES2)),
    (ValueError, r"x must not be an empty dict", lambda: numerical_gradient(lambda p: 0.0, {})),
    (TypeError, r"f must be a function, got NoneType None", lambda: numerical_gradient(None, ONES2)),
    (TypeError, r"f must be a function, got NoneType None", lambda: numerical_jacobian(None, ONES2)),
    (TypeError, r"f must be a function, got NoneType None", lambda: check_gradient(None, np.ones_like, ONES2)),
    (TypeError, r"grad must be a function or an array shaped like x, got NoneType",
     lambda: check_gradient(np.sum, None, ONES2)),
    (ValueError, r"grad must have the shape of x \(2,\), got \(3,\)", lambda: check_gradient(np.sum, np.ones(3), ONES2)),
    (TypeError, r"grad must be real", lambda: check_gradient(f_smooth, lambda x: grad_smooth(x) + 1j, X0)),
    (TypeError, r"grad must be an array of numbers", lambda: check_gradient(f_smooth, lambda x: "ab", X0)),
    (TypeError, r"x must be real", lambda: check_gradient(f_smooth, grad_smooth, X0 + 1j)),
    (TypeError, r"f must return a number, got str 'ab'", lambda: numerical_gradient(lambda x: "ab", X0)),
    (TypeError, r"f must return a number or an array of numbers, got str", lambda: numerical_jacobian(lambda x: "ab", X0)),
    # a step too small to resolve: refused, not a derivative of 0 (issue 15)
    (ValueError, r"h = 1e-320 is too small to move x: x \+ h\*max\(1, \|x_k\|\) rounds back to x at entry 0",
     lambda: numerical_gradient(np.sum, [1.0], h=1e-320)),
    (ValueError, r"h = 1e-320 is too small to move x", lambda: check_gradient(np.sum, np.ones_like, [1.0], h=1e-320)),
    (ValueError, r"h = 1e-17 is too small to move x", lambda: numerical_gradient(np.sum, [1.0], h=1e-17, method="forward")),
    (ValueError, r"h = 1e-320 is too small for the complex step",
     lambda: numerical_gradient(np.sum, [1.0], h=1e-320, method="complex")),
    # f misbehaving: output shape changes, NaN, complex output to a difference method (issue 16)
    (ValueError, r"f must return the same shape at every point, got \(2,\) and then \(1,\) at x - h\*e_0",
     lambda: numerical_jacobian(lambda v: v[:2] if v[0] >= 0.5 else v[:1], [0.5, 1.0])),
    (ValueError, r"f returned NaN or infinity at x \+ h\*e_0", lambda: numerical_gradient(lambda v: np.sum(v) * np.nan, [1.0])),
    (ValueError, r"f returned NaN or infinity at x \+ i\*h\*e_0",
     lambda: numerical_gradient(lambda v: np.sum(v) * np.nan, [1.0], method="complex")),
    (TypeError, r"f must return real values for method='central', got complex128 at x \+ h\*e_0",
     lambda: numerical_jacobian(lambda v: 1j * v, [1.0])),
]


@pytest.mark.parametrize("exc, message, call", BAD_INPUT)
def test_bad_input(exc, message, call):
    with pytest.raises(exc, match="^" + message):
        call()


def test_options_are_checked_before_f_is_evaluated():
    calls = []
    with pytest.raises(ValueError, match=r"^floor must be >= 0"):
        check_gradient(lambda x: calls.append(1) or f_smooth(x), grad_smooth, X0, floor=-1.0)
    assert calls == []


def test_tiny_steps_that_resolve_are_computed():
    # at x = 0 a step of 1e-320 does move x, and x + h, x - h are exact: the quotient is exact
    assert numerical_gradient(np.sum, [0.0], h=1e-320)[0] == 1.0
    assert numerical_gradient(lambda v: np.sum(v ** 3), [2.0], h=1e-300, method="complex")[0] == 12.0
    # the smallest base step that moves x = 1 both ways gives a finite, if rough, estimate
    assert abs(numerical_gradient(np.sum, [1.0], h=2.3e-16)[0] - 1.0) < 1.0


# ---------------------------------------------------------------- review fixes
def test_non_finite_derivatives_never_pass():
    # before: NaN entries compared as 0 error, so a NaN gradient "passed" with max_rel_error 0
    res = check_gradient(f_smooth, lambda x: np.where(np.arange(x.size) == 2, np.nan, grad_smooth(x)), X0)
    assert res.max_rel_error == np.inf and res.worst == "x[2]", str(res)
    res = check_gradient(f_smooth, lambda x: np.full(x.shape, np.inf), X0)
    assert not res.max_rel_error < 1.0


def test_gradient_of_the_wrong_shape_is_refused():
    # same number of entries, wrong layout: before, the flattened entries were compared silently
    W = np.arange(6.0).reshape(2, 3)
    with pytest.raises(ValueError, match=r"grad must have the shape of x \(2, 3\), got \(3, 2\)"):
        check_gradient(lambda V: np.sum(V * W), lambda V: W.T.copy(), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"grad\['a'\] must have the shape of x\['a'\] \(2, 3\), got \(6,\)"):
        check_gradient(lambda d: np.sum(d["a"] * W), lambda d: {"a": W.ravel()}, {"a": np.ones((2, 3))})
    # lists and Python scalars of the right shape are fine
    assert check_gradient(lambda v: v ** 3, lambda v: 3 * v ** 2, 2.0).max_rel_error < 1e-9
    assert check_gradient(lambda d: np.sum(d["a"] ** 2), lambda d: {"a": [2.0, 4.0]},
                          {"a": np.array([1.0, 2.0])}).max_rel_error < 1e-9


