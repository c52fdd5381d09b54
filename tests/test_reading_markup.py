"""The markup the reading experience rests on, and the accessibility fixes of standard output."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from apparatus.text import load_text

ORIGINAL = load_text(Path(__file__).resolve().parent / "roots" / "test-reading" / "original.txt")


def soup(app, docname: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


# This edition's own fixes of Sphinx's HTML (_ext/edition_site/accessibility.py).
WITH_SITE_FIXES = {"extensions": ["apparatus", "apparatus.web", "edition_site.accessibility"]}


@pytest.mark.sphinx("html", testroot="reading", freshenv=True)
def test_the_key_lists_the_categories_used_with_counts_before_the_first_paragraph(app):
    app.build()
    page = soup(app, "text")
    key = page.select_one("details.ed-key")
    assert key.find_next_sibling("div", class_="ed-par")["id"] == "p1"
    assert key.find_previous_sibling("h1") is not None
    items = [
        (
            item["data-category"],
            item.select_one(".ed-key-name").get_text(),
            item.select_one(".ed-key-count").get_text(),
        )
        for item in key.select("li.ed-key-item")
    ]
    # taxonomy order; the withdrawn note is not counted
    assert items == [
        ("contradiction", "Contradiction", "2 notes"),
        ("vague", "Vague or ambiguous", "2 notes"),
    ]
    assert key.select_one(".ed-key-total").get_text() == "4 notes"
    assert all(item.select_one(".ed-icon")["aria-hidden"] == "true" for item in key.select("li"))


@pytest.mark.sphinx("html", testroot="reading", freshenv=True)
def test_calls_carry_their_category_and_notes_are_footnotes_for_assistive_technology(app):
    app.build()
    page = soup(app, "text")
    call = page.select_one('[id="call-1.2"]')
    assert call.parent["data-category"] == "contradiction"
    assert call["aria-label"] == "Note 1.2: Contradiction"
    assert all(note["role"] == "doc-footnote" for note in page.select("aside.ed-note"))
    assert page.select_one("a.ed-parnum")["aria-label"] == "Paragraph 1"
    # the lemma points at its note and is described by its category's name in the key
    lemma = page.select_one('[id="lemma-1.3"]')
    assert lemma["aria-details"] == "note-1.3"
    assert page.select_one(f'[id="{lemma["aria-describedby"]}"]').get_text() == "Vague or ambiguous"
    # a note's head is named in words, not "number sign" and "pilcrow 1"
    head = page.select_one('[id="note-1.3"] .ed-note-head')
    assert head.select_one(".headerlink")["aria-label"] == "Link to note 1.3"
    assert head.select_one(".ed-note-par")["aria-label"] == "Paragraph 1"
    assert (
        page.select_one('[id="note-1.3"] .ed-lemma-quote').find_next_sibling("span")["aria-hidden"] == "true"
    )
    # keyboard users can pass over the key's controls
    assert page.select_one("a.ed-skip-key")["href"] == "#p1"


@pytest.mark.sphinx("html", testroot="reading", freshenv=True)
def test_a_paragraphs_text_is_the_originals_and_nothing_else(app):
    # calls are drawn from data-label by the stylesheet, so copying, search snippets and links to
    # highlighted words see the original's characters only
    app.build()
    page = soup(app, "text")
    assert [p.get_text() for p in page.select("div.ed-par > p.ed-text")] == [
        paragraph.text for paragraph in ORIGINAL.paragraphs
    ]
    calls = page.select("sup.ed-call > a")
    assert calls and all(call.get_text() == "" and call["data-label"] for call in calls)
    assert page.select_one('[id="call-1.2"]')["data-label"] == "1.2"


@pytest.mark.sphinx("html", testroot="reading", freshenv=True)
def test_the_reading_script_is_loaded_by_text_pages_only(app):
    app.build()
    scripts = {
        name: [s.get("src", "") for s in soup(app, name).select("script")] for name in ("text", "index")
    }
    assert any("apparatus.js" in src for src in scripts["text"])
    assert not any("apparatus.js" in src for src in scripts["index"])
    assert (app.outdir / "_static" / "apparatus.js").is_file()
    assert "hide-toc" in app.env.metadata["text"]
    assert "hide-toc" not in app.env.metadata["index"]


@pytest.mark.sphinx("html", testroot="reading", freshenv=True, confoverrides=WITH_SITE_FIXES)
def test_a_bibliography_is_a_list_of_list_items(app):
    app.build()
    page = soup(app, "sources")
    lists = page.select(".citation-list")
    assert len(lists) == 1 and lists[0]["role"] == "list"
    entries = lists[0].find_all("div", class_="citation", recursive=False)
    assert [entry["id"] for entry in entries] == ["smith2001", "jones1999"]
    assert all(entry["role"] == "listitem" for entry in entries)
    assert "doc-biblioentry" not in str(page)


@pytest.mark.sphinx("html", testroot="reading", freshenv=True, confoverrides=WITH_SITE_FIXES)
def test_toctree_captions_are_headings_with_a_level(app):
    app.build()
    captions = soup(app, "index").select('[role="heading"]')
    assert [c.get_text() for c in captions] == ["The edition"]
    assert all(c["aria-level"] == "2" for c in captions)


@pytest.mark.sphinx("singlehtml", testroot="reading", freshenv=True)
def test_builders_other_than_the_web_pages_get_no_key(app):
    # the PDF is made from single-page HTML: a key of switches has no place on paper
    app.build()
    page = soup(app, "index")
    assert page.select_one(".ed-key") is None
    assert page.select_one('[id="lemma-1.1"]') is not None


def test_the_home_page_says_where_to_start_with_cards_before_anything_else(edition_html):
    page = BeautifulSoup((edition_html / "index.html").read_text(encoding="utf-8"), "html.parser")
    main = page.select_one("article[role=main]") or page.select_one("article")
    cards = {
        card.select_one(".sd-card-title").get_text(strip=True): card.select_one("a.sd-stretched-link")
        for card in main.select(".sd-card")
    }
    assert {title: link["href"] for title, link in cards.items()} == {
        "Read the annotated text": "source/text.html",
        "Download the PDF": "edition.pdf",
        "See the findings": "source/findings.html",
        "Cite the edition": "source/how-to-cite.html",
    }
    # each link is named for what it does, and the text comes first of all the page's links
    assert all(link.get_text(strip=True) == title for title, link in cards.items())
    assert main.select("a[href]:not(.headerlink)")[0]["href"] == "source/text.html"
