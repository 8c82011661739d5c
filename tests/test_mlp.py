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


def test_bad_input():
    net = MLP([3, 4, 2])
    with pytest.raises(ValueError, match=r"X must have 3 features per sample .* got shape \(5, 4\)"):
        net.forward(np.zeros((5, 4)))
    with pytest.raises(ValueError, match="X must be 2-D"):
        net.forward(np.zeros(3))
    with pytest.raises(ValueError, match="X must be finite"):
        net.forward(np.full((1, 3), np.nan))
    with pytest.raises(ValueError, match="X must not be empty"):
        net.forward(np.zeros((0, 3)))
    with pytest.raises(TypeError, match="X must be an array of numbers"):
        net.forward("data")
    with pytest.raises(ValueError, match="sizes must list at least"):
        MLP([3])
    with pytest.raises(ValueError, match=r"sizes\[1\] must be an integer >= 1, got 0"):
        MLP([3, 0, 2])
    with pytest.raises(TypeError, match="sizes must be a sequence"):
        MLP(5)
    with pytest.raises(ValueError, match="hidden must be one of"):
        MLP([2, 2], hidden="swish")
    with pytest.raises(ValueError, match="output must be one of"):
        MLP([2, 2], output="tanh")
    with pytest.raises(ValueError, match="loss must be one of"):
        MLP([2, 2], output="softmax", loss="quadratic")
    with pytest.raises(ValueError, match="init must be one of"):
        MLP([2, 2], init="zeros")
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        MLP([2, 2], rng=42)
    with pytest.raises(ValueError, match="params must have keys"):
        mlp_forward({"W1": np.zeros((2, 2))}, np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"params\['W2'\] has 3 columns but layer 1 has 2 units"):
        mlp_forward({"W1": np.zeros((2, 2)), "b1": np.zeros(2), "W2": np.zeros((1, 3)), "b2": np.zeros(1)},
                    np.zeros((1, 2)))
    with pytest.raises(TypeError, match="params must be a dict"):
        mlp_forward([np.zeros((2, 2))], np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"b must have shape \(2,\)"):
        linear_forward(np.zeros((1, 2)), np.zeros((2, 2)), np.zeros(3))
    _, cache = linear_forward(np.zeros((1, 2)), np.zeros((2, 2)), np.zeros(2))
    with pytest.raises(ValueError, match=r"dZ must have shape \(1, 2\)"):
        linear_backward(np.zeros((2, 2)), cache)


# ---------------------------------------------------------------------------
# Back-propagation: MLP.loss_and_grads / mlp_loss_and_grads
# ---------------------------------------------------------------------------
from coursepkg import datasets, losses, optim  # noqa: E402
from coursepkg.mlp import (_backward, _forward, _loss_value, _output_delta, mlp_loss_and_grads)  # noqa: E402

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
    Z = caches[-1][1][0]  # logits of the output layer
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


@pytest.mark.parametrize("hidden", ["sigmoid", "relu", "smooth_relu"])
@pytest.mark.parametrize("output,loss", OUTPUT_LOSSES)
def test_training_internals_equal_the_public_function(hidden, output, loss):
    """fit's unchecked loss value, output error and backward agree with loss_and_grads."""
    rng = np.random.default_rng(7)
    net = MLP([5, 7, 4, 3], hidden=hidden, output=output, loss=loss, rng=rng, alpha=2.0)
    X = rng.standard_normal((9, 5))
    y = make_targets(rng, output, 9, 3)
    T = losses.one_hot(y, 3) if output == "softmax" else y
    value, grads = net.loss_and_grads(X, y)
    Zs, As, masks = _forward(net.params, X, 3, hidden, output, 2.0)
    assert np.isclose(_loss_value(Zs, As, T, output, loss), value, rtol=1e-13, atol=0)
    fast = _backward(net.params, Zs, As, masks, _output_delta(Zs, As, T, output, loss), 3, hidden, 2.0)
    for k in grads:
        np.testing.assert_allclose(fast[k], grads[k], rtol=1e-13, atol=1e-16, err_msg=k)


def test_dropout_backward_passes_gradient_check():
    """With the dropout mask held fixed (same seed), the backward pass is the exact gradient."""
    rng = np.random.default_rng(8)
    net = MLP([4, 6, 5, 3], hidden="tanh", rng=rng)
    X, y = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
    T = losses.one_hot(y, 3)

    def f(p):
        Zs, As, _ = _forward(p, X, 3, "tanh", "softmax", 1.0, 0.4, np.random.default_rng(99))
        return _loss_value(Zs, As, T, "softmax", "cross_entropy")

    Zs, As, masks = _forward(net.params, X, 3, "tanh", "softmax", 1.0, 0.4, np.random.default_rng(99))
    kept = masks[1][0]
    assert set(np.unique(kept)) == {0.0, 1 / 0.6}  # inverted scaling 1/(1-p)
    grads = _backward(net.params, Zs, As, masks, _output_delta(Zs, As, T, "softmax", "cross_entropy"),
                      3, "tanh", 1.0)
    res = check_gradient(f, grads, net.params, method="complex")
    assert res.max_rel_error < 1e-12, str(res)


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


def test_loss_and_grads_bad_input():
    net = MLP([3, 4, 2])
    X = np.zeros((5, 3))
    with pytest.raises(ValueError, match=r"X must have 3 features per sample .* got shape \(5, 4\)"):
        net.loss_and_grads(np.zeros((5, 4)), np.zeros(5, dtype=int))
    with pytest.raises(ValueError, match=r"y must hold integers in \[0, 2\), got values from 0 to 2"):
        net.loss_and_grads(X, np.array([0, 1, 2, 0, 1]))
    with pytest.raises(ValueError, match=r"y must hold integers in \[0, 2\), got values from -1 to 1"):
        net.loss_and_grads(X, np.array([0, 1, -1, 0, 1]))
    with pytest.raises(ValueError, match=r"y must be 1-D \(one label per sample\), got shape \(5, 2\)"):
        net.loss_and_grads(X, np.zeros((5, 2), dtype=int))
    with pytest.raises(ValueError, match=r"y must have one label per sample \(5\), got 4"):
        net.loss_and_grads(X, np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match="y must hold integer labels, got non-integer values"):
        net.loss_and_grads(X, np.full(5, 0.5))
    with pytest.raises(TypeError, match="y must be an array of integer labels"):
        net.loss_and_grads(X, "abcde")
    sig = MLP([3, 4, 2], output="sigmoid")
    with pytest.raises(ValueError, match=r"y must have shape \(5, 2\) for a network with 2 sigmoid outputs"):
        sig.loss_and_grads(X, np.zeros(5))
    with pytest.raises(ValueError, match=r"y must have shape \(5, 2\) \(one row of 2 targets per sample\)"):
        sig.loss_and_grads(X, np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"y must hold targets in \[0, 1\] for the binary cross-entropy"):
        sig.loss_and_grads(X, np.full((5, 2), 2.0))
    with pytest.raises(ValueError, match="y must be finite"):
        MLP([3, 2], output="identity").loss_and_grads(X, np.full((5, 2), np.inf))
    with pytest.raises(ValueError, match="loss must be one of"):
        mlp_loss_and_grads(net.params, X, np.zeros(5, dtype=int), output="softmax", loss="quadratic")
    with pytest.raises(ValueError, match="hidden must be one of"):
        mlp_loss_and_grads(net.params, X, np.zeros(5, dtype=int), hidden="leaky_relu")
    with pytest.raises(ValueError, match="alpha must be > 0"):
        mlp_loss_and_grads(net.params, X, np.zeros(5, dtype=int), alpha=0.0)
    with pytest.raises(ValueError, match="params must have keys"):
        mlp_loss_and_grads({"W1": np.zeros((2, 3))}, X, np.zeros(5, dtype=int))


def test_extreme_inputs_give_finite_losses_and_gradients():
    for hidden in ["sigmoid", "tanh", "relu", "softplus", "smooth_relu"]:
        for output, loss in OUTPUT_LOSSES[:3]:
            net = MLP([2, 3, 2], hidden=hidden, output=output, loss=loss, rng=np.random.default_rng(0))
            X = np.array([[1e4, -1e4], [-1e4, 1e4]])
            y = np.array([0, 1]) if output == "softmax" else np.array([[0.0, 1.0], [1.0, 0.0]])
            value, grads = net.loss_and_grads(X, y)
            assert np.isfinite(value) and all(np.all(np.isfinite(g)) for g in grads.values())


# ---------------------------------------------------------------------------
# Training: MLP.fit
# ---------------------------------------------------------------------------
class Delegating:
    """An optimizer that is not a coursepkg Optimizer: fit must use its public step."""

    def __init__(self, opt):
        self.opt, self.calls = opt, 0

    def init(self, params):
        return self.opt.init(params)

    def step(self, params, grads, state):
        self.calls += 1
        return self.opt.step(params, grads, state)


def test_fit_solves_xor():
    X, y = datasets.xor()
    net = MLP([2, 8, 2], hidden="tanh", rng=np.random.default_rng(0))
    hist = net.fit(X, y, optim.sgd(0.5), epochs=300, batch_size=4, rng=np.random.default_rng(1))
    assert hist["accuracy"][-1] == 1.0 and net.predict(X).tolist() == [0, 1, 1, 0]
    assert hist["loss"][-1] < 0.05 and len(hist["loss"]) == 300


def test_fit_reaches_97_percent_on_digits():
    d = datasets.load_digits()
    # the network of chapter 8 and of the benchmark: 64-100-10, sigmoid hidden units, softmax output
    net = MLP([64, 100, 10], hidden="sigmoid", rng=np.random.default_rng(2))
    hist = net.fit(d.X_train, d.y_train, optim.sgd(2.0), epochs=20, batch_size=10,
                   rng=np.random.default_rng(3), validation=(d.X_test, d.y_test))
    assert np.mean(net.predict(d.X_test) == d.y_test) >= 0.97
    assert hist["val_accuracy"][-1] == np.mean(net.predict(d.X_test) == d.y_test)
    assert set(hist) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 20 for v in hist.values())
    # validation metrics: the final parameters on the whole validation set
    assert np.isclose(hist["val_loss"][-1], net.loss_and_grads(d.X_test, d.y_test)[0], rtol=1e-12)
    assert hist["loss"][-1] < hist["loss"][0] and hist["accuracy"][-1] > 0.97


def test_fit_training_history_is_the_running_average_over_minibatches():
    rng = np.random.default_rng(15)
    X, y = rng.standard_normal((13, 3)), rng.integers(0, 3, 13)
    net = MLP([3, 5, 3], hidden="tanh", rng=np.random.default_rng(16))
    ref = MLP([3, 5, 3], hidden="tanh", rng=np.random.default_rng(16))
    hist = net.fit(X, y, optim.sgd(0.4), epochs=2, batch_size=5, rng=np.random.default_rng(17))
    shuffle = np.random.default_rng(17)
    for epoch in range(2):
        perm, total, correct = shuffle.permutation(13), 0.0, 0
        for start in range(0, 13, 5):
            idx = perm[start:start + 5]
            value, g = ref.loss_and_grads(X[idx], y[idx])
            total += value * len(idx)
            correct += np.sum(ref.predict(X[idx]) == y[idx])
            ref.params = {k: ref.params[k] - 0.4 * g[k] for k in g}
        assert np.isclose(hist["loss"][epoch], total / 13, rtol=1e-13)
        assert hist["accuracy"][epoch] == correct / 13


def test_fit_is_reproducible_and_leaves_inputs_alone():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((23, 3)), rng.integers(0, 3, 23)
    X0, y0 = X.copy(), y.copy()
    runs = []
    for _ in range(2):
        net = MLP([3, 5, 3], rng=np.random.default_rng(3))
        p0 = {k: v.copy() for k, v in net.params.items()}
        before = net.params  # the arrays themselves: fit must not update them in place
        hist = net.fit(X, y, optim.sgd(0.1), epochs=4, batch_size=5, rng=np.random.default_rng(4))
        assert all(np.array_equal(before[k], p0[k]) for k in p0)
        runs.append((hist, net.params))
    assert runs[0][0] == runs[1][0]
    assert all(np.array_equal(runs[0][1][k], runs[1][1][k]) for k in p0)
    assert np.array_equal(X, X0) and np.array_equal(y, y0)
    assert not np.array_equal(p0["W1"], runs[0][1]["W1"])


def test_fit_equals_manual_minibatch_sgd():
    """fit = shuffle with rng.permutation each epoch, then one sgd step per minibatch of loss_and_grads."""
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((13, 4)), rng.integers(0, 2, (13, 2)).astype(float)
    net = MLP([4, 6, 2], hidden="softplus", output="sigmoid", rng=np.random.default_rng(6))
    ref = MLP([4, 6, 2], hidden="softplus", output="sigmoid", rng=np.random.default_rng(6))
    net.fit(X, y, optim.sgd(0.3), epochs=3, batch_size=5, rng=np.random.default_rng(7))
    shuffle = np.random.default_rng(7)
    for _ in range(3):
        perm = shuffle.permutation(13)
        for start in range(0, 13, 5):
            idx = perm[start:start + 5]
            _, g = ref.loss_and_grads(X[idx], y[idx])
            ref.params = {k: ref.params[k] - 0.3 * g[k] for k in g}
    for k in net.params:
        np.testing.assert_allclose(net.params[k], ref.params[k], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("make", [lambda: optim.sgd(0.2), lambda: optim.sgd(optim.linear_decay(0.5, 0.05, 20)),
                                  lambda: getattr(optim, "momentum", optim.sgd)(0.1),
                                  lambda: getattr(optim, "adam", optim.sgd)(0.01)])
def test_fit_fast_path_equals_the_public_optimizer_interface(make):
    rng = np.random.default_rng(8)
    X, y = rng.standard_normal((30, 3)), rng.integers(0, 4, 30)
    hists, params = [], []
    for opt in [make(), Delegating(make())]:
        net = MLP([3, 7, 4], hidden="relu", rng=np.random.default_rng(9), init="he")
        hists.append(net.fit(X, y, opt, epochs=3, batch_size=7, rng=np.random.default_rng(10)))
        params.append(net.params)
    assert opt.calls == 3 * 5
    # plain SGD folds the learning rate into the output error (in-place update), which may
    # change the last bit; every other optimizer goes through the same update rule exactly
    assert hists[0]["accuracy"] == hists[1]["accuracy"]
    np.testing.assert_allclose(hists[0]["loss"], hists[1]["loss"], rtol=1e-12)
    for k in params[0]:
        np.testing.assert_allclose(params[0][k], params[1][k], rtol=1e-12, atol=1e-14)


def test_fit_history_for_other_outputs():
    rng = np.random.default_rng(11)
    X = rng.standard_normal((20, 2))
    reg = MLP([2, 4, 1], output="identity", rng=rng)
    hist = reg.fit(X, X[:, 0] * X[:, 1], optim.sgd(0.05), epochs=5, batch_size=4, rng=rng)
    assert set(hist) == {"loss"} and len(hist["loss"]) == 5
    y = (X[:, 0] > 0).astype(float)
    clf = MLP([2, 4, 1], output="sigmoid", rng=rng)
    hist = clf.fit(X, y, optim.sgd(0.5), epochs=5, batch_size=4, rng=rng, validation=(X, y))
    assert set(hist) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert hist["val_accuracy"][-1] == np.mean(clf.predict(X) == y)
    # Nielsen's network: one-hot targets on sigmoid outputs with the quadratic loss; accuracy by arg max
    labels = rng.integers(0, 3, 20)
    nielsen = MLP([2, 5, 3], output="sigmoid", loss="quadratic", init="normal", rng=rng)
    Y = losses.one_hot(labels, 3)
    hist = nielsen.fit(X, Y, optim.sgd(3.0), epochs=2, batch_size=5, rng=rng, validation=(X, Y))
    assert hist["val_accuracy"][-1] == np.mean(nielsen.forward(X).argmax(1) == labels)


def test_fit_alpha_schedule():
    rng = np.random.default_rng(12)
    X, y = rng.standard_normal((16, 2)), rng.integers(0, 2, 16)
    net = MLP([2, 5, 2], hidden="smooth_relu", rng=rng)
    hist = net.fit(X, y, optim.sgd(0.1), epochs=4, batch_size=8, rng=rng, alpha_schedule=lambda e: 2.0 ** e)
    assert hist["alpha"] == [1.0, 2.0, 4.0, 8.0] and net.alpha == 8.0
    # the validation loss of the last epoch is evaluated with the last alpha
    hist = net.fit(X, y, optim.sgd(0.1), epochs=2, batch_size=8, rng=rng, alpha_schedule=lambda e: 3.0 + e,
                   validation=(X, y))
    assert net.alpha == 4.0 and np.isclose(hist["val_loss"][-1], net.loss_and_grads(X, y)[0], rtol=1e-12)
    with pytest.raises(ValueError, match=r"alpha_schedule\(1\) must be > 0"):
        net.fit(X, y, optim.sgd(0.1), epochs=2, batch_size=8, rng=rng, alpha_schedule=lambda e: 1.0 - e)
    with pytest.raises(ValueError, match="alpha_schedule needs hidden='smooth_relu'"):
        MLP([2, 5, 2]).fit(X, y, optim.sgd(0.1), epochs=2, batch_size=8, rng=rng, alpha_schedule=lambda e: 1.0)


def test_fit_weight_decay_adds_lambda_w_to_the_weight_gradients():
    rng = np.random.default_rng(13)
    X, y = rng.standard_normal((10, 3)), rng.integers(0, 2, 10)
    net = MLP([3, 4, 2], rng=rng)
    p0 = {k: v.copy() for k, v in net.params.items()}
    _, g = net.loss_and_grads(X, y)
    net.fit(X, y, optim.sgd(0.1), epochs=1, batch_size=10, rng=rng, weight_decay=0.3)  # one full-batch step
    for k in p0:
        decay = 0.3 * p0[k] if k.startswith("W") else 0.0  # biases are not decayed
        np.testing.assert_allclose(net.params[k], p0[k] - 0.1 * (g[k] + decay), rtol=1e-13, atol=1e-15)


def test_fit_dropout():
    rng = np.random.default_rng(14)
    X, y = rng.standard_normal((40, 3)), rng.integers(0, 2, 40)
    a = MLP([3, 6, 2], rng=np.random.default_rng(1))
    b = MLP([3, 6, 2], rng=np.random.default_rng(1))
    ha = a.fit(X, y, optim.sgd(0.1), epochs=3, batch_size=8, rng=np.random.default_rng(2), dropout=0.0)
    hb = b.fit(X, y, optim.sgd(0.1), epochs=3, batch_size=8, rng=np.random.default_rng(2))
    assert ha == hb
    c = MLP([3, 6, 2], rng=np.random.default_rng(1))
    hc = c.fit(X, y, optim.sgd(0.1), epochs=3, batch_size=8, rng=np.random.default_rng(2), dropout=0.5,
               validation=(X, y))
    assert hc["loss"] != ha["loss"] and all(np.all(np.isfinite(v)) for v in c.params.values())
    # validation metrics are evaluated without dropout: the deterministic loss of the final parameters
    assert np.isclose(hc["val_loss"][-1], c.loss_and_grads(X, y)[0], rtol=1e-12)


def test_fit_early_stopping_restores_the_best_epoch():
    d = datasets.load_digits()
    Xtr, ytr = d.X_train[:200], d.y_train[:200]
    net = MLP([64, 30, 10], rng=np.random.default_rng(0))
    hist = net.fit(Xtr, ytr, optim.sgd(2.0), epochs=60, batch_size=10, rng=np.random.default_rng(1),
                   validation=(d.X_test, d.y_test), patience=3)
    best = hist["best_epoch"]
    assert best == int(np.argmin(hist["val_loss"])) + 1
    assert len(hist["val_loss"]) == best + 3 < 60  # stopped 3 epochs after the best
    # the restored parameters are those after `best` epochs of the same run
    ref = MLP([64, 30, 10], rng=np.random.default_rng(0))
    ref.fit(Xtr, ytr, optim.sgd(2.0), epochs=best, batch_size=10, rng=np.random.default_rng(1))
    assert all(np.array_equal(net.params[k], ref.params[k]) for k in ref.params)


def test_fit_bad_input():
    net = MLP([3, 4, 2])
    X, y, rng = np.zeros((6, 3)), np.zeros(6, dtype=int), np.random.default_rng(0)
    opt = optim.sgd(0.1)
    with pytest.raises(ValueError, match=r"X must have 3 features per sample .* got shape \(6, 2\)"):
        net.fit(np.zeros((6, 2)), y, opt, 1, 2, rng)
    with pytest.raises(ValueError, match=r"y must hold integers in \[0, 2\)"):
        net.fit(X, np.full(6, 5), opt, 1, 2, rng)
    with pytest.raises(ValueError, match=r"y must have one label per sample \(6\), got 5"):
        net.fit(X, np.zeros(5, dtype=int), opt, 1, 2, rng)
    with pytest.raises(TypeError, match="optimizer must have init"):
        net.fit(X, y, 0.1, 1, 2, rng)
    with pytest.raises(ValueError, match="epochs must be an integer >= 1, got 0"):
        net.fit(X, y, opt, 0, 2, rng)
    with pytest.raises(TypeError, match="batch_size must be an integer"):
        net.fit(X, y, opt, 1, 2.5, rng)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        net.fit(X, y, opt, 1, 2, 0)
    with pytest.raises(TypeError, match="validation must be a pair"):
        net.fit(X, y, opt, 1, 2, rng, validation=X)
    with pytest.raises(ValueError, match=r"validation\[0\] must have 3 features"):
        net.fit(X, y, opt, 1, 2, rng, validation=(np.zeros((2, 4)), np.zeros(2, dtype=int)))
    with pytest.raises(ValueError, match=r"validation\[1\] must hold integers in \[0, 2\)"):
        net.fit(X, y, opt, 1, 2, rng, validation=(X, np.full(6, 3)))
    with pytest.raises(ValueError, match="weight_decay must be >= 0"):
        net.fit(X, y, opt, 1, 2, rng, weight_decay=-1.0)
    with pytest.raises(ValueError, match="dropout must be < 1"):
        net.fit(X, y, opt, 1, 2, rng, dropout=1.0)
    with pytest.raises(ValueError, match="patience .* needs a validation set"):
        net.fit(X, y, opt, 1, 2, rng, patience=2)
    with pytest.raises(TypeError, match="alpha_schedule must be a function"):
        MLP([3, 2], hidden="smooth_relu").fit(X, y, opt, 1, 2, rng, alpha_schedule=2.0)


# ---------------------------------------------------------------- review fixes
from coursepkg import mlp as M  # noqa: E402
def test_backward_functions_check_their_cache():
    # before: a wrong cache failed inside tuple unpacking ("too many values to unpack")
    rng = np.random.default_rng(3)
    Z, lin = M.linear_forward(rng.standard_normal((4, 3)), rng.standard_normal((2, 3)), np.zeros(2))
    A, acts = M.activation_forward(Z, "tanh")
    with pytest.raises(TypeError, match=r"cache must be the \(A_prev, W\) tuple returned by linear_forward, got str"):
        M.linear_backward(np.ones((4, 2)), "abc")
    with pytest.raises(TypeError, match=r"cache must be the \(Z, A, name, alpha\) tuple returned by activation_forward"):
        M.activation_backward(np.ones((4, 2)), lin)  # the linear cache by mistake
    dA_prev, dW, db = M.linear_backward(M.activation_backward(np.ones((4, 2)), acts), lin)
    assert dA_prev.shape == (4, 3) and dW.shape == (2, 3) and db.shape == (2,)


def test_mlp_forward_names_the_bad_parameter():
    params = M.init_params([3, 4, 2], "xavier", np.random.default_rng(0))
    params["W2"] = params["W2"].copy()
    params["W2"][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"params\['W2'\] must be finite"):  # before: "W must be finite"
        M.mlp_forward(params, np.ones((2, 3)))


def test_fit_checks_parameters_set_by_hand():
    # before: fit copied self.params unchecked: NaN trained silently, wrong shapes failed inside numpy
    X, y = datasets.xor()
    net = MLP([2, 3, 2], rng=np.random.default_rng(0))
    net.params["W1"] = net.params["W1"].copy()
    net.params["W1"][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"params\['W1'\] must be finite"):
        net.fit(X, y, optim.sgd(0.1), 1, 4, np.random.default_rng(0))
    net = MLP([2, 3, 2], rng=np.random.default_rng(0))
    net.params = init_params([2, 5, 2], "xavier", np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"params\['W1'\] must have shape \(3, 2\) for sizes \[2, 3, 2\], got \(5, 2\)"):
        net.fit(X, y, optim.sgd(0.1), 1, 4, np.random.default_rng(0))
    net.params = init_params([2, 3, 3, 2], "xavier", np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"params must hold 2 layers for sizes \[2, 3, 2\]"):
        net.fit(X, y, optim.sgd(0.1), 1, 4, np.random.default_rng(0))
    net = MLP([2, 3, 2], rng=np.random.default_rng(0))
    net.params = {k: v.astype(np.float32) for k, v in net.params.items()}  # cast, as before
    net.fit(X, y, optim.sgd(0.1), 1, 4, np.random.default_rng(0))
    assert all(v.dtype == np.float64 for v in net.params.values())
