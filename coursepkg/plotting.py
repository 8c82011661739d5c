"""The book's figure style and two diagram helpers.

matplotlib is imported inside the functions, so ``import coursepkg`` needs
numpy only. Every chapter calls :func:`use_style` once; the palette is
Okabe & Ito's, which stays distinguishable under the common forms of colour
blindness.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._validation import _describe, as_int

__all__ = ["PALETTE", "use_style", "draw_mlp", "draw_pipeline"]

#: Okabe-Ito colours: blue, orange, bluish green, vermillion, sky blue, reddish purple, yellow, black.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")


def use_style() -> None:
    """Set matplotlib's defaults for the book: palette, sizes, grid, PNG output at 100 dpi."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({
        "axes.prop_cycle": cycler(color=PALETTE),
        "figure.figsize": (6.4, 3.6),
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 10,
        "legend.frameon": False,
        "image.cmap": "viridis",
        "svg.hashsalt": "coursepkg",
    })


def draw_mlp(sizes: Sequence[int], ax=None, max_units: int = 8, labels: bool = True):
    r"""Draw a fully connected network as circles joined by lines.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths :math:`(n_0, \dots, n_L)`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if omitted.
    max_units : int, default 8
        Layers wider than this are drawn with ``max_units`` circles and an ellipsis.
    labels : bool, default True
        Write :math:`\mathbf{a}^l` and :math:`n_l` under each layer and
        :math:`\mathbf{W}^l, \mathbf{b}^l` between layers.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``sizes`` has fewer than two entries, a width is below 1 or ``max_units`` below 2.
    TypeError
        If ``sizes`` is not a sequence of integers or ``max_units`` is not an integer.
    """
    import matplotlib.pyplot as plt

    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"sizes must be a sequence of at least two layer widths, got {_describe(sizes)}")
    if len(sizes) < 2:
        raise ValueError(f"sizes must be a sequence of at least two layer widths, got {_describe(sizes)}")
    sizes = [as_int(n, f"sizes[{i}]", minimum=1) for i, n in enumerate(sizes)]
    max_units = as_int(max_units, "max_units", minimum=2)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.8 * len(sizes) + 1, 3.6))
    L = len(sizes) - 1
    positions = []
    for l, n in enumerate(sizes):
        shown = min(n, max_units)
        ys = np.linspace(-1, 1, shown) * (0.9 * shown / max_units) if shown > 1 else np.zeros(1)
        positions.append(ys)
        color = PALETTE[0] if l == 0 else (PALETTE[1] if l == L else PALETTE[2])
        for j, y in enumerate(ys):
            if n > max_units and j == shown - 2:
                ax.text(l, y, r"$\vdots$", ha="center", va="center", fontsize=12)
                continue
            ax.add_patch(plt.Circle((l, y), 0.07, color=color, zorder=3))
        if labels:
            ax.text(l, -1.25, rf"$\mathbf{{a}}^{{{l}}}$" + "\n" + rf"$n_{{{l}}}={n}$", ha="center", va="top")
    for l in range(1, L + 1):
        for y0 in positions[l - 1]:
            for y1 in positions[l]:
                ax.plot([l - 1, l], [y0, y1], color="0.6", lw=0.5, zorder=1)
        if labels:
            ax.text(l - 0.5, 1.12, rf"$\mathbf{{W}}^{{{l}}}, \mathbf{{b}}^{{{l}}}$", ha="center", va="bottom")
    ax.set_xlim(-0.5, L + 0.5)
    ax.set_ylim(-1.75, 1.4)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def draw_pipeline(stages: Sequence[tuple[str, str]], ax=None, colors: Sequence[str] | None = None):
    """Draw a left-to-right data flow: one box per stage, arrows between them.

    Parameters
    ----------
    stages : sequence of (str, str)
        ``(title, detail)`` for each box; ``detail`` (e.g. a shape) is written
        under the title in a smaller font. Math in ``$...$`` is allowed.
    ax : matplotlib.axes.Axes, optional
    colors : sequence of str, optional
        One face colour per stage; default cycles through :data:`PALETTE`.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``stages`` is empty or not a sequence, or ``colors`` does not give one colour per stage.
    TypeError
        If a stage is not a ``(title, detail)`` pair of strings, or ``colors`` is not a
        sequence of strings.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    if isinstance(stages, (str, bytes)) or not isinstance(stages, Sequence) or not stages:
        raise ValueError(f"stages must be a non-empty sequence of (title, detail) pairs, got {_describe(stages)}")
    for i, s in enumerate(stages):
        if not (isinstance(s, tuple) and len(s) == 2 and all(isinstance(t, str) for t in s)):
            raise TypeError(f"stages[{i}] must be a (title, detail) pair of strings, got {_describe(s)}")
    n = len(stages)
    if colors is not None:
        if isinstance(colors, (str, bytes)) or not isinstance(colors, Sequence) \
                or not all(isinstance(c, str) for c in colors):
            raise TypeError(f"colors must be a sequence of colour strings, one per stage, got {_describe(colors)}")
        if len(colors) != n:
            raise ValueError(f"colors must give one colour per stage ({n}), got {len(colors)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(1.25 * n + 0.5, 2.0))
    colors = list(colors) if colors is not None else [PALETTE[i % 6] for i in range(n)]
    for i, (title, detail) in enumerate(stages):
        ax.add_patch(FancyBboxPatch((i * 1.3, 0), 1.0, 1.0, boxstyle="round,pad=0.04",
                                    facecolor=colors[i], alpha=0.25, edgecolor=colors[i]))
        ax.text(i * 1.3 + 0.5, 0.62, title, ha="center", va="center", fontsize=9)
        ax.text(i * 1.3 + 0.5, 0.28, detail, ha="center", va="center", fontsize=7.5, color="0.25")
        if i:
            ax.annotate("", xy=(i * 1.3 - 0.04, 0.5), xytext=(i * 1.3 - 0.26, 0.5),
                        arrowprops={"arrowstyle": "->", "color": "0.3"})
    ax.set_xlim(-0.15, n * 1.3 - 0.15)
    ax.set_ylim(-0.15, 1.15)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
