r"""Weight initialization schemes.

Each function returns a weight matrix :math:`\mathbf{W}^l` of shape
``(n_out, n_in)`` (the book's convention :math:`\mathbf{W}^l \in \mathbb{R}^{n_l \times n_{l-1}}`)
with independent zero-mean entries, drawn from an explicit ``rng``.

The three schemes:

- ``xavier_normal``: :math:`w \sim \mathcal{N}(0, \sigma^2)` with :math:`\sigma^2 = 2/(n_{in} + n_{out})`;
- ``xavier_uniform``: :math:`w \sim \mathcal{U}(-a, a)` with :math:`a^2/3 = 2/(n_{in} + n_{out})`;
- ``he_normal``: :math:`w \sim \mathcal{N}(0, \sigma^2)` with :math:`\sigma^2 = 2/n_{in}`.
"""
from __future__ import annotations

import numpy as np

from ._validation import as_int, as_rng

__all__ = ["xavier_normal", "xavier_uniform", "he_normal"]


def _sizes(n_out, n_in, rng):
    return as_int(n_out, "n_out", minimum=1), as_int(n_in, "n_in", minimum=1), as_rng(rng)


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

    Raises
    ------
    TypeError, ValueError
        For non-integer or non-positive sizes, or an ``rng`` that is not a Generator.

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
    n_out, n_in, rng = _sizes(n_out, n_in, rng)
    return np.sqrt(2.0 / (n_in + n_out)) * rng.standard_normal((n_out, n_in))


def xavier_uniform(n_out, n_in, rng):
    r"""Glorot/Xavier uniform initialization, :math:`w \sim \mathcal{U}(-a, a)`, :math:`a = \sqrt{6/(n_{in}+n_{out})}`.

    Parameters
    ----------
    n_out : int
        Units of the layer, :math:`n_l \ge 1`.
    n_in : int
        Units of the previous layer, :math:`n_{l-1} \ge 1`.
    rng : numpy.random.Generator
        The only source of randomness.

    Returns
    -------
    numpy.ndarray, shape (n_out, n_in)

    Raises
    ------
    TypeError, ValueError
        For non-integer or non-positive sizes, or an ``rng`` that is not a Generator.

    Notes
    -----
    The variance of :math:`\mathcal{U}(-a, a)` is :math:`a^2/3 = 2/(n_{in}+n_{out})`,
    the same as :func:`xavier_normal`.

    Examples
    --------
    >>> import numpy as np
    >>> W = xavier_uniform(4, 2, np.random.default_rng(0))
    >>> bool(np.all(np.abs(W) <= 1.0))
    True
    """
    n_out, n_in, rng = _sizes(n_out, n_in, rng)
    a = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-a, a, size=(n_out, n_in))


def he_normal(n_out, n_in, rng):
    r"""He (Kaiming) normal initialization for ReLU layers, :math:`w \sim \mathcal{N}(0, 2/n_{in})`.

    Parameters
    ----------
    n_out : int
        Units of the layer, :math:`n_l \ge 1`.
    n_in : int
        Units of the previous layer, :math:`n_{l-1} \ge 1`.
    rng : numpy.random.Generator
        The only source of randomness.

    Returns
    -------
    numpy.ndarray, shape (n_out, n_in)

    Raises
    ------
    TypeError, ValueError
        For non-integer or non-positive sizes, or an ``rng`` that is not a Generator.

    Notes
    -----
    A ReLU keeps half of a symmetric input's second moment,
    :math:`\mathbb{E}[\operatorname{relu}(z)^2] = \operatorname{Var}(z)/2`, so
    :math:`\operatorname{Var}(z^{l}) = n_{in}\operatorname{Var}(w)\operatorname{Var}(z^{l-1})/2`;
    :math:`\operatorname{Var}(w) = 2/n_{in}` keeps it constant from layer to layer (He et al., 2015).

    Examples
    --------
    >>> import numpy as np
    >>> he_normal(2, 3, np.random.default_rng(0)).shape
    (2, 3)
    """
    n_out, n_in, rng = _sizes(n_out, n_in, rng)
    return np.sqrt(2.0 / n_in) * rng.standard_normal((n_out, n_in))
