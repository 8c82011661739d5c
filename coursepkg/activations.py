r"""Activation functions and their derivatives.

Every function is elementwise unless stated otherwise, accepts an array of any
shape (real or complex) and returns an array of the same shape. Each ``<name>``
has a paired ``<name>_prime`` with the same arguments that returns the
elementwise derivative.

Accuracy: for real input every smooth function here is within a few ulps of
the exact value for :math:`|z|` from :math:`10^{-300}` to :math:`10^4` (tested
against 60-digit mpmath in ``tests/test_accuracy.py``), with no overflow or
underflow warnings. Tiny arguments keep their relative accuracy
(``tanh(1e-17) == 1e-17``) and so do the tails (``sigmoid_prime(40)``,
``logsumexp([0, -40]) == 4.25e-18``). Complex input follows the same analytic
branches, so the complex-step derivative passes through every smooth function.

Bad input: a public function raises ``TypeError`` for an argument of the wrong
kind (``z`` a string, ``None`` or an object array; ``alpha`` not a real number)
and ``ValueError`` for the right kind with a wrong value (NaN or infinity in
``z``, ``alpha`` out of range, a bad ``axis``); the message names the argument,
what was expected and what was given. Public functions validate once and call
the private ``_name`` compute functions, which other modules may call on
arrays that are already checked (``_sigmoid``, ``_tanh``, ``_softplus``,
``_logsumexp``, ``_log_softmax``, ``_softmax``, ``_softmax_and_log_softmax`` and the table
``_HIDDEN``).
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


# ------------------------------------------------------------ private compute code
# Each takes a checked float64 or complex128 array and branches on the real part only,
# so that every branch is the same analytic function (the complex step passes).

def _z(z) -> np.ndarray:
    return as_array(z, "z", allow_empty=True)


def _alpha(alpha, name="alpha", positive=False):
    return as_float(alpha, name, minimum=0.0, strict_min=positive)


def _exp_neg_abs(z: np.ndarray) -> np.ndarray:
    """exp(-|Re z| + ...): exp of whichever of z, -z has a non-positive real part (|result| <= 1)."""
    if z.dtype.kind != "c":
        return np.exp(-np.abs(z))
    return np.exp(np.where(z.real >= 0, -z, z))


def _log1p(w: np.ndarray) -> np.ndarray:
    """log(1 + w), accurate for small |w| also for complex w (numpy's complex log1p is not).

    For w = u + iv: log|1 + w| = log1p(2u + u^2 + v^2)/2 and arg(1 + w) = atan2(v, 1 + u).
    """
    if w.dtype.kind != "c":
        return np.log1p(w)
    u, v = w.real, w.imag
    return 0.5 * np.log1p(u * (2.0 + u) + v * v) + 1j * np.arctan2(v, 1.0 + u)


def _sigmoid(z):
    e = _exp_neg_abs(z)
    r = 1.0 / (1.0 + e)  # sigma(|z|); sigma(-|z|) = e * r
    return np.where(z.real >= 0, r, e * r)


def _sigmoid_prime(z):
    e = _exp_neg_abs(z)  # sigma(z) sigma(-z) = e / (1 + e)^2: no 1 - sigma, so the tails keep their digits
    d = 1.0 + e
    return e / (d * d)


def _tanh(z):
    sign = np.where(z.real >= 0, 1.0, -1.0)
    t = np.expm1(-2.0 * sign * z)  # e^{-2|z|} - 1, without cancellation near 0
    return -sign * t / (2.0 + t)


def _tanh_prime(z):
    e = np.exp(np.where(z.real >= 0, -2.0 * z, 2.0 * z))
    return 4.0 * e / (1.0 + e) ** 2


def _softplus(z):
    return np.where(z.real >= 0, z, 0.0) + _log1p(_exp_neg_abs(z))


def _relu(z, alpha=0.0):
    return np.where(z.real > 0, z, alpha * z if alpha else 0.0)


def _relu_prime(z, alpha=0.0):
    return np.where(z.real > 0, 1.0, alpha)


def _scaled(z: np.ndarray, alpha: float) -> np.ndarray:
    """alpha * z, refusing (instead of warning) when the product overflows."""
    with np.errstate(over="ignore"):
        az = alpha * z
    if az.size and not np.all(np.isfinite(az)):
        raise ValueError(f"alpha * z must be finite, got alpha={alpha:.6g} and max |z| = {np.max(np.abs(z)):.6g}")
    return az


def _exp_shifted(z: np.ndarray, axis: int):
    """(e, hi, lo, top) for the entry ``top`` of largest real part along ``axis``.

    hi + lo == z - top exactly (TwoSum), so e = exp(z - top) to full relative accuracy,
    and e == 1 exactly where hi == 0 (at the top entry and any tie with it).
    """
    if z.dtype.kind == "c":
        top = np.take_along_axis(z, np.argmax(z.real, axis=axis, keepdims=True), axis=axis)
    else:
        top = np.max(z, axis=axis, keepdims=True)
    hi = z - top
    # TwoSum: hi + lo == z - top exactly; exp(hi + lo) ~ exp(hi) (1 + lo), |lo| <= ulp(hi)/2
    b = hi - z
    lo = (z - (hi - b)) - (top + b)
    e = np.exp(hi)
    e += e * lo
    return e, hi, lo, top


def _sum_off_top(e: np.ndarray, hi: np.ndarray, axis: int) -> np.ndarray:
    """s = the sum of e without one top entry, so that sum(e) = 1 + s and log1p(s) keeps the digits
    of a tiny s (a tie with the top adds exactly 1 for each extra maximum)."""
    at_top = hi == 0
    return np.where(at_top, 0.0, e).sum(axis=axis, keepdims=True) + (at_top.sum(axis=axis, keepdims=True) - 1)


def _logsumexp(z: np.ndarray, axis: int = -1) -> np.ndarray:
    e, hi, _, top = _exp_shifted(z, axis)
    return np.squeeze(top + _log1p(_sum_off_top(e, hi, axis)), axis=axis)


def _softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    e = _exp_shifted(z, axis)[0]
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_and_log_softmax(z: np.ndarray, axis: int = -1):
    """softmax(z) and log softmax(z) = (z - top) - log1p(s) from one pass of exponentials
    (a softmax output layer with its cross-entropy needs both)."""
    e, hi, lo, _ = _exp_shifted(z, axis)
    s = _sum_off_top(e, hi, axis)
    return e / (1.0 + s), (hi - _log1p(s)) + lo


def _log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    return _softmax_and_log_softmax(z, axis)[1]


# ------------------------------------------------------------------ public functions

def identity(z):
    r"""The identity :math:`g(z) = z` (linear output units); returns a float64 (or complex128) copy.

    >>> identity([1, -2]).tolist()
    [1.0, -2.0]
    """
    return _z(z).copy()


def identity_prime(z):
    """Derivative of :func:`identity`: ones shaped like ``z``.

    >>> identity_prime([2.0, -3.0]).tolist()
    [1.0, 1.0]
    """
    return np.ones_like(_z(z))


def sigmoid(z):
    r"""The logistic sigmoid :math:`\sigma(z) = 1/(1 + e^{-z})`, values in (0, 1) for real input.

    Evaluated as :math:`1/(1+e^{-z})` for :math:`\operatorname{Re} z \ge 0` and
    :math:`e^{z}/(1+e^{z})` otherwise: no exponential of a large positive number.

    >>> sigmoid([-1e4, 0.0, 1e4]).tolist()
    [0.0, 0.5, 1.0]
    """
    return _sigmoid(_z(z))


def sigmoid_prime(z):
    r"""Derivative :math:`\sigma'(z) = \sigma(z)\,\sigma(-z) = e^{-|z|}/(1 + e^{-|z|})^2`.

    The form :math:`\sigma(1-\sigma)` returns 0 at :math:`z = 40`; this one keeps full
    relative accuracy in the tails.

    >>> float(sigmoid_prime(0.0)), float(sigmoid_prime(40.0)) > 0
    (0.25, True)
    """
    return _sigmoid_prime(_z(z))


def tanh(z):
    r"""Hyperbolic tangent, computed as :math:`\tanh z = -\operatorname{sign}(z)\,t/(2 + t)` with :math:`t = e^{-2|z|} - 1`.

    :math:`t` comes from ``expm1``, so there is no cancellation near 0 and nothing overflows.

    >>> tanh([-1e4, 1e-17, 1e4]).tolist()
    [-1.0, 1e-17, 1.0]
    """
    return _tanh(_z(z))


def tanh_prime(z):
    r"""Derivative :math:`\tanh'(z) = 1 - \tanh^2 z = 4e^{-2|z|}/(1 + e^{-2|z|})^2`.

    >>> float(tanh_prime(0.0))
    1.0
    """
    return _tanh_prime(_z(z))


def relu(z):
    r"""Rectified linear unit :math:`\max(0, z)` (for complex input: ``z`` where ``Re z > 0``, else 0).

    >>> relu([-2.0, 0.0, 3.0]).tolist()
    [0.0, 0.0, 3.0]
    """
    return _relu(_z(z))


def relu_prime(z):
    r"""Derivative of :func:`relu`: 1 where :math:`z > 0`, else 0 (the convention ``relu_prime(0) == 0``).

    >>> relu_prime([-2.0, 0.0, 3.0]).tolist()
    [0.0, 0.0, 1.0]
    """
    return _relu_prime(_z(z))


def leaky_relu(z, alpha=0.01):
    r"""Leaky ReLU :math:`\max(0, z) + \alpha \min(0, z)`, slope :math:`\alpha \ge 0` for negative inputs.

    A parametric ReLU (PReLU) is the same function with :math:`\alpha` learned; its
    derivative with respect to :math:`\alpha` is :math:`\min(0, z)`.

    >>> leaky_relu([-2.0, 3.0], alpha=0.1).tolist()
    [-0.2, 3.0]
    """
    alpha = _alpha(alpha)
    return _relu(_z(z), alpha)


def leaky_relu_prime(z, alpha=0.01):
    r"""Derivative of :func:`leaky_relu`: 1 for :math:`z > 0`, :math:`\alpha` otherwise.

    >>> leaky_relu_prime([-2.0, 3.0], alpha=0.1).tolist()
    [0.1, 1.0]
    """
    alpha = _alpha(alpha)
    return _relu_prime(_z(z), alpha)


def absolute(z):
    r"""Absolute-value rectification :math:`|z|` (for complex input: :math:`\pm z` by the sign of the real part).

    >>> absolute([-2.0, 3.0]).tolist()
    [2.0, 3.0]
    """
    z = _z(z)
    return np.where(z.real >= 0, z, -z)


def absolute_prime(z):
    r"""Derivative of :func:`absolute`: :math:`\operatorname{sign}(z)` (0 at 0).

    >>> absolute_prime([-2.0, 0.0, 3.0]).tolist()
    [-1.0, 0.0, 1.0]
    """
    return np.sign(_z(z).real)


def softplus(z):
    r"""Softplus :math:`\log(1 + e^{z})`, computed as :math:`\max(z, 0) + \operatorname{log1p}(e^{-|z|})`.

    Neither overflows for large :math:`z` nor loses the tiny values for very negative
    :math:`z`. Its derivative is the sigmoid.

    >>> softplus([-1e4, 0.0, 1e4]).tolist() == [0.0, float(np.log(2.0)), 1e4]
    True
    """
    return _softplus(_z(z))


def softplus_prime(z):
    r"""Derivative of :func:`softplus`, which is :math:`\sigma(z)`.

    >>> float(softplus_prime(0.0))
    0.5
    """
    return _sigmoid(_z(z))


def smooth_relu(z, alpha=1.0):
    r"""The smooth ReLU :math:`f_\alpha(z) = \log(1 + e^{\alpha z})/\alpha = \operatorname{softplus}(\alpha z)/\alpha`.

    ``alpha`` :math:`> 0` is the sharpness; ``alpha=1`` is :func:`softplus`. As
    :math:`\alpha \to \infty`, :math:`f_\alpha \to \operatorname{ReLU}` uniformly, with
    :math:`0 \le f_\alpha(z) - \max(0, z) \le \log 2/\alpha` (equality at :math:`z = 0`).
    ``ValueError`` if :math:`\alpha z` overflows.

    >>> bool(smooth_relu(0.0, alpha=4.0) == np.log(2.0) / 4.0)
    True
    """
    alpha = _alpha(alpha, positive=True)
    return _softplus(_scaled(_z(z), alpha)) / alpha


def smooth_relu_prime(z, alpha=1.0):
    r"""Derivative :math:`f_\alpha'(z) = \sigma(\alpha z)`.

    >>> float(smooth_relu_prime(0.0, alpha=8.0))
    0.5
    """
    alpha = _alpha(alpha, positive=True)
    return _sigmoid(_scaled(_z(z), alpha))


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


def maxout(z, pieces):
    r"""Maxout: the maximum over groups of ``pieces`` consecutive units.

    ``z`` has shape (..., n) with n a multiple of ``pieces`` :math:`= k \ge 1`; the
    result has shape (..., n // k) with :math:`g(z)_i = \max_{j \in G_i} z_j`,
    :math:`G_i = \{ik, \dots, ik + k - 1\}` (0-based). Real input only (maxout is not
    analytic). A maxout unit of affine pieces is a convex, piecewise affine function
    of its input; :func:`maxout_backward` sends the gradient to each group's winner.

    >>> maxout([[1.0, 5.0, -2.0, 0.0]], 2).tolist()
    [[5.0, 0.0]]
    """
    return _grouped(z, pieces).max(axis=-1)


def maxout_backward(dout, z, pieces):
    r"""Gradient of a loss through :func:`maxout`.

    ``dout`` (shape of ``maxout(z, pieces)``) is placed at the winning unit of each
    group, zeros elsewhere: :math:`\partial g_i / \partial z_j = 1` if :math:`j` is the
    first maximizer in :math:`G_i`, else 0 (with ties, a subgradient).

    >>> maxout_backward([[10.0, 20.0]], [[1.0, 5.0, -2.0, 0.0]], 2).tolist()
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


def _axis_of(z, axis):
    """Checked (z, axis) for the reductions: z finite, non-empty, at least 1-D."""
    z = as_array(z, "z")
    axis = as_int(axis, "axis")
    if z.ndim == 0:
        raise ValueError("z must have at least one axis, got a scalar")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis must be in [{-z.ndim}, {z.ndim}) for z of shape {z.shape}, got {axis}")
    return z, axis


def logsumexp(z, axis=-1):
    r"""Stable :math:`\log \sum_j e^{z_j}` along ``axis`` (which is removed).

    With :math:`m` the entry of largest real part,
    :math:`\log\sum_j e^{z_j} = m + \operatorname{log1p}\big(\sum_{j \ne m} e^{z_j - m}\big)`:
    nothing overflows, and a result near zero keeps its digits.

    >>> round(float(logsumexp([1e4, 1e4])), 6), float(logsumexp([0.0, -40.0]))
    (10000.693147, 4.248354255291589e-18)
    """
    return _logsumexp(*_axis_of(z, axis))


def log_softmax(z, axis=-1):
    r"""Stable :math:`\log \operatorname{softmax}(z) = (z - m) - \operatorname{log1p}\big(\sum_{j \ne m} e^{z_j - m}\big)` along ``axis``.

    Full relative accuracy also for the largest entries (where the result is near
    zero), and finite where the softmax itself underflows to 0.

    >>> log_softmax([0.0, -1e4]).tolist()
    [0.0, -10000.0]
    """
    return _log_softmax(*_axis_of(z, axis))


def softmax(z, axis=-1):
    r"""Softmax :math:`a_j = e^{z_j} / \sum_k e^{z_k}` along ``axis`` (each row of an (N, n) batch by default).

    Shift-invariant, so evaluated at :math:`z - \max_j z_j`, where no exponential overflows.

    >>> softmax([1000.0, 1000.0]).tolist()
    [0.5, 0.5]
    """
    return _softmax(*_axis_of(z, axis))


def softmax_jacobian(z):
    r"""Jacobian of the softmax of one vector ``z`` (n,): :math:`\operatorname{diag}(a) - a a^\top`, shape (n, n).

    Entry :math:`(j, k)` is :math:`a_j(\delta_{jk} - a_k)`: symmetric, rows summing to
    zero, positive semi-definite. The diagonal :math:`a_j(1 - a_j)` is evaluated as
    :math:`a_j \sum_{k \ne j} a_k`, accurate also when :math:`a_j` is close to one.

    >>> softmax_jacobian([0.0, 0.0]).tolist()
    [[0.25, -0.25], [-0.25, 0.25]]
    """
    z = as_array(z, "z", ndim=1)
    a = _softmax(z, 0)
    others = np.where(np.eye(z.size, dtype=bool), 0.0, a[None, :]).sum(axis=1)  # 1 - a_j, no cancellation
    J = -np.outer(a, a)  # (n, n)
    J[np.diag_indices(z.size)] = a * others
    return J


#: Elementwise activations usable as hidden units: name -> (g, g'), public (validating) functions.
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

#: The same table for checked arrays: name -> (g(z, alpha), g'(z, alpha)); ``alpha`` is the
#: leaky slope or the smooth-ReLU sharpness (already checked) and ignored by the others.
_HIDDEN = {
    "identity": (lambda z, alpha=None: z.copy(), lambda z, alpha=None: np.ones_like(z)),
    "sigmoid": (lambda z, alpha=None: _sigmoid(z), lambda z, alpha=None: _sigmoid_prime(z)),
    "tanh": (lambda z, alpha=None: _tanh(z), lambda z, alpha=None: _tanh_prime(z)),
    "relu": (lambda z, alpha=None: _relu(z), lambda z, alpha=None: _relu_prime(z)),
    "leaky_relu": (lambda z, alpha=0.01: _relu(z, alpha), lambda z, alpha=0.01: _relu_prime(z, alpha)),
    "absolute": (lambda z, alpha=None: np.where(z.real >= 0, z, -z), lambda z, alpha=None: np.sign(z.real)),
    "softplus": (lambda z, alpha=None: _softplus(z), lambda z, alpha=None: _sigmoid(z)),
    "smooth_relu": (lambda z, alpha=1.0: _softplus(_scaled(z, alpha)) / alpha,
                    lambda z, alpha=1.0: _sigmoid(_scaled(z, alpha))),
}
