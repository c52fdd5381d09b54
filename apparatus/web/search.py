"""Searching the notes: Sphinx's search page lists the notes that match, above its page results.

Why a script of the search page and not the ``ed`` domain's searchable objects: Sphinx's
``searchtools.js`` matches an object by a substring of its *name*, and a note's name is its
label, which is also its key in ``objects.inv`` (so that other projects can link to
``ed:note`` 4.6 by intersphinx). Making the lemma part of the name would change every
inventory key, and the body would still not be found. So the domain keeps its objects (a
search for "4.6" finds the note by its label), and this module writes, once per build, the
notes as data beside Sphinx's own index (``_static/search-notes-data.js``: label, lemma,
category, body as the page reads it, link); ``search-notes.js`` reads it and the query (``?q=``) and lists
the notes whose lemma or body holds every word. Both files are loaded by the search page
only, as plain scripts, so that they work offline and from ``file://`` as ``searchindex.js``
does. A link to a note is its permalink: the text page opens the note there, and the words
sought are highlighted as after any search (Sphinx's ``sphinx_highlight.js``).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from apparatus.bodies import resolved_body
from apparatus.domain import EditionDomain, NoteRecord
from apparatus.locale import _
from apparatus.taxonomy import by_slug
from apparatus.web.generated import write_static_file

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

SCRIPT = "search-notes.js"
DATA = "search-notes-data.js"
SEARCH_PAGE = "search"
WHITESPACE = re.compile(r"\s+")


def has_search_page(builder: Builder) -> bool:
    return builder.format == "html" and bool(getattr(builder, "search", False))


def body_text(app: Sphinx, note: NoteRecord) -> str:
    """What the editor wrote, as the page reads it (citations resolved), on one line."""
    return WHITESPACE.sub(" ", resolved_body(app, note).text).strip()


def note_entry(note: NoteRecord, text: str, builder: Builder) -> dict[str, str]:
    found = by_slug(builder.config).get(note.category)
    return {
        "label": note.label,
        "lemma": note.lemma,
        "category": found.name if found else note.category,
        "text": text,
        # relative to the site's root (the script prefixes the search page's way to it)
        "url": f"{builder.get_target_uri(note.docname)}#{note.anchor}",
        "withdrawn": note.withdrawn,
    }


def search_data(app: Sphinx) -> dict[str, Any]:
    """The notes in the order of their labels, and the words the script shows."""
    domain = app.env.get_domain("ed")
    assert isinstance(domain, EditionDomain)
    return {
        "notes": [note_entry(note, body_text(app, note), app.builder) for note in domain.sorted_notes()],
        "strings": {
            "heading": _("Notes"),
            "note": _("Note {label}"),
            "withdrawn": _("withdrawn in {version}"),
            "none": _("No note contains “{query}”."),
            "one": _("One note contains “{query}”."),
            "many": _("{count} notes contain “{query}”."),
        },
    }


def write_search_data(app: Sphinx) -> list[Any]:
    """At ``html-collect-pages``: once every page is written, before the search page, so that
    the search page's link to the data carries its checksum."""
    if has_search_page(app.builder):
        data = json.dumps(search_data(app), ensure_ascii=False, separators=(",", ":"))
        write_static_file(app, DATA, f"window.edSearchNotes={data};\n")
    return []  # no page of its own


def add_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """On the search page only: no other page gets heavier."""
    if pagename == SEARCH_PAGE and has_search_page(app.builder):
        app.add_js_file(DATA, loading_method="defer")
        app.add_js_file(SCRIPT, loading_method="defer", priority=501)  # after the data


def setup(app: Sphinx) -> None:
    app.connect("html-collect-pages", write_search_data)
    app.connect("html-page-context", add_scripts)
