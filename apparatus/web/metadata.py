"""The machine-readable metadata every web page carries in its ``<head>``: Highwire Press
``citation_*`` tags, Dublin Core, Open Graph and schema.org JSON-LD, from the edition statement."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html import escape, unescape
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from apparatus.edition import Edition, base_url, edition_from_config

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def highwire_tags(edition: Edition) -> list[tuple[str, str]]:
    """Highwire Press tags, as Google Scholar and Zotero read them.

    Which tags are present decides the item type Zotero's "Embedded Metadata" translator
    records: ``citation_journal_title`` makes a journal article, ``citation_book_title`` or
    ``citation_inbook_title`` a book section, ``citation_technical_report_institution`` a
    report, ``citation_conference_title`` a conference paper, ``citation_dissertation_institution``
    a thesis; ``citation_title`` alone only suggests a journal article. An edition is an edited
    book, so none of those is given: the type comes from ``og:type`` ("book"), which ranks above
    that suggestion, and ``citation_editor`` records the editors as editors (Zotero's book type
    has an editor role; its web page type has none). There is no ``citation_author``, which
    Google Scholar prefers: Zotero would record the editors twice, as authors and as editors,
    and cite them twice ("Doe, Jane. ... Edited by Jane Doe").
    """
    tags = [("citation_title", edition.title)]
    tags += [("citation_editor", name.inverted) for name in edition.editors]
    tags += [
        ("citation_publication_date", edition.date.replace("-", "/")),
        ("citation_language", edition.language),
    ]
    if edition.publisher:
        tags.append(("citation_publisher", edition.publisher))
    if edition.doi:
        tags.append(("citation_doi", edition.doi))
    if edition.base_url:
        tags.append(("citation_public_url", edition.url()))
    if edition.pdf_url:
        tags.append(("citation_pdf_url", edition.pdf_url))
    if edition.keywords:
        tags.append(("citation_keywords", "; ".join(edition.keywords)))
    return tags


def dublin_core_tags(edition: Edition) -> list[tuple[str, str]]:
    """Dublin Core (DCMI elements): the editors are the edition's creators."""
    tags = [("DC.title", edition.title)]
    tags += [("DC.creator", name.inverted) for name in edition.editors]
    tags += [("DC.date", edition.date), ("DC.type", "Text"), ("DC.language", edition.language)]
    optional = {
        "DC.publisher": edition.publisher,
        "DC.description": edition.subject,
        "DC.rights": edition.license_url or edition.license,
        "DC.identifier": edition.url() if edition.base_url else "",
        "DC.format": "text/html",
    }
    tags += [(name, value) for name, value in optional.items() if value]
    tags += [("DC.subject", keyword) for keyword in edition.keywords]
    if edition.original_title:
        tags.append(("DC.source", edition.original_title))
    return tags


def open_graph_tags(edition: Edition, page_url: str) -> list[tuple[str, str]]:
    """Open Graph: link previews, and the item type for Zotero (see :func:`highwire_tags`)."""
    tags = [("og:type", "book"), ("og:title", edition.title), ("og:site_name", edition.title)]
    if page_url:
        tags.append(("og:url", page_url))
    if edition.subject:
        tags.append(("og:description", edition.subject))
    return tags


def json_ld(edition: Edition, page_url: str = "", page_title: str = "") -> dict[str, Any]:
    """schema.org: the edition is a Book with editors; a page other than its home is part of it."""
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


def head_html(edition: Edition, page_url: str, page_title: str) -> str:
    """Everything a page adds to its ``<head>`` so that machines can cite the edition."""
    data = json.dumps(json_ld(edition, page_url, page_title), ensure_ascii=False, indent=1)
    data = data.replace("</", "<\\/")  # a "</script>" inside a string must not end the script
    lines = [
        '<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/" />',
        *_meta(highwire_tags(edition)),
        *_meta(dublin_core_tags(edition)),
        *_meta(open_graph_tags(edition, page_url), attribute="property"),
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


# Pages that Sphinx generates (search, indexes): a search engine or reference manager that
# indexed them as the edition would list the edition under a page that is not it.
GENERATED_PAGES = ("search", "genindex", "py-modindex")


def add_head_metadata(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.name not in ("html", "dirhtml") or pagename in GENERATED_PAGES:
        return
    edition = edition_from_config(app.config)
    title = unescape(re.sub(r"<[^>]+>", "", context.get("title", "")))  # the title is HTML
    context["metatags"] = context.get("metatags", "") + head_html(edition, page_url(app, pagename), title)


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", add_head_metadata)
