"""Write the student edition of the chapters: the same notebooks without their solutions.

    python tools/make_student.py [--out _build/student]        (what `make student` runs)

For every chapter notebook listed in _toc.yml (book/NN_*.ipynb):
- markdown: every ```{solution} ...``` directive block is removed (backtick or colon fences), and so is
  the gated form ```{solution-start}``` ... ```{solution-end}``` with everything between the two,
  including whole cells; a markdown cell left empty is dropped;
- code cells tagged ``solution`` are dropped;
- everything else is kept: exercises, hints (```{admonition} Hint``` dropdowns), the ``practice``
  stubs and ``practice.check(...)`` cells;
- every output and execution count is cleared, and per-cell execution timings are removed.
Local files a notebook's markdown refers to (images) are copied alongside. The notebooks import
``coursepkg``; the README written next to them says how to install it. The script checks what it
wrote (valid notebooks, no solution left) and exits with status 1 if a check fails.
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = re.compile(r"^\d\d_[A-Za-z0-9_]+$")
OPEN = re.compile(r"^\s*(?P<fence>`{3,}|:{3,})\{(?P<name>[A-Za-z0-9_-]+)\}(?P<rest>.*)$")
IMAGE = re.compile(r"!\[[^\]]*\]\((?P<path>[^)\s]+)[^)]*\)|\{(?:figure|image)\}\s*(?P<path2>\S+)")

README = """# Student edition

These are the chapters of *Neural Networks, Derived and Tested* without the solutions of their
exercises. Hints are kept. Exercises marked "Implement it" have a stub cell: write the body of the
function, then run the `practice.check(...)` cell below it, which tells you whether your
implementation is right and, if not, what is wrong.

To run them, install the course package once (from a clone of the repository: `pip install -e .`,
or `pip install "coursepkg @ git+https://github.com/nn-derived-and-tested/course"`) together with
Jupyter, then open the notebooks in JupyterLab. Every notebook starts with a cell that installs the
package where it is missing (Colab).
"""


def chapters(root: Path = ROOT) -> list[Path]:
    """The chapter notebooks of _toc.yml, in their order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    out = []
    for f in files:
        p = root / f"{f}.ipynb"
        if p.exists() and CHAPTER.match(p.stem) and p not in out:
            out.append(p)
    return out


def _block_end(lines: list[str], start: int, fence: str) -> int:
    """Index of the line closing the directive opened at ``start`` (or the last line if unclosed)."""
    char, n = fence[0], len(fence)
    close = re.compile(r"^\s*" + re.escape(char) + "{" + str(n) + r",}\s*$")
    for j in range(start + 1, len(lines)):
        if close.match(lines[j]):
            return j
    return len(lines) - 1


def strip_notebook(nb) -> tuple[object, dict]:
    """Return a copy of the notebook without solutions, outputs and timings, and counts of what was removed."""
    nb = nbformat.from_dict(nb)  # a deep copy
    counts = {"solution_blocks": 0, "gated_blocks": 0, "cells_removed": 0}
    gated = False
    cells = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "code":
            if gated or "solution" in tags:
                counts["cells_removed"] += 1
                continue
            cell.outputs = []
            cell.execution_count = None
        if cell.cell_type in ("code", "raw"):
            if gated:
                counts["cells_removed"] += 1
                continue
            cell.metadata.pop("execution", None)
            cells.append(cell)
            continue
        lines = cell.source.split("\n")
        kept: list[str] = []
        i = 0
        while i < len(lines):
            m = OPEN.match(lines[i])
            name = m.group("name") if m else None
            if gated:
                if name == "solution-end":
                    i = _block_end(lines, i, m.group("fence"))
                    gated = False
                i += 1
                continue
            if name == "solution":
                counts["solution_blocks"] += 1
                i = _block_end(lines, i, m.group("fence")) + 1
                continue
            if name == "solution-start":
                counts["gated_blocks"] += 1
                i = _block_end(lines, i, m.group("fence")) + 1
                gated = True
                continue
            kept.append(lines[i])
            i += 1
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
        if not text.strip():
            counts["cells_removed"] += 1
            continue
        cell.source = text
        cell.metadata.pop("execution", None)
        cells.append(cell)
    nb.cells = cells
    return nb, counts


def problems(nb) -> list[str]:
    """What is wrong with a student notebook (empty when it is fine)."""
    out = []
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        out.append(f"invalid notebook: {str(exc).splitlines()[0]}")
    for k, cell in enumerate(nb.cells):
        if "solution" in cell.get("metadata", {}).get("tags", []):
            out.append(f"cell {k} is tagged solution")
        if cell.cell_type == "markdown" and re.search(r"(`{3,}|:{3,})\{solution(-start|-end)?\}", cell.source):
            out.append(f"cell {k} holds a solution directive")
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            out.append(f"cell {k} has outputs")
    return out


def _images(nb, src: Path) -> list[Path]:
    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for m in IMAGE.finditer(cell.source):
            rel = m.group("path") or m.group("path2")
            if rel and "://" not in rel and not rel.startswith(("data:", "#")):
                p = (src.parent / rel).resolve()
                if p.is_file():
                    found.append(p)
    return found


def build(out: Path, root: Path = ROOT, quiet: bool = False) -> list[Path]:
    """Write the student edition into ``out`` (replaced if it exists); return the notebooks written."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    written, bad, total = [], [], {"solution_blocks": 0, "gated_blocks": 0, "cells_removed": 0}
    for src in chapters(root):
        nb, counts = strip_notebook(nbformat.read(src, as_version=4))
        for key in total:
            total[key] += counts[key]
        dest = out / src.name
        nbformat.write(nb, dest)
        written.append(dest)
        bad += [f"{src.name}: {p}" for p in problems(nbformat.read(dest, as_version=4))]
        for img in _images(nb, src):
            target = out / img.relative_to(src.parent.resolve())
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(img, target)
    (out / "README.md").write_text(README, encoding="utf-8")
    if not quiet:
        print(f"student edition: {len(written)} notebooks in {out}; removed {total['solution_blocks']} solution "
              f"blocks, {total['gated_blocks']} gated solutions and {total['cells_removed']} cells")
    if bad:
        raise SystemExit("student edition has problems:\n  " + "\n  ".join(bad))
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "student")
    args = parser.parse_args(argv)
    build(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
