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
    "softplus", "softplus_prime", "smooth_relu", "smooth_relu_prime", "maxout", "maxout_backward",
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

    Raises
    ------
    TypeError
        If ``z`` is not numeric (strings, ``None``, object arrays).
    ValueError
        If ``z`` holds NaN or infinity.

    Examples
    --------
    >>> identity([1, -2]).tolist()
    [1.0, -2.0]
    """
    return _z(z).copy()


def identity_prime(z):
    """Derivative of :func:`identity`: ones shaped like ``z``.

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``, all ones (float64, or complex128 for complex ``z``).

    Raises
    ------
    TypeError
        If ``z`` is not numeric (strings, ``None``, object arrays).
    ValueError
        If ``z`` holds NaN or infinity.

    Examples
    --------
    >>> identity_prime([2.0, -3.0]).tolist()
    [1.0, 1.0]
    """
    return np.ones_like(_z(z))


def _exp_neg_abs(z: np.ndarray) -> np.ndarray:
    """exp(-|Re z| + i*sign*Im z): exp of whichever of z, -z has a non-positive real part."""
    return np.exp(np.where(z.real >= 0, -z, z))


def _log1p(w: np.ndarray) -> np.ndarray:
    """log(1 + w), accurate for small |w| also for complex w (numpy's complex log1p is not).

    For w = u + iv: log|1 + w| = log1p(2u + u^2 + v^2)/2 and arg(1 + w) = atan2(v, 1 + u);
    the argument of log1p is formed without cancellation, so tiny u keeps its relative
    accuracy (numpy returns 0 for the real part of log1p(1e-20 + 1e-40j)).
    """
    if w.dtype.kind != "c":
        return np.log1p(w)
    u, v = w.real, w.imag
    return 0.5 * np.log1p(u * (2.0 + u) + v * v) + 1j * np.arctan2(v, 1.0 + u)


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

    Raises
    ------
    TypeError
        If ``z`` is not numeric (strings, ``None``, object arrays).
    ValueError
        If ``z`` holds NaN or infinity.

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

    Parameters
    ----------
    z : array_like, any shape
        Real or complex.

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``; values in (0, 1/4] for real input.

    Raises
    ------
    TypeError
        If ``z`` is not numeric (strings, ``None``, object arrays).
    ValueError
        If ``z`` holds NaN or infinity.

    Notes
    -----
    Computed as :math:`e^{-|z|}/(1 + e^{-|z|})^2` (branch on the real part),
    which does not lose accuracy in the tails the way :math:`\sigma(1-\sigma)`
    does: at :math:`z = 40` the product form returns 0, this form :math:`4.2\times 10^{-18}`.

    Examples
    --------
    >>> float(sigmoid_prime(0.0))
    0.25
    >>> bool(sigmoid_prime(40.0) > 0)
    True
    """
    z = _z(z)
    e = _exp_neg_abs(z)
    return e / (1.0 + e) ** 2


def tanh(z):
    r"""Hyperbolic tangent :math:`\tanh z = (e^z - e^{-z})/(e^z + e^{-z})`.

    Parameters
    ----------
    z : array_like, any shape
        Real or complex.

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``; values in (-1, 1) for real input.

    Raises
    ------
    TypeError
        If ``z`` is not numeric (strings, ``None``, object arrays).
    ValueError
        If ``z`` holds NaN or infinity.

    Notes
    -----
    Computed as :math:`\operatorname{sign}(z)(1 - e^{-2|z|})/(1 + e^{-2|z|})`
    (branch on the real part), which never overflows, also for complex input.
    Equivalently :math:`\tanh z = 2\sigma(2z) - 1`.

    Examples
    --------
    >>> tanh([-1e4, 0.0, 1e4]).tolist()
    [-1.0, 0.0, 1.0]
    """
    z = _z(z)
    e = np.exp(np.where(z.real >= 0, -2.0 * z, 2.0 * z))
    return np.where(z.real >= 0, 1.0, -1.0) * (1.0 - e) / (1.0 + e)


def tanh_prime(z):
    r"""Derivative :math:`\tanh'(z) = 1 - \tanh^2 z = 4e^{-2|z|}/(1 + e^{-2|z|})^2`.

    Parameters
    ----------
    z : array_like, any shape
        Real or complex.

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``; values in (0, 1] for real input.

    Raises
    ------
    TypeError
        If ``z`` is not numeric (strings, ``None``, object arrays).
    ValueError
        If ``z`` holds NaN or infinity.

    Examples
    --------
    >>> float(tanh_prime(0.0))
    1.0
    """
    z = _z(z)
    e = np.exp(np.where(z.real >= 0, -2.0 * z, 2.0 * z))
    return 4.0 * e / (1.0 + e) ** 2


def relu(z):
    r"""Rectified linear unit :math:`\max(0, z)` (for complex input: ``z`` where ``Re z > 0``, else 0).

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``.

    Raises
    ------
    TypeError
        If ``z`` is not numeric (strings, ``None``, object arrays).
    ValueError
        If ``z`` holds NaN or infinity.

    Examples
    --------
    >>> relu([-2.0, 0.0, 3.0]).tolist()
    [0.0, 0.0, 3.0]
    """
    z = _z(z)
    return np.where(z.real > 0, z, 0.0)


def relu_prime(z):
    r"""Derivative of :func:`relu`: 1 where :math:`z > 0`, else 0 (the convention ``relu_prime(0) == 0``).

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``, entries 0.0 or 1.0.

    Raises
    ------
    TypeError
        If ``z`` is not numeric (strings, ``None``, object arrays).
    ValueError
        If ``z`` holds NaN or infinity.

    Examples
    --------
    >>> relu_prime([-2.0, 0.0, 3.0]).tolist()
    [0.0, 0.0, 1.0]
    """
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
        Slope for negative inputs, :math:`\alpha \ge 0`. A parametric ReLU
        (PReLU) is the same function with :math:`\alpha` learned; its derivative
        with respect to :math:`\alpha` is :math:`\min(0, z)`.

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``.

    Raises
    ------
    ValueError
        If ``alpha`` is negative or not finite.

    Examples
    --------
    >>> leaky_relu([-2.0, 3.0], alpha=0.1).tolist()
    [-0.2, 3.0]
    """
    alpha = _alpha(alpha)
    z = _z(z)
    return np.where(z.real > 0, z, alpha * z)


def leaky_relu_prime(z, alpha=0.01):
    r"""Derivative of :func:`leaky_relu`: 1 for :math:`z > 0`, :math:`\alpha` otherwise.

    Parameters
    ----------
    z : array_like, any shape
    alpha : float, default 0.01

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``.

    Raises
    ------
    TypeError
        If ``z`` is not numeric (strings, ``None``, object arrays).
    ValueError
        If ``z`` holds NaN or infinity, or ``alpha`` is negative or not finite
        (``TypeError`` if ``alpha`` is not a real number).

    Examples
    --------
    >>> leaky_relu_prime([-2.0, 3.0], alpha=0.1).tolist()
    [0.1, 1.0]
    """
    alpha = _alpha(alpha)
    z = _z(z)
    return np.where(z.real > 0, 1.0, alpha)


def absolute(z):
    r"""Absolute-value rectification :math:`|z|` (for complex input: :math:`\pm z` by the sign of the real part).

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``.

    Raises
    ------
    TypeError
        If ``z`` is not numeric (strings, ``None``, object arrays).
    ValueError
        If ``z`` holds NaN or infinity.

    Examples
    --------
    >>> absolute([-2.0, 3.0]).tolist()
    [2.0, 3.0]
    """
    z = _z(z)
    return np.where(z.real >= 0, z, -z)


def absolute_prime(z):
    r"""Derivative of :func:`absolute`: :math:`\operatorname{sign}(z)` (0 at 0).

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``, entries -1.0, 0.0 or 1.0.

    Raises
    ------
    TypeError
        If ``z`` is not numeric (strings, ``None``, object arrays).
    ValueError
        If ``z`` holds NaN or infinity.

    Examples
    --------
    >>> absolute_prime([-2.0, 0.0, 3.0]).tolist()
    [-1.0, 0.0, 1.0]
    """
    z = _z(z)
    return np.sign(z.real)


def softplus(z):
    r"""Softplus :math:`\log(1 + e^{z})`.

    Parameters
    ----------
    z : array_like, any shape
        Real or complex.

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``; positive for real input.

    Raises
    ------
    TypeError
        If ``z`` is not numeric (strings, ``None``, object arrays).
    ValueError
        If ``z`` holds NaN or infinity.

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
    return np.where(z.real >= 0, z, 0.0) + _log1p(_exp_neg_abs(z))  # |e^{-|z|}| <= 1


def softplus_prime(z):
    r"""Derivative of :func:`softplus`, which is :math:`\sigma(z)`.

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``.

    Raises
    ------
    TypeError
        If ``z`` is not numeric (strings, ``None``, object arrays).
    ValueError
        If ``z`` holds NaN or infinity.

    Examples
    --------
    >>> float(softplus_prime(0.0))
    0.5
    """
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

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``.

    Raises
    ------
    ValueError
        If ``alpha`` is not positive and finite, or if :math:`\alpha z` overflows.

    Notes
    -----
    Evaluated as :math:`\operatorname{softplus}(\alpha z)/\alpha` with the stable softplus.
    The gap :math:`f_\alpha(z) - \max(0, z) = \log(1 + e^{-\alpha|z|})/\alpha` is largest at
    :math:`z = 0`, where it equals :math:`\log 2/\alpha`.

    Examples
    --------
    >>> import numpy as np
    >>> bool(np.isclose(smooth_relu(0.0, alpha=4.0), np.log(2.0) / 4.0))
    True
    """
    alpha = _alpha(alpha, positive=True)
    return softplus(_scaled(_z(z), alpha)) / alpha


def _scaled(z: np.ndarray, alpha: float) -> np.ndarray:
    """alpha * z, refusing (instead of warning) when the product overflows."""
    with np.errstate(over="ignore"):
        az = alpha * z
    if az.size and not np.all(np.isfinite(az)):
        raise ValueError(f"alpha * z must be finite, got alpha={alpha:.6g} and max |z| = {np.max(np.abs(z)):.6g}")
    return az


def smooth_relu_prime(z, alpha=1.0):
    r"""Derivative :math:`f_\alpha'(z) = \sigma(\alpha z)`.

    Parameters
    ----------
    z : array_like, any shape
    alpha : float, default 1.0
        Sharpness, :math:`\alpha > 0`.

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``, values in (0, 1) for real input.

    Raises
    ------
    TypeError
        If ``z`` is not numeric (strings, ``None``, object arrays).
    ValueError
        If ``z`` holds NaN or infinity, ``alpha`` is not positive and finite, or
        :math:`\alpha z` overflows.

    Examples
    --------
    >>> float(smooth_relu_prime(0.0, alpha=8.0))
    0.5
    """
    alpha = _alpha(alpha, positive=True)
    return sigmoid(_scaled(_z(z), alpha))


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
    TypeError
        If ``z`` is complex (maxout is not analytic) or ``pieces`` is not an integer.

    Notes
    -----
    A maxout unit of affine pieces :math:`z_j = \mathbf{w}_j^\top \mathbf{h} + b_j` is a
    convex, piecewise affine function of :math:`\mathbf{h}`. Its derivative sends the
    incoming gradient to the winning unit of each group (:func:`maxout_backward`).

    Examples
    --------
    >>> import numpy as np
    >>> maxout(np.array([[1.0, 5.0, -2.0, 0.0]]), 2).tolist()
    [[5.0, 0.0]]
    """
    z = _grouped(z, pieces)
    return z.max(axis=-1)


def _grouped(z, pieces) -> np.ndarray:
    """z reshaped to (..., n // pieces, pieces), after validation."""
    z = as_array(z, "z", allow_complex=False)
    pieces = as_int(pieces, "pieces", minimum=1)
    if z.ndim == 0:
        raise ValueError("z must have at least one axis, got a scalar")
    n = z.shape[-1]
    if n % pieces:
        raise ValueError(f"the last axis of z ({n}) must be a multiple of pieces ({pieces})")
    return z.reshape(z.shape[:-1] + (n // pieces, pieces))


def maxout_backward(dout, z, pieces):
    r"""Gradient of a loss through :func:`maxout`.

    Parameters
    ----------
    dout : array_like, shape (..., n // pieces)
        Gradient of the loss with respect to ``maxout(z, pieces)``.
    z : array_like, shape (..., n)
        The pre-activations that were passed to :func:`maxout`.
    pieces : int
        Group size.

    Returns
    -------
    numpy.ndarray, shape (..., n)
        ``dout[..., i]`` placed at the winning unit of group :math:`i`, zeros elsewhere.

    Raises
    ------
    ValueError
        If ``dout`` does not have the shape of ``maxout(z, pieces)``.

    Notes
    -----
    :math:`\partial g_i / \partial z_j = 1` if :math:`j` is the (first) maximizer in
    :math:`G_i` and 0 otherwise; with ties the derivative does not exist and the
    first maximizer receives the gradient (a subgradient).

    Examples
    --------
    >>> import numpy as np
    >>> maxout_backward(np.array([[10.0, 20.0]]), np.array([[1.0, 5.0, -2.0, 0.0]]), 2).tolist()
    [[0.0, 10.0, 0.0, 20.0]]
    """
    zg = _grouped(z, pieces)  # (..., n // pieces, pieces)
    dout = as_array(dout, "dout", allow_complex=False)
    if dout.shape != zg.shape[:-1]:
        raise ValueError(f"dout must have the shape of maxout(z, pieces), {zg.shape[:-1]}, got {dout.shape}")
    winner = np.argmax(zg, axis=-1)[..., None]  # (..., n // pieces, 1)
    dz = np.zeros_like(zg)
    np.put_along_axis(dz, winner, dout[..., None], axis=-1)
    return dz.reshape(zg.shape[:-2] + (-1,))


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

    Raises
    ------
    ValueError
        If ``z`` is empty, 0-D or not finite, or ``axis`` is out of range.

    Notes
    -----
    With :math:`m = \max_j \operatorname{Re} z_j`,
    :math:`\log\sum_j e^{z_j} = m + \log \sum_j e^{z_j - m}`: every exponent is
    at most zero and one equals zero, so nothing overflows and the sum is at
    least one.

    Examples
    --------
    >>> round(float(logsumexp([1e4, 1e4])), 6)
    10000.693147
    """
    z = as_array(z, "z")
    axis = _axis(z, axis)
    m = np.max(z.real, axis=axis, keepdims=True)
    s = np.sum(np.exp(z - m), axis=axis, keepdims=True)
    return np.squeeze(m + np.log(s), axis=axis)


def log_softmax(z, axis=-1):
    r"""Stable :math:`\log \operatorname{softmax}(z) = z - \operatorname{logsumexp}(z)` along ``axis``.

    Parameters
    ----------
    z : array_like, shape (..., n)
    axis : int, default -1

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``; non-positive entries for real input.

    Raises
    ------
    ValueError
        If ``z`` is empty, 0-D or holds NaN or infinity, or ``axis`` is out of range.
    TypeError
        If ``z`` is not numeric or ``axis`` is not an integer.

    Notes
    -----
    Computed as :math:`(z - m) - \log\sum_k e^{z_k - m}` with :math:`m = \max_k z_k`, which keeps
    full relative accuracy for the largest entries (where the result is near zero)
    and stays finite where the softmax itself underflows to 0.

    Examples
    --------
    >>> log_softmax([0.0, -1e4]).tolist()
    [0.0, -10000.0]
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

    Raises
    ------
    ValueError
        If ``z`` is empty, 0-D or holds NaN or infinity, or ``axis`` is out of range.
    TypeError
        If ``z`` is not numeric or ``axis`` is not an integer.

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

    Raises
    ------
    ValueError
        If ``z`` is not 1-D.

    Notes
    -----
    Symmetric, with rows summing to zero (the softmax is shift-invariant) and
    positive semi-definite. The diagonal :math:`a_j(1 - a_j)` is evaluated as
    :math:`a_j \sum_{k \ne j} a_k`, which keeps its relative accuracy when
    :math:`a_j` is close to one.

    Examples
    --------
    >>> softmax_jacobian([0.0, 0.0]).tolist()
    [[0.25, -0.25], [-0.25, 0.25]]
    """
    z = as_array(z, "z", ndim=1)
    e = np.exp(z - np.max(z.real))  # (n,), largest entry 1
    total = np.sum(e)
    a = e / total
    # 1 - a_j computed as sum_{k != j} e_k / total: no cancellation when a_j is close to 1
    others = np.where(np.eye(z.size, dtype=bool), 0.0, e[None, :]).sum(axis=1) / total  # (n,)
    J = -np.outer(a, a)  # (n, n)
    J[np.diag_indices(z.size)] = a * others
    return J


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
