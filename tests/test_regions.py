"""coursepkg.regions: activation patterns, local affine maps and region counts of ReLU networks."""
from math import comb

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursepkg.gradcheck import check_gradient, numerical_jacobian
from coursepkg.mlp import init_params, mlp_forward
from coursepkg.regions import activation_pattern, count_regions, local_affine_map, region_ids


def relu_net(sizes, seed):
    return init_params(sizes, "normal", np.random.default_rng(seed))


def net_out(params, X):
    return mlp_forward(params, X, hidden="relu", output="identity")[0]


def pre_activations(params, X):
    """The z^l of the hidden layers, from the forward pass of coursepkg.mlp."""
    _, caches = mlp_forward(params, X, hidden="relu", output="identity")
    return [acts[0] for _, acts in caches[:-1]]


def margin(params, x):
    """Distance (in z) of x to the nearest boundary of its region."""
    zs = pre_activations(params, x[None, :])
    return min(float(np.abs(z).min()) for z in zs) if zs else np.inf


SIZES = [[1, 4, 1], [2, 3, 1], [2, 5, 4, 1], [3, 6, 6, 6, 2], [4, 8, 3]]


@pytest.mark.parametrize("sizes", SIZES)
def test_pattern_is_the_sign_of_the_pre_activations(sizes):
    params = relu_net(sizes, 0)
    X = np.random.default_rng(1).standard_normal((50, sizes[0]))
    per_layer = activation_pattern(params, X, concatenate=False)
    zs = pre_activations(params, X)
    assert len(per_layer) == len(sizes) - 2
    for P, Z in zip(per_layer, zs):
        assert P.dtype == bool and np.array_equal(P, Z > 0)
    assert np.array_equal(activation_pattern(params, X), np.concatenate(per_layer, axis=1))


@pytest.mark.parametrize("sizes", SIZES)
def test_network_equals_its_affine_map_inside_the_region(sizes):
    params = relu_net(sizes, 2)
    rng = np.random.default_rng(3)
    checked = 0
    for x in rng.standard_normal((20, sizes[0])):
        A, c = local_affine_map(params, x)
        assert A.shape == (sizes[-1], sizes[0]) and c.shape == (sizes[-1],)
        P = activation_pattern(params, x[None, :])
        Xn = x + 0.05 * rng.standard_normal((40, sizes[0]))  # neighbours, some in other regions
        same = np.all(activation_pattern(params, Xn) == P, axis=1)
        Xs = np.vstack([x, Xn[same]])
        # same region: the two computations agree to rounding
        np.testing.assert_allclose(net_out(params, Xs), Xs @ A.T + c, rtol=1e-12, atol=1e-12)
        checked += len(Xs)
    assert checked > 100


def test_affine_map_differs_outside_the_region():
    # |x| = relu(x) + relu(-x): the map at x = -2 is -x, which is wrong at x = 3
    params = {"W1": np.array([[1.0], [-1.0]]), "b1": np.zeros(2), "W2": np.array([[1.0, 1.0]]), "b2": np.zeros(1)}
    A, c = local_affine_map(params, np.array([-2.0]))
    assert np.array_equal(A, [[-1.0]]) and np.array_equal(c, [0.0])
    assert net_out(params, np.array([[3.0]]))[0, 0] == 3.0 != (A @ [3.0] + c)[0]


@pytest.mark.parametrize("sizes", [[2, 5, 1], [3, 4, 4, 1], [5, 7, 6, 1]])
def test_affine_map_is_the_gradient_inside_the_region(sizes):
    params = relu_net(sizes, 4)
    rng = np.random.default_rng(5)
    x = next(x for x in rng.standard_normal((100, sizes[0])) if margin(params, x) > 1e-2)
    A, _ = local_affine_map(params, x)
    f = lambda v: net_out(params, v[None, :])[0, 0]  # noqa: E731
    # central differences of a function that is affine around x are exact up to rounding
    assert check_gradient(f, A[0], x).max_rel_error < 1e-8


def test_affine_map_is_the_jacobian_for_vector_outputs():
    params = relu_net([3, 6, 5, 4], 6)
    rng = np.random.default_rng(7)
    x = next(x for x in rng.standard_normal((100, 3)) if margin(params, x) > 1e-2)
    A, _ = local_affine_map(params, x)
    J = numerical_jacobian(lambda v: net_out(params, v[None, :])[0], x)
    np.testing.assert_allclose(J, A, rtol=1e-7, atol=1e-8)


@given(st.integers(0, 10_000), st.integers(1, 4), st.integers(1, 3))
def test_property_affine_map_reproduces_the_output(seed, n0, depth):
    rng = np.random.default_rng(seed)
    sizes = [n0] + [int(rng.integers(1, 7)) for _ in range(depth)] + [int(rng.integers(1, 3))]
    params = relu_net(sizes, seed)
    x = 3 * rng.standard_normal(n0)
    A, c = local_affine_map(params, x)
    np.testing.assert_allclose(A @ x + c, net_out(params, x[None, :])[0], rtol=1e-12, atol=1e-12)


def test_no_hidden_layer():
    params = relu_net([3, 2], 0)
    X = np.ones((4, 3))
    assert activation_pattern(params, X).shape == (4, 0)
    assert activation_pattern(params, X, concatenate=False) == []
    assert count_regions(params, X) == 1
    A, c = local_affine_map(params, X[0])
    assert np.array_equal(A, params["W1"]) and np.array_equal(c, params["b1"])


def test_regions_along_a_line_one_hidden_layer():
    # n units on R: kinks at -b_j / w_j; the line meets (kinks inside) + 1 regions
    params = relu_net([1, 9, 1], 8)
    kinks = -params["b1"] / params["W1"][:, 0]
    t = np.linspace(-4, 4, 20_001)
    assert np.min(np.abs(t[:, None] - kinks)) > 0  # no grid point exactly on a kink
    assert count_regions(params, t[:, None]) == np.sum(np.abs(kinks) < 4) + 1


def test_regions_of_three_lines_in_the_plane():
    # lines u = 0, v = 0, u + v = 1 in general position: 1 + 3 + comb(3, 2) = 7 regions
    params = {"W1": np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), "b1": np.array([0.0, 0.0, -1.0]),
              "W2": np.ones((1, 3)), "b2": np.zeros(1)}
    g = np.linspace(-3, 3, 201) + 1e-3  # avoid points exactly on the lines
    U, V = np.meshgrid(g, g)
    X = np.column_stack([U.ravel(), V.ravel()])
    assert count_regions(params, X) == 1 + 3 + comb(3, 2)
    ids, n = region_ids(params, X)
    assert n == 7 and ids.shape == (X.shape[0],) and set(np.unique(ids)) == set(range(7))


def test_region_ids_group_equal_patterns():
    params = relu_net([2, 4, 3, 1], 9)
    X = np.random.default_rng(10).standard_normal((300, 2))
    P = activation_pattern(params, X)
    ids, n = region_ids(params, X)
    for i in range(0, 300, 17):
        assert np.array_equal(ids == ids[i], np.all(P == P[i], axis=1))
    assert n == len({tuple(r) for r in P})


@pytest.mark.parametrize("width", [3, 8, 13])
def test_region_ids_follow_the_lexicographic_order_of_patterns(width):
    params = relu_net([3, width, 1], width)
    X = np.random.default_rng(12).standard_normal((500, 3))
    _, ref = np.unique(activation_pattern(params, X), axis=0, return_inverse=True)
    assert np.array_equal(region_ids(params, X)[0], np.asarray(ref).reshape(-1))


def test_extreme_inputs_no_warnings():
    params = relu_net([2, 5, 5, 1], 11)
    X = np.array([[1e4, -1e4], [-1e4, 1e4], [0.0, 0.0]])
    A, c = local_affine_map(params, X[0])
    np.testing.assert_allclose(A @ X[0] + c, net_out(params, X[:1])[0], rtol=1e-12)
    assert count_regions(params, X) >= 1


def test_bad_input():
    params = relu_net([2, 3, 1], 0)
    with pytest.raises(ValueError, match="X must have 2 features"):
        activation_pattern(params, np.ones((4, 3)))
    with pytest.raises(ValueError, match="X must be 2-D"):
        count_regions(params, np.ones(2))
    with pytest.raises(ValueError, match="x must be 1-D"):
        local_affine_map(params, np.ones((1, 2)))
    with pytest.raises(ValueError, match="x must have 2 features"):
        local_affine_map(params, np.ones(3))
    with pytest.raises(TypeError, match="x must be real"):
        local_affine_map(params, np.ones(2) + 1j)
    with pytest.raises(ValueError, match="X must be finite"):
        activation_pattern(params, np.array([[np.nan, 0.0]]))
    with pytest.raises(TypeError, match="params must be a dict"):
        activation_pattern([1, 2], np.ones((1, 2)))
    with pytest.raises(ValueError, match="params must have keys"):
        activation_pattern({"W1": np.ones((3, 2))}, np.ones((1, 2)))
    with pytest.raises(TypeError, match="concatenate must be True or False"):
        activation_pattern(params, np.ones((1, 2)), concatenate="yes")


def test_bad_parameter_values_are_rejected():
    # the params used to be cast with np.asarray: NaN gave a silent pattern, complex a
    # ComplexWarning (imaginary part dropped), text numpy's unnamed conversion error
    params = relu_net([1, 2, 1], 0)
    X = np.ones((3, 1))
    with pytest.raises(ValueError, match=r"params\['W1'\] must be finite, got 1 NaN"):
        activation_pattern({**params, "W1": np.array([[np.nan], [1.0]])}, X)
    with pytest.raises(ValueError, match=r"params\['b2'\] must be finite"):
        local_affine_map({**params, "b2": np.array([np.inf])}, X[0])
    with pytest.raises(TypeError, match=r"params\['W2'\] must be real"):
        region_ids({**params, "W2": params["W2"] + 1j}, X)
    with pytest.raises(TypeError, match=r"params\['b1'\] must be an array of numbers"):
        count_regions({**params, "b1": np.array(["a", "b"])}, X)
    # nested lists and integer weights are still accepted
    as_lists = {k: v.tolist() for k, v in params.items()}
    np.testing.assert_array_equal(activation_pattern(as_lists, X), activation_pattern(params, X))


def test_affine_map_without_hidden_layer_does_not_alias_params():
    params = relu_net([3, 2], 0)
    W1, b1 = params["W1"].copy(), params["b1"].copy()
    A, c = local_affine_map(params, np.ones(3))
    A[0, 0], c[0] = 100.0, 100.0
    assert np.array_equal(params["W1"], W1) and np.array_equal(params["b1"], b1)
