r"""The book's figure style and its diagrams.

matplotlib is imported inside the functions, so ``import coursepkg`` needs
numpy only. Every chapter calls :func:`use_style` once: figures at most
:data:`FIG_WIDTH` inches wide at 100 dpi (the article column, so the browser
never shrinks them), no text below :data:`MIN_FONT_PT` points, legends where they
cover least data. The palette is Okabe & Ito's, which stays distinguishable under
the common forms of colour blindness; :data:`METHOD_COLORS` gives every optimizer
the same colour in every chapter.

Diagrams of the central ideas, each computed with the package itself (so a test
compares the picture with the mathematics):

- :func:`draw_computational_graph` -- a two-layer network's graph with the forward
  values above each edge and the backward messages below (chapter 6);
- :func:`draw_sliding_window` -- a kernel sliding over a signal beside the Toeplitz
  matrix it forms, or over an image beside the output grid (chapters 9, 10);
- :func:`draw_dropout_subnetworks` -- dropout masks as thinned sub-networks (chapter 13);
- :func:`draw_softmax_simplex` -- the softmax onto the probability simplex and the
  path of :math:`\operatorname{softmax}(c\,\mathbf{z})` as the temperature grows (chapter 5);
- :func:`draw_mlp`, :func:`draw_pipeline` -- a network's layers, a model's data flow.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._validation import _describe, as_int

__all__ = ["PALETTE", "METHOD_COLORS", "FIG_WIDTH", "MIN_FONT_PT", "use_style", "method_color",
           "draw_mlp", "draw_pipeline", "draw_computational_graph", "draw_sliding_window",
           "draw_dropout_subnetworks", "draw_softmax_simplex"]

#: Okabe-Ito colours: blue, orange, bluish green, vermillion, sky blue, reddish purple, yellow, black.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")

#: The widest figure, in inches at 100 dpi. The book's article column is 688 px wide at a 1280 px
#: window and a captioned figure has 8 px of padding on each side, so an output PNG of at most
#: 672 px is shown at its own size (never shrunk by the browser); 6.6 in leaves room for
#: ``bbox_inches="tight"``, which may add a few pixels when a label sticks out.
FIG_WIDTH = 6.6
#: No text in a figure smaller than this (points at 100 dpi, shown 1:1 in the column).
MIN_FONT_PT = 9.0

#: One colour per optimizer, the same in every chapter (Okabe-Ito, black and grey for the last two).
METHOD_COLORS = {
    "sgd": PALETTE[7], "momentum": PALETTE[0], "nesterov": PALETTE[4], "adagrad": PALETTE[2],
    "rmsprop": PALETTE[5], "adam": PALETTE[3], "adadelta": PALETTE[1], "newton": "#7f7f7f",
}
# the forward values and the backward messages of a diagram
_FORWARD, _BACKWARD, _MUTED = "#000000", PALETTE[3], "#9a9a9a"


def method_color(name: str) -> str:
    """The book's colour for an optimizer (:data:`METHOD_COLORS`), by name, ignoring case and
    anything after a space or parenthesis (``"Adam (lr=0.01)"`` is Adam's colour).

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        If the name is not one of :data:`METHOD_COLORS`.

    Examples
    --------
    >>> method_color("Adam (lr = 0.001)") == METHOD_COLORS["adam"]
    True
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be an optimizer name such as 'adam', got {_describe(name)}")
    key = name.strip().lower().replace("-", "").split(" ")[0].split("(")[0]
    key = {"gd": "sgd", "heavyball": "momentum", "nag": "nesterov"}.get(key, key)
    if key not in METHOD_COLORS:
        raise ValueError(f"name must start with one of {sorted(METHOD_COLORS)}, got {name!r}")
    return METHOD_COLORS[key]


def use_style() -> None:
    """Set matplotlib's defaults for the book, once per chapter.

    Figures are at most :data:`FIG_WIDTH` inches wide at 100 dpi, so the browser shows the PNG at
    its own size in the article column and no text falls below :data:`MIN_FONT_PT` points
    (tick labels and legends included); legends go where they cover least data (``"best"``);
    colours cycle through :data:`PALETTE`; the background stays white (the book shows figures as
    light cards in dark mode).
    """
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({
        "axes.prop_cycle": cycler(color=PALETTE),
        "figure.figsize": (6.4, 3.6),
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 10.5,
        "axes.titlesize": 11,
        "axes.labelsize": 10.5,
        "xtick.labelsize": MIN_FONT_PT + 0.5,
        "ytick.labelsize": MIN_FONT_PT + 0.5,
        "legend.fontsize": MIN_FONT_PT + 0.5,
        "legend.title_fontsize": MIN_FONT_PT + 0.5,
        "legend.loc": "best",
        "legend.frameon": True,
        "legend.framealpha": 0.85,
        "legend.edgecolor": "0.85",
        "figure.titlesize": 11.5,
        "lines.linewidth": 1.8,
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


def draw_pipeline(stages: Sequence[tuple[str, str]], ax=None, colors: Sequence[str] | None = None,
                  per_row: int | None = None):
    """Draw a data flow: one box per stage, arrows between them, left to right in rows.

    Parameters
    ----------
    stages : sequence of (str, str)
        ``(title, detail)`` for each box; ``detail`` (e.g. a shape) is written
        under the title. Math in ``$...$`` is allowed.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure :data:`FIG_WIDTH` wide at most.
    colors : sequence of str, optional
        One face colour per stage; default cycles through :data:`PALETTE`.
    per_row : int, optional
        Boxes per row (default: as many as fit in :data:`FIG_WIDTH` at a legible size, 5);
        a longer pipeline continues on the next row.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``stages`` is empty or not a sequence, ``colors`` does not give one colour per stage,
        or ``per_row`` is below 1.
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
    per_row = 5 if per_row is None else as_int(per_row, "per_row", minimum=1)
    cols = min(n, per_row)
    rows = -(-n // cols)
    if ax is None:
        _, ax = plt.subplots(figsize=(min(FIG_WIDTH, 1.32 * cols + 0.2), 1.55 * rows + 0.1))
    colors = list(colors) if colors is not None else [PALETTE[i % 6] for i in range(n)]
    step, ystep = 1.3, 1.6
    for i, (title, detail) in enumerate(stages):
        x, y = (i % cols) * step, -(i // cols) * ystep
        ax.add_patch(FancyBboxPatch((x, y), 1.0, 1.0, boxstyle="round,pad=0.04",
                                    facecolor=colors[i], alpha=0.25, edgecolor=colors[i]))
        ax.text(x + 0.5, y + 0.66, title, ha="center", va="center", fontsize=10.5)
        ax.text(x + 0.5, y + 0.3, detail, ha="center", va="center", fontsize=10.5, color="0.15",
                fontweight="bold")
        if i and i % cols:
            ax.annotate("", xy=(x - 0.04, y + 0.5), xytext=(x - 0.26, y + 0.5),
                        arrowprops={"arrowstyle": "->", "color": "0.3"})
        elif i:   # the flow continues on the next row
            ax.annotate("", xy=(x + 0.5, y + 1.05), xytext=((cols - 1) * step + 0.5, y + ystep - 0.05),
                        arrowprops={"arrowstyle": "->", "color": "0.3", "connectionstyle": "arc3,rad=0.0"})
    ax.set_xlim(-0.15, cols * step - 0.15)
    ax.set_ylim(-(rows - 1) * ystep - 0.15, 1.15)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


# ---------------------------------------------------------------------------
# Diagrams of the central ideas (chapters 5, 6, 9, 10, 13). Each one computes what it writes
# with the package itself, so a test can compare the picture with the mathematics.
# ---------------------------------------------------------------------------

def _fmt(v, digits: int) -> str:
    """A scalar, vector or matrix as short text: 0.53 / (0.53, -0.12) / matrix rows on lines."""
    v = np.asarray(v, dtype=float)
    def num(t):
        t = round(float(t), digits) + 0.0          # no "-0.00"
        return f"{t:.{digits}f}".replace("-", "\u2212")
    if v.ndim == 0 or v.size == 1:
        return num(v.ravel()[0])
    if v.ndim == 1 or v.shape[1] == 1:          # a column vector: one entry a line
        return "\n".join(num(t) for t in v.ravel())
    return "\n".join("  ".join(num(t) for t in row) for row in v)


def parse_diagram_number(text: str) -> np.ndarray:
    """The numbers written in a diagram's label (its ``\u2212`` read as minus), for tests.

    >>> parse_diagram_number("0.50\\n\u22121.25").tolist()
    [0.5, -1.25]
    """
    import re
    return np.array([float(t) for t in re.findall(r"-?\d+\.?\d*", text.replace("\u2212", "-"))])


def draw_computational_graph(params: dict | None = None, x=None, y=None, hidden: str = "sigmoid",
                             digits: int = 2, ax=None):
    r"""The computational graph of a two-layer network on one example, with the forward values
    (black, above each edge) and the backward messages :math:`\partial c/\partial\,\cdot` (vermillion,
    below each edge) of one forward and one backward pass.

    The network is :math:`\mathbf{z}^1 = \mathbf{W}^1\mathbf{x} + \mathbf{b}^1`,
    :math:`\mathbf{a}^1 = g(\mathbf{z}^1)`, :math:`z^2 = \mathbf{W}^2\mathbf{a}^1 + b^2`,
    :math:`\hat y = z^2` (identity output) and :math:`c = \tfrac12(\hat y - y)^2`, computed with
    :func:`coursepkg.mlp.linear_forward`, :func:`~coursepkg.mlp.activation_forward` and their
    backward pairs. Read it left to right for the forward pass and right to left for the
    backward pass: the message under an edge is the message to its right times the local
    derivative.

    Parameters
    ----------
    params : dict, optional
        ``{"W1": (n1, n0), "b1": (n1,), "W2": (1, n1), "b2": (1,)}`` with :math:`n_0, n_1 \le 3`;
        default a fixed 2-2-1 network.
    x : array_like, shape (n0,), optional
        The input; default ``(1.0, -0.5)``.
    y : float, optional
        The target; default 1.
    hidden : str, default "sigmoid"
        A hidden activation of :data:`coursepkg.mlp.HIDDEN_ACTIVATIONS`.
    digits : int, default 2
        Decimals written.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    ax : matplotlib.axes.Axes
        Every value label is a text artist whose ``gid`` is ``"forward:<name>"`` or
        ``"backward:<name>"`` (names ``x, z1, a1, z2, c, W1, b1, W2, b2, y``).
    values : dict
        The unrounded numbers written: ``values["forward"][name]``, ``values["backward"][name]``.

    Raises
    ------
    ValueError
        If the shapes do not form a 2-layer network with one output and at most 3 units per layer.
    TypeError
        If ``params`` is not a dict of arrays.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    from . import mlp as _mlp
    from ._validation import as_array, as_choice

    if params is None:
        params = {"W1": np.array([[0.5, -1.0], [1.5, 0.25]]), "b1": np.array([0.1, -0.2]),
                  "W2": np.array([[1.0, -2.0]]), "b2": np.array([0.3])}
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict with keys W1, b1, W2, b2, got {_describe(params)}")
    if sorted(params) != ["W1", "W2", "b1", "b2"]:
        raise ValueError(f"params must have exactly the keys W1, b1, W2, b2 of a two-layer network, "
                         f"got {sorted(params)}")
    W1, b1 = as_array(params["W1"], "params['W1']", ndim=2), as_array(params["b1"], "params['b1']", ndim=1)
    W2, b2 = as_array(params["W2"], "params['W2']", ndim=2), as_array(params["b2"], "params['b2']", ndim=1)
    n1, n0 = W1.shape
    if not (n0 <= 3 and n1 <= 3 and b1.shape == (n1,) and W2.shape == (1, n1) and b2.shape == (1,)):
        raise ValueError(f"params must be a network n0-n1-1 with n0, n1 <= 3 (W1 (n1, n0), b1 (n1,), "
                         f"W2 (1, n1), b2 (1,)), got W1 {W1.shape}, b1 {b1.shape}, W2 {W2.shape}, b2 {b2.shape}")
    x = np.array([1.0, -0.5]) if x is None else as_array(x, "x", ndim=1)
    if x.shape != (n0,):
        raise ValueError(f"x must have shape ({n0},) to match W1 {W1.shape}, got {x.shape}")
    y = 1.0 if y is None else float(as_array(y, "y", ndim=0))
    hidden = as_choice(hidden, "hidden", _mlp.HIDDEN_ACTIVATIONS)
    digits = as_int(digits, "digits", minimum=0, maximum=6)

    # one forward and one backward pass with the package's layer pair (a batch of one example)
    z1, lin1 = _mlp.linear_forward(x[None, :], W1, b1)
    a1, act1 = _mlp.activation_forward(z1, hidden)
    z2, lin2 = _mlp.linear_forward(a1, W2, b2)
    c = 0.5 * float((z2[0, 0] - y) ** 2)
    dz2 = z2 - y                                              # dc/dz2 (identity output)
    da1, dW2, db2 = _mlp.linear_backward(dz2, lin2)
    dz1 = _mlp.activation_backward(da1, act1)
    dx, dW1, db1 = _mlp.linear_backward(dz1, lin1)
    fwd = {"x": x, "z1": z1[0], "a1": a1[0], "z2": z2[0], "c": c, "W1": W1, "b1": b1, "W2": W2,
           "b2": b2, "y": y}
    bwd = {"x": dx[0], "z1": dz1[0], "a1": da1[0], "z2": dz2[0], "c": 1.0, "W1": dW1, "b1": db1,
           "W2": dW2, "b2": db2, "y": -dz2[0]}

    if ax is None:
        _, ax = plt.subplots(figsize=(FIG_WIDTH, 4.4))
    chain = [("x", r"$\mathbf{x}$"), ("z1", r"$\mathbf{z}^1$"), ("a1", r"$\mathbf{a}^1$"),
             ("z2", r"$\hat y$"), ("c", r"$c$")]
    ops = ["", r"$\mathbf{W}^1\mathbf{x}+\mathbf{b}^1$", f"${hidden}$".replace("_", r"\_"),
           r"$\mathbf{W}^2\mathbf{a}^1+b^2$", r"$\frac{1}{2}(\hat y-y)^2$"]
    xs = np.arange(len(chain)) * 1.75
    box = dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="0.35")
    fs = 10
    for (name, tex), xc in zip(chain, xs):
        ax.text(xc, 0, tex, ha="center", va="center", fontsize=12.5, bbox=box, zorder=3)
    for k in range(1, len(chain)):
        x0, x1 = xs[k - 1] + 0.27, xs[k] - 0.27
        ax.annotate("", xy=(x1, 0), xytext=(x0, 0), arrowprops={"arrowstyle": "-|>", "color": "0.3", "lw": 1.2})
        ax.text((x0 + x1) / 2, 1.05, ops[k], ha="center", va="bottom", fontsize=fs, color="0.3")
        src = chain[k - 1][0]
        ax.text((x0 + x1) / 2, 0.1, _fmt(fwd[src], digits), ha="center", va="bottom", fontsize=fs,
                color=_FORWARD, gid=f"forward:{src}", linespacing=1.1)
        ax.text((x0 + x1) / 2, -0.1, _fmt(bwd[src], digits), ha="center", va="top", fontsize=fs,
                color=_BACKWARD, gid=f"backward:{src}", linespacing=1.1)
    # the loss value and its seed message 1 at the right end
    ax.text(xs[-1] + 0.35, 0.1, _fmt(c, digits + 1), ha="left", va="bottom", fontsize=fs,
            color=_FORWARD, gid="forward:c")
    ax.text(xs[-1] + 0.35, -0.1, _fmt(1.0, 0), ha="left", va="top", fontsize=fs,
            color=_BACKWARD, gid="backward:c")
    # parameters and the target enter from below the chain
    yb = -1.9
    for name, tex, xc, target in (("W1", r"$\mathbf{W}^1$", xs[1] - 0.65, xs[1]),
                                  ("b1", r"$\mathbf{b}^1$", xs[1] + 0.55, xs[1]),
                                  ("W2", r"$\mathbf{W}^2$", xs[3] - 0.75, xs[3]),
                                  ("b2", r"$b^2$", xs[3] + 0.45, xs[3]), ("y", r"$y$", xs[4], xs[4])):
        ax.text(xc, yb, tex, ha="center", va="center", fontsize=12, zorder=3,
                bbox=dict(boxstyle="round,pad=0.25", facecolor="0.94", edgecolor="0.6"))
        ax.annotate("", xy=(target, -0.95 if target != xs[4] else -0.3), xytext=(xc, yb + 0.3),
                    arrowprops={"arrowstyle": "-|>", "color": "0.55", "lw": 1.0})
        rows = _fmt(fwd[name], digits).count("\n") + 1
        ax.text(xc, yb - 0.32, _fmt(fwd[name], digits), ha="center", va="top", fontsize=fs,
                color=_FORWARD, gid=f"forward:{name}", linespacing=1.1)
        ax.text(xc, yb - 0.42 - 0.29 * rows, _fmt(bwd[name], digits), ha="center", va="top", fontsize=fs,
                color=_BACKWARD, gid=f"backward:{name}", linespacing=1.1)
    ax.text(xs[0] - 0.3, 1.95, "forward values", color=_FORWARD, fontsize=10.5, ha="left")
    ax.text(xs[0] - 0.3, 1.6, r"backward messages $\partial c/\partial\,\cdot$", color=_BACKWARD,
            fontsize=10.5, ha="left")
    ax.set_xlim(xs[0] - 0.4, xs[-1] + 0.9)
    ax.set_ylim(-4.0, 2.2)
    ax.axis("off")
    return ax, {"forward": fwd, "backward": bwd}


def _cells(ax, x0, y0, values, digits, highlight=(), color=PALETTE[0], gid=None, muted=()):
    """A row of labelled unit squares from (x0, y0); ``highlight`` indices are filled."""
    from matplotlib.patches import Rectangle
    for j, v in enumerate(values):
        face = color if j in highlight else ("0.93" if j in muted else "white")
        ax.add_patch(Rectangle((x0 + j, y0), 1, 1, facecolor=face, alpha=0.35 if j in highlight else 1,
                               edgecolor="0.3", lw=1))
        ax.text(x0 + j + 0.5, y0 + 0.5, _fmt(v, digits), ha="center", va="center", fontsize=10,
                gid=None if gid is None else f"{gid}:{j}")


def draw_sliding_window(kernel, signal, position: int = 1, operation: str = "correlate",
                        mode: str = "valid", digits: int = 0, axes=None):
    r"""A kernel sliding over a signal or an image, next to the matrix that the sliding forms.

    **1-D** (``signal`` of shape (n,)): left, the signal, the kernel placed under it at output
    ``position`` (flipped for a convolution; cells outside the signal are the zero padding of
    the modes ``"same"`` and ``"full"``) and the output, with the entry being computed
    highlighted; right, the :math:`m \times n` Toeplitz matrix of the map, with the same row
    highlighted: its row ``position`` *is* the window. The matrix is
    ``coursepkg.conv.ConvolutionOperator(k, n, mode).to_dense()`` with ``k = kernel`` for a
    convolution and ``k = kernel[::-1]`` for a cross-correlation.

    **2-D** (``signal`` of shape (H, W), ``position`` a pair ``(i, j)``): left, the image with the
    kernel's window at ``(i, j)``; middle, the kernel; right, the output grid of
    :func:`coursepkg.conv.correlate2d` (or :func:`~coursepkg.conv.convolve2d`) in mode
    ``"valid"`` with entry ``(i, j)`` highlighted.

    Parameters
    ----------
    kernel : array_like, shape (M,) or (kH, kW)
    signal : array_like, shape (n,) or (H, W)
    position : int or (int, int), default 1
        The output entry whose window is drawn.
    operation : {"correlate", "convolve"}, default "correlate"
    mode : {"full", "same", "valid"}, default "valid"
        1-D only (2-D is drawn in mode ``"valid"``).
    digits : int, default 0
        Decimals written in the cells.
    axes : sequence of matplotlib.axes.Axes, optional
        Two axes (1-D) or three (2-D); a new figure if omitted.

    Returns
    -------
    axes : tuple of matplotlib.axes.Axes
    result : dict
        ``"output"`` (the whole output), and in 1-D ``"matrix"`` (the dense matrix drawn, also
        ``axes[1].images[0].get_array()``), ``"window"`` (the kernel values under the signal,
        one per signal index from ``"window_start"``).

    Raises
    ------
    ValueError
        If a shape, ``position``, ``operation`` or ``mode`` is out of range.
    TypeError
        If an argument has the wrong type.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from . import conv as _conv
    from ._validation import as_array, as_choice

    operation = as_choice(operation, "operation", ("correlate", "convolve"))
    digits = as_int(digits, "digits", minimum=0, maximum=4)
    sig = as_array(signal, "signal", ndim=(1, 2), allow_complex=False)
    ker = as_array(kernel, "kernel", ndim=sig.ndim, allow_complex=False)
    if sig.ndim == 2:
        return _sliding_window_2d(ker, sig, position, operation, digits, axes)
    mode = as_choice(mode, "mode", ("full", "same", "valid"))
    n, M = sig.shape[0], ker.shape[0]
    if n > 12:
        raise ValueError(f"signal must have at most 12 entries to be drawn legibly, got {n}")
    op = _conv.ConvolutionOperator(ker if operation == "convolve" else ker[::-1], n, mode)
    A = op.to_dense()                                            # (m, n)
    m = A.shape[0]
    position = as_int(position, "position", minimum=0, maximum=m - 1)
    out = A @ sig
    r = op._start + position                                     # row of the full Toeplitz matrix
    start = r - M + 1                                            # signal index under the window's first cell
    window = np.array([op.kernel[r - j] for j in range(start, start + M)])
    if axes is None:
        fig = plt.figure(figsize=(FIG_WIDTH, 0.42 * max(m, 5) + 1.2))
        axes = fig.subplots(1, 2, gridspec_kw={"width_ratios": [max(n, M + n - 1) + 2, n + 1.5]})
    ax, axm = axes
    off = (n - m) / 2                                            # outputs centred under the signal
    lo = min(0, start, off)                                      # the row labels stand left of every row
    ax.text(lo - 0.3, 2.5, r"$\mathbf{x}$", ha="right", va="center", fontsize=12)
    _cells(ax, 0, 2, sig, digits, highlight=range(max(start, 0), min(start + M, n)), gid="signal")
    pad = [j for j in range(start, start + M) if j < 0 or j >= n]
    for j in pad:   # zero padding outside the signal
        ax.add_patch(Rectangle((j, 2), 1, 1, facecolor="white", edgecolor="0.6", ls="--"))
        ax.text(j + 0.5, 2.5, "0", ha="center", va="center", fontsize=10, color="0.5")
    label = r"$\mathbf{w}$" if operation == "correlate" else r"$\mathbf{w}$ flipped"
    ax.text(lo - 0.3, 0.95, label, ha="right", va="center", fontsize=12 if operation == "correlate" else 10)
    for k, v in enumerate(window):
        ax.add_patch(Rectangle((start + k, 0.45), 1, 1, facecolor=PALETTE[1], alpha=0.35, edgecolor="0.3"))
        ax.text(start + k + 0.5, 0.95, _fmt(v, digits), ha="center", va="center", fontsize=10,
                gid=f"window:{k}")
    ax.text(lo - 0.3, -1.1, r"$\mathbf{y}$", ha="right", va="center", fontsize=12)
    _cells(ax, off, -1.6, out, digits, highlight=(position,), color=PALETTE[3], gid="output")
    ax.annotate("", xy=(off + position + 0.5, -0.55), xytext=(start + M / 2, 0.4),
                arrowprops={"arrowstyle": "-|>", "color": PALETTE[3], "lw": 1.3})
    ax.text(lo - 0.3, 3.6, f"{operation} ({mode}), output {position}", ha="left", va="bottom", fontsize=10.5)
    ax.set_xlim(min(lo, off) - 1.6, max(n, start + M, off + m) + 0.2)
    ax.set_ylim(-1.9, 4.2)
    ax.set_aspect("equal")
    ax.axis("off")
    # the matrix, its highlighted row = the window
    axm.imshow(A, cmap="Greys", vmin=-np.abs(A).max() * 0.2, vmax=np.abs(A).max() * 2.5, aspect="equal")
    for i in range(m):
        for j in range(n):
            if A[i, j] != 0:
                axm.text(j, i, _fmt(A[i, j], digits), ha="center", va="center", fontsize=9.5,
                         gid=f"matrix:{i}:{j}")
    axm.add_patch(Rectangle((-0.5, position - 0.5), n, 1, fill=False, edgecolor=PALETTE[3], lw=2))
    axm.set_xticks(range(n))
    axm.set_yticks(range(m))
    axm.tick_params(length=0)
    axm.grid(False)
    axm.set_title(f"the {m}×{n} matrix", fontsize=10.5)
    for sp in axm.spines.values():
        sp.set_visible(False)
    return tuple(axes), {"output": out, "matrix": A, "window": window, "window_start": start}


def _sliding_window_2d(ker, img, position, operation, digits, axes):
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from . import conv as _conv

    H, W = img.shape
    kh, kw = ker.shape
    if H > 8 or W > 8 or kh > H or kw > W:
        raise ValueError(f"signal must be an image of at most 8×8 and at least the kernel's shape {ker.shape}, "
                         f"got {img.shape}")
    out = (_conv.correlate2d if operation == "correlate" else _conv.convolve2d)(img, ker, "valid")
    if not (isinstance(position, (tuple, list)) and len(position) == 2):
        raise TypeError(f"position must be a pair (i, j) for a 2-D signal, got {_describe(position)}")
    i = as_int(position[0], "position[0]", minimum=0, maximum=out.shape[0] - 1)
    j = as_int(position[1], "position[1]", minimum=0, maximum=out.shape[1] - 1)
    shown = ker if operation == "correlate" else ker[::-1, ::-1]   # the weights under the window
    if axes is None:
        fig = plt.figure(figsize=(FIG_WIDTH, 0.42 * H + 1.0))
        axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [W, kw + 0.6, out.shape[1] + 0.6]})

    def grid(ax, A, hl, color, gid, title):
        for (r, c), v in np.ndenumerate(A):
            on = hl(r, c)
            ax.add_patch(Rectangle((c, -r - 1), 1, 1, facecolor=color if on else "white",
                                   alpha=0.35 if on else 1, edgecolor="0.3"))
            ax.text(c + 0.5, -r - 0.5, _fmt(v, digits), ha="center", va="center", fontsize=10,
                    gid=f"{gid}:{r}:{c}")
        ax.set_xlim(-0.1, A.shape[1] + 0.1)
        ax.set_ylim(-max(H, 3) - 0.1, 1.0)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.text(0, 0.15, title, ha="left", va="bottom", fontsize=10.5)

    grid(axes[0], img, lambda r, c: i <= r < i + kh and j <= c < j + kw, PALETTE[0], "image", "image")
    axes[0].add_patch(Rectangle((j, -i - kh), kw, kh, fill=False, edgecolor=PALETTE[1], lw=2.5))
    grid(axes[1], shown, lambda r, c: True, PALETTE[1], "kernel",
         "kernel" if operation == "correlate" else "kernel, flipped")
    grid(axes[2], out, lambda r, c: (r, c) == (i, j), PALETTE[3], "output", f"output ({i}, {j})")
    return tuple(axes), {"output": out, "window": img[i:i + kh, j:j + kw] * shown}


def draw_dropout_subnetworks(sizes: Sequence[int] = (3, 5, 5, 2), p: float = 0.5, n_masks: int = 3,
                             rng: np.random.Generator | None = None, axes=None):
    r"""The full network and ``n_masks`` thinned sub-networks that dropout trains.

    Each mask is drawn with :func:`coursepkg.regularization.dropout` on the hidden units (the
    input and output layers are kept); a dropped unit is grey and crossed, and its connections
    are gone. Every training step samples one such sub-network; all of them share the weights.

    Parameters
    ----------
    sizes : sequence of int, default (3, 5, 5, 2)
        Layer widths, each at most 8.
    p : float, default 0.5
        Probability of dropping a hidden unit.
    n_masks : int, default 3
        Sub-networks drawn (1 to 4).
    rng : numpy.random.Generator, optional
        Source of the masks; default ``np.random.default_rng(0)``.
    axes : sequence of matplotlib.axes.Axes, optional
        ``n_masks + 1`` axes; a new figure if omitted.

    Returns
    -------
    axes : tuple of matplotlib.axes.Axes
    masks : list of numpy.ndarray
        One 0/1 array per hidden layer and sub-network: ``masks[s][l - 1]`` for hidden layer ``l``.

    Raises
    ------
    ValueError
        If ``sizes`` has fewer than three layers or a width outside 1..8, ``p`` is outside [0, 1)
        or ``n_masks`` outside 1..4.
    """
    import matplotlib.pyplot as plt

    from . import regularization as _reg
    from ._validation import as_float, as_rng

    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or len(sizes) < 3:
        raise ValueError(f"sizes must list at least three layer widths (one hidden layer), got {_describe(sizes)}")
    sizes = [as_int(n, f"sizes[{i}]", minimum=1, maximum=8) for i, n in enumerate(sizes)]
    p = as_float(p, "p", minimum=0.0, maximum=1.0, strict_max=True)
    n_masks = as_int(n_masks, "n_masks", minimum=1, maximum=4)
    rng = np.random.default_rng(0) if rng is None else as_rng(rng)
    masks = [[(_reg.dropout(np.ones(n), p, rng)[1] > 0).astype(float) for n in sizes[1:-1]]
             for _ in range(n_masks)]
    if axes is None:
        fig = plt.figure(figsize=(FIG_WIDTH, 2.9))
        axes = fig.subplots(1, n_masks + 1)
    top = max(sizes)

    def draw(ax, keep, title):
        pos = [np.linspace(-(n - 1) / 2, (n - 1) / 2, n) for n in sizes]
        alive = [np.ones(sizes[0], bool)] + [k > 0 for k in keep] + [np.ones(sizes[-1], bool)]
        for l in range(1, len(sizes)):
            for a, y0 in enumerate(pos[l - 1]):
                for b, y1 in enumerate(pos[l]):
                    if alive[l - 1][a] and alive[l][b]:
                        ax.plot([l - 1, l], [y0, y1], color="0.45", lw=0.7, zorder=1)
        for l, ys in enumerate(pos):
            color = PALETTE[0] if l == 0 else (PALETTE[1] if l == len(sizes) - 1 else PALETTE[2])
            for u, y in enumerate(ys):
                on = alive[l][u]
                ax.add_patch(plt.Circle((l, y), 0.2, facecolor=color if on else "0.88",
                                        edgecolor="0.3" if on else "0.7", zorder=3,
                                        gid=f"unit:{l}:{u}:{'kept' if on else 'dropped'}"))
                if not on:
                    ax.plot([l - 0.13, l + 0.13], [y - 0.13, y + 0.13], color=_BACKWARD, lw=1.5, zorder=4)
                    ax.plot([l - 0.13, l + 0.13], [y + 0.13, y - 0.13], color=_BACKWARD, lw=1.5, zorder=4)
        ax.set_xlim(-0.35, len(sizes) - 0.65)
        ax.set_ylim(-top / 2 - 0.1, top / 2 + 0.1)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(title, fontsize=10.5)

    draw(axes[0], [np.ones(n) for n in sizes[1:-1]], "full network\n ")
    for s, keep in enumerate(masks):
        kept = int(sum(k.sum() for k in keep))
        draw(axes[s + 1], keep, f"mask {s + 1}\n{kept} of {sum(sizes[1:-1])} kept")
    return tuple(axes), masks


def _barycentric(P):
    """Points of the 2-simplex (rows (a1, a2, a3)) in the plane: vertices e1 (0, 0), e2 (1, 0), e3 (1/2, √3/2)."""
    P = np.asarray(P, dtype=float)
    return np.stack([P[..., 1] + 0.5 * P[..., 2], (np.sqrt(3) / 2) * P[..., 2]], axis=-1)


def draw_softmax_simplex(logits=((2.0, 1.0, 0.0), (0.0, 0.5, 1.5), (1.0, 1.0, -0.5)),
                         c_max: float = 20.0, ax=None):
    r"""The softmax as a map onto the probability simplex, with the effect of the temperature.

    Every :math:`\mathbf{a} = \operatorname{softmax}(\mathbf{z})` of three classes is a point of the
    triangle with vertices :math:`\mathbf{e}_1, \mathbf{e}_2, \mathbf{e}_3` (barycentric
    coordinates: the closer to a vertex, the larger that probability). For each logit vector
    :math:`\mathbf{z}` the curve is :math:`c \mapsto \operatorname{softmax}(c\,\mathbf{z})`: at
    :math:`c = 0` every curve starts at the centre :math:`(1/3, 1/3, 1/3)`; as :math:`c \to \infty` it
    runs to the vertex of the largest logit (or to the middle of an edge when two largest logits
    tie). The dot marks :math:`c = 1`, the softmax of :math:`\mathbf{z}` itself.

    Parameters
    ----------
    logits : array_like, shape (K, 3)
        Logit vectors (at most 6).
    c_max : float, default 20
        The largest temperature drawn.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    ax : matplotlib.axes.Axes
        The curves are ``ax.lines`` with ``gid`` ``"path:k"`` (for ``logits[k]``); the points
        at :math:`c = 1` have gid ``"c=1:k"``.
    paths : dict
        ``"c"`` (the temperatures drawn) and ``"probabilities"`` of shape (K, len(c), 3).

    Raises
    ------
    ValueError
        If ``logits`` is not of shape (K, 3) with 1 <= K <= 6, or ``c_max`` is not above 1.
    """
    import matplotlib.pyplot as plt

    from . import activations as _act
    from ._validation import as_array, as_float

    Z = as_array(logits, "logits", ndim=(1, 2), allow_complex=False)
    Z = Z[None, :] if Z.ndim == 1 else Z
    if Z.shape[1] != 3 or not 1 <= Z.shape[0] <= 6:
        raise ValueError(f"logits must have shape (K, 3) with 1 <= K <= 6 (three classes), got {Z.shape}")
    c_max = as_float(c_max, "c_max", minimum=1.0, strict_min=True, maximum=1e3)
    cs = np.concatenate([[0.0], np.geomspace(0.02, c_max, 120)])
    probs = np.stack([_act.softmax(cs[:, None] * z[None, :]) for z in Z])   # (K, len(cs), 3)
    if ax is None:
        _, ax = plt.subplots(figsize=(5.2, 4.6))
    V = _barycentric(np.eye(3))
    ax.fill(V[:, 0], V[:, 1], facecolor="0.97", edgecolor="0.3", lw=1.2, zorder=0)
    for frac in (0.25, 0.5, 0.75):   # iso-probability lines a_k = frac
        for k in range(3):
            P = np.zeros((2, 3))
            P[:, k] = frac
            others = [i for i in range(3) if i != k]
            P[0, others[0]], P[1, others[1]] = 1 - frac, 1 - frac
            Q = _barycentric(P)
            ax.plot(Q[:, 0], Q[:, 1], color="0.85", lw=0.7, zorder=0)
    names = [r"$\mathbf{e}_1$: $a_1 = 1$", r"$\mathbf{e}_2$: $a_2 = 1$", r"$\mathbf{e}_3$: $a_3 = 1$"]
    for (vx, vy), name, dx, dy, ha in zip(V, names, (-0.03, 0.03, 0.05), (-0.04, -0.04, -0.02),
                                          ("right", "left", "left")):
        ax.text(vx + dx, vy + dy, name, ha=ha, va="top", fontsize=10.5)
    centre = _barycentric(np.full(3, 1 / 3))
    ax.plot(*centre, marker="+", color="0.2", ms=10, mew=1.5, zorder=4)
    ax.annotate("$c = 0$: centre", xy=centre, xytext=(centre[0] + 0.08, centre[1] - 0.12), fontsize=10,
                arrowprops={"arrowstyle": "-", "color": "0.5"})
    for k, z in enumerate(Z):
        Q = _barycentric(probs[k])
        color = PALETTE[k % 6]
        zs = ", ".join(f"{t:g}" for t in z)
        ax.plot(Q[:, 0], Q[:, 1], color=color, lw=2, gid=f"path:{k}", label=rf"$\mathbf{{z}} = ({zs})$")
        ax.annotate("", xy=Q[-1], xytext=Q[-8], arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.5})
        q1 = _barycentric(_act.softmax(z))
        ax.plot(*q1, "o", color=color, ms=7, mec="white", zorder=5, gid=f"c=1:{k}")
    ax.legend(loc="upper left", bbox_to_anchor=(-0.06, 1.04), title=r"$\mathrm{softmax}(c\,\mathbf{z})$, "
              r"$c$: 0 to " + f"{c_max:g}" + "\n" + r"(dot: $c = 1$)", fontsize=10, title_fontsize=10,
              frameon=False, alignment="left")
    ax.set_xlim(-0.12, 1.12)
    ax.set_ylim(-0.12, 0.98)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax, {"c": cs, "probabilities": probs}
