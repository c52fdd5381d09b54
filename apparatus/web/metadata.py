"""The machine-readable metadata every web page carries in its ``<head>``: Highwire Press
``citation_*`` tags, Dublin Core, Open Graph and schema.org JSON-LD, from the edition statement."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html import escape, unescape
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from docutils import nodes

from apparatus.citation.items import Citable
from apparatus.edition import Edition, Name, base_url, edition_from_config

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def highwire_tags(edition: Edition) -> list[tuple[str, str]]:
    """Highwire Press tags of the edition on its pages other than the landing page.

    Which tags are present decides the item type Zotero's "Embedded Metadata" translator
    records: ``citation_journal_title`` makes a journal article, ``citation_book_title`` or
    ``citation_inbook_title`` a book section, ``citation_technical_report_institution`` a
    report, ``citation_conference_title`` a conference paper, ``citation_dissertation_institution``
    a thesis; ``citation_title`` alone only suggests a journal article. An edition is an edited
    book, so none of those is given: the type comes from ``og:type`` ("book"), and the title
    and date from Dublin Core and Open Graph. ``citation_editor`` records the editors as
    editors (Zotero's book type has an editor role; its web page type has none). The tags that
    Google Scholar indexes a work by (``citation_title``, ``citation_author``, the date, the
    PDF) are on the landing page only (:func:`scholar_tags`): Scholar wants one page per work,
    whose heading is the ``citation_title``, and the heading of "The text" is not the edition's.
    """
    tags = [("citation_editor", creator_name(name)) for name in edition.editors]
    return tags + _common_tags(edition, edition.url() if edition.base_url else "") + _doi_tags(edition)


def scholar_tags(edition: Edition) -> list[tuple[str, str]]:
    """The landing page's tags, as Google Scholar asks: the title as the page's heading, the
    authors, the date, the PDF. The editors stand as authors: Scholar knows no editor, and
    Zotero, which reads ``citation_editor`` too, would record them twice."""
    tags = [("citation_title", edition.title)]
    tags += [("citation_author", creator_name(name)) for name in edition.editors]
    tags.append(("citation_publication_date", edition.date.replace("-", "/")))
    tags += _common_tags(edition, edition.url() if edition.base_url else "") + _doi_tags(edition)
    if edition.pdf_url:
        tags.append(("citation_pdf_url", edition.pdf_url))
    if edition.keywords:
        tags.append(("citation_keywords", "; ".join(edition.keywords)))
    return tags


def note_tags(edition: Edition, note: Citable, url: str) -> list[tuple[str, str]]:
    """A note's page: a book section (``citation_inbook_title``) by the editors, in the edition
    they edited. No ``citation_pdf_url``: Zotero would attach the whole edition to the note."""
    tags = [("citation_title", note.title)]
    tags += [("citation_author", creator_name(name)) for name in edition.editors]
    tags += [("citation_editor", creator_name(name)) for name in edition.editors]
    tags += [("citation_inbook_title", edition.title), ("citation_date", edition.date.replace("-", "/"))]
    return tags + _common_tags(edition, url)


def _common_tags(edition: Edition, url: str) -> list[tuple[str, str]]:
    tags = [("citation_language", edition.language)]
    if edition.publisher:
        tags.append(("citation_publisher", edition.publisher))
    if url:
        tags.append(("citation_public_url", url))
    return tags


def _doi_tags(edition: Edition) -> list[tuple[str, str]]:
    """The edition's DOI, on the edition's pages only: a note is cited by its own page's URL."""
    return [("citation_doi", edition.doi)] if edition.doi else []


def creator_name(name: Name) -> str:
    """A name as Zotero's Embedded Metadata reads a Highwire author or editor.

    It splits a name with a comma there ("Doe, Jane") and one without at its last space,
    which would make "Editorial Board of the X" a person named "Editorial Board of the", "X".
    A body is written with a final comma, which it strips, keeping the whole as the last name
    of a single-field creator; Google Scholar reads it as a surname alone.
    """
    return f"{name.family}," if name.body else name.inverted


def dublin_core_tags(edition: Edition, note: Citable | None = None, url: str = "") -> list[tuple[str, str]]:
    """Dublin Core (DCMI elements): the editors are the creators of the edition and its notes;
    a note is part of the edition (DCMI terms' ``isPartOf``)."""
    tags = [("DC.title", note.title if note else edition.title)]
    tags += [("DC.creator", name.inverted) for name in edition.editors]
    if note:
        tags.append(("DCTERMS.isPartOf", edition.title))
    tags += [("DC.date", edition.date), ("DC.type", "Text"), ("DC.language", edition.language)]
    optional = {
        "DC.publisher": edition.publisher,
        "DC.description": "" if note else edition.subject,
        "DC.rights": edition.license_url or edition.license,
        "DC.identifier": url or (edition.url() if edition.base_url else ""),
        "DC.format": "text/html",
    }
    tags += [(name, value) for name, value in optional.items() if value]
    if not note:
        tags += [("DC.subject", keyword) for keyword in edition.keywords]
    if edition.original_title and not note:
        tags.append(("DC.source", edition.original_title))
    return tags


def open_graph_tags(edition: Edition, page_url: str, note: Citable | None = None) -> list[tuple[str, str]]:
    """Open Graph: link previews, and the item type for Zotero (see :func:`highwire_tags`)."""
    kind, title = ("article", note.title) if note else ("book", edition.title)
    tags = [("og:type", kind), ("og:title", title), ("og:site_name", edition.title)]
    if page_url:
        tags.append(("og:url", page_url))
    if edition.subject and not note:
        tags.append(("og:description", edition.subject))
    return tags


def json_ld(
    edition: Edition, page_url: str = "", page_title: str = "", note: Citable | None = None
) -> dict[str, Any]:
    """schema.org: the edition is a Book with editors; a page other than its home is part of
    it, and a note is a Chapter of it by the editors."""
    book: dict[str, Any] = {
        "@type": "Book",
        "name": edition.title,
        "editor": [name.schema_org() for name in edition.editors],
        "datePublished": edition.date,
        "version": edition.version,
        "bookEdition": f"Version {edition.version}",
        "inLanguage": edition.language,
    }
    optional = {
        "url": edition.url() if edition.base_url else "",
        "identifier": edition.doi_url,
        "publisher": {"@type": "Organization", "name": edition.publisher} if edition.publisher else None,
        "license": edition.license_url or edition.license,
        "description": edition.subject,
        "keywords": ", ".join(edition.keywords),
        "isBasedOn": _original(edition),
    }
    book.update({key: value for key, value in optional.items() if value})
    if edition.pdf_url:
        book["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": edition.pdf_url,
            "encodingFormat": "application/pdf",
        }
    if not page_url or page_url == book.get("url"):
        return {"@context": "https://schema.org", **book}
    if note is not None:
        chapter = {
            "@type": "Chapter",
            "name": note.title,
            "author": book["editor"],
            "url": page_url,
            "datePublished": edition.date,
            "version": edition.version,
            "inLanguage": edition.language,
            "isPartOf": book,
        }
        return {"@context": "https://schema.org", **chapter}
    page = {"@type": "WebPage", "url": page_url, "name": page_title or edition.title, "isPartOf": book}
    return {"@context": "https://schema.org", **page}


def _original(edition: Edition) -> dict[str, str] | None:
    if not edition.original_title:
        return None
    original = {"@type": edition.original_type, "name": edition.original_title}
    if edition.original_description:
        original["description"] = edition.original_description
    return original


def _meta(pairs: Iterable[tuple[str, str]], attribute: str = "name") -> list[str]:
    return [f'<meta {attribute}="{escape(name)}" content="{escape(value)}" />' for name, value in pairs]


def head_html(
    edition: Edition, page_url: str, page_title: str, landing: bool = False, note: Citable | None = None
) -> str:
    """Everything a page adds to its ``<head>`` so that machines can cite the edition, or the
    note that the page is about."""
    data = json.dumps(json_ld(edition, page_url, page_title, note), ensure_ascii=False, indent=1)
    data = data.replace("</", "<\\/")  # a "</script>" inside a string must not end the script
    if note is not None:
        highwire = note_tags(edition, note, page_url)
    else:
        highwire = scholar_tags(edition) if landing else highwire_tags(edition)
    lines = [
        '<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/" />',
        *(['<link rel="schema.DCTERMS" href="http://purl.org/dc/terms/" />'] if note else []),
        *_meta(highwire),
        *_meta(dublin_core_tags(edition, note, page_url if note else "")),
        *_meta(open_graph_tags(edition, page_url, note), attribute="property"),
        f'<script type="application/ld+json">\n{data}\n</script>',
    ]
    return "\n".join(lines) + "\n"


def page_url(app: Sphinx, pagename: str) -> str:
    edition_base = base_url(app.config)
    if not edition_base:
        return ""
    if pagename == app.config.root_doc:
        return edition_base
    return urljoin(edition_base, app.builder.get_target_uri(pagename))


# Pages that Sphinx generates (search, indexes), and pages of indexes of the notes (an
# ``ed:listing:: index``): a search engine or reference manager that indexed them as the
# edition would list the edition under a page that is not it.
GENERATED_PAGES = ("search", "genindex", "py-modindex")
INDEX_CLASS = "ed-index"


def _is_index(doctree: nodes.document) -> bool:
    found = doctree.findall(lambda node: isinstance(node, nodes.Element) and INDEX_CLASS in node["classes"])
    return next(iter(found), None) is not None


def add_head_metadata(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.name not in ("html", "dirhtml") or pagename in GENERATED_PAGES:
        return
    if doctree is not None and _is_index(doctree):
        return
    edition = edition_from_config(app.config)
    title = unescape(re.sub(r"<[^>]+>", "", context.get("title", "")))  # the title is HTML
    url = page_url(app, pagename)
    # The landing page, where Google Scholar finds the edition: the home page, whose heading is
    # the edition's title and whose address is the edition's own URL (the one every citation of
    # the edition gives), rather than the text page, whose heading is the text's.
    landing = pagename == app.config.root_doc
    if landing and url:
        context["pageurl"] = url  # its canonical link: the edition's URL, as cited
    note = context.get("apparatus_note")
    context["metatags"] = context.get("metatags", "") + head_html(edition, url, title, landing, note)


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", add_head_metadata)
