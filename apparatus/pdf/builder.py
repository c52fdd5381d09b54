"""The PDF edition: the whole toctree as one HTML document, typeset by WeasyPrint.

The ``editionpdf`` builder reuses Sphinx's single-file HTML builder, so every document of the
toctree comes in, in order. For the PDF each note leaves the notes list for its call and
becomes a real page-bottom footnote (CSS ``float: footnote``), with the same label as on the
web, its category in words and its lemma repeated ("lemma] note text"). A title page, an
imprint and a table of contents come first; ``static/pdf.css`` sets the pages.

The file is tagged (PDF/UA-1) with the document language and the edition's metadata, and it is
reproducible: its dates are the edition's date, never the clock. Each build checks that every
note stands on the page of its call and that no line runs out of the text block.
"""

from __future__ import annotations

import datetime
import logging as logging_module
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html import escape
from math import inf
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

from apparatus import nodes as ed
from apparatus.domain import call_anchor, label_key, note_anchor, paragraph_anchor
from apparatus.edition import Edition, edition_from_config
from apparatus.taxonomy import BY_SLUG

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from weasyprint import Document

logger = logging.getLogger("apparatus")

BUILDER = "editionpdf"
STATIC = Path(__file__).parent / "static"
# Before every call: no line may break between a word and its call, copied text keeps the
# word and the call apart ("allies 4.1"), and the call's own link marks it as a call.
CALL_SPACE = "\u202f"  # narrow no-break space


class note_footnote(nodes.Inline, nodes.Element):  # noqa: N801 (docutils naming)
    """An editorial note set at its call, to be typeset as a page-bottom footnote."""


class note_continuation(nodes.General, nodes.Element):  # noqa: N801
    """The whole of a note too long for the foot of a page, listed after the text."""


def continuation_anchor(label: str) -> str:
    return f"{note_anchor(label)}-continued"


# -- the document tree for the PDF ----------------------------------------------------------


class NotesToFootnotes(SphinxPostTransform):
    """Move every called note to its call, as inline content that WeasyPrint floats down.

    A note stands inside its paragraph in the PDF, so its body must be inline-level: block
    elements become spans that keep their kind as a class (``ed-fn-paragraph``...). The notes
    of calls that stand together follow the last of them, in label order. Notes without a call
    (withdrawn ones) stay in the notes list. WeasyPrint cannot split a footnote across pages,
    so a note longer than ``apparatus_pdf_long_note`` characters leaves at its call only its
    head and a link to its whole text, which stands in the notes list.
    """

    default_priority = 6  # after the related notes are filled in (5), before references (10)
    builders = (BUILDER,)

    def run(self, **kwargs: Any) -> None:
        notes = {note["label"]: note for note in self.document.findall(ed.editorial_note)}
        lists = {id(note.parent): note.parent for note in notes.values()}
        for group in _call_groups(self.document):
            last = group[-1]
            labels = sorted((call["label"] for call in group if call["label"] in notes), key=label_key)
            footnotes = [self._footnote(notes.pop(label)) for label in labels]
            position = last.parent.index(last) + 1
            last.parent[position:position] = footnotes
        for notes_list in lists.values():
            if isinstance(notes_list, nodes.section) and not any(notes_list.findall(ed.editorial_note)):
                notes_list.parent.remove(notes_list)  # every note of it is now a footnote

    def _footnote(self, note: ed.editorial_note) -> note_footnote:
        if len(note.astext()) <= self.config.apparatus_pdf_long_note:
            return _as_footnote(note)
        notes_list, position = note.parent, note.parent.index(note)
        whole = _as_footnote(note)
        continuation = note_continuation(
            label=note["label"], category=note["category"], ids=[continuation_anchor(note["label"])]
        )
        continuation.extend(whole.children)
        notes_list.insert(position, continuation)
        head = note_footnote(label=note["label"], category=note["category"], ids=note["ids"])
        head += ed.lemma_quote(note["lemma"], note["lemma"])
        link = nodes.reference("", "the note continues after the text", refuri="#" + continuation["ids"][0])
        head += nodes.inline("", "", link, classes=["ed-continued"])
        return head


def _call_groups(document: nodes.document) -> list[list[ed.note_call]]:
    """Calls in reading order, grouped when nothing but markup stands between them."""
    groups: list[list[ed.note_call]] = []
    for call in document.findall(ed.note_call):
        if groups and _adjacent(groups[-1][-1], call):
            groups[-1].append(call)
        else:
            groups.append([call])
    return groups


def _adjacent(first: nodes.Node, second: nodes.Node) -> bool:
    node = first.next_node(descend=True, siblings=True, ascend=True)
    while node is not None and node is not second:
        if isinstance(node, nodes.Text) and node.astext():
            return False
        node = node.next_node(descend=True, siblings=True, ascend=True)
    return node is second


def _as_footnote(note: ed.editorial_note) -> note_footnote:
    note.parent.remove(note)
    footnote = note_footnote(label=note["label"], category=note["category"], ids=note["ids"])
    footnote.extend(_inline(child) for child in note.children)
    first = next((child for child in footnote.children if "ed-fn-paragraph" in child["classes"]), None)
    if first is not None:
        first["classes"].append("ed-fn-first")  # runs on after the label and the category
    _unwrap_lines(footnote)
    return footnote


def _inline(node: nodes.Node) -> nodes.Node:
    """An inline-level copy of a node of a note's body: blocks become classed spans."""
    if isinstance(node, nodes.Inline) or not isinstance(node, nodes.Element):
        return node
    span = nodes.inline(classes=[f"ed-fn-{node.tagname}", *node["classes"]], ids=node["ids"])
    span.extend(_inline(child) for child in node.children)
    return span


def _unwrap_lines(footnote: note_footnote) -> None:
    """Source line breaks become spaces: inside a footnote WeasyPrint would keep them."""
    for text in list(footnote.findall(nodes.Text)):
        if "\n" in text and not _in_literal(text):
            text.parent.replace(text, nodes.Text(text.replace("\n", " ")))


def _in_literal(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.FixedTextElement) or "ed-fn-literal_block" in parent["classes"]:
            return True
        parent = parent.parent
    return False


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


# -- HTML for WeasyPrint --------------------------------------------------------------------


class PDFTranslator(HTML5Translator):
    """Sphinx's HTML without what only makes sense on screen; each document in its own block."""

    def add_permalink_ref(self, node: nodes.Element, title: str) -> None:
        return

    def visit_start_of_file(self, node: nodes.Element) -> None:
        self.docnames.append(node["docname"])
        self.body.append(f'<div class="ed-document" id="document-{escape(node["docname"])}">')

    def depart_start_of_file(self, node: nodes.Element) -> None:
        self.docnames.pop()
        self.body.append("</div>\n")


def visit_edition_paragraph(self: HTML5Translator, node: ed.edition_paragraph) -> None:
    number = node["number"]
    self.body.append(
        f'<div class="ed-par" id="{paragraph_anchor(number)}" data-number="{number}">'
        f'<span class="ed-parnum">¶{number}</span><p class="ed-text">'
    )


def depart_edition_paragraph(self: HTML5Translator, node: ed.edition_paragraph) -> None:
    self.body.append("</p></div>\n")


def visit_lemma(self: HTML5Translator, node: ed.lemma) -> None:
    self.body.append(f'<span class="ed-lemma" id="{escape(node["ids"][0])}">')


def depart_lemma(self: HTML5Translator, node: ed.lemma) -> None:
    self.body.append("</span>")


def visit_note_call(self: HTML5Translator, node: ed.note_call) -> None:
    label = node["label"]
    separator = '<span class="ed-call-sep">,</span>' if node.get("follows") else ""
    self.body.append(
        f'{separator}<a class="ed-call" id="{escape(call_anchor(label))}" '
        f'href="#{escape(note_anchor(label))}">{CALL_SPACE}{escape(label)}</a>'
    )
    raise nodes.SkipNode


def _note_head(label: str, category: str) -> str:
    """The head of a footnote: its label, linking back to the call, and its category in words."""
    return (
        f'<a class="ed-fn-label" href="#{escape(call_anchor(label))}">{escape(label)}</a> '
        f'<span class="ed-fn-category">{escape(BY_SLUG[category].name)}.</span> '
    )


def visit_note_footnote(self: HTML5Translator, node: note_footnote) -> None:
    label = node["label"]
    category = BY_SLUG[node["category"]]
    self.body.append(
        f'<span class="ed-footnote" id="{escape(note_anchor(label))}" data-category="{category.slug}">'
        f"{_note_head(label, category.slug)}"
    )


def depart_note_footnote(self: HTML5Translator, node: note_footnote) -> None:
    self.body.append("</span>")


def visit_note_continuation(self: HTML5Translator, node: note_continuation) -> None:
    label = node["label"]
    self.body.append(
        f'<div class="ed-continuation" id="{escape(node["ids"][0])}">{_note_head(label, node["category"])}'
    )


def depart_note_continuation(self: HTML5Translator, node: note_continuation) -> None:
    self.body.append("</div>\n")


def visit_lemma_quote(self: HTML5Translator, node: ed.lemma_quote) -> None:
    self.body.append('<span class="ed-lemma-quote">')


def depart_lemma_quote(self: HTML5Translator, node: ed.lemma_quote) -> None:
    self.body.append("</span>] ")


VISITORS: dict[str, tuple[Callable[..., None], Callable[..., None] | None]] = {
    "edition_paragraph": (visit_edition_paragraph, depart_edition_paragraph),
    "lemma": (visit_lemma, depart_lemma),
    "note_call": (visit_note_call, None),
    "note_footnote": (visit_note_footnote, depart_note_footnote),
    "note_continuation": (visit_note_continuation, depart_note_continuation),
    "lemma_quote": (visit_lemma_quote, depart_lemma_quote),
}


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
            body = svg_for_weasyprint(addctx["body"])
            self.html_document = compose(edition_from_config(self.config), body)

    def finish(self) -> None:
        self.copy_image_files()
        (self.outdir / "_static").mkdir(exist_ok=True)  # for themes that write there when done
        target = self.outdir / self.config.apparatus_pdf_name
        # The HTML WeasyPrint typesets, kept beside the PDF for whoever needs to look into it.
        target.with_suffix(".html").write_text(self.html_document, encoding="utf-8")
        with weasyprint_warnings():
            document = typeset(self.html_document, self.outdir)
            for problem in check_layout(document):
                logger.warning("PDF: %s", problem, type="apparatus", subtype="pdf")
            document.write_pdf(
                target, pdf_variant="pdf/ua-1", pdf_identifier=b"edition", finisher=describe_links
            )
        logger.info("the PDF edition is %s (%d pages)", target, len(document.pages))


SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
CSS_VARIABLE = re.compile(r"var\(\s*--[\w-]+\s*,\s*([^()]*?)\s*\)")
FONT_SHORTHAND = re.compile(
    r"\bfont:\s*(?P<style>(?:(?:italic|oblique|normal|bold|bolder|lighter|[1-9]00)\s+)*)"
    r"(?P<size>[\d.]+[a-z%]*)(?:/[\w.%]+)?\s+(?P<family>[^;}]+)"
)


def svg_for_weasyprint(html: str) -> str:
    """Inline SVG styles in terms WeasyPrint 70 knows: it ignores CSS variables and the
    ``font`` shorthand there, and would paint shapes black and drop text. A variable becomes
    its fallback value, the shorthand its longhands."""
    return SVG.sub(
        lambda svg: FONT_SHORTHAND.sub(_font_longhands, CSS_VARIABLE.sub(r"\1", svg.group(0))), html
    )


def _font_longhands(match: re.Match[str]) -> str:
    declarations = [f"font-size:{match['size']}", f"font-family:{match['family'].strip()}"]
    for keyword in match["style"].split():
        if keyword in ("italic", "oblique"):
            declarations.append(f"font-style:{keyword}")
        elif keyword != "normal":
            declarations.append(f"font-weight:{keyword}")
    return ";".join(declarations)


def compose(edition: Edition, body: str) -> str:
    """The one HTML document WeasyPrint typesets: metadata, title page, imprint, the edition."""
    metadata = [
        '<meta charset="utf-8">',
        f"<title>{escape(edition.title)}</title>",
        *(f'<meta name="author" content="{escape(name.display)}">' for name in edition.editors),
        f'<meta name="description" content="{escape(edition.subject)}">',
        f'<meta name="keywords" content="{escape(", ".join(edition.keywords))}">',
        # WeasyPrint takes the PDF's dates from these: the edition's date keeps builds identical.
        f'<meta name="dcterms.created" content="{edition.date}">',
        f'<meta name="dcterms.modified" content="{edition.date}">',
    ]
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(edition.language)}" data-title="{escape(edition.title)}">\n'
        "<head>\n" + "\n".join(metadata) + "\n</head>\n<body>\n"
        f"{title_page(edition)}\n{imprint(edition)}\n"
        f'<main class="ed-book">\n{body}\n</main>\n</body>\n</html>\n'
    )


def long_date(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def title_page(edition: Edition) -> str:
    title = edition.original_title or edition.title
    editors = " and ".join(name.display for name in edition.editors)
    lines = [
        '<section class="ed-titlepage" aria-label="Title page">',
        f'<h1 class="ed-booktitle">{escape(title)}</h1>',
        '<p class="ed-subtitle">A critical edition</p>',
    ]
    if edition.original_description:
        lines.append(f'<p class="ed-described">of {escape(_lower_first(edition.original_description))}</p>')
    lines += [
        f'<p class="ed-editors">Edited by {escape(editors)}</p>',
        f'<p class="ed-version">Version {escape(edition.version)} · {long_date(edition.date)}</p>',
    ]
    if edition.publisher and not edition.publisher_is_editor:
        lines.append(f'<p class="ed-publisher">{escape(edition.publisher)}</p>')
    return "\n".join([*lines, "</section>"])


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def imprint(edition: Edition) -> str:
    """The back of the title page: the edition statement in full, licence, where it lives."""
    editors = ", ".join(name.display for name in edition.editors)
    lines = [
        '<section class="ed-imprint" aria-label="Imprint">',
        f"<p><i>{escape(edition.title)}</i>. Edited by {escape(editors)}. "
        f"Version {escape(edition.version)}, {long_date(edition.date)}."
        + (f" Published by {escape(edition.publisher)}." if edition.publisher else "")
        + "</p>",
    ]
    if edition.license:
        url = edition.license_url
        licence = f'<a href="{escape(url)}">{escape(edition.license)}</a>' if url else escape(edition.license)
        lines.append(f"<p>Licence: {licence}.</p>")
    if edition.base_url:
        lines.append(
            f'<p>Online edition: <a href="{escape(edition.url())}">{escape(edition.url())}</a>.'
            " Every note has a permanent label, the same online and in this PDF; "
            "cite a note by its label, e.g. “note 4.3”, the third note on paragraph 4.</p>"
        )
    return "\n".join([*lines, "</section>"])


def table_of_contents(doctree: nodes.document, depth: int = 2) -> str:
    """The contents page, from the sections actually in the PDF.

    The root document's own heading is the title page, so its subsections are the top level.
    """
    root = next(iter(doctree.findall(nodes.section)), None)
    entries = _toc_entries(root, depth) if root is not None else ""
    return (
        '<nav class="ed-contents" aria-labelledby="ed-contents-title">'
        f'<h2 id="ed-contents-title">Contents</h2>{entries}</nav>\n'
    )


def _toc_entries(section: nodes.Element, depth: int) -> str:
    if depth == 0:
        return ""
    items = []
    for child in _subsections(section):
        title = child.next_node(nodes.title)
        label = escape(title.astext()) if title is not None else ""
        items.append(
            f'<li><a href="#{escape(child["ids"][0])}">{label}</a>{_toc_entries(child, depth - 1)}</li>'
        )
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _subsections(section: nodes.Element) -> list[nodes.section]:
    """The sections right below ``section``, looking through inlined documents."""
    found = []
    for child in section.children:
        if isinstance(child, nodes.section):
            if child["ids"]:
                found.append(child)
        elif isinstance(child, nodes.Element):
            found.extend(_subsections(child))
    return found


# -- typesetting ----------------------------------------------------------------------------


class _Forward(logging_module.Handler):
    """WeasyPrint's warnings (bad CSS, missing anchors or fonts) become Sphinx warnings."""

    def emit(self, record: logging_module.LogRecord) -> None:
        logger.warning("PDF: %s", record.getMessage(), type="apparatus", subtype="pdf")


@contextmanager
def weasyprint_warnings() -> Iterator[None]:
    weasyprint_logger = logging_module.getLogger("weasyprint")
    handler = _Forward(logging_module.WARNING)
    weasyprint_logger.addHandler(handler)
    propagate, weasyprint_logger.propagate = weasyprint_logger.propagate, False
    try:
        yield
    finally:
        weasyprint_logger.removeHandler(handler)
        weasyprint_logger.propagate = propagate


def typeset(html: str, base: Path) -> Document:
    from weasyprint import CSS, HTML

    with _footnotes_that_fit_stay():
        stylesheet = CSS(filename=str(STATIC / "pdf.css"))
        return HTML(string=html, base_url=str(base)).render(stylesheets=[stylesheet])


@contextmanager
def _footnotes_that_fit_stay() -> Iterator[None]:
    """While typesetting, compare footnote heights with WeasyPrint's own rounding tolerance.

    WeasyPrint 70 decides whether the last footnote ends below the footnote area with an exact
    ``>``; a rounding error of 1e-13 px then makes a note that fits look as if it did not, and
    the note, with every line after it, moves to the next page, leaving this one nearly empty.
    This is the same computation with ``LayoutContext.overflows``, which allows for rounding.
    """
    from weasyprint.formatting_structure import build
    from weasyprint.layout import LayoutContext
    from weasyprint.layout.block import block_level_layout

    def update_footnote_area(context: LayoutContext) -> bool:
        area = context.current_footnote_area
        if area.height != "auto" and not context.in_column:
            context.page_bottom += area.margin_height()
        area.children = context.current_page_footnotes
        if not area.children:
            area.height = 0
            if not context.in_column:
                context.page_bottom -= area.margin_height()
            return False
        laid_out = block_level_layout(
            context, build.create_anonymous_boxes(area.deepcopy()), -inf, None, area.page
        )[0]
        area.height = laid_out.height
        if not context.in_column:
            context.page_bottom -= laid_out.margin_height()
        last = laid_out.children[-1]
        last_bottom = last.position_y + last.margin_height() - last.margin_bottom
        area_bottom = laid_out.position_y + laid_out.margin_height() - laid_out.margin_bottom
        return context.overflows(area_bottom, last_bottom)

    original = LayoutContext._update_footnote_area
    LayoutContext._update_footnote_area = update_footnote_area
    try:
        yield
    finally:
        LayoutContext._update_footnote_area = original


def describe_links(document: Document, pdf: Any) -> None:
    """Each internal link says in words where it leads ("Note 4.1"), for screen readers."""
    import pydyf

    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and item.get("Subtype") == "/Link" and "Dest" in item:
            item["Contents"] = pydyf.String(link_description(item["Dest"].string))


def link_description(anchor: str) -> str:
    if anchor.startswith(note_anchor("")):
        return f"Note {anchor.removeprefix(note_anchor(''))}"
    if anchor.startswith(call_anchor("")):
        return f"Back to the call of note {anchor.removeprefix(call_anchor(''))}"
    number = anchor.removeprefix(paragraph_anchor(0).removesuffix("0"))
    if number != anchor and number.isdigit():
        return f"Paragraph {number}"
    return f"Link to {anchor}"


def check_layout(document: Document) -> list[str]:
    """What a printed edition must not have: notes away from their calls, calls cut off from
    their words, lines out of the text block."""
    return _notes_away_from_calls(document) + _lines_problems(document)


def anchor_pages(document: Document) -> dict[str, int]:
    """The page number (1-based) of every anchor."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages


def _notes_away_from_calls(document: Document) -> list[str]:
    pages = anchor_pages(document)
    problems = []
    for anchor, page in pages.items():
        if anchor.startswith(call_anchor("")):
            label = anchor.removeprefix(call_anchor(""))
            note_page = pages.get(note_anchor(label))
            if note_page is None:
                problems.append(f"note {label} was not set (its call is on page {page})")
            elif note_page != page:
                problems.append(f"note {label} is on page {note_page}, its call on page {page}")
    return problems


def _lines_problems(document: Document) -> list[str]:
    from weasyprint.formatting_structure import boxes

    problems = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box  # WeasyPrint's laid-out page: the only place its lines are kept
        right = page_box.content_box_x() + page_box.width
        for line in page_box.descendants():
            if not isinstance(line, boxes.LineBox):
                continue
            texts = [box for box in line.descendants() if isinstance(box, boxes.TextBox)]
            text = "".join(box.text for box in texts)
            if line.position_x + line.width > right + 0.5:
                problems.append(f"page {number}: a line runs into the margin: {text[:60]!r}")
            if texts and _is_call(texts[0]):
                problems.append(f"page {number}: a note call begins a line: {text[:60]!r}")
    return problems


def _is_call(box: Any) -> bool:
    element = box.element
    return element is not None and "ed-call" in (element.get("class") or "").split()


def setup(app: Sphinx) -> None:
    app.add_config_value("apparatus_pdf_name", "edition.pdf", "env", types=[str])
    # Longer notes (in characters) leave only their head at the foot of the page: about a third
    # of an A4 page of notes, well above the longest note of a typical edition.
    app.add_config_value("apparatus_pdf_long_note", 2500, "env", types=[int])
    app.add_builder(EditionPDFBuilder)
    app.add_node(note_footnote)
    app.add_node(note_continuation)
    app.add_post_transform(NotesToFootnotes)
    app.add_post_transform(SameFileLinks)
