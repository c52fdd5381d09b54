"""CITATION.cff (the Citation File Format 1.2.0) for an edition, from its edition statement."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from apparatus.edition import PUBLISHING_VARIABLES, Edition, Name, edition_from_config


def _cff_name(name: Name) -> dict[str, str]:
    return {"name": name.family} if name.body else {"family-names": name.family, "given-names": name.given}


def citation_cff(edition: Edition) -> dict[str, Any]:
    """A CITATION.cff (Citation File Format 1.2.0) for the repository that holds the edition.

    The repository is the edition, so it is typed as a dataset (CFF knows only software and
    datasets) and points to its preferred citation: the edited work itself. Converters that
    read only the top level (cffconvert) find the same body, title, version, date, URL and DOI
    there: the URL is this version's own address, as in the edition's citations.
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
    optional = {
        "doi": edition.doi,
        "license": edition.license,
        "url": edition.url() if edition.base_url else "",  # this version's own address
    }
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
    if edition.doi:
        reference["doi"] = edition.doi
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


@contextlib.contextmanager
def _unpublished() -> Iterator[None]:
    """The environment without the publishing variables that ``published_base_url`` reads."""
    saved = {
        name: os.environ.pop(name) for name in (*PUBLISHING_VARIABLES, "GITHUB_ACTIONS") if name in os.environ
    }
    try:
        yield
    finally:
        os.environ.update(saved)


def project_cff(confdir: Path) -> str:
    """CITATION.cff for the Sphinx project in ``confdir``, from the values its conf.py sets.

    The same on every machine: the URL is conf.py's own, whatever the publishing environment
    (a test run on GitHub Actions or Read the Docs checks the committed file too).
    """
    from sphinx.config import Config
    from sphinx.util.tags import Tags

    with _unpublished():
        raw = Config.read(confdir, overrides={}, tags=Tags())._raw_config
    defaults: dict[str, Any] = {
        "project": "",
        "author": "",
        "release": "",
        "language": "en",
        "html_baseurl": "",
    }
    defaults |= {"apparatus_edition": {}, "apparatus_pdf_name": "edition.pdf"}
    config = SimpleNamespace(**{name: raw.get(name, value) for name, value in defaults.items()})
    return dump_cff(citation_cff(edition_from_config(config)))  # type: ignore[arg-type]
