r"""Fully connected feed-forward networks (multilayer perceptrons).

Notation (see the book's notation page): layers :math:`l = 0, \dots, L` with
:math:`n_l` units; :math:`\mathbf{W}^l \in \mathbb{R}^{n_l \times n_{l-1}}`,
:math:`\mathbf{b}^l \in \mathbb{R}^{n_l}`,
:math:`\mathbf{z}^l = \mathbf{W}^l \mathbf{a}^{l-1} + \mathbf{b}^l`,
:math:`\mathbf{a}^l = g_l(\mathbf{z}^l)`, :math:`\mathbf{a}^0 = \mathbf{x}`.
Arrays are batch-first: a batch of N inputs is ``X`` of shape (N, n_0) and
layer l computes ``Z = A_prev @ W.T + b`` of shape (N, n_l).

The network is built from one pair of layers, ``linear_forward``/``linear_backward``
and ``activation_forward``/``activation_backward``, each returning or taking a
named-tuple cache. :func:`mlp_forward`, :func:`mlp_loss_and_grads` and
:meth:`MLP.fit` compose them. The output unit and its loss form one entry of a small
table of (output, loss) pairs, as Nielsen's ``cost.fn`` and ``cost.delta``: from the
logits :math:`\mathbf{Z}^L` and the targets it gives the outputs, the mean loss and the
output error :math:`\partial c/\partial \mathbf{Z}^L`.

Bad input: every public function checks its arguments once and raises
``TypeError`` (wrong kind) or ``ValueError`` (wrong shape, range or value) naming
the argument, what was expected and what was given; the private ``_name``
functions compute without checks.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from . import activations as act
from . import init as _init
from . import regularization as _reg
from ._validation import (_describe, affine_shapes, as_array, as_choice, as_float, as_int, as_labels,
                          as_network_inputs, as_network_params, as_rng)

__all__ = ["MLP", "count_parameters", "linear_forward", "linear_backward",
           "activation_forward", "activation_backward", "mlp_forward", "mlp_loss_and_grads",
           "init_params", "LinearCache", "ActivationCache", "LayerCache", "EarlyStopping", "AlphaSchedule",
           "HIDDEN_ACTIVATIONS", "OUTPUT_ACTIVATIONS", "INITS", "LOSSES"]

#: hidden activations: the elementwise ones of :data:`coursepkg.activations.HIDDEN`
HIDDEN_ACTIVATIONS = tuple(act.HIDDEN)
INITS = ("xavier", "he", "normal")
MAX_ALPHA = 1e6  # sharpness of smooth_relu: alpha * z must stay far from overflow


class LinearCache(NamedTuple):
    """What :func:`linear_backward` needs: the layer's input (N, n_in) and weights (n_out, n_in)."""
    A_prev: np.ndarray
    W: np.ndarray


class ActivationCache(NamedTuple):
    """What :func:`activation_backward` needs: pre-activations, activations, name, smooth-ReLU sharpness."""
    Z: np.ndarray
    A: np.ndarray
    name: str
    alpha: float


class LayerCache(NamedTuple):
    """One layer of :func:`mlp_forward`: its linear and activation caches."""
    linear: LinearCache
    activation: ActivationCache


# ---------------------------------------------------------------------------
# The layer pair: public functions check, private ones compute.
# ---------------------------------------------------------------------------

def _linear_forward(A_prev, W, b):
    return A_prev @ W.T + b, LinearCache(A_prev, W)  # (N, n_out)


def _linear_backward(dZ, cache, input_grad=True):
    """(dA_prev, dW, db), chapter 6 batched; dA_prev is None when the input needs no gradient (X)."""
    return (dZ @ cache.W if input_grad else None), dZ.T @ cache.A_prev, dZ.sum(axis=0)


def _activation_forward(Z, name, alpha):
    if name == "softmax":
        A = act._softmax(Z, axis=-1)
    elif name == "smooth_relu":
        A = act._HIDDEN[name][0](Z, alpha)
    else:
        A = act._HIDDEN[name][0](Z)  # the unit's own default (the leaky slope stays 0.01)
    return A, ActivationCache(Z, A, name, alpha)


def _activation_backward(dA, cache):
    Z, A, name, alpha = cache
    if name == "softmax":  # rows: (diag(a) - a a^T) da = a * (da - a.da)
        return A * (dA - np.sum(dA * A, axis=1, keepdims=True))
    if name == "smooth_relu":
        return dA * act._HIDDEN[name][1](Z, alpha)
    return dA * act._HIDDEN[name][1](Z)


def _check_cache(cache, kind, fields):
    if not isinstance(cache, kind):
        if not (isinstance(cache, tuple) and len(cache) == len(fields)):
            raise TypeError(f"cache must be the {kind.__name__} returned by the forward function, "
                            f"got {_describe(cache)}")
        cache = kind(*cache)
    return cache


def linear_forward(A_prev, W, b):
    r"""Affine map of a batch: :math:`\mathbf{Z} = \mathbf{A}_{\text{prev}} \mathbf{W}^\top + \mathbf{b}`.

    ``A_prev`` (N, n_in), ``W`` (n_out, n_in), ``b`` (n_out,) give ``Z`` (N, n_out)
    and the cache ``LinearCache(A_prev, W)`` for :func:`linear_backward`.

    >>> import numpy as np
    >>> Z, cache = linear_forward(np.array([[1.0, 2.0]]), np.array([[1.0, 0.0], [0.0, -1.0], [1.0, 1.0]]), np.zeros(3))
    >>> Z.tolist()
    [[1.0, -2.0, 3.0]]
    """
    A_prev = as_array(A_prev, "A_prev", ndim=2)
    W = as_array(W, "W", ndim=2)
    b = as_array(b, "b", ndim=1)
    affine_shapes(A_prev, "A_prev", W, b)
    return _linear_forward(A_prev, W, b)


def linear_backward(dZ, cache):
    r"""Back-propagate through :func:`linear_forward`: the batched rule of chapter 6,

    :math:`\mathbf{dA}_{\text{prev}} = \mathbf{dZ}\,\mathbf{W}`,
    :math:`\mathbf{dW} = \mathbf{dZ}^\top \mathbf{A}_{\text{prev}}` (summed over the batch),
    :math:`\mathbf{db} = \mathbf{dZ}^\top \mathbf{1}`, for ``dZ`` of shape (N, n_out).

    >>> import numpy as np
    >>> Z, cache = linear_forward(np.ones((4, 2)), np.ones((3, 2)), np.zeros(3))
    >>> dA_prev, dW, db = linear_backward(np.ones((4, 3)), cache)
    >>> dA_prev.shape, dW.tolist()[0], db.tolist()
    ((4, 2), [4.0, 4.0], [4.0, 4.0, 4.0])
    """
    cache = _check_cache(cache, LinearCache, ("A_prev", "W"))
    A_prev = as_array(cache.A_prev, "cache.A_prev", ndim=2)
    W = as_array(cache.W, "cache.W", ndim=2)
    if A_prev.shape[1] != W.shape[1]:
        raise ValueError(f"cache.A_prev must have {W.shape[1]} columns to match cache.W {W.shape}, got {A_prev.shape}")
    dZ = as_array(dZ, "dZ", ndim=2)
    if dZ.shape != (A_prev.shape[0], W.shape[0]):
        raise ValueError(f"dZ must have shape {(A_prev.shape[0], W.shape[0])}, got {dZ.shape}")
    return _linear_backward(dZ, LinearCache(A_prev, W))


def _check_alpha(alpha, name="alpha"):
    return as_float(alpha, name, minimum=0.0, strict_min=True, maximum=MAX_ALPHA)


def activation_forward(Z, name: str, alpha: float = 1.0):
    r"""Apply an activation to a batch of pre-activations ``Z`` (N, n).

    ``name`` is ``"softmax"`` (row-wise) or a name of :data:`HIDDEN_ACTIVATIONS`;
    ``alpha`` is the sharpness of ``"smooth_relu"`` (ignored otherwise). Returns
    ``A`` (N, n) and the cache ``ActivationCache(Z, A, name, alpha)``.

    >>> import numpy as np
    >>> A, cache = activation_forward(np.array([[-1.0, 2.0]]), "relu")
    >>> A.tolist(), cache.name
    ([[0.0, 2.0]], 'relu')
    """
    Z = as_array(Z, "Z", ndim=2)
    name = as_choice(name, "name", HIDDEN_ACTIVATIONS + ("softmax",))
    return _activation_forward(Z, name, _check_alpha(alpha))


def activation_backward(dA, cache):
    r"""Back-propagate through :func:`activation_forward`.

    Elementwise: :math:`\mathbf{dZ} = \mathbf{dA} \odot g'(\mathbf{Z})`; softmax, row by row:
    :math:`\mathbf{dz} = (\operatorname{diag}(\mathbf{a}) - \mathbf{a}\mathbf{a}^\top)\mathbf{da}
    = \mathbf{a} \odot (\mathbf{da} - \mathbf{a}^\top \mathbf{da})`.

    >>> import numpy as np
    >>> A, cache = activation_forward(np.array([[-1.0, 2.0]]), "relu")
    >>> activation_backward(np.array([[5.0, 5.0]]), cache).tolist()
    [[0.0, 5.0]]
    """
    cache = _check_cache(cache, ActivationCache, ("Z", "A", "name", "alpha"))
    Z = as_array(cache.Z, "cache.Z", ndim=2)
    name = as_choice(cache.name, "cache.name", HIDDEN_ACTIVATIONS + ("softmax",))
    alpha = _check_alpha(cache.alpha, "cache.alpha")
    A = as_array(cache.A, "cache.A", ndim=2)
    if A.shape != Z.shape:
        raise ValueError(f"cache.A must have the shape of cache.Z {Z.shape}, got {A.shape}")
    dA = as_array(dA, "dA", ndim=2)
    if dA.shape != Z.shape:
        raise ValueError(f"dA must have shape {Z.shape}, got {dA.shape}")
    return _activation_backward(dA, ActivationCache(Z, A, name, alpha))


# ---------------------------------------------------------------------------
# Output unit and loss, fused: one table (Nielsen's cost.fn and cost.delta).
# Each entry maps the output pre-activations Z (N, n_L) and the targets T (N, n_L)
# to (A^L, mean loss, dc/dZ^L). The output unit is applied with its loss, on the
# logits, so that a softmax and its logarithm come from one pass of exponentials.
# ---------------------------------------------------------------------------

def _quadratic(A, T):
    return 0.5 * np.sum((A - T) ** 2) / T.shape[0]


def _softmax_cross_entropy(Z, T):
    A, log_A = act._softmax_and_log_softmax(Z, axis=-1)
    return A, -np.sum(T * log_A) / T.shape[0], (A - T) / T.shape[0]


def _sigmoid_binary_cross_entropy(Z, T):  # -t log(sigma(z)) - (1 - t) log(1 - sigma(z)) = softplus(z) - t z
    A = act._sigmoid(Z)
    return A, np.sum(act._softplus(Z) - T * Z) / T.shape[0], (A - T) / T.shape[0]


def _sigmoid_quadratic(Z, T):  # Nielsen's first network: the output error keeps the factor sigma'(z)
    A = act._sigmoid(Z)
    return A, _quadratic(A, T), (A - T) * act._sigmoid_prime(Z) / T.shape[0]


def _identity_quadratic(Z, T):
    return Z, _quadratic(Z, T), (Z - T) / T.shape[0]


_COSTS = {
    ("softmax", "cross_entropy"): _softmax_cross_entropy,
    ("sigmoid", "binary_cross_entropy"): _sigmoid_binary_cross_entropy,
    ("sigmoid", "quadratic"): _sigmoid_quadratic,
    ("identity", "quadratic"): _identity_quadratic,
}
#: the output activations, each with the losses it pairs with in :data:`LOSSES`
OUTPUT_ACTIVATIONS = tuple(dict.fromkeys(out for out, _ in _COSTS))
#: the losses allowed with each output activation; the first one is the natural pairing
LOSSES = {out: tuple(loss for o, loss in _COSTS if o == out) for out in OUTPUT_ACTIVATIONS}


def _check_sizes(sizes) -> list[int]:
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"sizes must be a sequence of layer widths such as [64, 100, 10], got {_describe(sizes)}")
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output width, got {list(sizes)}")
    return [as_int(n, f"sizes[{i}]", minimum=1, maximum=2 ** 31 - 1) for i, n in enumerate(sizes)]


def _check_architecture(hidden, output, loss, alpha):
    hidden = as_choice(hidden, "hidden", HIDDEN_ACTIVATIONS)
    output = as_choice(output, "output", OUTPUT_ACTIVATIONS)
    loss = LOSSES[output][0] if loss is None else as_choice(loss, "loss", LOSSES[output])
    return hidden, output, loss, _check_alpha(alpha)


def _check_targets(y, n_samples, n_out, output, loss, name="y"):
    """Targets as a float array T (N, n_L): one-hot rows for softmax labels (N,)."""
    if output == "softmax":
        labels = as_labels(y, name, n_classes=n_out, n_samples=n_samples)
        return np.eye(n_out)[labels]
    T = as_array(y, name, ndim=(1, 2), allow_complex=False)
    T = T[:, None] if T.ndim == 1 and n_out == 1 else T
    if T.shape != (n_samples, n_out):
        raise ValueError(f"{name} must have shape ({n_samples}, {n_out}) (one row of {n_out} targets per "
                         f"sample), got shape {np.shape(y)}")
    if loss == "binary_cross_entropy" and (np.any(T < 0) or np.any(T > 1)):
        raise ValueError(f"{name} must hold targets in [0, 1] for the binary cross-entropy, "
                         f"got values from {T.min():.6g} to {T.max():.6g}")
    return T


def count_parameters(sizes: Sequence[int]) -> int:
    r"""Number of weights and biases, :math:`\sum_{l=1}^{L} n_l (n_{l-1} + 1)`, for widths ``sizes``.

    >>> count_parameters([64, 100, 10])
    7510
    """
    sizes = _check_sizes(sizes)
    return sum(n * (m + 1) for m, n in zip(sizes[:-1], sizes[1:]))


def init_params(sizes: Sequence[int], init: str, rng: np.random.Generator) -> dict:
    r"""Random initial parameters ``{"W1": ..., "b1": ..., ..., "WL": ..., "bL": ...}``.

    ``init`` is ``"xavier"`` (:func:`coursepkg.init.xavier_normal`, zero biases), ``"he"``
    (:func:`coursepkg.init.he_normal`, zero biases) or ``"normal"`` (weights and biases
    :math:`\mathcal{N}(0, 1)`, Nielsen's first network). ``W{l}`` has shape (n_l, n_{l-1}).

    >>> import numpy as np
    >>> sorted((k, v.shape) for k, v in init_params([3, 2], "he", np.random.default_rng(0)).items())
    [('W1', (2, 3)), ('b1', (2,))]
    """
    sizes = _check_sizes(sizes)
    init = as_choice(init, "init", INITS)
    rng = as_rng(rng)
    draw = {"xavier": _init.xavier_normal, "he": _init.he_normal}.get(init)
    params = {}
    for l, (m, n) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{l}"] = rng.standard_normal((n, m)) if draw is None else draw(n, m, rng)
        params[f"b{l}"] = rng.standard_normal(n) if draw is None else np.zeros(n)
    return params


# ---------------------------------------------------------------------------
# The network: forward, loss and back-propagation, composed from the layer pair.
# ---------------------------------------------------------------------------

def _forward(params, X, hidden, output, alpha, dropout=0.0, rng=None, layers=None):
    """Unchecked forward pass: (A^L, caches, dropout masks); dropout (probability ``dropout``) after
    the hidden layers in ``layers`` (all if None), a mask of None where nothing is dropped.
    ``output=None`` stops at the logits: Z^L in place of A^L, no activation cache for layer L
    (the loss applies the output unit, see ``_COSTS``)."""
    L = len(params) // 2
    A, caches, masks = X, [], []
    for l in range(1, L + 1):
        Z, lin = _linear_forward(A, params[f"W{l}"], params[f"b{l}"])  # (N, n_l)
        if l == L and output is None:
            caches.append(LayerCache(lin, None))
            return Z, caches, masks
        A, acts = _activation_forward(Z, hidden if l < L else output, alpha)  # (N, n_l)
        mask = None
        if dropout and l < L and (layers is None or l in layers):
            A, mask = _reg.dropout(A, dropout, rng)
        caches.append(LayerCache(lin, acts))
        masks.append(mask)
    return A, caches, masks


def _backward(caches, masks, dZ):
    """Unchecked back-propagation from dZ = dc/dZ^L; returns the grads W1, b1, ..., WL, bL."""
    grads = []
    for l in range(len(caches), 0, -1):
        dA, dW, db = _linear_backward(dZ, caches[l - 1].linear, input_grad=l > 1)
        grads += [(f"b{l}", db), (f"W{l}", dW)]
        if l > 1:
            mask = masks[l - 2]
            dA = dA if mask is None else dA * mask  # dropped units pass nothing back
            dZ = _activation_backward(dA, caches[l - 2].activation)
    return dict(reversed(grads))


def _loss_and_grads(params, X, T, hidden, output, loss, alpha, dropout=0.0, rng=None, layers=None):
    """Unchecked mean loss, grads and the output activations of a batch."""
    Z, caches, masks = _forward(params, X, hidden, None, alpha, dropout, rng, layers)
    A, value, dZ = _COSTS[output, loss](Z, T)
    return value, _backward(caches, masks, dZ), A


def mlp_forward(params, X, hidden: str = "sigmoid", output: str = "softmax", alpha: float = 1.0):
    r"""Forward pass of a fully connected network on a batch ``X`` (N, n_0).

    For :math:`l = 1, \dots, L`:
    :math:`\mathbf{Z}^l = \mathbf{A}^{l-1} (\mathbf{W}^l)^\top + \mathbf{1}(\mathbf{b}^l)^\top`,
    :math:`\mathbf{A}^l = g_l(\mathbf{Z}^l)`, :math:`\mathbf{A}^0 = \mathbf{X}`; row :math:`i`
    is the single-example recursion applied to :math:`\mathbf{x}_i`. ``hidden`` is one of
    :data:`HIDDEN_ACTIVATIONS`, ``output`` one of :data:`OUTPUT_ACTIVATIONS`.

    Returns ``A_L`` (N, n_L) and one ``LayerCache(linear, activation)`` per layer
    (``caches[l - 1].activation.Z`` is :math:`\mathbf{Z}^l`).

    >>> import numpy as np
    >>> params = init_params([2, 3, 2], "xavier", np.random.default_rng(0))
    >>> A, caches = mlp_forward(params, np.ones((5, 2)), hidden="tanh")
    >>> A.shape, len(caches), caches[-1].activation.Z.shape
    ((5, 2), 2, (5, 2))
    """
    params = as_network_params(params)
    X = as_network_inputs(X, params["W1"].shape[1])
    hidden, output, _, alpha = _check_architecture(hidden, output, None, alpha)
    return _forward(params, X, hidden, output, alpha)[:2]


def mlp_loss_and_grads(params, X, y, hidden: str = "sigmoid", output: str = "softmax",
                       loss: str | None = None, alpha: float = 1.0, *, dropout: float = 0.0,
                       layers=None, rng=None):
    r"""Mean loss of a fully connected network on a batch and its gradient (back-propagation).

    ``y``: integer labels (N,) for a softmax output; targets (N, n_L) (or (N,) when
    n_L = 1) for a sigmoid or identity output. ``loss=None`` is the natural pairing
    (:data:`LOSSES`). With ``dropout=p`` (and ``rng``), the hidden layers in ``layers``
    (1-based, default all) are dropped out as in :func:`coursepkg.regularization.dropout`.

    The output error :math:`\boldsymbol{\Delta}^L = \partial c/\partial \mathbf{Z}^L` is
    :math:`(\mathbf{A}^L - \mathbf{Y})/N` for softmax with cross-entropy, sigmoid with binary
    cross-entropy and identity with the quadratic loss, and
    :math:`(\mathbf{A}^L - \mathbf{Y}) \odot \sigma'(\mathbf{Z}^L)/N` for a sigmoid with the
    quadratic loss; then, for :math:`l = L, \dots, 1` (:func:`linear_backward` and
    :func:`activation_backward`),

    .. math::

        \frac{\partial c}{\partial \mathbf{W}^l} = (\boldsymbol{\Delta}^l)^\top \mathbf{A}^{l-1},\quad
        \frac{\partial c}{\partial \mathbf{b}^l} = (\boldsymbol{\Delta}^l)^\top \mathbf{1},\quad
        \boldsymbol{\Delta}^{l-1} = (\boldsymbol{\Delta}^l \mathbf{W}^l) \odot g'(\mathbf{Z}^{l-1}).

    Returns the loss (complex if the parameters or inputs are, for the complex step) and
    the grads, with the keys and shapes of ``params``.

    >>> import numpy as np
    >>> params = {k: np.zeros_like(v) for k, v in init_params([2, 3, 2], "xavier", np.random.default_rng(0)).items()}
    >>> loss, grads = mlp_loss_and_grads(params, np.ones((4, 2)), np.array([0, 1, 1, 0]))
    >>> round(loss, 12) == round(float(np.log(2.0)), 12), sorted(grads)  # all-zero weights: both classes 1/2
    (True, ['W1', 'W2', 'b1', 'b2'])
    """
    params = as_network_params(params)
    n0, nL = params["W1"].shape[1], params[f"W{len(params) // 2}"].shape[0]
    X = as_network_inputs(X, n0)
    hidden, output, loss, alpha = _check_architecture(hidden, output, loss, alpha)
    T = _check_targets(y, X.shape[0], nL, output, loss)
    dropout, layers, rng = _check_dropout(dropout, layers, rng, len(params) // 2)
    value, grads, _ = _loss_and_grads(params, X, T, hidden, output, loss, alpha, dropout, rng, layers)
    return (complex(value) if np.iscomplexobj(value) else float(value)), grads


def _check_dropout(dropout, layers, rng, L):
    dropout = as_float(dropout, "dropout", minimum=0.0, maximum=1.0, strict_max=True)
    if layers is not None:
        if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
            raise TypeError(f"layers must be a sequence of hidden-layer numbers, got {_describe(layers)}")
        layers = {as_int(l, "layers[...]", minimum=1, maximum=L - 1) for l in layers}
    return dropout, layers, (as_rng(rng) if dropout else rng)


def _accuracy_rule(T, output):
    """How a prediction is scored, decided once per target set: 'argmax' (softmax, one-hot
    sigmoid targets), 'threshold' (other 0/1 sigmoid targets: every unit on the right side of
    1/2), or None (regression targets)."""
    binary = output == "sigmoid" and bool(np.all((T == 0) | (T == 1)))
    if output == "softmax" or (binary and T.shape[1] > 1 and np.all(T.sum(axis=1) == 1)):
        return "argmax"
    return "threshold" if binary else None


def _n_correct(A, T, rule):
    if rule == "argmax":
        return int(np.count_nonzero(A.real.argmax(axis=1) == T.argmax(axis=1)))
    return int(np.count_nonzero(np.all((A.real >= 0.5) == (T == 1), axis=1)))


class EarlyStopping:
    """Fit hook: stop after ``patience`` epochs without a lower ``val_loss``, then restore the best epoch.

    Records ``history["best_epoch"]`` (1-based). Pass it to :meth:`MLP.fit` as a hook, or
    use ``fit(..., patience=k)``.
    """

    def __init__(self, patience):
        self.patience = as_int(patience, "patience", minimum=1)

    def begin(self, net, epoch, history):
        if epoch == 0:
            if "val_loss" not in history:
                raise ValueError("patience (early stopping) needs a validation set: pass validation=(X_val, y_val)")
            self.best = (np.inf, None, None, 0)  # val_loss, params, alpha, epoch

    def end(self, net, epoch, history):
        if history["val_loss"][-1] < self.best[0]:
            self.best = (history["val_loss"][-1], {k: v.copy() for k, v in net.params.items()}, net.alpha, epoch + 1)
        return epoch + 1 - self.best[3] >= self.patience

    def finish(self, net, history):
        if self.best[1] is not None:
            net.params, net.alpha, history["best_epoch"] = self.best[1], self.best[2], self.best[3]


class AlphaSchedule:
    """Fit hook: set the smooth-ReLU sharpness to ``schedule(epoch)`` before each epoch.

    Records ``history["alpha"]``."""

    def __init__(self, schedule):
        if not callable(schedule):
            raise TypeError(f"alpha_schedule must be a function epoch -> alpha, got {_describe(schedule)}")
        self.schedule = schedule

    def begin(self, net, epoch, history):
        if net.hidden != "smooth_relu":
            raise ValueError(f"alpha_schedule needs hidden='smooth_relu', the network has hidden={net.hidden!r}")
        net.alpha = _check_alpha(self.schedule(epoch), f"alpha_schedule({epoch})")
        history.setdefault("alpha", []).append(net.alpha)

    def end(self, net, epoch, history):
        return False

    def finish(self, net, history):
        pass


class MLP:
    r"""A fully connected network :math:`n_0 \to n_1 \to \dots \to n_L` holding its parameters.

    ``sizes`` are the widths :math:`(n_0, \dots, n_L)`; ``hidden`` one of
    :data:`HIDDEN_ACTIVATIONS`; ``output`` one of :data:`OUTPUT_ACTIVATIONS`; ``loss``
    one of ``LOSSES[output]`` (``None``: the natural pairing, softmax with cross-entropy,
    sigmoid with binary cross-entropy, identity with the quadratic loss; ``"quadratic"``
    with a sigmoid output is Nielsen's first network); ``init`` see :func:`init_params`
    (from ``rng``, default ``np.random.default_rng(0)``); ``alpha`` the smooth-ReLU sharpness.
    :attr:`params` holds ``W{l}`` (n_l, n_{l-1}) and ``b{l}`` (n_l,).

    >>> import numpy as np
    >>> net = MLP([2, 3, 2], hidden="tanh", rng=np.random.default_rng(0))
    >>> net.forward(np.zeros((5, 2))).shape, net.n_params
    ((5, 2), 17)
    """

    def __init__(self, sizes, hidden="sigmoid", output="softmax", loss=None, rng=None, init="xavier", alpha=1.0):
        self.sizes = _check_sizes(sizes)
        self.hidden, self.output, self.loss, self.alpha = _check_architecture(hidden, output, loss, alpha)
        self.init = as_choice(init, "init", INITS)
        self.params = init_params(self.sizes, self.init, np.random.default_rng(0) if rng is None else as_rng(rng))

    @property
    def n_params(self) -> int:
        """Total number of weights and biases."""
        return count_parameters(self.sizes)

    def __repr__(self) -> str:
        return (f"MLP(sizes={self.sizes}, hidden={self.hidden!r}, output={self.output!r}, "
                f"loss={self.loss!r}, init={self.init!r})")

    def forward(self, X):
        r"""Outputs :math:`\mathbf{a}^L` (N, n_L) for a batch ``X`` (N, n_0)."""
        return mlp_forward(self.params, X, self.hidden, self.output, self.alpha)[0]

    def predict(self, X):
        """Labels (N,) for softmax (arg max) or one sigmoid unit (0/1); 0/1 labels (N, n_L) for several
        sigmoid units; the raw outputs (N, n_L) for an identity output."""
        A = self.forward(X)
        if self.output == "softmax":
            return np.argmax(A, axis=1)
        if self.output == "sigmoid":
            labels = (A >= 0.5).astype(np.int64)
            return labels[:, 0] if labels.shape[1] == 1 else labels
        return A

    def loss_and_grads(self, X, y, **dropout):
        r"""Mean loss on a batch and its gradient, :func:`mlp_loss_and_grads` with this network.

        >>> import numpy as np
        >>> net = MLP([2, 3, 2], rng=np.random.default_rng(0))
        >>> loss, grads = net.loss_and_grads(np.ones((4, 2)), np.array([0, 1, 1, 0]))
        >>> grads["W1"].shape, grads["b2"].shape
        ((3, 2), (2,))
        """
        return mlp_loss_and_grads(self.params, X, y, self.hidden, self.output, self.loss, self.alpha, **dropout)

    def _fit_args(self, X, y, optimizer, epochs, batch_size, rng, validation, weight_decay, dropout,
                  layers, patience, alpha_schedule, hooks):
        """Check the arguments of :meth:`fit` once; return them ready for the loop."""
        from . import optim
        params = as_network_params(self.params, allow_complex=False)
        shapes = [s for m, n in zip(self.sizes, self.sizes[1:]) for s in ((n, m), (n,))]
        if [v.shape for v in params.values()] != shapes:
            raise ValueError(f"params must fit sizes {self.sizes}, got shapes "
                             f"{ {k: v.shape for k, v in params.items()} }")
        X = as_network_inputs(X, self.sizes[0], allow_complex=False)
        data = [(X, _check_targets(y, X.shape[0], self.sizes[-1], self.output, self.loss))]
        if validation is not None:
            if not isinstance(validation, (tuple, list)) or len(validation) != 2:
                raise TypeError(f"validation must be a pair (X_val, y_val), got {_describe(validation)}")
            Xv = as_network_inputs(validation[0], self.sizes[0], "validation[0]", allow_complex=False)
            data.append((Xv, _check_targets(validation[1], Xv.shape[0], self.sizes[-1], self.output, self.loss,
                                            "validation[1]")))
        if not (callable(getattr(optimizer, "init", None)) and callable(getattr(optimizer, "step", None))):
            raise TypeError(f"optimizer must have init(params) and step(params, grads, state) methods "
                            f"(e.g. coursepkg.optim.sgd(0.1)), got {_describe(optimizer)}")
        if as_float(weight_decay, "weight_decay", minimum=0.0):
            optimizer = optim.weight_decay(optimizer, weight_decay)
        dropout, layers, rng = _check_dropout(dropout, layers, as_rng(rng), len(self.sizes) - 1)
        hooks = list(hooks) + ([AlphaSchedule(alpha_schedule)] if alpha_schedule is not None else []) + \
            ([EarlyStopping(patience)] if patience is not None else [])
        for hook in hooks:
            if not all(callable(getattr(hook, m, None)) for m in ("begin", "end", "finish")):
                raise TypeError(f"hooks must have begin, end and finish methods, got {_describe(hook)}")
        return (params, data, optimizer, as_int(epochs, "epochs", minimum=1),
                as_int(batch_size, "batch_size", minimum=1), rng, dropout, layers, hooks)

    @np.errstate(over="ignore", invalid="ignore")  # a diverging loss is reported once, as a ValueError
    def fit(self, X, y, optimizer, epochs, batch_size, rng, validation=None, *, weight_decay=0.0,
            dropout=0.0, layers=None, patience=None, alpha_schedule=None, hooks=()):
        r"""Train with minibatch gradient steps; updates :attr:`params` and returns the history.

        Each epoch draws a permutation of the N samples from ``rng`` and takes
        :math:`\lceil N/m \rceil` steps ``optimizer.step`` (any object with
        ``init(params)`` and ``step(params, grads, state)``, e.g. ``coursepkg.optim.sgd(0.1)``)
        on the gradient of the mean loss over a minibatch of ``batch_size`` m samples (the
        last holds the N mod m remaining ones).

        - ``validation=(X_val, y_val)``: scored after every epoch, without dropout.
        - ``weight_decay=lam``: the optimizer is wrapped by :func:`coursepkg.optim.weight_decay`
          (:math:`\lambda \mathbf{W}^l` added to every weight gradient, biases untouched; Nielsen's
          :math:`\lambda/n` is ``weight_decay = lambda / n``). Recorded losses are data losses.
        - ``dropout=p``: inverted dropout of the hidden layers in ``layers`` (1-based, default all)
          during training.
        - ``hooks``: objects with ``begin(net, epoch, history)``, ``end(net, epoch, history) -> stop``
          and ``finish(net, history)``; ``patience=k`` adds :class:`EarlyStopping`, ``alpha_schedule``
          (epoch -> alpha for ``hidden="smooth_relu"``) adds :class:`AlphaSchedule`.

        The history holds per-epoch lists ``"loss"`` and, for classification targets,
        ``"accuracy"``: running averages over the epoch of each minibatch's values at the
        parameters (and dropout mask) of its step, weighted by the minibatch size, as Keras
        reports them; ``"val_loss"``/``"val_accuracy"`` with ``validation``; ``"alpha"`` and
        ``"best_epoch"`` from the hooks. A non-finite loss stops training with a ValueError.

        >>> import numpy as np
        >>> from coursepkg import datasets, optim
        >>> X, y = datasets.xor()
        >>> net = MLP([2, 8, 2], hidden="tanh", rng=np.random.default_rng(0))
        >>> hist = net.fit(X, y, optim.sgd(0.5), epochs=300, batch_size=4, rng=np.random.default_rng(1))
        >>> hist["accuracy"][-1], net.predict(X).tolist()
        (1.0, [0, 1, 1, 0])
        """
        self.params, data, optimizer, epochs, batch_size, rng, dropout, layers, hooks = self._fit_args(
            X, y, optimizer, epochs, batch_size, rng, validation, weight_decay, dropout, layers, patience,
            alpha_schedule, hooks)
        (X, T), N, rules = data[0], data[0][0].shape[0], [_accuracy_rule(Td, self.output) for _, Td in data]
        history = {k: [] for prefix, rule in zip(("", "val_"), rules) for k in
                   [prefix + "loss"] + ([prefix + "accuracy"] if rule else [])}
        state = optimizer.init(self.params)
        for epoch in range(epochs):
            for hook in hooks:
                hook.begin(self, epoch, history)
            perm, loss_sum, correct = rng.permutation(N), 0.0, 0
            Xs, Ts = X[perm], T[perm]  # shuffled once per epoch; the minibatches are slices
            for start in range(0, N, batch_size):
                Xb, Tb = Xs[start:start + batch_size], Ts[start:start + batch_size]
                value, grads, A = _loss_and_grads(self.params, Xb, Tb, self.hidden, self.output,
                                                  self.loss, self.alpha, dropout, rng, layers)
                if not np.isfinite(value):
                    raise ValueError(f"the training loss became {value} in epoch {epoch + 1} with optimizer "
                                     f"{optimizer!r}: lower the learning rate (or alpha)")
                loss_sum += value * len(Xb)
                correct += _n_correct(A, Tb, rules[0]) if rules[0] else 0
                self.params, state = optimizer.step(self.params, grads, state)
            self._record(history, "", loss_sum / N, correct / N)
            if validation is not None:
                self._record(history, "val_", *self._score(*data[1], rules[1]))
            if any([hook.end(self, epoch, history) for hook in hooks]):
                break
        for hook in hooks:
            hook.finish(self, history)
        return history

    def _score(self, X, T, rule):
        """Mean loss and fraction correct on a checked set, without dropout."""
        A, value, _ = _COSTS[self.output, self.loss](_forward(self.params, X, self.hidden, None, self.alpha)[0], T)
        return float(value), (_n_correct(A, T, rule) / X.shape[0] if rule else None)

    @staticmethod
    def _record(history, prefix, loss, accuracy):
        history[prefix + "loss"].append(float(loss))
        if prefix + "accuracy" in history:
            history[prefix + "accuracy"].append(accuracy)
