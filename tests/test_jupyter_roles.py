"""Tests of tools/jupyter_roles.py (the role rewrite that makes chapters read well in Jupyter)."""
from __future__ import annotations

import copy
import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("jupyter_roles", ROOT / "tools" / "jupyter_roles.py")
jr = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(jr)

BIB = r"""
@book{one2001, author = {Ann Smith}, title = {A}, year = {2001}}
@misc{two2002, author = {L{\'e}on Bottou and Guido Mont{\'u}far}, title = {B}, year = {2002}}
@misc{three2003, author = {A One and B Two and C Three}, title = {C}, year = {2003}}
@misc{anon2018, author = {{Anonymous}}, title = {D}, year = {2018}}
@misc{vander2004, author = {Jan van der Berg}, title = {E}, year = {2004}}
"""


@pytest.fixture(scope="module")
def bib(tmp_path_factory):
    path = tmp_path_factory.mktemp("bib") / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    return jr.load_bib(path)


def test_author_year_from_bibtex(bib):
    assert bib["one2001"] == ("Smith", "2001")
    assert bib["two2002"] == ("Bottou and Montúfar", "2002")  # accents decoded, two authors
    assert bib["three2003"] == ("One et al.", "2003")
    assert bib["anon2018"] == ("Anonymous", "2018")
    assert bib["vander2004"] == ("van der Berg", "2004")


def test_citations(bib):
    conv = lambda s: jr.convert_markdown(s, bib)
    assert conv("as {cite:t}`one2001` shows") == "as [Smith (2001)](bibliography.md#one2001) shows"
    assert conv("a fact {cite}`one2001,three2003`.") == (
        "a fact [(Smith 2001; One et al. 2003)](bibliography.md#one2001,three2003).")
    assert conv("{cite:p}`two2002`") == "[(Bottou and Montúfar 2002)](bibliography.md#two2002)"
    with pytest.raises(KeyError, match="nokey1999"):
        conv("{cite}`nokey1999`")


def test_api_names(bib):
    conv = lambda s: jr.convert_markdown(s, bib)
    assert conv("{py:mod}`coursepkg.mlp`") == "[`coursepkg.mlp`](api/mlp.md#coursepkg.mlp)"
    assert conv("{py:func}`~coursepkg.mlp.fit`") == "[`fit`](api/mlp.md#coursepkg.mlp.fit)"
    assert conv("{py:func}`the fit <coursepkg.mlp.fit>`") == "[the fit](api/mlp.md#coursepkg.mlp.fit)"
    with pytest.raises(ValueError, match="numpy.dot"):
        conv("{py:func}`numpy.dot`")


def test_numref_by_position(bib):
    figures = {"fig-a": 2}
    assert jr.convert_markdown("see {numref}`fig-a`", bib, 1, figures) == "see the figure below"
    assert jr.convert_markdown("see {numref}`Fig. %s <fig-a>`", bib, 5, figures) == "see the figure above"
    with pytest.raises(KeyError, match="fig-b"):
        jr.convert_markdown("{numref}`fig-b`", bib, 1, figures)


def test_code_blocks_untouched_directives_converted(bib):
    text = ("```python\nx = '{cite}`one2001`'\n```\n"
            "```{exercise}\n:label: ex-1\nFollow {cite:t}`one2001`.\n```\n"
            "Inline ``{cite}`one2001` `` is a code span only when it has no text after.\n")
    out = jr.convert_markdown(text, bib)
    assert out.startswith("```python\nx = '{cite}`one2001`'\n```\n")  # code block as it was
    assert "Follow [Smith (2001)](bibliography.md#one2001)." in out
    assert "{cite:t}" not in out
    # the closing fence of a directive does not open a code block: text after it is converted
    out = jr.convert_markdown("```{admonition} Goals\n:class: tip\n- a\n```\n\nSee {cite}`one2001`.\n", bib)
    assert out.endswith("See [(Smith 2001)](bibliography.md#one2001).\n")
    out = jr.convert_markdown("````{solution} ex-1\n```python\nx = 1\n```\nBy {cite:t}`one2001`.\n````\n", bib)
    assert "By [Smith (2001)](bibliography.md#one2001)." in out


def test_idempotent_and_markdown_only(bib):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("By {cite:t}`one2001` and {py:mod}`coursepkg.losses`."),
                nbformat.v4.new_code_cell("# {cite}`one2001` in a comment stays")]
    assert jr.convert_notebook(nb, bib) == 1
    once = copy.deepcopy(nb)
    assert jr.convert_notebook(nb, bib) == 0
    assert nb == once
    assert nb.cells[1].source == "# {cite}`one2001` in a comment stays"


@pytest.mark.parametrize("path", sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem)
def test_real_chapters_convert_cleanly(path):
    """Every role in the chapters converts (keys in references.bib, figures found, API pages exist)."""
    bib = jr.load_bib(ROOT / "book" / "references.bib")
    nb = nbformat.read(path, as_version=4)
    jr.convert_notebook(nb, bib)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert not jr.ROLE_RE.search(text)
    for page in set(__import__("re").findall(r"\]\((api/[a-z_]+\.md)#", text)):
        assert (ROOT / "book" / page).is_file(), page
    again = copy.deepcopy(nb)
    assert jr.convert_notebook(again, bib) == 0
