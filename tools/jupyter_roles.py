"""Rewrite the Sphinx-only roles of the chapters into Markdown that reads well in Jupyter too.

jupyterlab-myst renders directives, math, ``{eq}``, ``{ref}`` and ``{prf:ref}`` inside one
notebook, but it has no bibliography ("Citation Not Found"), no Python domain (``{py:mod}``
shows as plain text) and cannot see figures made by code cells (``{numref}`` shows
"Cross Reference Not Found").  This tool rewrites ONLY those roles in the markdown cells:

=====================================  =================================================
``{cite:t}`rudi2020```                  ``[Rudi and Gaillard (2020)](bibliography.md#rudi2020)``
``{cite}`cybenko1989,hornik1989```      ``[(Cybenko 1989; Hornik et al. 1989)](bibliography.md#cybenko1989,hornik1989)``
``{py:mod}`coursepkg.mlp```             ``[`coursepkg.mlp`](api/mlp.md#coursepkg.mlp)``
``{py:func}`~coursepkg.mlp.fit```       ``[`fit`](api/mlp.md#coursepkg.mlp.fit)``
``{numref}`fig-02-xor```                ``the figure below`` (or ``above``)
=====================================  =================================================

In Jupyter the links open the bibliography or the API page; in the book the local
extension ``tools/sphinx_course.py`` (``_links_to_xrefs``) turns the same links back into
real citations (the book's author-year style, with the entry in the bibliography) and
real Python cross-references (checked by ``-n``).  Figures made by code cells have no
number in Jupyter, so a figure is referred to by its place ("the figure below").

The rewrite is idempotent (a second run changes nothing) and touches nothing else:
not code cells, not outputs, not code blocks inside markdown.

Usage::

    python tools/jupyter_roles.py [--check] [--bib book/references.bib] book/05_softmax.ipynb ...

``--check`` changes nothing and exits 1 when a file would change.
"""
from __future__ import annotations

import argparse
import codecs
import re
import sys
from pathlib import Path

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import nbformat
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BIB = ROOT / "book" / "references.bib"

CITE_ROLES = {"cite": "p", "cite:p": "p", "cite:ps": "p", "cite:t": "t", "cite:ts": "t"}
ROLE_RE = re.compile(r"\{(cite(?::[a-z]+)?|py:[a-z]+|numref)\}`([^`]+)`")
FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")


# ---------------------------------------------------------------- bibliography
def _plain(text: str) -> str:
    """LaTeX name -> plain unicode: accents decoded, braces dropped."""
    try:
        text = codecs.decode(text, "ulatex")
    except Exception:  # pragma: no cover - latexcodec is lenient
        pass
    return text.replace("{", "").replace("}", "").strip()


def load_bib(path: Path | str = DEFAULT_BIB) -> dict[str, tuple[str, str]]:
    """Map each key of the BibTeX file to (authors as cited, year)."""
    data = parse_file(str(path), bib_format="bibtex")
    out = {}
    for key, entry in data.entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        lasts = []
        for person in people:
            parts = person.prelast_names + person.last_names
            lasts.append(_plain(" ".join(parts)) or _plain(str(person)))
        if not lasts:
            names = "Anonymous"
        elif len(lasts) == 1:
            names = lasts[0]
        elif len(lasts) == 2:
            names = f"{lasts[0]} and {lasts[1]}"
        else:
            names = f"{lasts[0]} et al."
        out[key.lower()] = (names, entry.fields.get("year", "n.d."))
    return out


def cite_markdown(keys: list[str], style: str, bib: dict[str, tuple[str, str]]) -> str:
    """Markdown link for a citation: textual ("Nielsen (2015)") or parenthetical."""
    missing = [k for k in keys if k.lower() not in bib]
    if missing:
        raise KeyError(f"citation key(s) not in the bibliography: {', '.join(missing)}")
    pairs = [bib[k.lower()] for k in keys]
    if style == "t":
        text = " and ".join(f"{names} ({year})" for names, year in pairs)
    else:
        text = "(" + "; ".join(f"{names} {year}" for names, year in pairs) + ")"
    return f"[{text}](bibliography.md#{','.join(keys)})"


# ---------------------------------------------------------------- API names
def api_markdown(role: str, target: str, api_prefix: str = "api/") -> str:
    title = None
    m = re.fullmatch(r"(.*?)\s*<([^>]+)>", target, flags=re.S)
    if m:
        title, target = m.group(1).strip(), m.group(2).strip()
    short = target.startswith("~")
    target = target.lstrip("~.")
    if not target.startswith("coursepkg."):
        raise ValueError(f"{{{role}}}`{target}`: only coursepkg names can be linked")
    module = target.split(".")[1]
    if title is None:
        title = target.rsplit(".", 1)[-1] if short else target
        title = f"`{title}`"
    return f"[{title}]({api_prefix}{module}.md#{target})"


# ---------------------------------------------------------------- figures
def figure_cells(nb) -> dict[str, int]:
    """Labels of figures defined by code cells (mystnb metadata) or figure directives."""
    out = {}
    for i, cell in enumerate(nb.cells):
        fig = (cell.metadata.get("mystnb") or {}).get("figure") or {}
        if fig.get("name"):
            out[fig["name"]] = i
        if cell.cell_type == "markdown":
            for m in re.finditer(r"```+\{figure\}[^\n]*\n(?:\s*:[^\n]*\n)*?\s*:name:\s*(\S+)", cell.source):
                out[m.group(1)] = i
    return out


def numref_text(target: str, cell_index: int, figures: dict[str, int]) -> str:
    m = re.fullmatch(r"(.*?)\s*<([^>]+)>", target, flags=re.S)
    label = m.group(2).strip() if m else target.strip()
    if label not in figures:
        raise KeyError(f"{{numref}}`{target}`: no figure labelled {label!r} in this notebook")
    where = "below" if figures[label] > cell_index else "above"
    return f"the figure {where}"


# ---------------------------------------------------------------- markdown rewrite
def convert_markdown(text: str, bib, cell_index: int = 0, figures=None, api_prefix: str = "api/") -> str:
    """Rewrite the roles of one markdown text; code blocks (non-directive fences) are left alone."""
    figures = figures or {}

    def repl(m: re.Match) -> str:
        role, target = m.group(1), m.group(2)
        if role in CITE_ROLES:
            keys = [k.strip() for k in target.split(",") if k.strip()]
            return cite_markdown(keys, CITE_ROLES[role], bib)
        if role.startswith("cite"):
            raise ValueError(f"unsupported citation role {{{role}}}")
        if role.startswith("py:"):
            return api_markdown(role, target, api_prefix)
        return numref_text(target, cell_index, figures)

    out, fence = [], None
    directives: list[str] = []  # fences of the open directive blocks (their content is converted)
    chunk: list[str] = []

    def flush():
        if chunk:
            out.append(ROLE_RE.sub(repl, "".join(chunk)))
            chunk.clear()

    for line in text.splitlines(keepends=True):
        m = FENCE_RE.match(line)
        if fence is None and m and m.group(3).strip().startswith("{"):
            directives.append(m.group(2))
        elif (fence is None and m and not m.group(3).strip() and directives
              and m.group(2)[0] == directives[-1][0] and len(m.group(2)) >= len(directives[-1])):
            directives.pop()
        elif fence is None and m:
            flush()
            fence = m.group(2)  # a code block: copied as it is
            out.append(line)
            continue
        if fence is not None:
            out.append(line)
            if m and m.group(2).startswith(fence) and not m.group(3).strip():
                fence = None
            continue
        chunk.append(line)
    flush()
    return "".join(out)


def convert_notebook(nb, bib, api_prefix: str = "api/") -> int:
    """Rewrite the markdown cells of one notebook in place; return how many cells changed."""
    figures = figure_cells(nb)
    changed = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        new = convert_markdown(cell.source, bib, i, figures, api_prefix)
        if new != cell.source:
            cell.source = new
            changed += 1
    return changed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notebooks", nargs="+", type=Path)
    ap.add_argument("--bib", type=Path, default=DEFAULT_BIB)
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file would change")
    args = ap.parse_args(argv)
    bib = load_bib(args.bib)
    status = 0
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        n = convert_notebook(nb, bib)
        if n and args.check:
            print(f"{path}: {n} markdown cell(s) still use Sphinx-only roles")
            status = 1
        elif n:
            nbformat.write(nb, path)
            print(f"{path}: rewrote {n} markdown cell(s)")
        else:
            print(f"{path}: nothing to rewrite")
    return status


if __name__ == "__main__":
    sys.exit(main())
