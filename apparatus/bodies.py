"""The notes' bodies as the pages read them, for the layers that show a note elsewhere.

A body is the content the editor wrote, without the lemma repeated at its head and without what
other components append to a note (related links, citation boxes): ``MarkBodies`` tags the
editor's own nodes while reading, before anything else is added. Bodies are taken from the
*resolved* doctree (``doctree-resolved``, fired in the main process, in a parallel build too),
where citations and cross-references read as on the page; the read-time ``NoteRecord.text``
still holds unresolved roles. Each note's body is resolved once per build, whoever reads it:
a note's own page, the search page's data, the open-data files.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform

from apparatus import nodes as ed
from apparatus.domain import EditionDomain, NoteRecord, paragraph_anchor
from apparatus.edition import base_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.domains import Domain

BODY_FLAG = "apparatus_body"  # set on the editor's own nodes of a note; not rendered
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


# -- one resolution per note and build ----------------------------------------------------------


def kept_for_the_build(builder: Builder, name: str) -> dict[str, Any]:
    """A dictionary that lives as long as the builder, one build: what the pages written in it
    leave for what is made after them."""
    if not hasattr(builder, name):
        setattr(builder, name, {})
    kept: dict[str, Any] = getattr(builder, name)
    return kept


def _kept(builder: Builder) -> dict[str, Body]:
    return kept_for_the_build(builder, "apparatus_bodies")


def keep_bodies(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    citations, kept = citation_keys(app), _kept(app.builder)
    for note in doctree.findall(ed.editorial_note):
        kept[note["label"]] = resolve_body(app, note, docname, citations)


def resolved_body(app: Sphinx, record: NoteRecord) -> Body:
    """The note's body in this build; a document not written in it is resolved again (which
    fires ``doctree-resolved``)."""
    kept = _kept(app.builder)
    if record.label not in kept:
        app.env.get_and_resolve_doctree(record.docname, app.builder)
    return kept.get(record.label) or Body((), record.text, (), {})


def setup(app: Sphinx) -> None:
    app.add_transform(MarkBodies)
    app.connect("doctree-resolved", keep_bodies, priority=400)  # before the handlers that read them
