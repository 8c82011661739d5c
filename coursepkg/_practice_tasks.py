"""The practice tasks of :mod:`coursepkg.practice`: for each, a reference, a battery and the known mistakes.

Private: the public names are in :mod:`coursepkg.practice`. A task is registered with ``@_task(name,
signature, statement, chapter, mutants)`` on its battery, a function of a ``_Ctx`` that raises ``_Fail``
(through the context's helpers) at the first failing check.
"""
from __future__ import annotations

import math

import numpy as np

from ._practice_core import (Task, _Fail, _Mutant, _fmt, _grad_check, _guarded, _lse, _onehot, _rng, _sig, _sig_prime, _softmax, _to_array, _values)

# ============================================================================ the tasks
# Each task: a reference, a battery and the known mistakes (mutants) whose outputs diagnose a failure.

_TASKS: dict[str, Task] = {}


def _task(name, signature, statement, chapter, mutants=()):
    def deco(battery):
        _TASKS[name] = Task(name, signature, statement, chapter, battery, tuple(_Mutant(h, f) for h, f in mutants))
        return battery
    return deco


# ---------------------------------------------------------------- chapter 1: forward pass

def _mlp_params(sizes, rng, scale=1.0):
    P = {}
    for l in range(1, len(sizes)):
        P[f"W{l}"] = scale * rng.standard_normal((sizes[l], sizes[l - 1]))
        P[f"b{l}"] = scale * rng.standard_normal(sizes[l])
    return P


def _forward_ref(params, X, hidden=_sig, output=_softmax, bias=True, xw=False):
    L = len(params) // 2
    A = X
    for l in range(1, L + 1):
        W = params[f"W{l}"]
        Z = (A @ W if xw else A @ W.T) + (params[f"b{l}"] if bias else 0.0)
        A = output(Z) if l == L else hidden(Z)
    return A


def _ident(Z):
    return Z


_M_FORWARD = [
    ("the output layer must be a softmax (each row sums to 1), not a sigmoid",
     lambda P, X: _forward_ref(P, X, output=_sig)),
    ("the output layer returns the logits Z^L: apply the softmax to them",
     lambda P, X: _forward_ref(P, X, output=_ident)),
    ("the hidden units are sigmoid units: apply σ to every hidden Z^l",
     lambda P, X: _forward_ref(P, X, hidden=_ident)),
    ("the biases are missing: Z^l = A^{l-1} W^lᵀ + b^l",
     lambda P, X: _forward_ref(P, X, bias=False)),
    ("the softmax normalizes each row (one sample), not each column",
     lambda P, X: _forward_ref(P, X, output=lambda Z: _softmax(Z.T).T)),
    ("W^l has shape (n_l, n_{l-1}): Z^l = A^{l-1} @ W.T + b, not A^{l-1} @ W",
     lambda P, X: _forward_ref(P, X, xw=True)),
    ("the hidden units are sigmoid units, not ReLU",
     lambda P, X: _forward_ref(P, X, hidden=lambda Z: np.maximum(Z, 0))),
]


@_task("forward_pass", "fn(params, X) -> A",
       "The output A^L, shape (N, n_L), of the network with parameters params (W1, b1, ..., WL, bL), "
       "sigmoid hidden units and a softmax output layer, for the batch X of shape (N, n_0).", 1, _M_FORWARD)
def _b_forward(ctx):
    rng = _rng(1)
    cases = []
    for sizes, N in (([3, 4, 2], 5), ([2, 5, 4, 3], 6), ([3, 3, 3], 3)):
        P, X = _mlp_params(sizes, rng), rng.standard_normal((N, sizes[0]))
        cases.append((f"a network with layer sizes {sizes} and a batch X of shape {X.shape}", (P, X), {}))
    _values(ctx, cases, lambda P, X: {"result": _forward_ref(P, X)}, names=("params", "X"))


# ---------------------------------------------------------------- chapter 2: logistic regression

def _logreg_loss(w, b, X, y):
    u = X @ w + b
    return float(np.mean(np.logaddexp(0.0, u) - y * u))


def _logreg_grad(w, b, X, y, scale=None, sign=1.0, quad=False, db_sum=False):
    N = X.shape[0]
    p = _sig(X @ w + b)
    r = (p - y) * (p * (1 - p) if quad else 1.0) * sign
    s = 1.0 / N if scale is None else scale
    return X.T @ r * s, float(np.sum(r) * (1.0 if db_sum else s))


_M_LOGREG = [
    ("off by a factor N: the loss is a mean over the batch, so divide the sums by N",
     lambda w, b, X, y: _logreg_grad(w, b, X, y, scale=1.0)),
    ("sign error: the gradient of the cross-entropy is (σ(u) − y) x, not (y − σ(u)) x",
     lambda w, b, X, y: _logreg_grad(w, b, X, y, sign=-1.0)),
    ("this is the gradient of the quadratic loss through a sigmoid (it has the extra factor σ′(u)); "
     "the cross-entropy cancels it",
     lambda w, b, X, y: _logreg_grad(w, b, X, y, quad=True)),
    ("db is off by a factor N: it is the mean of σ(u) − y over the batch",
     lambda w, b, X, y: _logreg_grad(w, b, X, y, db_sum=True)),
    ("dw is off by a factor N: it is the mean of (σ(u_i) − y_i) x_i over the batch",
     lambda w, b, X, y: (X.T @ (_sig(X @ w + b) - y), float(np.mean(_sig(X @ w + b) - y)))),
    ("db is missing: it is the mean of σ(u) − y", lambda w, b, X, y: (_logreg_grad(w, b, X, y)[0], 0.0)),
]


@_task("logistic_regression_grad", "fn(w, b, X, y) -> (dw, db)",
       "The gradient (dw of shape (n,), db a number) of the mean cross-entropy "
       "c = mean_i[-y_i log σ(u_i) - (1-y_i) log(1-σ(u_i))], u = X w + b, labels y in {0, 1}.", 2, _M_LOGREG)
def _b_logreg(ctx):
    rng = _rng(2)
    names = ("dw", "db")
    for N, n in ((6, 3), (9, 2)):
        X = rng.standard_normal((N, n))
        w, b = rng.standard_normal(n), float(rng.standard_normal())
        y = (rng.random(N) < 0.5).astype(float)
        case = f"w of shape ({n},), b = {b:.4f}, X of shape ({N}, {n}), y = {_fmt(y)}"
        args = (w, b, X, y)
        got = ctx.call(case, args, kind=names, names=("w", "b", "X", "y"))
        if got["db"].size != 1:
            ctx.fail(case, args, {}, names, None, outcome=("value", got),
                     message=f"your db should be one number, got shape {got['db'].shape}")
        got["db"] = got["db"].reshape(())
        if got["dw"].shape != w.shape:
            ctx.compare(case, args, {}, got, dict(zip(names, _logreg_grad(*args))), 1e-9, 1e-12, kind=names)
        _grad_check(ctx, case, args, {}, got, names, None,
                    lambda q: _logreg_loss(q["w"], q["b"], X, y), {"w": w, "b": np.array(b)},
                    {"w": got["dw"], "b": got["db"]})
        ctx.compare(case, args, {}, got, dict(zip(names, _logreg_grad(*args))), 1e-9, 1e-12, kind=names)


# ---------------------------------------------------------------- chapter 3: sigmoid and its derivative

def _naive_sig(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def _naive_sig2(z):
    e = np.exp(np.asarray(z, dtype=float))
    return e / (1.0 + e)


_OVERFLOW = ("overflow: your formula exponentiates a large positive number; use a form that never does, "
             "1/(1 + e^{-z}) for z ≥ 0 and e^{z}/(1 + e^{z}) for z < 0")
_M_SIGMOID = [
    (_OVERFLOW, _naive_sig),
    (_OVERFLOW, _naive_sig2),
    ("sign error: σ(z) = 1/(1 + e^{-z}); yours is σ(−z) = 1 − σ(z)", lambda z: _sig(-np.asarray(z, float))),
    ("(1 + tanh(z/2))/2 is σ(z) but loses all relative accuracy for large negative z (1 + tanh rounds to 0); "
     "use e^{z}/(1 + e^{z}) there", lambda z: (1 + np.tanh(np.asarray(z, float) / 2)) / 2),
    ("1 − σ(−z) loses all relative accuracy for large negative z (it rounds to 0); compute e^{z}/(1 + e^{z}) there",
     lambda z: 1 - _sig(-np.asarray(z, float))),
    ("this is σ′(z) = σ(z)(1 − σ(z)), not σ(z)", _sig_prime),
    ("clipping z changes the result for |z| beyond the clip; the branch form needs no clipping",
     lambda z: _naive_sig(np.clip(z, -500, 500))),
    ("clipping z changes the result for |z| beyond the clip; the branch form needs no clipping",
     lambda z: _naive_sig(np.clip(z, -30, 30))),
]


def _sigmoid_like(ctx, ref, tails):
    rng = _rng(3)
    cases = [(f"z of shape {s}, standard normal entries times 5", (5 * rng.standard_normal(s),), {})
             for s in ((7,), (3, 4), (2, 3, 2))]
    cases.append(("z = 0.3 as a 0-d array", (np.array(0.3),), {}))
    _values(ctx, cases, lambda z: {"result": ref(z)}, names=("z",), rtol=1e-10, atol=1e-13,
            what="values on random inputs of several shapes")
    for z in (-1000.0, 1000.0):
        zz = np.array([z, z / 10, 0.0])
        _values(ctx, [(f"z = {_fmt(zz)} (z = {z:g} saturates the unit)", (zz,), {})],
                lambda z: {"result": ref(z)}, names=("z",), rtol=1e-10, atol=1e-300,
                what="saturated units (z = ±1000)")
    zz = np.array([-1e4, -700.0, 700.0, 1e4])
    _values(ctx, [(f"z = {_fmt(zz)}", (zz,), {})], lambda z: {"result": ref(z)}, names=("z",),
            rtol=1e-10, atol=1e-300, what="extreme inputs (|z| up to 1e4)")
    zz = np.concatenate([t * np.linspace(20.0, 700.0, 7) for t in tails])
    _values(ctx, [(f"z in the tails, {_fmt(zz)} (relative accuracy 1e-9 required)", (zz,), {})],
            lambda z: {"result": ref(z)}, names=("z",), rtol=1e-9, atol=0.0,
            what="relative accuracy in the tails")


@_task("sigmoid", "fn(z) -> a",
       "σ(z) = 1/(1 + e^{-z}) elementwise for z of any shape; stable (no overflow) and accurate for |z| ≤ 1e4.",
       3, _M_SIGMOID)
def _b_sigmoid(ctx):
    _sigmoid_like(ctx, _sig, tails=(-1.0,))


_M_SIGMOID_PRIME = [
    ("σ(z)(1 − σ(z)) loses all accuracy for large z because 1 − σ(z) rounds to 0: "
     "use σ(z) σ(−z) or e^{-|z|}/(1 + e^{-|z|})²", lambda z: _sig(z) * (1 - _sig(z))),
    (_OVERFLOW, lambda z: np.exp(-np.asarray(z, float)) / (1 + np.exp(-np.asarray(z, float))) ** 2),
    (_OVERFLOW, lambda z: _naive_sig(z) * (1 - _naive_sig(z))),
    (_OVERFLOW, lambda z: _naive_sig2(z) * (1 - _naive_sig2(z))),
    ("the square is missing: σ′(z) = e^{-z}/(1 + e^{-z})² (e^{-z}/(1 + e^{-z}) is σ(−z))",
     lambda z: _sig(-np.asarray(z, float))),
    ("this is σ(z), not its derivative", _sig),
    ("sign error: σ′(z) = σ(z)(1 − σ(z)) is positive", lambda z: -_sig_prime(z)),
    ("1 − σ(z)² is not σ′ (1 − tanh² is the derivative of tanh)", lambda z: 1 - _sig(z) ** 2),
]


@_task("sigmoid_prime", "fn(z) -> da_dz",
       "σ′(z) = σ(z)(1 − σ(z)) elementwise for z of any shape, without overflow and with relative accuracy "
       "in both tails.", 3, _M_SIGMOID_PRIME)
def _b_sigmoid_prime(ctx):
    _sigmoid_like(ctx, _sig_prime, tails=(-1.0, 1.0))


# ---------------------------------------------------------------- chapter 4: binary cross-entropy

def _bce(p, y):
    p, y = np.asarray(p, float), np.asarray(y, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(y > 0, y * np.log(np.where(y > 0, p, 1.0)), 0.0)
        b = np.where(y < 1, (1 - y) * np.log(np.where(y < 1, 1 - p, 1.0)), 0.0)
    return float(-np.mean(a + b))


_M_BCE = [
    ("0·log 0 must count as 0: with p = 0 and y = 0 the term y log p is 0 (use np.where, or scipy.special.xlogy)",
     lambda p, y: float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))),
    ("off by a factor N: the loss is the mean over the N samples, not the sum",
     lambda p, y: _bce(p, y) * len(p)),
    ("sign error: the loss is −[y log p + (1 − y) log(1 − p)], which is ≥ 0", lambda p, y: -_bce(p, y)),
    ("the term (1 − y) log(1 − p) of the samples with y = 0 is missing",
     lambda p, y: float(-np.mean(y * np.log(p)))),
    ("use the natural logarithm (the likelihood's log), not log10",
     lambda p, y: _bce(p, y) / np.log(10)),
    ("use the natural logarithm, not log2", lambda p, y: _bce(p, y) / np.log(2)),
    ("p and y are swapped: the loss is −[y log p + (1 − y) log(1 − p)] with p the prediction",
     lambda p, y: _bce(y, p)),
]


@_task("binary_cross_entropy", "fn(p, y) -> float",
       "The mean over the N samples of −[y log p + (1 − y) log(1 − p)] (the negative log-likelihood of Bernoulli "
       "labels y in {0, 1} with probabilities p), p and y of shape (N,); 0·log 0 = 0.", 4, _M_BCE)
def _b_bce(ctx):
    rng = _rng(4)
    cases = []
    for N in (5, 8):
        p = rng.uniform(0.05, 0.95, N)
        y = (rng.random(N) < 0.5).astype(float)
        cases.append((f"p = {_fmt(p)}, y = {_fmt(y)}", (p, y), {}))
    _values(ctx, cases, lambda p, y: {"result": _bce(p, y)}, kind="scalar", names=("p", "y"), rtol=1e-10,
            atol=1e-12)
    p, y = np.array([0.0, 1.0, 0.5, 0.25]), np.array([0.0, 1.0, 1.0, 0.0])
    _values(ctx, [(f"p = {_fmt(p)}, y = {_fmt(y)} (certain and correct predictions)", (p, y), {})],
            lambda p, y: {"result": _bce(p, y)}, kind="scalar", names=("p", "y"), rtol=1e-10, atol=1e-12,
            what="p = 0 and p = 1 (0·log 0 = 0)")


# ---------------------------------------------------------------- chapter 5: softmax

def _naive_softmax(Z):
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


_M_SOFTMAX = [
    ("overflow: e^{z} overflows for large z; subtract each row's maximum first (softmax is shift-invariant)",
     _naive_softmax),
    ("normalize each row (one sample), not each column: sum over axis=1", lambda Z: _softmax(Z.T).T),
    ("subtract each row's own maximum, not the maximum of the whole array: rows far below it underflow to 0/0",
     lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=1, keepdims=True)),
    ("the sum needs keepdims=True (shape (N, 1)) so that each row is divided by its own sum",
     lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)) / np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=1)),
    ("the result is not normalized: divide by the sum of each row", lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True))),
    ("this is log softmax; exponentiate it", lambda Z: Z - _lse(Z)[:, None]),
    ("divide by the sum of each row, not by the sum of the whole array",
     lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)) / np.exp(Z - Z.max(axis=1, keepdims=True)).sum()),
    ("subtract the maximum, not the minimum: e^{z − min} still overflows",
     lambda Z: np.exp(Z - Z.min(axis=1, keepdims=True)) / np.exp(Z - Z.min(axis=1, keepdims=True)).sum(
         axis=1, keepdims=True)),
    ("this is an elementwise sigmoid; the softmax couples the entries of a row", _sig),
]


@_task("softmax", "fn(Z) -> A",
       "The softmax of each row of Z, shape (N, K): A[i, j] = e^{Z[i, j]} / Σ_k e^{Z[i, k]}; "
       "stable for entries up to 1e4 in absolute value.", 5, _M_SOFTMAX)
def _b_softmax(ctx):
    rng = _rng(5)
    for s in ((5, 3), (4, 4), (1, 6), (3, 1)):
        Z = 2 * rng.standard_normal(s)
        case = f"Z of shape {s}, normal entries with standard deviation 2"
        got = ctx.call(case, (Z,), names=("Z",))
        if got["result"].shape == Z.shape:
            sums = got["result"].sum(axis=1)
            i = int(np.argmax(np.abs(sums - 1)))
            if abs(sums[i] - 1) > 1e-12:
                ctx.fail(case, (Z,), {}, "array", None, outcome=("value", got),
                         message=f"the rows of your result must sum to 1; row {i} sums to {sums[i]:.17g}")
            ctx.ok("rows sum to one")
        ctx.compare(case, (Z,), {}, got, {"result": _softmax(Z)}, 1e-10, 1e-13, what="values on random inputs")
    Z = rng.standard_normal((3, 4))
    C = np.array([[1000.0], [-1000.0], [5000.0]])
    _values(ctx, [("Z + c with a different large constant c = 1000, −1000, 5000 added to each row",
                   (Z + C,), {})], lambda Z: {"result": _softmax(Z)}, names=("Z",), rtol=1e-9, atol=1e-13,
            what="shift invariance")
    Z = np.array([[-1e4, -1e4 + 1, -1e4 + 2], [1e4, 1e4 - 5, 0.0], [-1e4, 0.0, 1e4]])
    _values(ctx, [(f"Z = {_fmt(Z)}", (Z,), {})], lambda Z: {"result": _softmax(Z)}, names=("Z",), rtol=1e-9,
            atol=1e-300, what="extreme inputs (|z| up to 1e4)")


# ---------------------------------------------------------------- chapter 6: linear layer and backprop

_M_LINEAR = [
    ("your dW is the transpose of the expected one: dW = dZᵀ A_prev has the shape of W, (n_out, n_in)",
     lambda dZ, A, W: (dZ @ W, A.T @ dZ, dZ.sum(axis=0))),
    ("db is off by a factor N: sum dZ over the batch (the 1/N is already inside dZ), do not average",
     lambda dZ, A, W: (dZ @ W, dZ.T @ A, dZ.mean(axis=0))),
    ("dW is off by a factor N: it is the sum dZᵀ A_prev over the batch (the 1/N is already inside dZ)",
     lambda dZ, A, W: (dZ @ W, dZ.T @ A / dZ.shape[0], dZ.sum(axis=0))),
    ("dA_prev = dZ W, not dZ Wᵀ (W maps n_in to n_out, so going back multiplies by W)",
     lambda dZ, A, W: (dZ @ W.T, dZ.T @ A, dZ.sum(axis=0))),
    ("db sums dZ over the batch axis (axis=0), one entry per output unit",
     lambda dZ, A, W: (dZ @ W, dZ.T @ A, dZ.sum(axis=1))),
    ("sign error: the gradients of Z = A_prev Wᵀ + b carry the sign of dZ",
     lambda dZ, A, W: (-dZ @ W, -dZ.T @ A, -dZ.sum(axis=0))),
    ("return the three gradients in the order (dA_prev, dW, db)",
     lambda dZ, A, W: (dZ.T @ A, dZ @ W, dZ.sum(axis=0))),
]


@_task("linear_backward", "fn(dZ, A_prev, W) -> (dA_prev, dW, db)",
       "Back-propagate through Z = A_prev Wᵀ + b: given dZ = ∂c/∂Z (N, n_out), A_prev (N, n_in), W (n_out, n_in), "
       "return ∂c/∂A_prev (N, n_in), ∂c/∂W (n_out, n_in), ∂c/∂b (n_out,).", 6, _M_LINEAR)
def _b_linear(ctx):
    rng = _rng(6)
    names = ("dA_prev", "dW", "db")
    for N, n_in, n_out in ((5, 3, 4), (3, 3, 3), (7, 2, 5)):
        dZ, A, W = (rng.standard_normal((N, n_out)), rng.standard_normal((N, n_in)),
                    rng.standard_normal((n_out, n_in)))
        case = f"dZ of shape {dZ.shape}, A_prev of shape {A.shape}, W of shape {W.shape}"
        args = (dZ, A, W)
        got = ctx.call(case, args, kind=names, names=("dZ", "A_prev", "W"))
        want = {"dA_prev": dZ @ W, "dW": dZ.T @ A, "db": dZ.sum(axis=0)}
        if all(got[k].shape == want[k].shape for k in names):
            b = rng.standard_normal(n_out)
            _grad_check(ctx, case, args, {}, got, names, None,
                        lambda q: float(np.sum(dZ * (q["A_prev"] @ q["W"].T + q["b"]))),
                        {"A_prev": A, "W": W, "b": b}, {"A_prev": got["dA_prev"], "W": got["dW"], "b": got["db"]})
        ctx.compare(case, args, {}, got, want, 1e-10, 1e-12, kind=names)


def _bp_ref(P, X, y, *, scale=True, sigma_prime=True, prime_of_a=False, transpose=False, sign=1.0):
    L = len(P) // 2
    As, Zs = [X], []
    for l in range(1, L + 1):
        Z = As[-1] @ P[f"W{l}"].T + P[f"b{l}"]
        Zs.append(Z)
        As.append(_softmax(Z) if l == L else _sig(Z))
    N = X.shape[0]
    D = sign * (As[-1] - _onehot(y, As[-1].shape[1])) / (N if scale else 1)
    G = {}
    for l in range(L, 0, -1):
        G[f"W{l}"] = As[l - 1].T @ D if transpose else D.T @ As[l - 1]
        G[f"b{l}"] = D.sum(axis=0)
        if l > 1:
            D = D @ P[f"W{l}"]
            if sigma_prime:
                D = D * (_sig_prime(As[l - 1]) if prime_of_a else _sig_prime(Zs[l - 2]))
    return {k: G[k] for k in P}


def _bp_loss(P, X, y):
    L = len(P) // 2
    A = X
    for l in range(1, L + 1):
        Z = A @ P[f"W{l}"].T + P[f"b{l}"]
        A = Z if l == L else _sig(Z)
    return float(np.mean(_lse(A) - A[np.arange(len(y)), y]))


_M_BACKPROP = [
    ("off by a factor N: the loss is a mean over the batch, so the output error is (A^L − Y)/N",
     lambda P, X, y: _bp_ref(P, X, y, scale=False)),
    ("the factor σ′(Z^{l-1}) is missing when the error goes back through a hidden layer: "
     "Δ^{l-1} = (Δ^l W^l) ⊙ σ′(Z^{l-1})", lambda P, X, y: _bp_ref(P, X, y, sigma_prime=False)),
    ("σ′ must be evaluated at Z^{l-1}, not at the activation A^{l-1} = σ(Z^{l-1}) "
     "(or use A(1 − A), which equals σ′(Z))", lambda P, X, y: _bp_ref(P, X, y, prime_of_a=True)),
    ("your dW is the transpose of the expected one: ∂c/∂W^l = (Δ^l)ᵀ A^{l-1} has the shape of W^l",
     lambda P, X, y: _bp_ref(P, X, y, transpose=True)),
    ("sign error: the output error is A^L − Y (predicted minus one-hot target)",
     lambda P, X, y: _bp_ref(P, X, y, sign=-1.0)),
]


@_task("backprop", "fn(params, X, y) -> grads",
       "The gradients (a dict with the keys of params: W1, b1, ..., WL, bL) of the mean cross-entropy of the "
       "network with sigmoid hidden units and a softmax output on the batch X (N, n_0) with integer labels y (N,).",
       6, _M_BACKPROP)
def _b_backprop(ctx):
    rng = _rng(7)
    for sizes, N in (([3, 4, 2], 5), ([4, 5, 3, 3], 6)):
        P, X = _mlp_params(sizes, rng), rng.standard_normal((N, sizes[0]))
        y = rng.integers(0, sizes[-1], N)
        case = f"a network with layer sizes {sizes}, X of shape {X.shape}, labels y = {_fmt(y)}"
        args = (P, X, y)
        got = ctx.call(case, args, kind="dict", names=("params", "X", "y"), context=P)
        want = _bp_ref(P, X, y)
        if all(got[k].shape == want[k].shape for k in P):
            _grad_check(ctx, case, args, {}, got, "dict", P, lambda q: _bp_loss(q, X, y), P, got)
        ctx.compare(case, args, {}, got, want, 1e-9, 1e-12, kind="dict", context=P)


# ---------------------------------------------------------------- chapter 7: numerical derivatives

def _f_test(x):
    v = np.ravel(x)
    return np.sum(np.sin(v) * v) + v[0] * v[-1]


def _f_test_grad(x):
    v = np.ravel(np.asarray(x, float))
    g = np.sin(v) + v * np.cos(v)
    g[0] += v[-1]
    g[-1] += v[0]
    return g.reshape(np.shape(x))


def _fd(f, x, h, kind):
    x = np.asarray(x, float)
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[i] = h
        if kind == "central":
            g[i] = (f(x + e) - f(x - e)) / (2 * h)
        elif kind == "forward":
            g[i] = (f(x + e) - f(x)) / h
        elif kind == "backward":
            g[i] = (f(x) - f(x - e)) / h
        elif kind == "noh2":
            g[i] = (f(x + e) - f(x - e)) / h
        elif kind == "swap":
            g[i] = (f(x - e) - f(x + e)) / (2 * h)
    return g


_M_NUMGRAD = [
    ("these are forward differences (f(x + h) − f(x))/h, accurate only to O(h); "
     "use central differences (f(x + h e_i) − f(x − h e_i))/(2h)", lambda f, x, h=1e-5: _fd(f, x, h, "forward")),
    ("these are one-sided (backward) differences, accurate only to O(h); use (f(x + h e_i) − f(x − h e_i))/(2h)",
     lambda f, x, h=1e-5: _fd(f, x, h, "backward")),
    ("off by a factor 2: the central difference divides by 2h", lambda f, x, h=1e-5: _fd(f, x, h, "noh2")),
    ("sign error: (f(x + h e_i) − f(x − h e_i))/(2h), not the other way round",
     lambda f, x, h=1e-5: _fd(f, x, h, "swap")),
    ("the step h passed in is ignored", lambda f, x, h=1e-5: _fd(f, x, 1e-5, "central")),
    ("perturb one coordinate at a time (x ± h e_i), not all of them at once",
     lambda f, x, h=1e-5: np.full(np.shape(x), (f(np.asarray(x) + h) - f(np.asarray(x) - h)) / (2 * h))),
]


@_task("numerical_gradient", "fn(f, x, h=1e-5) -> grad",
       "The central-difference gradient of the scalar function f at the array x (any shape): "
       "entry i is (f(x + h e_i) − f(x − h e_i))/(2h); same shape as x.", 7, _M_NUMGRAD)
def _b_numgrad(ctx):
    rng = _rng(8)
    for s in ((4,), (2, 3)):
        x = rng.standard_normal(s)
        _values(ctx, [(f"f(x) = Σ x_i sin x_i + x_first x_last at x of shape {s}, default h", (_f_test, x), {})],
                lambda f, x: {"result": _f_test_grad(x)}, names=("f", "x"), rtol=1e-7, atol=1e-8,
                what="the gradient of a smooth function (error of order h²)")
    x = rng.uniform(-0.9, 0.9, 3)
    cube = lambda v: float(np.sum(np.asarray(v) ** 3))  # noqa: E731
    _values(ctx, [(f"f(x) = Σ x_i³ at x = {_fmt(x)} with h = 0.01 (central differences give 3x² + h²)",
                   (cube, x), {"h": 1e-2})],
            lambda f, x, h: {"result": 3 * x ** 2 + h ** 2}, names=("f", "x"), rtol=1e-9, atol=1e-12,
            what="the step h is used")


def _cs(f, x, h, kind="ok"):
    x = np.asarray(x, float)
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        e = np.zeros(x.shape, dtype=complex)
        e[i] = 1j * h
        if kind == "ok":
            g[i] = np.imag(f(x + e)) / h
        elif kind == "real":
            g[i] = np.real(f(x + e))
        elif kind == "noh":
            g[i] = np.imag(f(x + e))
        elif kind == "conj":
            g[i] = np.imag(f(x - e)) / h
    return g


_M_COMPLEX = [
    ("these are central differences, accurate to about 1e-10 at best; the complex step Im f(x + i h e_k)/h "
     "subtracts nothing, so it is accurate to machine precision", lambda f, x, h=1e-20: _fd(f, x, 1e-5, "central")),
    ("take the imaginary part: ∂f/∂x_k ≈ Im f(x + i h e_k)/h", lambda f, x, h=1e-20: _cs(f, x, h, "real")),
    ("divide the imaginary part by h", lambda f, x, h=1e-20: _cs(f, x, h, "noh")),
    ("sign error: step in the direction +i h e_k (or divide by −h)", lambda f, x, h=1e-20: _cs(f, x, h, "conj")),
    ("perturb one coordinate at a time (x + i h e_k), not all of them at once",
     lambda f, x, h=1e-20: np.full(np.shape(x), np.imag(f(np.asarray(x) + 1j * h)) / h)),
    ("the step h passed in is ignored", lambda f, x, h=1e-20: _cs(f, x, 1e-20)),
    ("this is a real central difference with the step h (with h = 1e-20, x ± h rounds to x and it gives 0): "
     "step in the imaginary direction, Im f(x + i h e_k)/h", lambda f, x, h=1e-20: _fd(f, x, h, "central")),
]


def _f_cs(x):
    v = np.ravel(x)
    return np.sum(np.exp(v) * np.sin(v)) + v[0] ** 2 * v[-1]


def _f_cs_grad(x):
    v = np.ravel(np.asarray(x, float))
    g = np.exp(v) * (np.sin(v) + np.cos(v))
    g[0] += 2 * v[0] * v[-1]
    g[-1] += v[0] ** 2
    return g.reshape(np.shape(x))


@_task("complex_step", "fn(f, x, h=1e-20) -> grad",
       "The complex-step gradient of the real-analytic scalar function f at the real array x: "
       "entry k is Im f(x + i h e_k) / h; same shape as x, accurate to machine precision.", 7, _M_COMPLEX)
def _b_complex(ctx):
    rng = _rng(9)
    x = rng.uniform(-0.9, 0.9, 3)
    cube = lambda v: np.sum(v ** 3)  # noqa: E731
    _values(ctx, [(f"f(x) = Σ x_i³ at x = {_fmt(x)} with h = 0.001 (the complex step gives 3x² − h²)",
                   (cube, x), {"h": 1e-3})],
            lambda f, x, h: {"result": 3 * x ** 2 - h ** 2}, names=("f", "x"), rtol=1e-11, atol=1e-14,
            what="the step h is used")
    for s in ((4,), (3, 2)):
        x = rng.standard_normal(s)
        _values(ctx, [(f"f(x) = Σ e^{{x_i}} sin x_i + x_first² x_last at x of shape {s}, default h",
                       (_f_cs, x), {})],
                lambda f, x: {"result": _f_cs_grad(x)}, names=("f", "x"), rtol=1e-13, atol=1e-14,
                what="machine-precision accuracy")


# ---------------------------------------------------------------- chapter 8: softmax + cross-entropy gradient

def _sce_grad(Z, labels):
    return (_softmax(Z) - _onehot(labels, Z.shape[1])) / Z.shape[0]


_M_SCE = [
    ("off by a factor N: the loss is a mean over the batch, so the gradient is (softmax(Z) − Y)/N",
     lambda Z, y: _sce_grad(Z, y) * Z.shape[0]),
    ("sign error: the gradient is softmax(Z) − Y (one-hot), not Y − softmax(Z)", lambda Z, y: -_sce_grad(Z, y)),
    ("the one-hot target is missing: subtract 1 at each row's label", lambda Z, y: _softmax(Z) / Z.shape[0]),
    ("overflow: compute the softmax stably (subtract each row's maximum before exponentiating)",
     lambda Z, y: (_naive_softmax(Z) - _onehot(y, Z.shape[1])) / Z.shape[0]),
    ("divide by the number of samples N (rows), not the number of classes K",
     lambda Z, y: (_softmax(Z) - _onehot(y, Z.shape[1])) / Z.shape[1]),
    ("this is ∂c/∂A, the gradient with respect to the probabilities; chain it through the softmax "
     "(which gives softmax(Z) − Y)", lambda Z, y: -_onehot(y, Z.shape[1]) / (_softmax(Z) * Z.shape[0])),
    ("the softmax normalizes each row, not each column", lambda Z, y: (_softmax(Z.T).T - _onehot(y, Z.shape[1]))
     / Z.shape[0]),
]


@_task("softmax_cross_entropy_grad", "fn(Z, labels) -> dZ",
       "∂c/∂Z for c = mean over the N rows of −log softmax(Z)[i, labels[i]], Z of shape (N, K), integer labels "
       "of shape (N,); stable for |Z| up to 1e4.", 8, _M_SCE)
def _b_sce(ctx):
    rng = _rng(10)
    for N, K in ((5, 3), (4, 4), (6, 2)):
        Z, y = 2 * rng.standard_normal((N, K)), rng.integers(0, K, N)
        case = f"Z of shape {Z.shape}, labels = {_fmt(y)}"
        got = ctx.call(case, (Z, y), names=("Z", "labels"))
        if got["result"].shape == Z.shape:
            _grad_check(ctx, case, (Z, y), {}, got, "array", None,
                        lambda q: float(np.mean(_lse(q["Z"]) - q["Z"][np.arange(N), y])), {"Z": Z},
                        {"Z": got["result"]})
        ctx.compare(case, (Z, y), {}, got, {"result": _sce_grad(Z, y)}, 1e-10, 1e-13, what="values")
    Z, y = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4 + 3, -1e4 + 1]]), np.array([2, 0])
    _values(ctx, [(f"Z = {_fmt(Z)}, labels = {_fmt(y)}", (Z, y), {})], lambda Z, y: {"result": _sce_grad(Z, y)},
            names=("Z", "labels"), rtol=1e-9, atol=1e-15, what="extreme inputs (|z| up to 1e4)")


# ---------------------------------------------------------------- chapter 9: convolution

def _circ(f, g):
    n = max(len(f), len(g))
    return np.real(np.fft.ifft(np.fft.fft(f, n) * np.fft.fft(g, n)))


_FLIP = "this is the cross-correlation: the kernel must be flipped (y[n] = Σ_m f[m] g[n − m])"
_M_CONVOLVE = [
    (_FLIP, lambda f, g: np.correlate(f, g, "full")),
    (_FLIP, lambda f, g: np.correlate(g, f, "full")),
    ("the full convolution has len(f) + len(g) − 1 entries; this is mode 'same'",
     lambda f, g: np.convolve(f, g, "same")),
    ("the full convolution has len(f) + len(g) − 1 entries; this is mode 'valid' (no partial overlaps)",
     lambda f, g: np.convolve(f, g, "valid")),
    ("this is the circular convolution; the full one pads with zeros to length len(f) + len(g) − 1",
     _circ),
    ("the last entry is missing: the full convolution has len(f) + len(g) − 1 entries",
     lambda f, g: np.convolve(f, g)[:-1]),
    ("the first entry is missing: the full convolution starts at n = 0 (f[0] g[0])",
     lambda f, g: np.convolve(f, g)[1:]),
]


@_task("convolve", "fn(f, g) -> y",
       "The full 1-D convolution y[n] = Σ_m f[m] g[n − m], n = 0..len(f)+len(g)−2, equal to numpy.convolve(f, g).",
       9, _M_CONVOLVE)
def _b_convolve(ctx):
    rng = _rng(11)
    cases = []
    for M, N in ((5, 3), (3, 6), (1, 4), (7, 7)):
        f, g = rng.standard_normal(M), rng.standard_normal(N)
        cases.append((f"f = {_fmt(f)}, g = {_fmt(g)}", (f, g), {}))
    _values(ctx, cases, lambda f, g: {"result": np.convolve(f, g)}, names=("f", "g"), rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------- chapter 10: 2-D cross-correlation

def _corr2d(x, k, full=False):
    if full:
        kh, kw = k.shape
        x = np.pad(x, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    kh, kw = k.shape
    H, W = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    y = np.zeros((H, W))
    for a in range(kh):
        for b in range(kw):
            y += k[a, b] * x[a:a + H, b:b + W]
    return y


_M_CORR2D = [
    ("this is the convolution: a convolution layer computes the cross-correlation, the kernel is not flipped",
     lambda x, k: _corr2d(x, k[::-1, ::-1])),
    ("the kernel is flipped along one axis only; the cross-correlation does not flip it at all",
     lambda x, k: _corr2d(x, k[::-1, :])),
    ("the kernel is flipped along one axis only; the cross-correlation does not flip it at all",
     lambda x, k: _corr2d(x, k[:, ::-1])),
    ("the 'valid' output has shape (H − kh + 1, W − kw + 1); this is mode 'full' (zero padding)",
     lambda x, k: _corr2d(x, k, full=True)),
    ("off by one: the 'valid' output has H − kh + 1 rows and W − kw + 1 columns",
     lambda x, k: _corr2d(x, k)[:-1, :-1]),
    ("the kernel is transposed: y[i, j] = Σ_{a, b} k[a, b] x[i + a, j + b]",
     lambda x, k: _corr2d(x, k.T)),
]


@_task("correlate2d", "fn(x, k) -> y",
       "The 'valid' 2-D cross-correlation y[i, j] = Σ_{a, b} k[a, b] x[i + a, j + b] of the image x (H, W) "
       "with the kernel k (kh, kw): shape (H − kh + 1, W − kw + 1), a convolution layer's forward map.",
       10, _M_CORR2D)
def _b_corr2d(ctx):
    rng = _rng(12)
    cases = []
    for xs, ks in (((6, 5), (3, 2)), ((4, 4), (2, 2)), ((5, 7), (1, 3)), ((5, 5), (3, 3))):
        x, k = rng.standard_normal(xs), rng.standard_normal(ks)
        cases.append((f"x of shape {xs}, k of shape {ks}" + (f", k = {_fmt(k)}" if k.size <= 4 else ""),
                      (x, k), {}))
    _values(ctx, cases, lambda x, k: {"result": _corr2d(x, k)}, names=("x", "k"), rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------- chapter 11: Adam and Nesterov

def _adam(theta, g, m, v, t, lr=1e-3, rho1=0.9, rho2=0.999, eps=1e-8, *, correct=True, inside=False,
          shift=0, store_hat=False, sq=True):
    m = rho1 * m + (1 - rho1) * g
    v = rho2 * v + (1 - rho2) * (g * g if sq else g)
    mh = m / (1 - rho1 ** (t + shift)) if correct else m
    vh = v / (1 - rho2 ** (t + shift)) if correct else v
    step = mh / (np.sqrt(vh + eps) if inside else eps + np.sqrt(np.abs(vh)))
    return theta - lr * step, (mh if store_hat else m), (vh if store_hat else v)


_M_ADAM = [
    ("no bias correction: divide m by 1 − ρ1^t and v by 1 − ρ2^t before the step",
     lambda *a, **k: _adam(*a, **k, correct=False)),
    ("ε belongs outside the square root: θ − lr·m̂/(ε + √v̂)", lambda *a, **k: _adam(*a, **k, inside=True)),
    ("t counts from 1 here: the bias correction at step t is 1 − ρ^t", lambda *a, **k: _adam(*a, **k, shift=1)),
    ("return the uncorrected moments m and v as the new state; only the step uses m̂ and v̂",
     lambda *a, **k: _adam(*a, **k, store_hat=True)),
    ("v averages the squared gradient g², not g", lambda *a, **k: _adam(*a, **k, sq=False)),
    ("ρ1 and ρ2 are swapped: ρ1 (0.9) averages g, ρ2 (0.999) averages g²",
     lambda theta, g, m, v, t, lr=1e-3, rho1=0.9, rho2=0.999, eps=1e-8:
     _adam(theta, g, m, v, t, lr, rho2, rho1, eps)),
    ("sign error: the step goes against the gradient, θ − lr·m̂/(ε + √v̂)",
     lambda theta, g, m, v, t, lr=1e-3, **k: _adam(theta, g, m, v, t, -lr, **k)),
]


@_task("adam_step", "fn(theta, g, m, v, t, lr=1e-3, rho1=0.9, rho2=0.999, eps=1e-8) -> (theta, m, v)",
       "One Adam step (t counts from 1): m ← ρ1 m + (1−ρ1) g, v ← ρ2 v + (1−ρ2) g², "
       "θ ← θ − lr m̂/(ε + √v̂) with m̂ = m/(1−ρ1^t), v̂ = v/(1−ρ2^t); returns the new θ, m, v.", 11, _M_ADAM)
def _b_adam(ctx):
    rng = _rng(13)
    names = ("theta", "m", "v")
    argn = ("theta", "g", "m", "v", "t")
    theta, g = rng.standard_normal(4), rng.standard_normal(4)
    cases = [(f"the first step, t = 1, m = v = 0, theta and g of shape (4,), default hyper-parameters",
              (theta, g, np.zeros(4), np.zeros(4), 1), {})]
    theta, g, m, v = (rng.standard_normal((2, 3)), rng.standard_normal((2, 3)), 0.1 * rng.standard_normal((2, 3)),
                      0.1 * rng.random((2, 3)))
    cases.append(("t = 5, random m and v ≥ 0 of shape (2, 3), default hyper-parameters", (theta, g, m, v, 5), {}))
    theta, g, m, v = (rng.standard_normal(5), 1e-3 * rng.standard_normal(5), 1e-3 * rng.standard_normal(5),
                      1e-6 * rng.random(5))
    cases.append(("t = 3, gradients of order 1e-3, lr = 0.1, rho1 = 0.8, rho2 = 0.99, eps = 1e-3",
                  (theta, g, m, v, 3), {"lr": 0.1, "rho1": 0.8, "rho2": 0.99, "eps": 1e-3}))
    _values(ctx, cases, lambda *a, **k: dict(zip(names, _adam(*a, **k))), kind=names, names=argn,
            rtol=1e-10, atol=1e-13)


def _nesterov(theta, g, v, lr=0.01, alpha=0.9, *, kind="ok"):
    v_new = alpha * v + g
    if kind == "momentum":
        return theta - lr * v_new, v_new
    if kind == "old_v":
        return theta - lr * g - alpha * v_new, v_new
    if kind == "no_g":
        return theta - lr * alpha * v_new, v_new
    if kind == "sign":
        return theta + lr * (g + alpha * v_new), v_new
    if kind == "lr_in_v":
        v2 = alpha * v - lr * g
        return theta - lr * g + alpha * v2, v2
    return theta - lr * (g + alpha * v_new), v_new


_M_NESTEROV = [
    ("this is plain momentum (θ − lr·v); Nesterov's step is θ − lr·(g + α v) with the new v",
     lambda *a, **k: _nesterov(*a, **k, kind="momentum")),
    ("the learning rate multiplies both terms: θ − lr·(g + α v)",
     lambda *a, **k: _nesterov(*a, **k, kind="old_v")),
    ("the gradient term is missing: θ − lr·(g + α v)", lambda *a, **k: _nesterov(*a, **k, kind="no_g")),
    ("sign error: the step goes against the gradient", lambda *a, **k: _nesterov(*a, **k, kind="sign")),
    ("this velocity convention (v ← αv − lr·g) differs from the task's: v ← αv + g, θ ← θ − lr·(g + αv)",
     lambda *a, **k: _nesterov(*a, **k, kind="lr_in_v")),
]


@_task("nesterov_step", "fn(theta, g, v, lr=0.01, alpha=0.9) -> (theta, v)",
       "One Nesterov step in the form that needs only the gradient g at the current parameters: "
       "v ← αv + g, θ ← θ − lr (g + αv); returns the new θ and v.", 11, _M_NESTEROV)
def _b_nesterov(ctx):
    rng = _rng(14)
    names = ("theta", "v")
    cases = [("random theta, g and v of shape (2, 2), lr = 0.1, alpha = 0.5",
              (rng.standard_normal((2, 2)), rng.standard_normal((2, 2)), rng.standard_normal((2, 2))),
              {"lr": 0.1, "alpha": 0.5}),
             ("v = 0, theta, g of shape (3,), default lr and alpha",
              (rng.standard_normal(3), rng.standard_normal(3), np.zeros(3)), {}),
             ("random theta, g and v of shape (3,), default lr and alpha",
              (rng.standard_normal(3), rng.standard_normal(3), rng.standard_normal(3)), {})]
    _values(ctx, cases, lambda *a, **k: dict(zip(names, _nesterov(*a, **k))), kind=names,
            names=("theta", "g", "v"), rtol=1e-10, atol=1e-13)


# ---------------------------------------------------------------- chapter 12: L2 penalty

def _l2g(P, lam, *, biases=False, factor=1.0):
    return {k: (factor * lam * v if (k.startswith("W") or biases) else np.zeros_like(v)) for k, v in P.items()}


_M_L2 = [
    ("the biases are not penalized: their gradient is 0", lambda P, lam: _l2g(P, lam, biases=True)),
    ("off by a factor 2: the penalty is (λ/2)·Σ‖W‖², whose gradient is λW", lambda P, lam: _l2g(P, lam, factor=2.0)),
    ("off by a factor 2: the gradient of (λ/2)·Σ‖W‖² is λW, not λW/2", lambda P, lam: _l2g(P, lam, factor=0.5)),
    ("sign error: the gradient of the penalty is +λW", lambda P, lam: _l2g(P, lam, factor=-1.0)),
    ("return a gradient for every key of params: zeros for the biases",
     lambda P, lam: {k: lam * v for k, v in P.items() if k.startswith("W")}),
    ("this is the gradient of the L1 penalty, λ·sign(W)",
     lambda P, lam: {k: (lam * np.sign(v) if k.startswith("W") else np.zeros_like(v)) for k, v in P.items()}),
]


@_task("l2_penalty_grad", "fn(params, lam) -> grads",
       "The gradient of the L2 penalty (λ/2)·Σ_l ‖W^l‖² with respect to every entry of params (W1, b1, ...): "
       "λW^l for the weights, zeros for the biases.", 12, _M_L2)
def _b_l2(ctx):
    rng = _rng(15)
    P = _mlp_params([2, 3, 1], rng)
    for lam in (0.1, 2.5):
        case = f"params of a network with layer sizes [2, 3, 1], lam = {lam}"
        got = ctx.call(case, (P, lam), kind="dict", names=("params", "lam"), context=P)
        pen = lambda q: 0.5 * lam * sum(float(np.sum(q[k] ** 2)) for k in q if k.startswith("W"))  # noqa: E731
        if all(got[k].shape == P[k].shape for k in P):
            _grad_check(ctx, case, (P, lam), {}, got, "dict", P, pen, P, got)
        ctx.compare(case, (P, lam), {}, got, _l2g(P, lam), 1e-12, 1e-14, kind="dict", context=P)


# ---------------------------------------------------------------- chapter 13: dropout

@_task("dropout", "fn(x, p, rng) -> out",
       "Inverted dropout: remove each entry of x independently with probability p (drawing from rng) and scale "
       "the kept ones by 1/(1 − p); returns an array of the shape of x (returning (out, mask) is accepted too).", 13)
def _b_dropout(ctx):
    rng = _rng(16)
    x = rng.standard_normal((2000, 50)) + 3.0  # no exact zeros

    def run(case, x, p, seed):
        status, value = _guarded(ctx.fn, [x.copy(), p, np.random.default_rng(seed)], {})
        if status == "notimpl":
            raise _Fail("__notimpl__")
        if status != "ok":
            raise _Fail(f"case: {case}\n" + ("numpy reported a floating-point problem while your function ran: "
                                             if status == "fpe" else "your function raised ") + value)
        if isinstance(value, tuple) and len(value) == 2:
            value = value[0]
        try:
            out = _to_array(value, "your result")
        except _Fail as exc:
            raise _Fail(f"case: {case}\n{exc}") from None
        if out.shape != x.shape:
            raise _Fail(f"case: {case}\nyour result has shape {out.shape}, expected the shape of x, {x.shape}")
        return out

    p = 0.3
    case = f"x of shape {x.shape} (entries near 3), p = {p}, rng = np.random.default_rng(1)"
    x_saved = x.copy()
    status, _ = _guarded(ctx.fn, [x, p, np.random.default_rng(1)], {})
    if status == "notimpl":
        raise _Fail("__notimpl__")
    if status == "ok" and not np.array_equal(x, x_saved):
        raise _Fail(f"case: {case}\nyour function changed its argument `x` in place; return a new array "
                    "(out = x * mask)")
    x = x_saved
    out = run(case, x, p, 1)
    kept = out != 0
    same_rows = np.mean(np.all(kept[1:] == kept[:-1], axis=1))
    if same_rows > 0.5:
        raise _Fail(f"case: {case}\n{same_rows:.0%} of consecutive rows have the same mask"
                    "\nlikely mistake: draw the mask with the shape of x (one draw per entry), "
                    "not one mask shared by every row")
    ctx.ok("independent masks")
    frac = 1 - kept.mean()
    se = math.sqrt(p * (1 - p) / x.size)
    if abs(frac - p) > 6 * se:
        hint = ""
        if abs(frac - (1 - p)) < 6 * se:
            hint = "\nlikely mistake: p is the probability of removing a unit, not of keeping it"
        raise _Fail(f"case: {case}\nthe fraction of removed entries is {frac:.4f}; expected p = {p} within "
                    f"{6 * se:.4f} (6 standard errors){hint}")
    ctx.ok("the fraction of removed units is p")
    ratio = out[kept] / x[kept]
    if not np.allclose(ratio, 1 / (1 - p), rtol=1e-12, atol=0):
        i = int(np.argmax(np.abs(ratio - 1 / (1 - p))))
        r = ratio[i]
        hint = ""
        for value, text in ((1.0, "kept units must be scaled by 1/(1−p), so that the expectation is unchanged"),
                            (1 - p, "kept units must be divided by 1 − p, not multiplied by it"),
                            (1 / p, "kept units are scaled by 1/(1−p), not 1/p")):
            if np.allclose(ratio, value, rtol=1e-12, atol=0):
                hint = f"\nlikely mistake: {text}"
        raise _Fail(f"case: {case}\na kept entry should be x/(1 − p) = x·{1 / (1 - p):.6g}; one of yours is "
                    f"x·{r:.6g}{hint}")
    ctx.ok("kept units are scaled by 1/(1 − p)")
    again = run(case + ", called a second time with a fresh np.random.default_rng(1)", x, p, 1)
    if not np.array_equal(again, out):
        raise _Fail(f"case: {case}, called twice with np.random.default_rng(1)\nthe two results differ"
                    "\nlikely mistake: draw the mask from the rng argument (rng.random(x.shape)), "
                    "not from np.random")
    other = run(case.replace("default_rng(1)", "default_rng(2)"), x, p, 2)
    if np.array_equal(other, out):
        raise _Fail(f"case: {case}, and again with np.random.default_rng(2)\nthe two results are equal; "
                    "the mask must be random (drawn from rng)")
    ctx.ok("the mask comes from rng")
    out0 = run(f"x of shape {x.shape}, p = 0", x, 0.0, 3)
    if not np.allclose(out0, x, rtol=1e-12, atol=0):
        raise _Fail(f"case: x of shape {x.shape}, p = 0\nwith p = 0 dropout must return x unchanged")
    ctx.ok("p = 0 is the identity")


# ---------------------------------------------------------------- chapter 14: Xavier initialization, batch norm

@_task("xavier_normal", "fn(n_out, n_in, rng) -> W",
       "A weight matrix of shape (n_out, n_in) with independent N(0, 2/(n_in + n_out)) entries drawn from rng "
       "(Glorot and Bengio's normal initialization).", 14)
def _b_xavier(ctx):
    n_out, n_in = 200, 300
    case = f"n_out = {n_out}, n_in = {n_in}, rng = np.random.default_rng(1)"

    def run(seed, what):
        status, value = _guarded(ctx.fn, [n_out, n_in, np.random.default_rng(seed)], {})
        if status == "notimpl":
            raise _Fail("__notimpl__")
        if status != "ok":
            raise _Fail(f"case: {what}\n" + ("numpy reported a floating-point problem while your function ran: "
                                             if status == "fpe" else "your function raised ") + value)
        try:
            W = _to_array(value, "your result")
        except _Fail as exc:
            raise _Fail(f"case: {what}\n{exc}") from None
        if W.shape != (n_out, n_in):
            hint = ("\nlikely mistake: W^l has shape (n_out, n_in) = (n_l, n_{l-1}), so that Z = A W^T + b"
                    if W.shape == (n_in, n_out) else "")
            raise _Fail(f"case: {what}\nyour result has shape {W.shape}, expected ({n_out}, {n_in}){hint}")
        return W

    W = run(1, case)
    ctx.ok("shape (n_out, n_in)")
    n, target = W.size, 2.0 / (n_in + n_out)
    mean, var = W.mean(), W.var()
    if abs(mean) > 6 * math.sqrt(var / n):
        raise _Fail(f"case: {case}\nthe mean of your entries is {mean:.4g}; expected 0 within "
                    f"{6 * math.sqrt(var / n):.2g} (6 standard errors)")
    se = target * math.sqrt(2.0 / n)
    if abs(var - target) > 6 * se:
        hint = ""
        for value, text in ((1.0 / n_in, "a variance of 1/n_in is LeCun's initialization; Xavier's is 2/(n_in + n_out)"),
                            (2.0 / n_in, "a variance of 2/n_in is He's initialization (for ReLU); "
                                         "Xavier's is 2/(n_in + n_out)"),
                            (1.0 / n_out, "the variance is 2/(n_in + n_out), not 1/n_out"),
                            (1.0 / (n_in + n_out), "the variance is 2/(n_in + n_out), not 1/(n_in + n_out)"),
                            (target ** 2, "2/(n_in + n_out) is the variance; the standard deviation is its "
                                          "square root"),
                            (1.0, "the entries must be scaled: standard deviation √(2/(n_in + n_out))")):
            if text and abs(var - value) < 6 * value * math.sqrt(2.0 / n):
                hint = f"\nlikely mistake: {text}"
                break
        raise _Fail(f"case: {case}\nthe variance of your entries is {var:.6g}; expected 2/(n_in + n_out) = "
                    f"{target:.6g} within {6 * se:.2g} (6 standard errors){hint}")
    ctx.ok("variance 2/(n_in + n_out)")
    kurt = float(np.mean((W - mean) ** 4) / var ** 2)
    if abs(kurt - 3.0) > 6 * math.sqrt(24.0 / n):
        hint = ("\nlikely mistake: these look uniformly distributed (kurtosis 1.8); draw normal entries "
                "(rng.standard_normal or rng.normal)" if abs(kurt - 1.8) < 0.1 else "")
        raise _Fail(f"case: {case}\nthe kurtosis of your entries is {kurt:.3f}; a normal distribution has 3{hint}")
    ctx.ok("normally distributed entries")
    if not np.array_equal(run(1, case + ", a second time"), W):
        raise _Fail(f"case: {case}, called twice\nthe two results differ\nlikely mistake: draw from the rng "
                    "argument, not from np.random")
    if np.array_equal(run(2, case.replace("default_rng(1)", "default_rng(2)")), W):
        raise _Fail(f"case: {case} and with np.random.default_rng(2)\nthe two results are equal: draw from rng")
    ctx.ok("the draw comes from rng")


def _bn_back(dy, x, gamma, eps=1e-5, *, mean_terms=2, ddof=0, dbeta_mean=False, dgamma_plain=False,
             no_gamma=False, no_eps=False):
    N = x.shape[0]
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).sum(axis=0) / (N - ddof)
    inv = 1.0 / np.sqrt(var + (0.0 if no_eps else eps))
    xhat = (x - mu) * inv
    g = dy * (1.0 if no_gamma else gamma)
    dx = g
    if mean_terms >= 1:
        dx = dx - g.mean(axis=0)
    if mean_terms >= 2:
        dx = dx - xhat * np.mean(g * xhat, axis=0)
    dx = inv * dx
    dgamma = dy.sum(axis=0) if dgamma_plain else np.sum(dy * xhat, axis=0)
    dbeta = dy.mean(axis=0) if dbeta_mean else dy.sum(axis=0)
    return dx, dgamma, dbeta


def _bn_forward(x, gamma, eps):
    mu = x.mean(axis=0)
    return gamma * (x - mu) / np.sqrt(((x - mu) ** 2).mean(axis=0) + eps)


_M_BN = [
    ("the two batch-mean terms are missing: x_i also moves the batch mean and variance, so "
     "dx = (g − mean(g) − x̂·mean(g x̂))/√(σ² + ε) with g = γ dy", lambda *a, **k: _bn_back(*a, **k, mean_terms=0)),
    ("the term through the batch variance is missing: subtract x̂·mean(g x̂) as well",
     lambda *a, **k: _bn_back(*a, **k, mean_terms=1)),
    ("use the biased batch variance (divide by N, not N − 1)", lambda *a, **k: _bn_back(*a, **k, ddof=1)),
    ("dbeta is the sum of dy over the batch, not the mean", lambda *a, **k: _bn_back(*a, **k, dbeta_mean=True)),
    ("dgamma = Σ_i dy_i ⊙ x̂_i (the normalized input), not Σ_i dy_i",
     lambda *a, **k: _bn_back(*a, **k, dgamma_plain=True)),
    ("the factor γ is missing in dx: the gradient reaching x̂ is γ·dy", lambda *a, **k: _bn_back(*a, **k, no_gamma=True)),
    ("ε is missing: normalize by √(σ² + ε)", lambda *a, **k: _bn_back(*a, **k, no_eps=True)),
]


@_task("batchnorm_backward", "fn(dy, x, gamma, eps=1e-5) -> (dx, dgamma, dbeta)",
       "Back-propagate through batch normalization y = γ (x − μ)/√(σ² + ε) + β over the batch axis of x (N, d), "
       "μ and σ² the batch mean and biased batch variance: given dy (N, d), return dx (N, d), dgamma (d,), dbeta (d,).",
       14, _M_BN)
def _b_bn(ctx):
    rng = _rng(17)
    names = ("dx", "dgamma", "dbeta")
    setups = [((8, 3), 1.0, {}), ((5, 4), 1e-2, {}), ((6, 2), 1.0, {"eps": 0.5})]
    for shape, scale, kw in setups:
        x = scale * rng.standard_normal(shape) + rng.standard_normal(shape[1])
        dy, gamma = rng.standard_normal(shape), rng.standard_normal(shape[1])
        eps = kw.get("eps", 1e-5)
        case = (f"dy and x of shape {shape} (x with standard deviation {scale:g}), gamma of shape ({shape[1]},)"
                + (f", eps = {eps}" if kw else ""))
        args = (dy, x, gamma)
        got = ctx.call(case, args, kw, kind=names, names=("dy", "x", "gamma"))
        want = dict(zip(names, _bn_back(*args, **kw)))
        if all(got[k].shape == want[k].shape for k in names):
            beta = rng.standard_normal(shape[1])
            _grad_check(ctx, case, args, kw, got, names, None,
                        lambda q: float(np.sum(dy * (_bn_forward(q["x"], q["gamma"], eps) + q["beta"]))),
                        {"x": x, "gamma": gamma, "beta": beta},
                        {"x": got["dx"], "gamma": got["dgamma"], "beta": got["dbeta"]}, h=1e-6 * scale)
        ctx.compare(case, args, kw, got, want, 1e-8, 1e-10, kind=names)


# ---------------------------------------------------------------- chapter 15: activation patterns

def _pattern(P, X, *, relu=True, include_output=False, first_only=False, ge=False):
    L = len(P) // 2
    A, pats = X, []
    last = L + 1 if include_output else L
    for l in range(1, last):
        Z = A @ P[f"W{l}"].T + P[f"b{l}"]
        on = Z >= 0 if ge else Z > 0
        pats.append(on)
        A = np.where(on, Z, 0.0) if relu else Z
        if first_only:
            break
    return np.concatenate(pats, axis=1)


_M_PATTERN = [
    ("the next layer's input is ReLU(Z), not Z: zero the inactive units before going on",
     lambda P, X: _pattern(P, X, relu=False)),
    ("a unit with z = 0 is inactive (ReLU(0) = 0 and its slope there is taken as 0): use z > 0, not z ≥ 0",
     lambda P, X: _pattern(P, X, ge=True)),
    ("the output layer has no ReLU and is not part of the pattern: only layers 1..L−1",
     lambda P, X: _pattern(P, X, include_output=True)),
    ("every hidden layer belongs to the pattern, concatenated along axis 1 (layers 1..L−1)",
     lambda P, X: _pattern(P, X, first_only=True)),
    ("a unit is active where z > 0, not where z < 0", lambda P, X: ~_pattern(P, X)),
]


@_task("activation_pattern", "fn(params, X) -> B",
       "Which hidden ReLU units are active (z > 0) for each input: a boolean array of shape "
       "(N, n_1 + ... + n_{L-1}), the hidden layers 1..L−1 of the ReLU network params side by side.", 15, _M_PATTERN)
def _b_pattern(ctx):
    rng = _rng(18)
    cases = []
    P, X = _mlp_params([2, 4, 3, 1], rng), rng.standard_normal((7, 2))
    cases.append((f"a ReLU network with layer sizes [2, 4, 3, 1], X of shape {X.shape}", (P, X), {}))
    P, X = _mlp_params([3, 5, 1], rng), rng.standard_normal((6, 3))
    cases.append((f"a ReLU network with layer sizes [3, 5, 1], X of shape {X.shape}", (P, X), {}))
    P = _mlp_params([2, 3, 2, 1], rng)
    P["b1"][:] = 0.0
    X = np.vstack([np.zeros((1, 2)), rng.standard_normal((3, 2))])
    cases.append(("layer sizes [2, 3, 2, 1] with b1 = 0 and the input x = 0 in the first row (z = 0 exactly)",
                  (P, X), {}))
    _values(ctx, cases, lambda P, X: {"result": _pattern(P, X)}, kind="bool", names=("params", "X"), rtol=0,
            atol=0)


# ---------------------------------------------------------------- chapter 16: random features

def _rf(X, W, b, g=lambda Z: np.maximum(Z, 0.0), scale=None, bias=True):
    Z = X @ W.T + (b if bias else 0.0)
    return g(Z) / (np.sqrt(W.shape[0]) if scale is None else scale)


_M_RF = [
    ("the factor 1/√m is missing (m = number of features, the rows of W)",
     lambda X, W, b: _rf(X, W, b, scale=1.0)),
    ("divide by √m, not m: then Φ Φᵀ averages the m features", lambda X, W, b: _rf(X, W, b, scale=W.shape[0])),
    ("divide by √m with m the number of features (rows of W), not the input dimension",
     lambda X, W, b: _rf(X, W, b, scale=np.sqrt(W.shape[1]))),
    ("the bias b is missing: Φ = ReLU(X Wᵀ + b)/√m", lambda X, W, b: _rf(X, W, b, bias=False)),
    ("the ReLU is missing: Φ = ReLU(X Wᵀ + b)/√m", lambda X, W, b: _rf(X, W, b, g=lambda Z: Z)),
    ("W has shape (m, n_0): use X @ W.T", lambda X, W, b: np.maximum(X @ W + b, 0) / np.sqrt(W.shape[0])),
]


@_task("random_features", "fn(X, W, b) -> Phi",
       "The random-feature map Φ = ReLU(X Wᵀ + b)/√m for inputs X (N, n_0), fixed random weights W (m, n_0) "
       "and biases b (m,): shape (N, m), so that Φ Φᵀ approximates the arc-cosine kernel.", 16, _M_RF)
def _b_rf(ctx):
    rng = _rng(19)
    cases = []
    for N, n0, m in ((6, 3, 8), (4, 4, 4), (5, 2, 7)):
        X, W, b = rng.standard_normal((N, n0)), rng.standard_normal((m, n0)), rng.standard_normal(m)
        cases.append((f"X of shape {X.shape}, W of shape {W.shape}, b of shape {b.shape}", (X, W, b), {}))
    _values(ctx, cases, lambda X, W, b: {"result": _rf(X, W, b)}, names=("X", "W", "b"), rtol=1e-10, atol=1e-12)
