"""The forward pass of coursepkg.mlp: shapes, the parameter count, agreement with a per-example loop."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursepkg import activations as act
from coursepkg.gradcheck import check_gradient, numerical_gradient
from coursepkg.mlp import (MLP, activation_backward, activation_forward, count_parameters, init_params,
                           linear_backward, linear_forward, mlp_forward)


def loop_forward(params, x, hidden, output):
    """The textbook recursion a^l = g(W^l a^{l-1} + b^l), one example at a time."""
    L = len(params) // 2
    a = x
    for l in range(1, L + 1):
        z = params[f"W{l}"] @ a + params[f"b{l}"]
        name = hidden if l < L else output
        a = act.softmax(z) if name == "softmax" else act.HIDDEN[name][0](z)
    return a


@pytest.mark.parametrize("sizes", [[3, 1], [4, 5, 2], [2, 7, 3, 4], [6, 3, 3, 3, 5]])
@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "softplus", "smooth_relu"])
@pytest.mark.parametrize("output", ["softmax", "sigmoid", "identity"])
def test_batched_forward_equals_loop(sizes, hidden, output):
    rng = np.random.default_rng(1)
    net = MLP(sizes, hidden=hidden, output=output, rng=rng, init="normal")
    X = rng.standard_normal((9, sizes[0]))
    out = net.forward(X)
    assert out.shape == (9, sizes[-1])
    for i in range(9):
        np.testing.assert_allclose(out[i], loop_forward(net.params, X[i], hidden, output), rtol=1e-13, atol=1e-15)


@given(st.lists(st.integers(1, 50), min_size=2, max_size=6))
def test_property_parameter_count(sizes):
    params = init_params(sizes, "xavier", np.random.default_rng(0))
    assert count_parameters(sizes) == sum(p.size for p in params.values())
    assert MLP(sizes).n_params == count_parameters(sizes)


def test_parameter_shapes_follow_the_notes():
    net = MLP([64, 100, 10])
    assert net.params["W1"].shape == (100, 64) and net.params["b1"].shape == (100,)
    assert net.params["W2"].shape == (10, 100) and net.n_params == 7510
    assert list(net.params) == ["W1", "b1", "W2", "b2"]


def test_initializations_have_the_stated_variances():
    rng = np.random.default_rng(0)
    n_in, n_out = 400, 300
    for init, var in [("xavier", 2 / (n_in + n_out)), ("he", 2 / n_in), ("normal", 1.0)]:
        W = init_params([n_in, n_out], init, rng)["W1"]
        # sample variance of 120,000 draws: relative standard error sqrt(2/120000) ~ 0.4%
        assert abs(W.var() / var - 1) < 5 * np.sqrt(2 / W.size)
    assert np.all(init_params([3, 2], "xavier", rng)["b1"] == 0)


def test_seeded_initialization_is_reproducible():
    a = MLP([5, 4, 3], rng=np.random.default_rng(7)).params
    b = MLP([5, 4, 3], rng=np.random.default_rng(7)).params
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_predict():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 3))
    soft = MLP([3, 4, 5], rng=rng)
    assert soft.predict(X).shape == (6,) and np.array_equal(soft.predict(X), soft.forward(X).argmax(1))
    sig = MLP([3, 1], output="sigmoid", rng=rng)
    assert set(np.unique(sig.predict(X))) <= {0, 1} and sig.predict(X).shape == (6,)
    ident = MLP([3, 2], output="identity", rng=rng)
    np.testing.assert_array_equal(ident.predict(X), ident.forward(X))
    assert "sizes=[3, 2]" in repr(ident)


def test_natural_losses():
    assert MLP([2, 2]).loss == "cross_entropy"
    assert MLP([2, 1], output="sigmoid").loss == "binary_cross_entropy"
    assert MLP([2, 1], output="sigmoid", loss="quadratic").loss == "quadratic"
    assert MLP([2, 1], output="identity").loss == "quadratic"


def test_linear_and_activation_backward_pass_gradient_checks():
    rng = np.random.default_rng(3)
    A_prev, W, b = rng.standard_normal((4, 3)), rng.standard_normal((2, 3)), rng.standard_normal(2)
    G = rng.standard_normal((4, 2))  # upstream gradient: c = sum(G * Z)
    _, cache = linear_forward(A_prev, W, b)
    dA, dW, db = linear_backward(G, cache)
    assert check_gradient(lambda a: np.sum(G * linear_forward(a, W, b)[0]), dA, A_prev).max_rel_error < 1e-9
    assert check_gradient(lambda w: np.sum(G * linear_forward(A_prev, w, b)[0]), dW, W).max_rel_error < 1e-9
    assert check_gradient(lambda v: np.sum(G * linear_forward(A_prev, W, v)[0]), db, b).max_rel_error < 1e-9
    Z = rng.standard_normal((4, 2))
    for name in ["sigmoid", "tanh", "softplus", "smooth_relu", "softmax"]:
        _, c = activation_forward(Z, name, alpha=3.0)
        dZ = activation_backward(G, c)
        res = check_gradient(lambda z: np.sum(G * activation_forward(z, name, alpha=3.0)[0]), dZ, Z,
                             method="complex")
        assert res.max_rel_error < 1e-13, (name, str(res))


# ---------------------------------------------------------------------------
# Bad input: one table. Each row: the call, the exception, and a pattern that
# names the argument (the exact sentence is free to change).
# ---------------------------------------------------------------------------
from coursepkg import mlp as M  # noqa: E402

P = M.init_params([3, 4, 2], "xavier", np.random.default_rng(0))
X5, Y5 = np.zeros((5, 3)), np.zeros(5, dtype=int)
_, LIN = linear_forward(np.ones((4, 3)), np.ones((2, 3)), np.zeros(2))
_, ACT = activation_forward(np.ones((4, 2)), "tanh")


def with_(**entries):
    return {**P, **entries}


BAD = [
    (lambda: MLP([3, 4, 2]).forward(np.zeros((5, 4))), ValueError, "X must have 3 features"),
    (lambda: MLP([3, 4, 2]).forward(np.zeros(3)), ValueError, "X must be 2-D"),
    (lambda: MLP([3, 4, 2]).forward(np.full((1, 3), np.nan)), ValueError, "X must be finite"),
    (lambda: MLP([3, 4, 2]).forward(np.zeros((0, 3))), ValueError, "X must not be empty"),
    (lambda: MLP([3, 4, 2]).forward("data"), TypeError, "X must be"),
    (lambda: MLP([3]), ValueError, "sizes"),
    (lambda: MLP([3, 0, 2]), ValueError, r"sizes\[1\]"),
    (lambda: MLP(5), TypeError, "sizes"),
    (lambda: MLP([2, 10 ** 400]), ValueError, r"sizes\[1\]"),
    (lambda: MLP([2, 2], hidden="swish"), ValueError, "hidden"),
    (lambda: MLP([2, 2], output="tanh"), ValueError, "output"),
    (lambda: MLP([2, 2], output="softmax", loss="quadratic"), ValueError, "loss"),
    (lambda: MLP([2, 2], init="zeros"), ValueError, "init"),
    (lambda: MLP([2, 2], rng=42), TypeError, "rng"),
    (lambda: MLP([2, 2], hidden="smooth_relu", alpha=1e308), ValueError, "alpha"),
    (lambda: mlp_forward({"W1": np.zeros((2, 2))}, np.zeros((1, 2))), ValueError, "params"),
    (lambda: mlp_forward(with_(W2=np.zeros((2, 3))), np.zeros((1, 3))), ValueError, r"params\['W2'\]"),
    (lambda: mlp_forward([np.zeros((2, 2))], np.zeros((1, 2))), TypeError, "params"),
    (lambda: mlp_forward(with_(W1=None), X5), TypeError, r"params\['W1'\]"),
    (lambda: mlp_forward(with_(W1="abc"), X5), TypeError, r"params\['W1'\]"),
    (lambda: mlp_forward(with_(W1={"a": 1}), X5), TypeError, r"params\['W1'\]"),
    (lambda: mlp_forward(with_(W1=[[1.0, 2.0], [1.0]]), X5), TypeError, r"params\['W1'\]"),
    (lambda: mlp_forward(with_(W2=np.full((2, 4), np.nan)), X5), ValueError, r"params\['W2'\]"),
    (lambda: mlp_forward(P, X5, hidden="swish"), ValueError, "hidden"),
    (lambda: linear_forward(np.zeros((1, 2)), np.zeros((2, 2)), np.zeros(3)), ValueError, "b"),
    (lambda: linear_backward(np.zeros((2, 2)), LIN), ValueError, "dZ"),
    (lambda: linear_backward(np.ones((4, 2)), "abc"), TypeError, "cache"),
    (lambda: linear_backward(np.ones((4, 2)), (np.array(1.0), np.ones((2, 3)))), ValueError, "cache.A_prev"),
    (lambda: linear_backward(np.ones((4, 2)), (np.ones(3), np.ones((2, 3)))), ValueError, "cache.A_prev"),
    (lambda: activation_backward(np.ones((4, 2)), LIN), TypeError, "cache"),
    (lambda: activation_backward(np.ones((4, 2)), (ACT.Z, ACT.Z, "bogus", 1.0)), ValueError, "cache.name"),
    (lambda: activation_backward(np.ones((3, 2)), ACT), ValueError, "dA"),
    (lambda: activation_forward(np.ones((2, 2)), "swish"), ValueError, "name"),
    (lambda: mlp_loss_and_grads(P, np.zeros((5, 4)), Y5), ValueError, "X must have 3"),
    (lambda: mlp_loss_and_grads(P, X5, np.array([0, 1, 2, 0, 1])), ValueError, "y must hold integers"),
    (lambda: mlp_loss_and_grads(P, X5, np.array([0, 1, -1, 0, 1])), ValueError, "y must hold integers"),
    (lambda: mlp_loss_and_grads(P, X5, np.zeros((5, 2), dtype=int)), ValueError, "y must be 1-D"),
    (lambda: mlp_loss_and_grads(P, X5, np.zeros(4, dtype=int)), ValueError, "y must have one label"),
    (lambda: mlp_loss_and_grads(P, X5, np.full(5, 0.5)), ValueError, "y must hold integer"),
    (lambda: mlp_loss_and_grads(P, X5, "abcde"), TypeError, "y must be"),
    (lambda: mlp_loss_and_grads(P, X5, [[0], [1, 2], 0, 0, 0]), TypeError, "y must be"),
    (lambda: mlp_loss_and_grads(P, X5, np.zeros(5), output="sigmoid"), ValueError, r"y must have shape \(5, 2\)"),
    (lambda: mlp_loss_and_grads(P, X5, np.zeros((5, 3)), output="sigmoid"), ValueError, r"y must have shape"),
    (lambda: mlp_loss_and_grads(P, X5, np.full((5, 2), 2.0), output="sigmoid"), ValueError, r"y must hold targets"),
    (lambda: mlp_loss_and_grads(P, X5, np.full((5, 2), np.inf), output="identity"), ValueError, "y must be finite"),
    (lambda: mlp_loss_and_grads(P, X5, Y5, output="softmax", loss="quadratic"), ValueError, "loss"),
    (lambda: mlp_loss_and_grads(P, X5, Y5, hidden="swish"), ValueError, "hidden"),
    (lambda: mlp_loss_and_grads(P, X5, Y5, alpha=0.0), ValueError, "alpha"),
    (lambda: mlp_loss_and_grads(P, X5, Y5, "smooth_relu", alpha=1e308), ValueError, "alpha"),
    (lambda: mlp_loss_and_grads(P, X5, Y5, dropout=0.5), TypeError, "rng"),
    (lambda: mlp_loss_and_grads(P, X5, Y5, dropout=0.5, layers=[2], rng=np.random.default_rng(0)),
     ValueError, "layers"),
]


@pytest.mark.parametrize("call,exc,pattern", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_input_is_refused_naming_the_argument(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def test_caches_are_named_tuples_and_still_unpack():
    rng = np.random.default_rng(3)
    Z, lin = linear_forward(rng.standard_normal((4, 3)), rng.standard_normal((2, 3)), np.zeros(2))
    A, acts = activation_forward(Z, "tanh")
    A_prev, W = lin  # positional, as the chapters unpack it
    assert A_prev is lin.A_prev and W is lin.W and acts.Z is Z and acts.A is A and acts.name == "tanh"
    dA_prev, dW, db = linear_backward(activation_backward(np.ones((4, 2)), tuple(acts)), tuple(lin))
    assert dA_prev.shape == (4, 3) and dW.shape == (2, 3) and db.shape == (2,)


def test_complex_bias_with_real_weights():
    """The complex step with respect to one bias (before: Z += b failed with a UFuncTypeError)."""
    rng = np.random.default_rng(5)
    net = MLP([3, 4, 2], hidden="tanh", rng=rng)
    X, y = rng.standard_normal((6, 3)), rng.integers(0, 2, 6)
    _, g = net.loss_and_grads(X, y)
    P = dict(net.params)
    P["b1"] = P["b1"] + 1e-20j * np.eye(4)[2]
    value, _ = mlp_loss_and_grads(P, X, y, "tanh")
    np.testing.assert_allclose(value.imag / 1e-20, g["b1"][2], rtol=1e-13, atol=1e-16)


def test_init_params_draws_through_coursepkg_init():
    from coursepkg import init
    p = M.init_params([5, 4, 3], "he", np.random.default_rng(2))
    rng = np.random.default_rng(2)
    np.testing.assert_array_equal(p["W1"], init.he_normal(4, 5, rng))
    np.testing.assert_array_equal(p["W2"], init.he_normal(3, 4, rng))
    assert not p["b1"].any() and not p["b2"].any()


def test_validates_each_array_once(monkeypatch):
    """mlp_forward on a 3-layer net checks 6 parameters + X once each (22 calls before the redesign),
    plus one check of Z per layer by the public activation it calls."""
    import coursepkg._validation as V
    calls = []
    real = V.as_array
    monkeypatch.setattr(V, "as_array", lambda x, name, **kw: calls.append(name) or real(x, name, **kw))
    params = M.init_params([4, 5, 6, 3], "xavier", np.random.default_rng(0))
    M.mlp_forward(params, np.ones((7, 4)))
    mine = [c for c in calls if c.startswith("params") or c == "X"]
    assert sorted(mine) == sorted([f"params[{k!r}]" for k in params] + ["X"])


# ---------------------------------------------------------------------------
# Back-propagation: MLP.loss_and_grads / mlp_loss_and_grads
# ---------------------------------------------------------------------------
from coursepkg import losses  # noqa: E402
from coursepkg.mlp import mlp_loss_and_grads  # noqa: E402

DEPTH_SIZES = {1: [3, 2], 2: [3, 4, 2], 3: [3, 4, 5, 2], 4: [3, 4, 3, 5, 2]}
OUTPUT_LOSSES = [("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy"),
                 ("sigmoid", "quadratic"), ("identity", "quadratic")]


def make_targets(rng, output, N, nL):
    if output == "softmax":
        return rng.integers(0, nL, N)
    if output == "sigmoid":
        return rng.integers(0, 2, (N, nL)).astype(float)
    return rng.standard_normal((N, nL))


def reference_loss(params, X, y, hidden, output, loss, alpha):
    """The loss through the (independently written) forward pass and coursepkg.losses."""
    A, caches = mlp_forward(params, X, hidden, output, alpha)
    Z = caches[-1].activation.Z  # logits of the output layer (caches[-1][1][0] positionally)
    assert Z is caches[-1][1][0]
    if output == "softmax":
        return losses.softmax_cross_entropy(Z, y)
    if loss == "binary_cross_entropy":
        return losses.binary_cross_entropy_with_logits(Z, y)
    return losses.quadratic(A, y)


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "softplus", "smooth_relu"])
@pytest.mark.parametrize("output,loss", OUTPUT_LOSSES)
def test_loss_and_grads_pass_gradient_check(depth, hidden, output, loss):
    rng = np.random.default_rng(depth)
    sizes = DEPTH_SIZES[depth]
    net = MLP(sizes, hidden=hidden, output=output, loss=loss, rng=rng, init="normal", alpha=2.5)
    X = rng.standard_normal((7, sizes[0]))
    y = make_targets(rng, output, 7, sizes[-1])
    value, grads = net.loss_and_grads(X, y)
    assert list(grads) == list(net.params)
    assert all(grads[k].shape == net.params[k].shape and grads[k].dtype == np.float64 for k in grads)

    def f(p):
        return reference_loss(p, X, y, hidden, output, loss, 2.5)

    assert np.isclose(value, f(net.params), rtol=1e-13, atol=0)
    # central differences (truncation O(h^2) + round-off): norm-wise relative error below 1e-8
    num = numerical_gradient(f, net.params, method="central")
    a, n = (np.concatenate([d[k].ravel() for k in d]) for d in (grads, num))
    assert np.linalg.norm(a - n) <= 1e-8 * np.linalg.norm(n)
    # complex step: no subtraction, so agreement to round-off. ReLU is piecewise linear
    # (analytic away from its kink, and no pre-activation sits at 0), so the step is valid there too.
    # Entries below 1e-3 of the largest are judged on that scale (floor): the sums over the batch
    # that form a tiny entry cancel, and its round-off is relative to the terms, not to the result.
    res = check_gradient(f, grads, net.params, method="complex", floor=1e-3)
    assert res.max_rel_error < 1e-12, str(res)


@pytest.mark.parametrize("output,loss", [("sigmoid", "binary_cross_entropy"), ("sigmoid", "quadratic"),
                                         ("identity", "quadratic")])
def test_single_output_accepts_1d_targets(output, loss):
    rng = np.random.default_rng(4)
    net = MLP([3, 4, 1], hidden="tanh", output=output, loss=loss, rng=rng)
    X = rng.standard_normal((6, 3))
    y = rng.integers(0, 2, 6).astype(float)
    v1, g1 = net.loss_and_grads(X, y)
    v2, g2 = net.loss_and_grads(X, y[:, None])
    assert v1 == v2 and all(np.array_equal(g1[k], g2[k]) for k in g1)


def test_pure_function_equals_method_and_accepts_complex_params():
    rng = np.random.default_rng(5)
    net = MLP([3, 4, 2], hidden="softplus", rng=rng)
    X, y = rng.standard_normal((5, 3)), np.array([0, 1, 1, 0, 1])
    v, g = net.loss_and_grads(X, y)
    v2, g2 = mlp_loss_and_grads(net.params, X, y, "softplus", "softmax", None, 1.0)
    assert v == v2 and all(np.array_equal(g[k], g2[k]) for k in g)
    # the complex step through loss_and_grads itself: Im c(W + ih E)/h = dc/dW_jk
    P = {k: v.astype(complex) for k, v in net.params.items()}
    P["W1"][2, 1] += 1e-20j
    vc, _ = mlp_loss_and_grads(P, X, y, "softplus")
    assert isinstance(vc, complex)
    assert abs(vc.imag / 1e-20 - g["W1"][2, 1]) <= 1e-14 * abs(g["W1"][2, 1])


def per_example_gradients(params, X, y, hidden, output, loss, alpha=1.0):
    """Textbook back-propagation, one example at a time, then averaged (the reference)."""
    L = len(params) // 2
    g, g_prime = act.HIDDEN[hidden]
    kw = {"alpha": alpha} if hidden == "smooth_relu" else {}
    total = {k: np.zeros_like(v) for k, v in params.items()}
    for x, t in zip(X, y):
        zs, as_ = [None], [x]
        for l in range(1, L + 1):
            zs.append(params[f"W{l}"] @ as_[-1] + params[f"b{l}"])
            as_.append(g(zs[-1], **kw) if l < L else
                       act.softmax(zs[-1]) if output == "softmax" else
                       act.sigmoid(zs[-1]) if output == "sigmoid" else zs[-1])
        target = np.eye(params[f"W{L}"].shape[0])[t] if output == "softmax" else np.atleast_1d(t)
        delta = as_[-1] - target
        if output == "sigmoid" and loss == "quadratic":
            delta = delta * act.sigmoid_prime(zs[-1])
        for l in range(L, 0, -1):
            total[f"W{l}"] += np.outer(delta, as_[l - 1])
            total[f"b{l}"] += delta
            if l > 1:
                delta = g_prime(zs[l - 1], **kw) * (params[f"W{l}"].T @ delta)
    return {k: v / len(X) for k, v in total.items()}


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "softplus", "smooth_relu"])
@pytest.mark.parametrize("output,loss", OUTPUT_LOSSES)
def test_batched_backprop_equals_per_example_loop(hidden, output, loss):
    rng = np.random.default_rng(6)
    sizes = [4, 6, 5, 3]
    net = MLP(sizes, hidden=hidden, output=output, loss=loss, rng=rng, alpha=3.0)
    X = rng.standard_normal((11, 4))
    y = make_targets(rng, output, 11, 3)
    _, grads = net.loss_and_grads(X, y)
    ref = per_example_gradients(net.params, X, y, hidden, output, loss, alpha=3.0)
    for k in grads:
        np.testing.assert_allclose(grads[k], ref[k], rtol=1e-12, atol=1e-15, err_msg=k)


def test_every_hidden_activation_trains_through_the_same_table():
    """mlp_forward, mlp_loss_and_grads and MLP accept the same hidden activations (activations.HIDDEN)."""
    rng = np.random.default_rng(7)
    X, y = rng.standard_normal((5, 3)), rng.integers(0, 2, 5)
    assert set(M.HIDDEN_ACTIVATIONS) == set(act.HIDDEN)
    for hidden in act.HIDDEN:
        net = MLP([3, 4, 2], hidden=hidden, rng=np.random.default_rng(1))
        value, grads = net.loss_and_grads(X, y)
        A, caches = mlp_forward(net.params, X, hidden)
        np.testing.assert_allclose(value, losses.softmax_cross_entropy(caches[-1].activation.Z, y), rtol=1e-14, atol=0)
        ref = per_example_gradients(net.params, X, y, hidden, "softmax", "cross_entropy")
        for k in grads:
            np.testing.assert_allclose(grads[k], ref[k], rtol=1e-12, atol=1e-15, err_msg=(hidden, k))


def test_dropout_backward_passes_gradient_check():
    """With the dropout masks held fixed (same seed), the gradient with dropout is exact."""
    rng = np.random.default_rng(8)
    net = MLP([4, 6, 5, 3], hidden="tanh", rng=rng)
    X, y = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)

    def f(p, layers=None):
        return mlp_loss_and_grads(p, X, y, "tanh", dropout=0.4, layers=layers, rng=np.random.default_rng(99))

    for layers in (None, [2]):
        value, grads = f(net.params, layers)
        res = check_gradient(lambda p: f(p, layers)[0], grads, net.params, method="complex")
        assert res.max_rel_error < 1e-12, str(res)
        assert value != net.loss_and_grads(X, y)[0]  # the masks changed the loss
    # only layer 2 dropped: layer 1's units all pass, so its mask is all ones
    _, _, masks = M._forward(net.params, X, "tanh", "softmax", 1.0, 0.4, np.random.default_rng(99), {2})
    assert masks[0] is None and set(np.unique(masks[1])) == {0.0, 1 / 0.6} and masks[2] is None


def test_tiny_network_against_sympy():
    """A 2-2-2 sigmoid/softmax network and a 2-2-1 sigmoid/quadratic one, derived symbolically."""
    sp = pytest.importorskip("sympy")
    rng = np.random.default_rng(9)
    X = rng.standard_normal((2, 2))

    def symbolic(n_out, output, loss, y):
        W1 = sp.Matrix(2, 2, sp.symbols("w1_:4"))
        b1 = sp.Matrix(sp.symbols("b1_:2"))
        W2 = sp.Matrix(n_out, 2, sp.symbols(f"w2_:{2 * n_out}"))
        b2 = sp.Matrix(sp.symbols(f"b2_:{n_out}"))
        sig = lambda z: 1 / (1 + sp.exp(-z))  # noqa: E731
        c = 0
        for x, t in zip(X, y):
            a1 = (W1 * sp.Matrix(x) + b1).applyfunc(sig)
            z2 = W2 * a1 + b2
            if output == "softmax":
                c += -(z2[t] - sp.log(sum(sp.exp(z) for z in z2)))
            else:
                c += sp.Rational(1, 2) * (sig(z2[0]) - t) ** 2
        c = c / len(X)
        symbols = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
        shapes = {"W1": (2, 2), "b1": (2,), "W2": (n_out, 2), "b2": (n_out,)}
        values = {k: rng.standard_normal(shape) for k, shape in shapes.items()}
        subs = {s: values[k].ravel()[i] for k, m in symbols.items() for i, s in enumerate(m)}
        grads = {k: np.array([float(sp.diff(c, s).subs(subs)) for s in m]).reshape(values[k].shape)
                 for k, m in symbols.items()}
        return values, float(c.subs(subs)), grads

    for n_out, output, loss, y in [(2, "softmax", None, np.array([1, 0])),
                                   (1, "sigmoid", "quadratic", np.array([1.0, 0.0]))]:
        params, c_sym, g_sym = symbolic(n_out, output, loss, y)
        c, g = mlp_loss_and_grads(params, X, y, "sigmoid", output, loss)
        assert abs(c - c_sym) <= 1e-13 * abs(c_sym)
        for k in g:
            np.testing.assert_allclose(g[k], g_sym[k], rtol=1e-11, atol=1e-14, err_msg=k)


def test_extreme_inputs_give_finite_losses_and_gradients():
    for hidden in ["sigmoid", "tanh", "relu", "softplus", "smooth_relu"]:
        for output, loss in OUTPUT_LOSSES[:3]:
            net = MLP([2, 3, 2], hidden=hidden, output=output, loss=loss, rng=np.random.default_rng(0))
            X = np.array([[1e4, -1e4], [-1e4, 1e4]])
            y = np.array([0, 1]) if output == "softmax" else np.array([[0.0, 1.0], [1.0, 0.0]])
            value, grads = net.loss_and_grads(X, y)
            assert np.isfinite(value) and all(np.all(np.isfinite(g)) for g in grads.values())
