r"""Activation functions and their derivatives.

Every function is elementwise unless stated otherwise, accepts an array of
any shape (real or complex) and returns an array of the same shape. Each
``<name>`` has a paired ``<name>_prime`` with the same arguments that returns
the elementwise derivative. The implementations are stable by construction:
no overflow or underflow warnings for real inputs up to :math:`|z| = 10^4`,
and complex input is kept so that the complex-step derivative works through
every smooth function.
"""
from __future__ import annotations

import numpy as np

from ._validation import as_array, as_float, as_int

__all__ = [
    "identity", "identity_prime", "sigmoid", "sigmoid_prime", "tanh", "tanh_prime",
    "relu", "relu_prime", "leaky_relu", "leaky_relu_prime", "absolute", "absolute_prime",
    "softplus", "softplus_prime", "smooth_relu", "smooth_relu_prime", "maxout",
    "logsumexp", "softmax", "log_softmax", "softmax_jacobian", "HIDDEN",
]


def _z(z) -> np.ndarray:
    return as_array(z, "z", allow_empty=True)


def identity(z):
    r"""The identity :math:`g(z) = z` (linear output units).

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    numpy.ndarray
        A copy of ``z`` as float64 (or complex128).
    """
    return _z(z).copy()


def identity_prime(z):
    """Derivative of :func:`identity`: ones shaped like ``z``."""
    return np.ones_like(_z(z))


def _exp_neg_abs(z: np.ndarray) -> np.ndarray:
    """exp(-|Re z| + i*sign*Im z): exp of whichever of z, -z has a non-positive real part."""
    return np.exp(np.where(z.real >= 0, -z, z))


def sigmoid(z):
    r"""The logistic sigmoid :math:`\sigma(z) = 1/(1 + e^{-z})`.

    Parameters
    ----------
    z : array_like, any shape
        Real or complex.

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``, values in (0, 1) for real input.

    Notes
    -----
    Evaluated branch-wise so that no exponential of a large positive number
    is formed: :math:`1/(1+e^{-z})` for :math:`\operatorname{Re} z \ge 0` and
    :math:`e^{z}/(1+e^{z})` otherwise. Both are the same analytic function, so
    the complex step still differentiates it.

    Examples
    --------
    >>> import numpy as np
    >>> sigmoid(np.array([-1e4, 0.0, 1e4])).tolist()
    [0.0, 0.5, 1.0]
    """
    z = _z(z)
    e = _exp_neg_abs(z)  # |e| <= 1
    return np.where(z.real >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z):
    r"""Derivative :math:`\sigma'(z) = \sigma(z)(1 - \sigma(z))`.

    Computed as :math:`e^{-|z|}/(1 + e^{-|z|})^2`, which does not lose
    accuracy in the tails the way :math:`\sigma(1-\sigma)` does.
    """
    z = _z(z)
    e = _exp_neg_abs(z)
    return e / (1.0 + e) ** 2


def tanh(z):
    r"""Hyperbolic tangent :math:`\tanh z = (e^z - e^{-z})/(e^z + e^{-z})`.

    Computed as :math:`\operatorname{sign}(z)(1 - e^{-2|z|})/(1 + e^{-2|z|})`
    (branch on the real part), which never overflows, also for complex input.
    """
    z = _z(z)
    e = np.exp(np.where(z.real >= 0, -2.0 * z, 2.0 * z))
    return np.where(z.real >= 0, 1.0, -1.0) * (1.0 - e) / (1.0 + e)


def tanh_prime(z):
    r"""Derivative :math:`\tanh'(z) = 1 - \tanh^2 z = 4e^{-2|z|}/(1 + e^{-2|z|})^2`."""
    z = _z(z)
    e = np.exp(np.where(z.real >= 0, -2.0 * z, 2.0 * z))
    return 4.0 * e / (1.0 + e) ** 2


def relu(z):
    r"""Rectified linear unit :math:`\max(0, z)` (for complex input: ``z`` where ``Re z > 0``, else 0)."""
    z = _z(z)
    return np.where(z.real > 0, z, 0.0)


def relu_prime(z):
    r"""Derivative of :func:`relu`: 1 where :math:`z > 0`, else 0 (the convention ``relu_prime(0) == 0``)."""
    z = _z(z)
    return np.where(z.real > 0, 1.0, 0.0)


def _alpha(alpha, name="alpha", positive=False):
    return as_float(alpha, name, minimum=0.0, strict_min=positive)


def leaky_relu(z, alpha=0.01):
    r"""Leaky ReLU :math:`\max(0, z) + \alpha \min(0, z)`.

    Parameters
    ----------
    z : array_like, any shape
    alpha : float, default 0.01
        Slope for negative inputs, :math:`\alpha \ge 0`.
    """
    alpha = _alpha(alpha)
    z = _z(z)
    return np.where(z.real > 0, z, alpha * z)


def leaky_relu_prime(z, alpha=0.01):
    r"""Derivative of :func:`leaky_relu`: 1 for :math:`z > 0`, :math:`\alpha` otherwise."""
    alpha = _alpha(alpha)
    z = _z(z)
    return np.where(z.real > 0, 1.0, alpha)


def absolute(z):
    r"""Absolute-value rectification :math:`|z|` (for complex input: :math:`\pm z` by the sign of the real part)."""
    z = _z(z)
    return np.where(z.real >= 0, z, -z)


def absolute_prime(z):
    r"""Derivative of :func:`absolute`: :math:`\operatorname{sign}(z)` (0 at 0)."""
    z = _z(z)
    return np.sign(z.real)


def softplus(z):
    r"""Softplus :math:`\log(1 + e^{z})`.

    Notes
    -----
    Computed as :math:`\max(z, 0) + \log(1 + e^{-|z|})`, which neither
    overflows for large :math:`z` nor loses the tiny values for very negative
    :math:`z`. Its derivative is the sigmoid.

    Examples
    --------
    >>> import numpy as np
    >>> softplus(np.array([-1e4, 0.0, 1e4])).tolist() == [0.0, float(np.log(2.0)), 1e4]
    True
    """
    z = _z(z)
    return np.where(z.real >= 0, z, 0.0) + np.log1p(_exp_neg_abs(z))


def softplus_prime(z):
    r"""Derivative of :func:`softplus`, which is :math:`\sigma(z)`."""
    return sigmoid(z)


def smooth_relu(z, alpha=1.0):
    r"""The smooth ReLU :math:`f_\alpha(z) = \log(1 + e^{\alpha z})/\alpha`.

    Parameters
    ----------
    z : array_like, any shape
    alpha : float, default 1.0
        Sharpness, :math:`\alpha > 0`. ``alpha=1`` is :func:`softplus`; as
        :math:`\alpha \to \infty`, :math:`f_\alpha \to \operatorname{ReLU}` uniformly, with
        :math:`0 \le f_\alpha(z) - \max(0, z) \le \log 2/\alpha`.
    """
    alpha = _alpha(alpha, positive=True)
    return softplus(alpha * _z(z)) / alpha


def smooth_relu_prime(z, alpha=1.0):
    r"""Derivative :math:`f_\alpha'(z) = \sigma(\alpha z)`."""
    alpha = _alpha(alpha, positive=True)
    return sigmoid(alpha * _z(z))


def maxout(z, pieces):
    r"""Maxout: the maximum over groups of ``pieces`` consecutive units.

    Parameters
    ----------
    z : array_like, shape (..., n)
        Pre-activations; ``n`` must be a multiple of ``pieces``.
    pieces : int
        Group size :math:`k \ge 1`.

    Returns
    -------
    numpy.ndarray, shape (..., n // pieces)
        :math:`g(z)_i = \max_{j \in G_i} z_j` with
        :math:`G_i = \{ik, \dots, ik + k - 1\}` (0-based).

    Raises
    ------
    ValueError
        If ``z`` is 0-D or its last axis is not a multiple of ``pieces``.
    """
    z = as_array(z, "z", allow_complex=False)
    pieces = as_int(pieces, "pieces", minimum=1)
    if z.ndim == 0:
        raise ValueError("z must have at least one axis, got a scalar")
    n = z.shape[-1]
    if n % pieces:
        raise ValueError(f"the last axis of z ({n}) must be a multiple of pieces ({pieces})")
    return z.reshape(z.shape[:-1] + (n // pieces, pieces)).max(axis=-1)


def _axis(z: np.ndarray, axis) -> int:
    axis = as_int(axis, "axis")
    if z.ndim == 0:
        raise ValueError("z must have at least one axis, got a scalar")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis must be in [{-z.ndim}, {z.ndim}) for z of shape {z.shape}, got {axis}")
    return axis


def logsumexp(z, axis=-1):
    r"""Stable :math:`\log \sum_j e^{z_j}` along ``axis``.

    Parameters
    ----------
    z : array_like, shape (..., n, ...)
    axis : int, default -1

    Returns
    -------
    numpy.ndarray
        ``z`` with ``axis`` removed.

    Notes
    -----
    With :math:`m = \max_j \operatorname{Re} z_j`,
    :math:`\log\sum_j e^{z_j} = m + \log \sum_j e^{z_j - m}`: every exponent is
    at most zero and one equals zero, so nothing overflows and the sum is at
    least one.
    """
    z = as_array(z, "z")
    axis = _axis(z, axis)
    m = np.max(z.real, axis=axis, keepdims=True)
    s = np.sum(np.exp(z - m), axis=axis, keepdims=True)
    return np.squeeze(m + np.log(s), axis=axis)


def log_softmax(z, axis=-1):
    r"""Stable :math:`\log \operatorname{softmax}(z) = z - \operatorname{logsumexp}(z)` along ``axis``.

    Computed as :math:`(z - m) - \log\sum_k e^{z_k - m}` with :math:`m = \max_k z_k`, which keeps
    full relative accuracy for the largest entries (where the result is near zero).
    """
    z = as_array(z, "z")
    axis = _axis(z, axis)
    shifted = z - np.max(z.real, axis=axis, keepdims=True)  # largest entry is 0
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax(z, axis=-1):
    r"""Softmax :math:`a_j = e^{z_j} / \sum_k e^{z_k}` along ``axis``.

    Parameters
    ----------
    z : array_like, shape (..., n)
        Logits; by default each row of a batch (N, n) is one distribution.
    axis : int, default -1

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``; positive entries summing to one along ``axis``.

    Notes
    -----
    Shift-invariant, :math:`\operatorname{softmax}(z + c) = \operatorname{softmax}(z)`,
    so it is evaluated at :math:`z - \max_j z_j`, where no exponential overflows.

    Examples
    --------
    >>> import numpy as np
    >>> softmax(np.array([1000.0, 1000.0])).tolist()
    [0.5, 0.5]
    """
    z = as_array(z, "z")
    axis = _axis(z, axis)
    e = np.exp(z - np.max(z.real, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(z):
    r"""Jacobian of the softmax of a single vector: :math:`\operatorname{diag}(a) - a a^\top`.

    Parameters
    ----------
    z : array_like, shape (n,)

    Returns
    -------
    numpy.ndarray, shape (n, n)
        Entry :math:`(j, k)` is :math:`\partial a_j / \partial z_k = a_j(\delta_{jk} - a_k)`.
    """
    z = as_array(z, "z", ndim=1)
    a = softmax(z)
    return np.diag(a) - np.outer(a, a)


#: Elementwise activations usable as hidden units: name -> (g, g').
HIDDEN = {
    "identity": (identity, identity_prime),
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "leaky_relu": (leaky_relu, leaky_relu_prime),
    "absolute": (absolute, absolute_prime),
    "softplus": (softplus, softplus_prime),
    "smooth_relu": (smooth_relu, smooth_relu_prime),
}
