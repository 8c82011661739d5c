"""Data sets: XOR, the digits split, toy sets."""
import numpy as np
import pytest

from coursepkg.datasets import load_digits, stratified_split, two_gaussians, xor


def test_xor():
    X, y = xor()
    assert X.dtype == np.float64 and y.dtype == np.int64
    # the values themselves: changing a point or a label fails
    np.testing.assert_array_equal(X, [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])
    np.testing.assert_array_equal(y, np.logical_xor(X[:, 0], X[:, 1]).astype(int))


def test_digits_split_is_stratified_scaled_and_seeded():
    d = load_digits()
    assert d.X_train.shape == (1347, 64) and d.X_test.shape == (450, 64)
    assert d.X_train.min() == 0.0 and d.X_train.max() == 1.0
    full = np.bincount(np.concatenate([d.y_train, d.y_test]))
    test = np.bincount(d.y_test, minlength=10)
    np.testing.assert_array_equal(test, np.round(0.25 * full).astype(int))
    again = load_digits()
    np.testing.assert_array_equal(again.X_test, d.X_test)
    other = load_digits(seed=1)
    assert not np.array_equal(other.y_test, d.y_test)
    # train and test are disjoint and together are the whole data set
    assert len(np.unique(np.concatenate([d.X_train, d.X_test]), axis=0)) == len(
        np.unique(np.concatenate([other.X_train, other.X_test]), axis=0))


X4, Y4 = np.zeros((4, 1)), np.array([0, 0, 1, 1])

# One table of bad input: (exception, message from its start, call).
BAD_INPUT = [
    (ValueError, r"test_size must be < 1.0, got 1.0", lambda: stratified_split(X4, Y4, test_size=1.0)),
    (ValueError, r"class 0 has 2 samples, too few for test_size=0.1", lambda: stratified_split(X4, Y4, test_size=0.1)),
    (ValueError, r"y must have one label per sample \(4\), got 3", lambda: stratified_split(X4, Y4[:3])),
    (ValueError, r"X must be 2-D, got an array of shape \(4,\)", lambda: stratified_split(np.zeros(4), Y4)),
    (ValueError, r"y must hold class labels >= 0, got values from -1 to 1", lambda: stratified_split(X4, [-1, 0, 1, 1])),
    (ValueError, r"y must be a 1-D array of integer labels, got a ragged list of length 4",
     lambda: stratified_split(X4, [[0], [0, 1], 1, 1])),
    (ValueError, r"X must be finite, got 1 NaN", lambda: stratified_split(np.array([[np.nan], [0.0], [1.0], [2.0]]), Y4, 0.5)),
    (TypeError, r"X must be an array of numbers", lambda: stratified_split([["a"], ["b"], ["c"], ["d"]], Y4, 0.5)),
    (TypeError, r"X must be real", lambda: stratified_split(np.ones((4, 1)) * 1j, Y4, 0.5)),
    (TypeError, r"X must be an array of numbers", lambda: stratified_split(None, Y4)),
    (TypeError, r"rng must be a numpy.random.Generator", lambda: stratified_split(X4, Y4, 0.5, rng=0)),
    (ValueError, r"seed must be an integer >= 0, got -1", lambda: load_digits(seed=-1)),
    (ValueError, r"test_size must be < 1.0, got 1.5", lambda: load_digits(test_size=1.5)),
    (TypeError, r"rng must be a numpy.random.Generator", lambda: two_gaussians(5, None)),
    (ValueError, r"n must be an integer >= 1, got 0", lambda: two_gaussians(0, np.random.default_rng(0))),
]


@pytest.mark.parametrize("exc, message, call", BAD_INPUT)
def test_bad_input(exc, message, call):
    with pytest.raises(exc, match="^" + message):
        call()


def test_load_digits_checks_test_size_before_importing_sklearn(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)  # importing it now raises ImportError
    with pytest.raises(ValueError, match=r"^test_size must be < 1.0, got 1.5"):
        load_digits(test_size=1.5)
    with pytest.raises(ImportError, match="load_digits needs scikit-learn"):
        load_digits()


def test_two_gaussians():
    X, y = two_gaussians(500, np.random.default_rng(0), distance=4.0)
    assert X.shape == (1000, 2) and np.bincount(y).tolist() == [500, 500]
    # class means within 5 standard errors (1/sqrt(500)) of (-2, 0) for class 0 and (+2, 0)
    # for class 1: the sign of each mean is checked (swapping the classes fails)
    se = 1 / np.sqrt(500)
    np.testing.assert_allclose(X[y == 0].mean(0), [-2.0, 0.0], rtol=0, atol=5 * se)
    np.testing.assert_allclose(X[y == 1].mean(0), [2.0, 0.0], rtol=0, atol=5 * se)
    for seed in range(5):  # the sign holds for every seed, not just one
        X, y = two_gaussians(50, np.random.default_rng(seed), distance=4.0)
        assert X[y == 0, 0].mean() < 0 < X[y == 1, 0].mean()


def test_stratified_split_casts_X():
    y = np.array([0, 1, 0, 1])
    s = stratified_split([[1, 2], [3, 4], [5, 6], [7, 8]], y, 0.5, rng=np.random.default_rng(0))
    assert s.X_train.dtype == np.float64 and s.X_test.dtype == np.float64
    np.testing.assert_array_equal(np.sort(np.concatenate([s.X_train, s.X_test]), axis=0),
                                  [[1, 2], [3, 4], [5, 6], [7, 8]])
