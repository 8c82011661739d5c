r"""Layers of a small convolutional network, batch-first ``(N, C, H, W)``.

Every layer is a pair of pure functions: ``<layer>_forward(...) -> (out, cache)``
and ``<layer>_backward(dout, cache)``, where ``dout`` is the gradient of a
scalar loss with respect to ``out`` and the backward returns the gradients
with respect to the forward's array arguments. Each cache is a named tuple
(:class:`Conv2dCache`, :class:`MaxPoolCache`, :class:`AvgPoolCache`,
:class:`FlattenCache`): read it by field (``cache.W``) or unpack it.

- :func:`conv2d_forward` / :func:`conv2d_backward`: a multi-channel
  cross-correlation with bias, what CNN libraries call a convolution layer;
- :func:`maxpool_forward` / :func:`maxpool_backward` and
  :func:`avgpool_forward` / :func:`avgpool_backward`: non-overlapping pooling;
- :func:`flatten_forward` / :func:`flatten_backward`: ``(N, C, H, W) -> (N, C*H*W)``.

The convolution uses ``sliding_window_view`` and ``tensordot`` (an im2col
product), so a batch is processed without Python loops over pixels. Its
backward with respect to the input is the adjoint of the forward map, a
"full" convolution of the output gradient with the same filters (chapters 9
and 10).

Bad input (any public function): :class:`TypeError` for an object of the wrong
kind (a ``cache`` not made by the matching forward function included),
:class:`ValueError` for a wrong shape, range or non-finite value; the message
names the argument, what was expected and what was given. The public functions
check their arguments once and call private ``_``-prefixed compute functions.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._validation import _describe, as_array, as_int

__all__ = ["conv2d_forward", "conv2d_backward", "conv2d_output_shape", "maxpool_forward", "maxpool_backward",
           "avgpool_forward", "avgpool_backward", "flatten_forward", "flatten_backward",
           "Conv2dCache", "MaxPoolCache", "AvgPoolCache", "FlattenCache", "MAX_PADDING"]

#: Largest ``padding`` accepted (a padded image of a million rows is a mistake, not a request).
MAX_PADDING = 2 ** 16


class Conv2dCache(NamedTuple):
    """What :func:`conv2d_backward` needs: the padded input, the filters, the padding."""
    Xp: np.ndarray       # (N, C, H + 2p, W + 2p)
    W: np.ndarray        # (F, C, kh, kw)
    padding: int


class MaxPoolCache(NamedTuple):
    """What :func:`maxpool_backward` needs: the position of each block's maximum, the input shape, the size."""
    idx: np.ndarray      # (N, C, H // s, W // s), integers in [0, s*s)
    input_shape: tuple
    size: int


class AvgPoolCache(NamedTuple):
    """What :func:`avgpool_backward` needs."""
    input_shape: tuple
    size: int


class FlattenCache(NamedTuple):
    """What :func:`flatten_backward` needs."""
    input_shape: tuple


def _check_cache(cache, kind, forward):
    """Check that ``cache`` is the named tuple the forward function returned."""
    if not isinstance(cache, kind):
        raise TypeError(f"cache must be the {kind.__name__} returned by {forward}, got {_describe(cache)}")
    return cache


def _check_dout(dout, shape):
    dout = as_array(dout, "dout", ndim=len(shape))
    if dout.shape != tuple(shape):
        raise ValueError(f"dout must have the shape of the forward output {tuple(shape)}, got {dout.shape}")
    return dout


def _check_fit(H, Wd, kh, kw, padding, x_name, w_name):
    if kh > H + 2 * padding or kw > Wd + 2 * padding:
        raise ValueError(f"the kernels of {w_name} ({kh}x{kw}) must fit inside the padded images of {x_name} "
                         f"({H + 2 * padding}x{Wd + 2 * padding}, padding={padding})")


def conv2d_output_shape(input_shape, filter_shape, padding=0):
    r"""Shape of the output of :func:`conv2d_forward`, with the same checks.

    Parameters
    ----------
    input_shape : tuple of 4 int
        ``(N, C, H, W)``.
    filter_shape : tuple of 4 int
        ``(F, C, kh, kw)``.
    padding : int, default 0

    Returns
    -------
    tuple of int
        ``(N, F, H + 2p - kh + 1, W + 2p - kw + 1)``.

    Examples
    --------
    >>> conv2d_output_shape((5, 1, 8, 8), (4, 1, 3, 3), padding=1)
    (5, 4, 8, 8)
    """
    for name, shape in (("input_shape", input_shape), ("filter_shape", filter_shape)):
        if not isinstance(shape, (tuple, list)) or len(shape) != 4:
            raise ValueError(f"{name} must be a tuple of 4 integers, got {shape!r}")
    N, C, H, W = (as_int(d, f"input_shape[{i}]", minimum=1) for i, d in enumerate(input_shape))
    F, C_w, kh, kw = (as_int(d, f"filter_shape[{i}]", minimum=1) for i, d in enumerate(filter_shape))
    padding = as_int(padding, "padding", minimum=0, maximum=MAX_PADDING)
    if C_w != C:
        raise ValueError(f"filter_shape must have as many input channels as input_shape: {C} channels "
                         f"in input_shape {tuple(input_shape)} but {C_w} in filter_shape {tuple(filter_shape)}")
    _check_fit(H, W, kh, kw, padding, "input_shape", "filter_shape")
    return (N, F, H + 2 * padding - kh + 1, W + 2 * padding - kw + 1)


def _conv2d_forward(X, W, b, padding):
    F, C, kh, kw = W.shape
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding))) if padding else X
    windows = sliding_window_view(Xp, (kh, kw), axis=(2, 3))       # (N, C, Ho, Wo, kh, kw), a view
    out = np.tensordot(windows, W, axes=([1, 4, 5], [1, 2, 3]))     # (N, Ho, Wo, F)
    out = out.transpose(0, 3, 1, 2) + b[None, :, None, None]         # (N, F, Ho, Wo)
    return np.ascontiguousarray(out), Conv2dCache(Xp, W, padding)


def conv2d_forward(X, W, b, padding=0):
    r"""A convolution layer: multi-channel cross-correlation plus bias.

    Parameters
    ----------
    X : array_like, shape (N, C, H, W)
        A batch of N images with C channels (real or complex).
    W : array_like, shape (F, C, kh, kw)
        F filters, each with one ``kh x kw`` kernel per input channel.
    b : array_like, shape (F,)
        One bias per filter.
    padding : int, default 0
        Zeros added on each side of each image, at most :data:`MAX_PADDING`
        ("same" output for odd kernels when ``padding = (kh - 1) // 2``).

    Returns
    -------
    out : numpy.ndarray, shape (N, F, H + 2p - kh + 1, W + 2p - kw + 1)
    cache : Conv2dCache

    Notes
    -----
    With :math:`\tilde{\mathbf{X}}` the zero-padded input,

    .. math::

        \text{out}[n, f, i, j] = b_f + \sum_{c} \sum_{a=0}^{k_h - 1} \sum_{q=0}^{k_w - 1}
        W[f, c, a, q]\; \tilde X[n, c, i + a, j + q],

    a sum over input channels of "valid" 2-D cross-correlations
    (:func:`coursepkg.conv.correlate2d`); every output position uses the same
    :math:`F C k_h k_w + F` parameters (weight sharing).

    Examples
    --------
    >>> import numpy as np
    >>> out, _ = conv2d_forward(np.arange(16.0).reshape(1, 1, 4, 4), np.ones((1, 1, 2, 2)), np.zeros(1))
    >>> out[0, 0]
    array([[10., 14., 18.],
           [26., 30., 34.],
           [42., 46., 50.]])
    """
    X = as_array(X, "X", ndim=4)
    W = as_array(W, "W", ndim=4)
    b = as_array(b, "b", ndim=1)
    padding = as_int(padding, "padding", minimum=0, maximum=MAX_PADDING)
    N, C, H, Wd = X.shape
    F, C_w, kh, kw = W.shape
    if C_w != C:
        raise ValueError(f"W must have as many input channels as X: X has {C} channels (shape {X.shape}) "
                         f"but W has {C_w} (shape {W.shape})")
    if b.shape != (F,):
        raise ValueError(f"b must have shape ({F},), one bias per filter of W, got {b.shape}")
    _check_fit(H, Wd, kh, kw, padding, "X", "W")
    return _conv2d_forward(X, W, b, padding)


def _conv2d_backward(dout, cache):
    Xp, W, padding = cache
    F, C, kh, kw = W.shape
    Hp, Wp = Xp.shape[2:]
    db = dout.sum(axis=(0, 2, 3))                                           # (F,)
    windows = sliding_window_view(Xp, (kh, kw), axis=(2, 3))                # (N, C, Ho, Wo, kh, kw)
    dW = np.tensordot(dout, windows, axes=([0, 2, 3], [0, 2, 3]))           # (F, C, kh, kw)
    dpad = np.pad(dout, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))  # (N, F, Hp + kh - 1, Wp + kw - 1)
    dwin = sliding_window_view(dpad, (kh, kw), axis=(2, 3))                  # (N, F, Hp, Wp, kh, kw)
    dXp = np.tensordot(dwin, W[:, :, ::-1, ::-1], axes=([1, 4, 5], [0, 2, 3]))  # (N, Hp, Wp, C)
    dXp = dXp.transpose(0, 3, 1, 2)                                          # (N, C, Hp, Wp)
    dX = dXp[:, :, padding:Hp - padding, padding:Wp - padding]              # (N, C, H, W)
    return np.ascontiguousarray(dX), dW, db


def conv2d_backward(dout, cache):
    r"""Back-propagate through :func:`conv2d_forward`.

    Parameters
    ----------
    dout : array_like, shape (N, F, Ho, Wo)
        Gradient of the loss with respect to the layer's output.
    cache : Conv2dCache
        From :func:`conv2d_forward`.

    Returns
    -------
    dX : numpy.ndarray, shape (N, C, H, W)
        The adjoint of the forward map applied to ``dout``.
    dW : numpy.ndarray, shape (F, C, kh, kw)
    db : numpy.ndarray, shape (F,)

    Notes
    -----
    Differentiating the forward sum,

    .. math::

        \frac{\partial c}{\partial \tilde X[n, c, y, x]} &= \sum_{f, i, j} \text{dout}[n, f, i, j]\,
        W[f, c, y - i, x - j], \\
        \frac{\partial c}{\partial W[f, c, a, q]} & = \sum_{n, i, j} \text{dout}[n, f, i, j]\,
        \tilde X[n, c, i + a, j + q].

    The first is, for each pair :math:`(f, c)`, the "full" 2-D convolution of
    :math:`\text{dout}[n, f]` with :math:`W[f, c]`, the transpose of the "valid"
    cross-correlation (chapter 9): computed as a valid cross-correlation of
    ``dout`` padded by :math:`k - 1` with the filters rotated by 180 degrees,
    then cropped by the padding.

    Examples
    --------
    >>> import numpy as np
    >>> out, cache = conv2d_forward(np.arange(9.0).reshape(1, 1, 3, 3), np.ones((1, 1, 2, 2)), np.zeros(1))
    >>> dX, dW, db = conv2d_backward(np.ones_like(out), cache)
    >>> dX[0, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    Xp, W, _ = _check_cache(cache, Conv2dCache, "conv2d_forward")
    F, C, kh, kw = W.shape
    N, _, Hp, Wp = Xp.shape
    dout = _check_dout(dout, (N, F, Hp - kh + 1, Wp - kw + 1))
    return _conv2d_backward(dout, cache)


def _blocks(X, size):
    """Split X into non-overlapping size x size blocks: (N, C, Ho, Wo, size*size)."""
    N, C, H, W = X.shape
    blocks = X.reshape(N, C, H // size, size, W // size, size).transpose(0, 1, 2, 4, 3, 5)
    return blocks.reshape(N, C, H // size, W // size, size * size)


def _check_pool(X, size):
    X = as_array(X, "X", ndim=4)
    size = as_int(size, "size", minimum=1, maximum=max(X.shape[2], X.shape[3], 1))
    if X.shape[2] % size or X.shape[3] % size:
        raise ValueError(f"the height and width of X must be multiples of size={size}, "
                         f"got an array of shape {X.shape}")
    return X, size


def _unblock(blocks, shape, size):
    """Inverse of the block split: (N, C, Ho, Wo, size*size) -> (N, C, H, W)."""
    N, C, H, W = shape
    b = blocks.reshape(N, C, H // size, W // size, size, size).transpose(0, 1, 2, 4, 3, 5)
    return np.ascontiguousarray(b.reshape(N, C, H, W))


def _maxpool_forward(X, size):
    blocks = _blocks(X, size)
    idx = np.argmax(blocks.real, axis=-1)                              # (N, C, Ho, Wo)
    out = np.take_along_axis(blocks, idx[..., None], axis=-1)[..., 0]  # (N, C, Ho, Wo)
    return out, MaxPoolCache(idx, X.shape, size)


def maxpool_forward(X, size=2):
    r"""Max pooling over non-overlapping ``size x size`` blocks.

    Parameters
    ----------
    X : array_like, shape (N, C, H, W)
        H and W multiples of ``size``. Complex input is pooled by its real part
        (so the complex step passes through where the maximum is unique).
    size : int, default 2

    Returns
    -------
    out : numpy.ndarray, shape (N, C, H // size, W // size)
        :math:`\text{out}[n, c, i, j] = \max_{0 \le a, q < s} X[n, c, s i + a, s j + q]`.
    cache : MaxPoolCache

    Examples
    --------
    >>> import numpy as np
    >>> out, _ = maxpool_forward(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> out[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    return _maxpool_forward(*_check_pool(X, size))


def _maxpool_backward(dout, cache):
    idx, shape, size = cache
    blocks = np.zeros(idx.shape + (size * size,), dtype=dout.dtype)  # (N, C, Ho, Wo, s*s)
    np.put_along_axis(blocks, idx[..., None], dout[..., None], axis=-1)
    return _unblock(blocks, shape, size)


def maxpool_backward(dout, cache):
    r"""Back-propagate through :func:`maxpool_forward`.

    Parameters
    ----------
    dout : array_like, shape (N, C, H // size, W // size)
    cache : MaxPoolCache

    Returns
    -------
    dX : numpy.ndarray, shape (N, C, H, W)
        ``dout`` routed to each block's maximum (the first in row-major order
        at ties, one valid subgradient), zero elsewhere.

    Examples
    --------
    >>> import numpy as np
    >>> out, cache = maxpool_forward(np.array([[[[1.0, 3.0], [2.0, 0.0]]]]))
    >>> maxpool_backward(np.array([[[[5.0]]]]), cache)[0, 0]
    array([[0., 5.],
           [0., 0.]])
    """
    cache = _check_cache(cache, MaxPoolCache, "maxpool_forward")
    dout = _check_dout(dout, cache.idx.shape)
    return _maxpool_backward(dout, cache)


def _avgpool_forward(X, size):
    return _blocks(X, size).mean(axis=-1), AvgPoolCache(X.shape, size)


def avgpool_forward(X, size=2):
    r"""Average pooling over non-overlapping ``size x size`` blocks.

    Parameters
    ----------
    X : array_like, shape (N, C, H, W)
        H and W multiples of ``size``.
    size : int, default 2

    Returns
    -------
    out : numpy.ndarray, shape (N, C, H // size, W // size)
        :math:`s^{-2} \sum_{0 \le a, q < s} X[n, c, s i + a, s j + q]`.
    cache : AvgPoolCache

    Examples
    --------
    >>> import numpy as np
    >>> out, _ = avgpool_forward(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> out[0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    return _avgpool_forward(*_check_pool(X, size))


def _avgpool_backward(dout, cache):
    shape, size = cache
    blocks = np.broadcast_to(dout[..., None] / size**2, dout.shape + (size * size,))
    return _unblock(blocks, shape, size)


def avgpool_backward(dout, cache):
    r"""Back-propagate through :func:`avgpool_forward`: each entry of ``dout`` divided by :math:`s^2`, copied to its block.

    Parameters
    ----------
    dout : array_like, shape (N, C, H // size, W // size)
    cache : AvgPoolCache

    Returns
    -------
    dX : numpy.ndarray, shape (N, C, H, W)

    Examples
    --------
    >>> import numpy as np
    >>> out, cache = avgpool_forward(np.zeros((1, 1, 2, 2)))
    >>> avgpool_backward(np.array([[[[4.0]]]]), cache)[0, 0]
    array([[1., 1.],
           [1., 1.]])
    """
    cache = _check_cache(cache, AvgPoolCache, "avgpool_forward")
    N, C, H, W = cache.input_shape
    dout = _check_dout(dout, (N, C, H // cache.size, W // cache.size))
    return _avgpool_backward(dout, cache)


def flatten_forward(X):
    r"""Flatten each sample: ``(N, C, H, W) -> (N, C*H*W)`` (the slides' Vec), in C order.

    Parameters
    ----------
    X : array_like, shape (N, ...)
        At least 2-D.

    Returns
    -------
    out : numpy.ndarray, shape (N, prod(X.shape[1:]))
        A copy (never a view of ``X``).
    cache : FlattenCache

    Examples
    --------
    >>> import numpy as np
    >>> flatten_forward(np.zeros((2, 3, 4, 4)))[0].shape
    (2, 48)
    """
    X = as_array(X, "X")
    if X.ndim < 2:
        raise ValueError(f"X must be at least 2-D (N, ...), got an array of shape {X.shape} ({X.ndim}-D)")
    return X.reshape(X.shape[0], -1).copy(), FlattenCache(X.shape)


def flatten_backward(dout, cache):
    r"""Back-propagate through :func:`flatten_forward`: reshape to the input shape.

    Parameters
    ----------
    dout : array_like, shape (N, prod(input_shape[1:]))
    cache : FlattenCache

    Returns
    -------
    dX : numpy.ndarray, the input shape

    Examples
    --------
    >>> import numpy as np
    >>> out, cache = flatten_forward(np.zeros((2, 3, 4, 4)))
    >>> flatten_backward(np.ones((2, 48)), cache).shape
    (2, 3, 4, 4)
    """
    shape = _check_cache(cache, FlattenCache, "flatten_forward").input_shape
    dout = _check_dout(dout, (shape[0], int(np.prod(shape[1:]))))
    return dout.reshape(shape).copy()
