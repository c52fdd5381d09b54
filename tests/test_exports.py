"""The open-data exports: they load in generic tools (pyld, lxml, Jing) and say exactly what the edition says.

Each export is read back with a standard processor, never with the code that wrote it: JSON-LD
is expanded by pyld (offline, through the local contexts), TEI is validated by Jing against the
TEI P5 ``tei_all`` RELAX NG schema and read with lxml, CSV is read by the csv module.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, ROOTS, VNU, java_for
from lxml import etree
from pyld import jsonld

from apparatus.bibliography import field_text
from apparatus.exports.jsonld import LOCAL_CONTEXTS, document_loader
from apparatus.text import load_text

SCHEMA = Path(__file__).parent / "schemas" / "tei_all.rng"
TEI = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
OA = "http://www.w3.org/ns/oa#"
SCHEMA_ORG = "http://schema.org/"
BASE = "https://edition.example.org/"
EXPORTS = ("annotations.jsonld", "edition.xml", "notes.csv", "notes.json", "claimreview.jsonld")

# The notes of tests/roots/test-exports, as their author wrote them.
LABELS = ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "3.1"]
WITHDRAWN = {"1.5"}


@pytest.fixture(scope="session")
def site(built_once) -> Path:
    return built_once("exports-html", ROOTS / "test-exports", "html")


# Jing, the RELAX NG validator the TEI's own tools use, as the Nu HTML Checker's jar carries it.
JING = "nu.validator.vendor.thaiopensource.relaxng.util.Driver"


def tei_all_errors(document: Path) -> str:
    """Jing's report on a document against tei_all: empty when it is valid."""
    done = subprocess.run(
        [*java_for(VNU), "-cp", str(VNU), JING, str(SCHEMA), str(document)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = (done.stdout + done.stderr).strip()
    assert done.returncode == 0 or report, f"Jing failed without a message (exit {done.returncode})"
    return report


def build(make_app, srcdir: Path, builder: str = "html", **options: object) -> Path:
    """Build a project in process, as `sphinx-build -W` would pass it; return the output folder."""
    app = make_app(builder, srcdir=srcdir, **options)
    app.build()
    app.cleanup()  # the next build of the project starts from its saved environment only
    assert app.statuscode == 0 and app.warning.getvalue() == "", app.warning.getvalue()
    return app.outdir


def copy_of_the_project(tmp_path: Path) -> Path:
    """tests/roots/test-exports, copied: a build writes into its project's folder."""
    return Path(shutil.copytree(ROOTS / "test-exports", tmp_path / "src"))


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def expand(path: Path) -> list:
    return jsonld.expand(load_json(path), {"documentLoader": document_loader()})


def value(node: dict, iri: str):
    return node[iri][0].get("@value", node[iri][0].get("@id"))


def of_type(expanded: list, iri: str) -> list[dict]:
    """Every node of a type, wherever it is nested in expanded JSON-LD."""
    found = []

    def walk(item):
        if isinstance(item, dict):
            if iri in item.get("@type", []):
                found.append(item)
            for child in item.values():
                walk(child)
        elif isinstance(item, list):
            for child in item:
                walk(child)

    walk(expanded)
    return found


def original_text(path: Path) -> str:
    # Read as the annotations' target: the very file the offsets count in, line ends kept.
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def original(site: Path) -> str:
    return original_text(site / "original.txt")


# -- Web Annotation -------------------------------------------------------------------------------


def test_every_export_is_written_and_the_original_is_published_byte_for_byte(site):
    for name in EXPORTS:
        assert (site / name).stat().st_size > 0, name
    assert (site / "original.txt").read_bytes() == (ROOTS / "test-exports" / "original.txt").read_bytes()


def test_every_annotation_quotes_the_original_at_its_offsets(site):
    text = original(site)
    annotations = of_type(expand(site / "annotations.jsonld"), OA + "Annotation")
    assert len(annotations) == len(LABELS) - len(WITHDRAWN)
    for annotation in annotations:
        target = annotation[OA + "hasTarget"][0]
        assert value(target, OA + "hasSource") == BASE + "original.txt"
        selectors = target[OA + "hasSelector"]
        quote = next(s for s in selectors if OA + "TextQuoteSelector" in s["@type"])
        position = next(s for s in selectors if OA + "TextPositionSelector" in s["@type"])
        start, end = int(value(position, OA + "start")), int(value(position, OA + "end"))
        exact = value(quote, OA + "exact")
        assert text[start:end] == exact
        assert text[:start].endswith(value(quote, OA + "prefix"))
        assert text[end:].startswith(value(quote, OA + "suffix"))


def test_offsets_count_unicode_characters_past_an_astral_character(site):
    """The lemma of 1.1 follows a character outside the BMP (two UTF-16 units, one character)."""
    notes = {note["label"]: note for note in load_json(site / "notes.json")["notes"]}
    text = original(site)
    assert "𝔠" in text[: notes["1.1"]["start"]]
    assert text[notes["1.1"]["start"] : notes["1.1"]["end"]] == "sat on the “mat”"


def test_each_annotation_body_has_the_note_text_label_category_and_permalink(site):
    annotations = {
        value(a, "http://www.w3.org/2000/01/rdf-schema#label"): a
        for a in of_type(expand(site / "annotations.jsonld"), OA + "Annotation")
    }
    assert sorted(annotations) == [label for label in LABELS if label not in WITHDRAWN]
    page = BeautifulSoup((site / "text.html").read_text(encoding="utf-8"), "html.parser")
    body = annotations["1.1"][OA + "hasBody"]
    text = next(b for b in body if value(b, OA + "hasPurpose") == OA + "assessing")
    tag = next(b for b in body if value(b, OA + "hasPurpose") == OA + "tagging")
    # Citations and cross-references read as resolved on the page, not as raw roles.
    assert value(text, "http://www.w3.org/1999/02/22-rdf-syntax-ns#value") == (
        "Which mat? See Smith and Doe [2001] and ¶2."
    )
    assert value(tag, "http://www.w3.org/1999/02/22-rdf-syntax-ns#value") == "vague"
    for label, annotation in annotations.items():
        permalink = next(b["@id"] for b in annotation[OA + "hasBody"] if "@id" in b)
        page_url, anchor = urldefrag(permalink)
        assert page_url == BASE + "text.html" and anchor == f"note-{label}"
        assert page.find(id=anchor) is not None


def test_every_term_used_is_defined_by_the_local_context(site):
    """pyld silently drops an undefined term: the local context must define every one used."""
    context = load_json(LOCAL_CONTEXTS["http://www.w3.org/ns/anno.jsonld"])["@context"]
    used: set[str] = set()

    def walk(item):
        if isinstance(item, dict):
            used.update(key for key in item if not key.startswith("@"))
            for name in ("type", "motivation", "purpose"):
                if isinstance(item.get(name), str):
                    used.add(item[name])
            for child in item.values():
                walk(child)
        elif isinstance(item, list):
            for child in item:
                walk(child)

    walk(load_json(site / "annotations.jsonld"))
    assert used - context.keys() == set()


def test_the_local_document_loader_never_fetches_anything_else():
    loader = document_loader()
    with pytest.raises(jsonld.JsonLdError):
        loader("https://example.org/context.jsonld", {})


# -- ClaimReview ----------------------------------------------------------------------------------


def test_factual_errors_are_claim_reviews_with_claim_rating_and_permalink(site):
    reviews = of_type(expand(site / "claimreview.jsonld"), SCHEMA_ORG + "ClaimReview")
    assert len(reviews) == 1  # 1.4; 1.5 is a factual error too, but withdrawn
    review = reviews[0]
    assert value(review, SCHEMA_ORG + "url") == BASE + "text.html#note-1.4"
    assert value(review, SCHEMA_ORG + "claimReviewed") == "in 1999"
    rating = review[SCHEMA_ORG + "reviewRating"][0]
    assert SCHEMA_ORG + "Rating" in rating["@type"]
    assert value(rating, SCHEMA_ORG + "alternateName") == "Incorrect"
    assert value(review, SCHEMA_ORG + "reviewBody") == "It was 2001, not 1999 [Lee, 2010]."
    author = review[SCHEMA_ORG + "author"][0]
    assert value(author, SCHEMA_ORG + "name") == "Ann Editor"


# -- TEI ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tei(site) -> etree._ElementTree:
    return etree.parse(str(site / "edition.xml"))


def test_the_tei_document_is_valid_tei_all(site):
    assert tei_all_errors(site / "edition.xml") == ""


def test_tei_all_validation_reports_an_element_the_schema_does_not_allow(site, tmp_path):
    wrong = tmp_path / "edition.xml"
    wrong.write_text(
        (site / "edition.xml").read_text(encoding="utf-8").replace("<teiHeader>", "<teiHeader><shelf/>", 1),
        encoding="utf-8",
    )
    assert "shelf" in tei_all_errors(wrong)


def test_the_tei_text_equals_the_original(tei, site):
    model = load_text(site / "original.txt")
    div = tei.find(".//tei:body/tei:div[@type='original']", TEI)
    assert "".join(div.find("tei:head", TEI).itertext()) == model.title
    paragraphs = div.findall("tei:p", TEI)
    assert [p.get("n") for p in paragraphs] == [str(p.number) for p in model.paragraphs]
    # The text of paragraph 2 holds a CR LF: it must survive XML's line-end normalisation.
    assert ["".join(p.itertext()) for p in paragraphs] == [p.text for p in model.paragraphs]


def test_each_lemma_is_marked_and_every_note_and_reference_resolves(tei, site):
    text = original(site)
    ids = {element.get(XML_ID): element for element in tei.iter() if element.get(XML_ID)}
    notes = {note["label"]: note for note in load_json(site / "notes.json")["notes"]}
    tei_notes = tei.findall(".//tei:back/tei:div[@type='notes']/tei:note", TEI)
    assert [note.get("n") for note in tei_notes] == LABELS
    for note in tei_notes:
        label = note.get("n")
        assert note.get("type") == notes[label]["category"]
        if label in WITHDRAWN:
            assert note.get("target") is None and note.get("subtype") == "withdrawn"
            continue
        seg = ids[note.get("target").removeprefix("#")]
        assert etree.QName(seg).localname == "seg"
        assert "".join(seg.itertext()) == text[notes[label]["start"] : notes[label]["end"]]
    references = [e.get(name) for e in tei.iter() for name in ("target", "ana", "corresp") if e.get(name)]
    internal = [target for value in references for target in value.split() if target.startswith("#")]
    assert internal and all(target[1:] in ids for target in internal)
    bibl_refs = tei.findall(".//tei:note//tei:ref[@type='bibl']", TEI)
    assert {ref.get("target") for ref in bibl_refs} == {"#bib-smith-2001", "#bib-lee_2010"}
    for ref in bibl_refs:
        assert etree.QName(ids[ref.get("target")[1:]]).localname == "bibl"


def test_the_tei_header_carries_the_edition_statement_and_the_source(tei, site):
    header = tei.find("tei:teiHeader", TEI)
    assert header.findtext(".//tei:titleStmt/tei:title", namespaces=TEI) == "A tiny edition"
    assert header.findtext(".//tei:titleStmt/tei:editor", namespaces=TEI) == "Ann Editor"
    assert header.find(".//tei:editionStmt/tei:edition", TEI).get("n") == "2.0"
    licence = header.find(".//tei:availability/tei:licence", TEI)
    assert licence.get("target") == "https://creativecommons.org/licenses/by/4.0/"
    source = header.find(".//tei:sourceDesc/tei:bibl", TEI)
    assert source.findtext("tei:title", namespaces=TEI) == "A title"
    assert (
        source.findtext("tei:idno[@type='SHA-256']", namespaces=TEI)
        == load_text(site / "original.txt").sha256
    )


# -- tables ---------------------------------------------------------------------------------------


def test_csv_and_json_hold_one_row_per_note_with_plain_text_and_sources(site):
    rows = list(csv.DictReader(io.StringIO((site / "notes.csv").read_text(encoding="utf-8"), newline="")))
    objects = load_json(site / "notes.json")["notes"]
    assert [row["label"] for row in rows] == [obj["label"] for obj in objects] == LABELS
    by_label = {row["label"]: row for row in rows}
    assert by_label["1.2"]["sources"] == "lee:2010 smith-2001"
    assert by_label["1.2"]["text"] == (
        "A dog cannot sit on n.\u00a01.1; see [Lee, 2010, Smith and Doe, 2001].\n\n"
        "- first point\n- second point, with a link"
    )
    assert by_label["1.1"]["related"] == "1.2"  # named by 1.2 only: links go both ways
    assert by_label["1.1"]["conflicts"] == "1.2" and by_label["2.1"]["conflicts"] == ""
    assert by_label["1.5"]["withdrawn"] == "1.1" and by_label["1.4"]["withdrawn"] == ""
    assert by_label["2.1"]["lemma"] == "the latter & <tags>"
    for row, obj in zip(rows, objects, strict=True):
        assert row["text"] == obj["text"] and "`" not in obj["text"] and ":cite:" not in obj["text"]
        assert obj["permalink"] == f"{BASE}text.html#note-{obj['label']}"
        assert int(row["start"]) == obj["start"] and int(row["paragraph"]) == obj["paragraph"]


# -- the Data page --------------------------------------------------------------------------------


def test_the_data_page_links_every_export_where_it_is(site):
    page = BeautifulSoup((site / "data.html").read_text(encoding="utf-8"), "html.parser")
    links = {a.get_text(): a["href"] for a in page.select("dl.ed-exports a")}
    assert sorted(links) == sorted(EXPORTS)
    for name, href in links.items():
        assert (site / urljoin("data.html", href)).is_file(), name
    licences = {p.get_text() for p in page.select("dl.ed-exports dd p") if p.get_text().startswith("Licence")}
    expected = "Licence: Creative Commons Attribution 4.0 International (CC BY 4.0), except the words of the original."
    assert licences == {expected}  # the licence by its name, not its identifier (CC-BY-4.0)


def test_outside_the_site_builder_the_data_page_links_the_published_files(make_app, tmp_path):
    single = build(make_app, copy_of_the_project(tmp_path), "singlehtml")
    page = BeautifulSoup((single / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert {a["href"] for a in page.select("dl.ed-exports a")} == {BASE + name for name in EXPORTS}
    assert not (single / "annotations.jsonld").exists()  # only the site carries the data


# -- builds ---------------------------------------------------------------------------------------


def test_a_parallel_build_writes_the_same_files(make_app, site, tmp_path):
    outdir = build(make_app, copy_of_the_project(tmp_path), parallel=2)
    for name in EXPORTS:
        assert (outdir / name).read_bytes() == (site / name).read_bytes(), name


def test_an_incremental_build_updates_the_exports(make_app, tmp_path):
    srcdir = copy_of_the_project(tmp_path)
    outdir = build(make_app, srcdir)  # its environment kept in the project's _build/doctrees
    text = srcdir / "text.rst"
    text.write_text(text.read_text(encoding="utf-8").replace("A button label.", "A stray button."))
    assert build(make_app, srcdir) == outdir
    notes = {note["label"]: note for note in load_json(outdir / "notes.json")["notes"]}
    assert notes["3.1"]["text"] == "A stray button."
    # A build that rewrites only another page still exports every note, resolved.
    (srcdir / "data.rst").write_text("Data\n====\n\nThe files.\n\n.. ed:exports::\n", encoding="utf-8")
    build(make_app, srcdir)
    again = {note["label"]: note for note in load_json(outdir / "notes.json")["notes"]}
    assert again == notes


# -- the edition itself ---------------------------------------------------------------------------


def test_the_editions_own_exports_quote_its_original_and_validate(edition_html):
    """The real edition, built once for the session: every note in force is annotated exactly."""
    notes = load_json(edition_html / "notes.json")
    path = notes["texts"][0]["path"]
    assert (edition_html / path).read_bytes() == (ROOTS.parent.parent / path).read_bytes()
    text = original_text(edition_html / path)
    annotations = of_type(expand(edition_html / "annotations.jsonld"), OA + "Annotation")
    assert len(annotations) == sum(1 for note in notes["notes"] if not note["withdrawn"]) > 0
    for annotation in annotations:
        selectors = annotation[OA + "hasTarget"][0][OA + "hasSelector"]
        quote = next(s for s in selectors if OA + "TextQuoteSelector" in s["@type"])
        position = next(s for s in selectors if OA + "TextPositionSelector" in s["@type"])
        start, end = int(value(position, OA + "start")), int(value(position, OA + "end"))
        assert text[start:end] == value(quote, OA + "exact")
    assert tei_all_errors(edition_html / "edition.xml") == ""


def test_every_export_and_the_pages_name_the_editors_alike(make_app, tmp_path):
    """One edition statement feeds the pages and the exports: a person stays a person."""
    srcdir = copy_of_the_project(tmp_path)
    statement = {"title": "Owls: an edition", "editors": ["Doe, Jane", "Owl Society"], "date": "2026-03-05",
                 "original_title": "On owls", "original_type": "Speech"}  # fmt: skip
    app = make_app("html", srcdir=srcdir, confoverrides={"apparatus_edition": statement})
    app.build()
    person = {"@type": "Person", "name": "Jane Doe", "familyName": "Doe", "givenName": "Jane"}
    body = {"@type": "Organization", "name": "Owl Society"}
    page = BeautifulSoup((app.outdir / "text.html").read_text(encoding="utf-8"), "html.parser")
    page_data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    book = page_data.get("isPartOf", page_data)
    assert book["editor"] == [person, body]
    assert book["isBasedOn"] == {"@type": "Speech", "name": "On owls"}  # the original's type, as configured
    reviews = load_json(app.outdir / "claimreview.jsonld")["@graph"]
    assert reviews and all(review["author"] == [person, body] for review in reviews)
    annotations = load_json(app.outdir / "annotations.jsonld")["first"]["items"]
    assert annotations and all(item["creator"] == [person, body] for item in annotations)
    tei = etree.parse(str(app.outdir / "edition.xml"))
    editors = tei.findall(".//{http://www.tei-c.org/ns/1.0}titleStmt/{http://www.tei-c.org/ns/1.0}editor")
    assert [editor.text for editor in editors] == ["Jane Doe", "Owl Society"]


def test_the_log_names_every_data_file_it_counts(make_app, tmp_path):
    app = make_app("html", srcdir=copy_of_the_project(tmp_path))
    app.build()
    said = re.search(r"apparatus: wrote (\d+) data files \(([^)]*)\)", app.status.getvalue())
    assert said, app.status.getvalue()
    names = said.group(2).split(", ")
    assert int(said.group(1)) == len(names) == 6 and "original.txt" in names
    assert all((app.outdir / name).is_file() for name in names)


def test_a_bibtex_field_reads_as_pybtexs_latex_decoder_reads_it():
    """field_text decodes only the fields that hold LaTeX markup; the others lose their braces.
    Both ways give what pybtex's decoder gives, for every field of every bibliography here."""
    from pybtex.database import parse_file
    from pybtex.richtext import Text

    files = [ROOT / "source" / "references.bib", *ROOTS.glob("*/*.bib")]
    values = [r"US\$ 2 {trillion}", "1999--2000", "``Allies''", r"Caf\'{e}~au lait", "{NATO} 50%"]
    for entry in (entry for path in files for entry in parse_file(path).entries.values()):
        values += [
            *entry.fields.values(),
            *(str(person) for people in entry.persons.values() for person in people),
        ]
    assert len(values) > 250
    for value in values:
        assert field_text(value) == str(Text.from_latex(value)), value
