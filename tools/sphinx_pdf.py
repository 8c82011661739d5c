"""LaTeX settings of the book's PDF (``make pdf``), loaded by ``tools/sphinx_course.py``.

- Code and outputs wrap instead of running into the margin: Sphinx's verbatim wraps at
  spaces by default; ``verbatimforcewraps`` also breaks long tokens (long numbers, paths),
  and the code font is a little smaller so that most lines fit unbroken.
- Unicode (xelatex, set in the ``latex:`` section of _config.yml): the FreeFont family
  (Debian fonts-freefont-otf, Sphinx's default for xelatex) covers the Greek letters,
  arrows and math symbols that appear in text and in printed outputs; DejaVu Sans Mono is
  the fallback for code.
- ``tools/pdf/bbm.sty`` stands in for the bbm package that Jupyter Book's LaTeX class
  loads (Debian has it only in the 1.4 GB texlive-fonts-extra).
- Code cells tagged ``hide-cell`` (the solutions' checks) are printed, not dropped.
- Chapter numbers are those of the HTML book: the notation page is an unnumbered chapter
  (LaTeX would make it chapter 1 and shift every chapter by one), and the pages after the
  exercises are appendices A, B, ... (unnumbered in HTML).
- Only applies to the LaTeX builder; the HTML book is unchanged.
"""
from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

PDF_DIR = Path(__file__).resolve().parent / "pdf"

SPHINXSETUP = ", ".join([
    "verbatimwrapslines=true",
    "verbatimforcewraps=true",       # break a long token too, not only at spaces
    "verbatimmaxoverfull=0",
    "verbatimmaxunderfull=0",
    "verbatimhintsturnover=true",
])

PREAMBLE = r"""
\fvset{fontsize=\small}
% Sphinx puts every multi-line display into amsmath's split, which allows one & per line;
% MathJax (the HTML book) also accepts several alignment columns, so use aligned instead.
\renewenvironment{split}{\begin{aligned}}{\end{aligned}}
\setlength{\headheight}{14pt}
\setcounter{tocdepth}{1}
"""


class ShowHiddenCellsInPdf(SphinxPostTransform):
    """Keep the code cells tagged ``hide-cell`` (the checks of the solutions) in the PDF.

    In HTML they sit behind a closed toggle; sphinx-jupyterbook-latex would drop them from
    the LaTeX output altogether (its MystNbPostTransform, priority 400), so a printed
    solution would lose its verification.  Runs just before it, for LaTeX only.
    """

    default_priority = 399
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for node in self.document.findall(nodes.container):
            classes = node.get("classes", [])
            if "tag_hide-cell" in classes:
                node["classes"] = [c if c != "tag_hide-cell" else "tag_hide-cell-in-html" for c in classes]


UNNUMBERED_CHAPTERS = ("book/notation",)  # unnumbered in the HTML book's table of contents
FIRST_APPENDIX = "book/api/index"  # the first page of the "Appendices" part of _toc.yml


class NumberChaptersAsInHtml(SphinxPostTransform):
    """Give the PDF the chapter numbers of the HTML book.

    The LaTeX builder numbers every chapter of the book in order, so the notation page
    (unnumbered in HTML) would become chapter 1 and chapter 6 of the HTML book chapter 7 of
    the PDF. Each included page is a ``start_of_file`` node of the assembled document; the
    notation page is wrapped in ``secnumdepth = -1`` (no numbers, still in the table of
    contents), and ``\\appendix`` starts the appendices.
    """

    default_priority = 398
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for page in self.document.findall(addnodes.start_of_file):
            if page["docname"] in UNNUMBERED_CHAPTERS:
                page.insert(0, nodes.raw("", r"\setcounter{secnumdepth}{-1}" + "\n", format="latex"))
                page.append(nodes.raw("", r"\setcounter{secnumdepth}{2}" + "\n", format="latex"))
            elif page["docname"] == FIRST_APPENDIX:
                page.insert(0, nodes.raw("", r"\appendix" + "\n", format="latex"))


def _configure(app, config):
    elements = dict(config.latex_elements or {})
    elements.setdefault("papersize", "a4paper")
    elements.setdefault("pointsize", "11pt")
    elements["sphinxsetup"] = ", ".join(filter(None, [elements.get("sphinxsetup", ""), SPHINXSETUP]))
    elements["preamble"] = elements.get("preamble", "") + PREAMBLE
    elements.setdefault("printindex", "")
    config.latex_elements = elements
    # stand-in for bbm.sty (required by Jupyter Book's LaTeX class; see tools/pdf/bbm.sty)
    extra = [str(PDF_DIR / "bbm.sty")]
    config.latex_additional_files = list(config.latex_additional_files or []) + extra
    config.latex_use_xindy = False  # no index in this book; xindy is a separate Debian package
    config.latex_show_urls = "no"
    config.latex_show_pagerefs = False


def setup(app):
    app.connect("config-inited", _configure)
    app.add_post_transform(ShowHiddenCellsInPdf)
    app.add_post_transform(NumberChaptersAsInHtml)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
