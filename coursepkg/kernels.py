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
"""
from __future__ import annotations

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

    Raises
    ------
    TypeError
        If ``n_in`` or ``m`` is not an integer, ``rng`` is not a Generator or
        ``bias_std`` is not a real number.
    ValueError
        If ``n_in < 1``, ``m < 1`` or ``bias_std`` is negative or not finite.

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
    n_in = as_int(n_in, "n_in", minimum=1)
    m = as_int(m, "m", minimum=1)
    rng = as_rng(rng)
    bias_std = as_float(bias_std, "bias_std", minimum=0.0)
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

    Raises
    ------
    ValueError
        If the shapes do not fit together, an input is not finite, or the
        activation returns an array of another shape or non-finite values.
    TypeError
        If an input is not real and numeric, ``activation`` is neither a known
        name nor callable, or it returns complex or non-numeric values.

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

    Raises
    ------
    TypeError, ValueError
        As in :func:`draw_weights` and :func:`random_features`, and if ``X`` and
        ``Y`` differ in their number of columns.

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
    W, b = draw_weights(X.shape[1], m, rng, bias_std)
    return random_features(X, W, b, activation) @ random_features(Y, W, b, activation).T


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


def _angles(U, V):
    """theta[i, j] = angle between the unit rows U[i] and V[j], accurate also for nearly (anti)parallel pairs."""
    theta = np.empty((U.shape[0], V.shape[0]))
    # theta = 2 atan2(|u - v|, |u + v|) is accurate to rounding for every angle, unlike arccos(u.v)
    rows = max(1, int(2_000_000 // max(1, V.shape[0] * U.shape[1])))
    for start in range(0, U.shape[0], rows):
        Uc = U[start:start + rows, None, :]  # (r, 1, d)
        theta[start:start + rows] = 2.0 * np.arctan2(np.linalg.norm(Uc - V, axis=2),
                                                     np.linalg.norm(Uc + V, axis=2))
    return theta


def arccos_kernel(X, Y, degree: int = 1):
    r"""The arc-cosine kernel of Cho & Saul (2009), degrees 0, 1 and 2.

    Parameters
    ----------
    X : array_like, shape (N, n_0)
    Y : array_like, shape (M, n_0)
    degree : {0, 1, 2}, default 1
        :math:`n`: 0 for step units, 1 for ReLU units, 2 for squared ReLU units.

    Returns
    -------
    numpy.ndarray, shape (N, M)
        :math:`K_{ij} = k_n(\mathbf{x}_i, \mathbf{y}_j)`.

    Raises
    ------
    ValueError
        If ``degree`` is not 0, 1 or 2, the inputs are not 2-D with the same
        number of columns, or not finite.
    TypeError
        If ``degree`` is not an integer or an input is not real and numeric.

    Notes
    -----
    With :math:`\theta` the angle between :math:`\mathbf{x}` and :math:`\mathbf{y}`,

    .. math::

        k_n(\mathbf{x}, \mathbf{y}) = \frac{1}{\pi} \|\mathbf{x}\|^n \|\mathbf{y}\|^n J_n(\theta),\quad
        J_0 = \pi - \theta,\quad J_1 = \sin\theta + (\pi - \theta)\cos\theta,\quad
        J_2 = 3\sin\theta\cos\theta + (\pi - \theta)(1 + 2\cos^2\theta),

    and :math:`k_n(\mathbf{x}, \mathbf{y}) = 2\, \mathbb{E}_{\mathbf{w} \sim \mathcal{N}(0, \mathbf{I})}
    [\Theta(\mathbf{w}^\top\mathbf{x})\Theta(\mathbf{w}^\top\mathbf{y})
    (\mathbf{w}^\top\mathbf{x})^n (\mathbf{w}^\top\mathbf{y})^n]` (note the factor 2).
    When :math:`\mathbf{x} = 0` or :math:`\mathbf{y} = 0` the angle is undefined; the
    value returned is the expectation's: 0 for every degree (with :math:`\Theta(0) = 0`).
    The angle is computed as :math:`2\operatorname{atan2}(\|\mathbf{u} - \mathbf{v}\|,
    \|\mathbf{u} + \mathbf{v}\|)` on the unit vectors, accurate near 0 and :math:`\pi`
    where :math:`\arccos` loses half the digits.

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
    nx, U = _unit_rows(X)  # (N,), (N, d)
    ny, V = _unit_rows(Y)  # (M,), (M, d)
    theta = _angles(U, V)  # (N, M)
    c, s = np.cos(theta), np.sin(theta)
    if degree == 0:
        J = np.pi - theta
    elif degree == 1:
        J = s + (np.pi - theta) * c
    else:
        J = 3.0 * s * c + (np.pi - theta) * (1.0 + 2.0 * c ** 2)
    if degree == 0:  # scale-invariant: finite for every finite input, however large
        K = np.outer(np.ones_like(nx), np.ones_like(ny)) * J / np.pi
    else:
        K = np.outer(nx ** degree, ny ** degree) * J / np.pi
    # a zero input has no angle; the expectation (with Theta(0) = 0) is 0 for every degree
    return np.where(np.outer(nx > 0, ny > 0), K, 0.0)


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

    Raises
    ------
    ValueError
        If ``K_train`` is not square and symmetric, ``y`` has the wrong number of
        rows, ``lam <= 0``, an input is not finite, or
        :math:`\mathbf{K} + \lambda\mathbf{I}` is singular (``K_train`` not
        positive semi-definite).
    TypeError
        If an input is not real and numeric or ``lam`` is not a real number.

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
    try:
        return np.linalg.solve(K + lam * np.eye(K.shape[0]), y)
    except np.linalg.LinAlgError:
        raise ValueError(f"K_train + lam * I is singular (lam = {lam}): K_train must be positive "
                         f"semi-definite, a kernel matrix of the training inputs, and here has the "
                         f"eigenvalue -lam") from None


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

    Raises
    ------
    TypeError
        If an input is not real and numeric.
    ValueError
        If ``K_test_train`` is not 2-D, ``alpha`` is not 1-D or 2-D with one row
        per column of ``K_test_train``, or an input is not finite.

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

    Raises
    ------
    TypeError
        If an input is not real and numeric or ``lam`` is not a real number.
    ValueError
        If ``Phi`` is not 2-D, ``y`` does not have one row per row of ``Phi``,
        ``lam <= 0`` or an input is not finite.

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
    if m <= N:
        return np.linalg.solve(Phi.T @ Phi + lam * np.eye(m), Phi.T @ y)  # (m,) or (m, k)
    return Phi.T @ np.linalg.solve(Phi @ Phi.T + lam * np.eye(N), y)  # push-through: an N x N solve
