"""The notes domain: correct in serial, parallel and incremental builds, links both ways."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from apparatus.domain import EditionDomain


def notes_of(app) -> dict:
    domain = app.env.get_domain("ed")
    assert isinstance(domain, EditionDomain)
    return {label: (n.docname, n.paragraph, n.lemma, n.start, n.end) for label, n in domain.notes.items()}


def soup(app, docname: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


EXPECTED = {
    "a1": ("one", 1, "beta", 13, 17),
    "a2": ("one", 2, "Delta", 26, 31),
    "b1": ("two", 1, "Zeta", 8, 12),
}


@pytest.mark.sphinx("html", testroot="multi", freshenv=True)
def test_serial_build_registers_every_note_with_offsets_into_the_original(app):
    app.build()
    assert notes_of(app) == EXPECTED
    original = (app.srcdir / "one.txt").read_text(encoding="utf-8")
    assert original[13:17] == "beta"


@pytest.mark.sphinx("html", testroot="multi", parallel=2, freshenv=True)
def test_parallel_build_merges_the_same_data(app, monkeypatch):
    merged = []
    original = EditionDomain.merge_domaindata

    def spy(self, docnames, otherdata):
        merged.extend(docnames)
        return original(self, docnames, otherdata)

    monkeypatch.setattr(EditionDomain, "merge_domaindata", spy)
    app.build()
    assert sorted(merged) == ["index", "one", "refs", "two"]  # every document came from a worker
    assert notes_of(app) == EXPECTED
    assert sorted(app.env.get_domain("ed").texts) == ["one", "two"]
    links = [a["href"] for a in soup(app, "refs").select("a.reference.internal")]
    assert "one.html#note-a1" in links and "two.html#note-b1" in links and "one.html#note-a2" in links


@pytest.mark.sphinx("html", testroot="multi", freshenv=True)
def test_related_links_are_shown_both_ways_across_documents(app):
    app.build()
    forward = soup(app, "one").select_one("#note-a1 .ed-related a")
    backward = soup(app, "two").select_one("#note-b1 .ed-related a")
    assert forward["href"] == "two.html#note-b1"
    assert backward["href"] == "one.html#note-a1"
    assert soup(app, "one").select_one("#note-a2 .ed-related") is None


@pytest.mark.sphinx("html", testroot="multi", freshenv=True, srcdir="multi-incremental")
def test_incremental_build_forgets_a_removed_note_and_keeps_the_rest(app):
    app.build()
    one = app.srcdir / "one.rst"
    source = one.read_text(encoding="utf-8")
    one.write_text(source[: source.index(".. ed:note:: a2")], encoding="utf-8")
    app.build()
    assert notes_of(app) == {k: v for k, v in EXPECTED.items() if k != "a2"}
    assert app.env.get_domain("ed").texts["two"].paragraphs == 1


@pytest.mark.sphinx("html", testroot="multi", parallel=2, freshenv=True, srcdir="multi-problems")
def test_problems_found_by_parallel_readers_are_kept_until_fixed(app, make_app):
    two = app.srcdir / "two.rst"
    two.write_text(two.read_text(encoding="utf-8").replace(":lemma: Zeta", ":lemma: Zetta"), encoding="utf-8")
    app.build()
    domain = app.env.get_domain("ed")
    expected = [(f"{two}:4", "note b1: lemma 'Zetta' is not in the paragraph")]
    assert [(where, message[: len(expected[0][1])]) for where, message in domain.problems()] == expected
    assert app.statuscode == 1
    app.cleanup()
    again = make_app("html", srcdir=app.srcdir, parallel=2)  # nothing changed: nothing is read
    again.build()
    assert again.env.get_domain("ed").problems() == domain.problems()
    assert again.statuscode == 1
