"""A small local Sphinx extension for the book (loaded through _config.yml).

- Opens the book in the light theme by default (the pydata theme otherwise
  logs a console error on a first visit, when no mode is stored yet).
- Removes duplicated inline scripts: sphinx-thebe registers its configuration
  script each time documents are read, and a repeated ``const`` declaration
  is a JavaScript error in the browser.
- Adds the book's stylesheet, ``tools/static/course.css``.
"""
from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"


def _configure(app, config):
    config.html_context.setdefault("default_mode", "light")
    config.html_static_path.append(str(STATIC))


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        # an inline script is registered once with filename None and once with '' (same body)
        name = getattr(js, "filename", str(js)) or ""
        key = (str(name), tuple(sorted((k, str(v)) for k, v in getattr(js, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(js)
    scripts[:] = unique


def setup(app):
    app.setup_extension("sphinx_jupyter_links")  # Jupyter-friendly links -> citations, API xrefs
    app.setup_extension("sphinx_pdf")  # LaTeX settings of the PDF (make pdf)
    app.connect("config-inited", _configure)
    app.add_css_file("course.css")
    app.connect("html-page-context", _dedupe_scripts, priority=999)  # after the handlers that add scripts
    return {"parallel_read_safe": True, "parallel_write_safe": True}
