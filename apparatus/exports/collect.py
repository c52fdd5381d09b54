"""What every export reads: the edition's notes with their resolved bodies (:mod:`apparatus.bodies`),
texts and sources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from apparatus.bodies import Body, bibliography, resolved_body
from apparatus.domain import EditionDomain, NoteRecord, note_anchor
from apparatus.edition import Edition as EditionStatement
from apparatus.edition import edition_from_config
from apparatus.taxonomy import CATEGORIES, Category, categories
from apparatus.text import TextModel, load_text

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

EXPORT_BUILDERS = frozenset({"html", "dirhtml"})


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


def gather(app: Sphinx) -> Edition:
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
        notes.append(ExportNote(record, resolved_body(app, record), category, permalink, related, conflicts))
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
