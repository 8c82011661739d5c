"""The figure helpers draw without error and reject bad input."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from coursepkg import plotting  # noqa: E402


def test_style_and_diagrams():
    plotting.use_style()
    assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"][0] == plotting.PALETTE[0]
    ax = plotting.draw_mlp([3, 12, 2])
    assert len(ax.patches) == 3 + 7 + 2  # 12 units drawn as 7 circles and an ellipsis
    ax = plotting.draw_pipeline([("input", "8x8"), ("conv", "$g(f * x)$")])
    assert len(ax.patches) == 2
    plt.close("all")


def test_bad_input():
    with pytest.raises(ValueError, match="sizes must be a sequence of at least two"):
        plotting.draw_mlp([3])
    with pytest.raises(ValueError, match="stages must be a non-empty sequence"):
        plotting.draw_pipeline([])
    with pytest.raises(TypeError, match=r"stages\[0\] must be a \(title, detail\) pair"):
        plotting.draw_pipeline(["conv"])
    plt.close("all")


def test_bad_colors_and_sizes_are_named():
    stages = [("input", "8x8"), ("conv", "6x6")]
    # before: a short colour list failed with IndexError in the middle of drawing
    with pytest.raises(ValueError, match=r"colors must give one colour per stage \(2\), got 1"):
        plotting.draw_pipeline(stages, colors=["red"])
    with pytest.raises(TypeError, match="colors must be a sequence of colour strings"):
        plotting.draw_pipeline(stages, colors="red")
    ax = plotting.draw_pipeline(stages, colors=("red", "blue"))
    assert len(ax.patches) == 2
    with pytest.raises(TypeError, match="sizes must be a sequence of at least two layer widths, got int"):
        plotting.draw_mlp(5)
    plt.close("all")


# ---------------------------------------------------------------------------
# The diagrams show the mathematics: what is written equals the package's own computation.
# ---------------------------------------------------------------------------
import numpy as np  # noqa: E402

from coursepkg import activations, conv, mlp, regularization  # noqa: E402


def _texts(ax):
    return {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}


def test_computational_graph_values_are_a_real_forward_and_backward_pass():
    rng = np.random.default_rng(3)
    params = {"W1": rng.normal(size=(3, 2)), "b1": rng.normal(size=3),
              "W2": rng.normal(size=(1, 3)), "b2": rng.normal(size=1)}
    x, y = np.array([0.7, -1.2]), 0.4
    ax, values = plotting.draw_computational_graph(params, x, y, hidden="tanh", digits=3)
    texts = _texts(ax)
    # forward: the caches of mlp_forward; backward: the gradients of mlp_loss_and_grads
    A, caches = mlp.mlp_forward(params, x[None, :], hidden="tanh", output="identity")
    loss, grads = mlp.mlp_loss_and_grads(params, x[None, :], np.array([[y]]), hidden="tanh",
                                         output="identity", loss="quadratic")
    expected_fwd = {"x": x, "z1": caches[0].activation.Z[0], "a1": caches[0].activation.A[0],
                    "z2": A[0], "c": loss, "W1": params["W1"], "b1": params["b1"], "W2": params["W2"]}
    # for one example, dc/db^l is the message dc/dz^l; dc/da1 = W2^T dc/dz2
    expected_bwd = {"z1": grads["b1"], "z2": grads["b2"], "a1": params["W2"].T @ grads["b2"],
                    "W1": grads["W1"], "b1": grads["b1"], "W2": grads["W2"], "b2": grads["b2"], "c": 1.0}
    h = 1e-6   # dc/dx by central differences through the package's loss
    expected_bwd["x"] = np.array([(mlp.mlp_loss_and_grads(params, (x + h * e)[None, :], np.array([[y]]),
                                                          hidden="tanh", output="identity")[0]
                                   - mlp.mlp_loss_and_grads(params, (x - h * e)[None, :], np.array([[y]]),
                                                            hidden="tanh", output="identity")[0]) / (2 * h)
                                  for e in np.eye(2)])
    for kind, expected in (("forward", expected_fwd), ("backward", expected_bwd)):
        for name, want in expected.items():
            written = plotting.parse_diagram_number(texts[f"{kind}:{name}"])
            digits = 4 if (kind, name) == ("forward", "c") else 3
            np.testing.assert_allclose(written, np.ravel(want), rtol=0, atol=0.51 * 10.0**-digits,
                                       err_msg=f"{kind}:{name}")
            np.testing.assert_allclose(np.ravel(values[kind][name]), np.ravel(want), rtol=1e-6, atol=1e-9)
    plt.close("all")


def test_computational_graph_rejects_a_deep_or_wide_network():
    with pytest.raises(ValueError, match="params must have exactly the keys W1, b1, W2, b2"):
        plotting.draw_computational_graph({"W1": np.ones((2, 2))})
    with pytest.raises(ValueError, match=r"params must be a network n0-n1-1 with n0, n1 <= 3"):
        plotting.draw_computational_graph({"W1": np.ones((4, 2)), "b1": np.ones(4),
                                           "W2": np.ones((1, 4)), "b2": np.ones(1)})
    with pytest.raises(ValueError, match=r"x must have shape \(2,\)"):
        plotting.draw_computational_graph(x=[1.0, 2.0, 3.0])


@pytest.mark.parametrize("operation", ["correlate", "convolve"])
@pytest.mark.parametrize("mode", ["valid", "same", "full"])
def test_sliding_window_matrix_is_the_convolution_operator(operation, mode):
    w, x = np.array([1.0, 2.0, -1.0]), np.array([3.0, 1.0, 0.0, 2.0, 4.0, 1.0])
    k = w if operation == "convolve" else w[::-1]
    dense = conv.ConvolutionOperator(k, x.size, mode).to_dense()
    out = (conv.convolve if operation == "convolve" else conv.correlate)(w, x, mode)
    for position in range(dense.shape[0]):
        (ax, axm), r = plotting.draw_sliding_window(w, x, position=position, operation=operation, mode=mode)
        np.testing.assert_array_equal(np.asarray(axm.images[0].get_array()), dense)
        np.testing.assert_allclose(r["output"], dense @ x, rtol=0, atol=1e-12)
        texts = _texts(ax)
        shown = [plotting.parse_diagram_number(texts[f"output:{i}"])[0] for i in range(dense.shape[0])]
        np.testing.assert_allclose(shown, np.round(dense @ x), rtol=0, atol=1e-12)
        # the window under the signal is the highlighted row of the matrix
        row = np.zeros(x.size + 2 * w.size)
        row[w.size + r["window_start"]: w.size + r["window_start"] + w.size] = r["window"]
        np.testing.assert_allclose(row[w.size:w.size + x.size], dense[position], rtol=0, atol=0)
        plt.close("all")
    # the matrix applied to x is the package's own correlation/convolution
    np.testing.assert_allclose(dense @ x, out, rtol=0, atol=1e-12)
    if (operation, mode) == ("correlate", "valid"):   # and by hand: y_i = sum_k w_k x_{i+k}
        np.testing.assert_allclose(dense @ x, [w @ x[i:i + 3] for i in range(4)], rtol=0, atol=1e-12)


def test_sliding_window_2d_output_is_correlate2d():
    img = (np.arange(30.0).reshape(5, 6) * 7) % 5
    ker = np.array([[1.0, 0.0], [2.0, -1.0]])
    axes, r = plotting.draw_sliding_window(ker, img, position=(2, 3))
    np.testing.assert_allclose(r["output"], conv.correlate2d(img, ker, "valid"), rtol=0, atol=1e-12)
    texts = _texts(axes[2])
    out = conv.correlate2d(img, ker, "valid")
    for (i, j), v in np.ndenumerate(out):
        np.testing.assert_allclose(plotting.parse_diagram_number(texts[f"output:{i}:{j}"]), [v], rtol=0, atol=0)
    np.testing.assert_allclose(r["window"].sum(), out[2, 3], rtol=0, atol=1e-12)
    axes, r = plotting.draw_sliding_window(ker, img, position=(0, 0), operation="convolve")
    np.testing.assert_allclose(r["output"], conv.convolve2d(img, ker, "valid"), rtol=0, atol=1e-12)
    with pytest.raises(TypeError, match=r"position must be a pair \(i, j\)"):
        plotting.draw_sliding_window(ker, img, position=1)
    with pytest.raises(ValueError, match="position"):
        plotting.draw_sliding_window([1.0, 2.0], [1.0, 2.0, 3.0], position=5)
    plt.close("all")


def test_dropout_subnetworks_draw_the_package_masks():
    axes, masks = plotting.draw_dropout_subnetworks((3, 5, 4, 2), p=0.5, n_masks=3,
                                                    rng=np.random.default_rng(7))
    rng = np.random.default_rng(7)
    for s in range(3):
        for l, n in enumerate((5, 4), start=1):
            mask = regularization.dropout(np.ones(n), 0.5, rng)[1] > 0
            np.testing.assert_array_equal(masks[s][l - 1], mask.astype(float))
            drawn = [p.get_gid() for p in axes[s + 1].patches if p.get_gid().startswith(f"unit:{l}:")]
            assert [g.endswith(":kept") for g in drawn] == mask.tolist()
    # the full network keeps everything, and a dropped unit has no connection left
    assert all(p.get_gid().endswith(":kept") for p in axes[0].patches)
    n_edges = sum(1 for line in axes[1].lines if line.get_linewidth() == 0.7)
    k1, k2 = int(masks[0][0].sum()), int(masks[0][1].sum())
    assert n_edges == 3 * k1 + k1 * k2 + k2 * 2
    with pytest.raises(ValueError, match="sizes must list at least three layer widths"):
        plotting.draw_dropout_subnetworks((3, 2))
    plt.close("all")


def test_softmax_simplex_paths_are_softmax_of_scaled_logits():
    Z = np.array([[2.0, 1.0, 0.0], [1.0, 1.0, -0.5]])
    ax, r = plotting.draw_softmax_simplex(Z, c_max=30.0)
    lines = {line.get_gid(): line for line in ax.lines if line.get_gid()}
    for k, z in enumerate(Z):
        P = activations.softmax(r["c"][:, None] * z[None, :])
        xy = np.stack([P[:, 1] + P[:, 2] / 2, np.sqrt(3) / 2 * P[:, 2]], axis=1)
        np.testing.assert_allclose(np.asarray(lines[f"path:{k}"].get_xydata()), xy, rtol=0, atol=1e-12)
        # c = 0 is the centre; the largest c is near the vertex (or the edge midpoint for a tie)
        np.testing.assert_allclose(P[0], np.full(3, 1 / 3), rtol=0, atol=1e-15)
    np.testing.assert_allclose(r["probabilities"][0, -1], [1, 0, 0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(r["probabilities"][1, -1], [0.5, 0.5, 0], rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match=r"logits must have shape \(K, 3\)"):
        plotting.draw_softmax_simplex([[1.0, 2.0]])
    plt.close("all")


def test_method_colors_and_style():
    assert plotting.method_color("Adam (lr = 0.01)") == plotting.METHOD_COLORS["adam"]
    assert len(set(plotting.METHOD_COLORS.values())) == len(plotting.METHOD_COLORS)
    with pytest.raises(ValueError, match="name must start with one of"):
        plotting.method_color("lbfgs")
    plotting.use_style()
    assert matplotlib.rcParams["figure.figsize"][0] <= plotting.FIG_WIDTH
    for key in ("xtick.labelsize", "ytick.labelsize", "legend.fontsize", "font.size"):
        assert float(matplotlib.rcParams[key]) >= plotting.MIN_FONT_PT, key
    assert matplotlib.rcParams["legend.loc"] == "best"


def test_pipeline_wraps_to_the_column():
    ax = plotting.draw_pipeline([(f"s{i}", "1×2") for i in range(9)])
    assert ax.figure.get_size_inches()[0] <= plotting.FIG_WIDTH
    assert len(ax.patches) == 9
    plt.close("all")
