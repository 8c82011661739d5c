"""coursepkg.kernels: random features, the arc-cosine kernel (one and several layers, against mpmath, its
definition and a deep random ReLU network) and kernel ridge regression; one bad-input table."""
import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursepkg.kernels import (ARCCOS_DEGREE, arccos_kernel, draw_weights, kernel_predict, kernel_ridge,
                               random_feature_kernel, random_features, ridge)

PAIRS_2D = [((1.0, 0.0), (0.0, 1.0)), ((1.0, 0.5), (2.0, -0.3)), ((0.3, -1.2), (-0.7, 0.4)),
            ((2.0, 1.0), (-1.9, -1.1)), ((1.0, 1.0), (1.0, 1.0))]


def expectation_2d(x, y, n):
    """E_w[Theta(w.x) Theta(w.y) (w.x)^n (w.y)^n], w ~ N(0, I_2), by numerical integration in polar coordinates."""
    from scipy.integrate import nquad
    x, y = np.asarray(x), np.asarray(y)

    def f(r, phi):
        w = r * np.array([np.cos(phi), np.sin(phi)])
        a, b = w @ x, w @ y
        if a <= 0 or b <= 0:
            return 0.0
        return (a * b) ** n * np.exp(-r * r / 2) / (2 * np.pi) * r

    # the integrand jumps where w.x = 0 or w.y = 0: tell quad where
    kinks = [(np.arctan2(v[1], v[0]) + s) % (2 * np.pi) for v in (x, y) for s in (np.pi / 2, -np.pi / 2)]
    val, _ = nquad(f, [[0, np.inf], [0, 2 * np.pi]], opts=[{"epsabs": 1e-12, "epsrel": 1e-11},
                                                           {"points": kinks, "limit": 200, "epsabs": 1e-12,
                                                            "epsrel": 1e-11}])
    return val


@pytest.mark.parametrize("degree", [0, 1, 2])
@pytest.mark.parametrize("x, y", PAIRS_2D)
def test_closed_form_equals_twice_the_integral(x, y, degree):
    k = arccos_kernel(np.array([x]), np.array([y]), degree)[0, 0]
    np.testing.assert_allclose(k, 2 * expectation_2d(x, y, degree), rtol=1e-8, atol=1e-10)


def test_closed_form_with_arccos_reference():
    # an independent transcription of Cho & Saul's formulas, with theta = arccos(cos)
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((7, 4)), rng.standard_normal((5, 4))
    nx, ny = np.linalg.norm(X, axis=1), np.linalg.norm(Y, axis=1)
    t = np.arccos(np.clip(X @ Y.T / np.outer(nx, ny), -1, 1))
    J = [np.pi - t, np.sin(t) + (np.pi - t) * np.cos(t),
         3 * np.sin(t) * np.cos(t) + (np.pi - t) * (1 + 2 * np.cos(t) ** 2)]
    for n in range(3):
        np.testing.assert_allclose(arccos_kernel(X, Y, n), np.outer(nx ** n, ny ** n) * J[n] / np.pi,
                                   rtol=1e-12, atol=1e-13)


def test_special_angles():
    x = np.array([[3.0, 0.0]])
    same, orth, opp = np.array([[2.0, 0.0]]), np.array([[0.0, 2.0]]), np.array([[-2.0, 0.0]])
    # theta = 0: J = (pi, pi, 3 pi); theta = pi/2: (pi/2, 1, pi/2); theta = pi: 0 for every degree
    for n, (j0, j90) in enumerate([(np.pi, np.pi / 2), (np.pi, 1.0), (3 * np.pi, np.pi / 2)]):
        s = 6.0 ** n / np.pi
        np.testing.assert_allclose(arccos_kernel(x, same, n)[0, 0], s * j0, rtol=1e-15)
        np.testing.assert_allclose(arccos_kernel(x, orth, n)[0, 0], s * j90, rtol=1e-15)
        assert abs(arccos_kernel(x, opp, n)[0, 0]) < 1e-15 * max(1.0, s)


def test_angle_accurate_for_nearly_parallel_inputs():
    # theta = 1e-9: k_0 = 1 - theta / pi; arccos of the rounded cosine would be off by ~1e-8
    theta = 1e-9
    X, Y = np.array([[1.0, 0.0]]), np.array([[np.cos(theta), np.sin(theta)]])
    np.testing.assert_allclose(1 - arccos_kernel(X, Y, 0)[0, 0], theta / np.pi, rtol=1e-6)
    assert arccos_kernel(X, X, 0)[0, 0] == 1.0


@given(st.integers(0, 10_000), st.integers(0, 2), st.floats(0.01, 100), st.floats(0.01, 100))
def test_property_homogeneous_and_rotation_invariant(seed, n, a, b):
    rng = np.random.default_rng(seed)
    X, Y = rng.standard_normal((4, 3)), rng.standard_normal((3, 3))
    K = arccos_kernel(X, Y, n)
    np.testing.assert_allclose(arccos_kernel(a * X, b * Y, n), (a * b) ** n * K, rtol=1e-10, atol=1e-12 * (a * b) ** n)
    Q, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    np.testing.assert_allclose(arccos_kernel(X @ Q, Y @ Q, n), K, rtol=1e-10, atol=1e-12)


@given(st.integers(0, 10_000), st.integers(0, 2), st.integers(1, 30), st.integers(1, 6))
def test_property_kernel_matrix_symmetric_psd(seed, n, N, d):
    X = np.random.default_rng(seed).standard_normal((N, d))
    K = arccos_kernel(X, X, n)
    assert np.array_equal(K, K.T)
    assert np.linalg.eigvalsh(K).min() >= -1e-12 * max(1.0, np.abs(K).max())


@pytest.mark.parametrize("activation", ["step", "relu", "relu_squared"])
def test_random_features_unbiased_for_half_the_arccos_kernel(activation):
    n = ARCCOS_DEGREE[activation]
    rng = np.random.default_rng(1)
    X = rng.standard_normal((4, 3))
    m = 200_000
    W, b = draw_weights(3, m, rng)
    G = random_features(X, W, b, activation) * np.sqrt(m)  # (N, m): g(w_k . x_i)
    exact = arccos_kernel(X, X, n) / 2
    for i in range(4):
        for j in range(i, 4):
            terms = G[i] * G[j]
            se = terms.std() / np.sqrt(m)
            assert abs(terms.mean() - exact[i, j]) < 4 * se  # 4 standard errors


def test_random_feature_error_shrinks_like_one_over_sqrt_m():
    rng = np.random.default_rng(2)
    X = np.array([[1.0, 0.5, -0.2], [0.3, -1.0, 0.8]])
    exact = arccos_kernel(X, X, 1)[0, 1] / 2
    ms = np.array([16, 64, 256, 1024, 4096])
    R = 400
    rms = np.array([np.sqrt(np.mean([(random_feature_kernel(X, X, m, rng)[0, 1] - exact) ** 2
                                     for _ in range(R)])) for m in ms])
    slope = np.polyfit(np.log(ms), np.log(rms), 1)[0]
    # RMS of R = 400 runs has a relative standard error of about 1/sqrt(2R) ~ 4% (more with heavy tails),
    # so the fitted slope over a factor 256 in m has a standard error near 0.015
    assert abs(slope + 0.5) < 0.06
    # and the constant: m * MSE -> Var[g(w.x) g(w.y)], estimated from one large draw
    W, b = draw_weights(3, 400_000, rng)
    G = random_features(X, W, b) * np.sqrt(400_000)
    t = G[0] * G[1]
    var = np.var(t)
    kurtosis = np.mean((t - t.mean()) ** 4) / var ** 2  # about 43: the products are heavy-tailed
    # the MSE over R runs has relative standard error sqrt((kurtosis of the m-average - 1) / R),
    # and the m-average has kurtosis 3 + (kurtosis - 3) / m
    se = np.sqrt((2 + (kurtosis - 3) / ms) / R)
    assert np.all(np.abs(ms * rms ** 2 / var - 1) < 4 * se)


def test_random_bias_is_an_extra_constant_input():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((3, 2))
    s = 0.7
    m = 400_000
    W, b = draw_weights(2, m, rng, bias_std=s)
    assert abs(b.std() / s - 1) < 5 / np.sqrt(2 * m)
    G = random_features(X, W, b) * np.sqrt(m)
    exact = arccos_kernel(np.column_stack([X, np.full(3, s)]), np.column_stack([X, np.full(3, s)]), 1) / 2
    for i in range(3):
        for j in range(3):
            t = G[i] * G[j]
            assert abs(t.mean() - exact[i, j]) < 4 * t.std() / np.sqrt(m)


def test_random_features_shapes_activations_and_callable():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((5, 3))
    W, b = draw_weights(3, 7, rng, bias_std=1.0)
    for name in ["step", "relu", "relu_squared", "sigmoid", "tanh"]:
        Phi = random_features(X, W, b, name)
        assert Phi.shape == (5, 7) and Phi.dtype == np.float64
    np.testing.assert_allclose(random_features(X, W, b, np.cos), np.cos(X @ W.T + b) / np.sqrt(7), rtol=1e-15)
    np.testing.assert_array_equal(random_features(X, W, b, "step"), (X @ W.T + b > 0) / np.sqrt(7))
    K = random_feature_kernel(X, X, 50, rng, "tanh")
    assert K.shape == (5, 5) and np.allclose(K, K.T) and np.linalg.eigvalsh(K).min() > -1e-12


def test_draws_come_only_from_the_generator():
    a = random_feature_kernel(np.eye(3), np.eye(3), 10, np.random.default_rng(5))
    b = random_feature_kernel(np.eye(3), np.eye(3), 10, np.random.default_rng(5))
    assert np.array_equal(a, b)


def test_extreme_and_zero_inputs():
    X = np.array([[1e4, -1e4], [0.0, 0.0], [-1e4, 3.0]])
    for n in range(3):
        K = arccos_kernel(X, X, n)
        assert np.all(np.isfinite(K)) and np.all(K[1] == 0) and np.all(K[:, 1] == 0)
        np.testing.assert_allclose(K[0, 0], [1, 2e8, 3 * 4e16][n], rtol=1e-12)
    W, b = draw_weights(2, 5, np.random.default_rng(0))
    assert np.all(np.isfinite(random_features(X, W, b, "sigmoid")))


def test_kernel_ridge_matches_scikit_learn():
    from sklearn.kernel_ridge import KernelRidge
    rng = np.random.default_rng(6)
    X, Xt = rng.standard_normal((30, 3)), rng.standard_normal((8, 3))
    y = np.sin(X[:, 0]) + X[:, 1]
    K, Kt = arccos_kernel(X, X, 1), arccos_kernel(Xt, X, 1)
    alpha = kernel_ridge(K, y, 0.3)
    ref = KernelRidge(alpha=0.3, kernel="precomputed").fit(K, y)
    np.testing.assert_allclose(alpha, ref.dual_coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(kernel_predict(Kt, alpha), ref.predict(Kt), rtol=1e-10, atol=1e-12)
    Y2 = np.column_stack([y, -y])
    assert kernel_predict(Kt, kernel_ridge(K, Y2, 0.3)).shape == (8, 2)


def test_primal_ridge_equals_dual_on_the_feature_kernel():
    rng = np.random.default_rng(7)
    X, Xt = rng.standard_normal((40, 2)), rng.standard_normal((9, 2))
    y = X[:, 0] ** 2
    W, b = draw_weights(2, 15, rng)
    Phi, Phit = random_features(X, W, b), random_features(Xt, W, b)
    v = ridge(Phi, y, 0.1)
    np.testing.assert_allclose(Phit @ v, kernel_predict(Phit @ Phi.T, kernel_ridge(Phi @ Phi.T, y, 0.1)),
                               rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("N, m", [(40, 15), (15, 40), (20, 20)])
def test_ridge_minimizes_the_penalized_least_squares(N, m):
    # both branches (m <= N: m x m solve; m > N: N x N solve) satisfy the normal equations
    rng = np.random.default_rng(8)
    Phi, Y = rng.standard_normal((N, m)), rng.standard_normal((N, 2))
    V = ridge(Phi, Y, 0.3)
    assert V.shape == (m, 2)
    np.testing.assert_allclose(Phi.T @ (Phi @ V - Y) + 0.3 * V, 0, atol=1e-10)


def x_unit():
    return np.array([[0.6, 0.8]])


def test_arccos_kernel_of_tiny_and_huge_inputs():
    # the row norms used to underflow to 0 for |x| ~ 1e-160 and below, so a tiny but
    # non-zero input was treated as the zero vector (degree 0 gave 0 instead of 1 - theta/pi)
    for tiny in (1e-160, 1e-200, 5e-324):
        X = np.array([[tiny, 0.0], [tiny, tiny]])
        Y = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
        np.testing.assert_allclose(arccos_kernel(X, Y, degree=0), [[1.0, 0.5, 0.0], [0.75, 0.75, 0.25]],
                                   rtol=1e-15, atol=1e-15)
        np.testing.assert_allclose(arccos_kernel(X, X, degree=0), [[1.0, 0.75], [0.75, 1.0]], rtol=1e-15)
    np.testing.assert_array_equal(arccos_kernel(np.zeros((1, 2)), np.ones((1, 2)), degree=0), 0.0)
    # and huge ones: the norm used to overflow (RuntimeWarning) and give the wrong angle
    huge = np.array([[1e200, 1e200], [1e300, -1e300]])
    np.testing.assert_allclose(arccos_kernel(huge, np.array([[1.0, 0.0]]), degree=0), [[0.75], [0.75]], rtol=1e-15)
    np.testing.assert_allclose(arccos_kernel(1e100 * x_unit(), np.array([[1.0, 0.0]]), degree=1),
                               1e100 * arccos_kernel(x_unit(), np.array([[1.0, 0.0]]), degree=1), rtol=1e-14)
    # degree 1 is homogeneous of degree 1 in x
    x, y = np.array([[3.0, 4.0]]), np.array([[1.0, 0.0]])
    np.testing.assert_allclose(arccos_kernel(1e-200 * x, y, degree=1), 1e-200 * arccos_kernel(x, y, degree=1),
                               rtol=1e-14)


# ----------------------------------------------------------------------------- accuracy against mpmath

def arccos_mpmath(x, y, n, dps=900):
    """k_n(x, y) for float inputs taken exactly, in `dps`-digit arithmetic (enough for an angle of 1e-300)."""
    with mp.workdps(dps):
        x, y = [mp.mpf(float(v)) for v in x], [mp.mpf(float(v)) for v in y]
        nx, ny = mp.sqrt(sum(v * v for v in x)), mp.sqrt(sum(v * v for v in y))
        th = mp.acos(sum(a * b for a, b in zip(x, y)) / (nx * ny))
        J = {0: mp.pi - th, 1: mp.sin(th) + (mp.pi - th) * mp.cos(th),
             2: 3 * mp.sin(th) * mp.cos(th) + (mp.pi - th) * (1 + 2 * mp.cos(th) ** 2)}[n]
        return float(nx ** n * ny ** n * J / mp.pi)


ACCURACY_PAIRS = [
    ((1e4, 1.0), (-1e4, 0.0)),            # nearly antiparallel: degree 2 used to give -1.17
    ((1.0, 1e-6), (-1.0, 0.0)),           # angle pi - 1e-6: degree 1 used to be 367 times too large
    ((1.0, 1e-6), (1.0, 0.0)),            # angle 1e-6
    ((1.0, 0.5), (-1.0, 0.0)), ((1.0, 1.7), (-1.0, 0.0)), ((1.0, 2.0), (-3.0, 0.5)),   # both sides of delta = 1
    ((1e100, 1.0), (-1e100, 0.0)),        # angle pi - 1e-100: J_2 ~ 1e-501 times norms 1e400
    ((3e-150, 1e-150), (2e-150, -1e-150)),
    ((1e150, 0.0), (1e150, 1e140)),
]


@pytest.mark.parametrize("x, y, degree", [(x, y, n) for x, y in ACCURACY_PAIRS for n in (0, 1, 2)
                                          if not (n == 2 and x[0] == 1e150)])  # 1e600: in the bad-input table
def test_arccos_kernel_is_accurate_to_a_few_ulps(x, y, degree):
    got = arccos_kernel(np.array([x]), np.array([y]), degree)[0, 0]
    assert got >= 0
    np.testing.assert_allclose(got, arccos_mpmath(x, y, degree), rtol=8 * np.finfo(float).eps, atol=0)


def test_arccos_kernel_at_angles_near_pi_against_the_series():
    # k_1 = (1/pi) J_1(pi - d) = (d^3/3 - d^5/30 + ...) / pi for unit vectors at angle pi - d
    for d in (1e-3, 1e-6, 1e-9, 1e-30):
        x = np.array([[np.cos(d), np.sin(d)]])
        y = np.array([[-1.0, 0.0]])
        d_exact = float(mp.atan2(mp.mpf(float(x[0, 1])), mp.mpf(float(x[0, 0]))))  # the angle of the rounded x
        np.testing.assert_allclose(arccos_kernel(x, y, 1)[0, 0], (d_exact**3 / 3 - d_exact**5 / 30) / np.pi,
                                   rtol=1e-13, atol=0)


# ----------------------------------------------------------------------------- the multilayer kernel

def J_closed(n, t):
    return {0: np.pi - t, 1: np.sin(t) + (np.pi - t) * np.cos(t),
            2: 3 * np.sin(t) * np.cos(t) + (np.pi - t) * (1 + 2 * np.cos(t) ** 2)}[n]


def multilayer_by_definition(x, y, n, layers):
    """Cho & Saul's recursion written out: k(x,x), k(y,y), k(x,y) updated together, layer after layer."""
    kxx, kyy, kxy = x @ x, y @ y, x @ y
    for _ in range(layers):
        theta = np.arccos(np.clip(kxy / np.sqrt(kxx * kyy), -1.0, 1.0))
        kxx, kyy, kxy = (kxx**n * J_closed(n, 0.0) / np.pi, kyy**n * J_closed(n, 0.0) / np.pi,
                         (kxx * kyy) ** (n / 2) * J_closed(n, theta) / np.pi)
    return kxy


@pytest.mark.parametrize("degree", [0, 1, 2])
@pytest.mark.parametrize("layers", [1, 2, 3, 6])
def test_multilayer_kernel_equals_its_definition(degree, layers):
    rng = np.random.default_rng(10 * degree + layers)
    X, Y = rng.standard_normal((4, 3)), rng.standard_normal((5, 3))
    K = arccos_kernel(X, Y, degree, layers=layers)
    ref = np.array([[multilayer_by_definition(x, y, degree, layers) for y in Y] for x in X])
    np.testing.assert_allclose(K, ref, rtol=1e-12, atol=1e-14 * np.abs(ref).max())


def multilayer_mpmath(x, y, n, layers):
    """The recursion of multilayer_by_definition in 60-digit arithmetic, the inputs taken exactly."""
    with mp.workdps(60):
        x, y = [mp.mpf(float(v)) for v in x], [mp.mpf(float(v)) for v in y]
        kxx, kyy, kxy = sum(a * a for a in x), sum(b * b for b in y), sum(a * b for a, b in zip(x, y))
        J = {0: lambda t: mp.pi - t, 1: lambda t: mp.sin(t) + (mp.pi - t) * mp.cos(t),
             2: lambda t: 3 * mp.sin(t) * mp.cos(t) + (mp.pi - t) * (1 + 2 * mp.cos(t) ** 2)}[n]
        for _ in range(layers):
            t = mp.acos(kxy / mp.sqrt(kxx * kyy))
            kxx, kyy, kxy = kxx**n * J(0) / mp.pi, kyy**n * J(0) / mp.pi, (kxx * kyy) ** (mp.mpf(n) / 2) * J(t) / mp.pi
        return float(kxy)


@pytest.mark.parametrize("degree", [0, 1, 2])
@pytest.mark.parametrize("x, y", [((1.0, 0.0), (np.cos(1e-5), np.sin(1e-5))), ((1.0, 1e-6), (-1.0, 0.0)),
                                  ((3.0, 4.0), (-4.0, 3.0)), ((1e100, 1.0), (-1e100, 0.0))])
def test_multilayer_kernel_against_mpmath(x, y, degree):
    if degree == 2 and x[0] == 1e100:  # k^(2)(x, x) = 3 |x|^4 ... = 1e800: refused, not returned as inf
        with pytest.raises(ValueError, match="exceeds the float64 range"):
            arccos_kernel(np.array([x]), np.array([y]), degree, layers=2)
        return
    for layers in (2, 3):
        got = arccos_kernel(np.array([x]), np.array([y]), degree, layers=layers)[0, 0]
        np.testing.assert_allclose(got, multilayer_mpmath(x, y, degree, layers), rtol=32 * np.finfo(float).eps,
                                   atol=0)


def test_multilayer_kernel_against_a_deep_random_relu_network():
    """Monte Carlo: h -> sqrt(2/m) relu(W h), W ~ N(0, I), three layers of width m; h^3(x).h^3(y) -> k^(3)(x, y).

    R = 400 independent networks of width m = 250 (seeded): their mean lies within 5 standard errors (the
    spread of the R estimates over sqrt(R)) of the exact kernel. The same standard errors separate the
    two- and four-layer kernels by more than 10, so the test tells the layers apart. The spread shrinks
    like 1/sqrt(m): from m = 64 to m = 256 it halves, within 5 standard errors of a ratio of spreads
    (about 0.1 for R = 400).
    """
    X = np.array([[1.0, 0.0, 0.0], [0.6, 0.8, 0.0], [-0.5, 0.2, 0.4]])
    exact = arccos_kernel(X, X, 1, layers=3)

    def network_kernel(m, rng):
        H = X.T  # (3, N): one column per input
        for _ in range(3):
            H = np.sqrt(2.0 / m) * np.maximum(rng.standard_normal((m, H.shape[0])) @ H, 0.0)  # (m, N)
        return H.T @ H  # (N, N)

    rng = np.random.default_rng(2024)
    R = 400
    est = np.array([network_kernel(250, rng) for _ in range(R)])  # (R, N, N)
    se = est.std(axis=0, ddof=1) / np.sqrt(R)
    assert np.all(np.abs(est.mean(axis=0) - exact) < 5 * se)
    for other in (2, 4):
        assert np.max(np.abs(arccos_kernel(X, X, 1, layers=other) - exact) / se) > 10
    narrow = np.array([network_kernel(64, rng) for _ in range(R)]).std(axis=0, ddof=1)
    wide = np.array([network_kernel(256, rng) for _ in range(R)]).std(axis=0, ddof=1)
    ratio_se = 2.0 * np.sqrt(2.0 / (R - 1))  # ratio 2 times the relative errors of two spreads, combined
    assert np.all(np.abs(narrow / wide - 2.0) < 5 * ratio_se), narrow / wide


# ----------------------------------------------------------------------------- kernel ridge: PSD and resolution

def test_kernel_ridge_and_ridge_with_a_tiny_lam():
    # refusals (a non-PSD K used to give -y, lam = 1e-310 on a singular K [nan, inf]) are in the bad-input table;
    # with an invertible K a tiny lam is harmless, and above the resolution ridge is the minimizer
    np.testing.assert_allclose(kernel_ridge(np.eye(2), np.ones(2), 1.0), [0.5, 0.5], rtol=1e-15, atol=0)
    np.testing.assert_allclose(kernel_ridge(np.diag([1.0, 2.0]), np.array([1.0, 2.0]), 1e-310), [1.0, 1.0],
                               rtol=1e-15, atol=0)
    Phi = np.ones((3, 2))  # rank 1: Phi.T Phi is singular
    v = ridge(Phi, np.ones(3), 1e-6)
    np.testing.assert_allclose(v, np.linalg.solve(Phi.T @ Phi + 1e-6 * np.eye(2), Phi.T @ np.ones(3)),
                               rtol=1e-9, atol=0)


# ----------------------------------------------------------------------------- bad input

_rng = np.random.default_rng(0)
_X3 = np.ones((2, 3))

BAD_INPUT = [
    # (call, exception, regex naming the argument)
    (lambda: arccos_kernel(_X3, _X3, 3), ValueError, r"\bdegree must be 0, 1 or 2, got 3"),
    (lambda: arccos_kernel(_X3, _X3, 1.0), TypeError, r"\bdegree must be the integer"),
    (lambda: arccos_kernel(_X3, _X3, True), TypeError, r"\bdegree must be the integer"),
    (lambda: arccos_kernel(_X3, _X3, 1, layers=0), ValueError, r"\blayers must be an integer >= 1"),
    (lambda: arccos_kernel(_X3, _X3, 1, layers=10**400), ValueError, r"\blayers must be an integer <= 50"),
    (lambda: arccos_kernel(_X3, _X3, 1, layers=2.0), TypeError, r"\blayers must be an integer"),
    (lambda: arccos_kernel(_X3, np.ones((2, 2))), ValueError, r"X and Y must have the same number of features"),
    (lambda: arccos_kernel(np.ones(3), _X3), ValueError, r"\bX must be 2-D"),
    (lambda: arccos_kernel(_X3, [[1.0, np.nan, 0.0]]), ValueError, r"\bY must be finite"),
    (lambda: arccos_kernel(_X3 + 1j, _X3), TypeError, r"\bX must be real"),
    (lambda: arccos_kernel([[1e150, 0.0]], [[1e150, 1e140]], 2), ValueError, r"exceeds the float64 range.*X and Y"),
    (lambda: random_features(_X3, np.ones((4, 3)), np.zeros(4), "swish"), ValueError, r"\bactivation must be one of"),
    (lambda: random_features(_X3, np.ones((4, 2)), np.zeros(4)), ValueError, r"\bW expects 2"),
    (lambda: random_features(_X3, np.ones((4, 3)), np.zeros(3)), ValueError, r"\bb must have shape \(4,\)"),
    (lambda: random_features(_X3, np.ones((4, 3)), np.zeros(4), lambda z: z.sum()), ValueError,
     r"\bactivation must act entrywise"),
    (lambda: random_features(_X3, np.ones((4, 3)), np.zeros(4), lambda z: z * 1j), TypeError,
     r"activation\(X @ W.T \+ b\) must be real"),
    (lambda: random_features(_X3, np.ones((4, 3)), np.zeros(4), lambda z: np.full_like(z, np.inf)), ValueError,
     r"activation\(X @ W.T \+ b\) must be finite"),
    (lambda: draw_weights(3, 0, _rng), ValueError, r"\bm must be an integer >= 1"),
    (lambda: draw_weights(10**400, 3, _rng), ValueError, r"\bn_in must be an integer <="),
    (lambda: draw_weights(3, 4, 42), TypeError, r"\brng must be a numpy.random.Generator"),
    (lambda: draw_weights(3, 4, _rng, bias_std=-1.0), ValueError, r"\bbias_std must be >= 0"),
    (lambda: random_feature_kernel(_X3, _X3, 0, _rng), ValueError, r"\bm must be an integer >= 1"),
    (lambda: random_feature_kernel(_X3, _X3, 5, None), TypeError, r"\brng must be a numpy.random.Generator"),
    (lambda: random_feature_kernel(_X3, np.ones((2, 2)), 5, _rng), ValueError, r"X and Y must have the same number"),
    (lambda: kernel_ridge(np.ones((2, 3)), np.ones(2), 1.0), ValueError, r"\bK_train must be square"),
    (lambda: kernel_ridge(np.array([[1.0, 0.5], [0.0, 1.0]]), np.ones(2), 1.0), ValueError, r"\bK_train must be symmetric"),
    (lambda: kernel_ridge(-2 * np.eye(2), np.ones(2), 1.0), ValueError, r"\bK_train must be positive semi-definite.*-2"),
    (lambda: kernel_ridge(np.eye(2), np.ones(2), 0.0), ValueError, r"\blam must be > 0"),
    (lambda: kernel_ridge(np.eye(2), np.ones(2), 10**400), ValueError, r"\blam must be finite"),
    (lambda: kernel_ridge(np.zeros((2, 2)), np.ones(2), 1e-320), ValueError, r"overflows float64 \(lam = 1e-320\)"),
    (lambda: kernel_ridge(np.eye(2), np.ones(3), 1.0), ValueError, r"\by must have one row per training sample"),
    (lambda: kernel_predict(np.ones((1, 2)), np.ones(3)), ValueError, r"\balpha must have one row per training sample"),
    (lambda: kernel_predict(np.ones(2), np.ones(2)), ValueError, r"\bK_test_train must be 2-D"),
    (lambda: ridge(np.ones((3, 2)), np.ones(2), 1.0), ValueError, r"\by must have one row per training sample"),
    (lambda: ridge(np.ones((3, 2)), np.ones(3), -1.0), ValueError, r"\blam must be > 0"),
    (lambda: ridge(np.full((3, 2), 1e200), np.ones(3), 1.0), ValueError, r"\bPhi has entries too large"),
    (lambda: ridge(np.ones((3, 2)), np.ones(3), 1e-310), ValueError, r"\blam = 1e-310 is below the resolution of Phi.T @ Phi"),
    (lambda: ridge(np.ones((2, 3)), np.ones(2), 1e-310), ValueError, r"\blam = 1e-310 is below the resolution of Phi @ Phi.T"),
    (lambda: kernel_ridge(np.ones((2, 2)), np.ones(2), 1e-310), ValueError, r"\blam = 1e-310 is below the resolution of K_train"),
]


@pytest.mark.parametrize("call, exc, pattern", BAD_INPUT)
def test_bad_input(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()
