"""coursepkg.optim: first steps by hand, convergence, Nesterov's two forms, purity, shapes, bad input."""
import copy
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from coursepkg import optim

ALL = {
    "sgd": lambda lr: optim.sgd(lr),
    "momentum": lambda lr: optim.momentum(lr, alpha=0.9),
    "nesterov": lambda lr: optim.nesterov(lr, alpha=0.9),
    "adagrad": lambda lr: optim.adagrad(lr),
    "rmsprop": lambda lr: optim.rmsprop(lr),
    "adam": lambda lr: optim.adam(lr),
    "adadelta": lambda lr: optim.adadelta(lr),
}


def run(opt, params, grad_fn, n_steps):
    """Iterate opt for n_steps on a dict of parameters; grad_fn maps params -> grads."""
    state = opt.init(params)
    for _ in range(n_steps):
        params, state = opt.step(params, grad_fn(params), state)
    return params, state


def one_key_steps(opt, x0, grads):
    """Apply opt to {"w": x0} with the given sequence of gradients; return the iterates."""
    p = {"w": np.asarray(x0, dtype=float)}
    s = opt.init(p)
    out = []
    for g in grads:
        p, s = opt.step(p, {"w": np.asarray(g, dtype=float)}, s)
        out.append(p["w"].copy())
    return out, s


# ---------------------------------------------------------------- first steps by hand


def test_sgd_first_steps_by_hand():
    xs, s = one_key_steps(optim.sgd(0.1), [1.0, -2.0], [[2.0, 4.0], [-1.0, 0.5]])
    # 1 - 0.1*2 = 0.8, -2 - 0.1*4 = -2.4; then 0.8 + 0.1 = 0.9, -2.4 - 0.05 = -2.45
    np.testing.assert_allclose(xs[0], [0.8, -2.4], rtol=0, atol=1e-15)
    np.testing.assert_allclose(xs[1], [0.9, -2.45], rtol=0, atol=1e-15)
    assert s["t"] == 2


def test_momentum_first_steps_by_hand():
    xs, s = one_key_steps(optim.momentum(0.1, alpha=0.5), [1.0], [[2.0], [2.0], [-4.0]])
    # v = 2, x = 0.8; v = 0.5*2 + 2 = 3, x = 0.5; v = 1.5 - 4 = -2.5, x = 0.75
    np.testing.assert_allclose(np.ravel(xs), [0.8, 0.5, 0.75], rtol=0, atol=1e-15)
    np.testing.assert_allclose(s["v"]["w"], [-2.5], rtol=0, atol=1e-15)


def test_nesterov_first_steps_by_hand():
    xs, s = one_key_steps(optim.nesterov(0.1, alpha=0.5), [1.0], [[2.0], [2.0], [-4.0]])
    # v = 2, x = 1 - 0.1*(2 + 1) = 0.7; v = 3, x = 0.7 - 0.1*(2 + 1.5) = 0.35;
    # v = -2.5, x = 0.35 - 0.1*(-4 - 1.25) = 0.875
    np.testing.assert_allclose(np.ravel(xs), [0.7, 0.35, 0.875], rtol=0, atol=1e-15)
    np.testing.assert_allclose(s["v"]["w"], [-2.5], rtol=0, atol=1e-15)


def test_adagrad_first_steps_by_hand():
    xs, s = one_key_steps(optim.adagrad(0.1, eps=0.5), [1.0], [[3.0], [4.0]])
    # r = 9, x = 1 - 0.1*3/(0.5 + 3) = 1 - 0.3/3.5; r = 25, x -= 0.1*4/(0.5 + 5)
    x1 = 1 - 0.3 / 3.5
    x2 = x1 - 0.4 / 5.5
    np.testing.assert_allclose(np.ravel(xs), [x1, x2], rtol=1e-15, atol=0)
    np.testing.assert_allclose(s["r"]["w"], [25.0], rtol=0, atol=0)


def test_rmsprop_first_steps_by_hand():
    xs, s = one_key_steps(optim.rmsprop(0.1, rho=0.75, eps=0.5), [1.0], [[2.0], [4.0]])
    # r = 0.25*4 = 1, x = 1 - 0.2/1.5; r = 0.75 + 0.25*16 = 4.75, x -= 0.4/(0.5 + sqrt(4.75))
    x1 = 1 - 0.2 / 1.5
    x2 = x1 - 0.4 / (0.5 + math.sqrt(4.75))
    np.testing.assert_allclose(np.ravel(xs), [x1, x2], rtol=1e-15, atol=0)
    np.testing.assert_allclose(s["r"]["w"], [4.75], rtol=1e-15, atol=0)


def test_adam_first_steps_by_hand():
    xs, s = one_key_steps(optim.adam(0.1, rho1=0.5, rho2=0.75, eps=0.5), [1.0], [[2.0], [4.0]])
    # t=1: m = 1, r = 1, m_hat = 1/0.5 = 2, r_hat = 1/0.25 = 4, x = 1 - 0.1*2/(0.5 + 2)
    # t=2: m = 0.5 + 2 = 2.5, r = 0.75 + 4 = 4.75, m_hat = 2.5/0.75, r_hat = 4.75/(1 - 0.5625)
    x1 = 1 - 0.2 / 2.5
    x2 = x1 - 0.1 * (2.5 / 0.75) / (0.5 + math.sqrt(4.75 / 0.4375))
    np.testing.assert_allclose(np.ravel(xs), [x1, x2], rtol=1e-15, atol=0)
    np.testing.assert_allclose(s["m"]["w"], [2.5], rtol=1e-15, atol=0)
    np.testing.assert_allclose(s["r"]["w"], [4.75], rtol=1e-15, atol=0)


def test_adam_first_step_is_lr_times_sign():
    """With bias correction the first step is eta g / (eps + |g|), whatever rho1 and rho2."""
    g = np.array([1e-3, -2.0, 5e3, 0.0])
    for rho1, rho2 in [(0.9, 0.999), (0.5, 0.5), (0.0, 0.0)]:
        xs, _ = one_key_steps(optim.adam(0.01, rho1=rho1, rho2=rho2, eps=1e-8), np.zeros(4), [g])
        np.testing.assert_allclose(xs[0], -0.01 * g / (1e-8 + np.abs(g)), rtol=1e-12, atol=0)


def test_special_cases_reduce_to_sgd():
    rng = np.random.default_rng(0)
    grads = rng.standard_normal((5, 3))
    ref, _ = one_key_steps(optim.sgd(0.05), np.ones(3), grads)
    for opt in (optim.momentum(0.05, alpha=0.0), optim.nesterov(0.05, alpha=0.0)):
        xs, _ = one_key_steps(opt, np.ones(3), grads)
        np.testing.assert_allclose(xs, ref, rtol=0, atol=1e-15)


def test_schedule_is_evaluated_at_the_step_count():
    seen = []

    def lr(t):
        seen.append(t)
        return 0.1 / t

    xs, s = one_key_steps(optim.sgd(lr), [0.0], [[1.0]] * 3)
    assert seen == [1, 2, 3]
    np.testing.assert_allclose(np.ravel(xs), [-0.1, -0.15, -0.1 - 0.05 - 0.1 / 3], rtol=1e-15)


def test_linear_decay_values_and_constant_after_tau():
    f = optim.linear_decay(0.1, 0.01, 10)
    for t in range(0, 11):
        assert f(t) == pytest.approx((1 - t / 10) * 0.1 + (t / 10) * 0.01, rel=1e-15)
    # after tau the rate stays at lr_tau (the slides misprint lr0 here)
    assert [f(t) for t in (11, 50, 10**6)] == [pytest.approx(0.01, rel=1e-15)] * 3
    assert f(10) == pytest.approx(f(11), rel=1e-15)  # continuous at tau


def test_linear_decay_drives_optimizer():
    opt = optim.momentum(optim.linear_decay(0.2, 0.02, 4), alpha=0.5)
    assert [opt.learning_rate(t) for t in (1, 4, 9)] == pytest.approx([0.155, 0.02, 0.02], rel=1e-12)
    assert "linear_decay" in repr(opt)


# ---------------------------------------------------------------- convergence


def quadratic_problem(rng, n=5, cond=10.0):
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = Q @ np.diag(np.linspace(1.0, cond, n)) @ Q.T
    b = rng.standard_normal(n)
    return A, b, np.linalg.solve(A, b)


# (optimizer, steps, tolerance on max |x - x*|): a condition number of 10, L = 10
QUADRATIC_CASES = [
    (optim.sgd(0.1), 300, 1e-10),
    (optim.momentum(0.05, alpha=0.5), 300, 1e-10),
    (optim.nesterov(0.05, alpha=0.5), 300, 1e-10),
    (optim.adagrad(0.5), 2000, 1e-10),
    (optim.rmsprop(optim.linear_decay(0.01, 1e-4, 1000)), 3000, 1e-4),
    (optim.adam(optim.linear_decay(0.05, 1e-3, 1500)), 3000, 1e-10),
]


@pytest.mark.parametrize("opt,n_steps,tol", QUADRATIC_CASES, ids=lambda c: repr(c) if isinstance(c, optim.Optimizer) else None)
def test_converges_on_quadratic(opt, n_steps, tol):
    A, b, x_star = quadratic_problem(np.random.default_rng(3))
    params, _ = run(opt, {"x": np.zeros(5)}, lambda p: {"x": A @ p["x"] - b}, n_steps)
    assert np.max(np.abs(params["x"] - x_star)) < tol


def rosenbrock_grad(p):
    x, y = p["xy"]
    return {"xy": np.array([-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)])}


# from the classic start (-1.2, 1) to the minimum (1, 1)
ROSENBROCK_CASES = [
    (optim.sgd(1e-3), 20000, 1e-3),
    (optim.momentum(1e-3, alpha=0.9), 5000, 1e-6),
    (optim.nesterov(1e-3, alpha=0.9), 5000, 1e-6),
    (optim.adagrad(0.3), 10000, 1e-2),
    (optim.rmsprop(optim.linear_decay(1e-2, 1e-5, 4000)), 5000, 1e-2),
    (optim.adam(0.02), 5000, 1e-6),
]


@pytest.mark.parametrize("opt,n_steps,tol", ROSENBROCK_CASES, ids=lambda c: repr(c) if isinstance(c, optim.Optimizer) else None)
def test_converges_on_rosenbrock(opt, n_steps, tol):
    params, _ = run(opt, {"xy": np.array([-1.2, 1.0])}, rosenbrock_grad, n_steps)
    assert np.max(np.abs(params["xy"] - 1.0)) < tol


def test_gd_stability_bound_on_quadratic():
    """GD on 1/2 x^T A x converges iff eta < 2 / lambda_max."""
    A, b, x_star = quadratic_problem(np.random.default_rng(4))
    L = np.linalg.eigvalsh(A).max()
    grad = lambda p: {"x": A @ p["x"] - b}  # noqa: E731
    below, _ = run(optim.sgd(0.95 * 2 / L), {"x": np.zeros(5)}, grad, 2000)
    above, _ = run(optim.sgd(1.05 * 2 / L), {"x": np.zeros(5)}, grad, 200)
    assert np.max(np.abs(below["x"] - x_star)) < 1e-8
    assert np.max(np.abs(above["x"] - x_star)) > 1e2


@pytest.mark.parametrize("alpha", [0.0, 0.5, 0.9])
def test_nesterov_equals_lookahead_form(alpha):
    """The package's form tracks phi_t = theta_t - eta alpha v_t of the look-ahead recursion."""
    rng = np.random.default_rng(5)
    A, b, _ = quadratic_problem(rng, n=4)
    eta = 0.05
    theta = rng.standard_normal(4)
    v = np.zeros(4)
    params = {"x": theta.copy()}
    opt = optim.nesterov(eta, alpha=alpha)
    state = opt.init(params)
    for _ in range(50):
        g_look = A @ (theta - eta * alpha * v) - b  # gradient at the look-ahead point
        v = alpha * v + g_look
        theta = theta - eta * v
        params, state = opt.step(params, {"x": A @ params["x"] - b}, state)
        np.testing.assert_allclose(params["x"], theta - eta * alpha * v, rtol=0, atol=1e-12)
        np.testing.assert_allclose(state["v"]["x"], v, rtol=0, atol=1e-12)


# ---------------------------------------------------------------- purity and shapes


@pytest.mark.parametrize("name", sorted(ALL))
def test_step_is_pure(name):
    rng = np.random.default_rng(6)
    opt = ALL[name](0.1)
    params = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal(3)}
    state = opt.init(params)
    params, state = opt.step(params, {k: rng.standard_normal(v.shape) for k, v in params.items()}, state)
    grads = {k: rng.standard_normal(v.shape) for k, v in params.items()}
    copies = copy.deepcopy((params, grads, state))
    new_params, new_state = opt.step(params, grads, state)
    for before, after in zip(copies, (params, grads, state)):
        assert before.keys() == after.keys()
    for k in params:
        np.testing.assert_array_equal(params[k], copies[0][k])
        np.testing.assert_array_equal(grads[k], copies[1][k])
        assert new_params[k] is not params[k]
    assert state["t"] == copies[2]["t"] == new_state["t"] - 1
    for slot in opt.slots:
        for k in params:
            np.testing.assert_array_equal(state[slot][k], copies[2][slot][k])
            assert new_state[slot][k] is not state[slot][k]
    # the same call again gives the same answer (no hidden state)
    again, _ = opt.step(params, grads, state)
    for k in params:
        np.testing.assert_array_equal(again[k], new_params[k])


@pytest.mark.parametrize("name", sorted(ALL))
@given(shapes=st.lists(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4), min_size=1, max_size=3),
       seed=st.integers(0, 2**32 - 1))
def test_any_shapes_and_keys_are_independent(name, shapes, seed):
    """Each array is updated entrywise and on its own: the result equals stepping one flat vector."""
    rng = np.random.default_rng(seed)
    opt = ALL[name](0.01)
    params = {f"p{i}": rng.standard_normal(s) for i, s in enumerate(shapes)}
    flat = {"all": np.concatenate([v.ravel() for v in params.values()])}
    state, flat_state = opt.init(params), opt.init(flat)
    for _ in range(3):
        grads = {k: rng.standard_normal(v.shape) for k, v in params.items()}
        params, state = opt.step(params, grads, state)
        flat, flat_state = opt.step(flat, {"all": np.concatenate([g.ravel() for g in grads.values()])}, flat_state)
        for k, v in params.items():
            assert v.shape == grads[k].shape and v.dtype == np.float64
    np.testing.assert_allclose(np.concatenate([v.ravel() for v in params.values()]), flat["all"], rtol=1e-14, atol=0)


@pytest.mark.parametrize("name", sorted(ALL))
def test_extreme_and_zero_gradients_give_no_warnings(name):
    opt = ALL[name](0.01)
    p = {"w": np.array([0.0, 1e4, -1e4, 3.0])}
    s = opt.init(p)
    for g in ([1e4, -1e4, 0.0, 1e-300], [0.0, 0.0, 0.0, 0.0]):
        p, s = opt.step(p, {"w": np.array(g)}, s)
        assert np.all(np.isfinite(p["w"]))


def test_integer_input_is_cast():
    opt = optim.adam(0.5)
    p, s = opt.step({"w": np.array([1, 2])}, {"w": np.array([3, -3])}, opt.init({"w": np.array([1, 2])}))
    assert p["w"].dtype == np.float64
    np.testing.assert_allclose(p["w"], [0.5, 2.5], rtol=1e-7)


def test_repr_shows_hyper_parameters():
    assert repr(optim.adam(0.01)) == "adam(lr=0.01, rho1=0.9, rho2=0.999, eps=1e-08)"
    assert repr(optim.nesterov(0.1, alpha=0.8)) == "nesterov(lr=0.1, alpha=0.8)"


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("name", sorted(ALL))
def test_grads_missing_or_extra_key(name):
    opt = ALL[name](0.1)
    params = {"W1": np.ones((2, 2)), "b1": np.ones(2)}
    state = opt.init(params)
    with pytest.raises(ValueError, match=r"grads must have the keys of params; missing \['b1'\], unexpected \[\]"):
        opt.step(params, {"W1": np.ones((2, 2))}, state)
    with pytest.raises(ValueError, match=r"missing \[\], unexpected \['W2'\]"):
        opt.step(params, {"W1": np.ones((2, 2)), "b1": np.ones(2), "W2": np.ones(1)}, state)


@pytest.mark.parametrize("name", sorted(ALL))
def test_grads_with_wrong_shape(name):
    opt = ALL[name](0.1)
    params = {"W1": np.ones((2, 3))}
    state = opt.init(params)
    with pytest.raises(ValueError, match=r"grads\['W1'\] must have the shape of params\['W1'\] \(2, 3\), got \(3, 2\)"):
        opt.step(params, {"W1": np.ones((3, 2))}, state)
    with pytest.raises(ValueError, match=r"got \(1, 3\)"):  # no silent broadcasting
        opt.step(params, {"W1": np.ones((1, 3))}, state)


P1, G1 = {"w": np.ones(2)}, {"w": np.ones(2)}
MOM = optim.momentum(0.1)
S1 = MOM.init(P1)

BAD = [
    (lambda: optim.sgd(-0.1), ValueError, "lr"),
    (lambda: optim.adam(0.0), ValueError, "lr"),
    (lambda: optim.sgd("0.1"), TypeError, "lr"),
    (lambda: optim.sgd(None), TypeError, "lr"),
    (lambda: optim.sgd(10 ** 400), ValueError, "lr"),
    (lambda: optim.momentum(0.1, alpha=1.0), ValueError, "alpha"),
    (lambda: optim.nesterov(0.1, alpha=-0.1), ValueError, "alpha"),
    (lambda: optim.rmsprop(0.1, rho=1.5), ValueError, "rho"),
    (lambda: optim.adadelta(rho=1.0), ValueError, "rho"),
    (lambda: optim.adam(0.1, rho1=1.0), ValueError, "rho1"),
    (lambda: optim.adam(0.1, rho2=-1.0), ValueError, "rho2"),
    (lambda: optim.adagrad(0.1, eps=0.0), ValueError, "eps"),
    (lambda: optim.adadelta(eps=-1e-6), ValueError, "eps"),
    (lambda: optim.Optimizer("x", 0.1, (), None), TypeError, "update"),
    (lambda: optim.Optimizer(3, 0.1, (), lambda *a: a), TypeError, "name"),
    (lambda: optim.Optimizer("x", 0.1, "v", lambda *a: a), TypeError, "slots"),
    (lambda: optim.sgd(0.1).learning_rate("abc"), TypeError, "t"),
    (lambda: optim.sgd(0.1).learning_rate(None), TypeError, "t"),
    (lambda: optim.sgd(0.1).learning_rate(-5), ValueError, "t"),
    (lambda: optim.sgd(lambda t: -1.0).step(P1, G1, optim.sgd(0.1).init(P1)), ValueError, r"lr\(1\)"),
    (lambda: MOM.init([np.ones(2)]), TypeError, "params"),
    (lambda: MOM.init({}), TypeError, "params"),
    (lambda: MOM.step(P1, {"w": np.array([1.0, np.nan])}, S1), ValueError, r"grads\['w'\]"),
    (lambda: MOM.step(P1, {"w": np.ones(3)}, S1), ValueError, r"grads\['w'\]"),
    (lambda: MOM.step(P1, {"u": np.ones(2)}, S1), ValueError, "grads"),
    (lambda: MOM.step(P1, G1, {"t": 0}), ValueError, "state"),
    (lambda: MOM.step(P1, G1, {**S1, "t": -1}), ValueError, r"state\['t'\]"),
    (lambda: MOM.step(P1, G1, MOM.init({"u": np.ones(2)})), ValueError, r"state\['v'\]"),
    (lambda: MOM.step(P1, G1, MOM.init({"w": np.ones(3)})), ValueError, r"state\['v'\]\['w'\]"),
    (lambda: optim.weight_decay(optim.sgd(0.1), -1.0), ValueError, "lam"),
    (lambda: optim.weight_decay("sgd", 0.1), TypeError, "optimizer"),
    (lambda: optim.linear_decay(0.1, -0.01, 10), ValueError, "lr_tau"),
    (lambda: optim.linear_decay(0.1, 0.01, 0), ValueError, "tau"),
    (lambda: optim.linear_decay(0.1, 0.01, 10.0), TypeError, "tau"),
    (lambda: optim.linear_decay(0.1, 0.01, 10)(-5), ValueError, "t"),
    (lambda: optim.linear_decay(0.1, 0.01, 10)("a"), TypeError, "t"),
] + [(lambda name=name: ALL[name](0.1).step(P1, {"w": np.array([2e154, 1.0])}, ALL[name](0.1).init(P1)),
      ValueError, r"grads\['w'\]") for name in ("adagrad", "rmsprop", "adam", "adadelta")]


@pytest.mark.parametrize("call,exc,pattern", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_input_is_refused_naming_the_argument(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def test_linear_decay_schedule_accepts_numpy_integers():
    f = optim.linear_decay(0.1, 0.01, 10)
    np.testing.assert_allclose([f(np.int64(5)), f(0)], [0.055, 0.1], rtol=1e-15, atol=0)


# ---------------------------------------------------------------- Adadelta, weight decay, one check per call


def adadelta_reference(x0, grads, rho, eps, lr=1.0):
    """Zeiler (2012), Algorithm 1, one scalar coordinate at a time, written out in plain Python."""
    out = []
    for x, gs in zip(x0, zip(*grads)):
        Eg2 = Edx2 = 0.0
        xs = []
        for g in gs:
            Eg2 = rho * Eg2 + (1 - rho) * g * g
            dx = -math.sqrt(Edx2 + eps) / math.sqrt(Eg2 + eps) * g
            Edx2 = rho * Edx2 + (1 - rho) * dx * dx
            x = x + lr * dx
            xs.append(x)
        out.append(xs)
    return np.array(out).T  # (steps, coordinates)


@pytest.mark.parametrize("rho,eps,lr", [(0.9, 1e-6, 1.0), (0.5, 1e-2, 0.3), (0.95, 1e-8, 2.0)])
def test_adadelta_against_an_independent_implementation(rho, eps, lr):
    rng = np.random.default_rng(11)
    x0 = rng.standard_normal(4)
    grads = list(rng.standard_normal((25, 4)) * np.array([1e-3, 1.0, 10.0, 1e3]))
    iterates, state = one_key_steps(optim.adadelta(lr, rho=rho, eps=eps), x0, grads)
    np.testing.assert_allclose(np.array(iterates), adadelta_reference(x0, grads, rho, eps, lr), rtol=1e-13, atol=1e-15)
    assert state["t"] == 25 and set(state) == {"t", "r", "u"}


def test_adadelta_converges_on_a_quadratic_without_a_learning_rate():
    A = np.diag([1.0, 10.0])
    x0 = np.array([3.0, -2.0])
    params, _ = run(optim.adadelta(), {"x": x0}, lambda p: {"x": A @ p["x"]}, 3000)
    assert params["x"] @ A @ params["x"] < 1e-3 * (x0 @ A @ x0)  # the loss fell by more than 1000x


@pytest.mark.parametrize("name", sorted(ALL))
def test_weight_decay_adds_lambda_w_to_weight_gradients_only(name):
    rng = np.random.default_rng(12)
    params = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal(3)}
    grads = {k: rng.standard_normal(v.shape) for k, v in params.items()}
    decayed = optim.weight_decay(ALL[name](0.1), 0.25)
    plain = ALL[name](0.1)
    got, _ = decayed.step(params, grads, decayed.init(params))
    want, _ = plain.step(params, {"W1": grads["W1"] + 0.25 * params["W1"], "b1": grads["b1"]}, plain.init(params))
    for k in params:
        np.testing.assert_array_equal(got[k], want[k])
    assert "weight_decay=0.25" in repr(decayed)


def test_step_checks_params_and_grads_once_and_not_its_state(monkeypatch):
    """Adam init + step on 4 arrays: 4 checks in init, 8 in step (42 on 6 arrays before the redesign)."""
    import coursepkg.optim as O
    calls = []
    real = O.as_array
    monkeypatch.setattr(O, "as_array", lambda x, name, **kw: calls.append(name) or real(x, name, **kw))
    params = {k: np.ones(3) for k in ("W1", "b1", "W2", "b2")}
    opt = optim.adam(0.1)
    state = opt.init(params)
    assert len(calls) == 4
    opt.step(params, params, state)
    assert sorted(calls[4:]) == sorted([f"params[{k!r}]" for k in params] + [f"grads[{k!r}]" for k in params])


@pytest.mark.parametrize("name", ["adagrad", "rmsprop", "adam", "adadelta"])
def test_running_sum_of_squares_that_overflows_is_refused(name):
    # each gradient is allowed (below MAX_SQUARED_GRAD), but a running sum of g * g near the top of
    # float64 overflows on the next step: a ValueError naming the slot and the step, no warning
    opt = getattr(optim, name)(0.1) if name != "adadelta" else optim.adadelta()
    p = {"w": np.zeros(2)}
    state = opt.init(p)
    slot = "r"
    state[slot] = {"w": np.full(2, 1.7e308)}
    g = {"w": np.full(2, 0.9e154)}
    if name == "adagrad":  # r + g*g = 1.7e308 + 8.1e307 overflows
        with pytest.raises(ValueError, match=r"adagrad: state\['r'\]\['w'\] overflowed float64 at step 1"):
            opt.step(p, g, state)
    else:  # the moving averages stay below the largest float: no error
        new_p, new_state = opt.step(p, g, state)
        assert np.all(np.isfinite(new_state["r"]["w"])) and np.all(np.isfinite(new_p["w"]))
