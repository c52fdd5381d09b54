"""What every export reads: the edition's notes with their resolved bodies, texts and sources.

Note bodies are taken from the *resolved* doctree (``doctree-resolved``), where citations and
cross-references already read as they do on the page; the read-time ``NoteRecord.text`` still
holds unresolved roles. A body is the content the editor wrote, without the lemma repeated at
its head and without what other components append to a note (related links, citation boxes):
``mark_bodies`` tags the editor's own nodes while reading, before anything else is added.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform

from apparatus import nodes as ed
from apparatus.domain import EditionDomain, NoteRecord, note_anchor, paragraph_anchor
from apparatus.edition import Edition as EditionStatement
from apparatus.edition import base_url, edition_from_config
from apparatus.taxonomy import CATEGORIES, Category, categories
from apparatus.text import TextModel, load_text

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.domains import Domain

BODY_FLAG = "apparatus_body"  # set on the editor's own nodes of a note; not rendered
EXPORT_BUILDERS = frozenset({"html", "dirhtml"})
SOURCE_WHITESPACE = re.compile(r"[ \t\r\n]+")


class MarkBodies(SphinxTransform):
    """Flag each note's own content, before assembling adds the lemma quote and related links."""

    default_priority = 390  # after parsing, before AssembleText (400)

    def apply(self, **kwargs: Any) -> None:
        for note in self.document.findall(ed.editorial_note):
            for child in note.children:
                if isinstance(child, nodes.Element):
                    child[BODY_FLAG] = True


@dataclass(frozen=True)
class Link:
    """Where an internal link of a note body points, in terms every export understands."""

    kind: str  # "note", "paragraph", "source" or "url"
    target: str  # a note label, "DOCNAME#N" for a paragraph, a bibliography key, or a URL


@dataclass(frozen=True)
class Body:
    """A note body as resolved for one builder: the nodes (for TEI), its text and its sources."""

    nodes: tuple[nodes.Element, ...]
    text: str
    sources: tuple[str, ...]
    links: dict[int, Link]  # id() of a reference node in ``nodes`` -> where it points


@dataclass(frozen=True)
class ExportNote:
    record: NoteRecord
    body: Body
    category_name: str
    permalink: str
    related: tuple[str, ...]  # both ways, as shown on the page (conflicts included)
    conflicts: tuple[str, ...] = ()  # both ways: the notes this one is in conflict with

    def __getattr__(self, name: str) -> Any:
        return getattr(self.record, name)  # label, paragraph, lemma, start, end, ...


@dataclass(frozen=True)
class ExportText:
    docname: str
    path: str  # relative to the source directory; published at the same path in the output
    model: TextModel
    page_url: str  # the text page
    file_url: str  # the published copy of the original file


@dataclass
class Edition:
    """The whole edition as the exports see it: its statement (the one model every output
    reads), its texts and notes, its bibliography."""

    statement: EditionStatement
    texts: list[ExportText]
    notes: list[ExportNote]
    bibliography: dict[str, Any] = field(default_factory=dict)  # key -> pybtex Entry
    claim_ratings: dict[str, str] = field(default_factory=dict)  # category -> rating
    categories: tuple[Category, ...] = CATEGORIES  # the edition's taxonomy

    def text_of(self, note: ExportNote) -> ExportText:
        return next(text for text in self.texts if text.docname == note.docname)

    @property
    def base_url(self) -> str:
        return self.statement.base_url

    @property
    def language(self) -> str:
        return self.statement.language

    def url(self, relative: str) -> str:
        return self.statement.url(relative)


def is_export_builder(builder: Builder) -> bool:
    return builder.name in EXPORT_BUILDERS


class BodyCollector:
    """Keeps the resolved body of every note written in this build."""

    def __init__(self) -> None:
        self.bodies: dict[str, Body] = {}

    def doctree_resolved(self, app: Sphinx, doctree: nodes.document, docname: str) -> None:
        if not is_export_builder(app.builder):
            return
        citations = citation_keys(app)
        for note in doctree.findall(ed.editorial_note):
            self.bodies[note["label"]] = resolve_body(app, note, docname, citations)

    def body(self, app: Sphinx, record: NoteRecord) -> Body:
        """The resolved body; a document not rewritten in this build is resolved again."""
        if record.label not in self.bodies:
            app.env.get_and_resolve_doctree(record.docname, app.builder)  # fires doctree_resolved
        return self.bodies.get(record.label) or Body((), record.text, (), {})


def _cite_domain(app: Sphinx) -> Domain | None:
    """sphinxcontrib-bibtex's domain, when the edition cites sources with it."""
    try:
        return app.env.get_domain("cite")
    except ExtensionError:
        return None


def citation_keys(app: Sphinx) -> dict[str, str]:
    """Citation ids (the anchors of bibliography entries) -> bibliography keys."""
    citations = getattr(_cite_domain(app), "citations", None) or []
    return {citation.citation_id: citation.key for citation in citations}


def bibliography(app: Sphinx) -> dict[str, Any]:
    """Bibliography key -> pybtex entry, for every entry of the edition's bib files."""
    data = getattr(_cite_domain(app), "bibdata", None)
    return dict(data.data.entries) if data is not None else {}


def resolve_body(app: Sphinx, note: ed.editorial_note, docname: str, citations: dict[str, str]) -> Body:
    body = [  # not the parents
        child.deepcopy()
        for child in note.children
        if isinstance(child, nodes.Element) and child.get(BODY_FLAG)
    ]
    for part in body:
        for quote in list(part.findall(ed.lemma_quote)):
            quote.parent.remove(quote)
    links: dict[int, Link] = {}
    sources: list[str] = []
    from_uri = app.builder.get_target_uri(docname)
    for part in body:
        for reference in part.findall(nodes.reference):
            link = classify(app, reference, from_uri, citations)
            if link is not None:
                links[id(reference)] = link
                if link.kind == "source" and link.target not in sources:
                    sources.append(link.target)
    text = "\n\n".join(plain_text(part) for part in body)
    return Body(tuple(body), text, tuple(sources), links)


def plain_text(node: nodes.Node) -> str:
    """A body block as plain text: paragraphs apart, list items marked as in the source."""
    if isinstance(node, nodes.bullet_list | nodes.enumerated_list):
        numbered = isinstance(node, nodes.enumerated_list)
        items = []
        for number, item in enumerate(node.children, start=1):
            mark = f"{number}. " if numbered else "- "
            items.append(mark + "\n".join(plain_text(child) for child in item.children))
        return "\n".join(items)
    if isinstance(node, nodes.Element) and not isinstance(node, nodes.TextElement) and len(node):
        return "\n\n".join(plain_text(child) for child in node.children)
    return one_line(node.astext()).strip()


def one_line(text: str) -> str:
    """Line breaks of the reST source are not the note's: join its lines (keeping no-break spaces)."""
    return SOURCE_WHITESPACE.sub(" ", text)


def classify(
    app: Sphinx, reference: nodes.reference, from_uri: str, citations: dict[str, str]
) -> Link | None:
    """Tell what a resolved reference points at: a note, a paragraph, a source or a web page."""
    uri = reference.get("refuri")
    if uri is None:
        uri = "#" + reference["refid"] if reference.get("refid") else None
    if uri is None:
        return None
    path, _, fragment = uri.partition("#")
    if "://" in path or path.startswith("mailto:"):
        return Link("url", uri)
    if fragment in citations:
        return Link("source", citations[fragment])
    domain = app.env.get_domain("ed")
    assert isinstance(domain, EditionDomain)
    label = fragment.removeprefix("note-")
    if fragment.startswith("note-") and label in domain.notes:
        return Link("note", label)
    target_uri = posixpath.normpath(posixpath.join(posixpath.dirname(from_uri), path)) if path else from_uri
    number = fragment.removeprefix("p")
    is_paragraph = number.isdigit() and fragment == paragraph_anchor(int(number))
    for text_docname in domain.texts:
        if is_paragraph and app.builder.get_target_uri(text_docname) == target_uri:
            return Link("paragraph", f"{text_docname}#{number}")
    return Link("url", urljoin(base_url(app.config), target_uri + ("#" + fragment if fragment else "")))


def gather(app: Sphinx, collector: BodyCollector) -> Edition:
    """Everything the exports need, read from the domain, the originals and the resolved bodies."""
    domain = app.env.get_domain("ed")
    assert isinstance(domain, EditionDomain)
    statement = edition_from_config(app.config)
    base = statement.base_url
    texts = []
    for docname in sorted(domain.texts):
        text = domain.texts[docname]
        page = app.builder.get_target_uri(docname)
        model = load_text(Path(app.srcdir, text.path))
        texts.append(ExportText(docname, text.path, model, urljoin(base, page), urljoin(base, text.path)))
    notes, taxonomy = [], categories(app.config)
    names = {entry.slug: entry for entry in taxonomy}
    pages = {docname: app.builder.get_target_uri(docname) for docname in domain.texts}
    for record in domain.sorted_notes():
        page = pages.get(record.docname) or app.builder.get_target_uri(record.docname)
        permalink = urljoin(base, f"{page}#{note_anchor(record.label)}")
        category = names[record.category].name if record.category in names else record.category
        related, conflicts = tuple(domain.related(record.label)), tuple(domain.conflicts(record.label))
        notes.append(ExportNote(record, collector.body(app, record), category, permalink, related, conflicts))
    ratings = {entry.slug: entry.rating for entry in taxonomy} | app.config.apparatus_claim_ratings
    ratings = {slug: rating for slug, rating in ratings.items() if rating}  # "" takes a category out
    return Edition(statement, texts, notes, bibliography(app), ratings, taxonomy)


@dataclass(frozen=True)
class Export:
    """One file written into the site: its name, format, and how to write it."""

    filename: str
    format: str  # the standard, as readers know it
    media_type: str
    description: str
    write: Callable[[Edition], str]  # the file's content
