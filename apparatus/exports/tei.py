"""``edition.xml``: the edition as a TEI P5 document.

The header carries the edition statement, the description of the source and the taxonomy of
categories. The body holds each original exactly, as numbered paragraphs (``p/@n``) in which
each lemma is a ``seg``; the notes stand in the back matter, each pointing at its lemma
(``note/@target``), typed by category (``@type``) and numbered by label (``@n``). Links inside
notes become ``ref``: to another note, to a paragraph, or to an entry of the ``listBibl``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

from docutils import nodes

from apparatus import anchoring
from apparatus.bibliography import field_text, publication_year
from apparatus.bodies import Body, one_line
from apparatus.domain import lemma_anchor, note_anchor, paragraph_anchor
from apparatus.exports.collect import Edition, Export, ExportNote, ExportText
from apparatus.locale import N_

TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FILENAME = "edition.xml"

# Elements whose content is structure only: indenting them cannot change any text.
STRUCTURAL = {
    "TEI", "teiHeader", "fileDesc", "titleStmt", "editionStmt", "publicationStmt", "availability",
    "sourceDesc", "encodingDesc", "classDecl", "taxonomy", "profileDesc", "langUsage", "text",
    "body", "back", "div", "listBibl",
}  # fmt: skip


def el(parent: ET.Element | None, tag: str, text: str | None = None, **attributes: str | None) -> ET.Element:
    """A TEI element (appended to ``parent`` if given); ``xml_id`` and ``xml_lang`` as expected;
    an attribute given as None is left out."""
    attrs = {_attribute(name): value for name, value in attributes.items() if value is not None}
    node = (
        ET.Element(f"{{{TEI}}}{tag}", attrs)
        if parent is None
        else ET.SubElement(parent, f"{{{TEI}}}{tag}", attrs)
    )
    node.text = text
    return node


def _attribute(name: str) -> str:
    return {"xml_id": XML_ID, "xml_lang": XML_LANG}.get(name, name.rstrip("_"))


def xml_id(value: str) -> str:
    """Any key as an XML name (NCName): invalid characters become "_"."""
    cleaned = re.sub(r"[^\w.-]", "_", value)
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"_{cleaned}"


def bibl_id(key: str) -> str:
    return xml_id(f"bib-{key}")


def category_id(slug: str) -> str:
    return f"cat-{slug}"


class Ids:
    """The xml:id of each paragraph: ``p4`` in a one-text edition, ``DOC-p4`` otherwise."""

    def __init__(self, texts: list[ExportText]) -> None:
        self.single = len(texts) == 1

    def paragraph(self, docname: str, number: int) -> str:
        anchor = paragraph_anchor(number)
        return anchor if self.single else xml_id(f"{docname}-{anchor}")


# -- header ----------------------------------------------------------------------------------


def header(edition: Edition) -> ET.Element:
    statement = edition.statement
    root = el(None, "teiHeader")
    file_desc = el(root, "fileDesc")
    title_stmt = el(file_desc, "titleStmt")
    el(title_stmt, "title", statement.title or "Untitled edition")
    for editor in statement.editors:
        el(title_stmt, "editor", editor.display)
    edition_stmt = el(file_desc, "editionStmt")
    version = statement.version
    edition_el = el(
        edition_stmt, "edition", f"Version {version}" if version else "Edition", n=version or None
    )
    if statement.date:
        edition_el.text = (edition_el.text or "") + ", "
        el(edition_el, "date", statement.date, when=statement.date)
    file_desc.append(publication(edition))
    file_desc.append(source_description(edition))
    root.append(encoding(edition))
    profile = el(root, "profileDesc")
    usage = el(profile, "langUsage")
    el(usage, "language", edition.language, ident=edition.language)
    return root


def publication(edition: Edition) -> ET.Element:
    statement = edition.statement
    stmt = el(None, "publicationStmt")
    el(stmt, "publisher", statement.publisher or ", ".join(name.display for name in statement.editors))
    if statement.date:
        el(stmt, "date", statement.date, when=statement.date)
    if edition.base_url:
        el(stmt, "ptr", target=edition.base_url)
    if statement.license:
        availability = el(stmt, "availability")
        el(availability, "licence", statement.license, target=statement.license_url or None)
    return stmt


def source_description(edition: Edition) -> ET.Element:
    statement = edition.statement
    source = el(None, "sourceDesc")
    for text in edition.texts:
        bibl = el(source, "bibl")
        el(bibl, "title", statement.original_title or text.model.title)
        if statement.original_description:
            el(bibl, "note", statement.original_description)
        el(bibl, "idno", text.model.sha256, type="SHA-256")
        el(bibl, "ptr", target=text.file_url)
    return source


def encoding(edition: Edition) -> ET.Element:
    desc = el(None, "encodingDesc")
    editorial = el(desc, "editorialDecl")
    el(
        editorial,
        "p",
        "The original is transcribed exactly, character for character, errors included. "
        "Each editorial note points at the words it is about (a seg in the text) and is "
        "classified by one category of the taxonomy below.",
    )
    taxonomy = el(el(desc, "classDecl"), "taxonomy", xml_id="categories")
    for category in edition.categories:
        entry = el(taxonomy, "category", xml_id=category_id(category.slug))
        description = el(entry, "catDesc")
        el(description, "term", category.name)
        description[-1].tail = f": {category.definition}"
    return desc


# -- text ------------------------------------------------------------------------------------


def original(edition: Edition, text: ExportText, ids: Ids) -> ET.Element:
    by_paragraph: dict[int, list[ExportNote]] = {}
    for note in edition.notes:
        if note.record.docname == text.docname and not note.record.withdrawn:
            by_paragraph.setdefault(note.record.paragraph, []).append(note)
    div = el(None, "div", type="original", n=text.path)
    el(div, "head", text.model.title)
    for paragraph in text.model.paragraphs:
        notes = [note.record for note in by_paragraph.get(paragraph.number, [])]
        node = el(div, "p", n=str(paragraph.number), xml_id=ids.paragraph(text.docname, paragraph.number))
        spans = [anchoring.Span(n.start - paragraph.start, n.end - paragraph.start, n.label) for n in notes]
        categories = {n.label: n.category for n in notes}
        _fill(node, anchoring.nest(len(paragraph.text), spans), paragraph.text, categories)
    return div


def _fill(
    parent: ET.Element, segments: Iterable[anchoring.Segment], text: str, categories: dict[str, str]
) -> None:
    """Lay the paragraph's text into ``parent``: plain stretches as text, lemmas as ``seg``."""
    for segment in segments:
        if segment.span is None:
            _append_text(parent, text[segment.start : segment.end])
            continue
        label = segment.span.key
        seg = el(parent, "seg", xml_id=lemma_anchor(label), ana=f"#{category_id(categories[label])}")
        _fill(seg, segment.children, text, categories)


def _append_text(parent: ET.Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


# -- notes -----------------------------------------------------------------------------------


class BodyWriter:
    """Docutils nodes of a note body -> TEI: paragraphs, lists, quotes, emphasis, links."""

    BLOCKS: dict[type, tuple[str, dict[str, str]]] = {  # noqa: RUF012
        nodes.paragraph: ("p", {}),
        nodes.bullet_list: ("list", {"rend": "bulleted"}),
        nodes.enumerated_list: ("list", {"rend": "numbered"}),
        nodes.list_item: ("item", {}),
        nodes.block_quote: ("quote", {}),
    }
    INLINES: dict[type, tuple[str, dict[str, str]]] = {  # noqa: RUF012
        nodes.emphasis: ("hi", {"rend": "italic"}),
        nodes.strong: ("hi", {"rend": "bold"}),
        nodes.literal: ("code", {}),
        nodes.title_reference: ("title", {}),
    }

    def __init__(self, edition: Edition, body: Body, ids: Ids) -> None:
        self.edition = edition
        self.body = body
        self.ids = ids

    def write(self, note: ET.Element) -> None:
        for part in self.body.nodes:
            self.block(note, part)

    def block(self, parent: ET.Element, node: nodes.Node) -> None:
        tag = self.BLOCKS.get(type(node))
        if tag is not None:
            element = el(parent, tag[0], **tag[1])
            for child in node.children:
                (self.block if tag[0] in {"list", "item", "quote"} else self.inline)(element, child)
        elif isinstance(node, nodes.TextElement | nodes.Text):
            self.inline(el(parent, "p"), node)  # any other block of text reads as a paragraph
        else:
            for child in node.children:
                self.block(parent, child)

    def inline(self, parent: ET.Element, node: nodes.Node) -> None:
        if isinstance(node, nodes.Text):
            _append_text(parent, one_line(node.astext()))
            return
        if isinstance(node, nodes.reference):
            parent = self.reference(parent, node)
        elif type(node) in self.INLINES:
            tag, attributes = self.INLINES[type(node)]
            parent = el(parent, tag, **attributes)
        for child in node.children:
            self.inline(parent, child)

    def reference(self, parent: ET.Element, node: nodes.reference) -> ET.Element:
        link = self.body.links.get(id(node))
        if link is None:
            return parent
        if link.kind == "note":
            return el(parent, "ref", type="note", target=f"#{note_anchor(link.target)}")
        if link.kind == "paragraph":
            docname, _, number = link.target.partition("#")
            return el(parent, "ref", type="paragraph", target=f"#{self.ids.paragraph(docname, int(number))}")
        if link.kind == "source":
            return el(parent, "ref", type="bibl", target=f"#{bibl_id(link.target)}")
        return el(parent, "ref", target=link.target)


def note_element(edition: Edition, note: ExportNote, ids: Ids) -> ET.Element:
    element = el(
        None,
        "note",
        xml_id=note_anchor(note.label),
        n=note.label,
        type=note.record.category,
        subtype="withdrawn" if note.withdrawn else None,
        ana=f"#{category_id(note.record.category)}",
        target=None if note.withdrawn else f"#{lemma_anchor(note.label)}",
    )
    if note.related:
        element.set("corresp", " ".join(f"#{note_anchor(label)}" for label in note.related))
    BodyWriter(edition, note.body, ids).write(element)
    return element


# -- bibliography ----------------------------------------------------------------------------


def bibl(key: str, entry: Any) -> ET.Element:
    element = el(None, "bibl", xml_id=bibl_id(key), type=entry.type)
    for role, tag in (("author", "author"), ("editor", "editor")):
        for person in entry.persons.get(role, []):
            el(element, tag, field_text(str(person)))
    fields = entry.fields
    if "title" in fields:
        level = "m" if entry.type in {"book", "manual", "techreport", "misc"} else "a"
        el(element, "title", field_text(fields["title"]), level=level)
    for name in ("journal", "booktitle"):
        if name in fields:
            el(element, "title", field_text(fields[name]), level="j" if name == "journal" else "m")
    for name in ("publisher", "organization", "institution"):
        if name in fields:
            el(element, "publisher", field_text(fields[name]))
    if "year" in fields:
        el(element, "date", publication_year(field_text(fields["year"])))
    if "doi" in fields:
        el(element, "idno", field_text(fields["doi"]), type="DOI")
    if "url" in fields:
        el(element, "ptr", target=fields["url"])
    if "note" in fields:
        el(element, "note", field_text(fields["note"]))
    return element


# -- document --------------------------------------------------------------------------------


def document(edition: Edition) -> ET.Element:
    ids = Ids(edition.texts)
    root = el(None, "TEI", xml_lang=edition.language)
    root.append(header(edition))
    text = el(root, "text")
    body = el(text, "body")
    for original_text in edition.texts:
        body.append(original(edition, original_text, ids))
    back = el(text, "back")
    if edition.notes:
        notes = el(back, "div", type="notes")
        el(notes, "head", "Notes")
        for note in edition.notes:
            notes.append(note_element(edition, note, ids))
    if edition.bibliography:
        bibliography = el(back, "div", type="bibliography")
        el(bibliography, "head", "Bibliography")
        listing = el(bibliography, "listBibl")
        for key, entry in edition.bibliography.items():
            listing.append(bibl(key, entry))
    if not len(back):
        text.remove(back)
    return root


def indent(element: ET.Element, level: int = 0) -> None:
    """Indent structural elements only: whitespace inside text-bearing elements would be text."""
    if element.tag.removeprefix(f"{{{TEI}}}") not in STRUCTURAL or not len(element):
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in element:
        indent(child, level + 1)
        child.tail = inner
    element[-1].tail = "\n" + "  " * level


def write(edition: Edition) -> str:
    root = document(edition)
    indent(root)
    ET.register_namespace("", TEI)  # here, not at import: other libraries (WeasyPrint) map "" too
    serialised = ET.tostring(root, encoding="unicode")
    # A raw carriage return would be read back as a line feed: escape it to keep the text exact.
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + serialised.replace("\r", "&#13;") + "\n"


EXPORT = Export(
    FILENAME,
    "TEI P5 (XML)",
    "application/tei+xml",
    N_(
        "The whole edition in the Text Encoding Initiative's format: the edition statement and the "
        "source in the header, the original with numbered paragraphs and each lemma marked and "
        "linked to its note, the notes typed by category, and the bibliography as a listBibl."
    ),
    write,
)
