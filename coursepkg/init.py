r"""Weight initialization schemes.

Each function returns a weight matrix :math:`\mathbf{W}^l` of shape
``(n_out, n_in)`` (the book's convention :math:`\mathbf{W}^l \in \mathbb{R}^{n_l \times n_{l-1}}`),
drawn from an explicit ``rng``:

- ``xavier_normal``: :math:`w \sim \mathcal{N}(0, \sigma^2)` with :math:`\sigma^2 = 2/(n_{in} + n_{out})`;
- ``xavier_uniform``: :math:`w \sim \mathcal{U}(-a, a)` with :math:`a^2/3 = 2/(n_{in} + n_{out})`;
- ``he_normal``: :math:`w \sim \mathcal{N}(0, \sigma^2)` with :math:`\sigma^2 = 2/n_{in}`;
- ``orthogonal``: orthonormal rows or columns times a gain (Saxe et al., 2013);
- ``sparse``: exactly ``k`` standard normal weights per unit, the rest zero (Martens, 2010).

Bad input (any public function): :class:`TypeError` for an object of the wrong
kind, :class:`ValueError` for a size out of range (at least 1, at most
:data:`MAX_ENTRIES` entries in all); the message names the argument, what was
expected and what was given. The private ``_``-prefixed functions compute
without checks, for callers that have checked already.
"""
from __future__ import annotations

import numpy as np

from ._validation import as_float, as_int, as_rng

__all__ = ["xavier_normal", "xavier_uniform", "he_normal", "orthogonal", "sparse", "MAX_ENTRIES"]

#: Largest weight matrix drawn, in entries (2**31 float64 numbers are 16 GiB).
MAX_ENTRIES = 2 ** 31


def _sizes(n_out, n_in, rng):
    n_out = as_int(n_out, "n_out", minimum=1, maximum=MAX_ENTRIES)
    n_in = as_int(n_in, "n_in", minimum=1, maximum=MAX_ENTRIES)
    if n_out * n_in > MAX_ENTRIES:
        raise ValueError(f"n_out * n_in must be at most {MAX_ENTRIES} entries, got {n_out} * {n_in} = {n_out * n_in}")
    return n_out, n_in, as_rng(rng)


def _xavier_normal(n_out, n_in, rng):
    return np.sqrt(2.0 / (n_in + n_out)) * rng.standard_normal((n_out, n_in))


def _xavier_uniform(n_out, n_in, rng):
    a = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-a, a, size=(n_out, n_in))


def _he_normal(n_out, n_in, rng):
    return np.sqrt(2.0 / n_in) * rng.standard_normal((n_out, n_in))


def xavier_normal(n_out, n_in, rng):
    r"""Glorot/Xavier normal initialization, :math:`w \sim \mathcal{N}(0, 2/(n_{in}+n_{out}))`.

    Parameters
    ----------
    n_out : int
        Units of the layer, :math:`n_l \ge 1`.
    n_in : int
        Units of the previous layer, :math:`n_{l-1} \ge 1`.
    rng : numpy.random.Generator

    Returns
    -------
    numpy.ndarray, shape (n_out, n_in)

    Notes
    -----
    :math:`\operatorname{Var}(z_j) = n_{in}\operatorname{Var}(w)\operatorname{Var}(x)` in the
    forward pass and :math:`n_{out}\operatorname{Var}(w)` scales the backward
    pass; :math:`\operatorname{Var}(w) = 2/(n_{in}+n_{out})` is the compromise
    between keeping both equal to one (Glorot & Bengio, 2010).

    Examples
    --------
    >>> import numpy as np
    >>> xavier_normal(3, 5, np.random.default_rng(0)).shape
    (3, 5)
    """
    return _xavier_normal(*_sizes(n_out, n_in, rng))


def xavier_uniform(n_out, n_in, rng):
    r"""Glorot/Xavier uniform initialization, :math:`w \sim \mathcal{U}(-a, a)`, :math:`a = \sqrt{6/(n_{in}+n_{out})}`.

    Parameters
    ----------
    n_out, n_in : int
        As in :func:`xavier_normal`.
    rng : numpy.random.Generator

    Returns
    -------
    numpy.ndarray, shape (n_out, n_in)
        Variance :math:`a^2/3 = 2/(n_{in}+n_{out})`, that of :func:`xavier_normal`.

    Examples
    --------
    >>> import numpy as np
    >>> bool(np.all(np.abs(xavier_uniform(4, 2, np.random.default_rng(0))) <= 1.0))
    True
    """
    return _xavier_uniform(*_sizes(n_out, n_in, rng))


def he_normal(n_out, n_in, rng):
    r"""He (Kaiming) normal initialization for ReLU layers, :math:`w \sim \mathcal{N}(0, 2/n_{in})`.

    Parameters
    ----------
    n_out, n_in : int
        As in :func:`xavier_normal`.
    rng : numpy.random.Generator

    Returns
    -------
    numpy.ndarray, shape (n_out, n_in)

    Notes
    -----
    A ReLU keeps half of a symmetric input's second moment,
    :math:`\mathbb{E}[\operatorname{relu}(z)^2] = \operatorname{Var}(z)/2`, so
    :math:`\operatorname{Var}(w) = 2/n_{in}` keeps :math:`\operatorname{Var}(z^l)`
    constant from layer to layer (He et al., 2015).

    Examples
    --------
    >>> import numpy as np
    >>> he_normal(2, 3, np.random.default_rng(0)).shape
    (2, 3)
    """
    return _he_normal(*_sizes(n_out, n_in, rng))


def _orthogonal(n_out, n_in, rng, gain):
    tall = n_out >= n_in
    A = rng.standard_normal((n_out, n_in) if tall else (n_in, n_out))  # (big, small)
    Q, R = np.linalg.qr(A)                                            # Q: (big, small), orthonormal columns
    signs = np.sign(np.diag(R))                                       # (small,)
    Q = Q * np.where(signs == 0, 1.0, signs)                          # R with a positive diagonal: Q is Haar
    return gain * (Q if tall else Q.T)


def orthogonal(n_out, n_in, rng, gain=1.0):
    r"""Orthogonal initialization: orthonormal columns (``n_out >= n_in``) or rows, times ``gain``.

    Parameters
    ----------
    n_out, n_in : int
        As in :func:`xavier_normal`.
    rng : numpy.random.Generator
    gain : float, default 1.0
        Every singular value of the result equals ``gain`` (> 0); for ReLU
        layers :math:`\sqrt 2` plays the role of He's factor.

    Returns
    -------
    numpy.ndarray, shape (n_out, n_in)
        :math:`\mathbf{W}^\top\mathbf{W} = g^2\mathbf{I}_{n_{in}}` when :math:`n_{out} \ge n_{in}`,
        :math:`\mathbf{W}\mathbf{W}^\top = g^2\mathbf{I}_{n_{out}}` otherwise.

    Notes
    -----
    The QR factorization :math:`\mathbf{A} = \mathbf{Q}\mathbf{R}` of a Gaussian
    matrix, with the signs of the columns of :math:`\mathbf{Q}` chosen so that
    :math:`\operatorname{diag}(\mathbf{R}) > 0`, gives a :math:`\mathbf{Q}` whose
    distribution is invariant under rotations (Haar); without the sign fix it
    depends on the QR routine's conventions (Mezzadri, 2007). In a deep linear network
    :math:`\mathbf{W}^L\cdots\mathbf{W}^1` with square orthogonal layers keeps every
    singular value of the input-output map at :math:`g^L` (Saxe et al., 2013).

    Examples
    --------
    >>> import numpy as np
    >>> W = orthogonal(5, 3, np.random.default_rng(0))
    >>> bool(np.allclose(W.T @ W, np.eye(3), rtol=0, atol=1e-12))
    True
    """
    n_out, n_in, rng = _sizes(n_out, n_in, rng)
    gain = as_float(gain, "gain", minimum=0.0, strict_min=True)
    return _orthogonal(n_out, n_in, rng, gain)


def _sparse(n_out, n_in, rng, k):
    cols = np.argsort(rng.random((n_out, n_in)), axis=1)[:, :k]     # (n_out, k): k distinct inputs per unit
    W = np.zeros((n_out, n_in))
    np.put_along_axis(W, cols, rng.standard_normal((n_out, k)), axis=1)
    return W


def sparse(n_out, n_in, rng, k=15):
    r"""Sparse initialization: each unit (row) receives exactly ``k`` non-zero weights, :math:`\mathcal{N}(0, 1)`.

    Parameters
    ----------
    n_out, n_in : int
        As in :func:`xavier_normal`.
    rng : numpy.random.Generator
    k : int, default 15
        Non-zero weights per row, :math:`1 \le k \le n_{in}`; their positions
        are a uniformly random k-subset of the inputs, drawn independently per row.

    Returns
    -------
    numpy.ndarray, shape (n_out, n_in)

    Notes
    -----
    Martens (2010): with a fixed number of inputs per unit the scale of
    :math:`z_j` does not shrink as :math:`n_{in}` grows (as it does under
    :math:`\operatorname{Var}(w) \propto 1/n_{in}`), while the units still differ,
    which breaks the symmetry; :math:`\operatorname{Var}(z_j) = k\,\operatorname{E}[x^2]`
    for inputs of second moment :math:`\operatorname{E}[x^2]`.

    Examples
    --------
    >>> import numpy as np
    >>> W = sparse(4, 30, np.random.default_rng(0), k=5)
    >>> np.count_nonzero(W, axis=1).tolist()
    [5, 5, 5, 5]
    """
    n_out, n_in, rng = _sizes(n_out, n_in, rng)
    k = as_int(k, "k", minimum=1, maximum=n_in)
    return _sparse(n_out, n_in, rng, k)
