"""A page of its own for every note, ``notes/LABEL.html``, and its citation records as files.

The page is made from the note as its text page is written: the resolved doctree
(``doctree-resolved``, which Sphinx fires in the main process, in a parallel build too) gives
the note's body, which the builder's own writer renders, the paragraph of its lemma, and the
citation block of :mod:`apparatus.web.cite`. At the end of the build (``html-collect-pages``)
each such note gets its page, with the template ``apparatus/note.html`` on the theme's page
layout, and its BibTeX, RIS and CSL-JSON beside it (``notes/4.6.bib``, ``.ris``, ``.json``).
A note's page is written whenever its text page is, so that the two never disagree; the files
of the whole set (``notes/all.bib``, ``.ris``, ``.json``) are written at every build.
"""

from __future__ import annotations

import posixpath
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.osutil import relative_uri

from apparatus import nodes as ed
from apparatus.bibliography import field_text
from apparatus.bodies import bibliography, kept_for_the_build, resolved_body
from apparatus.citation.formats import Formatted, citations
from apparatus.directives import ancestors
from apparatus.domain import EditionDomain, NoteRecord, label_key, note_anchor, paragraph_anchor
from apparatus.edition import Edition, edition_from_config
from apparatus.locale import _
from apparatus.taxonomy import by_slug
from apparatus.web import layout
from apparatus.web.cite import (
    CITE_ANCHOR,
    NOTE_PAGES,
    RECORDS,
    WEB_BUILDERS,
    WHOLE_SET,
    history_uri,
    note_citable,
    note_citation,
    note_pagename,
)
from apparatus.web.cite_html import block_html
from apparatus.web.layout import TEMPLATE, Layout

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from apparatus.bodies import Body


@dataclass
class Written:
    """What a note's page takes from its text page as written in this build."""

    docname: str
    paragraph: str  # the lemma's paragraph as HTML, its words marked
    block: dict[str, Any]  # the attributes of the note's citation block


def _written(builder: Builder) -> dict[str, Written]:
    return kept_for_the_build(builder, "apparatus_note_pages")


def keep_notes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.name not in WEB_BUILDERS:
        return
    notes = list(doctree.findall(ed.editorial_note))
    if not notes:
        return
    paragraphs = {node["number"]: node for node in doctree.findall(ed.edition_paragraph)}
    written = _written(app.builder)
    for note in notes:
        block = next(iter(note.findall(note_citation)), None)
        if block is None:
            continue
        paragraph = paragraphs.get(note["paragraph"])
        marked = marked_paragraph(paragraph, note["label"]) if paragraph is not None else ""
        written[note["label"]] = Written(docname, marked, dict(block.attributes))


def marked_paragraph(paragraph: ed.edition_paragraph, label: str) -> str:
    """The paragraph's text (the original's characters) with the note's lemma in a ``<mark>``."""
    parts: list[str] = []
    for text in paragraph.findall(nodes.Text):
        inside = any(isinstance(node, ed.lemma) and node["label"] == label for node in ancestors(text))
        parts.append(f'<mark class="ed-lemma">{escape(text)}</mark>' if inside else escape(text))
    return "".join(parts).replace('</mark><mark class="ed-lemma">', "")


# -- the pages ------------------------------------------------------------------------------


def note_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if app.builder.name not in WEB_BUILDERS:
        return
    app.builder.apparatus_note_layout = Layout()  # type: ignore[attr-defined]
    domain = app.env.get_domain("ed")
    assert isinstance(domain, EditionDomain)
    written = _written(app.builder)
    edition, entries = edition_from_config(app.config), bibliography(app)  # once for all pages
    # The records are files of their own, hundreds of them: a thread writes them (the system
    # calls that create files let Python go on) while the pages are made here.
    labels = [label for label in sorted(written, key=label_key) if label in domain.notes]
    with ThreadPoolExecutor(1) as pool:
        records = pool.submit(
            _write_records, app, {label: written[label].block["citations"] for label in labels}
        )
        yield from _pages(app, domain, written, labels, edition, entries)
        records.result()  # its errors are the build's
    known = {label: page.block["citations"] for label, page in written.items()}
    _write_whole_set(app, domain, edition, known)
    written.clear()
    del app.builder.apparatus_note_layout  # type: ignore[attr-defined]


def _pages(
    app: Sphinx,
    domain: EditionDomain,
    written: dict[str, Written],
    labels: list[str],
    edition: Edition,
    entries: dict[str, Any],
) -> Iterator[tuple[str, dict[str, Any], str]]:
    bodies = {label: resolved_body(app, domain.notes[label]) for label in labels}
    uris = {
        label: _uris_here(app, note_pagename(label), written[label].docname, bodies[label])
        for label in labels
    }
    shown = _bodies_html(app, [_shown(bodies[label], uris[label]) for label in labels])
    for label, body_html in zip(labels, shown, strict=True):
        context = _context(app, domain, domain.notes[label], written[label], edition, body_html)
        context["note_sources"] = _sources(bodies[label], uris[label], entries)
        yield note_pagename(label), context, TEMPLATE


def _context(
    app: Sphinx, domain: EditionDomain, record: NoteRecord, written: Written, edition: Edition, body_html: str
) -> dict[str, Any]:
    builder = app.builder
    page = note_pagename(record.label)
    text = builder.get_relative_uri(page, written.docname)
    citable = note_citable(edition, builder, record)
    block = note_citation(
        **{**written.block, "open": True, "summary": _("Every style, BibTeX, RIS and CSL-JSON")}
    )
    for shown_above in ("page", "fragment"):  # the page links to the note and its words itself
        block.attributes.pop(shown_above, None)
    here = builder.get_target_uri(page)
    block["downloads"] = tuple(
        (name, relative_uri(here, f"{NOTE_PAGES}/{record.label}.{suffix}")) for _key, suffix, name in RECORDS
    )
    if record.withdrawn:
        block["history"] = history_uri(app.env, page)
    conflicts = domain.conflicts(record.label)
    return {
        "title": citable.title,
        "apparatus_note": citable,
        "note_label": record.label,
        "note_lemma": record.lemma,
        "note_category": _category(app, record),
        "note_category_slug": record.category,
        "note_withdrawn": record.withdrawn,
        "note_in_text": f"{text}#{note_anchor(record.label)}",
        "note_paragraph": written.paragraph,
        "note_paragraph_link": f"{text}#{paragraph_anchor(record.paragraph)}",
        "note_fragment": written.block.get("fragment", ""),
        "note_body": body_html,
        "note_related": _linked(
            app, domain, page, [n for n in domain.related(record.label) if n not in conflicts]
        ),
        "note_conflicts": _linked(app, domain, page, conflicts),
        "note_citations": block_html(block),
        "note_cite_anchor": CITE_ANCHOR,
        "display_toc": False,
    }


def _category(app: Sphinx, record: NoteRecord) -> str:
    found = by_slug(app.config).get(record.category)
    return found.name if found else record.category


def _uris_here(app: Sphinx, page: str, docname: str, body: Body) -> dict[int, str]:
    """Where each link of the body points from the note's page (by ``id()`` of its reference)."""
    builder = app.builder
    from_uri, here = builder.get_target_uri(docname), builder.get_target_uri(page)
    uris = {}
    for part in body.nodes:
        for reference in part.findall(nodes.reference):
            link = body.links.get(id(reference))
            uri = reference.get("refuri") or "#" + reference.get("refid", "")
            if link is not None and link.kind == "note":
                uri = builder.get_relative_uri(page, note_pagename(link.target))
            elif "://" not in uri:
                uri = _moved(uri, from_uri, here)
            uris[id(reference)] = uri
    return uris


def _shown(body: Body, uris: dict[int, str]) -> list[nodes.Element]:
    """The note's own words with the links of its page (a copy: the body is every layer's)."""
    parts = []
    for part in body.nodes:
        shown = part.deepcopy()
        for reference, copied in zip(
            part.findall(nodes.reference), shown.findall(nodes.reference), strict=True
        ):
            copied.attributes.pop("refid", None)
            copied["refuri"] = uris[id(reference)]
        parts.append(shown)
    return parts


class note_bodies(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """The bodies of many notes, rendered together; writes nothing of its own."""


NEXT_NOTE = "<!--apparatus: next note-->"  # a note's own words never write it: they are escaped


def _bodies_html(app: Sphinx, notes: list[list[nodes.Element]]) -> list[str]:
    """Each note's own words as the builder's writer renders them, in one rendering for all the
    notes (a rendering costs about a millisecond whatever its length), split between the notes."""
    if not notes:
        return []
    group = note_bodies()
    for number, parts in enumerate(notes):
        if number:
            group += nodes.raw("", NEXT_NOTE, format="html")
        group.extend(parts)
    return app.builder.render_partial(group)["fragment"].split(NEXT_NOTE)  # type: ignore[attr-defined]


def _pass(self: nodes.NodeVisitor, node: nodes.Node) -> None:
    pass


def _moved(uri: str, from_uri: str, here: str) -> str:
    """A link written on the page at ``from_uri``, as written on the page at ``here``."""
    path, hash_, fragment = uri.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(from_uri), path)) if path else from_uri
    return relative_uri(here, target) + hash_ + fragment


def _linked(app: Sphinx, domain: EditionDomain, page: str, labels: list[str]) -> list[dict[str, str]]:
    found = []
    for label in labels:
        record = domain.notes.get(label)
        if record is not None:
            found.append(
                {
                    "label": label,
                    "href": app.builder.get_relative_uri(page, note_pagename(label)),
                    "category": _category(app, record),
                    "lemma": record.lemma,
                }
            )
    return found


def _sources(body: Body, uris: dict[int, str], entries: dict[str, Any]) -> list[dict[str, str]]:
    """The works the note cites: as the note names them, linked to the bibliography, and titled
    (``entries``: the edition's bibliography by key)."""
    named: dict[str, nodes.reference] = {}
    for part in body.nodes:
        for reference in part.findall(nodes.reference):
            link = body.links.get(id(reference))
            if link is not None and link.kind == "source":
                named.setdefault(link.target, reference)
    found = []
    for key in body.sources:
        entry, cited = entries.get(key), named.get(key)
        title = field_text(entry.fields.get("title", "")) if entry else ""
        if cited is not None:
            found.append({"name": cited.astext(), "href": uris[id(cited)], "title": title})
    return found


# -- the files --------------------------------------------------------------------------------


def _write_records(app: Sphinx, notes: dict[str, list[Formatted]]) -> None:
    """Each note's BibTeX, RIS and CSL-JSON (``notes``: label -> its citations)."""
    folder = Path(app.outdir, NOTE_PAGES)
    folder.mkdir(parents=True, exist_ok=True)
    for label, found in notes.items():
        by_key = {item.key: item.text for item in found}
        for key, suffix, _name in RECORDS:
            (folder / f"{label}.{suffix}").write_text(by_key[key], encoding="utf-8")


def _write_whole_set(
    app: Sphinx, domain: EditionDomain, edition: Edition, known: dict[str, list[Formatted]]
) -> None:
    """Every note's BibTeX, RIS and CSL-JSON in one file each, in the order of their labels;
    ``known``: the citations of the notes written in this build, the others are made again."""
    records: dict[str, list[str]] = {key: [] for key, _suffix, _name in RECORDS}
    for record in domain.sorted_notes():
        found = known.get(record.label) or citations(edition, note_citable(edition, app.builder, record))
        for item in found:
            if item.key in records:
                records[item.key].append(item.text)
    folder = Path(app.outdir, NOTE_PAGES)
    folder.mkdir(parents=True, exist_ok=True)
    for key, suffix, _name in RECORDS:
        (folder / f"{WHOLE_SET}.{suffix}").write_text(_joined(key, records[key]), encoding="utf-8")


def _joined(key: str, records: list[str]) -> str:
    if key != "csl-json":
        return "\n".join(records)
    items = [record.strip()[1:-1].strip() for record in records]  # each is a list of one item
    return "[\n " + ",\n ".join(items) + "\n]\n"


def setup(app: Sphinx) -> None:
    app.add_node(note_bodies, html=(_pass, _pass))
    app.connect("doctree-resolved", keep_notes)
    app.connect("html-collect-pages", note_pages)
    layout.setup(app)
