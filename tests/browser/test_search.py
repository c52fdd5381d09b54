"""Searching finds the notes: Sphinx's search page lists, above its page results, every note whose
lemma or body holds the words sought, each a link to its permalink that opens the note; the words
then highlighted on the text page leave what a reader copies unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup

from apparatus.domain import label_key
from apparatus.web.search import DATA

from .conftest import axe_results
from .test_accessibility import summary
from .test_reading import ORIGINAL, SELECT_PARAGRAPH, TEXT

QUERY = "Crimea"
WORDS = re.compile(r"\w+")


def search_data(site: Path) -> dict:
    script = (site / "_static" / DATA).read_text(encoding="utf-8")
    return json.loads(script.removeprefix("window.edSearchNotes=").rstrip().removesuffix(";"))


def exported(site: Path) -> list[dict]:
    """The notes as the open-data export has them: the reference the search data is checked against."""
    return json.loads((site / "notes.json").read_text(encoding="utf-8"))["notes"]


# -- the data, without a browser -----------------------------------------------------------------


def test_the_search_data_holds_every_note_as_the_export_and_the_page_have_it(edition_html):
    notes = search_data(edition_html)["notes"]
    reference = exported(edition_html)
    assert [note["label"] for note in notes] == sorted((n["label"] for n in reference), key=label_key)
    by_label = {note["label"]: note for note in reference}
    pages: dict[str, BeautifulSoup] = {}
    for note in notes:
        expected = by_label[note["label"]]
        assert note["lemma"] == expected["lemma"]
        assert note["category"] == expected["category_name"]
        assert note["withdrawn"] == (expected["withdrawn"] or "")
        # the body as the page reads it: citations resolved, no citation keys, no "Cite this note"
        assert WORDS.findall(note["text"]) == WORDS.findall(expected["text"]), note["label"]
        path, anchor = note["url"].split("#")
        if path not in pages:
            pages[path] = BeautifulSoup((edition_html / path).read_text(encoding="utf-8"), "html.parser")
        assert pages[path].find("aside", id=anchor) is not None, note["url"]


def test_only_the_search_page_loads_the_notes(edition_html):
    loading = {
        path.relative_to(edition_html).as_posix()
        for path in edition_html.rglob("*.html")
        if DATA in path.read_text(encoding="utf-8")
    }
    assert loading == {"search.html"}


# -- in the browser: one search, one note followed ----------------------------------------------


def expected_notes(site: Path, word: str) -> list[dict]:
    """The notes whose lemma or body holds the word: those with it in the lemma first."""
    found = [n for n in exported(site) if word.lower() in (n["lemma"] + " " + n["text"]).lower()]
    found.sort(key=lambda n: (word.lower() not in n["lemma"].lower(), label_key(n["label"])))
    return found


LINKS = "(links) => links.map((a) => [a.textContent, a.href])"
SEARCH_DONE = """() => {
  const notes = document.querySelector('.ed-search-status');
  const pages = document.querySelector('#search-results .search-summary');
  return notes && notes.textContent && pages && pages.textContent;
}"""
IN_VIEW = "(e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
HIGHLIGHTED_PARAGRAPHS = """() => [...document.querySelectorAll('.ed-par')]
  .filter((p) => p.querySelector(':scope > .ed-text span.highlighted'))
  .map((p) => Number(p.id.slice(1)))"""


def test_a_search_lists_the_matching_notes_and_one_followed_opens_with_the_words_highlighted(
    open_page, site, edition_site
):
    expected = expected_notes(edition_site, QUERY)
    assert len(expected) > 1
    page, recorder = open_page(
        f"search.html?q={QUERY}",
        1440,
        reduced_motion="reduce",
        permissions=["clipboard-read", "clipboard-write"],
    )
    page.wait_for_function(SEARCH_DONE)
    # the notes, ranked, each named by its label, lemma and category, linked to its permalink
    links = page.eval_on_selector_all(".ed-search-notes li > a", LINKS)
    assert links == [
        [f"Note {n['label']} — {n['lemma']} ({n['category_name']})", f"{site}{TEXT}#note-{n['label']}"]
        for n in expected
    ]
    heading = page.locator("#ed-search-notes-title")
    assert heading.evaluate("(h) => h.tagName") == "H2"
    assert page.get_by_role("region", name=heading.text_content()).count() == 1
    assert page.get_by_role("status").filter(has_text="notes contain").text_content() == (
        f"{len(expected)} notes contain “{QUERY}”."
    )
    # Sphinx's page results still work, below the notes
    assert page.locator("#search-results ul.search a[href^='source/text.html']").count() >= 1
    assert page.evaluate(
        "document.querySelector('.ed-search-notes').compareDocumentPosition("
        "document.getElementById('search-results')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert summary(axe_results(page)["violations"]) == []

    # following a note opens it, in the margin beside its call
    label = expected[0]["label"]
    page.locator(".ed-search-notes li > a").first.click()
    page.wait_for_url(f"**/{TEXT}#note-{label}")
    note = page.locator(f'[id="note-{label}"]')
    page.wait_for_function(IN_VIEW, arg=note.element_handle(), timeout=5000)
    assert "ed-side" in note.get_attribute("class").split()

    # the words sought are highlighted in the text and the notes; copying still gives the original
    page.wait_for_selector(".ed-text span.highlighted")
    assert page.locator("aside.ed-note span.highlighted").count() > 0
    highlighted = page.evaluate(HIGHLIGHTED_PARAGRAPHS)
    assert highlighted
    for number in highlighted:
        page.evaluate(SELECT_PARAGRAPH, number)
        page.keyboard.press("Control+C")
        assert page.evaluate("navigator.clipboard.readText()") == ORIGINAL.paragraph(number).text
    assert recorder.console_errors == [] and recorder.foreign_requests == []
