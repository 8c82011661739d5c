"""Data sets: XOR, the digits split, toy sets."""
import numpy as np
import pytest

from coursepkg.datasets import load_digits, stratified_split, two_gaussians, xor


def test_xor():
    X, y = xor()
    assert X.shape == (4, 2) and y.dtype == np.int64
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


def test_stratified_split_bad_input():
    X, y = np.zeros((4, 1)), np.array([0, 0, 1, 1])
    with pytest.raises(ValueError, match=r"test_size must be < 1"):
        stratified_split(X, y, test_size=1.0)
    with pytest.raises(ValueError, match="class 0 has 2 samples, too few"):
        stratified_split(X, y, test_size=0.1)
    with pytest.raises(ValueError, match=r"y must have one label per sample \(4\), got 3"):
        stratified_split(X, y[:3])
    with pytest.raises(ValueError, match="X must be 2-D"):
        stratified_split(np.zeros(4), y)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        load_digits(seed=-1)


def test_two_gaussians():
    X, y = two_gaussians(500, np.random.default_rng(0), distance=4.0)
    assert X.shape == (1000, 2) and np.bincount(y).tolist() == [500, 500]
    # class means within 5 standard errors (1/sqrt(500)) of (+-2, 0)
    assert np.all(np.abs(X[y == 1].mean(0) - [2.0, 0.0]) < 5 / np.sqrt(500))
    with pytest.raises(TypeError, match="rng must be"):
        two_gaussians(5, None)


def test_stratified_split_validates_and_casts_X():
    # before: X went through np.asarray only: NaN, strings and complex passed, integers stayed integers
    y = np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match="X must be finite, got 1 NaN"):
        stratified_split(np.array([[np.nan], [0.0], [1.0], [2.0]]), y, 0.5)
    with pytest.raises(TypeError, match="X must be an array of numbers"):
        stratified_split([["a"], ["b"], ["c"], ["d"]], y, 0.5)
    with pytest.raises(TypeError, match="X must be real"):
        stratified_split(np.ones((4, 1)) * 1j, y, 0.5)
    with pytest.raises(TypeError, match="X must be an array of numbers"):
        stratified_split(None, y)
    s = stratified_split([[1, 2], [3, 4], [5, 6], [7, 8]], y, 0.5, rng=np.random.default_rng(0))
    assert s.X_train.dtype == np.float64 and s.X_test.dtype == np.float64
    np.testing.assert_array_equal(np.sort(np.concatenate([s.X_train, s.X_test]), axis=0),
                                  [[1, 2], [3, 4], [5, 6], [7, 8]])
