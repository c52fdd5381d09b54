"""The edition statement as data: the one model every output reads.

:class:`Edition` is read from ``apparatus_edition`` and ``html_baseurl`` by
:func:`edition_from_config`; the web pages' metadata (:mod:`apparatus.web.metadata`), the
citations (:mod:`apparatus.citation`), ``CITATION.cff``, the PDF and the open-data exports all
take it from there, so they cannot disagree.

Editors are given in ``apparatus_edition["editors"]`` as ``"Family, Given"`` (a person), as a
plain string without a comma (a body, e.g. "The Editors"), or as a mapping: ``family`` and
``given`` (a person), or ``name`` and, where a sentence names the body otherwise, ``in_text``
("the Editorial Board of ...").
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from sphinx.errors import ConfigError
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

# The licences known by their SPDX identifiers: each one's name and the address of its text.
LICENSES = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0 International (CC BY 4.0)",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC-BY-NC-4.0": (
        "Creative Commons Attribution-NonCommercial 4.0 International (CC BY-NC 4.0)",
        "https://creativecommons.org/licenses/by-nc/4.0/",
    ),
    "CC0-1.0": ("CC0 1.0 Universal (CC0 1.0)", "https://creativecommons.org/publicdomain/zero/1.0/"),
}
UNDATED = "1970-01-01"  # the PDF's reproducible default when no date is given


@dataclass(frozen=True)
class Name:
    """A person (``family``, ``given``) or a body (``family`` only, ``body`` true), with the
    form a sentence gives a body's name where it differs (``in_text``: "the Editorial Board of
    ..."), which the citations never use."""

    family: str
    given: str = ""
    body: bool = False
    in_text: str = ""

    @property
    def display(self) -> str:
        """As a name stands alone: "Jane Doe", "Editorial Board of the X Edition"."""
        return f"{self.given} {self.family}" if self.given else self.family

    @property
    def in_sentence(self) -> str:
        """As a sentence names it: "edited by Jane Doe", "by the Editorial Board of ..."."""
        return self.in_text or self.display

    @property
    def inverted(self) -> str:
        """As in catalogues and Highwire tags: "Doe, Jane", "The Editors"."""
        return f"{self.family}, {self.given}" if self.given else self.family

    def csl(self) -> dict[str, str]:
        return {"literal": self.family} if self.body else {"family": self.family, "given": self.given}

    def schema_org(self) -> dict[str, str]:
        """As schema.org (JSON-LD) says it: an Organization or a Person."""
        if self.body:
            return {"@type": "Organization", "name": self.family}
        return {"@type": "Person", "name": self.display, "familyName": self.family, "givenName": self.given}


def parse_name(value: str | Mapping[str, str]) -> Name:
    if isinstance(value, Mapping):
        if "name" in value:
            return Name(value["name"], body=True, in_text=value.get("in_text", ""))
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
    original_type: str = "CreativeWork"  # the original's schema.org type: Article, Book, Speech...
    doi: str = ""  # this version's DOI ("10.1234/abcd"), where one is registered for it

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def license_url(self) -> str:
        return LICENSES.get(self.license, ("", ""))[1]

    @property
    def license_name(self) -> str:
        """As a reader knows it: its name where its identifier is known, else as given."""
        return LICENSES.get(self.license, (self.license, ""))[0]

    @property
    def publishing_editor(self) -> Name | None:
        """The editor who is also the publisher, if one is."""
        return next((name for name in self.editors if name.display == self.publisher), None)

    @property
    def publisher_is_editor(self) -> bool:
        """APA 7 (9.29) and CMOS omit a publisher that is the same as the author or editor."""
        return self.publishing_editor is not None

    @property
    def publisher_in_sentence(self) -> str:
        """The publisher as a sentence names it: as its editor's name, where an editor publishes."""
        editor = self.publishing_editor
        return editor.in_sentence if editor else self.publisher

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    def url(self, path: str = "") -> str:
        """An absolute URL on the published site (relative if no base URL is configured)."""
        return urljoin(self.base_url, path) if self.base_url else path


def base_url(config: Config) -> str:
    url = (config.html_baseurl or "").strip()
    return url if not url or url.endswith("/") else url + "/"


# Set where the edition is published: a build that sees none of them is a local preview.
PUBLISHING_VARIABLES = ("EDITION_BASE_URL", "READTHEDOCS_CANONICAL_URL", "GITHUB_REPOSITORY")


def published_base_url(preview: str, environ: Mapping[str, str] = os.environ, *, version: str = "") -> str:
    """The URL the edition is published at, for ``html_baseurl`` in conf.py.

    ``EDITION_BASE_URL`` when set; else Read the Docs' canonical URL; else, on GitHub Actions,
    the repository's GitHub Pages URL; else ``preview``, the URL of a local preview.

    With ``version``, the URL of that version, which citations of it keep using once a later
    version is published: the site's folder ``<version>/`` (:func:`versioned_url`), or on Read
    the Docs the version built from the release tag, ``…/en/v<version>/`` (:func:`release_tag`).
    """
    if environ.get("EDITION_BASE_URL"):
        return versioned_url(environ["EDITION_BASE_URL"], version)
    if environ.get("READTHEDOCS_CANONICAL_URL"):
        return _read_the_docs_url(environ, version)
    if environ.get("GITHUB_ACTIONS") == "true" and "/" in environ.get("GITHUB_REPOSITORY", ""):
        owner, repository = environ["GITHUB_REPOSITORY"].lower().split("/", 1)
        site = f"https://{owner}.github.io/"
        return versioned_url(site if repository == f"{owner}.github.io" else f"{site}{repository}/", version)
    return versioned_url(preview, version)


def release_tag(version: str) -> str:
    """The git tag of a published version, from which it is rebuilt: "v1.1"."""
    return f"v{version}"


def versioned_url(url: str, version: str) -> str:
    """``url`` with the folder of ``version``: "https://x.org/" -> "https://x.org/1.1/".

    A URL that already ends in that folder is kept, so that a build may be given either.
    """
    if not url:
        return url
    url = url if url.endswith("/") else url + "/"
    if not version or url.endswith(f"/{version}/"):
        return url
    return f"{url}{version}/"


def _read_the_docs_url(environ: Mapping[str, str], version: str) -> str:
    """Read the Docs publishes each version at its own path, ``/<language>/<version slug>/``.

    Its ``latest`` and ``stable`` move on with each release; a citation names the version
    built from the release tag instead. Pull-request previews keep their own address.
    """
    url = environ["READTHEDOCS_CANONICAL_URL"]
    slug = environ.get("READTHEDOCS_VERSION", "")
    if not version or environ.get("READTHEDOCS_VERSION_TYPE") == "external" or not slug:
        return url
    head, found, tail = url.rstrip("/").rpartition("/")
    return f"{head}/{release_tag(version).lower()}/" if found and tail == slug else url


def say_if_local_preview(app: Sphinx) -> None:
    """A build outside the publishing environments says where its URLs point."""
    if not any(os.environ.get(name) for name in PUBLISHING_VARIABLES) and base_url(app.config):
        logger.info(
            "apparatus: a local preview: permalinks, citations and metadata point at %s; "
            "set EDITION_BASE_URL (or build on Read the Docs or GitHub Actions) to publish",
            base_url(app.config),
        )


# What every citation, the metadata of the pages and the PDF's title page print.
REQUIRED_KEYS = ("title", "editors", "date")
# The forms of an editor given as a mapping, each its required key and its keys: a person, a body.
EDITOR_FORMS = (("family", {"family", "given"}), ("name", {"name", "in_text"}))


def check_statement(app: Sphinx, config: Config) -> None:
    """Stop where the edition statement lacks what the outputs print, and warn where permalinks
    would be relative. Connected by the layers that print them (web, PDF)."""
    statement = config.apparatus_edition or {}
    missing = [key for key in REQUIRED_KEYS if not statement.get(key)]
    if missing:
        raise ConfigError(
            f"apparatus_edition in conf.py lacks {', '.join(missing)}: citations, page metadata and "
            "the PDF's title page print them; give e.g. apparatus_edition = {'title': 'An edition', "
            "'editors': ['Family, Given'], 'date': 'YYYY-MM-DD'}"
        )
    _check_editors(statement["editors"])
    if not base_url(config):
        logger.warning(
            "html_baseurl is not set: permalinks and citations would be relative, and break once "
            "copied; set it in conf.py (published_base_url() reads the publishing environment)",
            type="apparatus",
            subtype="baseurl",
        )


def _check_editors(editors: list[Any]) -> None:
    for editor in editors:
        if isinstance(editor, Mapping) and not any(
            key in editor and set(editor) <= keys for key, keys in EDITOR_FORMS
        ):
            raise ConfigError(
                f"apparatus_edition in conf.py: the editor {dict(editor)!r} is neither a person "
                "{'family': ..., 'given': ...} nor a body {'name': ..., 'in_text': ...}"
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
        original_type=statement.get("original_type") or "CreativeWork",
        doi=parse_doi(statement.get("doi", "")),
    )


def parse_doi(value: str) -> str:
    """A DOI as its bare name, "10.1234/abcd", however it is given (a doi.org URL, "doi:")."""
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", value.strip(), flags=re.IGNORECASE)
    if doi and not re.fullmatch(r"10\.\d{4,9}/\S+", doi):
        raise ConfigError(
            f"apparatus_edition['doi'] is not a DOI: {value!r} (give e.g. '10.5281/zenodo.1234')"
        )
    return doi
