r"""Loss functions and their gradients with respect to the prediction.

Every loss takes ``(prediction, target)`` for a batch of N samples and returns
the **mean over the samples** of a per-sample loss that **sums over output
units**; ``<name>_grad`` returns :math:`\partial \mathcal{L} / \partial(\text{prediction})`,
an array shaped like the prediction (the :math:`1/N` of the mean included).
Predictions are arrays of shape (N,) or (N, K); class labels are integers in [0, K),
one per sample. The smooth losses keep complex input (range checks look at the
real part), so the complex-step derivative passes through them. Every real loss is
within a few ulps of the exact value (``tests/test_accuracy.py``): a loss near zero,
such as ``softmax_cross_entropy([[40, 0]], [0]) == 4.25e-18``, keeps its digits.

Bad input: ``TypeError`` for an argument of the wrong kind (not numeric; complex
where the loss is not analytic; labels that are not integers) and ``ValueError``
for a wrong value (shapes that differ, NaN or infinity, probabilities or targets
outside [0, 1], labels outside [0, K) or not one per sample, ragged label lists),
with a message that names the argument, what was expected and what was given.
Each public function validates once and calls private compute code.
"""
from __future__ import annotations

import numpy as np

from . import activations as act
from ._validation import as_array, as_int, as_labels_any, same_shape

__all__ = ["quadratic", "quadratic_grad", "absolute_error", "absolute_error_grad",
           "binary_cross_entropy", "binary_cross_entropy_grad",
           "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_grad",
           "cross_entropy", "cross_entropy_grad", "softmax_cross_entropy", "softmax_cross_entropy_grad",
           "one_hot"]


# ------------------------------------------------------------------ checks

_MAX_CLASSES = 2 ** 31 - 1  # one_hot allocates (N, n_classes): refuse sizes no array can have

def _pair(pred, target, pred_name, allow_complex=True):
    pred = as_array(pred, pred_name, ndim=(1, 2), allow_complex=allow_complex)
    target = as_array(target, "y", ndim=(1, 2), allow_complex=False)
    same_shape(pred, pred_name, target, "y")
    return pred, target


def _probabilities(p, name="p", ndim=(1, 2)):
    """Probabilities in [0, 1] (real part, so that a complex step passes)."""
    p = as_array(p, name, ndim=ndim)
    if np.any(p.real < 0) or np.any(p.real > 1):
        raise ValueError(f"{name} must hold probabilities in [0, 1], "
                         f"got values from {p.real.min():.6g} to {p.real.max():.6g}")
    return p


def _binary_pair(pred, y, pred_name):
    """(pred, y): pred probabilities (pred_name 'p') or logits ('z'), y targets in [0, 1] of the same shape."""
    pred = _probabilities(pred) if pred_name == "p" else as_array(pred, pred_name, ndim=(1, 2))
    y = as_array(y, "y", ndim=(1, 2), allow_complex=False)
    if y.shape != pred.shape:
        raise ValueError(f"{pred_name} and y must have the same shape, got {pred.shape} and {y.shape}")
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError(f"y must hold targets in [0, 1], got values from {y.min():.6g} to {y.max():.6g}")
    return pred, y


def _class_pair(p, labels, name):
    p = as_array(p, name, ndim=2)
    labels = as_labels_any(labels, "labels", n_classes=p.shape[1], n_samples=p.shape[0])
    return p, labels


# ------------------------------------------------------------------ private compute code

def _sum_units(x: np.ndarray) -> np.ndarray:
    """Per-sample sums over output units: shape (N,)."""
    return x if x.ndim == 1 else x.sum(axis=1)


def _xlog(x, logy):
    """x * logy with 0 * log 0 = 0 (no warning); -inf where x > 0 and logy = -inf."""
    out = np.zeros(np.broadcast(x, logy).shape, dtype=np.result_type(x, logy))
    nz = x != 0
    out[nz] = x[nz] * logy[nz]
    return out


def _binary_cross_entropy(p, y):
    with np.errstate(divide="ignore"):
        log_p, log_q = np.log(p), act._log1p(-p)  # log(1 - p) without the rounding of 1 - p
    return np.mean(_sum_units(-(_xlog(y, log_p) + _xlog(1.0 - y, log_q))))


def _bce_logits(z, y):
    # y softplus(-z) + (1 - y) softplus(z) = softplus(z) - y z, as a sum of non-negative terms
    return np.mean(_sum_units(_xlog(y, act._softplus(-z)) + _xlog(1.0 - y, act._softplus(z))))


def _bce_logits_grad(z, y):
    # sigma(z) - y = (1 - y) sigma(z) - y sigma(-z): exact for y in {0, 1}, no 1 - sigma
    return ((1.0 - y) * act._sigmoid(z) - y * act._sigmoid(-z)) / z.shape[0]


def _softmax_cross_entropy(z, labels):
    return -np.mean(act._log_softmax(z, 1)[np.arange(z.shape[0]), labels])


def _softmax_cross_entropy_grad(z, labels):
    a = act._softmax(z, 1)  # (N, K)
    rows = np.arange(z.shape[0])
    rest = a.copy()
    rest[rows, labels] = 0.0
    a[rows, labels] = -rest.sum(axis=1)  # a_y - 1 = -(sum of the other a_k): no cancellation
    return a / z.shape[0]


# ------------------------------------------------------------------ public functions

def one_hot(labels, n_classes):
    r"""One-hot encoding :math:`\mathbf{e}_{y_i}` of integer labels (N,) in [0, n_classes): shape (N, n_classes).

    >>> one_hot([2, 0], 3).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    n_classes = as_int(n_classes, "n_classes", minimum=1)
    if n_classes > _MAX_CLASSES:
        raise ValueError(f"n_classes must be an integer <= {_MAX_CLASSES}, got one of {len(str(n_classes))} digits")
    labels = as_labels_any(labels, "labels", n_classes=n_classes)
    out = np.zeros((labels.size, n_classes))
    out[np.arange(labels.size), labels] = 1.0
    return out


def quadratic(a, y):
    r"""Quadratic loss :math:`\frac{1}{N}\sum_i \frac12 \|\mathbf{a}_i - \mathbf{y}_i\|^2`.

    Minus the log-likelihood of :math:`\mathbf{y}_i = \mathbf{a}_i + \boldsymbol{\varepsilon}_i`,
    :math:`\boldsymbol{\varepsilon}_i \sim \mathcal{N}(\mathbf{0}, \mathbf{I})`, divided by
    :math:`N` and without the constant :math:`\frac{K}{2}\log 2\pi`.

    >>> float(quadratic([[1.0, 2.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]))
    1.25
    """
    a, y = _pair(a, y, "a")
    return np.mean(_sum_units(0.5 * (a - y) ** 2))


def quadratic_grad(a, y):
    r"""Gradient of :func:`quadratic`: :math:`(\mathbf{a} - \mathbf{y})/N`, shaped like ``a``.

    >>> quadratic_grad([1.0, 2.0], [0.0, 0.0]).tolist()
    [0.5, 1.0]
    """
    a, y = _pair(a, y, "a")
    return (a - y) / a.shape[0]


def absolute_error(a, y):
    r"""Absolute error :math:`\frac{1}{N}\sum_i \|\mathbf{a}_i - \mathbf{y}_i\|_1` (the L1 loss; real input only).

    Minus the log-likelihood of Laplace noise :math:`p(\varepsilon) = e^{-|\varepsilon|}/2`,
    divided by :math:`N`, without the constant :math:`K\log 2`. Minimized by the median.

    >>> float(absolute_error([1.0, -2.0], [0.0, 0.0]))
    1.5
    """
    a, y = _pair(a, y, "a", allow_complex=False)
    return np.mean(_sum_units(np.abs(a - y)))


def absolute_error_grad(a, y):
    r"""(Sub)gradient of :func:`absolute_error`: :math:`\operatorname{sign}(\mathbf{a} - \mathbf{y})/N` (0 where equal).

    >>> absolute_error_grad([1.0, -2.0, 0.0], [0.0, 0.0, 0.0]).tolist()
    [0.3333333333333333, -0.3333333333333333, 0.0]
    """
    a, y = _pair(a, y, "a", allow_complex=False)
    return np.sign(a - y) / a.shape[0]


def binary_cross_entropy(p, y):
    r"""Binary cross-entropy :math:`-\frac1N \sum_i \sum_k [y_{ik}\log p_{ik} + (1-y_{ik})\log(1-p_{ik})]`.

    ``p`` holds probabilities in [0, 1], ``y`` targets in [0, 1] of the same shape.
    Uses :math:`0 \log 0 = 0`; infinite only if a target gets probability 0. The negative
    log-likelihood of independent Bernoulli outputs; from logits,
    :func:`binary_cross_entropy_with_logits` is more accurate.

    >>> round(float(binary_cross_entropy([0.5, 1.0], [1.0, 1.0])), 6)
    0.346574
    """
    return _binary_cross_entropy(*_binary_pair(p, y, "p"))


def binary_cross_entropy_grad(p, y):
    r"""Gradient of :func:`binary_cross_entropy`: :math:`\frac{1}{N}\frac{p - y}{p(1 - p)}`.

    Infinite where :math:`p \in \{0, 1\}` and :math:`p \ne y` (and where the true value
    exceeds the float64 range, for subnormal :math:`p` or :math:`1 - p`); zero where
    :math:`p = y \in \{0, 1\}`.

    >>> binary_cross_entropy_grad([0.5, 0.25], [1.0, 0.0]).tolist()
    [-1.0, 0.6666666666666666]
    """
    p, y = _binary_pair(p, y, "p")
    num, den = p - y, p * (1.0 - p)
    out = np.zeros_like(p)
    ok = den.real > 0
    with np.errstate(over="ignore"):  # subnormal p (e.g. sigmoid(-740)): the true value exceeds float64, inf
        out[ok] = num[ok] / den[ok]
    bad = ~ok & (num.real != 0)
    out[bad] = np.copysign(np.inf, num[bad].real)
    return out / p.shape[0]


def binary_cross_entropy_with_logits(z, y):
    r"""Binary cross-entropy of :math:`p = \sigma(z)`, from the logits: :math:`\frac1N\sum_i\sum_k [\operatorname{softplus}(z_{ik}) - y_{ik} z_{ik}]`.

    Since :math:`-\log\sigma(z) = \operatorname{softplus}(-z)` and
    :math:`-\log(1-\sigma(z)) = \operatorname{softplus}(z)`, each term is evaluated as
    :math:`y\,\operatorname{softplus}(-z) + (1-y)\operatorname{softplus}(z)`, a sum of
    non-negative numbers: finite for every finite :math:`z`, and accurate near zero.

    >>> float(binary_cross_entropy_with_logits([1e4, -1e4], [1.0, 0.0]))
    0.0
    >>> float(binary_cross_entropy_with_logits([40.0], [1.0]))
    4.248354255291589e-18
    """
    return _bce_logits(*_binary_pair(z, y, "z"))


def binary_cross_entropy_with_logits_grad(z, y):
    r"""Gradient of :func:`binary_cross_entropy_with_logits`: :math:`(\sigma(\mathbf{z}) - \mathbf{y})/N`, entries in [-1/N, 1/N].

    >>> binary_cross_entropy_with_logits_grad([0.0, 0.0], [1.0, 0.0]).tolist()
    [-0.25, 0.25]
    """
    return _bce_logits_grad(*_binary_pair(z, y, "z"))


def cross_entropy(p, labels):
    r"""Categorical cross-entropy :math:`-\frac1N\sum_i \log p_{i, y_i}` of probabilities ``p`` (N, K) and labels (N,).

    Infinite if a true class gets probability 0. The rows need not sum to one (so that a
    single probability can be perturbed in a gradient check); with a softmax output they do.

    >>> round(float(cross_entropy([[0.25, 0.75], [0.5, 0.5]], [1, 0])), 6)
    0.490415
    """
    p, labels = _class_pair(p, labels, "p")
    _probabilities(p)
    with np.errstate(divide="ignore"):
        return -np.mean(np.log(p[np.arange(p.shape[0]), labels]))


def cross_entropy_grad(p, labels):
    r"""Gradient of :func:`cross_entropy`: :math:`-\frac{1}{N p_{i,y_i}}` at :math:`(i, y_i)`, zero elsewhere.

    ``-inf`` where the true class has probability 0 (or one so small that
    :math:`1/(N p)` exceeds the float64 range).

    >>> cross_entropy_grad([[0.25, 0.75], [0.5, 0.5]], [1, 0]).tolist()
    [[0.0, -0.6666666666666666], [-1.0, 0.0]]
    """
    p, labels = _class_pair(p, labels, "p")
    _probabilities(p)
    out = np.zeros_like(p)
    rows = np.arange(p.shape[0])
    with np.errstate(divide="ignore", over="ignore"):  # p = 0 or subnormal: -inf, without a warning
        out[rows, labels] = -1.0 / (p.shape[0] * p[rows, labels])
    return out


def softmax_cross_entropy(z, labels):
    r"""Cross-entropy of :math:`\operatorname{softmax}(\mathbf{z})` from logits ``z`` (N, K): :math:`-\frac1N\sum_i \log\operatorname{softmax}(\mathbf{z}_i)_{y_i}`.

    Equal to :math:`\frac1N\sum_i [\operatorname{logsumexp}(\mathbf{z}_i) - z_{i, y_i}]`, but
    computed through the log-softmax, so it is finite for every finite ``z`` and keeps its
    digits when the loss is near zero.

    >>> float(softmax_cross_entropy([[1e4, 0.0], [0.0, 0.0]], [0, 1])) == float(np.log(2.0)) / 2
    True
    >>> float(softmax_cross_entropy([[40.0, 0.0]], [0]))
    4.248354255291589e-18
    """
    return _softmax_cross_entropy(*_class_pair(z, labels, "z"))


def softmax_cross_entropy_grad(z, labels):
    r"""Gradient of :func:`softmax_cross_entropy`: row :math:`i` is :math:`(\mathbf{a}_i - \mathbf{e}_{y_i})/N`.

    The fused softmax and cross-entropy gradient, bounded by :math:`1/N` in every entry;
    each row sums to zero. :math:`a_{y} - 1` is computed as :math:`-\sum_{k \ne y} a_k`.

    >>> softmax_cross_entropy_grad([[0.0, 0.0]], [1]).tolist()
    [[0.5, -0.5]]
    """
    return _softmax_cross_entropy_grad(*_class_pair(z, labels, "z"))
