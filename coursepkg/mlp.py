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
:func:`mlp_loss_and_grads` (and :meth:`MLP.loss_and_grads`) back-propagates a
whole batch at once; :meth:`MLP.fit` trains with any :mod:`coursepkg.optim`
optimizer, validating its arguments once and then running unchecked internals.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from . import activations as act
from . import losses as _losses
from . import regularization as _reg
from ._validation import _describe, affine_shapes, as_array, as_choice, as_float, as_int, as_labels, as_rng

__all__ = ["MLP", "count_parameters", "linear_forward", "linear_backward",
           "activation_forward", "activation_backward", "mlp_forward", "mlp_loss_and_grads",
           "init_params", "HIDDEN_ACTIVATIONS", "OUTPUT_ACTIVATIONS", "INITS", "LOSSES"]

HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "softplus", "smooth_relu")
OUTPUT_ACTIVATIONS = ("softmax", "sigmoid", "identity")
INITS = ("xavier", "he", "normal")
#: the losses allowed with each output activation; the first one is the natural pairing
LOSSES = {"softmax": ("cross_entropy",), "sigmoid": ("binary_cross_entropy", "quadratic"),
          "identity": ("quadratic",)}


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

    Raises
    ------
    TypeError
        If ``sizes`` is not a sequence of integers.
    ValueError
        If it has fewer than two entries or a width is below 1.

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
        If the shapes do not fit together, or an entry is not finite.
    TypeError
        If an argument is not a numeric array.

    Examples
    --------
    >>> import numpy as np
    >>> Z, cache = linear_forward(np.array([[1.0, 2.0]]), np.array([[1.0, 0.0], [0.0, -1.0], [1.0, 1.0]]), np.zeros(3))
    >>> Z.tolist()
    [[1.0, -2.0, 3.0]]
    """
    A_prev = as_array(A_prev, "A_prev", ndim=2)
    W = as_array(W, "W", ndim=2)
    b = as_array(b, "b", ndim=1)
    affine_shapes(A_prev, "A_prev", W, b)
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

    Raises
    ------
    ValueError
        If ``dZ`` is not 2-D of shape (N, n_out) or not finite.
    TypeError
        If ``cache`` is not the tuple returned by :func:`linear_forward`.

    Examples
    --------
    >>> import numpy as np
    >>> Z, cache = linear_forward(np.ones((4, 2)), np.ones((3, 2)), np.zeros(3))
    >>> dA_prev, dW, db = linear_backward(np.ones((4, 3)), cache)
    >>> dA_prev.shape, dW.tolist()[0], db.tolist()
    ((4, 2), [4.0, 4.0], [4.0, 4.0, 4.0])
    """
    if not (isinstance(cache, tuple) and len(cache) == 2 and all(isinstance(c, np.ndarray) for c in cache)):
        raise TypeError(f"cache must be the (A_prev, W) tuple returned by linear_forward, got {_describe(cache)}")
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

    Raises
    ------
    ValueError
        If ``Z`` is not 2-D or not finite, ``name`` is unknown, or ``alpha`` is not
        positive (``"smooth_relu"``).
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
        :math:`\partial c / \partial \mathbf{Z}`.

    Raises
    ------
    ValueError
        If ``dA`` does not have the shape of ``Z`` or is not finite.
    TypeError
        If ``cache`` is not the tuple returned by :func:`activation_forward`.
    """
    if not (isinstance(cache, tuple) and len(cache) == 4 and isinstance(cache[0], np.ndarray)
            and isinstance(cache[1], np.ndarray) and isinstance(cache[2], str)):
        raise TypeError(f"cache must be the (Z, A, name, alpha) tuple returned by activation_forward, "
                        f"got {_describe(cache)}")
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

    Raises
    ------
    TypeError
        If ``sizes`` is not a sequence of integers or ``rng`` is not a Generator.
    ValueError
        If ``sizes`` has fewer than two entries, a width is below 1, or ``init`` is unknown.
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


def _network_inputs(X, n0: int, name: str = "X", allow_complex: bool = True) -> np.ndarray:
    """Check a batch of network inputs: a finite 2-D array with ``n0`` features per sample."""
    X = as_array(X, name, ndim=2, allow_complex=allow_complex)
    if X.shape[1] != n0:
        raise ValueError(f"{name} must have {n0} features per sample (the network's input width), got shape {X.shape}")
    return X


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

    Raises
    ------
    ValueError
        If ``params`` lacks a key or the shapes do not chain, ``X`` does not have
        n_0 columns, an entry is not finite, or ``hidden``/``output`` is unknown.
    TypeError
        If ``params`` is not a dict or an array is not numeric.

    Notes
    -----
    For :math:`l = 1, \dots, L`:
    :math:`\mathbf{Z}^l = \mathbf{A}^{l-1} (\mathbf{W}^l)^\top + \mathbf{1}(\mathbf{b}^l)^\top`,
    :math:`\mathbf{A}^l = g_l(\mathbf{Z}^l)` with :math:`\mathbf{A}^0 = \mathbf{X}`. Row
    :math:`i` of the result is exactly the single-example recursion
    :math:`\mathbf{a}^l = g_l(\mathbf{W}^l \mathbf{a}^{l-1} + \mathbf{b}^l)` applied to :math:`\mathbf{x}_i`.
    """
    L = _check_params(params)
    X = _network_inputs(X, np.shape(params["W1"])[1])
    hidden = as_choice(hidden, "hidden", tuple(act.HIDDEN))
    output = as_choice(output, "output", OUTPUT_ACTIVATIONS)
    P = {k: as_array(v, f"params[{k!r}]") for k, v in params.items()}  # errors name the parameter
    A, caches = X, []
    for l in range(1, L + 1):
        Z, lin = linear_forward(A, P[f"W{l}"], P[f"b{l}"])  # (N, n_l)
        A, acts = activation_forward(Z, hidden if l < L else output, alpha)  # (N, n_l)
        caches.append((lin, acts))
    return A, caches


# ---------------------------------------------------------------------------
# Back-propagation. The private functions below do no validation: the public
# entry points (mlp_loss_and_grads, MLP.loss_and_grads, MLP.fit) check their
# arguments once and then call them, so that the training loop stays lean.
# ---------------------------------------------------------------------------

_KEYS = [(f"W{l}", f"b{l}") for l in range(64)]  # _KEYS[l] == ("W{l}", "b{l}"), no formatting in the loop


def _sigmoid(Z):
    """Logistic sigmoid 1/(1 + exp(-z)) without validation, for the training loop.

    For real input the exponent is capped at 700, so nothing overflows: for
    z < -700 the result is below 1e-304 instead of the true value (which is
    below 1e-304 too). Complex input goes through :func:`coursepkg.activations.sigmoid`.
    """
    if Z.dtype.kind == "c":
        return act.sigmoid(Z)
    A = np.negative(Z)
    np.minimum(A, 700.0, out=A)
    np.exp(A, out=A)
    A += 1.0
    return np.reciprocal(A, out=A)


def _hidden_forward(Z, name, alpha):
    """Elementwise hidden activation g(Z), unchecked."""
    if name == "sigmoid":
        return _sigmoid(Z)
    if name == "tanh":
        return np.tanh(Z)
    if name == "relu":
        return np.maximum(Z, 0.0) if Z.dtype.kind != "c" else act.relu(Z)
    if name == "softplus":
        return np.logaddexp(0.0, Z) if Z.dtype.kind != "c" else act.softplus(Z)
    # smooth_relu: log(1 + exp(alpha z)) / alpha
    if Z.dtype.kind == "c":
        return act.smooth_relu(Z, alpha)
    return np.logaddexp(0.0, alpha * Z) / alpha


def _hidden_prime(Z, A, name, alpha):
    """g'(Z) from the pre-activation Z and the activation A = g(Z), unchecked."""
    if name == "sigmoid":
        return A * (1.0 - A)
    if name == "tanh":
        return 1.0 - A * A
    if name == "relu":
        return (Z.real > 0).astype(np.float64)
    if name == "softplus":
        return _sigmoid(Z)
    return _sigmoid(alpha * Z)  # smooth_relu


def _forward(params, X, L, hidden, output, alpha, dropout=0.0, rng=None):
    """Unchecked forward pass; returns the lists Zs = [None, Z^1, ..., Z^L] and
    As = [X, A^1, ..., A^L] (A^L is the output activation, or Z^L for identity)
    and per hidden layer ``(mask, activation before dropout)`` (``None`` when ``dropout == 0``);
    for a softmax output, ``masks[L]`` is ``(shifted logits, row sums of their exponentials)``."""
    Zs, As, masks = [None], [X], [None]
    A = X
    for l in range(1, L + 1):
        kW, kb = _KEYS[l] if l < 64 else (f"W{l}", f"b{l}")
        Z = A @ params[kW].T  # (N, n_l)
        Z += params[kb]
        if l < L:
            A = _hidden_forward(Z, hidden, alpha)  # (N, n_l)
            if dropout > 0.0:
                A_kept, keep = _reg.dropout(A, dropout, rng)  # keep: (N, n_l), entries 0 or 1/(1-p)
                masks.append((keep, A))  # the mask and the activation before dropping
                A = A_kept
            else:
                masks.append(None)
        elif output == "softmax":
            S = Z - Z.real.max(axis=1, keepdims=True)  # shifted logits, largest entry 0
            A = np.exp(S)
            s = A.sum(axis=1, keepdims=True)  # (N, 1), between 1 and n_L
            A /= s
            masks.append((S, s))  # kept for the loss value: log a_ij = S_ij - log s_i
        elif output == "sigmoid":
            A = _sigmoid(Z)
        else:
            A = Z
        Zs.append(Z)
        As.append(A)
    return Zs, As, masks


def _output_delta(Zs, As, T, output, loss, scale=1.0):
    r"""``scale`` times dc/dZ^L of the mean loss, unchecked. ``T`` is one-hot (softmax) or the targets (N, n_L)."""
    N = T.shape[0]
    A = As[-1]
    if output == "identity" or loss != "quadratic":
        # softmax + cross-entropy, sigmoid + binary cross-entropy, identity + quadratic: (a - y)/N
        return (A - T) * (scale / N)
    return (A - T) * (A * (1.0 - A)) * (scale / N)  # sigmoid + quadratic: (a - y) sigma'(z) / N


def _loss_value(Zs, As, T, output, loss, masks=None):
    """Mean loss over the batch, unchecked, from the stored forward pass."""
    Z = Zs[-1]
    N = T.shape[0]
    if output == "softmax":
        if masks is not None:
            shifted, s = masks[-1]
        else:
            shifted = Z - Z.real.max(axis=1, keepdims=True)
            s = np.exp(shifted).sum(axis=1)
        # -log a_{i,y_i} = log s_i - S_{i,y_i}, finite however wrong the prediction
        return (np.sum(np.log(s)) - np.sum(T * shifted)) / N
    if loss == "binary_cross_entropy":
        softplus = np.logaddexp(0.0, Z) if Z.dtype.kind != "c" else act.softplus(Z)
        return np.sum(softplus - T * Z) / N
    return 0.5 * np.sum((As[-1] - T) ** 2) / N


def _backward(params, Zs, As, masks, dZ, L, hidden, alpha):
    """Unchecked batched back-propagation from dZ = dc/dZ^L; returns the grads dict.

    With dropout, ``masks[l]`` is ``(mask, activation before dropout)`` and the
    gradient passes back through the kept units only (coursepkg.regularization.dropout_backward)."""
    grads = {}
    for l in range(L, 0, -1):
        kW, kb = _KEYS[l] if l < 64 else (f"W{l}", f"b{l}")
        W = params[kW]
        grads[kW] = dZ.T @ As[l - 1]  # (n_l, n_{l-1}): sum over the batch of delta a^T
        grads[kb] = dZ.sum(axis=0)  # (n_l,)
        if l > 1:
            dA = dZ @ W  # (N, n_{l-1})
            A_prev = As[l - 1]
            if masks[l - 1] is not None:  # dropout: only the kept units pass the gradient back
                keep, A_prev = masks[l - 1]
                dA = _reg.dropout_backward(dA, keep)
            dZ = dA * _hidden_prime(Zs[l - 1], A_prev, hidden, alpha)  # (N, n_{l-1})
    return {k: grads[k] for k in params}  # the key order of params


def _check_targets(y, n_samples, n_out, output, loss, name="y"):
    """Validate targets once; return (targets as given, normalized T for the loss).

    Softmax: integer labels (N,) in [0, n_L), T is their one-hot matrix (N, n_L).
    Sigmoid / identity: targets (N, n_L), or (N,) when n_L == 1; T is (N, n_L).
    """
    if output == "softmax":
        labels = as_labels(y, name, n_classes=n_out, n_samples=n_samples)
        T = np.zeros((n_samples, n_out))
        T[np.arange(n_samples), labels] = 1.0
        return labels, T
    T = as_array(y, name, ndim=(1, 2), allow_complex=False)
    if T.ndim == 1:
        if n_out != 1:
            raise ValueError(f"{name} must have shape ({n_samples}, {n_out}) for a network with {n_out} "
                             f"{output} outputs, got shape {T.shape}")
        T = T[:, None]
    if T.shape != (n_samples, n_out):
        raise ValueError(f"{name} must have shape ({n_samples}, {n_out}) (one row of {n_out} targets per "
                         f"sample), got shape {np.shape(y)}")
    if loss == "binary_cross_entropy" and (np.any(T < 0) or np.any(T > 1)):
        raise ValueError(f"{name} must hold targets in [0, 1] for the binary cross-entropy, "
                         f"got values from {T.min():.6g} to {T.max():.6g}")
    return T, T


def _check_loss(output, loss):
    output = as_choice(output, "output", OUTPUT_ACTIVATIONS)
    if loss is None:
        return output, LOSSES[output][0]
    return output, as_choice(loss, "loss", LOSSES[output])


def mlp_loss_and_grads(params: Mapping, X, y, hidden: str = "sigmoid", output: str = "softmax",
                       loss: str | None = None, alpha: float = 1.0):
    r"""Mean loss of a fully connected network on a batch and its gradient (back-propagation).

    Parameters
    ----------
    params : dict of array_like
        ``W1, b1, ..., WL, bL`` with ``W{l}`` of shape (n_l, n_{l-1}) and ``b{l}`` of shape (n_l,).
    X : array_like, shape (N, n_0)
    y : array_like
        Targets. Softmax output: integer labels of shape (N,) in [0, n_L).
        Sigmoid or identity output: an array of shape (N, n_L) (or (N,) when n_L = 1);
        values in [0, 1] for the binary cross-entropy.
    hidden : {"sigmoid", "tanh", "relu", "softplus", "smooth_relu"}, default "sigmoid"
    output : {"softmax", "sigmoid", "identity"}, default "softmax"
    loss : {None, "cross_entropy", "binary_cross_entropy", "quadratic"}, default None
        ``None`` is the natural pairing (see :class:`MLP`); a sigmoid output also
        allows ``"quadratic"``.
    alpha : float, default 1.0
        Sharpness of ``"smooth_relu"``.

    Returns
    -------
    loss : float
        :math:`c = \frac1N \sum_i \ell(\mathbf{a}^L_i, \mathbf{y}_i)` (complex if the
        parameters or inputs are, so that the complex step passes through).
    grads : dict of numpy.ndarray
        :math:`\partial c/\partial \mathbf{W}^l` and :math:`\partial c/\partial \mathbf{b}^l`,
        with the keys and shapes of ``params``.

    Raises
    ------
    ValueError
        If ``X`` does not have n_0 columns, or ``y`` has the wrong shape or values
        (labels outside [0, n_L), non-integer labels, targets outside [0, 1]).
    TypeError
        If an argument is of the wrong kind.

    Notes
    -----
    With the rows of :math:`\mathbf{Z}^l, \mathbf{A}^l` the samples of the batch,
    the error of the output layer is :math:`\boldsymbol{\Delta}^L = \partial c/\partial \mathbf{Z}^L`:
    :math:`(\mathbf{A}^L - \mathbf{Y})/N` for softmax with cross-entropy (one-hot
    :math:`\mathbf{Y}`), sigmoid with binary cross-entropy and identity with the
    quadratic loss, and :math:`(\mathbf{A}^L - \mathbf{Y}) \odot \sigma'(\mathbf{Z}^L)/N`
    for a sigmoid with the quadratic loss. Then, for :math:`l = L, \dots, 1`,

    .. math::

        \frac{\partial c}{\partial \mathbf{W}^l} = (\boldsymbol{\Delta}^l)^\top \mathbf{A}^{l-1},\quad
        \frac{\partial c}{\partial \mathbf{b}^l} = (\boldsymbol{\Delta}^l)^\top \mathbf{1},\quad
        \boldsymbol{\Delta}^{l-1} = (\boldsymbol{\Delta}^l \mathbf{W}^l) \odot g'(\mathbf{Z}^{l-1}),

    the batched form of :math:`\boldsymbol{\delta}^{l-1} = g'(\mathbf{z}^{l-1}) \odot
    (\mathbf{W}^l)^\top \boldsymbol{\delta}^l` and :math:`\partial c/\partial \mathbf{W}^l
    = \boldsymbol{\delta}^l (\mathbf{a}^{l-1})^\top` summed over the samples. The loss
    value is computed by :mod:`coursepkg.losses` (from the logits where a fused form exists).

    Examples
    --------
    >>> import numpy as np
    >>> params = {k: np.zeros_like(v) for k, v in init_params([2, 3, 2], "xavier", np.random.default_rng(0)).items()}
    >>> loss, grads = mlp_loss_and_grads(params, np.ones((4, 2)), np.array([0, 1, 1, 0]))
    >>> bool(np.isclose(loss, np.log(2.0))), sorted(grads)  # all-zero weights: both classes 1/2
    (True, ['W1', 'W2', 'b1', 'b2'])
    """
    L = _check_params(params)
    n0, nL = np.shape(params["W1"])[1], np.shape(params[f"W{L}"])[0]
    X = _network_inputs(X, n0)
    hidden = as_choice(hidden, "hidden", HIDDEN_ACTIVATIONS)
    output, loss = _check_loss(output, loss)
    alpha = float(act._alpha(alpha, positive=True))
    target, T = _check_targets(y, X.shape[0], nL, output, loss)
    P = {k: as_array(v, f"params[{k!r}]") for k, v in params.items()}
    Zs, As, masks = _forward(P, X, L, hidden, output, alpha)
    ZL = Zs[-1]
    # loss value and output error from coursepkg.losses (validated, fused on the logits)
    if output == "softmax":
        value = _losses.softmax_cross_entropy(ZL, target)
        dZ = _losses.softmax_cross_entropy_grad(ZL, target)
    elif loss == "binary_cross_entropy":
        value = _losses.binary_cross_entropy_with_logits(ZL, T)
        dZ = _losses.binary_cross_entropy_with_logits_grad(ZL, T)
    else:
        value = _losses.quadratic(As[-1], T)
        dA = _losses.quadratic_grad(As[-1], T)
        dZ = dA if output == "identity" else activation_backward(dA, (ZL, As[-1], "sigmoid", alpha))
    grads = _backward(P, Zs, As, masks, dZ, L, hidden, alpha)
    value = complex(value) if np.iscomplexobj(value) else float(value)
    return value, grads


def _n_correct(A, target, output):
    """Number of correct predictions in a batch (classification outputs only), unchecked."""
    if output == "softmax":
        return int(np.count_nonzero(A.argmax(axis=1) == target))
    return _accuracy(A, target, output) * A.shape[0]


def _accuracy(A, target, output):
    """Fraction of correct predictions, or None for a regression output."""
    if output == "softmax":
        return float(np.mean(A.real.argmax(axis=1) == target))
    if output == "sigmoid":
        if not np.all((target == 0) | (target == 1)):
            return None
        if A.shape[1] > 1 and np.all(target.sum(axis=1) == 1):  # one-hot targets: arg max (Nielsen)
            return float(np.mean(A.argmax(axis=1) == target.argmax(axis=1)))
        return float(np.mean(np.all((A >= 0.5) == (target == 1), axis=1)))
    return None


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
        allowed = LOSSES[self.output]
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

    def loss_and_grads(self, X, y):
        r"""Mean loss on a batch and its gradient with respect to every parameter.

        Parameters
        ----------
        X : array_like, shape (N, n_0)
        y : array_like
            Integer labels (N,) in [0, n_L) for a softmax output; targets (N, n_L)
            (or (N,) when n_L = 1) for a sigmoid or identity output.

        Returns
        -------
        loss : float
            The mean loss over the N samples.
        grads : dict of numpy.ndarray
            Same keys and shapes as :attr:`params`.

        Notes
        -----
        Batched back-propagation, see :func:`mlp_loss_and_grads`.

        Examples
        --------
        >>> import numpy as np
        >>> net = MLP([2, 3, 2], rng=np.random.default_rng(0))
        >>> loss, grads = net.loss_and_grads(np.ones((4, 2)), np.array([0, 1, 1, 0]))
        >>> grads["W1"].shape, grads["b2"].shape
        ((3, 2), (2,))
        """
        return mlp_loss_and_grads(self.params, X, y, self.hidden, self.output, self.loss, self.alpha)

    def fit(self, X, y, optimizer, epochs, batch_size, rng, validation=None, *, alpha_schedule=None,
            weight_decay=0.0, dropout=0.0, patience=None):
        r"""Train with minibatch gradient steps; updates :attr:`params` and returns the history.

        Parameters
        ----------
        X : array_like, shape (N, n_0)
            Training inputs.
        y : array_like
            Training targets, as for :meth:`loss_and_grads`.
        optimizer : Optimizer
            Anything with ``init(params) -> state`` and
            ``step(params, grads, state) -> (params, state)``, e.g. ``coursepkg.optim.sgd(0.1)``.
        epochs : int
            Number of passes over the training set (>= 1).
        batch_size : int
            Minibatch size m (>= 1); the last minibatch of an epoch holds the
            remaining N mod m samples when m does not divide N.
        rng : numpy.random.Generator
            Source of the shuffle at the start of each epoch (and of the dropout masks).
        validation : tuple (X_val, y_val), optional
            Evaluated at the end of every epoch.
        alpha_schedule : callable, optional
            ``alpha_schedule(epoch) -> alpha`` for epoch = 0, 1, ..., epochs - 1: the
            sharpness of the ``"smooth_relu"`` hidden units during that epoch (only for
            ``hidden="smooth_relu"``); e.g. ``lambda e: 2.0 ** e`` doubles it each epoch.
            After training, :attr:`alpha` is the value of the last epoch trained (of the
            restored epoch under early stopping).
        weight_decay : float, default 0.0
            :math:`\lambda \ge 0`: each step minimizes the minibatch mean loss plus
            :math:`\frac{\lambda}{2}\sum_l \|\mathbf{W}^l\|_F^2` (weights only, not biases),
            i.e. :math:`\lambda \mathbf{W}^l` is added to the gradient of every weight matrix.
            Nielsen's :math:`\lambda/n` (penalty :math:`\frac{\lambda}{2n}\sum w^2` with n the
            training-set size) corresponds to ``weight_decay = lambda / n``. The
            recorded losses are the data losses, without the penalty.
        dropout : float, default 0.0
            Probability p in [0, 1) of dropping each hidden unit during training
            (inverted dropout: kept units are scaled by 1/(1 - p); nothing is
            dropped for the validation metrics, nor by :meth:`forward`/:meth:`predict`).
        patience : int, optional
            Early stopping (needs ``validation``): stop after ``patience`` epochs
            without a lower validation loss, and restore the parameters of the
            epoch with the lowest one.

        Returns
        -------
        dict
            Per-epoch lists: ``"loss"`` and ``"accuracy"`` (classification outputs
            only) on the training set, ``"val_loss"``/``"val_accuracy"`` with
            ``validation``, ``"alpha"`` with ``alpha_schedule``; with ``patience`` also
            ``"best_epoch"`` (an int, 1-based). The training values are running
            averages over the epoch: each minibatch's loss (and correct predictions)
            at the parameters, and with the dropout mask, used for its gradient step,
            averaged over the N samples, as Keras reports them; they cost nothing
            extra because the forward pass is already there. The validation values
            are computed after the epoch's last step, without dropout; to record the
            same end-of-epoch values for the training set, pass it as ``validation``.

        Raises
        ------
        ValueError, TypeError
            For invalid arguments (checked once, before the first step).

        Notes
        -----
        Each epoch draws a permutation of the N training samples from ``rng`` and
        takes :math:`\lceil N/m \rceil` steps, each with the gradient of the mean
        loss over one minibatch (back-propagation as in :func:`mlp_loss_and_grads`).
        The arguments are validated once; the loop itself calls unchecked
        internal functions.

        Examples
        --------
        >>> import numpy as np
        >>> from coursepkg import datasets, optim
        >>> X, y = datasets.xor()
        >>> net = MLP([2, 8, 2], hidden="tanh", rng=np.random.default_rng(0))
        >>> hist = net.fit(X, y, optim.sgd(0.5), epochs=300, batch_size=4, rng=np.random.default_rng(1))
        >>> hist["accuracy"][-1], net.predict(X).tolist()
        (1.0, [0, 1, 1, 0])
        """
        from .optim import Optimizer

        L = len(self.sizes) - 1
        n0, nL = self.sizes[0], self.sizes[-1]
        hidden, output, loss = self.hidden, self.output, self.loss

        def inputs(Xa, name):
            return _network_inputs(Xa, n0, name, allow_complex=False)

        X = inputs(X, "X")
        N = X.shape[0]
        target, T = _check_targets(y, N, nL, output, loss)
        if validation is not None:
            if not isinstance(validation, (tuple, list)) or len(validation) != 2:
                raise TypeError(f"validation must be a pair (X_val, y_val), got {_describe(validation)}")
            Xv = inputs(validation[0], "validation[0]")
            target_v, Tv = _check_targets(validation[1], Xv.shape[0], nL, output, loss, "validation[1]")
        if not (callable(getattr(optimizer, "init", None)) and callable(getattr(optimizer, "step", None))):
            raise TypeError(f"optimizer must have init(params) and step(params, grads, state) methods "
                            f"(e.g. coursepkg.optim.sgd(0.1)), got {_describe(optimizer)}")
        epochs = as_int(epochs, "epochs", minimum=1)
        batch_size = as_int(batch_size, "batch_size", minimum=1)
        rng = as_rng(rng)
        weight_decay = as_float(weight_decay, "weight_decay", minimum=0.0)
        dropout = as_float(dropout, "dropout", minimum=0.0, maximum=1.0, strict_max=True)
        if patience is not None:
            patience = as_int(patience, "patience", minimum=1)
            if validation is None:
                raise ValueError("patience (early stopping) needs a validation set: pass validation=(X_val, y_val)")
        if alpha_schedule is not None:
            if not callable(alpha_schedule):
                raise TypeError(f"alpha_schedule must be a function epoch -> alpha, got {_describe(alpha_schedule)}")
            if hidden != "smooth_relu":
                raise ValueError(f"alpha_schedule needs hidden='smooth_relu', the network has hidden={hidden!r}")

        if _check_params(self.params) != L:
            raise ValueError(f"params must hold {L} layers for sizes {self.sizes}, "
                             f"got keys {sorted(map(str, self.params))}")
        params = {k: np.array(as_array(v, f"params[{k!r}]", allow_complex=False)) for k, v in self.params.items()}
        for l in range(1, L + 1):  # the parameters (perhaps set by hand) must still fit self.sizes
            if params[f"W{l}"].shape != (self.sizes[l], self.sizes[l - 1]):
                raise ValueError(f"params['W{l}'] must have shape {(self.sizes[l], self.sizes[l - 1])} "
                                 f"for sizes {self.sizes}, got {params[f'W{l}'].shape}")
        state = optimizer.init(params)
        # Fast path for coursepkg optimizers: the arrays are already checked, so call the
        # update rule directly instead of re-validating params and grads at every step.
        fast = type(optimizer) is Optimizer and type(state) is dict and "t" in state
        plain_sgd = False
        if fast:
            update, slots, lr = optimizer._update, optimizer.slots, optimizer.lr
            state = {"t": int(state["t"]), **{s: dict(state[s]) for s in slots}}
            # plain SGD, theta <- theta - lr g: update fit's own copies of the parameters in place
            plain_sgd = optimizer.name == "sgd" and not slots and not optimizer.hyper and not weight_decay

        # classification: softmax output, or sigmoid output with 0/1 targets
        classification = output == "softmax" or (output == "sigmoid" and bool(np.all((T == 0) | (T == 1))))
        history = {"loss": []}
        if classification:
            history["accuracy"] = []
        if validation is not None:
            history["val_loss"] = []
            if classification:
                history["val_accuracy"] = []
        if alpha_schedule is not None:
            history["alpha"] = []

        def evaluate(Xe, Te, te, alpha):
            Zs, As, _ = _forward(params, Xe, L, hidden, output, alpha)
            value = float(_loss_value(Zs, As, Te, output, loss))
            return value, (_accuracy(As[-1], te, output) if classification else None)

        alpha = self.alpha
        best = (np.inf, None, None, 0)  # val_loss, params, alpha, epoch
        softmax = output == "softmax"
        row_sum_buf, pred_buf = np.empty(N), np.empty(N, dtype=np.int64)  # per-sample softmax sums, predictions
        for epoch in range(epochs):
            if alpha_schedule is not None:
                alpha = as_float(alpha_schedule(epoch), f"alpha_schedule({epoch})", minimum=0.0, strict_min=True)
                history["alpha"].append(alpha)
            perm = rng.permutation(N)
            Xs, Ts, ts = X[perm], T[perm], target[perm]  # one shuffled copy per epoch; minibatches are views
            loss_sum, correct = 0.0, 0.0
            for start in range(0, N, batch_size):
                stop = start + batch_size
                Xb, Tb = Xs[start:stop], Ts[start:stop]
                Zs, As, masks = _forward(params, Xb, L, hidden, output, alpha, dropout, rng)
                # running totals for the history, from the forward pass just made
                if softmax:  # loss_i = log s_i - S_{i,y_i}; log and comparison once per epoch
                    shifted, row_sums = masks[-1]
                    row_sum_buf[start:stop] = row_sums[:, 0]
                    loss_sum -= np.vdot(Tb, shifted)
                    pred_buf[start:stop] = shifted.argmax(axis=1)
                else:
                    loss_sum += _loss_value(Zs, As, Tb, output, loss, masks) * Xb.shape[0]
                    if classification:
                        correct += _n_correct(As[-1], ts[start:stop], output)
                if plain_sgd:  # theta <- theta - lr g, with lr folded into the output error
                    t = state["t"] = state["t"] + 1
                    lr_t = optimizer.learning_rate(t) if callable(lr) else lr
                    dZ = _output_delta(Zs, As, Tb, output, loss, lr_t)
                    for k, step in _backward(params, Zs, As, masks, dZ, L, hidden, alpha).items():
                        params[k] -= step  # in place: fit owns these arrays
                    continue
                dZ = _output_delta(Zs, As, Tb, output, loss)
                grads = _backward(params, Zs, As, masks, dZ, L, hidden, alpha)
                if weight_decay:  # gradient of (lambda/2) sum_l ||W^l||_F^2: lambda W^l, zero for biases
                    decay = _reg.l2_penalty_grad(params, weight_decay)
                    grads = {k: g + decay[k] for k, g in grads.items()}
                if fast:
                    t = state["t"] = state["t"] + 1
                    lr_t = optimizer.learning_rate(t) if callable(lr) else lr
                    if not slots:  # e.g. sgd: no per-parameter state
                        for k, g in grads.items():
                            params[k] = update(params[k], g, {}, lr_t, t)[0]
                    else:
                        for k, g in grads.items():
                            new_p, new_slots = update(params[k], g, {s: state[s][k] for s in slots}, lr_t, t)
                            params[k] = new_p
                            for s in slots:
                                state[s][k] = new_slots[s]
                else:
                    params, state = optimizer.step(params, grads, state)
            if softmax:
                loss_sum += np.sum(np.log(row_sum_buf))
                correct = np.count_nonzero(pred_buf == ts)
            history["loss"].append(float(loss_sum) / N)
            if classification:
                history["accuracy"].append(float(correct) / N)
            if validation is not None:
                value_v, accuracy_v = evaluate(Xv, Tv, target_v, alpha)
                history["val_loss"].append(value_v)
                if classification:
                    history["val_accuracy"].append(accuracy_v)
                if patience is not None:
                    if value_v < best[0]:
                        best = (value_v, {k: np.array(v) for k, v in params.items()}, alpha, epoch + 1)
                    elif epoch + 1 - best[3] >= patience:
                        break
        if patience is not None and best[1] is not None:
            params, alpha = best[1], best[2]
            history["best_epoch"] = best[3]
        self.params = params
        self.alpha = float(alpha)
        return history
