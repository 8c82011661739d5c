"""Tests of coursepkg.practice: correct implementations pass, plausible wrong ones fail with the matching hint,
and nothing a student's function does makes ``check`` raise.

The wrong implementations below are written here, in their own style (loops, other formulas), not copied
from the mutants inside coursepkg.practice: a hint is only expected when the wrong function computes the
same thing as a known mistake.
"""
import math

import numpy as np
import pytest

from coursepkg import (activations, conv, gradcheck, init, kernels, losses, mlp, optim, practice, regions,
                       regularization)

# ----------------------------------------------------------------------------- package implementations (adapters)


def _pkg_adam(theta, g, m, v, t, lr=1e-3, rho1=0.9, rho2=0.999, eps=1e-8):
    opt = optim.adam(lr, rho1, rho2, eps)
    p, s = opt.step({"w": theta}, {"w": g}, {"t": t - 1, "m": {"w": m}, "r": {"w": v}})
    return p["w"], s["m"]["w"], s["r"]["w"]


def _pkg_nesterov(theta, g, v, lr=0.01, alpha=0.9):
    opt = optim.nesterov(lr, alpha)
    p, s = opt.step({"w": theta}, {"w": g}, {"t": 0, "v": {"w": v}})
    return p["w"], s["v"]["w"]


def _pkg_bn(dy, x, gamma, eps=1e-5):
    _, cache = regularization.batchnorm_forward(x, gamma, np.zeros_like(gamma), eps)
    return regularization.batchnorm_backward(dy, cache)


def _pkg_logreg(w, b, X, y):
    g = losses.binary_cross_entropy_with_logits_grad(X @ w + b, y)
    return X.T @ g, float(g.sum())


def _pkg_forward(P, X):
    out = mlp.mlp_forward(P, X)
    return out[0] if isinstance(out, tuple) else out


PACKAGE = {
    "forward_pass": _pkg_forward,
    "logistic_regression_grad": _pkg_logreg,
    "sigmoid": activations.sigmoid,
    "sigmoid_prime": activations.sigmoid_prime,
    "binary_cross_entropy": losses.binary_cross_entropy,
    "softmax": activations.softmax,
    "linear_backward": lambda dZ, A, W: mlp.linear_backward(dZ, (np.asarray(A, float), np.asarray(W, float))),
    "backprop": lambda P, X, y: mlp.mlp_loss_and_grads(P, X, y)[1],
    "numerical_gradient": lambda f, x, h=1e-5: gradcheck.numerical_gradient(f, x, h=h),
    "complex_step": lambda f, x, h=1e-20: gradcheck.numerical_gradient(f, x, h=h, method="complex"),
    "softmax_cross_entropy_grad": losses.softmax_cross_entropy_grad,
    "convolve": conv.convolve,
    "correlate2d": conv.correlate2d,
    "adam_step": _pkg_adam,
    "nesterov_step": _pkg_nesterov,
    "l2_penalty_grad": regularization.l2_penalty_grad,
    "dropout": regularization.dropout,
    "xavier_normal": init.xavier_normal,
    "batchnorm_backward": _pkg_bn,
    "activation_pattern": regions.activation_pattern,
    "random_features": kernels.random_features,
}

# ----------------------------------------------------------------------------- independent correct implementations


def my_forward(params, X):
    L = len(params) // 2
    A = np.asarray(X, float)
    for l in range(1, L + 1):
        Z = np.einsum("ij,kj->ik", A, params[f"W{l}"]) + params[f"b{l}"]
        if l < L:
            A = 0.5 * (1 + np.tanh(Z / 2))
        else:
            A = np.exp(Z - np.logaddexp.reduce(Z, axis=1, keepdims=True))
    return A


def my_logreg(w, b, X, y):
    dw, db = np.zeros_like(w), 0.0
    for xi, yi in zip(X, y):
        p = 1 / (1 + math.exp(-(xi @ w + b)))
        dw += (p - yi) * xi
        db += p - yi
    return dw / len(y), db / len(y)


def my_sigmoid(z):
    z = np.asarray(z, float)
    return np.exp(-np.logaddexp(0.0, -z))


def my_sigmoid_prime(z):
    z = np.asarray(z, float)
    return np.exp(-np.logaddexp(0.0, -z) - np.logaddexp(0.0, z))


def my_bce(p, y):
    total = 0.0
    for pi, yi in zip(p, y):
        total -= math.log(pi) if yi == 1 else math.log1p(-pi)
    return total / len(p)


def my_softmax(Z):
    return np.exp(Z - np.logaddexp.reduce(Z, axis=1, keepdims=True))


def my_linear_backward(dZ, A_prev, W):
    return np.einsum("no,oi->ni", dZ, W), np.einsum("no,ni->oi", dZ, A_prev), np.ones(len(dZ)) @ dZ


def my_backprop(params, X, y):
    L = len(params) // 2
    acts, pre = [np.asarray(X, float)], []
    for l in range(1, L + 1):
        z = acts[-1] @ params[f"W{l}"].T + params[f"b{l}"]
        pre.append(z)
        acts.append(my_softmax(z) if l == L else my_sigmoid(z))
    delta = acts[-1].copy()
    delta[np.arange(len(y)), y] -= 1
    delta /= len(y)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"W{l}"] = delta.T @ acts[l - 1]
        grads[f"b{l}"] = delta.sum(0)
        if l > 1:
            delta = (delta @ params[f"W{l}"]) * acts[l - 1] * (1 - acts[l - 1])
    return grads


def my_numgrad(f, x, h=1e-5):
    x = np.array(x, float)
    g = np.empty_like(x)
    flat, gf = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        fp = f(x)
        flat[i] = old - h
        fm = f(x)
        flat[i] = old
        gf[i] = (fp - fm) / (2 * h)
    return g


def my_complex_step(f, x, h=1e-20):
    x = np.asarray(x, float)
    out = np.zeros(x.size)
    for i in range(x.size):
        xc = x.astype(complex).ravel()
        xc[i] += 1j * h
        out[i] = f(xc.reshape(x.shape)).imag / h
    return out.reshape(x.shape)


def my_sce_grad(Z, labels):
    N, K = Z.shape
    return (my_softmax(Z) - np.eye(K)[labels]) / N


def my_convolve(f, g):
    y = np.zeros(len(f) + len(g) - 1)
    for i, fi in enumerate(f):
        y[i:i + len(g)] += fi * np.asarray(g)
    return y


def my_correlate2d(x, k):
    H, W = x.shape[0] - k.shape[0] + 1, x.shape[1] - k.shape[1] + 1
    return np.array([[np.sum(x[i:i + k.shape[0], j:j + k.shape[1]] * k) for j in range(W)] for i in range(H)])


def my_adam(theta, g, m, v, t, lr=1e-3, rho1=0.9, rho2=0.999, eps=1e-8):
    m = m + (1 - rho1) * (g - m)
    v = v + (1 - rho2) * (g ** 2 - v)
    step = lr * (m / (1 - rho1 ** t)) / (np.sqrt(v / (1 - rho2 ** t)) + eps)
    return theta - step, m, v


def my_nesterov(theta, g, v, lr=0.01, alpha=0.9):
    v = alpha * v + g
    return theta - lr * g - lr * alpha * v, v


def my_l2_grad(params, lam):
    return {k: lam * w if k[0] == "W" else 0 * w for k, w in params.items()}


def my_dropout(x, p, rng):
    keep = rng.uniform(size=np.shape(x)) > p
    return np.where(keep, x / (1 - p), 0.0)


def my_xavier(n_out, n_in, rng):
    return rng.normal(0.0, math.sqrt(2 / (n_out + n_in)), size=(n_out, n_in))


def my_bn_backward(dy, x, gamma, eps=1e-5):
    N = x.shape[0]
    mu = x.mean(0)
    var = x.var(0)
    xhat = (x - mu) / np.sqrt(var + eps)
    dxhat = dy * gamma
    dvar = np.sum(dxhat * (x - mu), 0) * -0.5 * (var + eps) ** -1.5
    dmu = -np.sum(dxhat, 0) / np.sqrt(var + eps) - 2 * dvar * np.mean(x - mu, 0)
    dx = dxhat / np.sqrt(var + eps) + dvar * 2 * (x - mu) / N + dmu / N
    return dx, np.sum(dy * xhat, 0), dy.sum(0)


def my_pattern(params, X):
    L = len(params) // 2
    a, cols = X, []
    for l in range(1, L):
        z = a @ params[f"W{l}"].T + params[f"b{l}"]
        cols.append(z > 0)
        a = z * (z > 0)
    return np.hstack(cols)


def my_random_features(X, W, b):
    m = len(b)
    return np.clip(X @ W.T + b, 0, None) * m ** -0.5


MINE = {
    "forward_pass": my_forward, "logistic_regression_grad": my_logreg, "sigmoid": my_sigmoid,
    "sigmoid_prime": my_sigmoid_prime, "binary_cross_entropy": my_bce, "softmax": my_softmax,
    "linear_backward": my_linear_backward, "backprop": my_backprop, "numerical_gradient": my_numgrad,
    "complex_step": my_complex_step, "softmax_cross_entropy_grad": my_sce_grad, "convolve": my_convolve,
    "correlate2d": my_correlate2d, "adam_step": my_adam, "nesterov_step": my_nesterov,
    "l2_penalty_grad": my_l2_grad, "dropout": my_dropout, "xavier_normal": my_xavier,
    "batchnorm_backward": my_bn_backward, "activation_pattern": my_pattern,
    "random_features": my_random_features,
}

# ----------------------------------------------------------------------------- wrong implementations and their hints


def _loop_sig(z):
    return np.vectorize(lambda t: 1 / (1 + math.exp(-t)) if t > -700 else 0.0)(np.asarray(z, float))


def _bp_variant(params, X, y, *, mean=True, prime=True, transpose=False, prime_at_a=False, sign=1):
    L = len(params) // 2
    acts, pre = [np.asarray(X, float)], []
    for l in range(1, L + 1):
        z = acts[-1] @ params[f"W{l}"].T + params[f"b{l}"]
        pre.append(z)
        acts.append(my_softmax(z) if l == L else my_sigmoid(z))
    delta = sign * (acts[-1] - np.eye(acts[-1].shape[1])[y]) / (len(y) if mean else 1)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"W{l}"] = acts[l - 1].T @ delta if transpose else delta.T @ acts[l - 1]
        grads[f"b{l}"] = delta.sum(0)
        if l > 1:
            delta = delta @ params[f"W{l}"]
            if prime:
                s = my_sigmoid(acts[l - 1]) if prime_at_a else acts[l - 1]
                delta = delta * s * (1 - s)
    return grads


def _fwd_variant(params, X, *, out="softmax", hidden="sigmoid", bias=True, axis=1):
    L = len(params) // 2
    A = X
    for l in range(1, L + 1):
        Z = A @ params[f"W{l}"].T + (params[f"b{l}"] if bias else 0)
        if l < L:
            A = my_sigmoid(Z) if hidden == "sigmoid" else Z
        elif out == "softmax":
            A = np.exp(Z) / np.exp(Z).sum(axis=axis, keepdims=True)
        elif out == "sigmoid":
            A = my_sigmoid(Z)
        else:
            A = Z
    return A


def _adam_variant(theta, g, m, v, t, lr=1e-3, rho1=0.9, rho2=0.999, eps=1e-8, *, correct=True, inside=False,
                  t0=False, hat_state=False):
    m = rho1 * m + (1 - rho1) * g
    v = rho2 * v + (1 - rho2) * g * g
    tt = t + 1 if t0 else t
    mh, vh = (m / (1 - rho1 ** tt), v / (1 - rho2 ** tt)) if correct else (m, v)
    den = np.sqrt(vh + eps) if inside else np.sqrt(vh) + eps
    theta = theta - lr * mh / den
    return (theta, mh, vh) if hat_state else (theta, m, v)


def _bn_variant(dy, x, gamma, eps=1e-5, *, full=True, ddof=0, dbeta_mean=False, dgamma_sum=False, gam=True):
    xc = x - x.mean(0)
    var = (xc ** 2).sum(0) / (len(x) - ddof)
    inv = 1 / np.sqrt(var + eps)
    xhat = xc * inv
    g = dy * gamma if gam else dy
    dx = inv * (g - g.mean(0) - xhat * (g * xhat).mean(0)) if full else inv * g
    return dx, (dy.sum(0) if dgamma_sum else (dy * xhat).sum(0)), (dy.mean(0) if dbeta_mean else dy.sum(0))


def _pattern_variant(params, X, *, relu=True, ge=False, output=False):
    L = len(params) // 2
    a, cols = X, []
    for l in range(1, L + 1 if output else L):
        z = a @ params[f"W{l}"].T + params[f"b{l}"]
        on = (z >= 0) if ge else (z > 0)
        cols.append(on)
        a = z * on if relu else z
    return np.hstack(cols)


def _numgrad_variant(f, x, h=1e-5, *, kind="forward"):
    x = np.asarray(x, float)
    g = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        if kind == "forward":
            g[idx] = (f(x + e) - f(x)) / h
        elif kind == "half":
            g[idx] = (f(x + e) - f(x - e)) / h
        elif kind == "flip":
            g[idx] = (f(x - e) - f(x + e)) / (2 * h)
        elif kind == "fixed_h":
            e[idx] = 1e-5
            g[idx] = (f(x + e) - f(x - e)) / 2e-5
    return g


def _cs_variant(f, x, h=1e-20, *, kind="central"):
    x = np.asarray(x, float)
    g = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        e = np.zeros(x.shape, complex)
        if kind == "central":
            e[idx] = 1e-6
            g[idx] = np.real(f(x + e) - f(x - e)) / 2e-6
        elif kind == "real":
            e[idx] = 1j * h
            g[idx] = np.real(f(x + e))
        elif kind == "noh":
            e[idx] = 1j * h
            g[idx] = np.imag(f(x + e))
        elif kind == "minus":
            e[idx] = -1j * h
            g[idx] = np.imag(f(x + e)) / h
        elif kind == "real_h":
            e[idx] = h
            g[idx] = np.real(f(x + e) - f(x - e)) / (2 * h)
    return g


MUTANTS = {
    "forward_pass": [
        (lambda P, X: _fwd_variant(P, X, out="sigmoid"), "not a sigmoid"),
        (lambda P, X: _fwd_variant(P, X, out="none"), "returns the logits"),
        (lambda P, X: _fwd_variant(P, X, hidden="none"), "apply σ to every hidden"),
        (lambda P, X: _fwd_variant(P, X, bias=False), "biases are missing"),
        (lambda P, X: _fwd_variant(P, X, axis=0), "not each column"),
    ],
    "logistic_regression_grad": [
        (lambda w, b, X, y: (X.T @ (my_sigmoid(X @ w + b) - y), np.sum(my_sigmoid(X @ w + b) - y)), "factor N"),
        (lambda w, b, X, y: tuple(-np.asarray(r) for r in my_logreg(w, b, X, y)), "sign error"),
        (lambda w, b, X, y: (X.T @ ((my_sigmoid(X @ w + b) - y) * my_sigmoid_prime(X @ w + b)) / len(y),
                             np.mean((my_sigmoid(X @ w + b) - y) * my_sigmoid_prime(X @ w + b))), "quadratic loss"),
        (lambda w, b, X, y: (my_logreg(w, b, X, y)[0], my_logreg(w, b, X, y)[1] * len(y)), "db is off by a factor N"),
        (lambda w, b, X, y: (my_logreg(w, b, X, y)[0], 0.0), "db is missing"),
    ],
    "sigmoid": [
        (lambda z: 1 / (1 + np.exp(-np.asarray(z, float))), "overflow"),
        (lambda z: np.exp(z) / (np.exp(z) + 1), "overflow"),
        (lambda z: my_sigmoid(-np.asarray(z, float)), "sign error"),
        (lambda z: 0.5 + 0.5 * np.tanh(0.5 * np.asarray(z, float)), "relative accuracy"),
        (lambda z: 1 - my_sigmoid(-np.asarray(z, float)), "relative accuracy"),
        (lambda z: my_sigmoid(z) * (1 - my_sigmoid(z)), "this is σ′(z)"),
        (_loop_sig, None),  # a cut-off at −700: fails at z = −1e4? no, returns 0 there; fails the tail at −700
    ],
    "sigmoid_prime": [
        (lambda z: my_sigmoid(z) * (1 - my_sigmoid(z)), "1 − σ(z) rounds to 0"),
        (lambda z: np.exp(-np.asarray(z, float)) / (1 + np.exp(-np.asarray(z, float))) ** 2, "overflow"),
        (lambda z: (1 / (1 + np.exp(-np.asarray(z, float)))) * (1 - 1 / (1 + np.exp(-np.asarray(z, float)))),
         "overflow"),
        (my_sigmoid, "this is σ(z)"),
        (lambda z: -my_sigmoid_prime(z), "sign error"),
        (lambda z: 1 - my_sigmoid(z) ** 2, "1 − tanh²"),
    ],
    "binary_cross_entropy": [
        (lambda p, y: my_bce(p, y) * len(p), "factor N"),
        (lambda p, y: -my_bce(p, y), "sign error"),
        (lambda p, y: -np.mean(y * np.log(p)), "(1 − y) log(1 − p)"),
        (lambda p, y: -np.mean(y * np.log10(p) + (1 - y) * np.log10(1 - p)), "log10"),
        (lambda p, y: -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), "0·log 0"),
        (lambda p, y: -np.mean(y * np.log2(p) + (1 - y) * np.log2(1 - p)), "log2"),
    ],
    "softmax": [
        (lambda Z: np.exp(Z) / np.sum(np.exp(Z), axis=1, keepdims=True), "overflow"),
        (lambda Z: my_softmax(Z.T).T, "not each column"),
        (lambda Z: np.exp(Z - np.max(Z)) / np.sum(np.exp(Z - np.max(Z)), axis=1, keepdims=True),
         "not the maximum of the whole array"),
        (lambda Z: np.exp(Z - Z.max(1, keepdims=True)) / np.exp(Z - Z.max(1, keepdims=True)).sum(1), "keepdims"),
        (lambda Z: np.exp(Z - Z.max(1, keepdims=True)), "not normalized"),
        (lambda Z: Z - np.logaddexp.reduce(Z, axis=1, keepdims=True), "log softmax"),
    ],
    "linear_backward": [
        (lambda dZ, A, W: (dZ @ W, A.T @ dZ, dZ.sum(0)), "transpose"),
        (lambda dZ, A, W: (dZ @ W, dZ.T @ A, dZ.mean(0)), "db is off by a factor N"),
        (lambda dZ, A, W: (dZ @ W, dZ.T @ A / len(dZ), dZ.sum(0)), "dW is off by a factor N"),
        (lambda dZ, A, W: (dZ @ W.T, dZ.T @ A, dZ.sum(0)), "dA_prev = dZ W"),
        (lambda dZ, A, W: (dZ @ W, dZ.T @ A, dZ.sum(1)), "axis=0"),
        (lambda dZ, A, W: (dZ.T @ A, dZ @ W, dZ.sum(0)), "in the order"),
    ],
    "backprop": [
        (lambda P, X, y: _bp_variant(P, X, y, mean=False), "factor N"),
        (lambda P, X, y: _bp_variant(P, X, y, prime=False), "σ′(Z^{l-1}) is missing"),
        (lambda P, X, y: _bp_variant(P, X, y, prime_at_a=True), "not at the activation"),
        (lambda P, X, y: _bp_variant(P, X, y, transpose=True), "transpose"),
        (lambda P, X, y: _bp_variant(P, X, y, sign=-1), "sign error"),
    ],
    "numerical_gradient": [
        (lambda f, x, h=1e-5: _numgrad_variant(f, x, h, kind="forward"), "forward differences"),
        (lambda f, x, h=1e-5: _numgrad_variant(f, x, h, kind="half"), "factor 2"),
        (lambda f, x, h=1e-5: _numgrad_variant(f, x, h, kind="flip"), "sign error"),
        (lambda f, x, h=1e-5: _numgrad_variant(f, x, h, kind="fixed_h"), "h passed in is ignored"),
        (lambda f, x, h=1e-5: np.ones_like(x) * (f(x + h) - f(x - h)) / (2 * h), "one coordinate at a time"),
    ],
    "complex_step": [
        (lambda f, x, h=1e-20: _cs_variant(f, x, h, kind="central"), "central differences"),
        (lambda f, x, h=1e-20: _cs_variant(f, x, h, kind="real"), "imaginary part"),
        (lambda f, x, h=1e-20: _cs_variant(f, x, h, kind="noh"), "divide the imaginary part by h"),
        (lambda f, x, h=1e-20: _cs_variant(f, x, h, kind="minus"), "sign error"),
        (lambda f, x, h=1e-20: _cs_variant(f, x, h, kind="real_h"), "rounds to x"),
    ],
    "softmax_cross_entropy_grad": [
        (lambda Z, y: my_sce_grad(Z, y) * len(y), "factor N"),
        (lambda Z, y: -my_sce_grad(Z, y), "sign error"),
        (lambda Z, y: my_softmax(Z) / len(y), "one-hot target is missing"),
        (lambda Z, y: (np.exp(Z) / np.exp(Z).sum(1, keepdims=True) - np.eye(Z.shape[1])[y]) / len(y), "overflow"),
        (lambda Z, y: (my_softmax(Z) - np.eye(Z.shape[1])[y]) / Z.shape[1], "not the number of classes"),
        (lambda Z, y: -np.eye(Z.shape[1])[y] / my_softmax(Z) / len(y), "∂c/∂A"),
    ],
    "convolve": [
        (lambda f, g: my_convolve(f, np.asarray(g)[::-1]), "kernel must be flipped"),
        (lambda f, g: np.array([sum(f[m] * g[n + m] for m in range(len(f)) if 0 <= n + m < len(g))
                                for n in range(-len(f) + 1, len(g))]), "kernel must be flipped"),
        (lambda f, g: np.convolve(f, g, mode="same"), "mode 'same'"),
        (lambda f, g: np.convolve(f, g, mode="valid"), "mode 'valid'"),
        (lambda f, g: my_convolve(f, g)[:-1], "last entry is missing"),
        (lambda f, g: np.fft.ifft(np.fft.fft(f, max(len(f), len(g))) * np.fft.fft(g, max(len(f), len(g)))).real,
         "circular"),
    ],
    "correlate2d": [
        (lambda x, k: my_correlate2d(x, np.flip(k)), "not flipped"),
        (lambda x, k: my_correlate2d(x, np.flipud(k)), "one axis only"),
        (lambda x, k: my_correlate2d(np.pad(x, [(k.shape[0] - 1,) * 2, (k.shape[1] - 1,) * 2]), k), "mode 'full'"),
        (lambda x, k: my_correlate2d(x, k)[:-1, :-1], "off by one"),
        (lambda x, k: my_correlate2d(x, k.T), "transposed"),
    ],
    "adam_step": [
        (lambda *a, **k: _adam_variant(*a, **k, correct=False), "no bias correction"),
        (lambda *a, **k: _adam_variant(*a, **k, inside=True), "outside the square root"),
        (lambda *a, **k: _adam_variant(*a, **k, t0=True), "t counts from 1"),
        (lambda *a, **k: _adam_variant(*a, **k, hat_state=True), "uncorrected moments"),
        (lambda theta, g, m, v, t, lr=1e-3, rho1=0.9, rho2=0.999, eps=1e-8:
         my_adam(theta, g, m, v, t, lr, rho2, rho1, eps), "swapped"),
    ],
    "nesterov_step": [
        (lambda th, g, v, lr=0.01, alpha=0.9: (th - lr * (alpha * v + g), alpha * v + g), "plain momentum"),
        (lambda th, g, v, lr=0.01, alpha=0.9: (th - (lr * g + alpha * (alpha * v + g)), alpha * v + g),
         "multiplies both terms"),
        (lambda th, g, v, lr=0.01, alpha=0.9: (th - lr * alpha * (alpha * v + g), alpha * v + g),
         "gradient term is missing"),
        (lambda th, g, v, lr=0.01, alpha=0.9: (th + lr * (g + alpha * (alpha * v + g)), alpha * v + g), "sign error"),
        (lambda th, g, v, lr=0.01, alpha=0.9: (th - lr * g + alpha * (alpha * v - lr * g), alpha * v - lr * g),
         "velocity convention"),
    ],
    "l2_penalty_grad": [
        (lambda P, lam: {k: lam * w for k, w in P.items()}, "biases are not penalized"),
        (lambda P, lam: {k: 2 * lam * w if k[0] == "W" else 0 * w for k, w in P.items()}, "factor 2"),
        (lambda P, lam: {k: lam * w / 2 if k[0] == "W" else 0 * w for k, w in P.items()}, "factor 2"),
        (lambda P, lam: {k: -lam * w if k[0] == "W" else 0 * w for k, w in P.items()}, "sign error"),
        (lambda P, lam: {k: lam * np.sign(w) if k[0] == "W" else 0 * w for k, w in P.items()}, "L1"),
        (lambda P, lam: {k: lam * w for k, w in P.items() if k[0] == "W"}, "zeros for the biases"),
    ],
    "dropout": [
        (lambda x, p, rng: np.where(rng.random(x.shape) < p, 0.0, x), "scaled by 1/(1−p)"),
        (lambda x, p, rng: np.where(rng.random(x.shape) < p, 0.0, x * (1 - p)), "not multiplied"),
        (lambda x, p, rng: np.where(rng.random(x.shape) < p, 0.0, x / p) if p > 0 else x, "not 1/p"),
        (lambda x, p, rng: np.where(rng.random(x.shape) < 1 - p, 0.0, x / (1 - p)), "not of keeping"),
        (lambda x, p, rng: x * (rng.random(x.shape[-1]) >= p) / (1 - p), "shared by every row"),
        (lambda x, p, rng: x * (np.random.default_rng().random(x.shape) >= p) / (1 - p), "from the rng argument"),
    ],
    "xavier_normal": [
        (lambda n_out, n_in, rng: rng.standard_normal((n_out, n_in)) / math.sqrt(n_in), "LeCun"),
        (lambda n_out, n_in, rng: rng.standard_normal((n_out, n_in)) * math.sqrt(2 / n_in), "He"),
        (lambda n_out, n_in, rng: rng.standard_normal((n_out, n_in)) * 2 / (n_in + n_out), "standard deviation is"),
        (lambda n_out, n_in, rng: rng.standard_normal((n_in, n_out)) * math.sqrt(2 / (n_in + n_out)), "(n_out, n_in)"),
        (lambda n_out, n_in, rng: rng.uniform(-1, 1, (n_out, n_in)) * math.sqrt(6 / (n_in + n_out)), "uniformly"),
        (lambda n_out, n_in, rng: rng.standard_normal((n_out, n_in)), "must be scaled"),
        (lambda n_out, n_in, rng: np.random.default_rng().normal(0, math.sqrt(2 / (n_in + n_out)), (n_out, n_in)),
         "not from np.random"),
    ],
    "batchnorm_backward": [
        (lambda *a, **k: _bn_variant(*a, **k, full=False), "batch-mean terms are missing"),
        (lambda *a, **k: _bn_variant(*a, **k, ddof=1), "biased batch variance"),
        (lambda *a, **k: _bn_variant(*a, **k, dbeta_mean=True), "dbeta is the sum"),
        (lambda *a, **k: _bn_variant(*a, **k, dgamma_sum=True), "dgamma"),
        (lambda *a, **k: _bn_variant(*a, **k, gam=False), "factor γ is missing"),
    ],
    "activation_pattern": [
        (lambda P, X: _pattern_variant(P, X, relu=False), "ReLU(Z), not Z"),
        (lambda P, X: _pattern_variant(P, X, ge=True), "z > 0, not z ≥ 0"),
        (lambda P, X: _pattern_variant(P, X, output=True), "output layer"),
        (lambda P, X: (X @ P["W1"].T + P["b1"]) > 0, "every hidden layer"),
        (lambda P, X: ~my_pattern(P, X), "not where z < 0"),
    ],
    "random_features": [
        (lambda X, W, b: np.maximum(X @ W.T + b, 0), "1/√m is missing"),
        (lambda X, W, b: np.maximum(X @ W.T + b, 0) / len(b), "not m"),
        (lambda X, W, b: np.maximum(X @ W.T + b, 0) / math.sqrt(X.shape[1]), "not the input dimension"),
        (lambda X, W, b: np.maximum(X @ W.T, 0) / math.sqrt(len(b)), "bias b is missing"),
        (lambda X, W, b: (X @ W.T + b) / math.sqrt(len(b)), "ReLU is missing"),
    ],
}

MUTANT_CASES = [(task, i, fn, hint) for task, table in MUTANTS.items() for i, (fn, hint) in enumerate(table)]


# ----------------------------------------------------------------------------- tests

def test_tasks_cover_every_chapter_and_the_fixed_names():
    fixed = {"sigmoid", "sigmoid_prime", "softmax", "softmax_cross_entropy_grad", "linear_backward", "backprop",
             "numerical_gradient", "convolve", "correlate2d", "adam_step", "dropout", "batchnorm_backward"}
    assert fixed <= set(practice.TASKS)
    assert {t.chapter for t in practice.TASKS.values()} >= set(range(1, 17))
    assert practice.TASKS["adam_step"].signature.startswith(
        "fn(theta, g, m, v, t, lr=1e-3, rho1=0.9, rho2=0.999, eps=1e-8)")
    for name, t in practice.TASKS.items():
        assert t.name == name and t.signature.startswith("fn(") and t.statement
        assert f"\n{name} " in practice.__doc__  # documented in the module's table
    assert set(PACKAGE) == set(practice.TASKS) == set(MINE) == set(MUTANTS)


@pytest.mark.parametrize("task", sorted(practice.TASKS))
def test_package_implementation_passes(task):
    report = practice.check(task, PACKAGE[task])
    assert report.passed, report.feedback
    assert report.feedback.startswith(f"{task}: passed")


@pytest.mark.parametrize("task", sorted(practice.TASKS))
def test_independent_implementation_passes(task):
    report = practice.check(task, MINE[task])
    assert report.passed, report.feedback


@pytest.mark.parametrize("task", sorted(MUTANTS))
def test_at_least_five_mutants_per_task(task):
    assert sum(h is not None for _, h in MUTANTS[task]) >= 5


@pytest.mark.parametrize("task,i,fn,hint", MUTANT_CASES, ids=[f"{t}-{i}" for t, i, _, _ in MUTANT_CASES])
def test_mutant_fails_with_its_hint(task, i, fn, hint):
    report = practice.check(task, fn)
    assert not report.passed
    assert report.feedback.startswith(f"{task}: not passed\ncase: ")
    if hint is not None:
        assert "likely mistake: " in report.feedback and hint in report.feedback, report.feedback


def _raise_not_implemented(*args, **kwargs):
    raise NotImplementedError  # your code here


def _stub_ellipsis(*args, **kwargs):
    ...


@pytest.mark.parametrize("task", sorted(practice.TASKS))
def test_stub_gives_not_implemented_yet(task):
    report = practice.check(task, _raise_not_implemented)
    assert not report.passed
    assert report.feedback.startswith(f"{task}: not implemented yet")
    report = practice.check(task, _stub_ellipsis)
    assert not report.passed and report.feedback.startswith(f"{task}: not implemented yet, or a `return` is missing")


def _overflow(*args, **kwargs):
    return np.exp(np.full(3, 1000.0))


def _mutating(*args, **kwargs):
    for a in args:
        if isinstance(a, np.ndarray):
            a *= 2.0
            return a
        if isinstance(a, dict):
            for v in a.values():
                v *= 2.0
            return a
    return None


HOSTILE = {
    "None": lambda *a, **k: None,
    "string": lambda *a, **k: "hello",
    "raises ValueError": lambda *a, **k: (_ for _ in ()).throw(ValueError("boom")),
    "raises ZeroDivisionError": lambda *a, **k: 1 / 0,
    "wrong shape": lambda *a, **k: np.zeros((7, 1, 2)),
    "nan": lambda *a, **k: np.full(3, np.nan),
    "overflow warning": _overflow,
    "empty tuple": lambda *a, **k: (),
    "tuple of None": lambda *a, **k: (None, None, None),
    "list of strings": lambda *a, **k: ["a", "b"],
    "dict of junk": lambda *a, **k: {"W1": "x"},
    "object": lambda *a, **k: object(),
    "ragged list": lambda *a, **k: [[1.0], [1.0, 2.0]],
    "complex": lambda *a, **k: np.array([1j, 2.0]),
    "mutates its input": _mutating,
    "wrong arity": lambda: 0.0,
    "sys.exit": lambda *a, **k: exit(1),
}


@pytest.mark.parametrize("task", sorted(practice.TASKS))
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_functions_never_make_check_raise(task, kind):
    report = practice.check(task, HOSTILE[kind])
    assert isinstance(report, practice.Report)
    assert not report.passed
    assert report.feedback.startswith(f"{task}: ") and len(report.feedback.splitlines()) >= 2


def test_not_callable_and_unknown_task():
    report = practice.check("softmax", np.zeros((2, 2)))
    assert not report.passed and "needs your function itself" in report.feedback
    with pytest.raises(ValueError, match="'softmax'"):
        practice.check("softmaxx", my_softmax)
    with pytest.raises(ValueError, match="task must be one of"):
        practice.check(None, my_softmax)


def test_mutated_input_is_reported():
    def in_place(Z):
        Z -= Z.max(axis=1, keepdims=True)
        np.exp(Z, out=Z)
        Z /= Z.sum(axis=1, keepdims=True)
        return Z
    report = practice.check("softmax", in_place)
    assert not report.passed and "changed its argument `Z` in place" in report.feedback


def test_feedback_names_expected_and_received_values():
    report = practice.check("convolve", lambda f, g: np.convolve(f, g) + 1e-3)
    text = report.feedback
    assert "expected " in text and "received " in text and "case: f = [" in text
    assert "likely mistake" not in text  # no known mistake adds 1e-3


def test_single_precision_is_named():
    report = practice.check("softmax", lambda Z: my_softmax(Z).astype(np.float32))
    assert not report.passed and "single (or half) precision" in report.feedback


def test_overflow_is_reported_at_the_case():
    report = practice.check("sigmoid", lambda z: 1 / (1 + np.exp(-np.asarray(z, float))))
    assert "z = -1000" in report.feedback and "overflow encountered in exp" in report.feedback
    assert "never exponentiates a large positive number" in report.feedback or "never does" in report.feedback


def test_report_display_is_deterministic():
    a, b = practice.check("softmax", my_softmax), practice.check("softmax", my_softmax)
    assert a == b and str(a) == a.feedback and repr(a) == a.feedback
    assert a._repr_html_() == b._repr_html_() and "passed" in a._repr_html_()
    bad = practice.check("softmax", lambda Z: Z)
    assert "&lt;" not in bad.feedback and "<pre" in bad._repr_html_() and not bad
    assert "0x" not in bad._repr_html_()


def test_check_leaves_numpy_state_alone():
    before = np.geterr()
    with np.errstate(over="warn"):
        practice.check("sigmoid", lambda z: 1 / (1 + np.exp(-np.asarray(z, float))))
        assert np.geterr()["over"] == "warn"
    assert np.geterr() == before
