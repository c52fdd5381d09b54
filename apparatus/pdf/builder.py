"""The PDF edition: the whole toctree as one HTML document, typeset by WeasyPrint.

The ``editionpdf`` builder reuses Sphinx's single-file HTML builder, so every document of the
toctree comes in, in order; :mod:`~apparatus.pdf.footnotes` turns the notes into footnotes,
:mod:`~apparatus.pdf.frontmatter` adds title page, imprint and contents, and
:mod:`~apparatus.pdf.typeset` has WeasyPrint set the pages with ``static/pdf.css`` and checks
them. The file is tagged (PDF/UA-1) with the document language and the edition's metadata, and
it is reproducible: its dates are the edition's date, never the clock.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

from apparatus.directives import ancestors
from apparatus.domain import EditionDomain, NoteRecord
from apparatus.edition import edition_from_config
from apparatus.locale import _
from apparatus.pdf.footnotes import BUILDER, VISITORS, NotesToFootnotes, note_continuation, note_footnote
from apparatus.pdf.frontmatter import compose, table_of_contents
from apparatus.pdf.typeset import breakable_urls, styled_classes, svg_for_weasyprint
from apparatus.pdf.typesetter import Typesetter

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger("apparatus")

MAP = "ed-map"  # the class of the map of contradictions (apparatus.contradiction_map)
# Rows (header included) of a table short enough to be kept on one page.
SHORT_TABLE = 16


class SameFileLinks(SphinxPostTransform):
    """Ids and links within one file made of many documents.

    Each document numbers its own ids, so two documents may both have an ``id1``: such ids are
    prefixed with their document's name. Links "#document-x#target" become "#target".
    """

    default_priority = 20  # after references are resolved (10)
    builders = (BUILDER,)

    def run(self, **kwargs: Any) -> None:
        elements = _elements_by_document(self.document, self.config.root_doc)
        owners: dict[str, set[str]] = {}
        for docname, element in elements:
            for key in element["ids"]:
                owners.setdefault(key, set()).add(docname)
        renamed = {
            (docname, key): f"{docname.replace('/', '-')}--{key}"
            for key, docnames in owners.items()
            if len(docnames) > 1
            for docname in docnames
        }
        for docname, element in elements:
            _rename(element, docname, renamed)


def _rename(element: nodes.Element, docname: str, renamed: dict[tuple[str, str], str]) -> None:
    for attribute in ("ids", "backrefs"):
        if attribute in element:
            element[attribute] = [renamed.get((docname, key), key) for key in element[attribute]]
    if element.get("refid"):
        element["refid"] = renamed.get((docname, element["refid"]), element["refid"])
    uri = element.get("refuri", "")
    if isinstance(element, nodes.reference) and uri.startswith("#"):
        parts = uri.split("#")[1:]
        if len(parts) > 1 and parts[0].startswith("document-"):
            docname = parts[0].removeprefix("document-")
        element["refuri"] = "#" + renamed.get((docname, parts[-1]), parts[-1])


def _elements_by_document(document: nodes.document, root: str) -> list[tuple[str, nodes.Element]]:
    """Every element with the name of the document it comes from."""
    found: list[tuple[str, nodes.Element]] = []

    def walk(parent: nodes.Element, docname: str) -> None:
        for child in parent.children:
            if isinstance(child, nodes.Element):
                inner = child["docname"] if isinstance(child, addnodes.start_of_file) else docname
                found.append((inner, child))
                walk(child, inner)

    walk(document, root)
    return found


class MapLeftToTheWeb(SphinxPostTransform):
    """The map of contradictions in print: its lines cross too often to be followed at print
    size, so the PDF gives the pairs alone (the map's own list) and the map's address online."""

    default_priority = 6  # after the listings are built (5)
    builders = (BUILDER,)

    def run(self, **kwargs: Any) -> None:
        edition = edition_from_config(self.config)
        for figure in list(self.document.findall(nodes.container)):
            if MAP not in figure["classes"]:
                continue
            owner = next((n for n in ancestors(figure) if isinstance(n, addnodes.start_of_file)), None)
            url = edition.url(f"{owner['docname'] if owner else self.config.root_doc}.html")
            pointer = nodes.paragraph(classes=["ed-map-online"])
            pointer += nodes.Text(str(_("The map is drawn in the online edition:")) + " ")
            pointer += nodes.reference(url, url, refuri=url)
            pointer += nodes.Text(". " + str(_("The conflicting pairs:")))
            for drawing in [child for child in figure.children if isinstance(child, nodes.raw)]:
                figure.remove(drawing)
            figure.insert(0, pointer)


# -- HTML for WeasyPrint --------------------------------------------------------------------


class PDFTranslator(HTML5Translator):
    """Sphinx's HTML without what only makes sense on screen; each document in its own block."""

    def add_permalink_ref(self, node: nodes.Element, title: str) -> None:
        return

    # A span that no link targets and the stylesheet does not style only costs the
    # typesetting (styles, boxes): left out, its text kept.
    def visit_inline(self, node: nodes.inline) -> None:
        if _shown(node):
            super().visit_inline(node)

    def depart_inline(self, node: nodes.inline) -> None:
        if _shown(node):
            super().depart_inline(node)

    # Code is set in one colour (pdf.css has no highlighting styles): its tokens' spans would
    # only cost the typesetting.
    def visit_literal_block(self, node: nodes.literal_block) -> None:
        node["language"] = "none"
        super().visit_literal_block(node)

    def visit_table(self, node: nodes.table) -> None:
        if len(list(node.findall(nodes.row))) <= SHORT_TABLE:
            node["classes"].append("ed-short")  # kept on one page (pdf.css)
        super().visit_table(node)

    def visit_start_of_file(self, node: nodes.Element) -> None:
        self.docnames.append(node["docname"])
        self.body.append(f'<div class="ed-document" id="document-{escape(node["docname"])}">')

    def depart_start_of_file(self, node: nodes.Element) -> None:
        self.docnames.pop()
        self.body.append("</div>\n")


def _shown(node: nodes.inline) -> bool:
    return bool(node["ids"]) or not styled_classes().isdisjoint(node["classes"])


# -- the builder ----------------------------------------------------------------------------


class EditionPDFBuilder(SingleFileHTMLBuilder):
    """``-b editionpdf``: the whole edition as one tagged, reproducible PDF."""

    name = BUILDER
    format = "html"
    epilog = "The PDF edition is in %(outdir)s."
    default_translator_class = PDFTranslator
    search = False

    def init(self) -> None:
        super().init()
        self.html_document = ""
        # Started now, so that WeasyPrint is imported while Sphinx reads and writes.
        self.typesetter = Typesetter()

    def create_translator(self, *args: Any) -> nodes.NodeVisitor:
        """The HTML translator, with the edition's nodes written for print."""
        translator = super().create_translator(*args)
        for name, (visit, depart) in VISITORS.items():
            setattr(translator, f"visit_{name}", visit.__get__(translator))
            if depart is not None:
                setattr(translator, f"depart_{name}", depart.__get__(translator))
        return translator

    def assemble_doctree(self) -> nodes.document:
        """The whole edition, with its table of contents after the root document's own text."""
        tree = super().assemble_doctree()
        first = next(iter(tree.findall(addnodes.start_of_file)), None)
        if first is not None:
            anchor = first.parent if isinstance(first.parent, nodes.compound) else first
            contents = nodes.raw("", table_of_contents(tree), format="html")
            anchor.parent.insert(anchor.parent.index(anchor), contents)
        return tree

    def handle_page(
        self,
        pagename: str,
        addctx: dict[str, Any],
        templatename: str = "page.html",
        *,
        outfilename: Path | None = None,
        event_arg: Any = None,
    ) -> None:
        if pagename == self.config.root_doc:
            body = breakable_urls(svg_for_weasyprint(addctx["body"]))
            self.html_document = compose(edition_from_config(self.config), body, self._first_note())

    def _first_note(self) -> NoteRecord | None:
        domain = self.env.get_domain("ed")
        assert isinstance(domain, EditionDomain)
        return next(iter(domain.sorted_notes()), None)

    def finish(self) -> None:
        self.copy_image_files()
        (self.outdir / "_static").mkdir(exist_ok=True)  # for themes that write there when done
        target = self.outdir / self.config.apparatus_pdf_name
        # The HTML WeasyPrint typesets, kept beside the PDF for whoever needs to look into it.
        target.with_suffix(".html").write_text(self.html_document, encoding="utf-8")
        done = self.typesetter.typeset(self.html_document, self.outdir, target)
        for message in done.warnings + done.problems:
            logger.warning("PDF: %s", message, type="apparatus", subtype="pdf")
        logger.info("the PDF edition is %s (%d pages)", target, done.pages)


def stop_typesetter(app: Sphinx, error: Exception | None) -> None:
    """A build that failed before its PDF was typeset leaves no process behind."""
    if isinstance(app.builder, EditionPDFBuilder):
        app.builder.typesetter.close()


def setup(app: Sphinx) -> None:
    app.add_config_value("apparatus_pdf_name", "edition.pdf", "env", types=[str])
    # Longer notes (in characters) leave only their head at the foot of the page: about a third
    # of an A4 page of notes, well above the longest note of a typical edition.
    app.add_config_value("apparatus_pdf_long_note", 2500, "env", types=[int])
    app.add_builder(EditionPDFBuilder)
    app.connect("build-finished", stop_typesetter)
    app.add_node(note_footnote)
    app.add_node(note_continuation)
    app.add_post_transform(NotesToFootnotes)
    app.add_post_transform(SameFileLinks)
    app.add_post_transform(MapLeftToTheWeb)
