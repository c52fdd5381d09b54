"""The edition itself: the original is intact and the built HTML reproduces it exactly."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from apparatus.text import load_text

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = ROOT / "source" / "article.txt"
SEED = ROOT.parent / "shared" / "seed" / "article.txt"
MODEL = load_text(ORIGINAL)


def text_page(outdir: Path) -> BeautifulSoup:
    return BeautifulSoup((outdir / "source" / "text.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.skipif(
    not SEED.exists(),
    reason=f"no copy of the text as received beside this clone ({SEED}); the original is proved "
    "by its SHA-256 pinned in source/text.rst and by the rendered HTML and PDF tests",
)
def test_the_original_is_byte_identical_to_the_text_as_received():
    assert ORIGINAL.read_bytes() == SEED.read_bytes()


# The SHA-256 of the text as received. A new edition of the text changes it here too, knowingly.
RECEIVED_SHA256 = "bb793ada5538704034d668c5bd93afecbf2eddef05f7d1630d9ee9e96ad2977a"


def test_the_text_directive_pins_the_original_checksum():
    pinned = re.search(r":sha256: ([0-9a-f]{64})", (ROOT / "source" / "text.rst").read_text()).group(1)
    assert pinned == hashlib.sha256(ORIGINAL.read_bytes()).hexdigest() == RECEIVED_SHA256


def test_the_html_title_is_the_original_title(edition_html):
    heading = text_page(edition_html).select_one("section#text > h1")
    for link in heading.select(".headerlink"):
        link.decompose()
    assert heading.get_text() == MODEL.title


def test_the_html_reproduces_every_paragraph_character_for_character(edition_html):
    page = text_page(edition_html)
    for call in page.select(".ed-call"):
        call.decompose()
    rendered = [p.get_text() for p in page.select("div.ed-par > p.ed-text")]
    assert len(rendered) == len(MODEL.paragraphs) == 10
    for number, (html_text, paragraph) in enumerate(zip(rendered, MODEL.paragraphs, strict=True), 1):
        assert html_text == paragraph.text, f"¶{number} differs from the original"


def test_every_paragraph_has_a_permalink(edition_html):
    page = text_page(edition_html)
    for paragraph in MODEL.paragraphs:
        block = page.select_one(f"div.ed-par#p{paragraph.number}")
        assert block is not None
        assert block.select_one("a.ed-parnum")["href"] == f"#p{paragraph.number}"


def test_every_note_is_marked_called_and_listed_on_the_text_page(edition_html):
    page = text_page(edition_html)
    registry = json.loads((ROOT / "source" / "registry.json").read_text(encoding="utf-8"))["labels"]
    notes = page.select("aside.ed-note")
    assert len(notes) >= 8
    labels = [note["id"].removeprefix("note-") for note in notes]
    for note, label in zip(notes, labels, strict=True):
        assert page.select_one(f'[id="call-{label}"]').get("href") == f"#note-{label}"
        assert note.select_one(".ed-note-label")["href"] == f"#call-{label}"
    for call in page.select(".ed-call"):
        call.decompose()  # a nested lemma holds the calls of the notes inside it
    for label in labels:
        mark = page.select_one(f'mark[id="lemma-{label}"]')
        assert mark.get_text() == registry[label]["lemma"]
        assert mark.find_parent("div", class_="ed-par")["id"] == f"p{registry[label]['paragraph']}"


def test_every_note_is_published_in_the_registry(edition_html):
    page = text_page(edition_html)
    registry = json.loads((ROOT / "source" / "registry.json").read_text(encoding="utf-8"))["labels"]
    built = {note["id"].removeprefix("note-") for note in page.select("aside.ed-note")}
    assert built == set(registry), "run `make register` to publish new notes; published ones never go"
