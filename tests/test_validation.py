"""The private validation helpers: the messages name the argument, the expectation and the input."""
import numpy as np
import pytest

from coursepkg import _validation as v


def test_as_array_casts_ints_and_bools_to_float64():
    assert v.as_array([1, 2], "x").dtype == np.float64
    assert v.as_array(np.array([True, False]), "x").dtype == np.float64


def test_as_array_keeps_complex_or_rejects_it():
    assert v.as_array([1 + 2j], "x").dtype == np.complex128
    with pytest.raises(TypeError, match="x must be real"):
        v.as_array([1 + 2j], "x", allow_complex=False)


@pytest.mark.parametrize("bad", ["abc", None, [object()], np.array(["a"])])
def test_as_array_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="my_arg must be an array of numbers"):
        v.as_array(bad, "my_arg")


def test_as_array_rejects_ragged_lists():
    with pytest.raises(TypeError, match="my_arg"):
        v.as_array([[1, 2], [3]], "my_arg")


def test_as_array_checks_ndim_empty_and_finite():
    with pytest.raises(ValueError, match=r"X must be 2-D, got an array of shape \(3,\)"):
        v.as_array([1, 2, 3], "X", ndim=2)
    with pytest.raises(ValueError, match="X must not be empty"):
        v.as_array(np.zeros((0, 2)), "X")
    with pytest.raises(ValueError, match="X must be finite, got 1 NaN"):
        v.as_array([1.0, np.nan], "X")
    assert v.as_array([np.inf], "X", finite=False)[0] == np.inf


def test_as_labels():
    assert v.as_labels([0, 2, 1], "y", n_classes=3).dtype == np.int64
    assert v.as_labels(np.array([1.0, 0.0]), "y").tolist() == [1, 0]
    with pytest.raises(ValueError, match=r"y must hold integers in \[0, 3\), got values from 0 to 3"):
        v.as_labels([0, 3], "y", n_classes=3)
    with pytest.raises(ValueError, match="y must hold integer labels"):
        v.as_labels([0.5], "y")
    with pytest.raises(ValueError, match="y must be 1-D"):
        v.as_labels([[0, 1]], "y")
    with pytest.raises(ValueError, match=r"one label per sample \(3\), got 2"):
        v.as_labels([0, 1], "y", n_samples=3)
    with pytest.raises(TypeError, match="y must be an array of integer labels"):
        v.as_labels(["a"], "y")
    with pytest.raises(ValueError, match="y must not be empty"):
        v.as_labels([], "y")
    with pytest.raises(ValueError, match=r"magnitude at most 2\*\*53"):
        v.as_labels(np.array([1e19]), "y")
    with pytest.raises(ValueError, match="fit in int64, got 18446744073709551615"):
        v.as_labels(np.array([2 ** 64 - 1], dtype=np.uint64), "y")


def test_scalar_checks():
    assert v.as_int(np.int64(3), "n", minimum=1) == 3
    with pytest.raises(TypeError, match="n must be an integer, got bool"):
        v.as_int(True, "n")
    with pytest.raises(TypeError, match="n must be an integer, got float"):
        v.as_int(2.0, "n")
    with pytest.raises(ValueError, match="n must be an integer >= 1, got 0"):
        v.as_int(0, "n", minimum=1)
    with pytest.raises(ValueError, match="lr must be > 0"):
        v.as_float(0.0, "lr", minimum=0.0, strict_min=True)
    with pytest.raises(ValueError, match="p must be < 1"):
        v.as_float(1.0, "p", maximum=1.0, strict_max=True)
    with pytest.raises(ValueError, match="lr must be finite"):
        v.as_float(float("nan"), "lr")
    with pytest.raises(TypeError, match="lr must be a real number, got str"):
        v.as_float("0.1", "lr")


def test_choice_rng_and_shapes():
    assert v.as_choice("a", "mode", ["a", "b"]) == "a"
    with pytest.raises(ValueError, match=r"mode must be one of \['a', 'b'\], got 'c'"):
        v.as_choice("c", "mode", ["a", "b"])
    with pytest.raises(TypeError, match="mode must be one of"):
        v.as_choice(1, "mode", ["a"])
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        v.as_rng(0)
    with pytest.raises(ValueError, match="same number of samples, got 2 and 3"):
        v.same_first_dim(np.zeros((2, 1)), "X", np.zeros(3), "y")
    with pytest.raises(ValueError, match=r"same shape, got \(2,\) and \(3,\)"):
        v.same_shape(np.zeros(2), "a", np.zeros(3), "b")


NET = {"W1": np.ones((3, 2)), "b1": np.zeros(3), "W2": np.ones((1, 3)), "b2": np.zeros(1)}

BAD = [
    (lambda: v.as_float(10 ** 400, "lr"), ValueError, "lr"),
    (lambda: v.as_int(10 ** 400, "n", maximum=2 ** 31 - 1), ValueError, "n"),
    (lambda: v.as_labels([[0], [1, 2]], "y"), TypeError, "y"),
    (lambda: v.as_network_params([1, 2], "params"), TypeError, "params"),
    (lambda: v.as_network_params({"W1": np.ones((3, 2))}), ValueError, "params"),
    (lambda: v.as_network_params({**NET, "W1": None}), TypeError, r"params\['W1'\]"),
    (lambda: v.as_network_params({**NET, "W1": "abc"}), TypeError, r"params\['W1'\]"),
    (lambda: v.as_network_params({**NET, "W1": {"a": 1}}), TypeError, r"params\['W1'\]"),
    (lambda: v.as_network_params({**NET, "W1": [[1.0], [1.0, 2.0]]}), TypeError, r"params\['W1'\]"),
    (lambda: v.as_network_params({**NET, "W1": np.ones(3)}), ValueError, r"params\['W1'\]"),
    (lambda: v.as_network_params({**NET, "b1": np.zeros(2)}), ValueError, r"params\['b1'\]"),
    (lambda: v.as_network_params({**NET, "W2": np.ones((1, 4))}), ValueError, r"params\['W2'\]"),
    (lambda: v.as_network_params({**NET, "W2": np.ones((1, 3)) * 1j}, allow_complex=False), TypeError,
     r"params\['W2'\]"),
    (lambda: v.as_network_inputs(np.ones((4, 3)), 2), ValueError, "X"),
]


@pytest.mark.parametrize("call,exc,pattern", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_input_is_refused_naming_the_argument(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def test_network_params_keep_order_and_complex_bias():
    P = v.as_network_params({"b2": NET["b2"], "W2": NET["W2"], "b1": NET["b1"] + 1e-20j, "W1": NET["W1"]})
    assert list(P) == ["W1", "b1", "W2", "b2"] and P["b1"].dtype == np.complex128
    assert P["W1"] is NET["W1"]  # a checked float64 array is passed through without a copy
