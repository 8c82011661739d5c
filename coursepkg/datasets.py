"""Small data sets for the chapters: XOR, the 8x8 digits, and toy problems.

Nothing here touches the network: the digits come from the copy bundled
with scikit-learn (imported only when :func:`load_digits` is called).

Bad input: ``TypeError`` for an argument of the wrong kind (``X`` not a real numeric
array, ``rng`` not a ``numpy.random.Generator``, a size that is not an integer) and
``ValueError`` for a wrong value (``X`` not 2-D or not finite, labels that are not one
integer >= 0 per row or a ragged list, ``test_size`` outside (0, 1), a class too small
to split); the message names the argument. Arguments are checked before anything
is imported or computed.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import as_array, as_float, as_int, as_labels_any, as_rng

__all__ = ["xor", "load_digits", "stratified_split", "Split", "two_gaussians"]


class Split(NamedTuple):
    """A train/test split: ``X_train`` (N_train, d), ``y_train`` (N_train,), ``X_test``, ``y_test``."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def xor():
    r"""The four points of the XOR problem.

    Returns
    -------
    X : numpy.ndarray, shape (4, 2)
        The corners of the unit square, ``[[0, 0], [0, 1], [1, 0], [1, 1]]``.
    y : numpy.ndarray of int64, shape (4,)
        :math:`y = x_1 \oplus x_2`: ``[0, 1, 1, 0]``.

    Examples
    --------
    >>> X, y = xor()
    >>> y.tolist()
    [0, 1, 1, 0]
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0], dtype=np.int64)
    return X, y


def _test_size(test_size) -> float:
    return as_float(test_size, "test_size", minimum=0.0, maximum=1.0, strict_min=True, strict_max=True)


def stratified_split(X, y, test_size=0.25, rng=None) -> Split:
    """Split ``(X, y)`` at random so that every class keeps its proportion.

    Parameters
    ----------
    X : array_like, shape (N, d)
    y : array_like of int, shape (N,)
        Class labels in [0, K).
    test_size : float, default 0.25
        Fraction of each class put in the test set, in (0, 1).
    rng : numpy.random.Generator, optional
        Source of the shuffle; ``np.random.default_rng(0)`` if omitted.

    Returns
    -------
    Split
        Rows of the two parts keep their original order (sorted indices); ``X_*``
        are float64 (integer input is cast).


    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.arange(16).reshape(8, 2), np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> s = stratified_split(X, y, test_size=0.5, rng=np.random.default_rng(0))
    >>> s.X_train.shape, s.X_test.dtype, np.bincount(s.y_test).tolist()
    ((4, 2), dtype('float64'), [2, 2])
    """
    X = as_array(X, "X", ndim=2, allow_complex=False)  # (N, d) float64, finite
    y = as_labels_any(y, "y", n_samples=X.shape[0])
    if y.min() < 0:
        raise ValueError(f"y must hold class labels >= 0, got values from {y.min()} to {y.max()}")
    test_size = _test_size(test_size)
    rng = np.random.default_rng(0) if rng is None else as_rng(rng)
    test = []
    for k in np.unique(y):
        idx = np.flatnonzero(y == k)
        n_test = int(round(test_size * idx.size))
        if n_test == 0 or n_test == idx.size:
            raise ValueError(f"class {k} has {idx.size} samples, too few for test_size={test_size}")
        test.append(rng.permutation(idx)[:n_test])
    test_idx = np.sort(np.concatenate(test))
    train_mask = np.ones(y.size, dtype=bool)
    train_mask[test_idx] = False
    return Split(X[train_mask], y[train_mask], X[test_idx], y[test_idx])


def load_digits(test_size=0.25, seed=0) -> Split:
    """The 1,797 handwritten 8x8 digits, scaled to [0, 1] and split.

    Parameters
    ----------
    test_size : float, default 0.25
        Fraction of each class held out for testing.
    seed : int, default 0
        Seed of the stratified shuffle.

    Returns
    -------
    Split
        ``X_*`` of shape (N, 64) with pixel intensities divided by 16, and
        ``y_*`` integer labels 0..9. With the defaults, 1,347 training and 450
        test samples.


    Notes
    -----
    The data are the UCI optical digits as bundled with scikit-learn
    (``sklearn.datasets.load_digits``); no download is made. scikit-learn is
    imported only here (``ImportError`` with install instructions if it is missing).
    """
    seed = as_int(seed, "seed", minimum=0)
    _test_size(test_size)  # checked before scikit-learn is imported
    try:
        from sklearn.datasets import load_digits as _sk_load_digits
    except ImportError as exc:  # pragma: no cover - exercised only without scikit-learn
        raise ImportError("coursepkg.datasets.load_digits needs scikit-learn: "
                          "pip install 'coursepkg[book]' or pip install scikit-learn") from exc
    data = _sk_load_digits()
    X = data.data.astype(np.float64) / 16.0  # (1797, 64), values in [0, 1]
    y = data.target.astype(np.int64)         # (1797,)
    return stratified_split(X, y, test_size=test_size, rng=np.random.default_rng(seed))


def two_gaussians(n, rng, distance=2.0):
    r"""Two isotropic Gaussian classes in the plane.

    Parameters
    ----------
    n : int
        Samples per class.
    rng : numpy.random.Generator
    distance : float, default 2.0
        Distance between the class means :math:`(\pm d/2, 0)`; unit variance.

    Returns
    -------
    X : numpy.ndarray, shape (2n, 2)
    y : numpy.ndarray of int64, shape (2n,)
        ``n`` zeros followed by ``n`` ones.


    Examples
    --------
    >>> import numpy as np
    >>> X, y = two_gaussians(3, np.random.default_rng(0))
    >>> X.shape, y.tolist()
    ((6, 2), [0, 0, 0, 1, 1, 1])
    """
    n = as_int(n, "n", minimum=1)
    rng = as_rng(rng)
    distance = as_float(distance, "distance", minimum=0.0)
    means = np.array([[-distance / 2, 0.0], [distance / 2, 0.0]])
    X = np.concatenate([means[k] + rng.standard_normal((n, 2)) for k in (0, 1)])
    y = np.repeat(np.array([0, 1], dtype=np.int64), n)
    return X, y
