"""Every note's own page (``notes/LABEL.html``): what it shows, how it links, its records.

Read on the built edition as a reader and a reference manager would: each part of a note's
page is compared with the same note on the text page, each link is followed in the built site,
each file to download is parsed by a generic reader and compared with the citations shown.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import rispy
from bs4 import BeautifulSoup, Tag
from conftest import ROOTS, note_page, page
from pybtex.database import parse_string

from apparatus.web import layout

TEXT = "source/text.html"
WHITESPACE = re.compile(r"\s+")


def followed(outdir: Path, here: str, href: str) -> Tag | BeautifulSoup | None:
    """What a relative link on the page ``here`` leads to in the built site."""
    parts = urlsplit(href)
    assert not parts.scheme, href
    name = str(Path(here).parent / unquote(parts.path)) if parts.path else here
    path = (outdir / name).resolve()
    assert path.is_file(), href
    target = page(outdir, str(path.relative_to(outdir.resolve())))
    return target.find(id=unquote(parts.fragment)) if parts.fragment else target


def words(element: Tag) -> str:
    return WHITESPACE.sub(" ", element.get_text()).strip()


def labels(outdir: Path) -> list[str]:
    return [note["id"].removeprefix("note-") for note in page(outdir, TEXT).select("aside.ed-note")]


def test_every_note_has_its_page_with_its_lemma_in_its_paragraph(edition_html):
    text = page(edition_html, TEXT)
    assert len(labels(edition_html)) >= 80
    for label in labels(edition_html):
        note = note_page(edition_html, label)
        number = label.split(".")[0]
        assert (
            words(note.h1) == f"Note {label} on paragraph {number}" == note.title.get_text().split(" - ")[0]
        )
        lemma = words(text.find(id=f"lemma-{label}"))
        assert words(note.select_one(".ed-note-page-lemma")) == lemma
        quoted = note.select_one(".ed-note-page-context blockquote p")
        assert words(quoted.select_one("mark.ed-lemma")) == lemma
        # the paragraph as the original has it, after its number, which links to it
        paragraph = text.find(id=f"p{number}")
        assert words(quoted) == f"¶{number} " + words(paragraph.select_one(".ed-text"))
        assert followed(edition_html, f"notes/{label}.html", quoted.a["href"]) is paragraph
        in_text = note.find("a", string="The note on the text page")["href"]
        assert followed(edition_html, f"notes/{label}.html", in_text)["id"] == f"note-{label}"


def own_words(aside: Tag) -> str:
    """A note on the text page without what surrounds its words: head, lemma, links, citation."""
    aside = BeautifulSoup(str(aside), "html.parser").aside
    for part in aside.select(
        "p.ed-note-head, .ed-lemma-quote, .ed-lemma-quote + span[aria-hidden], p.ed-related, "
        "p.ed-cite-link, span.Z3988, p.ed-withdrawn-line"
    ):
        part.decompose()
    return words(aside)


def test_a_note_page_shows_the_notes_own_words_with_working_links(edition_html):
    text = page(edition_html, TEXT)
    for label in labels(edition_html):
        here = f"notes/{label}.html"
        body = note_page(edition_html, label).select_one(".ed-note-page-body")
        body.h2.extract()
        assert words(body) == own_words(text.find(id=f"note-{label}")), label
        for link in body.select("a[href]"):
            target = followed(edition_html, here, link["href"])
            assert target is not None, (label, link["href"])
            if re.fullmatch(r"n\. [0-9.]+", words(link)):  # a note named in the body: its page
                assert target.select_one("section.ed-note-page")["id"] == f"note-{words(link)[3:]}"


def test_related_and_conflicting_notes_and_sources_link_to_their_pages(edition_html):
    text = page(edition_html, TEXT)
    for label in labels(edition_html):
        here = f"notes/{label}.html"
        note = note_page(edition_html, label)
        line = text.find(id=f"note-{label}").select_one("p.ed-related")
        named = [a["href"].removeprefix("#note-") for a in line.select("a")] if line else []
        sections = {words(section.h2): section for section in note.select(".ed-note-page-links")}
        linked = [a for section in sections.values() for a in section.select("li > a")]
        assert sorted(words(a).removeprefix("Note ") for a in linked) == sorted(named), label
        for a in linked:
            assert followed(edition_html, here, a["href"]).select_one("section")["id"] == "note-" + words(
                a
            ).removeprefix("Note ")
        conflicts = sections.get("Conflicts with")
        if line is not None and line.get_text().startswith("Conflicts with"):
            assert conflicts is not None and conflicts.select("li")
        cited = {a["href"] for a in note.select(".ed-note-page-body a[href*='bibliography']")}
        sources = note.select(".ed-note-page-sources li > a")
        assert {a["href"] for a in sources} == cited
        for a in sources:
            entry = followed(edition_html, here, a["href"])
            assert "ref-" in entry["id"]
            title = words(a.parent).removeprefix(words(a) + ": ")
            assert title and title in words(entry), (label, title)  # as the bibliography prints it


def shown(note: BeautifulSoup, form: str) -> str:
    return note.select_one(f'.ed-note-page-cite pre[data-style="{form}"]').get_text()


RIS_MAPPING = {**rispy.TAG_KEY_MAPPING, "ED": "editors"}
RIS_LISTS = [*rispy.LIST_TYPE_TAGS, "ED"]


def test_each_notes_records_download_as_shown_and_parse(edition_html):
    for label in labels(edition_html):
        note = note_page(edition_html, label)
        links = {a.get_text(): a for a in note.select(".ed-cite-downloads a[download]")}
        assert list(links) == ["BibTeX", "RIS", "CSL-JSON"]
        files = {
            name: (edition_html / "notes" / a["href"]).read_text(encoding="utf-8")
            for name, a in links.items()
        }
        assert files["BibTeX"] == shown(note, "bibtex")
        assert files["RIS"] == shown(note, "ris")
        assert files["CSL-JSON"] == shown(note, "csl-json")
        (entry,) = parse_string(files["BibTeX"], "bibtex").entries.values()
        assert entry.type == "incollection" and entry.fields["url"].endswith(f"notes/{label}.html")
        (record,) = rispy.loads(files["RIS"], mapping=RIS_MAPPING, list_tags=RIS_LISTS)
        assert record["type_of_reference"] == "CHAP" and record["urls"][0].endswith(f"notes/{label}.html")
        (item,) = json.loads(files["CSL-JSON"])
        assert item["type"] == "chapter" and item["title"] == words(note.h1)


def test_the_records_of_every_note_are_one_file_each_linked_from_how_to_cite(edition_html):
    how = "source/how-to-cite.html"
    links = page(edition_html, how).select("ul.ed-cite-records a")
    assert [a["href"] for a in links] == ["../notes/all.bib", "../notes/all.ris", "../notes/all.json"]
    for a in links:
        followed(edition_html, how, a["href"])  # the file is there
    notes = [note_page(edition_html, label) for label in labels(edition_html)]
    bib = (edition_html / "notes/all.bib").read_text(encoding="utf-8")
    assert bib == "\n".join(shown(note, "bibtex") for note in notes)
    assert len(parse_string(bib, "bibtex").entries) == len(notes)
    ris = rispy.loads((edition_html / "notes/all.ris").read_text(encoding="utf-8"), mapping=RIS_MAPPING)
    assert [record["title"] for record in ris] == [words(note.h1) for note in notes]
    items = json.loads((edition_html / "notes/all.json").read_text(encoding="utf-8"))
    assert items == [json.loads(shown(note, "csl-json"))[0] for note in notes]


# -- the links that highlight the words in the text ----------------------------------------------


BLOCKS = {
    "p",
    "div",
    "aside",
    "section",
    "li",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "summary",
    "blockquote",
    "td",
    "th",
}


def page_text(soup: BeautifulSoup) -> tuple[str, dict[str, int]]:
    """The text of the page's body in document order (a line break where a block begins, since a
    text fragment never spans two), and where each lemma's words begin in it."""
    parts: list[str] = []
    starts: dict[str, int] = {}
    size = 0
    for element in soup.body.descendants:
        if isinstance(element, Tag):
            if element.name == "mark" and element.get("id", "").startswith("lemma-"):
                starts[element["id"].removeprefix("lemma-")] = size
            elif element.name in BLOCKS:
                parts.append("\n")
                size += 1
        elif element.parent.name not in ("script", "style"):
            parts.append(str(element))
            size += len(parts[-1])
    return "".join(parts), starts


def fragment_pattern(directive: str) -> re.Pattern[str]:
    """A text fragment (``text=prefix-,start,-suffix``) as a pattern, letter case aside."""
    terms = [unquote(term) for term in directive.removeprefix("text=").split(",")]
    prefix = terms.pop(0)[:-1] if terms[0].endswith("-") else ""
    suffix = terms.pop()[1:] if terms[-1].startswith("-") else ""
    (start,) = terms
    return re.compile(
        (rf"(?<!\w){re.escape(prefix)}\s*" if prefix else r"(?<!\w)")
        + f"({re.escape(start)})"
        + (rf"\s*{re.escape(suffix)}(?!\w)" if suffix else r"(?!\w)"),
        re.IGNORECASE,
    )


def test_every_highlighting_link_finds_its_lemma_in_the_text_before_anything_else(edition_html):
    text = page(edition_html, TEXT)
    body, starts = page_text(text)
    for label in labels(edition_html):
        link = note_page(edition_html, label).select_one("a.ed-note-page-fragment")
        if text.find(id=f"note-{label}").get("class") == ["ed-note", "ed-withdrawn"]:
            assert link is None
            continue
        page_url, _, fragment = link["href"].partition("#")
        anchor, _, directive = fragment.partition(":~:")
        assert page_url.endswith(TEXT) and anchor == f"lemma-{label}"  # the lemma's own anchor
        first = fragment_pattern(directive).search(body)
        assert first is not None and first.start(1) == starts[label], label


@pytest.fixture(scope="session")
def owls(built_once) -> Path:
    """The small citation project (as tests/test_citation.py builds it: built once per run)."""
    return built_once("citation-html", ROOTS / "test-citation", "html")


def test_a_withdrawn_notes_page_says_so_and_marks_no_words(owls):
    note = note_page(owls, "1.2")
    assert words(note.h1) == "Note 1.2 on paragraph 1, withdrawn in version 2.1"
    context = note.select_one(".ed-note-page-context")
    assert not context.select("mark") and words(context.figcaption) == "Paragraph 1 of the text"
    assert "Everyone says so" in words(context.blockquote)
    assert note.select_one("a.ed-note-page-fragment") is None
    assert words(note_page(owls, "1.1").select_one(".ed-note-page-context mark")) == "wise birds"


# -- building ---------------------------------------------------------------------------------------


def test_a_changed_note_rebuilds_its_page_and_the_set(make_app, tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-citation", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    before = (app.outdir / "notes/all.ris").read_text(encoding="utf-8")
    text = (srcdir / "text.rst").read_text(encoding="utf-8")
    assert "Which birds?" not in (app.outdir / "notes/1.1.html").read_text(encoding="utf-8")
    changed = text.replace("   Says who?\n", "   Which birds? Says who?\n", 1)
    assert changed != text
    (srcdir / "text.rst").write_text(changed, encoding="utf-8")
    again = make_app("html", srcdir=srcdir, freshenv=False)
    again.build()
    page_of_note = (again.outdir / "notes/1.1.html").read_text(encoding="utf-8")
    assert "Which birds?" in page_of_note
    assert (again.outdir / "notes/all.ris").read_text(encoding="utf-8") == before
    assert sorted(path.name for path in (again.outdir / "notes").glob("*.html")) == [
        f"{label}.html" for label in ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3")
    ]


@pytest.mark.parametrize("builder", ["dirhtml"])
def test_the_note_pages_follow_the_builders_addresses(make_app, tmp_path, builder):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-citation", srcdir)
    app = make_app(builder, srcdir=srcdir, freshenv=True)
    app.build()
    note = BeautifulSoup((app.outdir / "notes/2.2/index.html").read_text(encoding="utf-8"), "html.parser")
    assert note.head.find("link", rel="canonical")["href"] == "https://owls.example.org/edition/notes/2.2/"
    assert note.find("a", string="The note on the text page")["href"] == "../../text/#note-2.2"
    assert [a["href"] for a in note.select(".ed-cite-downloads a")] == [
        "../2.2.bib",
        "../2.2.ris",
        "../2.2.json",
    ]
    assert (app.outdir / "notes/2.2.bib").is_file()


@pytest.mark.parametrize("theme", ["alabaster", "furo"])
def test_every_notes_page_is_what_rendering_the_theme_in_full_gives(make_app, tmp_path, monkeypatch, theme):
    """The notes' pages share one rendering of the theme's layout, and each is still, byte for
    byte, the theme's full rendering of its context; a page whose context another extension
    changes after the others (here: a stylesheet left off note 2.3's page) is rendered in full."""
    render, page = layout._render, layout.Layout.page
    renders: list[str] = []
    in_full: dict[str, str] = {}

    def counted(app, template, context):
        renders.append(template)
        return render(app, template, context)

    def also_in_full(self, app, context):
        made = page(self, app, context)
        in_full[context["pagename"]] = render(app, layout.TEMPLATE, context)
        return made

    def drop_stylesheet(app, pagename, templatename, context, doctree):
        if pagename == "notes/2.3":
            context["css_files"] = [css for css in context["css_files"] if "citation.css" not in css.filename]

    monkeypatch.setattr(layout, "_render", counted)
    monkeypatch.setattr(layout.Layout, "page", also_in_full)
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-citation", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True, confoverrides={"html_theme": theme})
    app.connect("html-page-context", drop_stylesheet, priority=950)
    app.build()
    assert app.warning.getvalue() == ""
    written = {name: (app.outdir / f"{name}.html").read_text(encoding="utf-8") for name in in_full}
    assert len(written) == 6
    assert written == in_full
    # The layout, the first two pages rendered in full to check it, and note 2.3's page.
    assert renders.count(layout.TEMPLATE) == 4
    assert "citation.css" not in written["notes/2.3"]
    assert all("citation.css" in text for name, text in written.items() if name != "notes/2.3")
