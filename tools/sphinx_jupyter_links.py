"""Turn the chapters' Jupyter-friendly links back into real citations and API cross-references.

The chapters write citations and API names as plain Markdown links (see
``tools/jupyter_roles.py``), because jupyterlab-myst has no bibliography and no Python
domain::

    [Rudi and Gaillard (2020)](bibliography.md#rudi2020)            textual citation
    [(Cybenko 1989; Hornik et al. 1989)](bibliography.md#cybenko1989,hornik1989)
    [`coursepkg.mlp`](api/mlp.md#coursepkg.mlp)                       API name

In JupyterLab they read as written.  In the book this transform replaces each such
link, while the documents are read, with what ``{cite:t}``/``{cite:p}`` and ``{py:obj}``
would have produced: a sphinxcontrib-bibtex citation (the book's author-year style,
linked to its bibliography entry; an unknown key is a warning, so ``-W`` fails) and a
Python-domain cross-reference (an unknown name fails ``-n``).  A link text starting
with "(" is a parenthetical citation, any other a textual one.
Loaded by ``tools/sphinx_course.py``.
"""
from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

BIBLIOGRAPHY_DOC = "bibliography"  # last path component of the bibliography page
API_DIR = "api/"


class JupyterLinksToXrefs(SphinxTransform):
    default_priority = 400  # while reading, long before the references are resolved

    def apply(self, **kwargs) -> None:
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("refdomain") != "doc" or node.get("reftype") != "myst":
                continue
            target, anchor = node.get("reftarget", ""), node.get("reftargetid") or ""
            if not anchor:
                continue
            if target.rsplit("/", 1)[-1] == BIBLIOGRAPHY_DOC:
                node.replace_self(self._citation(node, anchor))
            elif f"/{API_DIR}" in f"/{target}" and anchor.startswith("coursepkg"):
                node.replace_self(self._api(node, anchor))

    def _citation(self, node, keys: str):
        from sphinxcontrib.bibtex.citation_target import parse_citation_targets
        from sphinxcontrib.bibtex.roles import CitationRef

        text = node.astext().strip()
        xref = addnodes.pending_xref(
            "", nodes.inline(text, text),
            refdoc=self.env.docname, refdomain="cite",
            reftype="p" if text.startswith("(") else "t",
            refexplicit=False, refwarn=False, reftarget=keys,
        )
        xref.source, xref.line = node.source, node.line
        self.document.note_explicit_target(xref, xref)  # gives the id the citation links back to
        self.env.get_domain("cite").citation_refs.append(
            CitationRef(
                citation_ref_id=xref["ids"][0], docname=self.env.docname,
                line=node.line or 0, targets=list(parse_citation_targets(keys)),
            )
        )
        return xref

    def _api(self, node, name: str):
        xref = addnodes.pending_xref(
            "", *node.children,
            refdoc=self.env.docname, refdomain="py", reftype="obj",
            refexplicit=True, refwarn=True, reftarget=name,
        )
        xref.source, xref.line = node.source, node.line
        return xref


def setup(app):
    app.add_transform(JupyterLinksToXrefs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
