"""Tests of the pure parts of tools/check_pdf.py and tools/check_jupyter.py (no browser, no TeX)."""
from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    if name == "check_jupyter" and importlib.util.find_spec("playwright") is None:
        # playwright is only in requirements-check.txt; the functions tested here do not use it
        stub = types.ModuleType("playwright.sync_api")
        stub.sync_playwright = None
        sys.modules.setdefault("playwright", types.ModuleType("playwright"))
        sys.modules.setdefault("playwright.sync_api", stub)
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


check_pdf = _load("check_pdf")
check_jupyter = _load("check_jupyter")


def _bbox(words_per_page):
    pages = []
    for words in words_per_page:
        ws = "".join(f'<word xMin="{x0}" yMin="10" xMax="{x1}" yMax="20">{t}</word>' for x0, x1, t in words)
        pages.append(f'<page width="595.28" height="841.89">{ws}</page>')
    return "<doc>" + "".join(pages) + "</doc>"


def test_margin_overruns_finds_the_word_past_the_text_block():
    body = [(72.0, 523.0, "word")] * 300  # a text block whose right edge is 523 pt
    html = _bbox([body, body + [(500.0, 560.0, "clipped_code_line")]])
    right, over = check_pdf.margin_overruns(html)
    assert right == 523.0
    assert over == [(2, 560.0, "clipped_code_line")]
    _, none = check_pdf.margin_overruns(_bbox([body + [(500.0, 523.0 + check_pdf.TOLERANCE, "edge")]]))
    assert none == []


def test_source_counts(tmp_path):
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("plot()")
    code.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "AAAA"}),
                    nbformat.v4.new_output("display_data", data={"image/png": "AAAA"})]  # same image
    nb.cells = [nbformat.v4.new_markdown_cell("# The title\n\n```{exercise}\n:label: ex-1\nQ\n```"),
                nbformat.v4.new_markdown_cell("```{solution} ex-1\n:class: dropdown\nA\n```"),
                nbformat.v4.new_markdown_cell("```{prf:theorem}\nT\n```\n```{prf:proof}\nP\n```"),
                code]
    path = tmp_path / "01_x.ipynb"
    nbformat.write(nb, path)
    titles, counts = check_pdf.source_counts([path])
    assert titles == ["The title"]
    assert (counts["exercise"], counts["solution"], counts["theorem"], counts["proof"], counts["figure"]) == (1, 1, 1, 1, 1)


def test_source_roles_and_gated_solutions():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("```{admonition} Goals\nSee {cite}`a`.\n```\n{eq}`eq-1` and {py:mod}`m`\n"
                                      "```python\nx = '{numref}`f`'\n```\n"),
        nbformat.v4.new_markdown_cell("```{solution-start} ex-1\n```"),
        nbformat.v4.new_code_cell("print(42)"),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```"),
        nbformat.v4.new_code_cell("print(1)"),
    ]
    assert check_jupyter.source_roles(nb) == ["{cite}", "{py:mod}"]  # eq is fine, code blocks are skipped
    assert check_jupyter.gated_open(nb) == ["cell 2: code of a gated solution (solution-start/end) shown open"]
    nb.cells[2].metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
    assert check_jupyter.gated_open(nb) == []


def test_check_pdf_compares_chapter_numbers_with_the_html_book(tmp_path):
    chapters = [tmp_path / "01_forward_pass.ipynb", tmp_path / "06_backprop.ipynb"]
    titles = ["Networks and the forward pass", "Backpropagation"]
    toc = tmp_path / "book.toc"
    good = ("\\contentsline {chapter}{Notation}{7}{chapter*.3}%\n"
            "\\contentsline {chapter}{\\numberline {1}Networks and the forward pass}{11}{chapter.1}%\n"
            "\\contentsline {chapter}{\\numberline {6}Backpropagation}{97}{chapter.6}%\n")
    toc.write_text(good, encoding="utf-8")
    assert check_pdf.chapter_numbers(toc, chapters, titles) == []
    # LaTeX's own numbering: the notation page becomes chapter 1 and every chapter moves up by one
    shifted = good.replace("{Notation}", "{\\numberline {1}Notation}").replace("{1}Networks", "{2}Networks") \
        .replace("{6}Backprop", "{7}Backprop")
    toc.write_text(shifted, encoding="utf-8")
    failures = check_pdf.chapter_numbers(toc, chapters, titles)
    assert len(failures) == 3 and "numbered 7 in the PDF, 6 in the HTML book" in failures[1]
    toc.write_text(good.replace("Backpropagation", "Something else"), encoding="utf-8")
    assert check_pdf.chapter_numbers(toc, chapters, titles) == [
        "chapter 'Backpropagation' is not in the PDF's table of contents"]
