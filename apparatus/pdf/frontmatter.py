"""The front matter of the PDF: title page, imprint on its back, table of contents."""

from __future__ import annotations

import datetime
from html import escape

from docutils import nodes

from apparatus.domain import NoteRecord
from apparatus.edition import Edition
from apparatus.locale import _


def compose(edition: Edition, body: str, first_note: NoteRecord | None = None) -> str:
    """The one HTML document WeasyPrint typesets: metadata, title page, imprint, the edition.

    ``first_note``, the edition's first note, is the imprint's example of how to cite a note.
    """
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
        f"{title_page(edition)}\n{imprint(edition, first_note)}\n"
        f'<main class="ed-book">\n{body}\n</main>\n</body>\n</html>\n'
    )


def long_date(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def title_page(edition: Edition) -> str:
    title = edition.original_title or edition.title
    editors = " and ".join(name.in_sentence for name in edition.editors)
    # Each word through _() outside the f-strings, where the extraction of a catalogue finds it.
    label, subtitle = escape(_("Title page")), escape(_("A critical edition"))
    edited = escape(_("Edited by {editors}").format(editors=editors))
    version = escape(_("Version {version}").format(version=edition.version))
    lines = [
        f'<section class="ed-titlepage" aria-label="{label}">',
        f'<h1 class="ed-booktitle">{escape(title)}</h1>',
        f'<p class="ed-subtitle">{subtitle}</p>',
    ]
    if edition.original_description:
        lines.append(f'<p class="ed-described">{escape(edition.original_description)}</p>')
    lines += [
        f'<p class="ed-editors">{edited}</p>',
        f'<p class="ed-version">{version} · {long_date(edition.date)}</p>',
    ]
    if edition.publisher and not edition.publisher_is_editor:
        lines.append(f'<p class="ed-publisher">{escape(edition.publisher)}</p>')
    return "\n".join([*lines, "</section>"])


def imprint(edition: Edition, first_note: NoteRecord | None = None) -> str:
    """The back of the title page: the edition statement in full, licence, where it lives."""
    editors = ", ".join(name.in_sentence for name in edition.editors)
    statement = _("Edited by {editors}. Version {version}, {date}.").format(
        editors=editors, version=edition.version, date=long_date(edition.date)
    )
    if edition.publisher:
        statement += " " + _("Published by {publisher}.").format(publisher=edition.publisher_in_sentence)
    label = escape(_("Imprint"))
    lines = [
        f'<section class="ed-imprint" aria-label="{label}">',
        f"<p><i>{escape(edition.title)}</i>. {escape(statement)}</p>",
    ]
    if edition.license:
        # Its name and, for a reader of print, its address written out.
        url = edition.license_url
        address = f', <a href="{escape(url)}">{escape(url)}</a>' if url else ""
        licence = escape(_("Licence:"))
        lines.append(f"<p>{licence} {escape(edition.license_name)}{address}.</p>")
    if edition.base_url:
        online = escape(_("Online edition:"))
        labels = escape(
            _("Every note has a permanent label, the same online and in this PDF; cite a note by its label")
        )
        lines.append(
            f'<p>{online} <a href="{escape(edition.url())}">{escape(edition.url())}</a>. '
            f"{labels}{_citation_example(first_note)}.</p>"
        )
    return "\n".join([*lines, "</section>"])


def _citation_example(note: NoteRecord | None) -> str:
    if note is None:
        return ""
    example = _(", e.g. “note {label}”, the first note on paragraph {paragraph}")
    return escape(example.format(label=note.label, paragraph=note.paragraph))


def table_of_contents(doctree: nodes.document, depth: int = 2) -> str:
    """The contents page, from the sections actually in the PDF.

    The root document's own heading is the title page, so its subsections are the top level.
    """
    root = next(iter(doctree.findall(nodes.section)), None)
    entries = _toc_entries(root, depth) if root is not None else ""
    heading = escape(_("Contents"))
    return (
        '<nav class="ed-contents" aria-labelledby="ed-contents-title">'
        f'<h2 id="ed-contents-title">{heading}</h2>{entries}</nav>\n'
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
