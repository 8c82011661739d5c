r"""Discrete convolution, cross-correlation and their adjoints.

Conventions (see the notation page and chapter 9):

- convolution :math:`(f * g)[n] = \sum_m f[m]\, g[n - m]`;
- cross-correlation :math:`(f \star g)[n] = \sum_m f[m]\, g[n + m]`.

In 1-D the first argument is the kernel :math:`f` (length :math:`M`) and the
second the signal :math:`g` (length :math:`N`). :func:`convolve` equals
``numpy.convolve(f, g, mode)`` and :func:`correlate` equals
``numpy.correlate(g, f, mode)`` (note the order; for complex input numpy also
conjugates ``f``, this module never conjugates). The adjoint of
:math:`\mathbf{x} \mapsto f * \mathbf{x}` ("full") is
:math:`\mathbf{y} \mapsto f \star \mathbf{y}` ("valid").

In 2-D the image comes first and the kernel second, as in a CNN layer, and
:func:`convolve2d`/:func:`correlate2d` equal ``scipy.signal.convolve2d`` /
``scipy.signal.correlate2d`` with zero fill.

The boundary modes keep a part of the full result: ``"full"`` every output
that touches the signal (length :math:`N + M - 1`), ``"same"`` the central
:math:`N` entries, ``"valid"`` only the :math:`N - M + 1` entries where the
kernel lies entirely inside the signal.
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


def convolve(f, g, mode="full"):
    r"""1-D discrete convolution :math:`(f * g)[n] = \sum_m f[m]\, g[n-m]`.

    Parameters
    ----------
    f : array_like, shape (M,)
        The kernel (real or complex).
    g : array_like, shape (N,)
        The signal (real or complex).
    mode : {"full", "same", "valid"}
        ``"full"``: length :math:`N + M - 1`; ``"same"``: the central :math:`N`
        entries; ``"valid"``: the :math:`N - M + 1` entries with the kernel
        inside the signal.

    Returns
    -------
    numpy.ndarray
        Equal to ``numpy.convolve(f, g, mode)``.

    Raises
    ------
    ValueError
        If ``f`` or ``g`` is not 1-D, or the kernel is longer than the signal in
        mode ``"same"`` or ``"valid"``.
    TypeError
        If an input is not numeric or ``mode`` is not a string.

    Notes
    -----
    The full result at index :math:`n = 0, \dots, N + M - 2` is
    :math:`\sum_m f[m]\, g[n - m]` with :math:`g` extended by zeros; it is
    computed as the cross-correlation of the reversed kernel,
    :math:`f * g = \tilde f \star g` shifted by :math:`M - 1`, where
    :math:`\tilde f[m] = f[M - 1 - m]`.

    Examples
    --------
    >>> convolve([1.0, 1.0], [1.0, 2.0, 3.0])
    array([1., 3., 5., 3.])
    >>> convolve([1.0, -2.0, 1.0], [0.0, 1.0, 4.0, 9.0, 16.0], mode="valid")
    array([2., 2., 2.])
    """
    f, g, mode = _check_1d(f, g, mode)
    full = _correlate_full_1d(f[::-1], g)  # (N + M - 1,)
    return _keep(full, f.shape[0], g.shape[0], mode)


def correlate(f, g, mode="full"):
    r"""1-D cross-correlation :math:`(f \star g)[n] = \sum_m f[m]\, g[n+m]`.

    Parameters
    ----------
    f : array_like, shape (M,)
        The kernel (real or complex; never conjugated).
    g : array_like, shape (N,)
        The signal.
    mode : {"full", "same", "valid"}
        ``"full"``: the lags :math:`n = -(M-1), \dots, N-1`; ``"valid"``: the lags
        :math:`n = 0, \dots, N - M`; ``"same"``: the central :math:`N` lags
        (numpy's centring).

    Returns
    -------
    numpy.ndarray
        Equal to ``numpy.correlate(g, f, mode)`` for real input (numpy
        conjugates its second argument, this function does not).

    Raises
    ------
    ValueError
        If ``f`` or ``g`` is not 1-D, or the kernel is longer than the signal in
        mode ``"same"`` or ``"valid"``.
    TypeError
        If an input is not numeric or ``mode`` is not a string.

    Notes
    -----
    Cross-correlation is convolution with the reversed kernel. It is the
    adjoint of convolution: for real :math:`f`,
    :math:`\langle f * \mathbf{x}, \mathbf{y}\rangle = \langle \mathbf{x}, f \star \mathbf{y}\rangle`
    with ``"full"`` convolution paired with ``"valid"`` correlation and
    ``"valid"`` convolution with ``"full"`` correlation.

    Examples
    --------
    >>> correlate([1.0, 2.0], [1.0, 0.0, 0.0], mode="valid")
    array([1., 0.])
    >>> correlate([1.0, 2.0], [1.0, 0.0, 0.0])
    array([2., 1., 0., 0.])
    """
    f, g, mode = _check_1d(f, g, mode)
    full = _correlate_full_1d(f, g)  # (N + M - 1,), lags -(M-1) ... N-1
    return _keep(full, f.shape[0], g.shape[0], mode)


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
    r"""2-D convolution of an image with a kernel.

    Parameters
    ----------
    x : array_like, shape (H, W)
        The image (first, as in a CNN layer).
    k : array_like, shape (kh, kw)
        The kernel.
    mode : {"valid", "same", "full"}
        Output shape ``(H - kh + 1, W - kw + 1)``, ``(H, W)`` or
        ``(H + kh - 1, W + kw - 1)``.

    Returns
    -------
    numpy.ndarray
        :math:`y[i, j] = \sum_{a, b} k[a, b]\, x[i - a, j - b]` (indices of the
        full result, zero outside the image); equal to
        ``scipy.signal.convolve2d(x, k, mode)``.

    Raises
    ------
    ValueError
        If an input is not 2-D, empty or not finite, or the kernel does not fit
        inside the image in mode ``"valid"``.
    TypeError
        If an input is not numeric or ``mode`` is not a string.

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
        The image.
    k : array_like, shape (kh, kw)
        The kernel (never conjugated).
    mode : {"valid", "same", "full"}
        As in :func:`convolve2d`.

    Returns
    -------
    numpy.ndarray
        In mode ``"valid"``, :math:`y[i, j] = \sum_{a, b} k[a, b]\, x[i + a, j + b]`;
        equal to ``scipy.signal.correlate2d(x, k, mode)`` for real input.

    Raises
    ------
    ValueError
        If an input is not 2-D, empty or not finite, or the kernel does not fit
        inside the image in mode ``"valid"``.
    TypeError
        If an input is not numeric or ``mode`` is not a string.

    Notes
    -----
    ``correlate2d(x, k)`` equals ``convolve2d(x, k[::-1, ::-1])`` in modes
    "valid" and "full"; in mode "same" scipy centres the two differently for
    even kernel sizes (offset :math:`\lfloor m/2 \rfloor` here against
    :math:`\lfloor (m-1)/2 \rfloor` for the convolution), and this function
    follows scipy.

    Examples
    --------
    >>> correlate2d([[1.0, 2.0, 3.0]], [[1.0, -1.0]])
    array([[-1., -1.]])
    """
    x, k, mode = _check_2d(x, k, mode)
    return _correlate2d(x, k, mode, lambda m: m // 2)


class ConvolutionOperator:
    r"""The linear map :math:`\mathbf{x} \mapsto` ``convolve(kernel, x, mode)`` as an operator.

    Parameters
    ----------
    kernel : array_like, shape (M,)
        Real kernel :math:`f`.
    n : int
        Length :math:`n` of the input :math:`\mathbf{x}`; at least :math:`M` in
        modes "same" and "valid".
    mode : {"full", "same", "valid"}

    Attributes
    ----------
    shape : tuple of int
        ``(m, n)`` with :math:`m = n + M - 1`, :math:`n` or :math:`n - M + 1`.
    kernel : numpy.ndarray
    n : int
    mode : str

    Raises
    ------
    ValueError
        If the kernel is not 1-D, ``n`` is too small for the mode, or the mode is unknown.
    TypeError
        If the kernel is complex or not numeric, or ``n`` is not an integer.

    Notes
    -----
    Every mode keeps a window of :math:`m` consecutive rows, starting at row
    :math:`s`, of the full Toeplitz matrix :math:`T_{ij} = f[i - j]` (zero
    outside :math:`0 \le i - j < M`): :math:`\mathbf{A} = \mathbf{S}\mathbf{T}`
    with :math:`\mathbf{S}` the row selection. The adjoint is therefore
    :math:`\mathbf{A}^\top \mathbf{y} = \mathbf{T}^\top \mathbf{S}^\top \mathbf{y}`:
    put :math:`\mathbf{y}` back at rows :math:`s, \dots, s + m - 1` of a zero
    vector of length :math:`n + M - 1`, then cross-correlate with :math:`f` in
    mode "valid" (:math:`\mathbf{T}^\top` is the "valid" cross-correlation).
    For "full" this is ``correlate(f, y, "valid")``, for "valid" it is
    ``correlate(f, y, "full")``.

    Examples
    --------
    >>> op = ConvolutionOperator([1.0, 2.0], 3)
    >>> op.shape
    (4, 3)
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
        self.n = as_int(n, "n", minimum=1)
        self.mode = as_choice(mode, "mode", MODES)
        M = self.kernel.shape[0]
        if self.mode != "full" and self.n < M:
            raise ValueError(f"in mode {self.mode!r} the input length n must be at least the kernel "
                             f"length {M}, got n = {self.n}")
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
        r"""Apply the operator: ``convolve(kernel, x, mode)``.

        Parameters
        ----------
        x : array_like, shape (n,)

        Returns
        -------
        numpy.ndarray, shape (m,)

        Raises
        ------
        ValueError
            If ``x`` is not 1-D of length n or not finite.
        TypeError
            If ``x`` is not numeric.
        """
        x = self._vector(x, "x", self.n)
        return convolve(self.kernel, x, self.mode)

    def rmatvec(self, y):
        r"""Apply the adjoint (transpose) :math:`\mathbf{A}^\top \mathbf{y}`.

        Parameters
        ----------
        y : array_like, shape (m,)

        Returns
        -------
        numpy.ndarray, shape (n,)
            A cross-correlation of the kernel with ``y`` embedded in the full
            output grid (see the class Notes).

        Raises
        ------
        ValueError
            If ``y`` is not 1-D of length m or not finite.
        TypeError
            If ``y`` is not numeric.
        """
        y = self._vector(y, "y", self.shape[0])
        full = np.zeros(self.n + self.kernel.shape[0] - 1, dtype=y.dtype)  # (n + M - 1,)
        full[self._start:self._start + y.shape[0]] = y
        return correlate(self.kernel, full, "valid")

    def to_dense(self):
        r"""The matrix of the operator.

        Returns
        -------
        numpy.ndarray, shape (m, n)
            Rows :math:`s, \dots, s + m - 1` of the Toeplitz matrix
            :math:`T_{ij} = f[i - j]`; equal to
            ``scipy.linalg.convolution_matrix(kernel, n, mode)``.
        """
        M = self.kernel.shape[0]
        i = np.arange(self.n + M - 1)[:, None]   # (n + M - 1, 1)
        j = np.arange(self.n)[None, :]           # (1, n)
        lag = i - j
        inside = (lag >= 0) & (lag < M)
        T = np.where(inside, self.kernel[np.clip(lag, 0, M - 1)], 0.0)  # (n + M - 1, n)
        return T[self._start:self._start + self.shape[0]]


def dot_test(op, rng):
    r"""The dot-product (adjoint) test of a linear operator.

    Parameters
    ----------
    op : object
        Anything with ``shape = (m, n)``, ``matvec`` and ``rmatvec``, such as
        a :class:`ConvolutionOperator`.
    rng : numpy.random.Generator
        Source of the random vectors :math:`\mathbf{x} \in \mathbb{R}^n`,
        :math:`\mathbf{y} \in \mathbb{R}^m` (standard normal).

    Returns
    -------
    float
        The relative discrepancy
        :math:`|\langle \mathbf{A}\mathbf{x}, \mathbf{y}\rangle - \langle \mathbf{x}, \mathbf{A}^\top\mathbf{y}\rangle|
        / \max(\|\mathbf{A}\mathbf{x}\|\,\|\mathbf{y}\|, \|\mathbf{x}\|\,\|\mathbf{A}^\top\mathbf{y}\|)`,
        a few machine epsilons when ``rmatvec`` is the adjoint of ``matvec``.

    Raises
    ------
    TypeError
        If ``op`` lacks ``shape``, ``matvec`` or ``rmatvec``, ``rng`` is not a
        Generator, or ``matvec``/``rmatvec`` return complex or non-numeric values
        (the test is for real operators).
    ValueError
        If ``op.shape`` is not two positive integers, or ``matvec``/``rmatvec``
        return vectors of the wrong length or non-finite values.

    Notes
    -----
    The denominator bounds both inner products by the Cauchy-Schwarz
    inequality, so the ratio stays meaningful when
    :math:`\langle \mathbf{A}\mathbf{x}, \mathbf{y}\rangle` happens to be
    close to zero. Returns 0 when both norms products vanish.

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
    m = as_int(shape[0], "op.shape[0]", minimum=1)
    n = as_int(shape[1], "op.shape[1]", minimum=1)
    x = rng.standard_normal(n)  # (n,)
    y = rng.standard_normal(m)  # (m,)
    Ax = as_array(op.matvec(x), "op.matvec(x)", allow_complex=False).ravel()
    ATy = as_array(op.rmatvec(y), "op.rmatvec(y)", allow_complex=False).ravel()
    if Ax.shape != (m,) or ATy.shape != (n,):
        raise ValueError(f"op.matvec must return {m} and op.rmatvec {n} values, got {Ax.size} and {ATy.size}")
    scale = max(np.linalg.norm(Ax) * np.linalg.norm(y), np.linalg.norm(x) * np.linalg.norm(ATy))
    if scale == 0.0:
        return 0.0
    return float(abs(Ax @ y - x @ ATy) / scale)


def laplacian_kernel(h=1.0):
    r"""The second-difference kernel :math:`[1, -2, 1]/h^2`.

    Parameters
    ----------
    h : float, default 1.0
        Grid spacing, positive.

    Returns
    -------
    numpy.ndarray, shape (3,)

    Raises
    ------
    TypeError
        If ``h`` is not a real number.
    ValueError
        If ``h`` is not positive and finite, or so small that :math:`1/h^2`
        overflows float64 (:math:`h \lesssim 1.5 \times 10^{-154}`).

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
    with np.errstate(over="ignore", divide="ignore", under="ignore"):
        kernel = np.array([1.0, -2.0, 1.0]) / h**2
    if not np.all(np.isfinite(kernel)):
        raise ValueError(f"h must be at least about 1.5e-154 so that 1/h**2 is a finite float64, got {h!r}")
    return kernel
