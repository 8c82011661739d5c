"""Check the book's PDF (``make pdf``) against the chapters it was built from.

Fails (exit 1) on:
- an unresolved reference: "??" anywhere in the text;
- a chapter whose title is missing, or no bibliography;
- a chapter numbered differently than in the HTML book (file NN_*.ipynb is chapter NN in the
  PDF's table of contents, book.toc beside the PDF; the notation page has no number);
- fewer exercises, solutions, theorems/proofs or figures in the PDF than in the chapters'
  sources (exercise/solution/prf directives; figures: the images in the PDF against the
  distinct plots the code cells store, plus figure directives);
- a line that runs into the right margin: any word whose right edge lies more than
  TOLERANCE points beyond the right edge of the text block (code, outputs and equations
  alike; a clipped code line is such a line).

Uses pdftotext from poppler-utils.  Usage: python tools/check_pdf.py [_build/latex/book.pdf]
"""
from __future__ import annotations

import argparse
import hashlib
import html
import re
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
TOLERANCE = 6.0  # points beyond the text block's right edge

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')


def chapter_numbers(toc: Path, chapters: list[Path], titles: list[str]) -> list[str]:
    """Failures where the LaTeX table of contents numbers a chapter unlike the HTML book."""
    if not toc.is_file():
        return [f"no table of contents at {toc}"]
    entries = {}  # normalized title -> number ("" if unnumbered)
    for number, title in re.findall(r"\\contentsline \{chapter\}\{(?:\\numberline \{(\w+)\})?(.*?)\}\{\d+\}",
                                    toc.read_text(encoding="utf-8")):
        entries.setdefault(_norm(title.replace(r"\sphinxhyphen {}", "-")), number)
    failures = []
    for path, title in zip(chapters, titles):
        want, got = str(int(path.name[:2])), entries.get(_norm(title))
        if got is None:
            failures.append(f"chapter {title!r} is not in the PDF's table of contents")
        elif got != want:
            failures.append(f"chapter {title!r} is numbered {got or '(none)'} in the PDF, {want} in the HTML book")
    if entries.get(_norm("Notation")):
        failures.append(f"the notation page is chapter {entries[_norm('Notation')]} in the PDF, unnumbered in HTML")
    return failures


def pdftotext(pdf: Path, *opts: str) -> str:
    return subprocess.run(["pdftotext", *opts, str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdftotext_images(pdf: Path) -> str:
    return subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout


def source_counts(chapters: list[Path]) -> tuple[list[str], Counter]:
    titles, counts, images = [], Counter(), set()
    for path in chapters:
        nb = nbformat.read(path, as_version=4)
        title = None
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                src = cell.source
                if title is None:
                    m = re.search(r"^# (.+)$", src, flags=re.M)
                    title = m.group(1).strip() if m else None
                counts["exercise"] += len(re.findall(r"^\s*[`:]{3,}\{exercise\}", src, flags=re.M))
                counts["solution"] += len(re.findall(r"^\s*[`:]{3,}\{solution(?:-start)?\}", src, flags=re.M))
                counts["theorem"] += len(re.findall(
                    r"^\s*[`:]{3,}\{prf:(?:theorem|lemma|proposition|corollary|definition)\}", src, flags=re.M))
                counts["proof"] += len(re.findall(r"^\s*[`:]{3,}\{prf:proof\}", src, flags=re.M))
                counts["figure"] += len(re.findall(r"^\s*[`:]{3,}\{figure\}", src, flags=re.M))
            tags = cell.metadata.get("tags", [])
            if cell.cell_type == "code" and not {"remove-cell", "remove-output"} & set(tags):
                for out in cell.get("outputs", []):
                    png = out.get("data", {}).get("image/png")
                    if png:
                        images.add(hashlib.sha256(png.encode()).hexdigest())
        titles.append(title or path.stem)
    counts["figure"] += len(images)  # distinct plots (identical images are stored once in a PDF)
    return titles, counts


def _norm(s: str) -> str:
    s = re.sub(r"\$[^$]*\$", " ", s)         # math in a title is typeset differently
    s = re.sub(r"[`*_]", "", s)
    return re.sub(r"\W+", " ", s).strip().lower()


def margin_overruns(bbox_html: str) -> tuple[float, list[tuple[int, float, str]]]:
    """Words whose right edge lies beyond the text block (its right edge: the 99th percentile)."""
    pages = bbox_html.split("<page ")[1:]
    words = []
    for number, page in enumerate(pages, 1):
        for m in WORD.finditer(page):
            words.append((number, float(m.group(3)), html.unescape(m.group(4))))
    if not words:
        return 0.0, []
    edges = sorted(w[1] for w in words)
    right = edges[int(0.99 * (len(edges) - 1))]
    return right, [w for w in words if w[1] > right + TOLERANCE]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pdf", nargs="?", type=Path, default=ROOT / "_build" / "latex" / "book.pdf")
    ap.add_argument("--book", type=Path, default=BOOK)
    args = ap.parse_args(argv)
    if not args.pdf.is_file():
        print(f"no PDF at {args.pdf}: run `make pdf`", file=sys.stderr)
        return 2
    chapters = sorted(args.book.glob("[0-9][0-9]_*.ipynb"))
    titles, want = source_counts(chapters)
    text = pdftotext(args.pdf)
    flat = _norm(text)
    failures = []

    unresolved = [m.start() for m in re.finditer(r"\?\?", text)]
    for pos in unresolved[:10]:
        failures.append(f'unresolved reference "??": ...{text[max(0, pos - 60):pos + 20]!r}...')
    missing = [t for t in titles if _norm(t) not in flat]
    failures += [f"chapter missing: {t}" for t in missing]
    if not re.search(r"^\s*Bibliography\s*$", text, flags=re.M):
        failures.append("no bibliography")
    failures += chapter_numbers(args.pdf.with_suffix(".toc"), chapters, titles)

    have = Counter()
    have["exercise"] = len(set(re.findall(r"\bExercise \d+(?:\.\d+)+", text)))
    have["solution"] = len(re.findall(r"\bSolution to Exercise\b", text))
    have["theorem"] = len(set(re.findall(
        r"\b(?:Theorem|Lemma|Proposition|Corollary|Definition) \d+(?:\.\d+)+", text)))
    have["proof"] = len(re.findall(r"^\s*Proof\b", text, flags=re.M))
    listing = pdftotext_images(args.pdf)
    have["figure"] = sum(1 for row in listing.splitlines()[2:] if row.split()[2:3] == ["image"])
    for kind in ("exercise", "solution", "theorem", "proof", "figure"):
        if have[kind] < want[kind]:
            failures.append(f"{kind}s: {have[kind]} in the PDF, {want[kind]} in the chapters")

    right, over = margin_overruns(pdftotext(args.pdf, "-bbox"))
    pages = Counter(p for p, _, _ in over)
    for page, n in sorted(pages.items()):
        worst = max((w for w in over if w[0] == page), key=lambda w: w[1])
        failures.append(f"page {page}: {n} word(s) beyond the right margin, up to {worst[1] - right:.0f} pt "
                        f"(e.g. {worst[2][:40]!r})")

    n_pages = len(re.findall(r"\f", text)) or 1
    print(f"{args.pdf}: {n_pages} pages; chapters {len(titles) - len(missing)}/{len(titles)}; "
          + "; ".join(f"{k}s {have[k]}/{want[k]}" for k in ("exercise", "solution", "theorem", "proof", "figure"))
          + f"; '??' {len(unresolved)}; words beyond the margin {len(over)} on {len(pages)} pages "
          f"(text block right edge {right:.0f} pt)")
    if failures:
        print(f"\n{len(failures)} problem(s):")
        for f in failures:
            print("  " + f)
        return 1
    print("check-pdf: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
