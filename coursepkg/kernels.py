r"""Networks as kernel machines: random features, the arc-cosine kernel, kernel ridge regression.

A network with one hidden layer whose first-layer weights are drawn at random
and then frozen is a linear model on the features

.. math:: \Phi(\mathbf{x}) = \frac{1}{\sqrt{m}}\, g(\mathbf{W}\mathbf{x} + \mathbf{b}) \in \mathbb{R}^m,

and its kernel :math:`\Phi(\mathbf{x})^\top \Phi(\mathbf{y}) = \frac{1}{m}\sum_{i=1}^m
g(\mathbf{w}_i^\top\mathbf{x} + b_i)\, g(\mathbf{w}_i^\top\mathbf{y} + b_i)` is an average of
:math:`m` independent terms, so it converges (law of large numbers, error of order
:math:`1/\sqrt{m}`) to :math:`\mathbb{E}_{\mathbf{w}, b}[g(\mathbf{w}^\top\mathbf{x} + b)\,
g(\mathbf{w}^\top\mathbf{y} + b)]`. For :math:`\mathbf{w} \sim \mathcal{N}(0, \mathbf{I})`, no
bias and :math:`g(z) = \Theta(z) z^n` (step, ReLU, squared ReLU) the limit is half the
arc-cosine kernel of Cho & Saul (2009), :func:`arccos_kernel`.

Arrays are batch-first: ``X`` has shape (N, n_0), ``W`` shape (m, n_0), kernel
matrices shape (len(X), len(Y)).

Bad input (any public function): :class:`TypeError` for an object of the wrong
kind, :class:`ValueError` for a wrong shape, range or non-finite value (a
kernel matrix that is not symmetric positive semi-definite, a ``lam`` below the
resolution of a singular system included); the message names the argument,
what was expected and what was given. Public functions check once and call
private ``_``-prefixed compute functions.
"""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from . import activations as act
from ._validation import _describe, affine_shapes, as_array, as_choice, as_float, as_int, as_rng

__all__ = ["FEATURE_ACTIVATIONS", "ARCCOS_DEGREE", "draw_weights", "random_features",
           "random_feature_kernel", "arccos_kernel", "kernel_ridge", "kernel_predict", "ridge"]


def _step(z):
    return (z > 0).astype(np.float64)


def _relu_squared(z):
    return np.where(z > 0, z, 0.0) ** 2


#: Activations accepted by name in :func:`random_features`.
FEATURE_ACTIVATIONS = {"step": _step, "relu": act.relu, "relu_squared": _relu_squared,
                       "sigmoid": act.sigmoid, "tanh": act.tanh}
#: The activation :math:`\Theta(z) z^n` whose random-feature kernel is half :func:`arccos_kernel` of degree n.
ARCCOS_DEGREE = {"step": 0, "relu": 1, "relu_squared": 2}


def _activation(activation) -> Callable:
    if callable(activation):
        return activation
    return FEATURE_ACTIVATIONS[as_choice(activation, "activation", tuple(FEATURE_ACTIVATIONS))]


def _matrix(X, name):
    return as_array(X, name, ndim=2, allow_complex=False)


def draw_weights(n_in: int, m: int, rng: np.random.Generator, bias_std: float = 0.0):
    r"""Draw the first layer of a random-feature network.

    Parameters
    ----------
    n_in : int
        Input dimension :math:`n_0 \geq 1`.
    m : int
        Number of random features (hidden units), :math:`m \geq 1`.
    rng : numpy.random.Generator
        The only source of randomness.
    bias_std : float, default 0.0
        Standard deviation :math:`s \geq 0` of the biases; ``0`` gives zero biases.

    Returns
    -------
    W : numpy.ndarray, shape (m, n_in)
        Independent standard normal entries, :math:`\mathbf{w}_i \sim \mathcal{N}(0, \mathbf{I})`.
    b : numpy.ndarray, shape (m,)
        Independent :math:`\mathcal{N}(0, s^2)` entries (zeros when :math:`s = 0`).

    Notes
    -----
    With a bias, :math:`\mathbf{w}^\top\mathbf{x} + b = [\mathbf{w}; b/s]^\top [\mathbf{x}; s]` and
    :math:`[\mathbf{w}; b/s] \sim \mathcal{N}(0, \mathbf{I}_{n_0 + 1})`: a random bias amounts to
    appending the constant :math:`s` to every input.

    Examples
    --------
    >>> import numpy as np
    >>> W, b = draw_weights(3, 5, np.random.default_rng(0))
    >>> W.shape, b.shape, float(np.abs(b).max())
    ((5, 3), (5,), 0.0)
    """
    n_in = as_int(n_in, "n_in", minimum=1, maximum=2**31)
    m = as_int(m, "m", minimum=1, maximum=2**31)
    rng = as_rng(rng)
    bias_std = as_float(bias_std, "bias_std", minimum=0.0)
    return _draw_weights(n_in, m, rng, bias_std)


def _draw_weights(n_in, m, rng, bias_std):
    W = rng.standard_normal((m, n_in))  # (m, n_0)
    b = bias_std * rng.standard_normal(m) if bias_std > 0 else np.zeros(m)  # (m,)
    return W, b


def random_features(X, W, b, activation="relu"):
    r"""The random-feature map :math:`\Phi(\mathbf{x}) = g(\mathbf{W}\mathbf{x} + \mathbf{b}) / \sqrt{m}`.

    Parameters
    ----------
    X : array_like, shape (N, n_0)
        Inputs, one per row.
    W : array_like, shape (m, n_0)
        First-layer weights (e.g. from :func:`draw_weights`).
    b : array_like, shape (m,)
        First-layer biases.
    activation : str or callable, default "relu"
        ``"step"`` (:math:`\Theta(z) = 1_{z > 0}`), ``"relu"``, ``"relu_squared"``
        (:math:`\Theta(z) z^2`), ``"sigmoid"``, ``"tanh"``, or a function applied entrywise.

    Returns
    -------
    numpy.ndarray, shape (N, m)
        Row :math:`i` is :math:`\Phi(\mathbf{x}_i)^\top`, so ``Phi @ Phi.T`` is the kernel
        matrix :math:`\frac{1}{m}\sum_k g(\mathbf{w}_k^\top\mathbf{x}_i + b_k)g(\mathbf{w}_k^\top\mathbf{x}_j + b_k)`.

    Examples
    --------
    >>> import numpy as np
    >>> random_features(np.array([[1.0, -1.0]]), np.array([[1.0, 0.0], [0.0, 1.0]]), np.zeros(2))
    array([[0.70710678, 0.        ]])
    """
    X = _matrix(X, "X")
    W = _matrix(W, "W")
    b = as_array(b, "b", ndim=1, allow_complex=False)
    g = _activation(activation)
    affine_shapes(X, "X", W, b)
    return _random_features(X, W, b, g)


def _random_features(X, W, b, g):
    Z = X @ W.T + b  # (N, m)
    Phi = as_array(g(Z), "activation(X @ W.T + b)", allow_complex=False, allow_empty=True)  # (N, m)
    if Phi.shape != Z.shape:
        raise ValueError(f"activation must act entrywise (output of shape {Z.shape}), got shape {Phi.shape}")
    return Phi / np.sqrt(W.shape[0])


def random_feature_kernel(X, Y, m: int, rng: np.random.Generator, activation="relu", bias_std: float = 0.0):
    r"""Monte Carlo estimate of :math:`k(\mathbf{x}, \mathbf{y}) = \mathbb{E}[g(\mathbf{w}^\top\mathbf{x} + b)\,g(\mathbf{w}^\top\mathbf{y} + b)]`.

    Parameters
    ----------
    X : array_like, shape (N, n_0)
    Y : array_like, shape (M, n_0)
    m : int
        Number of random features.
    rng : numpy.random.Generator
    activation : str or callable, default "relu"
        As in :func:`random_features`.
    bias_std : float, default 0.0
        As in :func:`draw_weights`.

    Returns
    -------
    numpy.ndarray, shape (N, M)
        :math:`\Phi(\mathbf{X})\Phi(\mathbf{Y})^\top` with one draw of
        :math:`(\mathbf{W}, \mathbf{b})` shared by ``X`` and ``Y``.

    Notes
    -----
    Each entry is an average of :math:`m` independent terms with mean
    :math:`k(\mathbf{x}, \mathbf{y})`, so it is unbiased and its standard deviation
    is :math:`\sqrt{\operatorname{Var}[g g] / m}`. For ``activation`` in
    :data:`ARCCOS_DEGREE` and ``bias_std=0`` the limit is
    ``arccos_kernel(X, Y, degree) / 2``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> K = random_feature_kernel(X, X, 200_000, np.random.default_rng(0))
    >>> bool(np.allclose(K, arccos_kernel(X, X) / 2, atol=0.01))
    True
    """
    X = _matrix(X, "X")
    Y = _matrix(Y, "Y")
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"X and Y must have the same number of features, got {X.shape[1]} and {Y.shape[1]}")
    m = as_int(m, "m", minimum=1, maximum=2**31)
    rng = as_rng(rng)
    bias_std = as_float(bias_std, "bias_std", minimum=0.0)
    g = _activation(activation)
    W, b = _draw_weights(X.shape[1], m, rng, bias_std)
    return _random_features(X, W, b, g) @ _random_features(Y, W, b, g).T


def _unit_rows(X):
    """Row norms and unit rows (zero rows stay zero), without underflow or overflow in the sum of squares.

    A row of norm below 1e-150 or above 1e150 is rescaled by its largest entry
    first, so that 1e-200 has norm 1e-200, not 0, and the direction of every
    row is exact (the norm itself overflows only if it exceeds the float range).
    """
    with np.errstate(over="ignore"):
        norms = np.linalg.norm(X, axis=1)  # (N,)
        U = X / np.where(norms > 0, norms, 1.0)[:, None]  # (N, d)
    tiny = (norms < 1e-150) | (norms > 1e150)  # the sum of squares has under- or overflowed
    if np.any(tiny):
        scale = np.abs(X[tiny]).max(axis=1)  # (r,)
        S = X[tiny] / np.where(scale > 0, scale, 1.0)[:, None]  # (r, d), largest entry +-1 (or all zero)
        n_s = np.linalg.norm(S, axis=1)  # (r,), in [1, sqrt(d)] or 0
        with np.errstate(over="ignore"):
            norms[tiny] = scale * n_s  # inf only when the norm itself exceeds the float range
        U[tiny] = S / np.where(n_s > 0, n_s, 1.0)[:, None]
    return norms, U


def _norm(D):
    """Euclidean norms along the last axis; entries below 1e-150 (whose squares underflow) are recomputed scaled."""
    n = np.linalg.norm(D, axis=-1)  # (...)
    low = n < 1e-150
    if np.any(low):
        Dl = D[low]  # (r, d)
        s = np.max(np.abs(Dl), axis=-1)  # (r,)
        n[low] = s * np.linalg.norm(Dl / np.where(s > 0, s, 1.0)[:, None], axis=-1)
    return n


def _angles(U, V):
    """(theta, pi - theta) for the unit rows U[i], V[j], both accurate to rounding: theta = 2 atan2(|u - v|, |u + v|)."""
    theta = np.empty((U.shape[0], V.shape[0]))
    delta = np.empty_like(theta)
    rows = max(1, int(2_000_000 // max(1, V.shape[0] * U.shape[1])))
    for start in range(0, U.shape[0], rows):
        Uc = U[start:start + rows, None, :]  # (r, 1, d)
        minus, plus = _norm(Uc - V), _norm(Uc + V)  # (r, M)
        theta[start:start + rows] = 2.0 * np.arctan2(minus, plus)
        delta[start:start + rows] = 2.0 * np.arctan2(plus, minus)
    return theta, delta


def _series(coefficients, t):
    """sum_j c_j t**j by Horner's rule."""
    out = np.zeros_like(t)
    for c in coefficients[::-1]:
        out = out * t + c
    return out


# J_n(pi - delta) / delta**(2n + 1) = sum_j c_j delta**(2j), from the Taylor series of sin and cos:
#   J_1(pi - d) = sin d - d cos d = sum_{k>=1} (-1)^(k+1) 2k d^(2k+1) / (2k+1)!,
#   J_2(pi - d) = d (1 + 2 cos^2 d) - 3 sin d cos d = sum_{k>=2} (-1)^k (k-1) (2d)^(2k+1) / (2k+1)!.
_TAIL = {0: [1.0],
         1: [(-1) ** j * 2.0 * (j + 1) / math.factorial(2 * j + 3) for j in range(14)],
         2: [(-1) ** j * (j + 1) * 2.0 ** (2 * j + 5) / math.factorial(2 * j + 5) for j in range(14)]}


def _tail(n, delta):
    """J_n(pi - delta) for delta in [0, pi] as (Q, B) with J = Q * B**(2n+1), without cancellation for small delta."""
    small = delta < 1.0
    s, c = np.sin(delta), np.cos(delta)
    direct = {0: delta, 1: s - delta * c, 2: delta * (1.0 + 2.0 * c * c) - 3.0 * s * c}[n]
    Q = np.where(small, _series(_TAIL[n], delta * delta), direct)
    return Q, np.where(small, delta, 1.0)


def _J(n, theta, delta):
    """Cho and Saul's J_n(theta) as (Q, B), J = Q * B**(2n+1); theta and delta = pi - theta both given accurately."""
    s, c = np.sin(theta), np.cos(theta)
    direct = {0: delta, 1: s + delta * c, 2: 3.0 * s * c + delta * (1.0 + 2.0 * c * c)}[n]  # no cancellation for theta <= pi/2
    wide = theta > np.pi / 2
    Q, B = direct, np.ones_like(theta)
    if np.any(wide):
        Q, B = Q.copy(), B.copy()
        Q[wide], B[wide] = _tail(n, delta[wide])
    return Q, B


_J0 = {0: np.pi, 1: np.pi, 2: 3.0 * np.pi}  # J_n(0)


def _next_angle(n, theta, delta):
    """The angle between the layer-(l+1) features from the layer-l angle: cos theta' = J_n(theta) / J_n(0)."""
    Q, B = _J(n, theta, delta)
    cos_new = Q * B ** (2 * n + 1) / _J0[n]              # in [0, 1] for n >= 1, [0, 1] for n = 0 too
    # 1 - cos theta' = (J_n(0) - J_n(theta)) / J_n(0), written without cancellation for theta <= pi/2
    t_Q, t_B = _tail(n, theta)
    g = t_Q * t_B ** (2 * n + 1)                         # J_n(pi - theta)
    close = {0: theta, 1: 2.0 * np.pi * np.sin(theta / 2) ** 2 - g, 2: 2.0 * np.pi * np.sin(theta) ** 2 + g}[n]
    one_minus = np.where(theta <= np.pi / 2, close / _J0[n], 1.0 - cos_new)
    new = 2.0 * np.arctan2(np.sqrt(np.maximum(one_minus, 0.0)), np.sqrt(1.0 + cos_new))
    return new, np.pi - new                              # new <= pi/2, so pi - new is accurate


def _pow2_parts(v):
    """v = m * 2**e with m in [0.5, 1) (or 0), as float and int64 arrays."""
    m, e = np.frexp(v)
    return m, e.astype(np.int64)


def _arccos_kernel(X, Y, degree, layers):
    nx, U = _unit_rows(X)  # (N,), (N, d)
    ny, V = _unit_rows(Y)  # (M,), (M, d)
    theta, delta = _angles(U, V)  # (N, M)
    mx, ex = _pow2_parts(nx)
    my, ey = _pow2_parts(ny)
    n = degree
    for _ in range(layers - 1):
        theta, delta = _next_angle(n, theta, delta)
        # k^(l+1)(x, x) = k^(l)(x, x)^n J_n(0) / pi: the norm r becomes r^n sqrt(J_n(0) / pi)
        mx, dx = _pow2_parts(mx ** n * np.sqrt(_J0[n] / np.pi))
        my, dy = _pow2_parts(my ** n * np.sqrt(_J0[n] / np.pi))
        ex, ey = n * ex + dx, n * ey + dy
    Q, B = _J(n, theta, delta)
    mb, eb = _pow2_parts(B)
    M = np.outer(mx ** n, my ** n) * Q * mb ** (2 * n + 1) / np.pi            # (N, M), moderate numbers
    E = n * (ex[:, None] + ey[None, :]) + (2 * n + 1) * eb                    # (N, M), powers of two
    with np.errstate(over="ignore"):
        K = np.ldexp(M, np.clip(E, -4000, 4000).astype(np.int32))
    # a zero input has no angle; its features are 0 at every layer, so the kernel is 0 (with Theta(0) = 0)
    K = np.where(np.outer(nx > 0, ny > 0), K, 0.0)
    if not np.all(np.isfinite(K)):
        raise ValueError(f"the arc-cosine kernel of degree {degree} with {layers} layer(s) exceeds the float64 "
                         f"range for these X and Y (largest norms {float(nx.max()):.3g} and {float(ny.max()):.3g}); "
                         f"rescale the inputs")
    return K


def arccos_kernel(X, Y, degree: int = 1, layers: int = 1):
    r"""The arc-cosine kernel of Cho & Saul (2009), degrees 0, 1, 2, one or more layers.

    Parameters
    ----------
    X : array_like, shape (N, n_0)
    Y : array_like, shape (M, n_0)
    degree : {0, 1, 2}, default 1
        :math:`n`: 0 for step units, 1 for ReLU units, 2 for squared ReLU units.
    layers : int, default 1
        :math:`L \ge 1` (at most 50): the kernel of :math:`L` composed layers.

    Returns
    -------
    numpy.ndarray, shape (N, M)
        :math:`K_{ij} = k_n^{(L)}(\mathbf{x}_i, \mathbf{y}_j)`.

    Notes
    -----
    With :math:`\theta` the angle between :math:`\mathbf{x}` and :math:`\mathbf{y}`,

    .. math::

        k_n(\mathbf{x}, \mathbf{y}) = \frac{1}{\pi} \|\mathbf{x}\|^n \|\mathbf{y}\|^n J_n(\theta),\quad
        J_0 = \pi - \theta,\quad J_1 = \sin\theta + (\pi - \theta)\cos\theta,

    :math:`J_2 = 3\sin\theta\cos\theta + (\pi - \theta)(1 + 2\cos^2\theta)`, and
    :math:`k_n(\mathbf{x}, \mathbf{y}) = 2\, \mathbb{E}_{\mathbf{w} \sim \mathcal{N}(0, \mathbf{I})}
    [\Theta(\mathbf{w}^\top\mathbf{x})\Theta(\mathbf{w}^\top\mathbf{y})
    (\mathbf{w}^\top\mathbf{x})^n (\mathbf{w}^\top\mathbf{y})^n]` (note the factor 2).
    Layers compose (Cho & Saul's multilayer kernel): :math:`k^{(1)} = k_n` and

    .. math::

        k^{(l+1)}(\mathbf{x}, \mathbf{y}) &= \frac{1}{\pi}
        \bigl[k^{(l)}(\mathbf{x}, \mathbf{x})\, k^{(l)}(\mathbf{y}, \mathbf{y})\bigr]^{n/2}
        J_n\bigl(\theta^{(l)}\bigr), \\
        \cos\theta^{(l)} &= \frac{k^{(l)}(\mathbf{x}, \mathbf{y})}
        {\sqrt{k^{(l)}(\mathbf{x}, \mathbf{x})\, k^{(l)}(\mathbf{y}, \mathbf{y})}},

    the kernel of a deep network of infinitely wide random layers
    :math:`\mathbf{h} \mapsto \sqrt{2/m}\,\Theta(\mathbf{W}\mathbf{h})(\mathbf{W}\mathbf{h})^n`.
    A zero input gives 0. The angles are computed as
    :math:`2\operatorname{atan2}(\|\mathbf{u} - \mathbf{v}\|, \|\mathbf{u} + \mathbf{v}\|)` (and
    :math:`\pi - \theta` likewise), :math:`J_n` near :math:`\pi` from its Taylor series
    (:math:`J_1(\pi - \delta) = \delta^3/3 - \dots`), :math:`1 - \cos\theta^{(l)}` without
    cancellation, and the norms as mantissa and power of two, so the result is
    accurate to a few ulps times the conditioning of the angle (about
    :math:`\epsilon/\delta` at :math:`\theta = \pi - \delta`) and overflows only when
    the value itself exceeds the float64 range (then a ValueError).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 2.0]])
    >>> arccos_kernel(X, X, degree=1).round(6)
    array([[1.     , 0.63662],
           [0.63662, 4.     ]])
    """
    X = _matrix(X, "X")
    Y = _matrix(Y, "Y")
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"X and Y must have the same number of features, got {X.shape[1]} and {Y.shape[1]}")
    if isinstance(degree, bool) or not isinstance(degree, (int, np.integer)):
        raise TypeError(f"degree must be the integer 0, 1 or 2, got {_describe(degree)}")
    if degree not in (0, 1, 2):
        raise ValueError(f"degree must be 0, 1 or 2, got {degree}")
    layers = as_int(layers, "layers", minimum=1, maximum=50)
    return _arccos_kernel(X, Y, int(degree), layers)


def _targets(y, n, name="y"):
    y = as_array(y, name, ndim=(1, 2), allow_complex=False)
    if y.shape[0] != n:
        raise ValueError(f"{name} must have one row per training sample ({n}), got shape {y.shape}")
    return y


def kernel_ridge(K_train, y, lam: float):
    r"""Dual coefficients of kernel ridge regression.

    Parameters
    ----------
    K_train : array_like, shape (N, N)
        Symmetric positive semi-definite kernel matrix of the training inputs.
    y : array_like, shape (N,) or (N, k)
        Targets.
    lam : float
        Regularization :math:`\lambda > 0`.

    Returns
    -------
    numpy.ndarray, shape (N,) or (N, k)
        :math:`\boldsymbol{\alpha} = (\mathbf{K} + \lambda\mathbf{I})^{-1}\mathbf{y}`.

    Notes
    -----
    :math:`f(\mathbf{x}) = \sum_i \alpha_i k(\mathbf{x}_i, \mathbf{x})` minimizes
    :math:`\sum_{i=1}^N (y_i - f(\mathbf{x}_i))^2 + \lambda \|f\|_{\mathcal{H}}^2` (the
    convention of scikit-learn's ``KernelRidge(alpha=lam)``). Predict with
    :func:`kernel_predict`.

    Examples
    --------
    >>> import numpy as np
    >>> kernel_ridge(np.eye(2), np.array([1.0, 2.0]), 1.0)
    array([0.5, 1. ])
    """
    K = _matrix(K_train, "K_train")
    if K.shape[0] != K.shape[1]:
        raise ValueError(f"K_train must be square (N, N), got shape {K.shape}")
    scale = max(1.0, float(np.abs(K).max()))
    if not np.allclose(K, K.T, rtol=1e-10, atol=1e-12 * scale):
        raise ValueError("K_train must be symmetric (a kernel matrix of the training inputs), "
                         f"got max |K - K.T| = {float(np.abs(K - K.T).max()):.3g}")
    y = _targets(y, K.shape[0])
    lam = as_float(lam, "lam", minimum=0.0, strict_min=True)
    w = np.linalg.eigvalsh(K)                                   # (N,), ascending
    tol = K.shape[0] * np.finfo(float).eps * max(float(np.abs(w).max()), np.finfo(float).tiny)
    if w[0] < -tol:
        raise ValueError(f"K_train must be positive semi-definite (a kernel matrix), got the eigenvalue "
                         f"{w[0]:.3g}, below the rounding level -{tol:.3g}")
    return _solve_regularized(K, y, lam, w[0], tol, "K_train")


def _solve_regularized(G, y, lam, w_min, tol, name):
    """Solve (G + lam I) a = y for a PSD G whose smallest eigenvalue is w_min (rounding level tol)."""
    if max(w_min, 0.0) + lam <= tol:
        raise ValueError(f"lam = {lam!r} is below the resolution of {name} ({tol:.3g}, N * eps * its largest "
                         f"eigenvalue) and {name} is singular to that level, so {name} + lam * I is "
                         f"numerically singular; use lam > {tol:.3g}")
    try:
        a = np.linalg.solve(G + lam * np.eye(G.shape[0]), y)
    except np.linalg.LinAlgError:  # not reached for a PSD G and lam above its resolution; kept as a guard
        raise ValueError(f"{name} + lam * I is singular (lam = {lam!r}); use a larger lam") from None
    if not np.all(np.isfinite(a)):
        raise ValueError(f"the solution of ({name} + lam * I) a = y overflows float64 (lam = {lam!r}); "
                         f"rescale {name} or y, or use a larger lam")
    return a


def kernel_predict(K_test_train, alpha):
    r"""Predictions :math:`f(\mathbf{x}) = \sum_i \alpha_i k(\mathbf{x}_i, \mathbf{x})` of kernel ridge regression.

    Parameters
    ----------
    K_test_train : array_like, shape (M, N)
        :math:`k(\mathbf{x}^{\text{test}}_j, \mathbf{x}_i)` for M test and N training inputs.
    alpha : array_like, shape (N,) or (N, k)
        From :func:`kernel_ridge`.

    Returns
    -------
    numpy.ndarray, shape (M,) or (M, k)

    Examples
    --------
    >>> import numpy as np
    >>> kernel_predict(np.array([[1.0, 0.0]]), np.array([0.5, 1.0]))
    array([0.5])
    """
    K = _matrix(K_test_train, "K_test_train")
    alpha = as_array(alpha, "alpha", ndim=(1, 2), allow_complex=False)
    if alpha.shape[0] != K.shape[1]:
        raise ValueError(f"alpha must have one row per training sample ({K.shape[1]} columns of "
                         f"K_test_train), got shape {alpha.shape}")
    return K @ alpha


def ridge(Phi, y, lam: float):
    r"""Ridge regression on explicit features: the output layer of a random-feature network.

    Parameters
    ----------
    Phi : array_like, shape (N, m)
        Features of the training inputs, e.g. from :func:`random_features`.
    y : array_like, shape (N,) or (N, k)
    lam : float
        :math:`\lambda > 0`.

    Returns
    -------
    numpy.ndarray, shape (m,) or (m, k)
        :math:`\mathbf{v} = (\Phi^\top\Phi + \lambda\mathbf{I})^{-1}\Phi^\top\mathbf{y}`, the minimizer
        of :math:`\|\Phi\mathbf{v} - \mathbf{y}\|^2 + \lambda\|\mathbf{v}\|^2`; predict with ``Phi_test @ v``.

    Notes
    -----
    :math:`\Phi(\Phi^\top\Phi + \lambda\mathbf{I})^{-1} = (\Phi\Phi^\top + \lambda\mathbf{I})^{-1}\Phi`
    (push-through identity), so ``Phi_test @ ridge(Phi, y, lam)`` equals
    :func:`kernel_predict` with :func:`kernel_ridge` on the kernel :math:`\Phi\Phi^\top`.
    The same identity gives :math:`\mathbf{v} = \Phi^\top(\Phi\Phi^\top + \lambda\mathbf{I})^{-1}\mathbf{y}`;
    the function solves whichever system is smaller, :math:`m \times m` or :math:`N \times N`.

    Examples
    --------
    >>> import numpy as np
    >>> ridge(np.eye(2), np.array([1.0, 2.0]), 1.0)
    array([0.5, 1. ])
    """
    Phi = _matrix(Phi, "Phi")
    y = _targets(y, Phi.shape[0])
    lam = as_float(lam, "lam", minimum=0.0, strict_min=True)
    N, m = Phi.shape
    with np.errstate(over="ignore"):
        G = Phi.T @ Phi if m <= N else Phi @ Phi.T  # (m, m) or (N, N), the smaller Gram matrix
    if not np.all(np.isfinite(G)):
        raise ValueError(f"Phi has entries too large (up to {float(np.abs(Phi).max()):.3g}): its Gram matrix "
                         f"overflows float64; rescale Phi")
    w = np.linalg.eigvalsh(G)
    tol = G.shape[0] * np.finfo(float).eps * max(float(np.abs(w).max()), np.finfo(float).tiny)
    name = "Phi.T @ Phi" if m <= N else "Phi @ Phi.T"
    if m <= N:
        return _solve_regularized(G, Phi.T @ y, lam, w[0], tol, name)  # (m,) or (m, k)
    return Phi.T @ _solve_regularized(G, y, lam, w[0], tol, name)  # push-through: an N x N solve
