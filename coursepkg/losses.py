r"""Loss functions and their gradients with respect to the prediction.

Every loss takes ``(prediction, target)`` for a batch of N samples and returns
the **mean over the samples** of a per-sample loss that **sums over output
units**; ``<name>_grad`` returns :math:`\partial \mathcal{L} / \partial(\text{prediction})`,
an array shaped like the prediction (the :math:`1/N` of the mean included).
Predictions are arrays of shape (N,) or (N, K). Class labels are integers in
[0, K); anything else (floats with a fractional part, values outside
[0, K), a wrong number of labels) raises a ``ValueError``. The smooth losses
keep complex input (the range checks look at the real part), so the
complex-step derivative passes through them.
"""
from __future__ import annotations

import numpy as np

from . import activations as act
from ._validation import as_array, as_labels, same_shape

__all__ = ["quadratic", "quadratic_grad", "absolute_error", "absolute_error_grad",
           "binary_cross_entropy", "binary_cross_entropy_grad",
           "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_grad",
           "cross_entropy", "cross_entropy_grad", "softmax_cross_entropy", "softmax_cross_entropy_grad",
           "one_hot"]


def _pair(pred, target, pred_name, allow_complex=True):
    pred = as_array(pred, pred_name, ndim=(1, 2), allow_complex=allow_complex)
    target = as_array(target, "y", ndim=(1, 2), allow_complex=False)
    same_shape(pred, pred_name, target, "y")
    return pred, target


def _sum_units(x: np.ndarray) -> np.ndarray:
    """Per-sample sums over output units: shape (N,)."""
    return x if x.ndim == 1 else x.sum(axis=1)


def one_hot(labels, n_classes):
    r"""One-hot encoding :math:`\mathbf{e}_{y_i}` of integer labels.

    Parameters
    ----------
    labels : array_like of int, shape (N,)
        Values in [0, n_classes).
    n_classes : int

    Returns
    -------
    numpy.ndarray, shape (N, n_classes)

    Raises
    ------
    ValueError
        If a label is not an integer in [0, n_classes).

    Examples
    --------
    >>> one_hot([2, 0], 3).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    from ._validation import as_int

    n_classes = as_int(n_classes, "n_classes", minimum=1)
    labels = as_labels(labels, "labels", n_classes=n_classes)
    out = np.zeros((labels.size, n_classes))
    out[np.arange(labels.size), labels] = 1.0
    return out


def quadratic(a, y):
    r"""Quadratic loss :math:`\frac{1}{N}\sum_i \frac12 \|\mathbf{a}_i - \mathbf{y}_i\|^2`.

    Parameters
    ----------
    a : array_like, shape (N,) or (N, K)
        Predictions.
    y : array_like, same shape as ``a``
        Targets.

    Returns
    -------
    float
        (complex if ``a`` is complex).

    Raises
    ------
    ValueError
        If the shapes differ or an entry is not finite.

    Notes
    -----
    Minus the log-likelihood of :math:`\mathbf{y}_i = \mathbf{a}_i + \boldsymbol{\varepsilon}_i`,
    :math:`\boldsymbol{\varepsilon}_i \sim \mathcal{N}(\mathbf{0}, \mathbf{I})`, divided by
    :math:`N` and without the constant :math:`\frac{K}{2}\log 2\pi`.

    Examples
    --------
    >>> float(quadratic([[1.0, 2.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]))
    1.25
    """
    a, y = _pair(a, y, "a")
    return np.mean(_sum_units(0.5 * (a - y) ** 2))


def quadratic_grad(a, y):
    r"""Gradient of :func:`quadratic`: :math:`(\mathbf{a} - \mathbf{y})/N`, shaped like ``a``.

    Parameters
    ----------
    a : array_like, shape (N,) or (N, K)
    y : array_like, same shape as ``a``

    Returns
    -------
    numpy.ndarray
        Same shape as ``a``.

    Raises
    ------
    ValueError, TypeError
        For the same inputs as :func:`quadratic`.

    Examples
    --------
    >>> quadratic_grad([1.0, 2.0], [0.0, 0.0]).tolist()
    [0.5, 1.0]
    """
    a, y = _pair(a, y, "a")
    return (a - y) / a.shape[0]


def absolute_error(a, y):
    r"""Absolute error :math:`\frac{1}{N}\sum_i \|\mathbf{a}_i - \mathbf{y}_i\|_1` (the L1 loss).

    Parameters
    ----------
    a : array_like, shape (N,) or (N, K)
    y : array_like, same shape as ``a``

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If the shapes differ or an entry is not finite.
    TypeError
        If ``a`` is complex (the absolute value is not analytic).

    Notes
    -----
    Minus the log-likelihood of Laplace noise :math:`p(\varepsilon) = e^{-|\varepsilon|}/2`,
    divided by :math:`N`, without the constant :math:`K\log 2`. Minimized by the median.

    Examples
    --------
    >>> float(absolute_error([1.0, -2.0], [0.0, 0.0]))
    1.5
    """
    a, y = _pair(a, y, "a", allow_complex=False)
    return np.mean(_sum_units(np.abs(a - y)))


def absolute_error_grad(a, y):
    r"""(Sub)gradient of :func:`absolute_error`: :math:`\operatorname{sign}(\mathbf{a} - \mathbf{y})/N` (0 where equal).

    Parameters
    ----------
    a : array_like, shape (N,) or (N, K)
    y : array_like, same shape as ``a``

    Returns
    -------
    numpy.ndarray
        Same shape as ``a``.

    Raises
    ------
    ValueError, TypeError
        For the same inputs as :func:`absolute_error`.

    Examples
    --------
    >>> absolute_error_grad([1.0, -2.0, 0.0], [0.0, 0.0, 0.0]).tolist()
    [0.3333333333333333, -0.3333333333333333, 0.0]
    """
    a, y = _pair(a, y, "a", allow_complex=False)
    return np.sign(a - y) / a.shape[0]


def _probabilities(p, name="p", ndim=(1, 2)):
    """Probabilities in [0, 1] (real part, so that a complex step passes)."""
    p = as_array(p, name, ndim=ndim)
    if np.any(p.real < 0) or np.any(p.real > 1):
        raise ValueError(f"{name} must hold probabilities in [0, 1], "
                         f"got values from {p.real.min():.6g} to {p.real.max():.6g}")
    return p


def _binary_targets(y, shape, pred_name="p"):
    y = as_array(y, "y", ndim=(1, 2), allow_complex=False)
    if y.shape != shape:
        raise ValueError(f"{pred_name} and y must have the same shape, got {shape} and {y.shape}")
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError(f"y must hold targets in [0, 1], got values from {y.min():.6g} to {y.max():.6g}")
    return y


def _xlogy(x, y):
    """x * log(y) with 0 * log(0) = 0 (and no warning); -inf where x > 0 and y == 0."""
    out = np.zeros(np.broadcast(x, y).shape, dtype=np.result_type(x, y))
    nz = x != 0
    with np.errstate(divide="ignore"):
        out[nz] = x[nz] * np.log(y[nz])
    return out


def binary_cross_entropy(p, y):
    r"""Binary cross-entropy :math:`-\frac1N \sum_i \sum_k [y_{ik}\log p_{ik} + (1-y_{ik})\log(1-p_{ik})]`.

    Parameters
    ----------
    p : array_like, shape (N,) or (N, K)
        Predicted probabilities in [0, 1].
    y : array_like, same shape as ``p``
        Targets in [0, 1] (usually 0 or 1).

    Returns
    -------
    float
        Uses :math:`0 \log 0 = 0`; infinite only if a target gets probability 0.

    Raises
    ------
    ValueError
        If ``p`` or ``y`` leave [0, 1], or the shapes differ.

    Notes
    -----
    The negative log-likelihood of independent Bernoulli outputs. For logits,
    :func:`binary_cross_entropy_with_logits` is more accurate.

    Examples
    --------
    >>> round(float(binary_cross_entropy([0.5, 1.0], [1.0, 1.0])), 6)
    0.346574
    """
    p = _probabilities(p)
    y = _binary_targets(y, p.shape)
    return np.mean(_sum_units(-(_xlogy(y, p) + _xlogy(1.0 - y, 1.0 - p))))


def binary_cross_entropy_grad(p, y):
    r"""Gradient of :func:`binary_cross_entropy`: :math:`\frac{1}{N}\frac{p - y}{p(1 - p)}`.

    Parameters
    ----------
    p : array_like, shape (N,) or (N, K)
    y : array_like, same shape as ``p``

    Returns
    -------
    numpy.ndarray
        Same shape as ``p``. Infinite where :math:`p \in \{0, 1\}` and
        :math:`p \ne y` (and where the true value exceeds the float64 range, for
        subnormal :math:`p` or :math:`1 - p`); zero where :math:`p = y \in \{0, 1\}`.

    Raises
    ------
    ValueError, TypeError
        For the same inputs as :func:`binary_cross_entropy`.

    Examples
    --------
    >>> binary_cross_entropy_grad([0.5, 0.25], [1.0, 0.0]).tolist()
    [-1.0, 0.6666666666666666]
    """
    p = _probabilities(p)
    y = _binary_targets(y, p.shape)
    num, den = p - y, p * (1.0 - p)
    out = np.zeros_like(p)
    ok = den.real > 0
    with np.errstate(over="ignore"):  # subnormal p (e.g. sigmoid(-740)): the true value exceeds float64, inf
        out[ok] = num[ok] / den[ok]
    bad = ~ok & (num.real != 0)
    out[bad] = np.copysign(np.inf, num[bad].real)
    return out / p.shape[0]


def binary_cross_entropy_with_logits(z, y):
    r"""Binary cross-entropy of :math:`p = \sigma(z)`, computed from the logits :math:`z`.

    Parameters
    ----------
    z : array_like, shape (N,) or (N, K)
        Logits (real or complex).
    y : array_like, same shape as ``z``
        Targets in [0, 1].

    Returns
    -------
    float
        :math:`\frac1N\sum_i\sum_k [\operatorname{softplus}(z_{ik}) - y_{ik} z_{ik}]`.

    Raises
    ------
    ValueError
        If ``y`` leaves [0, 1] or the shapes differ.

    Notes
    -----
    Since :math:`-\log\sigma(z) = \operatorname{softplus}(-z)` and
    :math:`-\log(1-\sigma(z)) = \operatorname{softplus}(z)`, the per-unit loss is
    :math:`y\,\operatorname{softplus}(-z) + (1-y)\operatorname{softplus}(z) = \operatorname{softplus}(z) - y z`,
    which is finite for every finite :math:`z`.

    Examples
    --------
    >>> float(binary_cross_entropy_with_logits([1e4, -1e4], [1.0, 0.0]))
    0.0
    """
    z = as_array(z, "z", ndim=(1, 2))
    y = _binary_targets(y, z.shape, "z")
    return np.mean(_sum_units(act.softplus(z) - y * z))


def binary_cross_entropy_with_logits_grad(z, y):
    r"""Gradient of :func:`binary_cross_entropy_with_logits`: :math:`(\sigma(\mathbf{z}) - \mathbf{y})/N`.

    Parameters
    ----------
    z : array_like, shape (N,) or (N, K)
    y : array_like, same shape as ``z``

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``; every entry in [-1/N, 1/N].

    Raises
    ------
    ValueError, TypeError
        For the same inputs as :func:`binary_cross_entropy_with_logits`.

    Examples
    --------
    >>> binary_cross_entropy_with_logits_grad([0.0, 0.0], [1.0, 0.0]).tolist()
    [-0.25, 0.25]
    """
    z = as_array(z, "z", ndim=(1, 2))
    y = _binary_targets(y, z.shape, "z")
    return (act.sigmoid(z) - y) / z.shape[0]


def _class_probs_and_labels(p, labels, name):
    p = as_array(p, name, ndim=2)
    labels = as_labels(labels, "labels", n_classes=p.shape[1], n_samples=p.shape[0])
    return p, labels


def cross_entropy(p, labels):
    r"""Categorical cross-entropy :math:`-\frac1N\sum_i \log p_{i, y_i}`.

    Parameters
    ----------
    p : array_like, shape (N, K)
        Predicted class probabilities (rows in the simplex).
    labels : array_like of int, shape (N,)
        Classes in [0, K).

    Returns
    -------
    float
        Infinite if a true class gets probability 0.

    Raises
    ------
    ValueError
        If ``p`` is not 2-D or leaves [0, 1], or a label is not an integer in [0, K),
        or there is not one label per row.

    Notes
    -----
    The rows are not required to sum to one (so that a single probability can
    be perturbed in a gradient check); with a softmax output they do.

    Examples
    --------
    >>> round(float(cross_entropy([[0.25, 0.75], [0.5, 0.5]], [1, 0])), 6)
    0.490415
    """
    p, labels = _class_probs_and_labels(p, labels, "p")
    _probabilities(p)
    picked = p[np.arange(p.shape[0]), labels]
    with np.errstate(divide="ignore"):
        return -np.mean(np.log(picked))


def cross_entropy_grad(p, labels):
    r"""Gradient of :func:`cross_entropy`: :math:`-\frac{1}{N p_{i,y_i}}` at :math:`(i, y_i)`, zero elsewhere.

    Parameters
    ----------
    p : array_like, shape (N, K)
    labels : array_like of int, shape (N,)

    Returns
    -------
    numpy.ndarray, shape (N, K)
        ``-inf`` where the true class has probability 0 (or one so small that
        :math:`1/(N p)` exceeds the float64 range).

    Raises
    ------
    ValueError, TypeError
        For the same inputs as :func:`cross_entropy`.

    Examples
    --------
    >>> cross_entropy_grad([[0.25, 0.75], [0.5, 0.5]], [1, 0]).tolist()
    [[0.0, -0.6666666666666666], [-1.0, 0.0]]
    """
    p, labels = _class_probs_and_labels(p, labels, "p")
    _probabilities(p)
    out = np.zeros_like(p)
    rows = np.arange(p.shape[0])
    with np.errstate(divide="ignore", over="ignore"):  # p = 0 or subnormal: -inf, without a warning
        out[rows, labels] = -1.0 / (p.shape[0] * p[rows, labels])
    return out


def softmax_cross_entropy(z, labels):
    r"""Cross-entropy of :math:`\operatorname{softmax}(\mathbf{z})`, from the logits.

    Parameters
    ----------
    z : array_like, shape (N, K)
        Logits (real or complex).
    labels : array_like of int, shape (N,)

    Returns
    -------
    float
        :math:`\frac1N\sum_i [\operatorname{logsumexp}(\mathbf{z}_i) - z_{i, y_i}]`, finite for every finite ``z``.

    Raises
    ------
    ValueError
        If ``z`` is not 2-D or not finite, or a label is not an integer in [0, K).

    Examples
    --------
    >>> float(softmax_cross_entropy([[1e4, 0.0], [0.0, 0.0]], [0, 1])) == float(np.log(2.0)) / 2
    True
    """
    z, labels = _class_probs_and_labels(z, labels, "z")
    return np.mean(act.logsumexp(z, axis=1) - z[np.arange(z.shape[0]), labels])


def softmax_cross_entropy_grad(z, labels):
    r"""Gradient of :func:`softmax_cross_entropy`: :math:`(\operatorname{softmax}(\mathbf{Z}) - \mathbf{E}_y)/N`.

    Row :math:`i` is :math:`(\mathbf{a}_i - \mathbf{e}_{y_i})/N`: the fused softmax and
    cross-entropy gradient, which is bounded by :math:`1/N` in every entry.

    Parameters
    ----------
    z : array_like, shape (N, K)
    labels : array_like of int, shape (N,)

    Returns
    -------
    numpy.ndarray, shape (N, K)
        Each row sums to zero.

    Raises
    ------
    ValueError, TypeError
        For the same inputs as :func:`softmax_cross_entropy`.

    Examples
    --------
    >>> softmax_cross_entropy_grad([[0.0, 0.0]], [1]).tolist()
    [[0.5, -0.5]]
    """
    z, labels = _class_probs_and_labels(z, labels, "z")
    g = act.softmax(z, axis=1)
    g[np.arange(z.shape[0]), labels] -= 1.0
    return g / z.shape[0]
