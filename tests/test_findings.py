"""Front and back matter generated from the notes: taxonomy, counts, claims, map, index, sources."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from apparatus.taxonomy import CATEGORIES

ROOT = Path(__file__).resolve().parent.parent


def page(outdir: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / "source" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def notes(edition_html) -> dict[str, dict]:
    """Every note of the built text page: label -> category and paragraph."""
    asides = page(edition_html, "text").select("aside.ed-note")
    return {
        a["id"].removeprefix("note-"): {"category": a["data-category"], "paragraph": a["data-paragraph"]}
        for a in asides
    }


def rows(table) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in tr.select("td")] for tr in table.select("tbody tr")]


def test_every_category_has_a_definition_and_at_least_one_note(edition_html, notes):
    table = page(edition_html, "principles").select_one("table.ed-taxonomy")
    listed = {row[0]: row for row in rows(table)}
    counted = Counter(note["category"] for note in notes.values())
    assert len(listed) == len(CATEGORIES)
    for category in CATEGORIES:
        _name, _tag, definition, count, example = listed[category.name]
        assert definition == category.definition and len(definition) > 20
        assert int(count) == counted[category.slug] >= 1, category.slug
        assert example.startswith("n.\u00a0")


def test_counts_by_category_are_computed_from_the_notes(edition_html, notes):
    table = page(edition_html, "findings").select("table.ed-counts")[0]
    shown = {name: int(count) for name, count in rows(table)}
    counted = Counter(note["category"] for note in notes.values())
    names = {c.slug: c.name for c in CATEGORIES}
    assert shown.pop("All notes") == len(notes)
    assert shown == {names[slug]: n for slug, n in counted.items()}


def test_counts_by_paragraph_are_computed_from_the_notes(edition_html, notes):
    table = page(edition_html, "findings").select("table.ed-counts")[1]
    counted = Counter(note["paragraph"] for note in notes.values())
    for paragraph, count, labels in rows(table):
        number = paragraph.removeprefix("¶")
        assert int(count) == counted[number] == len(labels.split(", "))
    assert sum(int(row[1]) for row in rows(table)) == len(notes)


def test_the_answers_table_quotes_the_text_and_links_each_note(edition_html, notes):
    findings = page(edition_html, "findings")
    table = findings.select_one("table.ed-claims")
    original = (ROOT / "source" / "article.txt").read_text(encoding="utf-8")
    assert len(rows(table)) >= 5
    for _paragraph, claim, label in rows(table):
        assert claim.strip("“”") in original
        assert label.removeprefix("n.\u00a0") in notes


def test_the_map_has_a_node_per_contradiction_note_linking_to_it(edition_html, notes):
    findings = page(edition_html, "findings")
    nodes = {a.select_one("text").get_text(): a["href"] for a in findings.select("svg a.ed-map-node")}
    contradictions = {label for label, note in notes.items() if note["category"] == "contradiction"}
    assert contradictions <= set(nodes)
    text_ids = {tag["id"] for tag in page(edition_html, "text").select("[id]")}
    for label, href in nodes.items():
        assert href == f"text.html#note-{label}" and f"note-{label}" in text_ids
    assert findings.select_one("svg.ed-map-svg title").get_text()
    assert len(findings.select("ul.ed-map-list > li")) == len(findings.select("svg path.ed-map-edge"))


def test_the_index_lists_every_note_by_category_and_by_paragraph(edition_html, notes):
    index = page(edition_html, "note-index")
    by_category, by_paragraph = index.select("dl.ed-index")
    for listing in (by_category, by_paragraph):
        linked = [a["href"].split("#note-")[1] for a in listing.select("a.reference.internal")]
        assert sorted(linked) == sorted(notes)


def test_every_source_is_cited_and_every_citation_resolves(edition_html):
    keys = set(re.findall(r"^@\w+\{([^,]+),", (ROOT / "source" / "references.bib").read_text(), re.M))
    bibliography = page(edition_html, "bibliography")
    listed = {div["id"].removeprefix("ref-") for div in bibliography.select("div.citation")}
    assert listed == keys, "every entry of references.bib is cited by a note, and only those are listed"
    targets = {
        a["href"].split("#")[1] for a in page(edition_html, "text").select('a[href^="bibliography.html#"]')
    }
    assert targets and targets <= {f"ref-{key}" for key in keys}
