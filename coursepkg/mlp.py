r"""Fully connected feed-forward networks (multilayer perceptrons).

Notation (see the book's notation page): layers :math:`l = 0, \dots, L` with
:math:`n_l` units; :math:`\mathbf{W}^l \in \mathbb{R}^{n_l \times n_{l-1}}`,
:math:`\mathbf{b}^l \in \mathbb{R}^{n_l}`,
:math:`\mathbf{z}^l = \mathbf{W}^l \mathbf{a}^{l-1} + \mathbf{b}^l`,
:math:`\mathbf{a}^l = g_l(\mathbf{z}^l)`, :math:`\mathbf{a}^0 = \mathbf{x}`.
Arrays are batch-first: a batch of N inputs is ``X`` of shape (N, n_0) and
layer l computes ``Z = A_prev @ W.T + b`` of shape (N, n_l).

The network is a set of pure functions (``linear_forward``,
``activation_forward``, ``mlp_forward``, ...) that return ``(out, cache)``;
:class:`MLP` holds the parameters and the choices of activations and calls them.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from . import activations as act
from ._validation import _describe, as_array, as_choice, as_int, as_rng

__all__ = ["MLP", "count_parameters", "linear_forward", "linear_backward",
           "activation_forward", "activation_backward", "mlp_forward",
           "init_params", "HIDDEN_ACTIVATIONS", "OUTPUT_ACTIVATIONS", "INITS"]

HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "softplus", "smooth_relu")
OUTPUT_ACTIVATIONS = ("softmax", "sigmoid", "identity")
INITS = ("xavier", "he", "normal")


def count_parameters(sizes: Sequence[int]) -> int:
    r"""Number of weights and biases of a fully connected network.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths :math:`(n_0, n_1, \dots, n_L)`, at least two.

    Returns
    -------
    int
        :math:`\sum_{l=1}^{L} n_l (n_{l-1} + 1)`: layer :math:`l` has an
        :math:`n_l \times n_{l-1}` weight matrix and :math:`n_l` biases.

    Examples
    --------
    >>> count_parameters([64, 100, 10])
    7510
    """
    sizes = _check_sizes(sizes)
    return sum(n * (m + 1) for m, n in zip(sizes[:-1], sizes[1:]))


def _check_sizes(sizes) -> list[int]:
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"sizes must be a sequence of layer widths such as [64, 100, 10], got {_describe(sizes)}")
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output width, got {list(sizes)}")
    return [as_int(n, f"sizes[{i}]", minimum=1) for i, n in enumerate(sizes)]


def linear_forward(A_prev, W, b):
    r"""Affine map of a batch: :math:`\mathbf{Z} = \mathbf{A}_{\text{prev}} \mathbf{W}^\top + \mathbf{b}`.

    Parameters
    ----------
    A_prev : array_like, shape (N, n_in)
        Activations of the previous layer, one row per sample.
    W : array_like, shape (n_out, n_in)
    b : array_like, shape (n_out,)

    Returns
    -------
    Z : numpy.ndarray, shape (N, n_out)
    cache : tuple
        ``(A_prev, W)``, what :func:`linear_backward` needs.

    Raises
    ------
    ValueError
        If the shapes do not fit together.
    """
    A_prev = as_array(A_prev, "A_prev", ndim=2)
    W = as_array(W, "W", ndim=2)
    b = as_array(b, "b", ndim=1)
    if A_prev.shape[1] != W.shape[1]:
        raise ValueError(f"A_prev has {A_prev.shape[1]} features per sample but W expects {W.shape[1]} "
                         f"(W has shape {W.shape}, A_prev {A_prev.shape})")
    if b.shape[0] != W.shape[0]:
        raise ValueError(f"b must have shape ({W.shape[0]},) to match W of shape {W.shape}, got {b.shape}")
    Z = A_prev @ W.T + b  # (N, n_out)
    return Z, (A_prev, W)


def linear_backward(dZ, cache):
    r"""Back-propagate through :func:`linear_forward`.

    Parameters
    ----------
    dZ : array_like, shape (N, n_out)
        :math:`\partial c / \partial \mathbf{Z}` for the batch loss :math:`c`.
    cache : tuple
        From :func:`linear_forward`.

    Returns
    -------
    dA_prev : numpy.ndarray, shape (N, n_in)
        :math:`\mathbf{dZ}\,\mathbf{W}`.
    dW : numpy.ndarray, shape (n_out, n_in)
        :math:`\mathbf{dZ}^\top \mathbf{A}_{\text{prev}}` (summed over the batch).
    db : numpy.ndarray, shape (n_out,)
        Column sums of :math:`\mathbf{dZ}`.
    """
    A_prev, W = cache
    dZ = as_array(dZ, "dZ", ndim=2)
    if dZ.shape != (A_prev.shape[0], W.shape[0]):
        raise ValueError(f"dZ must have shape {(A_prev.shape[0], W.shape[0])}, got {dZ.shape}")
    return dZ @ W, dZ.T @ A_prev, dZ.sum(axis=0)


def _activation_pair(name: str, alpha: float):
    if name == "softmax":
        raise ValueError("softmax is not elementwise; use activation_forward only for elementwise units")
    g, g_prime = act.HIDDEN[name]
    if name == "smooth_relu":
        return (lambda z: g(z, alpha)), (lambda z: g_prime(z, alpha))
    return g, g_prime


def activation_forward(Z, name: str, alpha: float = 1.0):
    r"""Apply an activation to a batch of pre-activations.

    Parameters
    ----------
    Z : array_like, shape (N, n)
    name : str
        ``"softmax"`` (row-wise) or an elementwise activation of
        :data:`coursepkg.activations.HIDDEN`.
    alpha : float, default 1.0
        Sharpness of ``"smooth_relu"`` (ignored otherwise).

    Returns
    -------
    A : numpy.ndarray, shape (N, n)
    cache : tuple
        ``(Z, A, name, alpha)``.
    """
    Z = as_array(Z, "Z", ndim=2)
    choices = tuple(act.HIDDEN) + ("softmax",)
    name = as_choice(name, "name", choices)
    if name == "softmax":
        A = act.softmax(Z, axis=-1)
    else:
        A = _activation_pair(name, alpha)[0](Z)
    return A, (Z, A, name, alpha)


def activation_backward(dA, cache):
    r"""Back-propagate through :func:`activation_forward`.

    For an elementwise activation :math:`\mathbf{dZ} = \mathbf{dA} \odot g'(\mathbf{Z})`;
    for the softmax, row by row,
    :math:`\mathbf{dz} = (\operatorname{diag}(\mathbf{a}) - \mathbf{a}\mathbf{a}^\top)\mathbf{da}
    = \mathbf{a} \odot (\mathbf{da} - \mathbf{a}^\top \mathbf{da})`.

    Parameters
    ----------
    dA : array_like, shape (N, n)
    cache : tuple
        From :func:`activation_forward`.

    Returns
    -------
    numpy.ndarray, shape (N, n)
    """
    Z, A, name, alpha = cache
    dA = as_array(dA, "dA", ndim=2)
    if dA.shape != Z.shape:
        raise ValueError(f"dA must have shape {Z.shape}, got {dA.shape}")
    if name == "softmax":
        return A * (dA - np.sum(dA * A, axis=1, keepdims=True))
    return dA * _activation_pair(name, alpha)[1](Z)


def init_params(sizes: Sequence[int], init: str, rng: np.random.Generator) -> dict:
    r"""Random initial parameters ``{"W1": ..., "b1": ..., ..., "WL": ..., "bL": ...}``.

    Parameters
    ----------
    sizes : sequence of int
        :math:`(n_0, \dots, n_L)`.
    init : {"xavier", "he", "normal"}
        ``"xavier"``: :math:`W_{ij} \sim \mathcal{N}(0, 2/(n_{l-1} + n_l))`, zero biases
        (Glorot & Bengio). ``"he"``: :math:`\mathcal{N}(0, 2/n_{l-1})`, zero biases.
        ``"normal"``: weights and biases :math:`\mathcal{N}(0, 1)` (Nielsen's first network).
    rng : numpy.random.Generator

    Returns
    -------
    dict of numpy.ndarray
        ``W{l}`` of shape (n_l, n_{l-1}) and ``b{l}`` of shape (n_l,).
    """
    sizes = _check_sizes(sizes)
    init = as_choice(init, "init", INITS)
    rng = as_rng(rng)
    params = {}
    for l, (m, n) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        if init == "normal":
            params[f"W{l}"] = rng.standard_normal((n, m))
            params[f"b{l}"] = rng.standard_normal(n)
            continue
        std = np.sqrt(2.0 / (m + n)) if init == "xavier" else np.sqrt(2.0 / m)
        params[f"W{l}"] = std * rng.standard_normal((n, m))
        params[f"b{l}"] = np.zeros(n)
    return params


def _check_params(params, sizes=None) -> int:
    """Check a params dict of a fully connected network; return its depth L."""
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict of arrays with keys 'W1', 'b1', ..., got {_describe(params)}")
    L = sum(1 for k in params if isinstance(k, str) and k.startswith("W"))
    expected = {f"{p}{l}" for l in range(1, L + 1) for p in "Wb"}
    if L == 0 or set(params) != expected:
        raise ValueError(f"params must have keys W1, b1, ..., WL, bL, got {sorted(map(str, params))}")
    for l in range(1, L + 1):
        W, b = np.shape(params[f"W{l}"]), np.shape(params[f"b{l}"])
        if len(W) != 2 or b != (W[0],):
            raise ValueError(f"params['W{l}'] must be 2-D (n_{l}, n_{l - 1}) and params['b{l}'] of shape (n_{l},), "
                             f"got {W} and {b}")
        if l > 1 and W[1] != np.shape(params[f"W{l - 1}"])[0]:
            raise ValueError(f"params['W{l}'] has {W[1]} columns but layer {l - 1} has "
                             f"{np.shape(params[f'W{l - 1}'])[0]} units")
    return L


def mlp_forward(params: Mapping, X, hidden: str = "sigmoid", output: str = "softmax", alpha: float = 1.0):
    r"""Forward pass of a fully connected network on a batch.

    Parameters
    ----------
    params : dict of array_like
        ``W1, b1, ..., WL, bL`` with ``W{l}`` of shape (n_l, n_{l-1}).
    X : array_like, shape (N, n_0)
    hidden : str, default "sigmoid"
        Activation of layers 1..L-1.
    output : {"softmax", "sigmoid", "identity"}
        Activation of layer L.
    alpha : float, default 1.0
        Sharpness of ``"smooth_relu"``.

    Returns
    -------
    A_L : numpy.ndarray, shape (N, n_L)
        The network's outputs :math:`\mathbf{a}^L`.
    caches : list of tuple
        One ``(linear_cache, activation_cache)`` per layer, for back-propagation.

    Notes
    -----
    For :math:`l = 1, \dots, L`:
    :math:`\mathbf{Z}^l = \mathbf{A}^{l-1} (\mathbf{W}^l)^\top + \mathbf{1}(\mathbf{b}^l)^\top`,
    :math:`\mathbf{A}^l = g_l(\mathbf{Z}^l)` with :math:`\mathbf{A}^0 = \mathbf{X}`. Row
    :math:`i` of the result is exactly the single-example recursion
    :math:`\mathbf{a}^l = g_l(\mathbf{W}^l \mathbf{a}^{l-1} + \mathbf{b}^l)` applied to :math:`\mathbf{x}_i`.
    """
    L = _check_params(params)
    X = as_array(X, "X", ndim=2)
    n0 = np.shape(params["W1"])[1]
    if X.shape[1] != n0:
        raise ValueError(f"X must have {n0} features per sample (the network's input width), got shape {X.shape}")
    hidden = as_choice(hidden, "hidden", tuple(act.HIDDEN))
    output = as_choice(output, "output", OUTPUT_ACTIVATIONS)
    A, caches = X, []
    for l in range(1, L + 1):
        Z, lin = linear_forward(A, params[f"W{l}"], params[f"b{l}"])  # (N, n_l)
        A, acts = activation_forward(Z, hidden if l < L else output, alpha)  # (N, n_l)
        caches.append((lin, acts))
    return A, caches


class MLP:
    r"""A fully connected network :math:`n_0 \to n_1 \to \dots \to n_L`.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths :math:`(n_0, \dots, n_L)`, e.g. ``[64, 100, 10]``.
    hidden : {"sigmoid", "tanh", "relu", "softplus", "smooth_relu"}, default "sigmoid"
        Activation of the hidden layers.
    output : {"softmax", "sigmoid", "identity"}, default "softmax"
        Activation of the output layer.
    loss : {None, "cross_entropy", "binary_cross_entropy", "quadratic"}, default None
        ``None`` picks the natural pairing: softmax with cross-entropy on
        integer labels, sigmoid with binary cross-entropy, identity with the
        quadratic loss. ``"quadratic"`` with a sigmoid output is Nielsen's first network.
    rng : numpy.random.Generator, optional
        Source of the initial weights; ``np.random.default_rng(0)`` if omitted.
    init : {"xavier", "he", "normal"}, default "xavier"
        See :func:`init_params`.
    alpha : float, default 1.0
        Sharpness of the ``"smooth_relu"`` hidden units.

    Attributes
    ----------
    params : dict of numpy.ndarray
        ``"W1", "b1", ..., "WL", "bL"``; ``W{l}`` has shape (n_l, n_{l-1}) and ``b{l}`` shape (n_l,).
    sizes : list of int
    n_params : int
        :func:`count_parameters` of ``sizes``.

    Examples
    --------
    >>> import numpy as np
    >>> net = MLP([2, 3, 2], hidden="tanh", rng=np.random.default_rng(0))
    >>> net.forward(np.zeros((5, 2))).shape
    (5, 2)
    >>> net.n_params
    17
    """

    _LOSSES = {"softmax": "cross_entropy", "sigmoid": "binary_cross_entropy", "identity": "quadratic"}

    def __init__(self, sizes, hidden="sigmoid", output="softmax", loss=None, rng=None, init="xavier", alpha=1.0):
        self.sizes = _check_sizes(sizes)
        self.hidden = as_choice(hidden, "hidden", HIDDEN_ACTIVATIONS)
        self.output = as_choice(output, "output", OUTPUT_ACTIVATIONS)
        allowed = {"softmax": ("cross_entropy",), "sigmoid": ("binary_cross_entropy", "quadratic"),
                   "identity": ("quadratic",)}[self.output]
        self.loss = self._LOSSES[self.output] if loss is None else as_choice(loss, "loss", allowed)
        self.alpha = float(act._alpha(alpha, positive=True))
        self.init = as_choice(init, "init", INITS)
        rng = np.random.default_rng(0) if rng is None else as_rng(rng)
        self.params = init_params(self.sizes, self.init, rng)

    @property
    def n_params(self) -> int:
        """Total number of weights and biases."""
        return count_parameters(self.sizes)

    def __repr__(self) -> str:
        return (f"MLP(sizes={self.sizes}, hidden={self.hidden!r}, output={self.output!r}, "
                f"loss={self.loss!r}, init={self.init!r})")

    def forward(self, X):
        r"""Outputs :math:`\mathbf{a}^L` for a batch ``X`` of shape (N, n_0); returns shape (N, n_L)."""
        return mlp_forward(self.params, X, self.hidden, self.output, self.alpha)[0]

    def predict(self, X):
        """Predictions for a batch of shape (N, n_0).

        Returns
        -------
        numpy.ndarray
            Class labels of shape (N,) for a softmax output (the arg max), 0/1
            labels of shape (N,) for a single sigmoid unit (several sigmoid
            units: shape (N, n_L)), and the raw outputs (N, n_L) for an identity output.
        """
        A = self.forward(X)
        if self.output == "softmax":
            return np.argmax(A, axis=1)
        if self.output == "sigmoid":
            labels = (A >= 0.5).astype(np.int64)
            return labels[:, 0] if labels.shape[1] == 1 else labels
        return A
