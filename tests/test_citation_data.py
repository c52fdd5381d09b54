"""The edition's citation data as reference tools read it: biber reads every BibTeX record,
cffconvert reads CITATION.cff as the edition cites itself, and each version has an address of
its own (and a DOI, where one is given) that its citations use."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest
import rispy
from bs4 import BeautifulSoup
from conftest import ROOT
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util.tags import Tags

from apparatus.citation.cff import citation_cff
from apparatus.citation.formats import Citable, bibtex, citations, csl_item, ris
from apparatus.edition import (
    PUBLISHING_VARIABLES,
    Edition,
    edition_from_config,
    published_base_url,
    versioned_url,
)

CFF_SCHEMA = Path(__file__).parent / "schemas" / "citation-file-format-1.2.0.json"
CFFCONVERT = Path(sys.prefix) / "cffconvert" / "bin" / "cffconvert"
DOI = "10.5281/zenodo.424242"


def statement(monkeypatch: pytest.MonkeyPatch, **changes: str) -> Edition:
    """The edition statement of conf.py as a local build reads it, with ``changes``."""
    for name in (*PUBLISHING_VARIABLES, "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    raw = Config.read(ROOT, overrides={}, tags=Tags())._raw_config
    names = ("project", "author", "release", "language", "html_baseurl")
    config = {name: raw.get(name) for name in names}
    return edition_from_config(
        SimpleNamespace(
            apparatus_pdf_name="edition.pdf",
            apparatus_edition={**raw["apparatus_edition"], **changes},
            **config,
        )
    )


def every_shape(edition: Edition) -> list[Citable]:
    page = edition.url("source/text.html")
    return [
        Citable("edition", edition.url()),
        Citable("note", f"{page}#note-4.3", "4.3", 4),
        Citable("note", f"{page}#note-4.4", "4.4", 4, withdrawn="1.2"),
        Citable("paragraph", f"{page}#p4", paragraph=4),
    ]


# -- biber and bibtex ---------------------------------------------------------------------------


def biber(records: list[str], folder: Path) -> tuple[str, str]:
    """biber's own check of biblatex's data model: (its messages, the records as it read them)."""
    (folder / "edition.bib").write_text("\n".join(records), encoding="utf-8")
    command = ["biber", "--tool", "--validate-datamodel", "--output-file", "read.bib", "edition.bib"]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr, (folder / "read.bib").read_text(encoding="utf-8")


def complaints(log: str) -> list[str]:
    return [line for line in log.splitlines() if not line.startswith("INFO - ")]


def bibtex_warnings(records: list[str], folder: Path) -> str:
    (folder / "edition.bib").write_text("\n".join(records), encoding="utf-8")
    (folder / "cites.aux").write_text("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{edition}\n")
    done = subprocess.run(["bibtex", "cites"], cwd=folder, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout
    return "\n".join(line for line in done.stdout.splitlines() if "Warning" in line)


def test_biber_reads_every_shape_of_record_without_a_warning(monkeypatch, tmp_path):
    for doi in ("", DOI):
        edition = statement(monkeypatch, doi=doi)
        records = [bibtex(edition, citable) for citable in every_shape(edition)]
        log, read = biber(records, tmp_path)
        assert "Datamodel validation complete" in log
        assert complaints(log) == [], log
        assert bibtex_warnings(records, tmp_path) == ""
        entries = read.split("\n@")
        assert len(entries) == len(records)
        body = "{{Editorial Board of the Russia–China Allies Edition}}"
        assert all(f"AUTHOR = {body}" in entry for entry in entries), read  # one body, kept whole
        assert all("EDITION = {Version 1.1}" in e and "DATE = {2026-12-01}" in e for e in entries)
        assert read.count(f"DOI = {{{DOI}}}") == (1 if doi else 0)  # the edition's only
        assert "NOTE = {Paragraph 4}" in read and "TITLE = {{Note 4.3 on paragraph 4}}" in read


def test_biber_finds_what_its_data_model_refuses(tmp_path):
    """The check is live: a record as the edition wrote it before is refused field by field."""
    old = "@book{x,\n  title = {T},\n  editor = {{Board}},\n  year = {2026},\n  version = {1.1}\n}\n"
    log, _read = biber([old], tmp_path)
    assert complaints(log) == [
        "WARN - Datamodel: Entry 'x' (edition.bib): Invalid field 'version' for entrytype 'book'",
        "WARN - Datamodel: Entry 'x' (edition.bib): Missing mandatory field 'author'",
    ]


def test_biber_reads_every_bibtex_record_the_site_publishes(edition_html, tmp_path):
    """Every record on every page, each once, as one file: what a reader collects from the site."""
    records = [
        pre.get_text()
        for path in sorted(edition_html.rglob("*.html"))
        for pre in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select(
            'pre[data-style="bibtex"]'
        )
    ]
    records = list(dict.fromkeys(records))
    assert len(records) >= 80
    log, read = biber(records, tmp_path)
    assert complaints(log) == [], log
    assert read.count("\n@") + read.startswith("@") == len(records)
    assert bibtex_warnings(records, tmp_path) == ""


# -- RIS, CSL-JSON and a DOI -----------------------------------------------------------------------


def test_a_doi_is_the_editions_in_every_format_and_no_parts(monkeypatch):
    edition = statement(monkeypatch, doi=f"https://doi.org/{DOI}")
    assert edition.doi == DOI and edition.doi_url == f"https://doi.org/{DOI}"
    whole, note = every_shape(edition)[:2]
    assert csl_item(edition, whole)["DOI"] == DOI and "DOI" not in csl_item(edition, note)
    assert rispy.loads(ris(edition, whole))[0]["doi"] == DOI
    assert "doi" not in rispy.loads(ris(edition, note))[0]
    apa = next(found for found in citations(edition, whole) if found.key == "apa")
    assert apa.text.endswith(f"https://doi.org/{DOI}")
    cff = citation_cff(edition)
    assert cff["doi"] == cff["preferred-citation"]["doi"] == DOI
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(cff)


def test_a_doi_that_is_not_one_stops_the_build(monkeypatch):
    with pytest.raises(ConfigError, match="is not a DOI"):
        statement(monkeypatch, doi="zenodo 424242")


# -- cffconvert ---------------------------------------------------------------------------------


def cffconvert(*options: str) -> str:
    assert CFFCONVERT.exists(), f"{CFFCONVERT} is missing: run tools/bootstrap.sh test"
    done = subprocess.run(
        [CFFCONVERT, "-i", ROOT / "CITATION.cff", *options], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_cffconvert_reads_citation_cff_as_the_edition_cites_itself(monkeypatch):
    edition = statement(monkeypatch)
    (body,) = edition.editors
    assert cffconvert("--validate").startswith(
        "Citation metadata are valid according to schema version 1.2.0"
    )
    fields = dict(re.findall(r"^(\w+) = \{(.*)\},?$", cffconvert("-f", "bibtex"), re.M))
    assert fields == {
        "author": body.family,
        "month": str(int(edition.date[5:7])),
        "title": edition.title,
        "url": edition.url(),
        "year": edition.year,
    }
    assert cffconvert("-f", "apalike").strip() == (
        f"{body.family} ({edition.year}). {edition.title} (version {edition.version}). URL: {edition.url()}"
    )
    zenodo = json.loads(cffconvert("-f", "zenodo"))
    assert zenodo["creators"] == [{"name": body.family}]  # a body, not a person "Edition, Editorial..."
    assert (zenodo["title"], zenodo["version"]) == (edition.title, edition.version)
    assert zenodo["publication_date"] == edition.date
    assert edition.url() == versioned_url("https://russia-china-allies.example.org/", edition.version)


# -- an address per version --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "https://preview.example.org/2.0/"),
        ({"EDITION_BASE_URL": "https://x.example.net/ed"}, "https://x.example.net/ed/2.0/"),
        ({"EDITION_BASE_URL": "https://x.example.net/ed/2.0/"}, "https://x.example.net/ed/2.0/"),
        (
            {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "Owl/edition"},
            "https://owl.github.io/edition/2.0/",
        ),
        (
            {
                "READTHEDOCS_CANONICAL_URL": "https://owls.readthedocs.io/en/latest/",
                "READTHEDOCS_VERSION": "latest",
                "READTHEDOCS_VERSION_TYPE": "branch",
            },
            "https://owls.readthedocs.io/en/v2.0/",
        ),
        (
            {
                "READTHEDOCS_CANONICAL_URL": "https://owls.readthedocs.io/en/v2.0/",
                "READTHEDOCS_VERSION": "v2.0",
                "READTHEDOCS_VERSION_TYPE": "tag",
            },
            "https://owls.readthedocs.io/en/v2.0/",
        ),
        (
            {
                "READTHEDOCS_CANONICAL_URL": "https://owls--12.org.readthedocs.build/en/12/",
                "READTHEDOCS_VERSION": "12",
                "READTHEDOCS_VERSION_TYPE": "external",
            },
            "https://owls--12.org.readthedocs.build/en/12/",
        ),
    ],
    ids=["local", "explicit", "explicit-versioned", "github", "rtd-latest", "rtd-tag", "rtd-pull-request"],
)
def test_each_version_is_published_at_an_address_of_its_own(environ, expected):
    assert published_base_url("https://preview.example.org/", environ, version="2.0") == expected


def build_versions_root(make_app, rootdir: Path, tmp_path: Path):
    app = make_app("html", srcdir=rootdir / "test-versions", builddir=tmp_path)
    app.build()
    assert app.warning.getvalue() == ""
    return app


CITED_URL = re.compile(r"https?://[^\s<>\"{}]+[^\s<>\"{}.,]")


def test_a_published_build_cites_the_address_of_its_version(make_app, rootdir, monkeypatch, tmp_path):
    monkeypatch.setenv("EDITION_BASE_URL", "https://owls.example.net/edition/")
    app = build_versions_root(make_app, rootdir, tmp_path)
    assert "local preview" not in app.status.getvalue()
    base = "https://owls.example.net/edition/2.0/"
    pages = {
        path: BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for path in app.outdir.rglob("*.html")
    }
    cited = [element.get_text() for page in pages.values() for element in page.select(".ed-cite-text")]
    assert len(cited) >= 16  # the note's and the edition's, in every style and record
    urls = {url for text in cited for url in CITED_URL.findall(text)}
    assert {url for url in urls if not url.startswith(base)} == {f"https://doi.org/{DOI}"}
    assert f"{base}notes/1.1.html" in urls  # a note is cited by its own page
    home = pages[app.outdir / "index.html"]
    assert home.select_one('link[rel="canonical"]')["href"] == base  # the landing page's own URL
    meta = {tag["name"]: tag["content"] for tag in home.select("meta[name]")}
    assert meta["citation_public_url"] == base and meta["citation_doi"] == DOI
    edition_bibtex = [text for text in cited if text.startswith("@book")]
    assert edition_bibtex and all(
        f"doi = {{{DOI}}}" in text and f"url = {{{base}}}" in text for text in edition_bibtex
    )


def test_a_local_build_of_a_version_says_it_is_a_preview(make_app, rootdir, monkeypatch, tmp_path):
    for name in PUBLISHING_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    app = build_versions_root(make_app, rootdir, tmp_path)
    assert (
        "a local preview: permalinks, citations and metadata point at https://preview.example.org/2.0/"
        in (app.status.getvalue())
    )
