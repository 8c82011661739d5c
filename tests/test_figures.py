"""Figures are legible at the size the book shows them.

The book's article column is 688 px wide at a 1280 px window and a captioned figure has 8 px of
padding on each side, so an output image has 672 px (measured in the built HTML with Chromium);
a PNG wider than that is shrunk by the browser, and its text with it. Every figure is drawn
at 100 dpi, so a PNG of at most :data:`COLUMN_PX` (plus a small margin) is shown at its own size
and the style's fonts (:data:`coursepkg.plotting.MIN_FONT_PT` and up) stay at least 9 pt.

Two checks over the chapters, each naming the chapter and the cell that fails:

- every stored PNG output is at most ``COLUMN_PX + MARGIN_PX`` pixels wide;
- no chapter's code sets a ``fontsize``/``labelsize`` below 9 pt (or a named size smaller than
  the base font) nor a ``figsize`` wider than :data:`coursepkg.plotting.FIG_WIDTH`.
"""
from __future__ import annotations

import base64
import re
import struct
from pathlib import Path

import nbformat
import pytest

from coursepkg import plotting

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))
COLUMN_PX = 672       # an output image's box in the article column at a 1280 px window
MARGIN_PX = 8         # a PNG up to 1 % wider is shrunk imperceptibly
# named sizes relative to the base font (matplotlib's font_manager scalings) that fall below 9 pt
SMALL_NAMES = ("xx-small", "x-small", "small", "smaller")

# fontsize=8, labelsize="small", title_fontsize=7, and prop={"size": 8} / fontdict={"size": 8}
_SIZE_ARG = re.compile(r"\b(fontsize|labelsize|title_fontsize)\s*=\s*([0-9.]+|['\"][a-z-]+['\"])"
                       r"|['\"](size)['\"]\s*:\s*([0-9.]+|['\"][a-z-]+['\"])")
_FIGSIZE = re.compile(r"\bfigsize\s*=\s*\(\s*([0-9.]+)\s*,")


def png_width(data: str) -> int:
    """Width in pixels of a base64 PNG, from its IHDR chunk."""
    raw = base64.b64decode(data[: 64])
    if raw[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return struct.unpack(">I", raw[16:20])[0]


def figure_offences(path: Path) -> list[str]:
    """Every too-wide PNG output and every too-small font or too-wide figsize in the code of a chapter."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        where = f"{path.name} cell {index} (id {cell.get('id', '?')})"
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data:
                w = png_width(data["image/png"])
                if w > COLUMN_PX + MARGIN_PX:
                    found.append(f"{where}: PNG output {w} px wide, column {COLUMN_PX} px "
                                 f"(shown at {COLUMN_PX / w:.0%}, 9 pt text becomes {9 * COLUMN_PX / w:.1f} pt)")
        for lineno, line in enumerate(cell.source.splitlines(), start=1):
            code = line.split("#", 1)[0]
            for groups in _SIZE_ARG.findall(code):
                name, value = (groups[0], groups[1]) if groups[0] else (groups[2], groups[3])
                if value[0] in "'\"":
                    if value.strip("'\"") in SMALL_NAMES:
                        found.append(f"{where} line {lineno}: {name}={value} is below 9 pt")
                elif float(value) < 9:
                    found.append(f"{where} line {lineno}: {name}={value} is below 9 pt")
            for width in _FIGSIZE.findall(code):
                if float(width) > plotting.FIG_WIDTH + 1e-9:
                    found.append(f"{where} line {lineno}: figsize width {width} in > {plotting.FIG_WIDTH} in "
                                 f"(the column at 100 dpi)")
    return found


def test_png_width_reader():
    import io

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig = plt.figure(figsize=(3.21, 1.0), dpi=100)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    assert png_width(base64.b64encode(buf.getvalue()).decode()) == 321


def test_the_checker_catches_offences(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("fig, ax = plt.subplots(figsize=(11, 2))\nax.legend(fontsize=7)\n"
                                          "ax.tick_params(labelsize='x-small')\nax.plot(x, 'o', markersize=3)\n"
                                          "z = rng.normal(size=8)\nax.legend(prop={'size': 8})")]
    p = tmp_path / "99_x.ipynb"
    nbformat.write(nb, p)
    found = figure_offences(p)
    assert len(found) == 4, found
    assert any("figsize width 11" in f for f in found) and any("fontsize=7" in f for f in found)


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_figures_fit_the_column(path):
    found = figure_offences(path)
    assert not found, "figures that the page shrinks or whose text is below 9 pt:\n" + "\n".join(found)


if __name__ == "__main__":   # list every offence: python tests/test_figures.py > figures_todo.txt
    for chapter in CHAPTERS:
        for line in figure_offences(chapter):
            print(line)


# ---------------------------------------------------------------------------
# Alt text (tools/sphinx_figures.py) and its check on the built HTML (tools/check_figures.py)
# ---------------------------------------------------------------------------
def _tools():
    import sys
    tools = str(Path(__file__).resolve().parents[1] / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    import check_figures
    import sphinx_figures
    return sphinx_figures, check_figures


def test_alt_text_comes_from_the_caption_or_the_sentence_before():
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    sphinx_figures, _ = _tools()
    doc = new_document("demo", get_default_settings(Parser))
    section = nodes.section()
    doc += section
    fig = nodes.figure()
    fig += nodes.image(uri="_build/jupyter_execute/abc123.png")
    cap = nodes.caption()
    cap += nodes.Text("The matrices of ")
    cap += nodes.math(text=r"\mathbf{x} \mapsto f * \mathbf{x}")
    cap += nodes.Text(" in three modes.")
    fig += cap
    section += fig
    section += nodes.paragraph(text="The loss falls quickly. Then it levels off.")
    loose = nodes.image(uri="../_images/def456.png", alt="../_images/def456.png")
    section += nodes.container("", loose)
    kept = nodes.image(uri="x.png", alt="A drawing of the network")
    section += kept
    sphinx_figures.set_alt_texts(None, doc, "demo")
    assert fig.children[0]["alt"] == "The matrices of x ↦ f * x in three modes."
    assert loose["alt"] == "Figure: The loss falls quickly."
    assert kept["alt"] == "A drawing of the network"
    assert sphinx_figures.tex_to_text(r"\frac{1}{2}(\hat y - y)^2") == "(1)/(2)(y - y)^2"
    assert not sphinx_figures.is_meaningful_alt("_images/abc.png", "_images/abc.png")


def test_check_figures_flags_paths_and_missing_alt():
    _, check_figures = _tools()
    html = ('<img alt="logo" src="logo.png"><article class="bd-article"><img src="a.png">'
            '<img alt="../_images/b.png" src="../_images/b.png"><img alt="Loss curves" src="c.png"></article>')
    n, failures = check_figures.alt_failures("p.html", html)
    assert n == 3
    assert len(failures) == 2 and "without alt" in failures[0] and "file path" in failures[1]
