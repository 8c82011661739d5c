r"""Interactive figures ("explorables") that need no kernel and no network.

An explorable is a plotly figure written here as a plain ``dict`` from numpy arrays, so this module
needs numpy only. Its controls act in the browser alone: each position of a slider swaps arrays
that were computed in advance into the figure's traces (plotly's ``restyle``). Nothing runs after
the page is built, so the same object works

- in the HTML book, where the page loads the ``plotly.min.js`` that the book serves itself;
- in JupyterLab and Notebook 7, through the plotly renderer that the ``plotly`` package installs;
- in the PDF, as a still picture (drawn with matplotlib) of the figure's first state, or of the
  slider positions an explorable chooses for print (the bumps of the universal-approximation
  figure start at zero height for the reader to move, and print fitted).

Displaying an :class:`Explorable` (the last expression of a cell) is all a chapter does. The text
of every output is deterministic, so the stored outputs pass ``pytest --nbval``.

Arguments are checked once, here at the boundary; bad input raises ``ValueError`` or ``TypeError``
naming the argument, what was expected and what was given.
"""
from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ._validation import _describe

__all__ = ["Explorable", "universal_approximation", "softmax_temperature", "optimizer_paths",
           "smooth_relu"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
_CONFIG = {"displaylogo": False, "responsive": True,
           "modeBarButtonsToRemove": ["lasso2d", "select2d", "toImage"]}
# Okabe-Ito, as in coursepkg.plotting.PALETTE (kept here so this module needs numpy only)
_COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
_GREY = "#7f7f7f"   # reads on a light and on a dark page
_GRID, _ZERO = "rgba(127,127,127,0.25)", "rgba(127,127,127,0.6)"


def _r(a, digits: int = 5) -> list:
    """Round for a small, byte-stable JSON (a figure needs no more than 5 decimals)."""
    return np.round(np.asarray(a, dtype=float), digits).tolist()


@dataclass(frozen=True)
class Explorable:
    """A plotly figure with controls that work without a kernel.

    Attributes
    ----------
    name : str
        Short identifier; the HTML element is ``explore-<name>``.
    figure : dict
        ``{"data": [...], "layout": {...}}`` in plotly's JSON schema.
    height : int
        Height in pixels.
    still : tuple of int, optional
        For the still picture: the step of each slider to show (default: the sliders' start).
    """

    name: str
    figure: dict = field(repr=False)
    height: int = 420
    still: tuple | None = None

    @property
    def element_id(self) -> str:
        return f"explore-{self.name}"

    def spec(self) -> dict:
        """The figure with the book's common layout and config, as plotly.js takes it."""
        layout = {"height": self.height, "margin": {"l": 55, "r": 20, "t": 30, "b": 45},
                  "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
                  "font": {"size": 13, "color": "#333333"}, "hovermode": "closest",
                  **self.figure["layout"]}
        # grid and zero lines in a grey that reads on the light and on the dark page (plotly's
        # default white grid is invisible on a transparent background in light mode)
        for key in [k for k in layout if k.startswith(("xaxis", "yaxis"))]:
            layout[key] = {"gridcolor": _GRID, "zerolinecolor": _ZERO, "linecolor": _ZERO, **layout[key]}
        return {"data": self.figure["data"], "layout": layout, "config": _CONFIG}

    def to_html(self) -> str:
        """A ``<div>`` and a script that draws it with the page's plotly.js.

        The script follows the book's light/dark theme (``data-theme`` on ``<html>``).
        """
        spec = json.dumps(self.spec(), sort_keys=True, separators=(",", ":"))
        eid = self.element_id
        return (
            f'<div class="course-explorable" id="{eid}" data-explorable="{self.name}" '
            f'style="width:100%;height:{self.height}px"></div>\n'
            "<script>\n(function () {\n"
            f"  var spec = {spec};\n"
            f'  var id = "{eid}";\n'
            "  function ink() {\n"
            '    var dark = document.documentElement.getAttribute("data-theme") === "dark";\n'
            '    return dark ? "#dddddd" : "#333333";\n  }\n'
            "  function draw() {\n"
            '    var el = document.getElementById(id);\n'
            "    if (!window.Plotly || !el) { if (el) el.textContent = "
            '"(This interactive figure needs JavaScript and the book\'s plotly.js.)"; return; }\n'
            "    spec.layout.font.color = ink();\n"
            "    Plotly.newPlot(el, spec.data, spec.layout, spec.config);\n"
            "    new MutationObserver(function () { Plotly.relayout(el, {\"font.color\": ink()}); })\n"
            '      .observe(document.documentElement, {attributes: true, attributeFilter: ["data-theme"]});\n'
            "  }\n"
            '  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);\n'
            "  else draw();\n})();\n</script>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        # JupyterLab's plotly renderer collapses a "responsive" figure to the height of its empty
        # output area; there the figure keeps its own size
        mime_spec = self.spec()
        mime_spec["config"] = {k: v for k, v in mime_spec["config"].items() if k != "responsive"}
        return {PLOTLY_MIME: mime_spec, "text/html": self.to_html(),
                "image/png": base64.b64encode(self.still_png()).decode("ascii"),
                "text/plain": f"Explorable({self.name!r}): an interactive figure"}

    def still_spec(self) -> dict:
        """:meth:`spec` with each slider moved to its step in :attr:`still` (plotly's ``restyle``)."""
        spec = self.spec()
        if self.still is None:
            return spec
        data = [dict(trace) for trace in spec["data"]]
        sliders = spec["layout"].get("sliders", [])
        if len(self.still) != len(sliders):
            raise ValueError(f"still must give one step per slider ({len(sliders)}), got {self.still!r}")
        for slider, k in zip(sliders, self.still):
            update, traces = slider["steps"][k]["args"]
            for key, values in update.items():
                for trace, value in zip(traces, values):
                    data[trace][key] = value
        layout = {**spec["layout"], "sliders": [{**sl, "active": k} for sl, k in zip(sliders, self.still)]}
        return {**spec, "data": data, "layout": layout}

    def still_png(self) -> bytes:
        """The still picture as a PNG (for the PDF and for readers without JavaScript)."""
        import matplotlib
        import matplotlib.pyplot as plt

        with matplotlib.rc_context({"font.size": 10, "xtick.labelsize": 9.5, "ytick.labelsize": 9.5,
                                     "svg.hashsalt": "coursepkg"}):
            fig = plt.figure(figsize=(6.6, 4.2))
            try:
                _draw_still(fig, self.still_spec())
                buf = io.BytesIO()
                fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
            finally:
                plt.close(fig)
        return buf.getvalue()


def _draw_still(fig, spec: dict) -> None:
    """Render the visible traces of a plotly spec with matplotlib (lines, markers, bars, stacks)."""
    layout = spec["layout"]
    axes = {}

    def axis(ref_x, ref_y):
        key = (ref_x, ref_y)
        if key not in axes:
            xa = layout.get("xaxis" + ref_x[1:], {})
            ya = layout.get("yaxis" + ref_y[1:], {})
            x0, x1 = xa.get("domain", [0, 1])
            y0, y1 = ya.get("domain", [0, 1])
            ax = fig.add_axes([0.09 + 0.88 * x0, 0.14 + 0.78 * y0,
                               0.88 * (x1 - x0) - 0.07, 0.78 * (y1 - y0) - 0.08])
            if xa.get("type") == "log":
                ax.set_xscale("log")
            ax.set_xlabel(xa.get("title", {}).get("text", ""))
            ax.set_ylabel(ya.get("title", {}).get("text", ""))
            if "range" in ya:
                ax.set_ylim(*ya["range"])
            if "range" in xa and xa.get("type") != "log":
                ax.set_xlim(*xa["range"])
            axes[key] = ax
        return axes[key]

    stacks: dict = {}
    for tr in spec["data"]:
        if tr.get("visible", True) is not True or tr.get("opacity", 1) == 0:
            continue
        ax = axis(tr.get("xaxis", "x"), tr.get("yaxis", "y"))
        color = tr.get("line", tr.get("marker", {})).get("color", _GREY)
        if tr.get("type") == "contour":
            ax.contour(tr["x"], tr["y"], np.asarray(tr["z"]), levels=12, colors=_GREY, linewidths=0.6)
            continue
        if tr.get("type") == "bar":
            ax.bar(tr["x"], tr["y"], color=tr.get("marker", {}).get("color", _GREY))
            continue
        y = np.asarray(tr["y"], dtype=float)
        if "stackgroup" in tr:
            base = stacks.get(tr["stackgroup"], np.zeros_like(y))
            y = base + y
            stacks[tr["stackgroup"]] = y
            if tr.get("fill") == "tonexty" and "fillcolor" in tr:   # a band of the stack, as plotly fills it
                ax.fill_between(tr["x"], base, y, color=tr["fillcolor"], lw=0)
            if tr.get("line", {}).get("width", 2) == 0:
                continue
        mode = tr.get("mode", "lines")
        if isinstance(color, list):     # one colour per point: markers only
            ax.scatter(tr["x"], y, c=color, s=30, zorder=3)
            continue
        dash = {"dash": "--", "dot": ":", "dashdot": "-."}.get(tr.get("line", {}).get("dash"), "-")
        style = (dash if "lines" in mode else "") + ("o" if "markers" in mode else "")
        ax.plot(tr["x"], y, style, color=color, markersize=3,
                lw=tr.get("line", {}).get("width", 2) * 0.75, label=tr.get("name"),
                drawstyle="steps-post" if tr.get("line", {}).get("shape") == "hv" else "default")
    sliders = layout.get("sliders", [])
    if sliders:   # the slider positions shown, in words (a still has no sliders to look at)
        shown = "   ".join(sl["currentvalue"]["prefix"] + sl["steps"][sl.get("active", 0)]["label"] for sl in sliders)
        fig.text(0.5, 0.005, f"shown at: {shown}", ha="center", va="bottom", fontsize=9.5, color=_GREY)
    for ax in axes.values():
        if any(line.get_label() and not line.get_label().startswith("_") for line in ax.get_lines()):
            ax.legend(fontsize=9.5, frameon=False, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=2)  # above, off the data


def _slider(label: str, values: Sequence[str], steps: list, y: float, active: int = 0) -> dict:
    return {"active": active, "currentvalue": {"prefix": label, "font": {"size": 13}},
            "pad": {"t": 0, "b": 0}, "y": y, "yanchor": "top", "len": 1.0, "x": 0.0,
            "steps": [{"label": v, "method": "restyle", "args": a} for v, a in zip(values, steps)],
            "tickcolor": _GREY, "font": {"size": 10}}


def _check_grid(values, name: str, positive: bool = False) -> np.ndarray:
    try:
        v = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 1-D sequence of numbers, got {_describe(values)}") from None
    if v.ndim != 1 or v.size < 2 or not np.all(np.isfinite(v)):
        raise ValueError(f"{name} must be a 1-D sequence of at least 2 finite numbers, got {_describe(values)}")
    if positive and np.any(v <= 0):
        raise ValueError(f"{name} must be positive, got minimum {v.min()!r}")
    return v


def _sigmoid(t):
    return np.where(t >= 0, 1 / (1 + np.exp(-np.abs(t))), np.exp(-np.abs(t)) / (1 + np.exp(-np.abs(t))))


def universal_approximation(target: Callable | None = None, n_bumps: int = 5,
                            heights: Sequence[float] = tuple(np.round(np.arange(-0.4, 1.21, 0.1), 1)),
                            steepness: float = 400.0, n_points: int = 121) -> Explorable:
    r"""Sliders for the heights of sigmoid "bumps" that add up to a network's output.

    Bump :math:`j` on :math:`[s_j, s_{j+1}]`, :math:`s_j = j / n`, is made of two hidden sigmoid units
    with weight :math:`w` (``steepness``) and biases :math:`-w s_j`, :math:`-w s_{j+1}`; its output
    weights are :math:`\pm h_j`:

    .. math:: f(x) = \sum_j h_j\,[\sigma(w(x - s_j)) - \sigma(w(x - s_{j+1}))].

    The top panel shows the bumps stacked (their sum is the network's output, the thick line) over
    the target; the bottom panel shows the error :math:`f(x) - \text{target}(x)`.

    Parameters
    ----------
    target : callable, optional
        Vectorized function on [0, 1]; default :math:`0.2 + 0.4x^2 + 0.3x\sin 15x + 0.05\cos 50x`.
    n_bumps : int, default 5
        Number of bumps (2 to 10), i.e. ``2 * n_bumps`` hidden units.
    heights : sequence of float
        The values each slider offers.
    steepness : float, default 400
        The hidden weight :math:`w > 0`.
    n_points : int, default 121
        Points of the plotting grid on [0, 1].

    Examples
    --------
    >>> ex = universal_approximation(n_bumps=3)
    >>> len(ex.figure["layout"]["sliders"])
    3
    """
    if target is None:
        def target(x):
            return 0.2 + 0.4 * x**2 + 0.3 * x * np.sin(15 * x) + 0.05 * np.cos(50 * x)
    if not callable(target):
        raise TypeError(f"target must be callable, got {_describe(target)}")
    if isinstance(n_bumps, bool) or not isinstance(n_bumps, (int, np.integer)) or not 2 <= n_bumps <= 10:
        raise ValueError(f"n_bumps must be an integer from 2 to 10, got {n_bumps!r}")
    hs = _check_grid(heights, "heights")
    if not (isinstance(steepness, (int, float)) and np.isfinite(steepness) and steepness > 0):
        raise ValueError(f"steepness must be a positive finite number, got {steepness!r}")
    if isinstance(n_points, bool) or not isinstance(n_points, (int, np.integer)) or not 11 <= n_points <= 1001:
        raise ValueError(f"n_points must be an integer from 11 to 1001, got {n_points!r}")

    x = np.linspace(0.0, 1.0, n_points)
    t = np.asarray(target(x), dtype=float)
    if t.shape != x.shape or not np.all(np.isfinite(t)):
        raise ValueError(f"target must map the grid to finite values of shape {x.shape}, got {_describe(t)}")
    s = np.linspace(0.0, 1.0, n_bumps + 1)
    unit = np.stack([_sigmoid(steepness * (x - s[j])) - _sigmoid(steepness * (x - s[j + 1]))
                     for j in range(n_bumps)])                                  # (n_bumps, n_points)
    start = int(np.argmin(np.abs(hs)))                                          # sliders start at h = 0
    palette = [_COLORS[j % 6] for j in range(n_bumps)]

    data = [{"type": "scatter", "x": _r(x), "y": _r(t), "name": "target", "mode": "lines",
             "line": {"color": _GREY, "width": 2, "dash": "dash"}, "xaxis": "x", "yaxis": "y"}]
    for j in range(n_bumps):   # traces 1..n: the output stack; the last one is drawn thick
        data.append({"type": "scatter", "x": _r(x), "y": _r(hs[start] * unit[j]), "mode": "lines",
                     "stackgroup": "net", "fill": "tonexty", "fillcolor": palette[j] + "55",
                     "name": "network" if j == n_bumps - 1 else f"bump {j + 1}", "showlegend": False,
                     "hoverinfo": "skip",
                     "line": {"color": "#000000" if j == n_bumps - 1 else palette[j],
                              "width": 3 if j == n_bumps - 1 else 0},
                     "xaxis": "x", "yaxis": "y"})
    data.append({"type": "scatter", "x": _r(x), "y": _r(-t), "mode": "lines", "stackgroup": "err", "fill": "none",
                 "line": {"width": 0, "color": _GREY}, "showlegend": False, "hoverinfo": "skip",
                 "xaxis": "x2", "yaxis": "y2"})
    for j in range(n_bumps):   # the error stack: -target + sum of bumps; only its top line is drawn
        data.append({"type": "scatter", "x": _r(x), "y": _r(hs[start] * unit[j]), "mode": "lines",
                     "stackgroup": "err", "fill": "none", "showlegend": False,
                     "line": {"color": _COLORS[3], "width": 2 if j == n_bumps - 1 else 0},
                     "name": "error", "xaxis": "x2", "yaxis": "y2"})
    err_first = n_bumps + 2
    sliders = []
    for j in range(n_bumps):
        steps = [[{"y": [_r(h * unit[j]), _r(h * unit[j])]}, [1 + j, err_first + j]] for h in hs]
        sliders.append(_slider(f"h{j + 1} = ", [f"{h + 0.0:g}" for h in hs], steps,
                               y=-0.16 - 0.3 * j, active=start))
    # printed (the still): each height on the grid nearest the middle of the target's range on its bump
    middle = [(t[(x >= s[j]) & (x <= s[j + 1])].max() + t[(x >= s[j]) & (x <= s[j + 1])].min()) / 2
              for j in range(n_bumps)]
    still = tuple(int(np.argmin(np.abs(hs - m))) for m in middle)
    lo, hi = min(0.0, t.min(), hs.min()), max(t.max(), hs.max())
    layout = {"xaxis": {"domain": [0, 1], "anchor": "y", "range": [0, 1], "showticklabels": False},
              "yaxis": {"domain": [0.42, 1], "title": {"text": "output"}, "range": [lo - 0.1, hi + 0.1]},
              "xaxis2": {"domain": [0, 1], "anchor": "y2", "range": [0, 1], "title": {"text": "x"}},
              "yaxis2": {"domain": [0, 0.3], "title": {"text": "error"}, "range": [-1, 1]},
              "sliders": sliders, "showlegend": False,
              "margin": {"l": 55, "r": 20, "t": 20, "b": 70 + 84 * n_bumps}}
    return Explorable("universal-approximation", {"data": data, "layout": layout},
                      height=370 + 84 * n_bumps, still=still)


def softmax_temperature(z: Sequence[float], c_values: Sequence[float] = tuple(np.geomspace(0.05, 20, 41)),
                        start: float = 1.0) -> Explorable:
    r"""A slider for the temperature :math:`c` of :math:`\mathbf{a}(c) = \operatorname{softmax}(c\,\mathbf{z})`.

    Left: each :math:`a_j(c)` over the whole range of :math:`c` (log scale) with a marker at the
    slider's value. Right: the probabilities at that value.

    Examples
    --------
    >>> ex = softmax_temperature([0.0, 1.0, 1.5, 3.0])
    >>> len(ex.figure["layout"]["sliders"][0]["steps"])
    41
    """
    zv = _check_grid(z, "z")
    cs = _check_grid(c_values, "c_values", positive=True)
    if np.any(np.diff(cs) <= 0):
        raise ValueError("c_values must be increasing")
    if not (isinstance(start, (int, float)) and cs[0] <= start <= cs[-1]):
        raise ValueError(f"start must lie in [{cs[0]:g}, {cs[-1]:g}], got {start!r}")
    grid = np.geomspace(cs[0], cs[-1], 200)

    def softmax(c):
        u = c * zv
        e = np.exp(u - u.max())
        return e / e.sum()

    curves = np.stack([softmax(c) for c in grid])            # (200, K)
    K = zv.size
    active = int(np.argmin(np.abs(np.log(cs / start))))
    names = [f"a{j + 1} (z = {zv[j]:g})" for j in range(K)]
    data = []
    for j in range(K):
        data.append({"type": "scatter", "x": _r(grid), "y": _r(curves[:, j]), "mode": "lines",
                     "name": names[j], "line": {"color": _COLORS[j % 8], "width": 2},
                     "xaxis": "x", "yaxis": "y"})
    a0 = softmax(cs[active])
    data.append({"type": "scatter", "x": [float(cs[active])] * K, "y": _r(a0), "mode": "markers",
                 "marker": {"color": [_COLORS[j % 8] for j in range(K)], "size": 10},
                 "showlegend": False, "xaxis": "x", "yaxis": "y"})
    data.append({"type": "bar", "x": [f"a{j + 1}" for j in range(K)], "y": _r(a0),
                 "marker": {"color": [_COLORS[j % 8] for j in range(K)]}, "showlegend": False,
                 "xaxis": "x2", "yaxis": "y2"})
    steps = []
    for c in cs:
        a = softmax(c)
        steps.append([{"x": [[float(np.round(c, 5))] * K, [f"a{j + 1}" for j in range(K)]],
                       "y": [_r(a), _r(a)]}, [K, K + 1]])
    layout = {"xaxis": {"domain": [0, 0.6], "type": "log", "title": {"text": "c  (softmax of c z)"},
                        "tickvals": [0.01, 0.1, 1, 10, 100], "ticktext": ["0.01", "0.1", "1", "10", "100"]},
              "yaxis": {"domain": [0, 1], "range": [0, 1.02], "title": {"text": "a_j(c)"}},
              "xaxis2": {"domain": [0.7, 1], "anchor": "y2"},
              "yaxis2": {"domain": [0, 1], "range": [0, 1.02], "anchor": "x2"},
              "legend": {"orientation": "h", "y": 1.12, "x": 0},
              "sliders": [_slider("c = ", [f"{c:.3g}" for c in cs], steps, y=-0.22, active=active)],
              "margin": {"l": 55, "r": 20, "t": 40, "b": 120}}
    return Explorable("softmax-temperature", {"data": data, "layout": layout}, height=470)


def optimizer_paths(loss: Callable, grad: Callable, start: Sequence[float], make_optimizer: Callable,
                    learning_rates: Sequence[float], momenta: Sequence[float], n_steps: int = 60,
                    box: tuple[float, float, float, float] = (-2.0, 2.0, -2.0, 2.0)) -> Explorable:
    r"""Sliders for the learning rate and the momentum over precomputed optimizer trajectories.

    Every pair (learning rate, momentum) is run in advance with ``make_optimizer(lr, alpha)`` (an
    optimizer of :mod:`coursepkg.optim`) for ``n_steps`` steps from ``start``, on the 2-D function
    ``loss`` with gradient ``grad`` (each takes an array of shape (2,)). The learning-rate slider
    shows the paths of one learning rate (``visible``), the momentum slider those of one momentum
    (``opacity``): the path shown is the one both select.

    Examples
    --------
    >>> from coursepkg import optim
    >>> A = np.diag([1.0, 10.0])
    >>> ex = optimizer_paths(lambda p: 0.5 * p @ A @ p, lambda p: A @ p, [1.5, 1.0],
    ...                      lambda lr, a: optim.momentum(lr, alpha=a), [0.01, 0.05], [0.0, 0.9], n_steps=5)
    >>> len(ex.figure["data"])   # contour + 2 x 2 paths
    5
    """
    for f, nm in ((loss, "loss"), (grad, "grad"), (make_optimizer, "make_optimizer")):
        if not callable(f):
            raise TypeError(f"{nm} must be callable, got {_describe(f)}")
    x0 = _check_grid(start, "start")
    if x0.shape != (2,):
        raise ValueError(f"start must have 2 entries, got {x0.size}")
    lrs = _check_grid(learning_rates, "learning_rates", positive=True)
    moms = np.asarray(momenta, dtype=float)
    if moms.ndim != 1 or moms.size < 1 or np.any((moms < 0) | (moms >= 1)):
        raise ValueError(f"momenta must be a 1-D sequence of numbers in [0, 1), got {_describe(momenta)}")
    if isinstance(n_steps, bool) or not isinstance(n_steps, (int, np.integer)) or not 1 <= n_steps <= 1000:
        raise ValueError(f"n_steps must be an integer from 1 to 1000, got {n_steps!r}")
    x_lo, x_hi, y_lo, y_hi = (float(b) for b in box)

    gx, gy = np.linspace(x_lo, x_hi, 61), np.linspace(y_lo, y_hi, 61)
    Z = np.array([[loss(np.array([u, v])) for u in gx] for v in gy])
    data = [{"type": "contour", "x": _r(gx), "y": _r(gy), "z": _r(np.log1p(Z - Z.min()), 4),
             "showscale": False, "contours": {"coloring": "lines"}, "ncontours": 14,
             "line": {"width": 1}, "colorscale": [[0, "#9a9a9a"], [1, "#9a9a9a"]], "hoverinfo": "skip"}]
    owners = []
    for i, lr in enumerate(lrs):
        for k, a in enumerate(moms):
            opt = make_optimizer(float(lr), float(a))
            params = {"p": x0.copy()}
            state = opt.init(params)
            path = [x0.copy()]
            for _ in range(n_steps):
                params, state = opt.step(params, {"p": grad(params["p"])}, state)
                path.append(params["p"].copy())
                if not np.all(np.isfinite(params["p"])) or np.max(np.abs(params["p"])) > 1e3:
                    break
            P = np.clip(np.array(path), [x_lo - 1, y_lo - 1], [x_hi + 1, y_hi + 1])
            data.append({"type": "scatter", "x": _r(P[:, 0], 4), "y": _r(P[:, 1], 4),
                         "mode": "lines+markers", "line": {"color": _COLORS[k % 8], "width": 2},
                         "marker": {"size": 4, "color": _COLORS[k % 8]},
                         "name": f"lr = {lr:g}, momentum = {a:g}", "showlegend": False,
                         "visible": bool(i == 0), "opacity": 1.0 if k == 0 else 0.0})
            owners.append((i, k))
    n = len(owners)
    trace_ids = list(range(1, n + 1))
    lr_steps = [[{"visible": [bool(i == ii) for ii, _ in owners]}, trace_ids] for i in range(lrs.size)]
    mom_steps = [[{"opacity": [1.0 if k == kk else 0.0 for _, kk in owners]}, trace_ids]
                 for k in range(moms.size)]
    layout = {"xaxis": {"range": [x_lo, x_hi], "title": {"text": "θ1"}, "constrain": "domain"},
              "yaxis": {"range": [y_lo, y_hi], "title": {"text": "θ2"}, "scaleanchor": "x"},
              "sliders": [_slider("learning rate = ", [f"{v:g}" for v in lrs], lr_steps, y=-0.14),
                          _slider("momentum α = ", [f"{v:g}" for v in moms], mom_steps, y=-0.36)],
              "margin": {"l": 55, "r": 20, "t": 20, "b": 170}}
    return Explorable("optimizer-paths", {"data": data, "layout": layout}, height=600)


def smooth_relu(alphas: Sequence[float] = tuple(np.round(np.geomspace(0.25, 16, 25), 4)),
                x_max: float = 4.0) -> Explorable:
    r"""A slider for :math:`\alpha` in the smooth ReLU :math:`f_\alpha(x) = \log(1 + e^{\alpha x})/\alpha`.

    Left: :math:`f_\alpha` against the ReLU, with the gap :math:`\log 2/\alpha` at 0; right: its
    derivative :math:`\sigma(\alpha x)` against the ReLU's step.

    Examples
    --------
    >>> ex = smooth_relu([1.0, 2.0])
    >>> ex.figure["layout"]["sliders"][0]["steps"][1]["label"]
    '2'
    """
    al = _check_grid(alphas, "alphas", positive=True)
    if not (isinstance(x_max, (int, float)) and np.isfinite(x_max) and x_max > 0):
        raise ValueError(f"x_max must be a positive finite number, got {x_max!r}")
    x = np.linspace(-x_max, x_max, 201)

    def f(a):   # log(1 + e^{a x}) / a without overflow
        u = a * x
        return (np.maximum(u, 0) + np.log1p(np.exp(-np.abs(u)))) / a

    active = int(np.argmin(np.abs(np.log(al))))
    data = [{"type": "scatter", "x": _r(x), "y": _r(np.maximum(x, 0)), "mode": "lines", "name": "ReLU",
             "line": {"color": _GREY, "dash": "dash", "width": 2}, "xaxis": "x", "yaxis": "y"},
            {"type": "scatter", "x": _r(x), "y": _r(f(al[active])), "mode": "lines", "name": "f_α",
             "line": {"color": _COLORS[0], "width": 3}, "xaxis": "x", "yaxis": "y"},
            {"type": "scatter", "x": _r(x), "y": _r(x > 0), "mode": "lines", "name": "ReLU′",
             "line": {"color": _GREY, "dash": "dash", "width": 2, "shape": "hv"}, "xaxis": "x2", "yaxis": "y2"},
            {"type": "scatter", "x": _r(x), "y": _r(_sigmoid(al[active] * x)), "mode": "lines",
             "name": "f_α′ = σ(αx)", "line": {"color": _COLORS[1], "width": 3}, "xaxis": "x2", "yaxis": "y2"}]
    steps = [[{"y": [_r(f(a)), _r(_sigmoid(a * x))]}, [1, 3]] for a in al]
    layout = {"xaxis": {"domain": [0, 0.46], "title": {"text": "x"}},
              "yaxis": {"domain": [0, 1], "title": {"text": "f_α(x)"}, "range": [-0.2, x_max + 0.2]},
              "xaxis2": {"domain": [0.56, 1], "anchor": "y2", "title": {"text": "x"}},
              "yaxis2": {"domain": [0, 1], "anchor": "x2", "range": [-0.05, 1.05]},
              "legend": {"orientation": "h", "y": 1.15, "x": 0},
              "sliders": [_slider("α = ", [f"{a:g}" for a in al], steps, y=-0.25, active=active)],
              "margin": {"l": 55, "r": 20, "t": 40, "b": 120}}
    return Explorable("smooth-relu", {"data": data, "layout": layout}, height=430)
