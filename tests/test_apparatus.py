"""Conflicts and related links: what the extension makes of them, and the edition's own rules."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "source" / "notes"

TINY = """.. ed:text:: original.txt
   :sha256: 2c04f50d34ec14fad1db8bc1d61b5eb9707a290d53208819bf25846eef4baf15

.. ed:note:: 1.1
   :paragraph: 1
   :lemma: sat on the mat
   :category: vague

   Which mat?

.. ed:note:: 1.2
   :paragraph: 1
   :lemma: The dog
   :category: contradiction
   :conflicts: 2.1
   :related: 1.1

   The dog is not the latter.

.. ed:note:: 2.1
   :paragraph: 2
   :lemma: the latter
   :category: unclear-reference

   Which one?

.. ed:listing:: claims
   :note: 1.2

.. ed:listing:: map
"""


# -- the extension, on a tiny project -------------------------------------------------------


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> BeautifulSoup:
    from shutil import copytree

    srcdir = tmp_path_factory.mktemp("conflicts") / "src"
    copytree(ROOT / "tests" / "roots" / "test-basic", srcdir)
    (srcdir / "index.rst").write_text(TINY, encoding="utf-8")
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(srcdir), str(srcdir / "_build")]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return BeautifulSoup((srcdir / "_build" / "index.html").read_text(encoding="utf-8"), "html.parser")


def links_line(page: BeautifulSoup, label: str) -> str:
    return page.find(id=f"note-{label}").select_one(".ed-related").get_text(" ", strip=True)


def test_a_note_shows_its_conflicts_apart_from_its_related_notes_both_ways(tiny):
    n = "n.\u00a0"
    assert links_line(tiny, "1.2") == f"Conflicts with: {n}2.1 ; related: {n}1.1"
    assert links_line(tiny, "2.1") == f"Conflicts with: {n}1.2"  # named by 1.2 only
    assert links_line(tiny, "1.1") == f"Related: {n}1.2"


def test_the_map_and_the_claims_use_conflicts_only(tiny):
    edges = [li.get_text(" ", strip=True) for li in tiny.select("ul.ed-map-list > li")]
    assert len(edges) == 1 and "1.2" in edges[0] and "2.1" in edges[0] and "1.1" not in edges[0]
    boxes = {a.select_one("text").get_text() for a in tiny.select("svg a.ed-map-node")}
    assert boxes == {"1.2", "2.1"}
    claimed = [row.select("td")[2].get_text(strip=True) for row in tiny.select("table.ed-claims tbody tr")]
    assert claimed == ["n.\u00a01.2", "n.\u00a02.1"]


# -- the edition's own rules ----------------------------------------------------------------

DIRECTIVE = re.compile(r"^\.\. ed:note:: (\S+)\n((?:   :[a-z]+:.*\n)+)", re.M)
OPTION = re.compile(r"^   :([a-z]+):[ ]?(.*)$", re.M)


def edition_notes() -> dict[str, dict[str, str]]:
    """Every note of the edition, label -> its options, read from the note files."""
    notes: dict[str, dict[str, str]] = {}
    for path in sorted(NOTES.glob("p*.rst")):
        for match in DIRECTIVE.finditer(path.read_text(encoding="utf-8")):
            notes[match.group(1)] = dict(OPTION.findall(match.group(2)))
    return notes


def conflicts(options: dict[str, str]) -> set[str]:
    return set(options.get("conflicts", "").split())


def test_the_note_files_are_read():
    notes = edition_notes()
    assert len(notes) >= 80 and "2.11" in notes and notes["2.11"]["category"] == "contradiction"


def test_every_contradiction_note_names_a_conflict_and_none_names_itself():
    for label, options in edition_notes().items():
        assert label not in conflicts(options), f"note {label} conflicts with itself"
        if options["category"] == "contradiction" and "withdrawn" not in options:
            assert conflicts(options), f"contradiction note {label} names no conflict"


def test_conflicts_are_reciprocal():
    """If A names B in :conflicts:, B names A: each side of a conflict says so in its own note."""
    notes = edition_notes()
    for label, options in notes.items():
        for other in conflicts(options):
            assert other in notes, f"note {label} conflicts with unknown note {other}"
            assert label in conflicts(notes[other]), (
                f"{label} conflicts with {other}, but not {other} with {label}"
            )


def test_every_conflict_has_a_contradiction_note_on_one_side():
    """A conflict is stated by a contradiction note; two notes of other kinds are never joined."""
    notes = edition_notes()
    for label, options in notes.items():
        for other in conflicts(options):
            categories = {options["category"], notes[other]["category"]}
            assert "contradiction" in categories, f"{label} and {other}: neither is a contradiction note"


def test_no_note_is_both_related_to_and_in_conflict_with_another():
    for label, options in edition_notes().items():
        both = conflicts(options) & set(options.get("related", "").split())
        assert not both, f"note {label} names {sorted(both)} both as related and in conflict"
