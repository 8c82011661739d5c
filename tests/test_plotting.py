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
