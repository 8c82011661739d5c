"""coursepkg.cnn: layers against loop references and scipy, backwards by gradient checks and the dot test; one bad-input table."""
import numpy as np
import pytest
import scipy.signal
from hypothesis import given
from hypothesis import strategies as st

from coursepkg.cnn import (AvgPoolCache, Conv2dCache, FlattenCache, MaxPoolCache, avgpool_backward, avgpool_forward,
                           conv2d_backward, conv2d_forward, conv2d_output_shape, flatten_backward, flatten_forward,
                           maxpool_backward, maxpool_forward)
from coursepkg.conv import dot_test
from coursepkg.gradcheck import check_gradient


def loop_conv2d(X, W, b, padding=0):
    """The slow reference: out[n, f, i, j] = b[f] + sum_{c, a, q} W[f, c, a, q] Xpad[n, c, i + a, j + q]."""
    N, C, H, Wd = X.shape
    F, _, kh, kw = W.shape
    Xp = np.zeros((N, C, H + 2 * padding, Wd + 2 * padding), dtype=np.result_type(X, W))
    Xp[:, :, padding:padding + H, padding:padding + Wd] = X
    Ho, Wo = Xp.shape[2] - kh + 1, Xp.shape[3] - kw + 1
    out = np.zeros((N, F, Ho, Wo), dtype=Xp.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    total = b[f]
                    for c in range(C):
                        for a in range(kh):
                            for q in range(kw):
                                total += W[f, c, a, q] * Xp[n, c, i + a, j + q]
                    out[n, f, i, j] = total
    return out


@st.composite
def conv_problem(draw):
    N, C, F = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    H, Wd = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    padding = draw(st.integers(0, 2))
    kh = draw(st.integers(1, H + 2 * padding))
    kw = draw(st.integers(1, Wd + 2 * padding))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return (rng.standard_normal((N, C, H, Wd)), rng.standard_normal((F, C, kh, kw)), rng.standard_normal(F),
            padding, rng)


@given(conv_problem())
def test_conv_forward_equals_the_loop_reference(problem):
    X, W, b, padding, _ = problem
    out, _ = conv2d_forward(X, W, b, padding)
    assert out.shape == conv2d_output_shape(X.shape, W.shape, padding)
    np.testing.assert_allclose(out, loop_conv2d(X, W, b, padding), rtol=1e-12, atol=1e-12)


def test_conv_forward_is_a_sum_of_scipy_correlations():
    rng = np.random.default_rng(0)
    X, W, b = rng.standard_normal((2, 3, 9, 8)), rng.standard_normal((4, 3, 3, 2)), rng.standard_normal(4)
    out, _ = conv2d_forward(X, W, b)
    for n in range(2):
        for f in range(4):
            ref = b[f] + sum(scipy.signal.correlate2d(X[n, c], W[f, c], "valid") for c in range(3))
            np.testing.assert_allclose(out[n, f], ref, rtol=1e-12, atol=1e-12)


@given(conv_problem())
def test_conv_input_gradient_is_the_adjoint(problem):
    """With b = 0 the layer is linear in X; its backward must pass the dot test to 1e-12."""
    X, W, _, padding, rng = problem
    zero = np.zeros(W.shape[0])
    out_shape = conv2d_forward(X, W, zero, padding)[0].shape
    cache = conv2d_forward(X, W, zero, padding)[1]

    class LayerOperator:
        shape = (int(np.prod(out_shape)), X.size)

        @staticmethod
        def matvec(v):
            return conv2d_forward(v.reshape(X.shape), W, zero, padding)[0].ravel()

        @staticmethod
        def rmatvec(y):
            return conv2d_backward(y.reshape(out_shape), cache)[0].ravel()

    assert dot_test(LayerOperator, rng) < 1e-12


@pytest.mark.parametrize("padding", [0, 1, 2])
def test_conv_backward_passes_the_gradient_check(padding):
    rng = np.random.default_rng(padding)
    X, W, b = rng.standard_normal((2, 3, 5, 6)), rng.standard_normal((4, 3, 3, 2)), rng.standard_normal(4)
    out, cache = conv2d_forward(X, W, b, padding)
    G = rng.standard_normal(out.shape)  # the loss c = sum(G * out) has dout = G
    dX, dW, db = conv2d_backward(G, cache)
    for name, value, grad in [("X", X, dX), ("W", W, dW), ("b", b, db)]:
        def loss(v, name=name):
            args = {"X": X, "W": W, "b": b, name: v}
            return np.sum(G * conv2d_forward(args["X"], args["W"], args["b"], padding)[0])
        res = check_gradient(loss, grad, value, method="complex")
        # each entry is a sum of up to ~100 products of size ~1, so an entry of size 1e-2 carries
        # a relative round-off of ~1e-12; a wrong formula scores > 1e-3
        assert res.max_rel_error < 1e-11, f"{name}: {res}"


def test_conv_backward_through_a_nonlinear_loss():
    rng = np.random.default_rng(7)
    X, W, b = rng.standard_normal((3, 2, 6, 6)), 0.5 * rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)

    def loss(params):
        out = conv2d_forward(X, params["W"], params["b"], 1)[0]
        return np.sum(np.tanh(out) ** 2)

    out, cache = conv2d_forward(X, W, b, 1)
    _, dW, db = conv2d_backward(2 * np.tanh(out) / np.cosh(out) ** 2, cache)
    res = check_gradient(loss, {"W": dW, "b": db}, {"W": W, "b": b}, method="complex")
    assert res.max_rel_error < 1e-12, str(res)


@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 4), st.integers(1, 4), st.sampled_from([1, 2, 3]),
       st.integers(0, 2**32 - 1))
def test_maxpool_forward_and_backward(N, C, hb, wb, size, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, C, hb * size, wb * size))  # distinct values with probability one
    out, cache = maxpool_forward(X, size)
    ref = np.array([[[[X[n, c, i * size:(i + 1) * size, j * size:(j + 1) * size].max() for j in range(wb)]
                      for i in range(hb)] for c in range(C)] for n in range(N)])
    np.testing.assert_array_equal(out, ref)
    G = rng.standard_normal(out.shape)
    dX = maxpool_backward(G, cache)
    res = check_gradient(lambda v: np.sum(G * maxpool_forward(v, size)[0]), dX, X, method="complex")
    assert res.max_rel_error < 1e-14, str(res)
    assert np.count_nonzero(dX) == np.count_nonzero(G)


def test_maxpool_ties_send_the_gradient_to_one_entry():
    out, cache = maxpool_forward(np.ones((1, 1, 2, 2)), 2)
    dX = maxpool_backward(np.array([[[[3.0]]]]), cache)
    np.testing.assert_array_equal(dX, [[[[3.0, 0.0], [0.0, 0.0]]]])


@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 4), st.integers(1, 4), st.sampled_from([1, 2, 3]),
       st.integers(0, 2**32 - 1))
def test_avgpool_forward_and_backward(N, C, hb, wb, size, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, C, hb * size, wb * size))
    out, cache = avgpool_forward(X, size)
    for n in range(N):
        for c in range(C):
            ref = scipy.signal.correlate2d(X[n, c], np.full((size, size), 1 / size**2), "valid")[::size, ::size]
            np.testing.assert_allclose(out[n, c], ref, rtol=1e-13, atol=1e-14)
    G = rng.standard_normal(out.shape)
    dX = avgpool_backward(G, cache)
    res = check_gradient(lambda v: np.sum(G * avgpool_forward(v, size)[0]), dX, X, method="complex")
    assert res.max_rel_error < 1e-14, str(res)


def test_flatten_round_trip_and_gradient():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((4, 3, 2, 5))
    out, cache = flatten_forward(X)
    assert out.shape == (4, 30)
    np.testing.assert_array_equal(out[1], X[1].ravel())
    G = rng.standard_normal(out.shape)
    dX = flatten_backward(G, cache)
    res = check_gradient(lambda v: np.sum(G * flatten_forward(v)[0]), dX, X, method="complex")
    assert res.max_rel_error < 1e-14


def test_extreme_inputs_stay_finite():
    X = np.full((1, 2, 4, 4), 1e4)
    W = np.full((3, 2, 3, 3), -1e4)
    out, cache = conv2d_forward(X, W, np.zeros(3), padding=1)
    assert np.all(np.isfinite(out)) and out.min() == -18 * 1e8
    dX, dW, db = conv2d_backward(np.ones_like(out), cache)
    assert all(np.all(np.isfinite(a)) for a in (dX, dW, db))
    for fwd in (maxpool_forward, avgpool_forward):
        np.testing.assert_array_equal(fwd(X, 2)[0], 1e4)


_X, _W, _b = np.ones((2, 3, 5, 5)), np.ones((4, 3, 3, 3)), np.ones(4)
_conv_cache = conv2d_forward(_X, _W, _b)[1]
_max_cache = maxpool_forward(np.ones((1, 1, 4, 4)))[1]
_avg_cache = avgpool_forward(np.ones((1, 1, 4, 4)))[1]
_flat_cache = flatten_forward(_X)[1]

BAD_INPUT = [
    # (call, exception, regex naming the argument)
    (lambda: conv2d_forward(_X, np.ones((4, 2, 3, 3)), _b), ValueError, r"X has 3 channels .* but W has 2"),
    (lambda: conv2d_forward(_X[0], _W, _b), ValueError, r"\bX must be 4-D.*\(3, 5, 5\)"),
    (lambda: conv2d_forward(_X, _W[0, 0], _b), ValueError, r"\bW must be 4-D.*\(3, 3\)"),
    (lambda: conv2d_forward(_X, _W, np.ones(3)), ValueError, r"\bb must have shape \(4,\).*got \(3,\)"),
    (lambda: conv2d_forward(np.ones((2, 3, 4, 4)), np.ones((4, 3, 7, 3)), _b, padding=1), ValueError,
     r"kernels of W \(7x3\) must fit inside the padded images of X \(6x6"),
    (lambda: conv2d_forward(_X, _W, _b, padding=-1), ValueError, r"padding must be an integer >= 0, got -1"),
    (lambda: conv2d_forward(_X, _W, _b, padding=1.5), TypeError, r"padding must be an integer"),
    (lambda: conv2d_forward(_X, _W, _b, padding=10**400), ValueError, r"padding must be an integer <= 65536"),
    (lambda: conv2d_forward("X", _W, _b), TypeError, r"\bX must be an array of numbers"),
    (lambda: conv2d_backward(np.ones((2, 4, 5, 5)), _conv_cache), ValueError,
     r"dout must have the shape of the forward output \(2, 4, 3, 3\)"),
    (lambda: conv2d_backward(np.ones((2, 4, 3, 3)), ("a", "b", "c")), TypeError, r"cache must be the Conv2dCache"),
    (lambda: conv2d_backward(np.ones((2, 4, 3, 3)), tuple(_conv_cache)), TypeError, r"cache must be the Conv2dCache"),
    (lambda: conv2d_backward(np.ones((2, 4, 3, 3)), _max_cache), TypeError, r"cache must be the Conv2dCache"),
    (lambda: maxpool_forward(_X, 2), ValueError, r"height and width of X must be multiples of size=2.*\(2, 3, 5, 5\)"),
    (lambda: avgpool_forward(_X, 2), ValueError, r"height and width of X must be multiples"),
    (lambda: maxpool_forward(np.ones((4, 4)), 2), ValueError, r"\bX must be 4-D"),
    (lambda: avgpool_forward(_X, 0), ValueError, r"\bsize must be an integer >= 1"),
    (lambda: maxpool_forward(_X, 10**400), ValueError, r"\bsize must be an integer <= 5"),
    (lambda: maxpool_forward(_X, 2.0), TypeError, r"\bsize must be an integer"),
    (lambda: maxpool_backward(np.ones((1, 1, 4, 4)), _max_cache), ValueError, r"dout must have the shape"),
    (lambda: maxpool_backward(np.ones((1, 1, 2, 2)), (1, 2, 3)), TypeError, r"cache must be the MaxPoolCache"),
    (lambda: maxpool_backward(np.ones((1, 1, 2, 2)), list(_max_cache)), TypeError, r"cache must be the MaxPoolCache.*list"),
    (lambda: avgpool_backward(np.ones((1, 1, 2, 2)), ((1, 1, 4, 4),)), TypeError, r"cache must be the AvgPoolCache"),
    (lambda: avgpool_backward(np.ones((1, 1, 2, 2)), None), TypeError, r"cache must be the AvgPoolCache.*None"),
    (lambda: avgpool_backward(np.ones((1, 1, 3, 3)), _avg_cache), ValueError, r"dout must have the shape"),
    (lambda: flatten_forward(np.ones(3)), ValueError, r"\bX must be at least 2-D \(N, ...\).*\(3,\)"),
    (lambda: flatten_backward(np.ones((2, 74)), _flat_cache), ValueError,
     r"dout must have the shape of the forward output \(2, 75\)"),
    (lambda: flatten_backward(np.ones((2, 75)), (1, 2, 3, 4, 5)), TypeError, r"cache must be the FlattenCache"),
    (lambda: flatten_backward(np.ones((2, 75)), _avg_cache), TypeError, r"cache must be the FlattenCache"),
    (lambda: conv2d_output_shape((1, 2), (1, 1, 1, 1)), ValueError, r"input_shape must be a tuple of 4 integers"),
    (lambda: conv2d_output_shape((1, 1, 2, 2), (1, 1, 5, 5)), ValueError,
     r"kernels of filter_shape \(5x5\) must fit inside the padded images of input_shape \(2x2, padding=0\)"),
    (lambda: conv2d_output_shape((1, 1, 2, 2), (1, 1, 5, 3), padding=1), ValueError, r"\(4x4, padding=1\)"),
    (lambda: conv2d_output_shape((1, 3, 4, 4), (1, 2, 3, 3)), ValueError,
     r"filter_shape must have as many input channels as input_shape"),
    (lambda: conv2d_output_shape((1, 1, 4, 4), (1, 1, 3.0, 3)), TypeError, r"filter_shape\[2\] must be an integer"),
    (lambda: conv2d_output_shape((0, 1, 4, 4), (1, 1, 3, 3)), ValueError, r"input_shape\[0\] must be an integer >= 1"),
    (lambda: conv2d_output_shape((1, 1, 4, 4), (1, 1, 3, 3), 10**400), ValueError, r"padding must be an integer <="),
]


@pytest.mark.parametrize("call, exc, pattern", BAD_INPUT)
def test_bad_input(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def test_conv2d_output_shape_agrees_with_conv2d_forward():
    assert conv2d_output_shape((1, 1, 2, 2), (1, 1, 4, 4), padding=1) == (1, 1, 1, 1)
    rng = np.random.default_rng(0)
    for shape, fshape, p in [((2, 3, 5, 4), (4, 3, 5, 4), 0), ((1, 2, 3, 3), (2, 2, 5, 4), 1)]:
        out, _ = conv2d_forward(rng.standard_normal(shape), rng.standard_normal(fshape), np.zeros(fshape[0]), p)
        assert out.shape == conv2d_output_shape(shape, fshape, p)


def test_caches_are_named_tuples_that_still_unpack():
    X = np.arange(32.0).reshape(1, 2, 4, 4)
    W = np.ones((3, 2, 3, 3))
    _, cache = conv2d_forward(X, W, np.zeros(3), padding=1)
    assert isinstance(cache, Conv2dCache) and cache.padding == 1 and cache.W is not None
    Xp, W_c, p = cache  # positional unpacking, as the chapters do
    np.testing.assert_array_equal(Xp[:, :, 1:-1, 1:-1], X)
    _, mc = maxpool_forward(X)
    assert isinstance(mc, MaxPoolCache) and mc.input_shape == X.shape and mc.size == 2
    _, ac = avgpool_forward(X)
    assert isinstance(ac, AvgPoolCache) and ac.input_shape == X.shape
    _, fc = flatten_forward(X)
    assert isinstance(fc, FlattenCache) and fc.input_shape == X.shape


def test_flatten_accepts_every_rank_from_two():
    # the docstring promises "at least 2-D"; 6-D input used to be rejected
    X = np.arange(24.0).reshape(2, 1, 3, 1, 2, 2)
    out, cache = flatten_forward(X)
    np.testing.assert_array_equal(out, X.reshape(2, 12))
    np.testing.assert_array_equal(flatten_backward(out, cache), X)


def test_flatten_does_not_alias_its_input():
    # the output used to be a view: writing into it changed the caller's X (and dout)
    X = np.arange(8.0).reshape(2, 1, 2, 2)
    out, cache = flatten_forward(X)
    out[0, 0] = 100.0
    assert X[0, 0, 0, 0] == 0.0
    dout = np.ones((2, 4))
    dX = flatten_backward(dout, cache)
    dX[...] = 5.0
    assert np.all(dout == 1.0)
