r"""Layers of a small convolutional network, batch-first ``(N, C, H, W)``.

Every layer is a pair of pure functions: ``<layer>_forward(...) -> (out, cache)``
and ``<layer>_backward(dout, cache)``, where ``dout`` is the gradient of a
scalar loss with respect to ``out`` and the backward returns the gradients
with respect to the forward's array arguments.

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
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._validation import _describe, as_array, as_int

__all__ = ["conv2d_forward", "conv2d_backward", "conv2d_output_shape", "maxpool_forward", "maxpool_backward",
           "avgpool_forward", "avgpool_backward", "flatten_forward", "flatten_backward"]


def _check_cache(cache, size, forward):
    """Check that ``cache`` is the tuple a forward function returned (no bare unpacking errors)."""
    if not isinstance(cache, tuple) or len(cache) != size:
        raise TypeError(f"cache must be the tuple returned by {forward}, got {_describe(cache)}")
    return cache


def _check_dout(dout, shape):
    dout = as_array(dout, "dout", ndim=len(shape))
    if dout.shape != tuple(shape):
        raise ValueError(f"dout must have the shape of the forward output {tuple(shape)}, got {dout.shape}")
    return dout


def conv2d_output_shape(input_shape, filter_shape, padding=0):
    r"""Shape of the output of :func:`conv2d_forward`.

    Parameters
    ----------
    input_shape : tuple of int
        ``(N, C, H, W)``.
    filter_shape : tuple of int
        ``(F, C, kh, kw)``.
    padding : int, default 0

    Returns
    -------
    tuple of int
        ``(N, F, H + 2p - kh + 1, W + 2p - kw + 1)``.

    Raises
    ------
    TypeError
        If an entry of a shape or ``padding`` is not an integer.
    ValueError
        If a shape does not have 4 positive entries, ``padding`` is negative,
        the channels of the input and the filters differ, or a kernel does not
        fit inside the padded image (the conditions under which
        :func:`conv2d_forward` raises).

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
    padding = as_int(padding, "padding", minimum=0)
    if C_w != C:
        raise ValueError(f"filter_shape must have as many input channels as input_shape: {C} channels "
                         f"in input_shape {tuple(input_shape)} but {C_w} in filter_shape {tuple(filter_shape)}")
    if kh > H + 2 * padding or kw > W + 2 * padding:
        raise ValueError(f"the kernels of filter_shape ({kh}x{kw}) must fit inside the padded images of "
                         f"input_shape ({H + 2 * padding}x{W + 2 * padding}, padding={padding})")
    return (N, F, H + 2 * padding - kh + 1, W + 2 * padding - kw + 1)


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
        Zeros added on each side of each image before the layer ("valid" for
        0; "same" for odd kernels when ``padding = (kh - 1) // 2``).

    Returns
    -------
    out : numpy.ndarray, shape (N, F, H + 2p - kh + 1, W + 2p - kw + 1)
    cache : tuple
        What :func:`conv2d_backward` needs.

    Raises
    ------
    ValueError
        If an array has the wrong number of dimensions, the channels of ``X``
        and ``W`` differ, ``b`` does not have one entry per filter, or a kernel
        does not fit inside the padded image.
    TypeError
        If an input is not numeric or ``padding`` is not an integer.

    Notes
    -----
    With :math:`\tilde{\mathbf{X}}` the zero-padded input,

    .. math::

        \text{out}[n, f, i, j] = b_f + \sum_{c} \sum_{a=0}^{k_h - 1} \sum_{q=0}^{k_w - 1}
        W[f, c, a, q]\; \tilde X[n, c, i + a, j + q],

    a sum over input channels of "valid" 2-D cross-correlations
    (:func:`coursepkg.conv.correlate2d`). Every output position uses the same
    :math:`F C k_h k_w + F` parameters (weight sharing).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> out, _ = conv2d_forward(X, np.ones((1, 1, 2, 2)), np.zeros(1))
    >>> out[0, 0]
    array([[10., 14., 18.],
           [26., 30., 34.],
           [42., 46., 50.]])
    """
    X = as_array(X, "X", ndim=4)
    W = as_array(W, "W", ndim=4)
    b = as_array(b, "b", ndim=1)
    padding = as_int(padding, "padding", minimum=0)
    N, C, H, Wd = X.shape
    F, C_w, kh, kw = W.shape
    if C_w != C:
        raise ValueError(f"W must have as many input channels as X: X has {C} channels (shape {X.shape}) "
                         f"but W has {C_w} (shape {W.shape})")
    if b.shape != (F,):
        raise ValueError(f"b must have shape ({F},), one bias per filter of W, got {b.shape}")
    if kh > H + 2 * padding or kw > Wd + 2 * padding:
        raise ValueError(f"the kernels of W ({kh}x{kw}) must fit inside the padded images of X "
                         f"({H + 2 * padding}x{Wd + 2 * padding}, padding={padding})")
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding))) if padding else X
    windows = sliding_window_view(Xp, (kh, kw), axis=(2, 3))       # (N, C, Ho, Wo, kh, kw), a view
    out = np.tensordot(windows, W, axes=([1, 4, 5], [1, 2, 3]))     # (N, Ho, Wo, F)
    out = out.transpose(0, 3, 1, 2) + b[None, :, None, None]         # (N, F, Ho, Wo)
    return np.ascontiguousarray(out), (Xp, W, padding)


def conv2d_backward(dout, cache):
    r"""Back-propagate through :func:`conv2d_forward`.

    Parameters
    ----------
    dout : array_like, shape (N, F, Ho, Wo)
        Gradient of the loss with respect to the layer's output.
    cache : tuple
        From :func:`conv2d_forward`.

    Returns
    -------
    dX : numpy.ndarray, shape (N, C, H, W)
        The adjoint of the forward map applied to ``dout``: a "full"
        convolution of ``dout`` with the filters, summed over the filters,
        with the padding cropped.
    dW : numpy.ndarray, shape (F, C, kh, kw)
        "Valid" cross-correlation of the padded input with ``dout``, summed
        over the batch.
    db : numpy.ndarray, shape (F,)
        Sum of ``dout`` over the batch and the positions.

    Raises
    ------
    TypeError
        If ``cache`` is not the tuple returned by :func:`conv2d_forward`.
    ValueError
        If ``dout`` does not have the shape of the forward output, or is not finite.

    Notes
    -----
    Differentiating the forward sum,

    .. math::

        \frac{\partial c}{\partial \tilde X[n, c, y, x]} = \sum_{f, i, j} \text{dout}[n, f, i, j]\,
        W[f, c, y - i, x - j],
        \qquad
        \frac{\partial c}{\partial W[f, c, a, q]} = \sum_{n, i, j} \text{dout}[n, f, i, j]\,
        \tilde X[n, c, i + a, j + q].

    The first is, for each pair :math:`(f, c)`, the "full" 2-D convolution
    of :math:`\text{dout}[n, f]` with :math:`W[f, c]`: the transpose of the
    "valid" cross-correlation, exactly as in 1-D (chapter 9). It is computed
    as a valid cross-correlation of ``dout`` padded by :math:`k - 1` with the
    filters rotated by 180 degrees.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> out, cache = conv2d_forward(X, np.ones((1, 1, 2, 2)), np.zeros(1))
    >>> dX, dW, db = conv2d_backward(np.ones_like(out), cache)
    >>> dX[0, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    >>> dW[0, 0], db
    (array([[ 8., 12.],
           [20., 24.]]), array([4.]))
    """
    Xp, W, padding = _check_cache(cache, 3, "conv2d_forward")
    F, C, kh, kw = W.shape
    N, _, Hp, Wp = Xp.shape
    dout = _check_dout(dout, (N, F, Hp - kh + 1, Wp - kw + 1))
    db = dout.sum(axis=(0, 2, 3))                                           # (F,)
    windows = sliding_window_view(Xp, (kh, kw), axis=(2, 3))                # (N, C, Ho, Wo, kh, kw)
    dW = np.tensordot(dout, windows, axes=([0, 2, 3], [0, 2, 3]))           # (F, C, kh, kw)
    dpad = np.pad(dout, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))  # (N, F, Hp + kh - 1, Wp + kw - 1)
    dwin = sliding_window_view(dpad, (kh, kw), axis=(2, 3))                  # (N, F, Hp, Wp, kh, kw)
    dXp = np.tensordot(dwin, W[:, :, ::-1, ::-1], axes=([1, 4, 5], [0, 2, 3]))  # (N, Hp, Wp, C)
    dXp = dXp.transpose(0, 3, 1, 2)                                          # (N, C, Hp, Wp)
    dX = dXp[:, :, padding:Hp - padding, padding:Wp - padding]              # (N, C, H, W)
    return np.ascontiguousarray(dX), dW, db


def _blocks(X, size, name="X"):
    """Check X and split it into non-overlapping size x size blocks: (N, C, Ho, Wo, size*size)."""
    X = as_array(X, name, ndim=4)
    size = as_int(size, "size", minimum=1)
    N, C, H, W = X.shape
    if H % size or W % size:
        raise ValueError(f"the height and width of {name} must be multiples of size={size}, "
                         f"got an array of shape {X.shape}")
    blocks = X.reshape(N, C, H // size, size, W // size, size).transpose(0, 1, 2, 4, 3, 5)
    return X, size, blocks.reshape(N, C, H // size, W // size, size * size)


def _unblock(blocks, shape, size):
    """Inverse of the block split: (N, C, Ho, Wo, size*size) -> (N, C, H, W)."""
    N, C, H, W = shape
    b = blocks.reshape(N, C, H // size, W // size, size, size).transpose(0, 1, 2, 4, 3, 5)
    return np.ascontiguousarray(b.reshape(N, C, H, W))


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
    cache : tuple

    Raises
    ------
    ValueError
        If ``X`` is not 4-D or its height or width is not a multiple of ``size``.

    Notes
    -----
    :math:`\text{out}[n, c, i, j] = \max_{0 \le a, q < s} X[n, c, s i + a, s j + q]`.
    The output does not change when an input moves inside its block, a small
    local invariance to translation.

    Examples
    --------
    >>> import numpy as np
    >>> out, _ = maxpool_forward(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> out[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    X, size, blocks = _blocks(X, size)
    idx = np.argmax(blocks.real, axis=-1)                              # (N, C, Ho, Wo)
    out = np.take_along_axis(blocks, idx[..., None], axis=-1)[..., 0]  # (N, C, Ho, Wo)
    return out, (idx, X.shape, size)


def maxpool_backward(dout, cache):
    r"""Back-propagate through :func:`maxpool_forward`.

    Parameters
    ----------
    dout : array_like, shape (N, C, H // size, W // size)
    cache : tuple
        From :func:`maxpool_forward`.

    Returns
    -------
    dX : numpy.ndarray, shape (N, C, H, W)
        ``dout`` routed to the position of each block's maximum (the first
        one in row-major order if there are ties), zero elsewhere.

    Raises
    ------
    TypeError
        If ``cache`` is not the tuple returned by the forward function.
    ValueError
        If ``dout`` does not have the shape of the forward output, or is not finite.

    Notes
    -----
    Inside a block the output equals the input at the maximizing position, so
    the derivative is 1 there and 0 at the other positions; at ties the max is
    not differentiable and this is one valid subgradient.

    Examples
    --------
    >>> import numpy as np
    >>> out, cache = maxpool_forward(np.array([[[[1.0, 3.0], [2.0, 0.0]]]]))
    >>> maxpool_backward(np.array([[[[5.0]]]]), cache)[0, 0]
    array([[0., 5.],
           [0., 0.]])
    """
    idx, shape, size = _check_cache(cache, 3, "maxpool_forward")
    dout = _check_dout(dout, idx.shape)
    blocks = np.zeros(idx.shape + (size * size,), dtype=dout.dtype)  # (N, C, Ho, Wo, s*s)
    np.put_along_axis(blocks, idx[..., None], dout[..., None], axis=-1)
    return _unblock(blocks, shape, size)


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
    cache : tuple

    Raises
    ------
    ValueError
        If ``X`` is not 4-D or its height or width is not a multiple of ``size``.

    Notes
    -----
    :math:`\text{out}[n, c, i, j] = s^{-2} \sum_{0 \le a, q < s} X[n, c, s i + a, s j + q]`,
    a "valid" correlation with the constant kernel :math:`s^{-2}` taken with stride :math:`s`.

    Examples
    --------
    >>> import numpy as np
    >>> out, _ = avgpool_forward(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> out[0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    X, size, blocks = _blocks(X, size)
    return blocks.mean(axis=-1), (X.shape, size)


def avgpool_backward(dout, cache):
    r"""Back-propagate through :func:`avgpool_forward`.

    Parameters
    ----------
    dout : array_like, shape (N, C, H // size, W // size)
    cache : tuple
        From :func:`avgpool_forward`.

    Returns
    -------
    dX : numpy.ndarray, shape (N, C, H, W)
        Each entry of ``dout`` divided by :math:`s^2` and copied to its block.

    Raises
    ------
    TypeError
        If ``cache`` is not the tuple returned by the forward function.
    ValueError
        If ``dout`` does not have the shape of the forward output, or is not finite.

    Examples
    --------
    >>> import numpy as np
    >>> out, cache = avgpool_forward(np.zeros((1, 1, 2, 2)))
    >>> avgpool_backward(np.array([[[[4.0]]]]), cache)[0, 0]
    array([[1., 1.],
           [1., 1.]])
    """
    shape, size = _check_cache(cache, 2, "avgpool_forward")
    N, C, H, W = shape
    dout = _check_dout(dout, (N, C, H // size, W // size))
    blocks = np.broadcast_to(dout[..., None] / size**2, dout.shape + (size * size,))
    return _unblock(blocks, shape, size)


def flatten_forward(X):
    r"""Flatten each sample: ``(N, C, H, W) -> (N, C*H*W)`` (the slides' Vec).

    Parameters
    ----------
    X : array_like, shape (N, ...)
        At least 2-D; everything after the batch axis is flattened in C order
        (channel, then row, then column).

    Returns
    -------
    out : numpy.ndarray, shape (N, prod(X.shape[1:]))
    cache : tuple
        The input shape.

    Raises
    ------
    ValueError
        If ``X`` has fewer than 2 dimensions, is empty or is not finite.
    TypeError
        If ``X`` is not numeric.

    Examples
    --------
    >>> import numpy as np
    >>> flatten_forward(np.zeros((2, 3, 4, 4)))[0].shape
    (2, 48)
    """
    X = as_array(X, "X")
    if X.ndim < 2:
        raise ValueError(f"X must be at least 2-D (N, ...), got an array of shape {X.shape} ({X.ndim}-D)")
    return X.reshape(X.shape[0], -1).copy(), (X.shape,)  # a copy: the output never aliases the input


def flatten_backward(dout, cache):
    r"""Back-propagate through :func:`flatten_forward`: reshape to the input shape.

    Parameters
    ----------
    dout : array_like, shape (N, prod(input_shape[1:]))
    cache : tuple
        From :func:`flatten_forward`.

    Returns
    -------
    dX : numpy.ndarray, the input shape

    Raises
    ------
    TypeError
        If ``cache`` is not the tuple returned by the forward function.
    ValueError
        If ``dout`` does not have the shape of the forward output, or is not finite.

    Examples
    --------
    >>> import numpy as np
    >>> out, cache = flatten_forward(np.zeros((2, 3, 4, 4)))
    >>> flatten_backward(np.ones((2, 48)), cache).shape
    (2, 3, 4, 4)
    """
    (shape,) = _check_cache(cache, 1, "flatten_forward")
    dout = _check_dout(dout, (shape[0], int(np.prod(shape[1:]))))
    return dout.reshape(shape).copy()
