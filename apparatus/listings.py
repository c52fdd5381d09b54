"""Listings generated from the notes themselves: taxonomy, counts, claims, indexes.

Each directive leaves a placeholder while reading; once every document has been read (and
merged, in a parallel build) a post-transform replaces it with ordinary docutils tables and
lists, so every writer renders them and no figure is ever typed in by hand. The kinds of
listing are registered per application (:func:`add_listing`), so that other components add
theirs (the contradiction map does) and two Sphinx applications in one process never share them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from apparatus.domain import EditionDomain, NoteRecord, note_title
from apparatus.locale import _
from apparatus.problems import location
from apparatus.taxonomy import by_slug, categories

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.registry import SphinxComponentRegistry


class listing(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Placeholder for a generated listing: ``kind`` and its options."""


# -- building blocks ----------------------------------------------------------------------


def note_link(label: str, text: str | None = None) -> addnodes.pending_xref:
    """A link to a note, resolved by the domain like ``:ed:note:``."""
    xref = addnodes.pending_xref("", refdomain="ed", reftype="note", reftarget=label, refexplicit=bool(text))
    xref += nodes.inline(text or label, text or label)
    return xref


def paragraph_link(number: int) -> addnodes.pending_xref:
    xref = addnodes.pending_xref("", refdomain="ed", reftype="par", reftarget=str(number), refexplicit=False)
    xref += nodes.inline(str(number), str(number))
    return xref


def quoted(text: str) -> nodes.inline:
    return nodes.inline(text, f"“{text}”", classes=["ed-quoted"])


Cell = str | nodes.Node | Sequence[nodes.Node]


def table(headers: Sequence[str], rows: Iterable[Sequence[Cell]], classes: Sequence[str] = ()) -> nodes.table:
    """A plain docutils table: header row, then one row per item."""
    widths = [1] * len(headers)
    group = nodes.tgroup(cols=len(headers))
    group.extend(nodes.colspec(colwidth=width) for width in widths)
    group += nodes.thead("", _row(headers))
    body = nodes.tbody()
    body.extend(_row(row) for row in rows)
    group += body
    return nodes.table("", group, classes=["ed-listing", *classes])


def _row(cells: Sequence[Cell]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        paragraph = nodes.paragraph()
        if isinstance(cell, str):
            paragraph += nodes.Text(cell)
        elif isinstance(cell, nodes.Node):
            paragraph += cell
        else:
            paragraph.extend(cell)
        entry += paragraph
        row += entry
    return row


def joined(items: Iterable[nodes.Node], separator: str = ", ") -> list[nodes.Node]:
    result: list[nodes.Node] = []
    for item in items:
        if result:
            result.append(nodes.Text(separator))
        result.append(item)
    return result


def live(notes: Iterable[NoteRecord]) -> list[NoteRecord]:
    """Notes in force: withdrawn notes keep their label but no longer count."""
    return [note for note in notes if not note.withdrawn]


# -- the listings -------------------------------------------------------------------------


def taxonomy(request: Request) -> list[nodes.Node]:
    """Every category with its definition, the number of notes and an example from the notes."""
    notes = live(request.domain.sorted_notes())
    rows = []
    for category in categories(request.builder.config):
        members = [note for note in notes if note.category == category.slug]
        example: Cell = "—"
        if members:
            first = members[0]
            example = [note_link(first.label, note_title(first.label)), nodes.Text(": "), quoted(first.lemma)]
        rows.append([category.name, f"[{category.tag}]", category.definition, str(len(members)), example])
    headers = [_("Category"), _("Tag"), _("Definition"), _("Notes"), _("Example")]
    return [table(headers, rows, ["ed-taxonomy"])]


def counts_by_category(request: Request) -> list[nodes.Node]:
    counted = Counter(note.category for note in live(request.domain.notes.values()))
    rows = [
        [entry.name, str(counted[entry.slug])]
        for entry in categories(request.builder.config)
        if counted[entry.slug]
    ]
    rows.append([_("All notes"), str(sum(counted.values()))])
    return [table([_("Category"), _("Notes")], rows, ["ed-counts"])]


def counts_by_paragraph(request: Request) -> list[nodes.Node]:
    notes = live(request.domain.sorted_notes())
    paragraphs = sorted({note.paragraph for note in notes})
    rows: list[list[Cell]] = []
    for number in paragraphs:
        members = [note for note in notes if note.paragraph == number]
        labels = joined(note_link(note.label) for note in members)
        rows.append([paragraph_link(number), str(len(members)), labels])
    return [table([_("Paragraph"), _("Notes"), _("Labels")], rows, ["ed-counts"])]


def claims(request: Request) -> list[nodes.Node]:
    """Side by side: the claims of the given notes and of every note in conflict with them, in
    text order (notes only related to them are not claims on the question)."""
    domain, given = request.domain, request.options["note"].split()
    labels = {*given, *(other for label in given for other in domain.conflicts(label))}
    # A label that names no note is reported by the domain's checks; the listing leaves it out.
    found = [domain.notes[label] for label in labels if label in domain.notes]
    notes = sorted(found, key=lambda note: (note.start, note.label))
    rows = [[paragraph_link(note.paragraph), quoted(note.lemma), note_link(note.label)] for note in notes]
    return [table([_("Paragraph"), _("The text says"), _("Note")], rows, ["ed-claims"])]


def index(request: Request) -> list[nodes.Node]:
    """Every note grouped by category or by paragraph, with label, lemma and link."""
    notes = request.domain.sorted_notes()
    by_category = request.options.get("by", "category") == "category"
    names = {slug: entry.name for slug, entry in by_slug(request.builder.config).items()}
    groups: dict[str, list[NoteRecord]] = {}
    for note in notes:
        key = names[note.category] if by_category else f"¶{note.paragraph}"
        groups.setdefault(key, []).append(note)
    if by_category:
        order = [name for name in names.values() if name in groups]
    else:
        order = [f"¶{n}" for n in sorted({note.paragraph for note in notes})]
    result = nodes.definition_list(classes=["ed-index"])
    for key in order:
        items = nodes.bullet_list()
        for note in groups[key]:
            detail = f"¶{note.paragraph}" if by_category else names[note.category]
            line = nodes.paragraph()
            line += note_link(note.label, note_title(note.label))
            line += nodes.Text(" ")
            line += quoted(note.lemma)
            withdrawn = _(", withdrawn") if note.withdrawn else ""
            line += nodes.Text(f" ({detail}{withdrawn})")
            items += nodes.list_item("", line)
        result += nodes.definition_list_item("", nodes.term(key, key), nodes.definition("", items))
    return [result]


@dataclass(frozen=True)
class Request:
    """What a listing is drawn from: every note, the directive's options, and where it goes."""

    domain: EditionDomain
    options: dict[str, Any]
    builder: Builder
    docname: str


Listing = Callable[[Request], list[nodes.Node]]

REGISTRY_KEY = "apparatus_listings"  # the attribute of an application's registry that holds its kinds
BUILT_IN: dict[str, Listing] = {
    "taxonomy": taxonomy,
    "counts-by-category": counts_by_category,
    "counts-by-paragraph": counts_by_paragraph,
    "claims": claims,
    "index": index,
}


class ListingDirective(SphinxDirective):
    """``.. ed:listing:: KIND`` with KIND one of taxonomy, counts-by-category,
    counts-by-paragraph, claims (``:note: LABEL [LABEL...]``), index (``:by: category|paragraph``),
    and the kinds other components register (``map``)."""

    required_arguments = 1
    option_spec: ClassVar = {
        "note": directives.unchanged_required,
        "by": lambda value: directives.choice(value, ("category", "paragraph")),
    }

    def run(self) -> list[nodes.Node]:
        kind, known = self.arguments[0], listings(self.env._app.registry)
        if kind not in known:
            raise self.error(f"unknown listing {kind!r}; use one of: {', '.join(known)}")
        if kind == "claims" and "note" not in self.options:
            raise self.error("the claims listing needs :note: LABEL [LABEL...] (contradiction notes)")
        domain = self.env.get_domain("ed")
        assert isinstance(domain, EditionDomain)
        domain.note_listing(self.env.docname)
        for label in self.options.get("note", "").split():
            domain.note_reference(self.env.docname, label, location(*self.get_source_info()))
        node = listing(kind=kind, options=dict(self.options))
        self.set_source_info(node)
        return [node]


class BuildListings(SphinxPostTransform):
    default_priority = 5  # before references are resolved (priority 10)

    def run(self, **kwargs: Any) -> None:
        domain = self.env.get_domain("ed")
        assert isinstance(domain, EditionDomain)
        known = listings(self.env._app.registry)  # the application's, as Sphinx's own transforms reach it
        for placeholder in list(self.document.findall(listing)):
            request = Request(domain, placeholder["options"], self.env._app.builder, self.env.docname)
            placeholder.replace_self(known[placeholder["kind"]](request))


def listings(registry: SphinxComponentRegistry) -> dict[str, Listing]:
    """The kinds of listing of one application, kept with its registry of components."""
    known: dict[str, Listing] | None = getattr(registry, REGISTRY_KEY, None)
    if known is None:
        known = dict(BUILT_IN)
        setattr(registry, REGISTRY_KEY, known)
    return known


def add_listing(app: Sphinx, kind: str, listing: Listing) -> None:
    """Let another component add a kind of listing to this application (the contradiction map does)."""
    listings(app.registry)[kind] = listing


def setup(app: Sphinx) -> None:
    app.add_css_file("listings.css")
    app.add_node(listing)
    app.add_directive_to_domain("ed", "listing", ListingDirective)
    app.add_post_transform(BuildListings)
