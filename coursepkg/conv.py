r"""Discrete convolution, cross-correlation and their adjoints.

Conventions (the notation page and chapter 9):

- convolution :math:`(f * g)[n] = \sum_m f[m]\, g[n - m]`;
- cross-correlation :math:`(f \star g)[n] = \sum_m f[m]\, g[n + m]`.

Argument order. The 1-D functions are the two binary operations of the
chapter's formulas, written left to right: ``convolve(f, g)`` is
:math:`f * g` and ``correlate(f, g)`` is :math:`f \star g`, the kernel
:math:`f` first, because the chapter reads :math:`\mathbf{x} \mapsto f * \mathbf{x}`
as an operator :math:`C_f` applied to a signal and its adjoint as
:math:`\mathbf{y} \mapsto f \star \mathbf{y}`. (Convolution commutes, so for
:func:`convolve` the order only matters for which argument the modes
``"same"``/``"valid"`` treat as the signal.) The 2-D functions are image
operations, written as a CNN layer and ``scipy.signal`` write them: image
first, kernel second (``convolve2d(x, k)``, like ``conv2d_forward(X, W, b)``).
The two orders are kept because each matches the formulas and the library
calls it sits next to; the keyword names (``f``/``g``, ``x``/``k``) say which
is which. Note ``correlate(f, g)`` equals ``numpy.correlate(g, f)`` (numpy puts
the signal first, and conjugates; this module never conjugates).

The boundary modes keep a part of the full result: ``"full"`` every output
that touches the signal (length :math:`N + M - 1`), ``"same"`` the central
:math:`N` entries, ``"valid"`` the :math:`N - M + 1` entries where the kernel
lies inside the signal.

Bad input (any public function): :class:`TypeError` for an object of the wrong
kind, :class:`ValueError` for a wrong shape, range or non-finite value; the
message names the argument, what was expected and what was given.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._validation import _describe, as_array, as_choice, as_float, as_int, as_rng

__all__ = ["MODES", "convolve", "correlate", "convolve2d", "correlate2d",
           "ConvolutionOperator", "dot_test", "laplacian_kernel"]

MODES = ("full", "same", "valid")


def _check_1d(f, g, mode):
    mode = as_choice(mode, "mode", MODES)
    f = as_array(f, "f", ndim=1)
    g = as_array(g, "g", ndim=1)
    if mode != "full" and f.shape[0] > g.shape[0]:
        raise ValueError(f"in mode {mode!r} the kernel f must not be longer than the signal g, "
                         f"got len(f) = {f.shape[0]} > len(g) = {g.shape[0]}; use mode='full' "
                         f"or swap the arguments")
    return f, g, mode


def _correlate_full_1d(f, g):
    """All lags n = -(M-1), ..., N-1 of sum_m f[m] g[n+m], as an array of length N+M-1."""
    M = f.shape[0]
    gp = np.pad(g, (M - 1, M - 1))                 # (N + 2M - 2,)
    windows = sliding_window_view(gp, M)           # (N + M - 1, M): window n starts at lag n-(M-1)
    return windows @ f                              # (N + M - 1,)


def _keep(full, M, N, mode):
    """Slice the 'same' or 'valid' part out of a full 1-D result (numpy's centring)."""
    if mode == "full":
        return full
    if mode == "same":
        start = (M - 1) // 2
        return full[start:start + N]
    return full[M - 1:N]


def _convolve(f, g, mode):
    return _keep(_correlate_full_1d(f[::-1], g), f.shape[0], g.shape[0], mode)


def _correlate(f, g, mode):
    return _keep(_correlate_full_1d(f, g), f.shape[0], g.shape[0], mode)


def convolve(f, g, mode="full"):
    r"""1-D convolution :math:`(f * g)[n] = \sum_m f[m]\, g[n-m]`; equals ``numpy.convolve(f, g, mode)``.

    Parameters
    ----------
    f : array_like, shape (M,)
        The kernel (real or complex).
    g : array_like, shape (N,)
        The signal; :math:`N \ge M` in modes ``"same"`` and ``"valid"``.
    mode : {"full", "same", "valid"}
        Output length :math:`N + M - 1`, :math:`N` or :math:`N - M + 1`.

    Returns
    -------
    numpy.ndarray
        Computed as the cross-correlation with the reversed kernel.

    Examples
    --------
    >>> convolve([1.0, -2.0, 1.0], [0.0, 1.0, 4.0, 9.0, 16.0], mode="valid")
    array([2., 2., 2.])
    """
    return _convolve(*_check_1d(f, g, mode))


def correlate(f, g, mode="full"):
    r"""1-D cross-correlation :math:`(f \star g)[n] = \sum_m f[m]\, g[n+m]`; equals ``numpy.correlate(g, f, mode)`` for real input.

    Parameters
    ----------
    f : array_like, shape (M,)
        The kernel (never conjugated).
    g : array_like, shape (N,)
        The signal; :math:`N \ge M` in modes ``"same"`` and ``"valid"``.
    mode : {"full", "same", "valid"}
        ``"full"``: lags :math:`-(M-1), \dots, N-1`; ``"valid"``: lags
        :math:`0, \dots, N - M`; ``"same"``: the central :math:`N` lags.

    Returns
    -------
    numpy.ndarray

    Notes
    -----
    For real :math:`f`, :math:`\langle f * \mathbf{x}, \mathbf{y}\rangle = \langle \mathbf{x}, f \star \mathbf{y}\rangle`
    with "full" convolution paired with "valid" correlation, and "valid" with "full".

    Examples
    --------
    >>> correlate([1.0, 2.0], [1.0, 0.0, 0.0])
    array([2., 1., 0., 0.])
    """
    return _correlate(*_check_1d(f, g, mode))


def _check_2d(x, k, mode):
    mode = as_choice(mode, "mode", MODES)
    x = as_array(x, "x", ndim=2)
    k = as_array(k, "k", ndim=2)
    if mode == "valid" and (k.shape[0] > x.shape[0] or k.shape[1] > x.shape[1]):
        raise ValueError(f"in mode 'valid' the kernel k must fit inside the image x, "
                         f"got k of shape {k.shape} and x of shape {x.shape}")
    return x, k, mode


def _correlate2d(x, k, mode, same_offset):
    """sum_ab k[a, b] x[i + a - p0, j + b - p1] over the output grid of ``mode``."""
    kh, kw = k.shape
    H, W = x.shape
    if mode == "valid":
        xp = x
    else:
        xp = np.pad(x, ((kh - 1, kh - 1), (kw - 1, kw - 1)))  # (H + 2kh - 2, W + 2kw - 2)
        if mode == "same":
            oh, ow = same_offset(kh), same_offset(kw)
            xp = xp[oh:oh + H + kh - 1, ow:ow + W + kw - 1]    # (H + kh - 1, W + kw - 1)
    windows = sliding_window_view(xp, (kh, kw))                # (H_out, W_out, kh, kw)
    return np.einsum("ijab,ab->ij", windows, k)


def convolve2d(x, k, mode="valid"):
    r"""2-D convolution of an image with a kernel; equals ``scipy.signal.convolve2d(x, k, mode)``.

    Parameters
    ----------
    x : array_like, shape (H, W)
        The image (first, as in a CNN layer).
    k : array_like, shape (kh, kw)
        The kernel; it must fit inside the image in mode ``"valid"``.
    mode : {"valid", "same", "full"}
        Output shape ``(H - kh + 1, W - kw + 1)``, ``(H, W)`` or ``(H + kh - 1, W + kw - 1)``.

    Returns
    -------
    numpy.ndarray
        :math:`y[i, j] = \sum_{a, b} k[a, b]\, x[i - a, j - b]` (indices of the
        full result, zero outside the image).

    Examples
    --------
    >>> convolve2d([[1.0, 2.0], [3.0, 4.0]], [[0.0, 1.0]], mode="full")
    array([[0., 1., 2.],
           [0., 3., 4.]])
    """
    x, k, mode = _check_2d(x, k, mode)
    return _correlate2d(x, k[::-1, ::-1], mode, lambda m: (m - 1) // 2)


def correlate2d(x, k, mode="valid"):
    r"""2-D cross-correlation of an image with a kernel (what a CNN layer computes).

    Parameters
    ----------
    x : array_like, shape (H, W)
    k : array_like, shape (kh, kw)
        Never conjugated.
    mode : {"valid", "same", "full"}
        As in :func:`convolve2d`.

    Returns
    -------
    numpy.ndarray
        In mode ``"valid"``, :math:`y[i, j] = \sum_{a, b} k[a, b]\, x[i + a, j + b]`;
        equal to ``scipy.signal.correlate2d(x, k, mode)`` for real input (in mode
        ``"same"`` with an even kernel size scipy centres correlation and
        convolution differently, and this function follows scipy).

    Examples
    --------
    >>> correlate2d([[1.0, 2.0, 3.0]], [[1.0, -1.0]])
    array([[-1., -1.]])
    """
    x, k, mode = _check_2d(x, k, mode)
    return _correlate2d(x, k, mode, lambda m: m // 2)


class ConvolutionOperator:
    r"""The linear map :math:`\mathbf{x} \mapsto` ``convolve(kernel, x, mode)`` for :math:`\mathbf{x}` of length n.

    Parameters
    ----------
    kernel : array_like, shape (M,)
        Real kernel :math:`f` (the operator keeps its own copy).
    n : int
        Input length; at least :math:`M` in modes ``"same"`` and ``"valid"``.
    mode : {"full", "same", "valid"}

    Attributes
    ----------
    shape : tuple of int
        ``(m, n)`` with :math:`m = n + M - 1`, :math:`n` or :math:`n - M + 1`.

    Notes
    -----
    Every mode keeps :math:`m` consecutive rows, from row :math:`s`, of the full
    Toeplitz matrix :math:`T_{ij} = f[i - j]`: :math:`\mathbf{A} = \mathbf{S}\mathbf{T}`.
    So :math:`\mathbf{A}^\top\mathbf{y} = \mathbf{T}^\top\mathbf{S}^\top\mathbf{y}`: put
    :math:`\mathbf{y}` back at rows :math:`s, \dots, s + m - 1` of a zero vector and
    take the "valid" cross-correlation with :math:`f` (that is :math:`\mathbf{T}^\top`).

    Examples
    --------
    >>> op = ConvolutionOperator([1.0, 2.0], 3)
    >>> op.to_dense()
    array([[1., 0., 0.],
           [2., 1., 0.],
           [0., 2., 1.],
           [0., 0., 2.]])
    >>> op.rmatvec([1.0, 0.0, 0.0, 0.0])
    array([1., 0., 0.])
    """

    def __init__(self, kernel, n, mode="full"):
        self.kernel = as_array(kernel, "kernel", ndim=1, allow_complex=False).copy()  # never the caller's array
        self.mode = as_choice(mode, "mode", MODES)
        M = self.kernel.shape[0]
        self.n = as_int(n, "n", minimum=M if self.mode != "full" else 1, maximum=2**31)
        m = {"full": self.n + M - 1, "same": self.n, "valid": self.n - M + 1}[self.mode]
        self._start = {"full": 0, "same": (M - 1) // 2, "valid": M - 1}[self.mode]
        self.shape = (m, self.n)

    def __repr__(self) -> str:
        return f"ConvolutionOperator(kernel of length {self.kernel.shape[0]}, n={self.n}, mode={self.mode!r})"

    def _vector(self, v, name, length):
        v = as_array(v, name, ndim=1)
        if v.shape[0] != length:
            raise ValueError(f"{name} must have length {length} for an operator of shape {self.shape}, "
                             f"got {v.shape[0]}")
        return v

    def matvec(self, x):
        r"""``convolve(kernel, x, mode)``: x of shape (n,) -> shape (m,)."""
        return _convolve(self.kernel, self._vector(x, "x", self.n), self.mode)

    def rmatvec(self, y):
        r"""The adjoint :math:`\mathbf{A}^\top\mathbf{y}`: y of shape (m,) -> shape (n,) (see the class Notes)."""
        y = self._vector(y, "y", self.shape[0])
        full = np.zeros(self.n + self.kernel.shape[0] - 1, dtype=y.dtype)  # (n + M - 1,)
        full[self._start:self._start + y.shape[0]] = y
        return _correlate(self.kernel, full, "valid")

    def to_dense(self):
        r"""The matrix, shape (m, n); equal to ``scipy.linalg.convolution_matrix(kernel, n, mode)``."""
        M = self.kernel.shape[0]
        i = np.arange(self.n + M - 1)[:, None]   # (n + M - 1, 1)
        j = np.arange(self.n)[None, :]           # (1, n)
        lag = i - j
        inside = (lag >= 0) & (lag < M)
        T = np.where(inside, self.kernel[np.clip(lag, 0, M - 1)], 0.0)  # (n + M - 1, n)
        return T[self._start:self._start + self.shape[0]]


def _scaled(v):
    """``(s, v / s)`` with s = max |v_i| (s = 0 and v unchanged for a zero vector): norms without under/overflow."""
    s = float(np.max(np.abs(v)))
    return (s, v / s) if s > 0 else (0.0, v)


def dot_test(op, rng):
    r"""The dot-product (adjoint) test of a real linear operator.

    Parameters
    ----------
    op : object
        Anything with ``shape = (m, n)``, ``matvec`` and ``rmatvec``, such as
        a :class:`ConvolutionOperator`.
    rng : numpy.random.Generator
        Source of the standard normal :math:`\mathbf{x} \in \mathbb{R}^n`, :math:`\mathbf{y} \in \mathbb{R}^m`.

    Returns
    -------
    float
        :math:`|\langle \mathbf{A}\mathbf{x}, \mathbf{y}\rangle - \langle \mathbf{x}, \mathbf{B}\mathbf{y}\rangle|
        / \max(\|\mathbf{A}\mathbf{x}\|\,\|\mathbf{y}\|, \|\mathbf{x}\|\,\|\mathbf{B}\mathbf{y}\|)` with
        :math:`\mathbf{B}` = ``rmatvec``: a few machine epsilons when
        :math:`\mathbf{B} = \mathbf{A}^\top`, of order one otherwise.

    Notes
    -----
    The denominator bounds both inner products (Cauchy-Schwarz), so the ratio
    is meaningful when :math:`\langle \mathbf{A}\mathbf{x}, \mathbf{y}\rangle` is near zero.
    Each output is divided by its largest entry before the inner products and
    norms, so operators with entries of :math:`10^{-170}` or :math:`10^{170}`
    are tested as accurately as those of order one. When both outputs are zero
    (the zero operator and its adjoint) the result is 0; when only one is, the
    ratio is :math:`|\langle \mathbf{x}, \mathbf{B}\mathbf{y}\rangle| / (\|\mathbf{x}\|\,\|\mathbf{B}\mathbf{y}\|)`
    (or its mirror), far from 0 for a wrong adjoint.

    Examples
    --------
    >>> import numpy as np
    >>> op = ConvolutionOperator([1.0, -2.0, 1.0], 20, mode="same")
    >>> dot_test(op, np.random.default_rng(0)) < 1e-14
    True
    """
    for attr in ("shape", "matvec", "rmatvec"):
        if not hasattr(op, attr):
            raise TypeError(f"op must have shape, matvec and rmatvec, got {_describe(op)} without {attr!r}")
    rng = as_rng(rng)
    shape = op.shape
    if not isinstance(shape, (tuple, list)) or len(shape) != 2:
        raise ValueError(f"op.shape must be a tuple (m, n) of two integers, got {shape!r}")
    m = as_int(shape[0], "op.shape[0]", minimum=1, maximum=2**31)
    n = as_int(shape[1], "op.shape[1]", minimum=1, maximum=2**31)
    x = rng.standard_normal(n)  # (n,)
    y = rng.standard_normal(m)  # (m,)
    Ax = as_array(op.matvec(x), "op.matvec(x)", allow_complex=False).ravel()
    By = as_array(op.rmatvec(y), "op.rmatvec(y)", allow_complex=False).ravel()
    if Ax.shape != (m,) or By.shape != (n,):
        raise ValueError(f"op.matvec must return {m} and op.rmatvec {n} values, got {Ax.size} and {By.size}")
    a, Ax1 = _scaled(Ax)  # Ax = a * Ax1, max |Ax1| = 1
    b, By1 = _scaled(By)
    top = max(a, b)
    if top == 0.0:
        return 0.0
    a, b = a / top, b / top  # one of them is 1; the other may underflow to 0 only if it is negligible
    num = abs(a * (Ax1 @ y) - b * (x @ By1))  # x, y are standard normal: no scaling needed
    den = max(a * np.linalg.norm(Ax1) * np.linalg.norm(y), b * np.linalg.norm(x) * np.linalg.norm(By1))
    return float(num / den)


def laplacian_kernel(h=1.0):
    r"""The second-difference kernel :math:`[1, -2, 1]/h^2`.

    Parameters
    ----------
    h : float, default 1.0
        Grid spacing, :math:`2^{-511} \le h \le 2^{511}` (about
        :math:`1.5 \times 10^{-154}` to :math:`6.7 \times 10^{153}`): outside,
        :math:`2/h^2` overflows or :math:`1/h^2` is no longer a normal float64.

    Returns
    -------
    numpy.ndarray, shape (3,)

    Notes
    -----
    By Taylor's theorem,
    :math:`(u(t+h) - 2u(t) + u(t-h))/h^2 = u''(t) + \tfrac{h^2}{12} u^{(4)}(t) + O(h^4)`,
    so ``convolve(laplacian_kernel(h), u, "valid")`` approximates :math:`u''` at
    the interior grid points with error :math:`O(h^2)`. The kernel is
    symmetric, so convolution and cross-correlation with it agree.

    Examples
    --------
    >>> laplacian_kernel(0.5)
    array([ 4., -8.,  4.])
    """
    h = as_float(h, "h", minimum=0.0, strict_min=True)
    if not 2.0 ** -511 <= h <= 2.0 ** 511:
        raise ValueError(f"h must be between 2**-511 (about 1.5e-154) and 2**511 (about 6.7e153) so that "
                         f"[1, -2, 1]/h**2 is made of normal float64 numbers, got {h!r}")
    return np.array([1.0, -2.0, 1.0]) / (h * h)
