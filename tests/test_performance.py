"""What makes large editions build fast and pages light, each checked to change no output.

- citations formatted once per shape of citation, filled in per note: the same text as citeproc's;
- the search for lemmas that a text fragment can highlight: the same answer as counting;
- stylesheets and scripts only on the pages that use them;
- the garbage collector's setting, changed for the build only;
- the "Cite this note" block, lean: nothing in it twice.
"""

from __future__ import annotations

import dataclasses
import gc
import runpy
import shutil
import weakref
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, ROOTS, owls_edition
from edition_site import speedups
from hypothesis import given, settings
from hypothesis import strategies as st

from apparatus.citation import formats as citation_formats
from apparatus.citation.formats import CODE_FORMS, STYLES, Citable, citations
from apparatus.edition import Edition, edition_from_config, parse_name
from apparatus.web.cite import occurring_once

OWLS = owls_edition()


def this_edition() -> Edition:
    """The statement of the edition in this repository, as conf.py gives it."""
    settings = runpy.run_path(str(ROOT / "conf.py"))
    defaults = {"apparatus_pdf_name": "edition.pdf", "author": "", "project": "", "release": ""}
    return edition_from_config(SimpleNamespace(**(defaults | settings)))


EDITIONS = {
    "owls": OWLS,
    "this edition": this_edition(),
    "a body, no publisher": dataclasses.replace(OWLS, editors=(parse_name("The Editors"),), publisher=""),
    "special characters": dataclasses.replace(OWLS, title="Owls & <crows>: 10.1 and ¶2 — ‘wise’?"),
}
PAGE = "https://owls.example.org/text.html"
CITABLES = [
    Citable("note", f"{PAGE}#note-1.1", "1.1", 1),
    Citable("note", f"{PAGE}#note-4.3", "4.3", 4),
    Citable("note", f"{PAGE}#note-10.1", "10.1", 10),
    Citable("note", f"{PAGE}#note-2.10", "2.10", 2),
    Citable("note", f"{PAGE}#note-12.345", "12.345", 12),
    Citable("note", f"{PAGE}#note-1.2", "1.2", 1, withdrawn="2.1"),
    Citable("note", f"{PAGE}#note-10.1", "10.1", 10, withdrawn="3"),
    Citable("note", f"{PAGE}#note-3.1", "3.1", 3, withdrawn="1.0.2"),
    Citable("paragraph", f"{PAGE}#p1", paragraph=1),
    Citable("paragraph", f"{PAGE}#p10", paragraph=10),
    # Not of the placeholders' kind (letters, a space, no URL): formatted directly, the same.
    Citable("note", f"{PAGE}#note-4.3a", "4.3a", 4),
    Citable("note", f"{PAGE}#note-A.1", "A.1", 1, withdrawn="two"),
    Citable("note", "", "5.1", 5),
    Citable("edition", "https://owls.example.org/"),
    # URLs with characters an escaping format would change.
    Citable("note", "https://owls.example.org/a&b/text.html?x=1&y=<2>#note-7.1", "7.1", 7),
    Citable("note", "https://owls.example.org/~é/text.html#note-7.2", "7.2", 7, withdrawn="2.1"),
]


@pytest.fixture(autouse=True, scope="module")
def fresh_templates():
    """The templates made anew for this module, then shared by its tests, as by a build's notes."""
    citation_formats.forget_templates()
    yield
    citation_formats.forget_templates()


@pytest.mark.parametrize("name", EDITIONS)
@pytest.mark.parametrize(
    "citable", CITABLES, ids=lambda c: f"{c.kind}-{c.label or c.paragraph}-{c.withdrawn}"
)
def test_a_citation_filled_into_its_template_is_exactly_citeprocs_own(name, citable):
    edition = EDITIONS[name]
    citations(edition, citable)  # the first of its shape is formatted directly
    filled = citations(edition, citable)
    direct = citations(edition, citable, templates=False)
    assert [f.key for f in filled] == [*(s.key for s in STYLES), *(key for key, _ in CODE_FORMS)]
    assert filled == direct


@pytest.mark.parametrize("name", EDITIONS)
def test_every_format_has_a_template_for_every_shape(name):
    """Where a template is refused the notes are still right, but slow: none is refused here."""
    for shape in (CITABLES[0], CITABLES[5], CITABLES[8]):
        templates = citation_formats._templates(EDITIONS[name], citation_formats._shape(shape, shape))
        assert None not in templates, shape


def test_citeproc_runs_per_style_and_shape_not_per_note(monkeypatch):
    runs = []
    real = citation_formats._citeproc

    def counted(*args, **kwargs):
        runs.append(args[1].key)
        return real(*args, **kwargs)

    monkeypatch.setattr(citation_formats, "_citeproc", counted)
    citation_formats.forget_templates()  # none made yet, as at the start of a build
    notes = [
        Citable("note", f"{PAGE}#note-{n}.{k}", f"{n}.{k}", n) for n in range(1, 21) for k in range(1, 11)
    ]
    withdrawn = [dataclasses.replace(note, withdrawn="2.0") for note in notes[:50]]
    for note in notes + withdrawn:
        citations(OWLS, note)
    # For each of the two shapes, per style: the first note itself, then a template and its
    # check (a probe): 30 runs, not 1,250.
    assert len(runs) == 2 * 3 * len(STYLES)
    assert sorted(set(runs)) == sorted(style.key for style in STYLES)


# -- which lemmas a text fragment can highlight ---------------------------------------------------

words = st.sampled_from(["owl", "owls", "wise", "the", "a", "é", "4.3", "  ", ",", "’"])
texts = st.lists(st.lists(words, max_size=12).map("".join), min_size=1, max_size=6)


@given(texts=texts, picks=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 60), st.integers(1, 15))))
def test_lemmas_found_once_are_those_that_counting_finds_once(texts, picks):
    phrases = {
        text[start : start + length] for index, start, length in picks for text in [texts[index % len(texts)]]
    }
    phrases = {phrase for phrase in phrases if phrase}
    counted = {phrase for phrase in phrases if sum(text.count(phrase) for text in texts) == 1}
    assert occurring_once(phrases, texts) == counted


def test_phrases_are_searched_in_every_text_that_has_their_inner_words():
    texts = ["The wise owl sat.", "A wise owl flew.", "owls"]
    # "wise" is in two texts: "e wise o" stands in one of them, "wise owl" in both.
    phrases = {"wise owl", "e wise o", "owl sat", "owl", "s", "A wise owl flew.", "owl flies"}
    assert occurring_once(phrases, texts) == {"e wise o", "owl sat", "A wise owl flew."}


# -- stylesheets and scripts ------------------------------------------------------------------------


def loaded(app, docname: str) -> set[str]:
    page = BeautifulSoup((app.outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    links = [tag["href"] for tag in page.select("link[rel~=stylesheet]")]
    links += [tag["src"] for tag in page.select("script[src]")]
    return {link.split("?")[0].rsplit("/", 1)[-1] for link in links}


@pytest.mark.sphinx("html", testroot="assets", freshenv=True)
def test_pages_load_the_stylesheets_and_scripts_of_what_they_show(app):
    app.build()
    design, code = {"sphinx-design.min.css", "design-tabs.js"}, {"pygments.css"}
    always, citing = {"furo.css", "apparatus.css"}, {"citation.css", "citation.js"}
    pages = {docname: loaded(app, docname) for docname in ("index", "text", "code", "cards", "notes/1.1")}
    assert all(always <= files for files in pages.values()), pages
    # The citations' style and copy buttons: on a note's own page, not beside the notes of the text.
    assert citing <= pages["notes/1.1"] and not any(
        citing & pages[name] for name in pages if name != "notes/1.1"
    )
    assert not (design | code) & pages["text"] and not (design | code) & pages["index"]
    assert code <= pages["code"] and not design & pages["code"]
    assert design <= pages["cards"] and not code & pages["cards"]
    for name in design | code:  # still written to the site for the pages that use them
        assert (app.outdir / "_static" / name).is_file()


# -- the garbage collector ----------------------------------------------------------------------------


def test_the_collector_runs_less_often_during_the_build_only(make_app, tmp_path):
    srcdir = tmp_path / "assets"  # a project that loads this edition's own adjustments
    shutil.copytree(ROOTS / "test-assets", srcdir)
    before = gc.get_threshold()
    app = make_app("html", srcdir=srcdir, freshenv=True)
    during = []
    app.connect("doctree-read", lambda app, doctree: during.append(gc.get_threshold()))
    app.build()
    assert during and during[0][0] == max(before[0], speedups.YOUNG_OBJECTS_PER_COLLECTION)
    assert during[0][1:] == before[1:]
    assert gc.get_threshold() == before


@pytest.mark.parametrize(("builder", "paused"), [("editionpdf", True), ("html", False)])
def test_a_pdf_build_pauses_the_collector_until_it_ends(make_app, tmp_path, builder, paused):
    srcdir = tmp_path / "assets"
    shutil.copytree(ROOTS / "test-assets", srcdir)
    assert gc.isenabled()
    app = make_app(builder, srcdir=srcdir, freshenv=True)
    during = []
    app.connect("doctree-resolved", lambda app, doctree, docname: during.append(gc.isenabled()))
    app.build()
    assert app.statuscode == 0
    assert during and set(during) == {not paused}
    assert gc.isenabled()


class _Cycle:
    def __init__(self) -> None:
        self.itself = self


def test_what_a_paused_build_left_is_not_frozen_and_its_garbage_is_collected(make_app, tmp_path):
    srcdir = tmp_path / "assets"
    shutil.copytree(ROOTS / "test-assets", srcdir)
    app = make_app("editionpdf", srcdir=srcdir, freshenv=True)
    garbage: list[weakref.ref] = []
    app.connect("doctree-resolved", lambda app, doctree, docname: garbage.append(weakref.ref(_Cycle())))
    app.build()
    assert garbage and gc.get_freeze_count() == 0
    gc.collect()
    assert [ref() for ref in garbage] == [None] * len(garbage)


# -- the "Cite this note" blocks -----------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="citation", freshenv=True)
def test_beside_a_note_cite_this_note_is_one_link_and_on_its_page_each_part_is_there_once(app):
    app.build()
    text = BeautifulSoup((app.outdir / "text.html").read_text(encoding="utf-8"), "html.parser")
    links = text.select("aside.ed-note p.ed-cite-link")
    assert len(links) == len(text.select("aside.ed-note")) == 6
    for link in links:
        # One link, the note's number for screen readers inside it: no citation beside the note.
        assert [child.name for child in link.find_all(True)] == ["a", "span"]
    for label in ("1.1", "1.3", "2.1", "2.2", "2.3"):
        note = BeautifulSoup(
            (app.outdir / "notes" / f"{label}.html").read_text(encoding="utf-8"), "html.parser"
        )
        (block,) = note.select("details.ed-cite")
        parts = [
            child.name + "".join(f".{c}" for c in child.get("class", []))
            for child in block.find_all(recursive=False)
        ]
        assert parts == ["summary", "p.ed-cite-permalink", "dl.ed-cite-styles", "p.ed-cite-downloads"]
        for element in block.find_all(True):
            # No text repeated in attributes: copy labels and the URL are read from the block by script.
            assert set(element.attrs) <= {"class", "data-style", "href", "open", "download"}, element.attrs
        url = block.select_one(".ed-cite-permalink a")["href"]
        assert str(block).count(url) == 2  # the permalink, link and text


# -- pybtex ---------------------------------------------------------------------------------------------


LATEX_CHARACTERS = "ab ,.-'\"`~{}\n\t\\$%<>!?^_&#:;()/@*+=\u00a0–—“”«»0"


@settings(max_examples=1000)
@given(st.text(alphabet=LATEX_CHARACTERS, max_size=10))
def test_pybtex_reads_any_string_as_its_decoder_does(value):
    from pybtex.richtext import Text

    speedups.decode_only_latex(None)
    assert read(Text.from_latex, value) == read(lambda value: Text.from_latex.decoding(Text, value), value)


def read(from_latex, value: str) -> object:
    """The rich text of a value, or the kind of error it raises (unbalanced braces)."""
    try:
        return from_latex(value)
    except Exception as error:  # either way, the same for both readers
        return type(error)


def test_pybtex_decodes_only_the_fields_that_hold_latex(monkeypatch):
    """The edition's pybtex reads a field without LaTeX markup as it reads any field, without
    decoding it: the same rich text for every field here; a plain field never reaches the decoder."""
    import codecs

    from pybtex.database import parse_file
    from pybtex.richtext import Text

    speedups.decode_only_latex(None)
    files = [ROOT / "source" / "references.bib", *ROOTS.glob("*/*.bib")]
    values = [
        value
        for path in files
        for entry in parse_file(path).entries.values()
        for value in entry.fields.values()
    ]
    assert len(values) > 200
    for value in values:
        assert Text.from_latex(value) == Text.from_latex.decoding(Text, value), repr(value)
    monkeypatch.setattr(codecs, "decode", lambda *args: pytest.fail(f"decoded {args}"))
    assert str(Text.from_latex("{NATO} and the {UN}: 1949-2026")) == "NATO and the UN: 1949-2026"
