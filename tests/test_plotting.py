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
