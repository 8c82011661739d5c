"""The forward pass of coursepkg.mlp: shapes, the parameter count, agreement with a per-example loop."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursepkg import activations as act
from coursepkg.gradcheck import check_gradient
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
