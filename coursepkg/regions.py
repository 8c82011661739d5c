r"""The geometry of ReLU networks: activation patterns, linear regions, local affine maps.

A fully connected network with ReLU hidden layers and an identity output,

.. math:: \mathbf{a}^l = \max(\mathbf{W}^l\mathbf{a}^{l-1} + \mathbf{b}^l, 0),\ l < L,\qquad
          \hat{\mathbf{y}} = \mathbf{W}^L\mathbf{a}^{L-1} + \mathbf{b}^L,

can be rewritten with the diagonal 0/1 matrices
:math:`\mathbf{B}^l(\mathbf{x}) = \operatorname{diag}(\mathbf{1}[\mathbf{z}^l > 0])` as
:math:`\mathbf{a}^l = \mathbf{B}^l(\mathbf{x})\,\mathbf{z}^l`. The activation pattern
:math:`(\mathbf{B}^1(\mathbf{x}), \dots, \mathbf{B}^{L-1}(\mathbf{x}))` is piecewise constant
in :math:`\mathbf{x}`, and wherever it is constant the network is one affine map
:math:`\mathbf{x} \mapsto \mathbf{A}\mathbf{x} + \mathbf{c}`.

The network is given as a params dict ``{"W1", "b1", ..., "WL", "bL"}`` of
:mod:`coursepkg.mlp` (``W{l}`` of shape (n_l, n_{l-1})), e.g. ``MLP(..., hidden="relu",
output="identity").params``.

Bad input: each public function checks ``params`` (a dict of finite real arrays that
chain as a fully connected network) and its inputs once, and raises ``TypeError``
(wrong kind) or ``ValueError`` (wrong shape or value) naming the argument.
"""
from __future__ import annotations

import numpy as np

from ._validation import as_array, as_network_inputs, as_network_params

__all__ = ["activation_pattern", "local_affine_map", "count_regions", "region_ids"]


def _inputs(params, X, name="X"):
    """Check a real params dict and a batch of inputs once; return (L, arrays, X)."""
    params = as_network_params(params, allow_complex=False)
    X = as_network_inputs(X, params["W1"].shape[1], name, allow_complex=False)
    return len(params) // 2, params, X


def activation_pattern(params, X, concatenate: bool = True):
    r"""Which hidden ReLU units are active (:math:`z > 0`) at each input.

    Parameters
    ----------
    params : dict of array_like
        ``W1, b1, ..., WL, bL``; layers 1..L-1 are ReLU layers.
    X : array_like, shape (N, n_0)
    concatenate : bool, default True
        Return one array for all hidden layers, or one array per layer.

    Returns
    -------
    numpy.ndarray of bool, shape (N, n_1 + ... + n_{L-1}), or list of arrays of shape (N, n_l)
        Entry :math:`(i, j)` of layer :math:`l` is :math:`z^l_j(\mathbf{x}_i) > 0`, the
        diagonal of :math:`\mathbf{B}^l(\mathbf{x}_i)`. A network without hidden layer
        (L = 1) has an empty pattern of shape (N, 0).

    Notes
    -----
    :math:`\operatorname{ReLU}(z) = \mathbf{1}[z > 0]\, z`, so the matrix that turns
    :math:`\mathbf{z}^l` into :math:`\mathbf{a}^l` is the 0/1 indicator
    :math:`\operatorname{diag}(\mathbf{1}[\mathbf{z}^l > 0])`, not
    :math:`\operatorname{diag}(\operatorname{sign}(\mathbf{z}^l))` (which would give
    :math:`-z` for an inactive unit). A unit with :math:`z = 0` is counted inactive;
    both choices give the same output there, since the network is continuous.

    Examples
    --------
    >>> import numpy as np
    >>> params = {"W1": np.array([[1.0], [-1.0]]), "b1": np.zeros(2),
    ...           "W2": np.array([[1.0, 1.0]]), "b2": np.zeros(1)}
    >>> activation_pattern(params, np.array([[-2.0], [3.0]]))
    array([[False,  True],
           [ True, False]])
    """
    L, params, X = _inputs(params, X)
    if not isinstance(concatenate, (bool, np.bool_)):
        raise TypeError(f"concatenate must be True or False, got {type(concatenate).__name__}")
    return _activation_pattern(L, params, X, concatenate)


def _activation_pattern(L, params, X, concatenate):
    A, patterns = X, []
    for l in range(1, L):
        Z = A @ params[f"W{l}"].T + params[f"b{l}"]
        on = Z > 0  # (N, n_l)
        patterns.append(on)
        A = np.where(on, Z, 0.0)  # (N, n_l)
    if not concatenate:
        return patterns
    return np.concatenate(patterns, axis=1) if patterns else np.zeros((X.shape[0], 0), dtype=bool)


def local_affine_map(params, x):
    r"""The affine map :math:`(\mathbf{A}, \mathbf{c})` the network computes on the region of ``x``.

    Parameters
    ----------
    params : dict of array_like
        ``W1, b1, ..., WL, bL`` (ReLU hidden layers, identity output).
    x : array_like, shape (n_0,)
        One input.

    Returns
    -------
    A : numpy.ndarray, shape (n_L, n_0)
    c : numpy.ndarray, shape (n_L,)
        For every :math:`\mathbf{x}'` with the same activation pattern as ``x``,
        the network's output is :math:`\mathbf{A}\mathbf{x}' + \mathbf{c}`.

    Notes
    -----
    With :math:`\mathbf{B}^l = \operatorname{diag}(\mathbf{1}[\mathbf{z}^l(\mathbf{x}) > 0])`,

    .. math::

        \mathbf{A} = \mathbf{W}^L \mathbf{B}^{L-1} \mathbf{W}^{L-1} \cdots \mathbf{B}^1 \mathbf{W}^1,
        \qquad
        \mathbf{c} = \mathbf{b}^L + \sum_{l=1}^{L-1} \mathbf{W}^L \mathbf{B}^{L-1} \cdots
        \mathbf{W}^{l+1} \mathbf{B}^l \mathbf{b}^l,

    built layer by layer: :math:`(\mathbf{A}, \mathbf{c}) \leftarrow
    (\mathbf{W}^{l}\mathbf{B}^{l-1}\mathbf{A},\ \mathbf{W}^{l}\mathbf{B}^{l-1}\mathbf{c} + \mathbf{b}^{l})`.
    :math:`\mathbf{A}` is the Jacobian of the network inside the region.

    Examples
    --------
    >>> import numpy as np
    >>> params = {"W1": np.array([[1.0], [-1.0]]), "b1": np.zeros(2),
    ...           "W2": np.array([[1.0, 1.0]]), "b2": np.zeros(1)}
    >>> local_affine_map(params, np.array([-2.0]))   # |x| = -x for x < 0
    (array([[-1.]]), array([0.]))
    """
    x = as_array(x, "x", ndim=1, allow_complex=False)
    L, params, X = _inputs(params, x[None, :], name="x")
    patterns = _activation_pattern(L, params, X, concatenate=False)
    A = params["W1"]  # (n_1, n_0)
    c = params["b1"]  # (n_1,)
    for l in range(2, L + 1):
        on = patterns[l - 2][0]  # (n_{l-1},) the diagonal of B^{l-1}
        W = params[f"W{l}"]
        A = W @ (on[:, None] * A)  # (n_l, n_0)
        c = W @ (on * c) + params[f"b{l}"]  # (n_l,)
    if L == 1:  # no hidden layer: (W1, b1) themselves, copied so the caller's params are never aliased
        A, c = A.copy(), c.copy()
    return A, c


def region_ids(params, X):
    r"""Label each input by its linear region (its activation pattern).

    Parameters
    ----------
    params : dict of array_like
    X : array_like, shape (N, n_0)

    Returns
    -------
    ids : numpy.ndarray of int, shape (N,)
        Inputs with the same pattern share an id; ids are 0, 1, ... in the
        lexicographic order of the patterns.
    n_regions : int
        The number of distinct patterns met, ``ids.max() + 1``.

    Examples
    --------
    >>> import numpy as np
    >>> params = {"W1": np.array([[1.0], [-1.0]]), "b1": np.zeros(2),
    ...           "W2": np.array([[1.0, 1.0]]), "b2": np.zeros(1)}
    >>> region_ids(params, np.array([[-2.0], [-1.0], [3.0]]))
    (array([0, 0, 1]), 2)
    """
    P = activation_pattern(params, X)
    if P.shape[1] == 0:
        return np.zeros(P.shape[0], dtype=np.int64), 1
    # pack each row into bytes (first unit = most significant bit): comparing the
    # bytes compares the rows lexicographically, and a 1-D sort is much faster
    # than np.unique(P, axis=0)
    packed = np.ascontiguousarray(np.packbits(P, axis=1))  # (N, ceil(n / 8))
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).reshape(-1)  # (N,)
    _, ids = np.unique(keys, return_inverse=True)
    ids = np.asarray(ids, dtype=np.int64).reshape(-1)
    return ids, int(ids.max()) + 1


def count_regions(params, X):
    r"""Number of distinct activation patterns (linear regions) met by the inputs ``X``.

    Parameters
    ----------
    params : dict of array_like
    X : array_like, shape (N, n_0)
        Points of a grid, or points along a line.

    Returns
    -------
    int
        The number of distinct activation patterns among the rows of ``X``: a
        lower bound on the number of regions of the network (a region that no
        point falls in is not counted).

    Notes
    -----
    Once the pattern is fixed every :math:`\mathbf{z}^l` is an affine function of
    :math:`\mathbf{x}`, so the set of inputs with a given pattern is an
    intersection of half-spaces, a convex polyhedron: a line crosses it in one
    interval at most. Two neighbouring patterns may happen to give the same
    affine map (e.g. a unit whose outgoing weights are zero); they are still
    counted as two regions.

    Examples
    --------
    >>> import numpy as np
    >>> params = {"W1": np.array([[1.0], [-1.0], [1.0]]), "b1": np.array([0.0, 0.0, -1.0]),
    ...           "W2": np.ones((1, 3)), "b2": np.zeros(1)}
    >>> count_regions(params, np.linspace(-3, 3, 60)[:, None])
    3
    """
    return region_ids(params, X)[1]
