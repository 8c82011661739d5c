"""MLP.fit: minibatch training, its history, its hooks (early stopping, alpha schedule), and its errors."""
import numpy as np
import pytest

from coursepkg import datasets, losses, optim
from coursepkg.mlp import MLP, AlphaSchedule, EarlyStopping, init_params


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
                                  lambda: optim.momentum(0.1), lambda: optim.adam(0.01), lambda: optim.adadelta()])
def test_fit_uses_only_the_public_optimizer_interface(make):
    rng = np.random.default_rng(8)
    X, y = rng.standard_normal((30, 3)), rng.integers(0, 4, 30)
    hists, params = [], []
    for opt in [make(), Delegating(make())]:
        net = MLP([3, 7, 4], hidden="relu", rng=np.random.default_rng(9), init="he")
        hists.append(net.fit(X, y, opt, epochs=3, batch_size=7, rng=np.random.default_rng(10)))
        params.append(net.params)
    assert opt.calls == 3 * 5
    assert hists[0] == hists[1]  # one code path: identical to the last bit
    for k in params[0]:
        np.testing.assert_array_equal(params[0][k], params[1][k])


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
    with pytest.raises(ValueError, match=r"alpha_schedule\(1\)"):
        net.fit(X, y, optim.sgd(0.1), epochs=2, batch_size=8, rng=rng, alpha_schedule=lambda e: 1.0 - e)
    with pytest.raises(ValueError, match="alpha_schedule"):
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


def manual_history(net, X, y, lr, epochs, batch_size, seed):
    """The history fit must record, computed by a plain loop over loss_and_grads and predict."""
    T = np.asarray(y, float).reshape(len(X), -1)
    hist, shuffle = {"loss": [], "accuracy": []}, np.random.default_rng(seed)
    for _ in range(epochs):
        perm, total, correct = shuffle.permutation(len(X)), 0.0, 0
        for start in range(0, len(X), batch_size):
            idx = perm[start:start + batch_size]
            value, g = net.loss_and_grads(X[idx], y[idx])
            A = net.forward(X[idx])
            total += value * len(idx)
            correct += np.sum(np.all((A >= 0.5) == (T[idx] == 1), axis=1))
            net.params = {k: net.params[k] - lr * g[k] for k in g}
        hist["loss"].append(total / len(X))
        hist["accuracy"].append(correct / len(X))
    return hist


@pytest.mark.parametrize("output,loss", [("sigmoid", "binary_cross_entropy"), ("sigmoid", "quadratic"),
                                         ("identity", "quadratic")])
def test_fit_loss_history_for_sigmoid_and_identity_outputs(output, loss):
    """Running mean of the minibatch losses weighted by the minibatch sizes 5, 5, 3 (a '/ N' in place
    of '* N' in the running sum, or an unweighted mean, gives other numbers)."""
    rng = np.random.default_rng(21)
    X = rng.standard_normal((13, 3))
    y = (rng.random((13, 2)) < 0.5).astype(float) if output == "sigmoid" else rng.standard_normal((13, 2))
    net = MLP([3, 4, 2], hidden="tanh", output=output, loss=loss, rng=np.random.default_rng(22))
    ref = MLP([3, 4, 2], hidden="tanh", output=output, loss=loss, rng=np.random.default_rng(22))
    hist = net.fit(X, y, optim.sgd(0.3), epochs=3, batch_size=5, rng=np.random.default_rng(23))
    expected = manual_history(ref, X, y, 0.3, 3, 5, 23)
    np.testing.assert_allclose(hist["loss"], expected["loss"], rtol=1e-13, atol=0)
    if output == "sigmoid":  # 0/1 targets, several units and not one-hot: every unit on the right side of 1/2
        np.testing.assert_allclose(hist["accuracy"], expected["accuracy"], rtol=0, atol=0)
    else:
        assert "accuracy" not in hist


def test_fit_sigmoid_accuracy_does_not_depend_on_the_batch_size():
    """Targets mixing one-hot and all-zero rows: one scoring rule for the whole set (before: 1.0 / 0.83 /
    0.67 / 0.17 for batch sizes 1 / 2 / 3 / 6 with the same frozen parameters)."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((6, 2))
    Y = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 0], [0, 0, 1], [0, 0, 0], [1, 0, 0]], float)
    base = MLP([2, 3, 3], output="sigmoid", rng=np.random.default_rng(4))
    A = base.forward(X)
    expected = np.mean(np.all((A >= 0.5) == (Y == 1), axis=1))
    accuracies = []
    for batch in (1, 2, 3, 6):
        net = MLP([2, 3, 3], output="sigmoid", rng=np.random.default_rng(4))
        # lr tiny enough that the parameters are frozen to the decision: the predictions do not change
        hist = net.fit(X, Y, optim.sgd(1e-300), epochs=1, batch_size=batch, rng=np.random.default_rng(5),
                       validation=(X, Y))
        accuracies.append(hist["accuracy"][0])
        assert hist["val_accuracy"][0] == expected
    assert accuracies == [expected] * 4


def test_fit_stops_at_the_first_non_finite_loss():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 3)) * 100, rng.standard_normal((20, 1))
    net = MLP([3, 8, 1], hidden="relu", output="identity", rng=rng)
    with pytest.raises(ValueError, match=r"epoch \d+.*lr=1000"):
        net.fit(X, y, optim.sgd(1e3), epochs=50, batch_size=5, rng=rng)


def test_weight_decay_is_an_optimizer_wrapper():
    rng = np.random.default_rng(13)
    X, y = rng.standard_normal((10, 3)), rng.integers(0, 2, 10)
    a, b = (MLP([3, 4, 2], rng=np.random.default_rng(1)) for _ in range(2))
    ha = a.fit(X, y, optim.momentum(0.1), epochs=2, batch_size=4, rng=np.random.default_rng(2), weight_decay=0.3)
    hb = b.fit(X, y, optim.weight_decay(optim.momentum(0.1), 0.3), epochs=2, batch_size=4,
               rng=np.random.default_rng(2))
    assert ha == hb and all(np.array_equal(a.params[k], b.params[k]) for k in a.params)


def test_hooks_are_called_per_epoch():
    class Recorder:
        def __init__(self):
            self.calls = []

        def begin(self, net, epoch, history):
            self.calls.append(("begin", epoch))

        def end(self, net, epoch, history):
            self.calls.append(("end", epoch, len(history["loss"])))
            return epoch == 1  # stop after the second epoch

        def finish(self, net, history):
            self.calls.append(("finish",))

    X, y = datasets.xor()
    rec = Recorder()
    hist = MLP([2, 3, 2]).fit(X, y, optim.sgd(0.1), 5, 2, np.random.default_rng(0), hooks=[rec])
    assert rec.calls == [("begin", 0), ("end", 0, 1), ("begin", 1), ("end", 1, 2), ("finish",)]
    assert len(hist["loss"]) == 2
    # patience= and alpha_schedule= are the same hooks
    a, b = (MLP([2, 4, 2], hidden="smooth_relu", rng=np.random.default_rng(1)) for _ in range(2))
    kw = dict(epochs=6, batch_size=2, validation=(X, y))
    ha = a.fit(X, y, optim.sgd(0.5), rng=np.random.default_rng(2), patience=2, alpha_schedule=lambda e: 1.0 + e, **kw)
    hb = b.fit(X, y, optim.sgd(0.5), rng=np.random.default_rng(2),
               hooks=[AlphaSchedule(lambda e: 1.0 + e), EarlyStopping(2)], **kw)
    assert ha == hb and a.alpha == b.alpha


FIT_BAD = [
    (dict(X=np.zeros((6, 2))), ValueError, "X must have 3 features"),
    (dict(y=np.full(6, 5)), ValueError, "y must hold integers"),
    (dict(y=np.zeros(5, dtype=int)), ValueError, "y must have one label"),
    (dict(optimizer=0.1), TypeError, "optimizer"),
    (dict(epochs=0), ValueError, "epochs"),
    (dict(batch_size=2.5), TypeError, "batch_size"),
    (dict(rng=0), TypeError, "rng"),
    (dict(validation=np.zeros((6, 3))), TypeError, "validation"),
    (dict(validation=(np.zeros((2, 4)), np.zeros(2, dtype=int))), ValueError, r"validation\[0\]"),
    (dict(validation=(np.zeros((6, 3)), np.full(6, 3))), ValueError, r"validation\[1\]"),
    (dict(weight_decay=-1.0), ValueError, "weight_decay"),
    (dict(dropout=1.0), ValueError, "dropout"),
    (dict(dropout=0.5, layers=[3]), ValueError, "layers"),
    (dict(patience=2), ValueError, "patience"),
    (dict(patience=0, validation=(np.zeros((6, 3)), np.zeros(6, dtype=int))), ValueError, "patience"),
    (dict(alpha_schedule=2.0), TypeError, "alpha_schedule"),
    (dict(hooks=[object()]), TypeError, "hooks"),
]


@pytest.mark.parametrize("change,exc,pattern", FIT_BAD, ids=[f"fit_bad{i}" for i in range(len(FIT_BAD))])
def test_fit_bad_input_names_the_argument(change, exc, pattern):
    args = dict(X=np.zeros((6, 3)), y=np.zeros(6, dtype=int), optimizer=optim.sgd(0.1), epochs=1, batch_size=2,
                rng=np.random.default_rng(0))
    args.update(change)
    with pytest.raises(exc, match=pattern):
        MLP([3, 4, 2]).fit(**args)


def test_fit_alpha_too_large_names_the_schedule():
    X, y = datasets.xor()
    with pytest.raises(ValueError, match=r"alpha_schedule\(0\)"):
        MLP([2, 3, 2], hidden="smooth_relu").fit(X, y, optim.sgd(0.1), 1, 2, np.random.default_rng(0),
                                                 alpha_schedule=lambda e: 1e308)


def test_fit_checks_parameters_set_by_hand():
    X, y = datasets.xor()
    net = MLP([2, 3, 2], rng=np.random.default_rng(0))
    net.params["W1"] = net.params["W1"].copy()
    net.params["W1"][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"params\['W1'\]"):
        net.fit(X, y, optim.sgd(0.1), 1, 4, np.random.default_rng(0))
    for sizes in ([2, 5, 2], [2, 3, 3, 2]):
        net.params = init_params(sizes, "xavier", np.random.default_rng(0))
        with pytest.raises(ValueError, match="params"):
            net.fit(X, y, optim.sgd(0.1), 1, 4, np.random.default_rng(0))
    net = MLP([2, 3, 2], rng=np.random.default_rng(0))
    net.params = {k: v.astype(np.float32) for k, v in net.params.items()}  # cast, as before
    net.fit(X, y, optim.sgd(0.1), 1, 4, np.random.default_rng(0))
    assert all(v.dtype == np.float64 for v in net.params.values())


def test_fit_stays_short_with_one_code_path():
    # issue 16: fit is a short loop over minibatches (at most 40 lines of code, docstring and comments
    # not counted) that reaches no optimizer internals and has no second update path
    import ast
    import inspect
    import textwrap

    source = textwrap.dedent(inspect.getsource(MLP.fit))
    tree = ast.parse(source)
    body = tree.body[0].body
    doc = body[0].end_lineno if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) else 0
    lines = source.splitlines()
    first_def = next(i for i, line in enumerate(lines) if line.lstrip().startswith("def fit"))
    code = [line for i, line in enumerate(lines, start=1)
            if i > max(doc, first_def + 1) and line.strip() and not line.strip().startswith("#")]
    assert len(code) <= 40, f"MLP.fit has {len(code)} lines of code"
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not {"_update", "_apply", "slots", "lr"} & attributes
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Attribute) and node.func.attr == "step"]
    assert len(calls) == 1  # one update path: optimizer.step
