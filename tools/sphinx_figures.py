"""The book's figures in the HTML build (a local Sphinx extension, loaded through _config.yml).

- **Alt text.** Every image gets a meaningful ``alt``: its figure caption (myst-nb's
  ``mystnb.figure.caption``), else the ``alt`` set in the cell's metadata (``mystnb.image.alt``), else
  the first sentence of the paragraph before it. Without this, docutils writes the image's file path.
- **Explorables** (:mod:`coursepkg.explore`). The ``plotly.min.js`` of the installed ``plotly``
  package is copied into ``_static`` and loaded (a plain, blocking ``<script>`` in the page head) only
  by pages whose body contains an explorable (``course-explorable``): nothing is fetched from a CDN.
- **The plotly mime type.** An explorable's output also carries ``application/vnd.plotly.v1+json``
  (for JupyterLab); the book uses its ``text/html`` (or, in the PDF, its ``image/png``), so myst-nb
  is told to drop that one type quietly instead of warning that it does not know it.
- **Dark mode.** ``figures.css`` undoes the theme's brightness filter over images and shows figures as
  light cards (see the comments there).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from docutils import nodes

STATIC = Path(__file__).resolve().parent / "static"
PLOTLY_JS = "plotly.min.js"
MARKER = "course-explorable"
_PATHLIKE = re.compile(r"(^|/)[^ ]+\.(png|jpe?g|gif|svg|pdf)$", re.IGNORECASE)


def plotly_js_path() -> Path:
    """The plotly.js bundle shipped inside the installed ``plotly`` Python package."""
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / PLOTLY_JS
    if not path.is_file():
        raise FileNotFoundError(f"plotly.min.js not found in the plotly package at {path}")
    return path


def _plain(text: str, limit: int = 300) -> str:
    """One line of text, at most ``limit`` characters, cut at a word."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return text


_TEX_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε", "varepsilon": "ε",
    "eta": "η", "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "pi": "π", "rho": "ρ",
    "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "psi": "ψ", "omega": "ω", "Omega": "Ω",
    "Sigma": "Σ", "nabla": "∇", "partial": "∂", "infty": "∞", "times": "×", "cdot": "·", "cdots": "⋯",
    "ldots": "…", "dots": "…", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "neq": "≠", "approx": "≈",
    "to": "→", "mapsto": "↦", "in": "∈", "sum": "∑", "odot": "⊙", "pm": "±", "sqrt": "√", "ell": "ℓ",
    "top": "ᵀ", "prime": "′", "circ": "∘", "mid": "|", "lvert": "|", "rvert": "|", "langle": "⟨", "rangle": "⟩",
}


def tex_to_text(tex: str) -> str:
    """Readable text for a screen reader from a short TeX formula (``\\mathbf{x} \\mapsto f * \\mathbf{x}``
    becomes ``x ↦ f * x``)."""
    t = re.sub(r"\\(?:mathbf|mathrm|boldsymbol|operatorname|text|textrm|mathit|mathcal|mathbb|bm)\s*\{([^{}]*)\}", r"\1", tex)
    t = re.sub(r"\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"(\1)/(\2)", t)
    t = re.sub(r"\\([A-Za-z]+)", lambda m: _TEX_SYMBOLS.get(m.group(1), "" if m.group(1) in
                                                          ("left", "right", "big", "Big", "quad", "qquad", "hat", "bar", "tilde", "vec", "widehat", "displaystyle") else m.group(1)), t)
    t = re.sub(r"\\[,;:! ]", " ", t)
    t = t.replace("{", "").replace("}", "").replace("\\", "")
    return re.sub(r"\(\s+", "(", " ".join(t.split()))


def caption_text(caption: nodes.Node) -> str:
    """The caption as plain text, its math written with symbols rather than TeX commands."""
    parts = []
    for node in caption.findall(lambda n: isinstance(n, (nodes.Text, nodes.math))):
        if isinstance(node, nodes.math):
            parts.append(tex_to_text(node.astext()))
        elif not isinstance(node.parent, nodes.math):
            parts.append(str(node))
    return _plain("".join(parts), limit=2000)


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    m = re.match(r"(.+?[.:!?])(\s|$)", text)
    return _plain(m.group(1) if m else text)


def _preceding_text(node: nodes.Node) -> str:
    """The last paragraph before ``node`` in document order (the sentence that introduces it)."""
    current = node
    while current.parent is not None:
        parent = current.parent
        index = parent.index(current)
        for sibling in reversed(parent.children[:index]):
            paragraphs = list(sibling.findall(nodes.paragraph)) if not isinstance(sibling, nodes.Text) else []
            for p in reversed(paragraphs):
                text = caption_text(p).strip()
                if text:
                    return text
        current = parent
    return ""


def is_meaningful_alt(alt: str | None, uri: str | None = None) -> bool:
    """False for a missing alt, an alt equal to the file name, or one that looks like a path."""
    if not alt or not alt.strip():
        return False
    alt = alt.strip()
    return not (uri and (alt == uri or alt == Path(uri).name)) and not _PATHLIKE.search(alt)


def set_alt_texts(app, doctree, docname) -> None:
    """Give every image of a resolved doctree an alt text from its caption or its context."""
    for image in doctree.findall(nodes.image):
        if is_meaningful_alt(image.get("alt"), image.get("uri")):
            continue
        alt = ""
        figure = image.parent
        while figure is not None and not isinstance(figure, nodes.figure):
            figure = figure.parent
        if figure is not None:
            captions = list(figure.findall(nodes.caption))
            if captions:
                alt = _plain(caption_text(captions[0]))
        if not alt:
            alt = _first_sentence(_preceding_text(image))
            alt = f"Figure: {alt}" if alt else ""
        image["alt"] = alt or f"Figure in {docname}"


def _copy_plotly(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir) / "_static"
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(plotly_js_path(), out / PLOTLY_JS)


def _add_plotly(app, pagename, templatename, context, doctree) -> None:
    if MARKER in (context.get("body") or ""):
        # the page-level form of add_js_file: only this page loads it; no defer, so window.Plotly
        # exists before the explorables' inline scripts run (they also wait for DOMContentLoaded)
        app.add_js_file(PLOTLY_JS, priority=200)


PLOTLY_MIME = "application/vnd.plotly.v1+json"


def _quiet_plotly_mime() -> None:
    """Make myst-nb skip the plotly mime type without a warning (every other unknown type still warns)."""
    from myst_nb.core.render import NbElementRenderer

    original = NbElementRenderer.render_unhandled
    if getattr(original, "_course_figures", False):
        return

    def render_unhandled(self, data):
        if data.mime_type == PLOTLY_MIME:
            return []
        return original(self, data)

    render_unhandled._course_figures = True
    NbElementRenderer.render_unhandled = render_unhandled


def _configure(app, config) -> None:
    if str(STATIC) not in [str(p) for p in config.html_static_path]:
        config.html_static_path.append(str(STATIC))


def setup(app):
    app.connect("config-inited", _configure)
    _quiet_plotly_mime()
    app.add_css_file("figures.css")
    app.connect("doctree-resolved", set_alt_texts)
    app.connect("html-page-context", _add_plotly)
    app.connect("build-finished", _copy_plotly)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
