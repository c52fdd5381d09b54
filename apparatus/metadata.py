"""The edition statement as data, and the machine-readable metadata every page carries.

One model (:class:`Edition`, read from ``apparatus_edition`` and ``html_baseurl``) feeds every
output that describes the edition: the ``<head>`` of each web page (Highwire Press
``citation_*`` tags, Dublin Core, Open Graph, schema.org JSON-LD), ``CITATION.cff``, the
citations of :mod:`apparatus.citation_formats` and the PDF (its title page and document
information). Nothing is typed twice, so they cannot disagree.

Editors are given in ``apparatus_edition["editors"]`` as ``"Family, Given"`` (a person), as a
plain string without a comma (a body, e.g. "The Editors"), or as a mapping with ``family`` and
``given`` or ``name``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

LICENSE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}
UNDATED = "1970-01-01"  # the PDF's reproducible default when no date is given


@dataclass(frozen=True)
class Name:
    """A person (``family``, ``given``) or a body (``family`` only, ``body`` true)."""

    family: str
    given: str = ""
    body: bool = False

    @property
    def display(self) -> str:
        """As in running text: "Jane Doe", "The Editors"."""
        return f"{self.given} {self.family}" if self.given else self.family

    @property
    def inverted(self) -> str:
        """As in catalogues and Highwire tags: "Doe, Jane", "The Editors"."""
        return f"{self.family}, {self.given}" if self.given else self.family

    def csl(self) -> dict[str, str]:
        return {"literal": self.family} if self.body else {"family": self.family, "given": self.given}


def parse_name(value: str | Mapping[str, str]) -> Name:
    if isinstance(value, Mapping):
        if "name" in value:
            return Name(value["name"], body=True)
        return Name(value["family"], value.get("given", ""))
    family, comma, given = value.partition(",")
    if comma:
        return Name(family.strip(), given.strip())
    return Name(value.strip(), body=True)


@dataclass(frozen=True)
class Edition:
    title: str
    editors: tuple[Name, ...]
    publisher: str
    version: str
    date: str  # ISO 8601, YYYY-MM-DD
    language: str
    license: str  # SPDX identifier
    subject: str
    keywords: tuple[str, ...]
    base_url: str  # with a trailing slash, or "" when unknown
    pdf_url: str
    original_title: str = ""
    original_description: str = ""

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def license_url(self) -> str:
        return LICENSE_URLS.get(self.license, "")

    @property
    def publisher_is_editor(self) -> bool:
        """APA 7 (9.29) and CMOS omit a publisher that is the same as the author or editor."""
        return self.publisher in {name.display for name in self.editors}

    def url(self, path: str = "") -> str:
        """An absolute URL on the published site (relative if no base URL is configured)."""
        return urljoin(self.base_url, path) if self.base_url else path


def base_url(config: Config) -> str:
    url = (config.html_baseurl or "").strip()
    return url if not url or url.endswith("/") else url + "/"


# Set where the edition is published: a build that sees none of them is a local preview.
PUBLISHING_VARIABLES = ("EDITION_BASE_URL", "READTHEDOCS_CANONICAL_URL", "GITHUB_REPOSITORY")


def published_base_url(preview: str, environ: Mapping[str, str] = os.environ) -> str:
    """The URL the edition is published at, for ``html_baseurl`` in conf.py.

    ``EDITION_BASE_URL`` when set; else Read the Docs' canonical URL; else, on GitHub Actions,
    the repository's GitHub Pages URL; else ``preview``, the URL of a local preview.
    """
    if environ.get("EDITION_BASE_URL"):
        return environ["EDITION_BASE_URL"]
    if environ.get("READTHEDOCS_CANONICAL_URL"):
        return environ["READTHEDOCS_CANONICAL_URL"]
    if environ.get("GITHUB_ACTIONS") == "true" and "/" in environ.get("GITHUB_REPOSITORY", ""):
        owner, repository = environ["GITHUB_REPOSITORY"].lower().split("/", 1)
        site = f"https://{owner}.github.io/"
        return site if repository == f"{owner}.github.io" else f"{site}{repository}/"
    return preview


def say_if_local_preview(app: Sphinx) -> None:
    """A build outside the publishing environments says where its URLs point."""
    if not any(os.environ.get(name) for name in PUBLISHING_VARIABLES) and base_url(app.config):
        logger.info(
            "apparatus: a local preview: permalinks, citations and metadata point at %s; "
            "set EDITION_BASE_URL (or build on Read the Docs or GitHub Actions) to publish",
            base_url(app.config),
        )


def edition_from_config(config: Config) -> Edition:
    """The edition statement, completed from the Sphinx project where it says nothing."""
    statement: dict[str, Any] = dict(config.apparatus_edition)
    editors = statement.get("editors") or [config.author]
    base = base_url(config)
    pdf_name = getattr(config, "apparatus_pdf_name", "")
    return Edition(
        title=statement.get("title") or config.project,
        editors=tuple(parse_name(name) for name in editors),
        publisher=statement.get("publisher", ""),
        version=str(statement.get("version") or config.release),
        date=statement.get("date") or UNDATED,
        language=statement.get("language") or config.language or "en",
        license=statement.get("license", ""),
        subject=statement.get("subject", ""),
        keywords=tuple(statement.get("keywords", ())),
        base_url=base,
        pdf_url=urljoin(base, pdf_name) if base and pdf_name else "",
        original_title=statement.get("original_title", ""),
        original_description=statement.get("original_description", ""),
    )


# -- the <head> of every web page ---------------------------------------------------------


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


def _agent(name: Name) -> dict[str, str]:
    if name.body:
        return {"@type": "Organization", "name": name.family}
    return {"@type": "Person", "name": name.display, "familyName": name.family, "givenName": name.given}


def json_ld(edition: Edition, page_url: str = "", page_title: str = "") -> dict[str, Any]:
    """schema.org: the edition is a Book with editors; a page other than its home is part of it."""
    book: dict[str, Any] = {
        "@type": "Book",
        "name": edition.title,
        "editor": [_agent(name) for name in edition.editors],
        "datePublished": edition.date,
        "version": edition.version,
        "bookEdition": f"Version {edition.version}",
        "inLanguage": edition.language,
    }
    optional = {
        "url": edition.url() if edition.base_url else "",
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
    original = {"@type": "Article", "name": edition.original_title}
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


def add_head_metadata(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.name not in ("html", "dirhtml"):
        return
    edition = edition_from_config(app.config)
    title = unescape(re.sub(r"<[^>]+>", "", context.get("title", "")))  # the title is HTML
    context["metatags"] = context.get("metatags", "") + head_html(edition, page_url(app, pagename), title)


# -- CITATION.cff -------------------------------------------------------------------------


def _cff_name(name: Name) -> dict[str, str]:
    return {"name": name.family} if name.body else {"family-names": name.family, "given-names": name.given}


def citation_cff(edition: Edition) -> dict[str, Any]:
    """A CITATION.cff (Citation File Format 1.2.0) for the repository that holds the edition.

    The repository is the edition, so it is typed as a dataset (CFF knows only software and
    datasets) and points to its preferred citation: the edited work itself.
    """
    people = [_cff_name(name) for name in edition.editors]
    cff: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "To cite this edition, please use the preferred citation below.",
        "type": "dataset",
        "title": edition.title,
        "authors": people,
        "version": edition.version,
        "date-released": edition.date,
    }
    optional = {"license": edition.license, "url": edition.url() if edition.base_url else ""}
    cff.update({key: value for key, value in optional.items() if value})
    if edition.keywords:
        cff["keywords"] = list(edition.keywords)
    cff["preferred-citation"] = _cff_preferred(edition, people)
    return cff


def _cff_preferred(edition: Edition, people: list[dict[str, str]]) -> dict[str, Any]:
    reference: dict[str, Any] = {
        "type": "edited-work",
        "title": edition.title,
        "authors": people,
        "editors": people,
        "version": edition.version,
        "date-published": edition.date,
        "year": int(edition.year),
        "languages": [edition.language if len(edition.language) == 3 else _iso639_3(edition.language)],
    }
    if edition.publisher:
        reference["publisher"] = {"name": edition.publisher}
    if edition.base_url:
        reference["url"] = edition.url()
    if edition.license:
        reference["license"] = edition.license
    return reference


def _iso639_3(code: str) -> str:
    """CFF wants ISO 639-3 language codes; the few an edition is likely to use."""
    known = {"en": "eng", "fr": "fra", "de": "deu", "es": "spa", "it": "ita", "ru": "rus", "zh": "zho"}
    return known.get(code.split("-")[0].lower(), code)


def dump_cff(data: Mapping[str, Any]) -> str:
    """YAML for CITATION.cff, written out by hand so that key order and quoting are stable."""
    header = "# The Citation File Format (https://citation-file-format.github.io/) for this edition.\n"
    header += "# Generated from the edition statement in conf.py by tools/citation_cff.py: do not edit.\n"
    return header + "".join(_yaml(key, value, 0) for key, value in data.items())


def _scalar(value: Any) -> str:
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _yaml(key: str, value: Any, indent: int) -> str:
    pad = " " * indent
    if isinstance(value, Mapping):
        return f"{pad}{key}:\n" + "".join(_yaml(k, v, indent + 2) for k, v in value.items())
    if isinstance(value, list):
        lines = f"{pad}{key}:\n"
        for item in value:
            if isinstance(item, Mapping):  # "  - first: ...", then the other keys under it
                block = "".join(_yaml(k, v, indent + 4) for k, v in item.items())
                lines += f"{pad}  - {block[indent + 4 :]}"
            else:
                lines += f"{pad}  - {_scalar(item)}\n"
        return lines
    return f"{pad}{key}: {_scalar(value)}\n"


def project_cff(confdir: Path) -> str:
    """CITATION.cff for the Sphinx project in ``confdir``, from the values its conf.py sets."""
    from sphinx.config import Config
    from sphinx.util.tags import Tags

    raw = Config.read(confdir, overrides={}, tags=Tags())._raw_config
    defaults = {"project": "", "author": "", "release": "", "language": "en", "html_baseurl": ""}
    defaults |= {"apparatus_edition": {}, "apparatus_pdf_name": "edition.pdf"}
    config = SimpleNamespace(**{name: raw.get(name, value) for name, value in defaults.items()})
    return dump_cff(citation_cff(edition_from_config(config)))  # type: ignore[arg-type]


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", add_head_metadata)
    app.connect("builder-inited", say_if_local_preview)
