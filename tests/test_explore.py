"""Tests of coursepkg.explore: every precomputed state is the mathematics it claims to show."""
import json

import numpy as np
import pytest

from coursepkg import activations, explore, mlp, optim
from coursepkg.explore import PLOTLY_MIME


def _steps(ex, k=0):
    return ex.figure["layout"]["sliders"][k]["steps"]


def test_universal_approximation_states_are_a_sigmoid_network():
    """Any choice of slider positions shows the output of the two-layer sigmoid network it describes."""
    n, w = 4, 400.0
    ex = explore.universal_approximation(n_bumps=n, steepness=w)
    x = np.asarray(ex.figure["data"][0]["x"])
    rng = np.random.default_rng(0)
    choice = rng.integers(0, len(_steps(ex, 0)), size=n)
    shown = np.zeros_like(x)
    heights = []
    for j, c in enumerate(choice):
        step = _steps(ex, j)[c]
        (update, traces) = step["args"]
        assert traces == [1 + j, n + 2 + j]
        shown += np.asarray(update["y"][0])
        heights.append(float(step["label"]))
    # the same network through coursepkg.mlp: hidden units sigma(w x - w s_k), output weights +-h_j
    s = np.linspace(0, 1, n + 1)
    params = {"W1": np.full((2 * n, 1), w), "b1": -w * np.concatenate([s[:-1], s[1:]]),
              "W2": np.concatenate([heights, -np.asarray(heights)])[None, :], "b2": np.zeros(1)}
    out = mlp.mlp_forward(params, x[:, None], hidden="sigmoid", output="identity")
    out = out[0] if isinstance(out, tuple) else out
    np.testing.assert_allclose(shown, out[:, 0], rtol=0, atol=5e-5 * n)


def test_universal_approximation_error_panel_is_output_minus_target():
    ex = explore.universal_approximation(n_bumps=3)
    data = ex.figure["data"]
    x = np.linspace(0.0, 1.0, 121)          # the default grid; stored rounded to 5 decimals
    np.testing.assert_allclose(data[0]["x"], x, rtol=0, atol=5e-6)
    target = 0.2 + 0.4 * x**2 + 0.3 * x * np.sin(15 * x) + 0.05 * np.cos(50 * x)
    np.testing.assert_allclose(data[0]["y"], target, rtol=0, atol=6e-6)
    err_stack = [t for t in data if t.get("stackgroup") == "err"]
    assert len(err_stack) == 4
    np.testing.assert_allclose(err_stack[0]["y"], -target, rtol=0, atol=6e-6)


def test_softmax_temperature_states_match_the_package():
    z = [0.0, 1.0, 1.5, 3.0]
    ex = explore.softmax_temperature(z)
    for step in _steps(ex):
        c = float(step["args"][0]["x"][0][0])
        bars = np.asarray(step["args"][0]["y"][1])
        np.testing.assert_allclose(bars, activations.softmax(c * np.asarray(z)), rtol=0, atol=1e-5)
        np.testing.assert_allclose(bars.sum(), 1.0, rtol=0, atol=1e-4)


def test_optimizer_paths_match_the_optimizer_and_the_sliders_select_one_path():
    A = np.diag([1.0, 10.0])
    lrs, moms = [0.02, 0.1], [0.0, 0.9]
    ex = explore.optimizer_paths(lambda p: 0.5 * p @ A @ p, lambda p: A @ p, [1.5, 1.0],
                                 lambda lr, a: optim.momentum(lr, alpha=a), lrs, moms, n_steps=8)
    paths = ex.figure["data"][1:]
    assert len(paths) == 4
    # path (lr=0.1, alpha=0.9) against a direct run of the heavy-ball recursion
    v, p, expected = np.zeros(2), np.array([1.5, 1.0]), [np.array([1.5, 1.0])]
    for _ in range(8):
        v = 0.9 * v - 0.1 * (A @ p)
        p = p + v
        expected.append(p)
    expected = np.array(expected)
    path = paths[3]
    np.testing.assert_allclose(np.c_[path["x"], path["y"]], expected, rtol=0, atol=1e-4)
    # for every pair of slider positions exactly one path is visible and opaque
    for i, lr_step in enumerate(_steps(ex, 0)):
        for k, mom_step in enumerate(_steps(ex, 1)):
            vis = lr_step["args"][0]["visible"]
            opa = mom_step["args"][0]["opacity"]
            shown = [j for j in range(4) if vis[j] and opa[j] > 0]
            assert shown == [2 * i + k]


def test_smooth_relu_states():
    ex = explore.smooth_relu([0.5, 4.0])
    x = np.asarray(ex.figure["data"][1]["x"])
    for a, step in zip([0.5, 4.0], _steps(ex)):
        f, df = (np.asarray(y) for y in step["args"][0]["y"])
        np.testing.assert_allclose(f, activations.smooth_relu(x, a), rtol=0, atol=1e-5)
        np.testing.assert_allclose(df, activations.sigmoid(a * x), rtol=0, atol=1e-5)


def test_display_bundle_is_deterministic_and_complete():
    a, b = explore.smooth_relu(), explore.smooth_relu()
    ba, bb = a._repr_mimebundle_(), b._repr_mimebundle_()
    assert set(ba) == {PLOTLY_MIME, "text/html", "image/png", "text/plain"}
    assert ba["text/html"] == bb["text/html"]
    assert 'id="explore-smooth-relu"' in ba["text/html"]
    json.dumps(ba[PLOTLY_MIME])                       # valid JSON for JupyterLab's renderer
    assert ba["image/png"].startswith("iVBORw0KGgo")  # base64 of a PNG signature


@pytest.mark.parametrize("call, name", [
    (lambda: explore.universal_approximation(target=3), "target"),
    (lambda: explore.universal_approximation(n_bumps=1), "n_bumps"),
    (lambda: explore.universal_approximation(n_bumps=2.5), "n_bumps"),
    (lambda: explore.universal_approximation(heights=[1.0]), "heights"),
    (lambda: explore.universal_approximation(steepness=-1.0), "steepness"),
    (lambda: explore.universal_approximation(target=lambda x: np.nan * x), "target"),
    (lambda: explore.softmax_temperature("abc"), "z"),
    (lambda: explore.softmax_temperature([0, 1], c_values=[1.0, -1.0]), "c_values"),
    (lambda: explore.softmax_temperature([0, 1], start=1e3), "start"),
    (lambda: explore.optimizer_paths(None, abs, [0, 0], optim.sgd, [0.1, 0.2], [0.0]), "loss"),
    (lambda: explore.optimizer_paths(abs, abs, [0, 0, 0], optim.sgd, [0.1, 0.2], [0.0]), "start"),
    (lambda: explore.optimizer_paths(abs, abs, [0, 0], optim.sgd, [0.1, 0.2], [1.5]), "momenta"),
    (lambda: explore.smooth_relu([0.0, 1.0]), "alphas"),
    (lambda: explore.smooth_relu(x_max=float("inf")), "x_max"),
])
def test_bad_input_names_the_argument(call, name):
    with pytest.raises((TypeError, ValueError), match=name):
        call()


def test_jupyterlab_bundle_is_not_responsive_but_the_page_is():
    """JupyterLab's plotly renderer collapses a responsive figure to its empty output area after a
    slider moves (seen in headless Chromium: 430 px -> 29 px); the book's page keeps responsive."""
    ex = explore.smooth_relu()
    bundle = ex._repr_mimebundle_()
    assert "responsive" not in bundle[PLOTLY_MIME]["config"]
    assert bundle[PLOTLY_MIME]["layout"]["height"] == ex.height
    assert '"responsive":true' in bundle["text/html"]
    # grid lines in a grey that reads on both themes (plotly's white grid vanishes on a light page)
    assert bundle[PLOTLY_MIME]["layout"]["xaxis"]["gridcolor"].startswith("rgba(127,127,127")


def test_still_shows_the_slider_positions_chosen_for_print():
    ua = explore.universal_approximation(n_bumps=3)
    spec, still = ua.spec(), ua.still_spec()
    sliders = spec["layout"]["sliders"]
    assert len(ua.still) == 3 and all(sl["active"] == ua.still[j] for j, sl in enumerate(still["layout"]["sliders"]))
    for j, k in enumerate(ua.still):          # each bump's traces hold the arrays of the chosen step
        update, traces = sliders[j]["steps"][k]["args"]
        for trace, y in zip(traces, update["y"]):
            assert still["data"][trace]["y"] == y
    # the interactive figure is untouched: the sliders start at height 0, the bumps are flat
    assert all(sl["steps"][sl["active"]]["label"] == "0" for sl in spec["layout"]["sliders"])
    assert not np.any(spec["data"][1]["y"]) and np.any(still["data"][1]["y"])
    # the printed heights are the grid values nearest the middle of the target's range on each bump
    x, t = np.asarray(spec["data"][0]["x"]), np.asarray(spec["data"][0]["y"])
    edges = np.linspace(0, 1, 4)
    for j, k in enumerate(ua.still):
        on = (x >= edges[j]) & (x <= edges[j + 1])
        offered = np.array([float(step["label"]) for step in sliders[j]["steps"]])
        assert abs(offered[k] - (t[on].max() + t[on].min()) / 2) <= 0.05 + 1e-5
    # an explorable without a print state is printed at its start
    st = explore.softmax_temperature([1.0, 2.0, 0.5])
    assert st.still is None and st.still_spec() == st.spec()
    with pytest.raises(ValueError, match="one step per slider"):
        explore.Explorable("x", ua.figure, still=(0,)).still_spec()
