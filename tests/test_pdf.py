"""The PDF edition: the original word for word, each note a footnote on the page of its call,
tagged and described, reproducible, and linked from every web page."""

from __future__ import annotations

import functools
import itertools
import json
import pickle
import re
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType, SimpleNamespace
from typing import TypeVar

import pytest
from bs4 import BeautifulSoup
from conftest import CHROMIUM, CHROMIUM_FLAGS, ROOT, ROOTS, sphinx_build
from pypdf import PdfReader
from pypdf.generic import Destination
from sphinx.config import Config
from sphinx.util.tags import Tags

from apparatus.edition import Edition, edition_from_config
from apparatus.pdf import typeset as pdf
from apparatus.taxonomy import BY_SLUG
from apparatus.text import load_text

MODEL = load_text(ROOT / "source" / "article.txt")
T = TypeVar("T")


@pytest.fixture(scope="module")
def registry() -> dict[str, dict]:
    return json.loads((ROOT / "source" / "registry.json").read_text(encoding="utf-8"))["labels"]


# -- reading a PDF -------------------------------------------------------------------------


@dataclass(frozen=True)
class Chunk:
    """A run of text as drawn: its page (0-based), size, and baseline origin in PDF points."""

    page: int
    text: str
    size: float
    x: float
    y: float


def read_once(reading: Callable[..., T]) -> Callable[..., T]:
    """``reading(path, *options)``, done once per file and options for as long as the file is
    unchanged: several tests read the same pages of the same PDF (each note's page, the text's
    pages), and reading a page takes a fifth of a second, the destinations of all one and a half."""
    cached = functools.cache(lambda path, _mtime, _size, *options: reading(path, *options))

    @functools.wraps(reading)
    def read(path: Path, *options: str) -> T:
        found = path.stat()
        return cached(path, found.st_mtime_ns, found.st_size, *options)

    return read


# One reader per file for all the tests: pypdf resolves each object of the file once per reader.
read_pdf = read_once(PdfReader)


def chunks(path: Path) -> tuple[Chunk, ...]:
    """The drawn text, in drawing order."""
    found: list[Chunk] = []
    for number, page in enumerate(read_pdf(path).pages):

        def visit(text, cm, tm, font, size, number=number):
            if text and text != "\n":
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append(Chunk(number, text, round(size, 2), x, y))

        page.extract_text(visitor_text=visit)
    return tuple(found)


@pytest.fixture(scope="session")
def edition_chunks(edition_pdf: Path, made_once: Callable[..., Path]) -> tuple[Chunk, ...]:
    """The edition's drawn text, read once per run: pypdf takes some 4 s over its pages, and the
    tests that read them run in both workers."""

    def make(folder: Path) -> None:
        (folder / "chunks.pickle").write_bytes(pickle.dumps(chunks(edition_pdf)))

    return pickle.loads((made_once("edition-pdf-chunks", make) / "chunks.pickle").read_bytes())


@read_once
def book(pdf_path: Path) -> BeautifulSoup:
    """The HTML that WeasyPrint typeset, kept beside the PDF; tests only read it."""
    return BeautifulSoup(pdf_path.with_suffix(".html").read_text(encoding="utf-8"), "html.parser")


def text_in_size(found: Sequence[Chunk], size: float) -> str:
    """The text drawn in one size, as a reader copies it: lines joined by a space (or by
    nothing after a hyphen), runs of spaces (justification) made single. A space counts
    whatever its size (the space after a call may take the call's)."""
    text, last = "", None
    for chunk in (c for c in found if c.size == size or not c.text.strip()):
        if last is not None and (chunk.page, round(chunk.y)) != last:
            text += "" if text.endswith("-") else " "
        text += chunk.text
        last = (chunk.page, round(chunk.y))
    return re.sub(r"\s+", " ", text)


def note_links(path: Path) -> list[tuple[int, str, list[float]]]:
    """(page, label, rectangle) of every link to a note, in page order."""
    links = []
    for number, page in enumerate(read_pdf(path).pages):
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            destination = str(annotation.get("/Dest", ""))
            if destination.startswith("note-"):
                links.append(
                    (number, destination.removeprefix("note-"), [float(v) for v in annotation["/Rect"]])
                )
    return links


@read_once
def destination_pages(path: Path) -> Mapping[str, int]:
    reader = read_pdf(path)
    return MappingProxyType(
        {
            name: reader.get_destination_page_number(dest)
            for name, dest in reader.named_destinations.items()
            if isinstance(dest, Destination)
        }
    )


def inside(chunk: Chunk, rect: list[float]) -> bool:
    x1, y1, x2, y2 = rect
    return (
        min(x1, x2) - 0.5 <= chunk.x <= max(x1, x2) + 0.5
        and min(y1, y2) - 0.5 <= chunk.y <= max(y1, y2) + 0.5
    )


@read_once
def pdftotext(path: Path, *options: str) -> str:
    done = subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout


# -- the original, word for word ----------------------------------------------------------------


def test_every_paragraph_of_the_original_is_in_the_pdf_in_order_and_unchanged(edition_chunks):
    # Joining lines with single spaces loses nothing only if the original has no other spacing.
    assert all("  " not in p.text and "\n" not in p.text and "\t" not in p.text for p in MODEL.paragraphs)
    found = edition_chunks
    best: list[int] = []
    for size in sorted({chunk.size for chunk in found}):
        text, position, matched = text_in_size(found, size), 0, []
        for paragraph in MODEL.paragraphs:
            at = text.find(paragraph.text, position)
            if at < 0:
                break
            matched.append(paragraph.number)
            position = at + len(paragraph.text)
        best = max(best, matched, key=len)
    missing = [p.number for p in MODEL.paragraphs if p.number not in best]
    assert not missing, f"these paragraphs are not in the PDF word for word, in one size: {missing}"


def test_every_call_is_a_link_to_its_note_set_apart_from_the_text(edition_pdf, edition_chunks, web_notes):
    found = edition_chunks
    pages = destination_pages(edition_pdf)
    starts = [pages[f"p{paragraph.number}"] for paragraph in MODEL.paragraphs]
    text_pages = range(min(starts), max(starts) + 1)
    seen = set()
    for page, label, rect in note_links(edition_pdf):
        if page not in text_pages:
            continue  # links to notes from other pages: the index, the map, the summary
        drawn = [c for c in found if c.page == page and inside(c, rect) and c.text.strip() == label]
        if not drawn:
            continue  # a reference to the note ("n. 4.1"), not its call
        call = drawn[0]
        line = [c for c in found if c.page == page and abs(c.y - call.y) < 6 and c.text.strip() and c != call]
        seen.add(label)
        # Smaller than its line, and after a space: copied text reads "allies 4.1", not "allies4.1".
        assert call.size < max(c.size for c in line), f"call {label} is set in the size of the text"
        assert call.text[0].isspace(), f"call {label} is glued to its word: {call.text!r}"
    assert seen == {label for label, note in web_notes.items() if not note["withdrawn"]}


def test_copied_text_never_glues_a_call_to_a_word(edition_pdf, web_notes):
    pages = destination_pages(edition_pdf)
    starts = [pages[f"p{p.number}"] for p in MODEL.paragraphs]
    for page in range(min(starts), max(starts) + 1):
        copied = pdftotext(edition_pdf, "-f", str(page + 1), "-l", str(page + 1))
        for label in web_notes:
            glued = re.search(rf"[^\s\d.(]{re.escape(label)}(?![\d.])", copied)
            assert glued is None, f"page {page + 1}: {glued.group(0)!r}"


def test_no_line_break_adds_a_hyphen(edition_pdf):
    # Automatic hyphenation would add U+2010 (or a soft hyphen) that copied text keeps.
    copied = pdftotext(edition_pdf)
    assert "\u00ad" not in copied and "\u2010" not in copied


# -- the notes, as footnotes --------------------------------------------------------------------


def test_each_note_is_a_footnote_on_the_page_of_its_call(edition_pdf, web_notes):
    pages = destination_pages(edition_pdf)
    for label, note in web_notes.items():
        if not note["withdrawn"]:
            assert pages[f"note-{label}"] == pages[f"call-{label}"], (
                f"note {label} is not on the page of its call"
            )


def text_pages(path: Path) -> range:
    """The pages (0-based) of the article's text and of its notes."""
    pages = destination_pages(path)
    first = pages[f"p{MODEL.paragraphs[0].number}"]
    return range(first, max(page for name, page in pages.items() if name.startswith("note-")) + 1)


def test_the_text_with_its_notes_takes_at_most_five_pages(edition_pdf):
    assert len(text_pages(edition_pdf)) <= 5


def test_no_text_page_but_the_last_has_a_wide_blank_band_between_text_and_notes(edition_pdf, edition_chunks):
    """The band between the last line of text and the first note, against the page's type
    (top of its first line of text to the foot of its last note), at most 15 %."""
    pages = text_pages(edition_pdf)
    drawn = [c for c in edition_chunks if c.page in pages and c.text.strip()]
    text_size, note_size = text_and_note_sizes(drawn)
    for page in pages[:-1]:
        text = sorted({round(c.y, 1) for c in drawn if c.page == page and c.size == text_size})
        notes = sorted({round(c.y, 1) for c in drawn if c.page == page and c.size == note_size})
        assert len(text) > 1 and len(notes) > 1, f"page {page + 1} lacks text or notes"
        text_line, note_line = text[-1] - text[-2], min(b - a for a, b in itertools.pairwise(notes))
        type_area = text[-1] + text_line - notes[0]
        band = text[0] - notes[-1] - note_line
        assert band / type_area <= 0.15, f"page {page + 1}: a blank band of {band / type_area:.0%}"


# The page's margins in pdf.css: its running heads above the type area, its number below.
TOP_MARGIN_MM = BOTTOM_MARGIN_MM = 12
POINTS_PER_MM = 72 / 25.4


def test_no_numbered_page_but_the_last_holds_less_than_a_fifth_of_its_type_area(edition_pdf, edition_chunks):
    """Where a document ends with a few lines on a page of their own (the introduction once left
    two list items alone on p. 5), the next document follows them on that page."""
    height = float(read_pdf(edition_pdf).pages[0].mediabox.height)
    top, bottom = height - TOP_MARGIN_MM * POINTS_PER_MM, BOTTOM_MARGIN_MM * POINTS_PER_MM
    drawn = [c for c in edition_chunks if c.text.strip()]
    numbered = sorted({c.page for c in drawn if c.y < bottom})
    for page in numbered[:-1]:
        body = [c for c in drawn if c.page == page and bottom < c.y < top]
        held = (max(c.y + c.size for c in body) - min(c.y for c in body)) / (top - bottom)
        assert held >= 0.2, f"page {page + 1} holds {held:.0%} of its type area"


def document_pages(tail_mm: int, kind: str = "") -> tuple[int, int]:
    """The pages where two documents start, the first with a tail of tail_mm on its second
    page, in paragraphs of the class ``kind``."""
    first = f'<p class="{kind}" style="height: 240mm; break-inside: avoid"></p>' + (
        f'<p class="{kind}" style="height: {tail_mm}mm; break-inside: avoid"></p>'
    )
    html = (
        '<html lang="en"><body>'
        f'<div class="ed-document" id="document-a"><h2>A</h2>{first}</div>'
        '<div class="ed-document" id="document-b"><h2>B</h2><p>Text.</p></div></body></html>'
    )
    pages = pdf.anchor_pages(pdf.typeset(html, ROOTS))
    return pages["document-a"], pages["document-b"]


def test_a_document_follows_the_short_tail_of_the_one_before_on_its_page():
    assert document_pages(30) == (1, 2)  # 30 mm of a type area of 273 mm
    assert document_pages(100) == (1, 3)  # a page of its own for a document after a longer tail
    assert document_pages(30, "ed-text") == (1, 3)  # the text of the edition keeps its own pages


def test_no_line_of_the_text_or_its_notes_is_spread_out_over_the_measure(edition_pdf):
    """A justified line of a word or two spread out over the whole measure (as WeasyPrint 70
    set a text that fitted but for its trailing space) shows, laid out as text, as a gap of
    many spaces between two words; the running head, the first line of a page, has one."""
    for page in text_pages(edition_pdf):
        number = str(page + 1)
        lines = pdftotext(edition_pdf, "-layout", "-f", number, "-l", number).splitlines()[1:]
        spread = [line.strip() for line in lines if re.search(r"\S {6,}\S", line)]
        assert not spread, f"page {number}: {spread}"


def text_and_note_sizes(drawn: list[Chunk]) -> tuple[float, float]:
    """The size of the article's text and that of the notes, on the text pages."""
    sizes: dict[float, int] = {}
    for chunk in drawn:
        sizes[chunk.size] = sizes.get(chunk.size, 0) + len(chunk.text)
    note_size = max(sizes, key=sizes.__getitem__)  # the notes have the most words
    return max((s for s in sizes if s > note_size * 1.2), key=sizes.__getitem__), note_size


def text_lines_by_page(path: Path, found: Sequence[Chunk]) -> list[list[bool]]:
    """The lines of the article's text on each text page, top down: whether each begins a
    paragraph (its number stands in the margin beside it). ``found``: the file's chunks."""
    pages = text_pages(path)
    drawn = [c for c in found if c.page in pages and c.text.strip()]
    text_size, _ = text_and_note_sizes(drawn)
    numbers = [c for c in drawn if c.text.startswith("¶") and c.x < 60]
    found = []
    for page in pages:
        baselines = sorted(
            {round(c.y, 1) for c in drawn if c.page == page and c.size == text_size}, reverse=True
        )
        starts = [n.y for n in numbers if n.page == page]
        found.append([any(abs(y - start) < 3 for start in starts) for y in baselines])
    return found


def test_every_page_break_in_the_text_leaves_two_lines_of_its_paragraph_on_each_side(
    edition_pdf, edition_chunks
):
    pages = text_lines_by_page(edition_pdf, edition_chunks)
    assert sum(map(len, pages)) > 40 and sum(map(sum, pages)) == len(MODEL.paragraphs)
    first = text_pages(edition_pdf)[0] + 1
    for number, (page, following) in enumerate(itertools.pairwise(pages), start=first):
        if following[0]:
            continue  # the next page begins a paragraph
        last_start = max(i for i, starts in enumerate(page) if starts)
        continued = following.index(True) if True in following else len(following)
        assert len(page) - last_start >= 2, f"page {number}: one line of a paragraph before the break"
        assert continued >= 2, f"page {number + 1}: one line of a paragraph after the break"


def test_a_short_table_stands_on_one_page(edition_pdf):
    """The table of the categories, with its header, is on one page: each row's category and
    the label of its example note."""
    table = book(edition_pdf).select_one('[id="document-source/principles"] table')
    assert table is not None and "ed-short" in table["class"]
    rows = [[cell.get_text() for cell in row.select("th, td")] for row in table.select("tbody tr")]
    marks = [(row[0].split()[0], "n. " + re.search(r"n\.\s(\d+\.\d+)", row[-1]).group(1)) for row in rows]
    pages = [re.sub(r"\s+", " ", page) for page in pdftotext(edition_pdf).split("\f")]
    holding = [n for n, page in enumerate(pages) if all(a in page and b in page for a, b in marks)]
    assert len(marks) > 10 and holding, "the rows of the categories table are not all on one page"


def printed_urls(path: Path) -> list[str]:
    """The URLs the PDF prints: the text of its external links that is a URL."""
    marks = str.maketrans("", "", pdf.BREAK + pdf.BOND)
    urls = [link.get_text().translate(marks) for link in book(path).select("a.reference.external")]
    return [url for url in urls if url.startswith(("http://", "https://"))]


def test_a_span_the_stylesheet_does_not_style_is_left_out_and_its_text_kept(edition_pdf):
    """Each span costs WeasyPrint a box and a style: only those that pdf.css styles or that a
    link points at are written (the listings' quotations are spans on the web only)."""
    assert "ed-quoted" not in pdf.styled_classes() and "ed-lemma-quote" in pdf.styled_classes()
    typeset = book(edition_pdf)
    assert not typeset.select("span.ed-quoted") and typeset.select("span.ed-lemma-quote")
    index = typeset.select_one('[id="document-source/note-index"]').get_text()
    assert "“prevent the Russians from retaliating against the annexation of Crimea”" in index


def test_code_is_set_without_the_spans_of_its_highlighting(edition_pdf):
    blocks = book(edition_pdf).select("div.highlight pre")
    assert len(blocks) > 5 and not [span for block in blocks for span in block.select("span[class]")]
    assert any(block.get_text().startswith("@incollection{") for block in blocks)


def test_a_url_may_break_after_a_slash_or_before_its_punctuation_and_never_after_a_hyphen():
    html = "<p>See https://ex.org/a-b/c.html?x=1, then &lt;more&gt;.</p>"
    marked = pdf.breakable_urls(html).replace(pdf.BREAK, "|").replace(pdf.BOND, "+")
    assert marked == "<p>See https://|ex|.org/|a|-+b/|c|.html|?x|=1, then &lt;more&gt;.</p>"


def test_a_url_never_breaks_after_a_hyphen_of_its_own(edition_pdf):
    """A URL broken after one of its hyphens reads as a word hyphenated, and tools that copy
    the text drop that hyphen (pdftotext does): every printed URL must come back whole from
    the copied text, lines joined."""
    urls = printed_urls(edition_pdf)
    assert len(urls) > 20 and any("-" in url for url in urls)
    copied = pdftotext(edition_pdf).replace("\n", "")
    broken = [url for url in urls if url not in copied]
    assert not broken, broken
    typeset = book(edition_pdf).get_text()
    # The breaks and bonds are there, and add no character to the copied text.
    assert "\u200b" in typeset and "\u2060" in typeset
    assert "\u200b" not in copied and "\u2060" not in copied


def test_no_backslash_before_a_dollar_on_the_web_or_in_the_pdf(edition_pdf, edition_html):
    bibliography = (edition_html / "source" / "bibliography.html").read_text(encoding="utf-8")
    copied = pdftotext(edition_pdf)
    assert "US$" in copied and "US$" in bibliography
    assert "\\$" not in copied and "\\$" not in bibliography


def test_the_map_of_contradictions_has_a_legend_on_the_web_and_its_pairs_in_the_pdf(
    edition_pdf, edition_html
):
    findings = BeautifulSoup(
        (edition_html / "source" / "findings.html").read_text(encoding="utf-8"), "html.parser"
    )
    legend = " ".join(text.get_text() for text in findings.select("svg.ed-map-svg .ed-map-legend text"))
    assert "a note on a contradiction" in legend and "another category" in legend and "conflict" in legend
    dashed = findings.select("svg.ed-map-svg .ed-map-legend rect[stroke-dasharray]")
    assert len(dashed) == 1, "the legend shows the dashed box"
    pairs = [re.sub(r"\s+", " ", item.get_text()).strip() for item in findings.select(".ed-map-list li")]
    copied = re.sub(r"\s+", " ", pdftotext(edition_pdf))
    assert "The map is drawn in the online edition" in copied
    missing = [pair for pair in pairs if pair.split(" (")[0] not in copied]
    assert pairs and not missing
    typeset = edition_pdf.with_suffix(".html").read_text(encoding="utf-8")
    assert "ed-map-svg" not in typeset, "the drawing is left to the web"


@pytest.fixture(scope="module")
def web_notes(edition_html) -> dict[str, dict]:
    """Each note of the web edition: category, and whether it is withdrawn."""
    page = BeautifulSoup((edition_html / "source" / "text.html").read_text(encoding="utf-8"), "html.parser")
    return {
        aside["id"].removeprefix("note-"): {
            "category": aside["data-category"],
            "withdrawn": "ed-withdrawn" in aside["class"],
        }
        for aside in page.select("aside.ed-note")
    }


def test_each_footnote_has_the_web_label_its_category_and_its_lemma(edition_pdf, registry, web_notes):
    pages = destination_pages(edition_pdf)
    called = {label for label, note in web_notes.items() if not note["withdrawn"]}
    assert called and called <= set(registry)
    for label in called:
        page = pages[f"note-{label}"] + 1
        text = re.sub(r"\s+", " ", pdftotext(edition_pdf, "-f", str(page), "-l", str(page)))
        head = f"{label} {BY_SLUG[web_notes[label]['category']].name}. {registry[label]['lemma']}]"
        assert head in text, f"page {page} lacks the head of note {label}: {head!r}"


def test_related_notes_link_to_each_other_inside_the_pdf(edition_pdf):
    pages = destination_pages(edition_pdf)
    links = note_links(edition_pdf)
    targets = {label for _, label, _ in links}
    assert targets and all(f"note-{label}" in pages for label in targets)


NOTE_AND_PAGE = re.compile(r"n\.\s(\d+\.\d+)(?:,\s|\s\()p\.\s(\d+)")
PAGE_AND_NOTE = re.compile(r"p\.\s(\d+), note (\d+\.\d+)")  # How to cite's example


def test_every_page_a_note_refers_to_is_the_page_of_that_note(edition_pdf):
    """ "n. 2.11, p. 9" and "n. 1.4 (p. 8)": the numbers are set while the pages are laid out,
    some before the page they name (pagenumbers.py); each must be the page the note is on. So
    must How to cite's example of a citation with its page ("p. 9, note 4.3")."""
    pages = destination_pages(edition_pdf)
    shown, examples = [], []
    for number, page_text in enumerate(pdftotext(edition_pdf).split("\f"), start=1):
        text = re.sub(r"\s+", " ", page_text)
        shown += [(number, label, int(page)) for label, page in NOTE_AND_PAGE.findall(text)]
        examples += [(number, label, int(page)) for page, label in PAGE_AND_NOTE.findall(text)]
    wrong = [(on, label, page) for on, label, page in shown + examples if pages[f"note-{label}"] + 1 != page]
    assert len(shown) > 100 and examples and not wrong, wrong


# -- a tagged, described, self-contained file --------------------------------------------------


def edition_statement() -> Edition:
    """The edition statement of conf.py, as every output reads it."""
    raw = Config.read(ROOT, overrides={}, tags=Tags())._raw_config
    names = ("project", "author", "release", "language", "html_baseurl", "apparatus_edition")
    return edition_from_config(
        SimpleNamespace(apparatus_pdf_name="edition.pdf", **{n: raw.get(n) for n in names})
    )


def test_the_title_page_and_imprint_name_a_body_as_a_sentence_does(edition_pdf):
    """ "Edited by the Editorial Board of ...": the body's ``in_text`` form in the sentences of
    the title page and the imprint; its name alone in the metadata and the citations."""
    body = edition_statement().editors[0]
    assert body.body and body.in_text and body.in_text != body.display
    front = re.sub(r"\s+", " ", pdftotext(edition_pdf, "-l", "2"))
    assert front.count(f"Edited by {body.in_text}") == 2 and f"Published by {body.in_text}." in front
    assert f"by {body.display}" not in front
    assert read_pdf(edition_pdf).metadata.author == body.display


def test_the_pdf_is_tagged_with_language_title_and_the_edition_metadata(edition_pdf):
    reader = read_pdf(edition_pdf)
    catalog = reader.trailer["/Root"]
    edition = edition_statement()
    assert catalog["/MarkInfo"]["/Marked"] in (True, "true") and "/StructTreeRoot" in catalog
    assert str(catalog["/Lang"]) == edition.language
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] in (True, "true")
    info = reader.metadata
    assert info.title == edition.title
    assert info.author == ", ".join(name.display for name in edition.editors)
    assert info.subject == edition.subject
    assert info["/Keywords"] == ", ".join(edition.keywords)
    assert info["/CreationDate"] == info["/ModDate"]
    assert info["/CreationDate"].startswith("D:" + edition.date.replace("-", ""))
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part(>|=\")1", xmp) and edition.title in xmp


def test_every_page_is_tagged_and_every_link_is_described(edition_pdf):
    reader = read_pdf(edition_pdf)
    for number, page in enumerate(reader.pages, start=1):
        assert "/StructParents" in page, f"page {number} is not in the structure tree"
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            assert "/StructParent" in annotation and str(annotation.get("/Contents", "")).strip()
            destination = str(annotation.get("/Dest", ""))
            if destination.startswith("note-"):
                assert str(annotation["/Contents"]) == f"Note {destination.removeprefix('note-')}"


# The checker's heading rule cannot read headings whose content is an array (with pikepdf 10):
# the test checks that property itself, below.
CHECKER_CANNOT_RUN = {"UA-14-001"}


def test_the_pdfua_checker_finds_nothing(edition_pdf):
    done = subprocess.run(
        [str(Path(sys.executable).parent / "pdfua"), "check", "--format", "json", str(edition_pdf)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    report = json.loads(done.stdout)
    assert report["summary"]["errors"] == 0 and report["summary"]["warnings"] == 0, report["findings"]
    assert report["findings"] == [] and done.returncode == 0
    assert {rule["rule_id"] for rule in report["skipped"]} <= CHECKER_CANNOT_RUN, report["skipped"]


def test_no_heading_of_the_structure_tree_is_empty(edition_pdf):
    def marks_content(kid: object) -> bool:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, int):
            return True  # a marked-content id: text on a page
        if isinstance(kid, list):
            return any(marks_content(item) for item in kid)
        if isinstance(kid, dict) and "/MCID" in kid:
            return True  # a marked-content reference
        return isinstance(kid, dict) and "/K" in kid and marks_content(kid["/K"])

    headings = []

    def walk(element: object) -> None:
        element = element.get_object() if hasattr(element, "get_object") else element
        if isinstance(element, list):
            for item in element:
                walk(item)
        elif isinstance(element, dict) and "/K" in element:
            if re.fullmatch(r"/H[1-6]", str(element.get("/S", ""))):
                headings.append(element)
            walk(element["/K"])

    walk(read_pdf(edition_pdf).trailer["/Root"]["/StructTreeRoot"])
    assert len(headings) > 10 and all(marks_content(heading["/K"]) for heading in headings)


def test_every_font_is_embedded(edition_pdf):
    listing = subprocess.run(
        ["pdffonts", str(edition_pdf)], capture_output=True, text=True, check=True
    ).stdout
    rows = listing.splitlines()[2:]
    assert rows and all(re.search(r"\byes\b", row.split()[-5]) for row in rows), listing


def test_every_document_of_the_toctree_has_a_bookmark(edition_pdf, edition_html):
    reader = read_pdf(edition_pdf)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    home = BeautifulSoup((edition_html / "index.html").read_text(encoding="utf-8"), "html.parser")
    documents = [a["href"] for a in home.select("article li.toctree-l1 > a.reference.internal")]
    assert documents
    for href in documents:
        page = BeautifulSoup((edition_html / href).read_text(encoding="utf-8"), "html.parser")
        heading = page.select_one("article h1")
        for permalink in heading.select(".headerlink"):
            permalink.decompose()
        assert heading.get_text(strip=True) in titles, f"no bookmark for {href}: {titles}"
    assert MODEL.title in titles[titles.index("Contents") :]  # the text, after the front matter


# -- reproducible ----------------------------------------------------------------------------------


def test_two_builds_of_the_same_sources_give_the_same_bytes(request, tmp_path):
    again = tmp_path / "pdf"
    done = sphinx_build(ROOT, again, "editionpdf", "-d", str(tmp_path / "doctrees"))
    assert done.returncode == 0, done.stderr
    # The first build is asked for only now: this test's own build, some 8 s on one core, then
    # runs early in the run (see pytest_collection_modifyitems), not at its end.
    assert (again / "edition.pdf").read_bytes() == request.getfixturevalue("edition_pdf").read_bytes()


# -- the mechanics, on a small project -------------------------------------------------------------


@pytest.fixture(scope="session")
def small(built_once) -> Path:
    return built_once("small-pdf", ROOTS / "test-pdf", "editionpdf")


def composed(outdir: Path) -> BeautifulSoup:
    return BeautifulSoup((outdir / "edition.html").read_text(encoding="utf-8"), "html.parser")


def test_calls_that_stand_together_are_followed_by_their_notes_in_label_order(small):
    paragraph = composed(small).find(id="p1").select_one("p.ed-text")
    order = [(el.name, el.get("id")) for el in paragraph.select("a.ed-call, span.ed-footnote")]
    calls = [i for name, i in order if name == "a"]
    notes = [i for name, i in order if name == "span"]
    assert calls == ["call-1.1", "call-1.2", "call-1.3", "call-1.4"]
    assert notes == ["note-1.1", "note-1.2", "note-1.3", "note-1.4"]
    # 1.2 and 1.3 mark the same words: both calls come first, then both notes.
    assert order.index(("a", "call-1.3")) < order.index(("span", "note-1.2"))


def test_a_footnote_holds_only_inline_markup_and_starts_with_label_category_lemma(small):
    for footnote in composed(small).select("span.ed-footnote"):
        assert not footnote.find(["p", "div", "ul", "ol", "li", "table", "pre", "blockquote", "aside"])
    note = composed(small).find(id="note-1.3")
    assert re.sub(r"\s+", " ", note.get_text()).startswith("1.3 Factual error. The dog sat on the cat] Dogs")
    assert [item.get_text(strip=True) for item in note.select(".ed-fn-list_item")] == [
        "cats move;",
        "dogs are heavy.",
    ]


def test_a_withdrawn_note_has_no_footnote_and_stays_listed(small):
    page = composed(small)
    assert page.select_one("span.ed-footnote#note-2\\.2") is None
    assert page.select_one("section#notes aside#note-2\\.2") is not None
    assert page.select_one("section#notes aside#note-2\\.1") is None


def test_a_note_too_long_for_the_foot_of_a_page_continues_after_the_text(tmp_path):
    done = sphinx_build(ROOTS / "test-pdf", tmp_path, "editionpdf", "-D", "apparatus_pdf_long_note=30")
    assert done.returncode == 0, done.stderr
    page = composed(tmp_path)
    head, whole = page.find(id="note-1.1"), page.find(id="note-1.1-continued")
    assert "Which mat?" not in head.get_text() and "Which mat?" in whole.get_text()
    assert head.select_one(".ed-continued a")["href"] == "#note-1.1-continued"
    assert whole.find_parent("section", id="notes") is not None
    assert "Which one?" in page.find(id="note-2.1").get_text()  # short enough to stay whole
    pages = destination_pages(tmp_path / "edition.pdf")
    assert pages["note-1.1"] == pages["call-1.1"]
    text = re.sub(r"\s+", " ", pdftotext(tmp_path / "edition.pdf"))
    assert f"sat on the mat] the note continues after the text, p. {pages['note-1.1-continued'] + 1}" in text


def test_a_long_note_keeps_its_whole_text_in_an_edition_without_withdrawn_notes(built_once):
    outdir = built_once("long-note-pdf", ROOTS / "test-pdf-long", "editionpdf")
    whole = composed(outdir).find(id="note-1.1-continued")
    assert whole is not None and whole.find_parent("section", id="notes") is not None
    pages = destination_pages(outdir / "edition.pdf")
    text = re.sub(r"\s+", " ", pdftotext(outdir / "edition.pdf"))
    assert "Which mat? The text never says, and the note goes on to say so at length." in text
    assert f"the note continues after the text, p. {pages['note-1.1-continued'] + 1}" in text


def test_ids_are_unique_and_every_internal_link_has_its_target(small):
    page = composed(small)
    ids = [element["id"] for element in page.select("[id]")]
    assert len(ids) == len(set(ids))
    for link in page.select('a[href^="#"]'):
        assert link["href"][1:] in ids, link


def test_the_small_pdf_has_title_page_contents_and_the_edition_statement(small):
    text = pdftotext(small / "edition.pdf")
    first = text.split("\f")[0]
    assert "The Cat Text" in first and "A critical edition" in first
    assert "Edited by Jane Doe and Richard Roe" in first and "Version 2.1 · 4 March 2025" in first
    assert "An anonymous fable" in first  # the original's description as written
    imprint = re.sub(r"\s+", " ", text.split("\f")[1])
    assert (
        "Licence: Creative Commons Attribution 4.0 International (CC BY 4.0), "
        "https://creativecommons.org/licenses/by/4.0/." in imprint
    )
    # The example of a citation is this edition's own first note.
    assert "cite a note by its label, e.g. “note 1.1”, the first note on paragraph 1." in imprint
    contents = text.split("\f")[2]
    assert re.search(r"Introduction[ .]*4", contents) and re.search(r"Afterword[ .]*6", contents)
    reader = read_pdf(small / "edition.pdf")
    assert [item.title for item in reader.outline if not isinstance(item, list)] == [
        "Title page",
        "Contents",
        "Introduction",
        "The Cat Text",
        "Afterword",
    ]


# Run in a process of its own, with one thread, as a build runs: the test process has others,
# where the typesetter does not fork.
TYPESETTING = """
import json, os, sys
from pathlib import Path
from apparatus.pdf.typesetter import Typesetter, TypesettingError, typeset_pdf

folder = Path(sys.argv[1])
html = ('<html lang="en"><head><style>p { colr: red }</style></head><body>'
        '<p>One page.</p><p style="break-before: page">Two pages.</p></body></html>')
forked = Typesetter()
child = forked.pid
done = forked.typeset(html, folder, folder / "forked.pdf")
reaped = not os.path.exists(f"/proc/{child}")
here = typeset_pdf(html, folder, folder / "here.pdf")

def error_of(typesetter, target):
    try:
        typesetter.typeset(html, folder, target)
    except TypesettingError as error:
        return str(error)
    return ""

failure = error_of(Typesetter(), folder / "missing" / "failed.pdf")
unused = Typesetter()
idle = unused.pid
unused.close()
killed = Typesetter()
os.kill(killed.pid, 9)
lost = error_of(killed, folder / "killed.pdf")
print(json.dumps({
    "child": child, "reaped": reaped, "pages": done.pages, "warnings": done.warnings,
    "same": done == here and (folder / "forked.pdf").read_bytes() == (folder / "here.pdf").read_bytes(),
    "failure": failure, "idle": idle, "stopped": not unused.pid and not os.path.exists(f"/proc/{idle}"),
    "lost": lost,
}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the typesetter forks on Linux only")
def test_the_pdf_is_typeset_in_a_process_forked_as_the_build_starts(tmp_path):
    """The forked process gives what the builder's own would, WeasyPrint's warnings included,
    reports a failure with its traceback, and ends with the build, asked or not; a process that
    ends without answering is reported."""
    done = subprocess.run(
        [sys.executable, "-c", TYPESETTING, str(tmp_path)], capture_output=True, text=True, check=True
    )
    report = json.loads(done.stdout)
    assert report["child"] and report["reaped"] and report["pages"] == 2 and report["same"]
    assert any("colr" in warning for warning in report["warnings"]), report["warnings"]
    assert "FileNotFoundError" in report["failure"] and "failed.pdf" in report["failure"]
    assert report["idle"] and report["stopped"]
    assert "ended without a result" in report["lost"]
    assert not done.stderr


def test_layout_checks_report_calls_cut_off_and_lines_out_of_the_text():
    body = (
        '<p class="ed-text">Word<br><a class="ed-call" id="call-1.1" href="#note-1.1">\u202f1.1</a>'
        '<span class="ed-footnote" id="note-1.1">A note.</span> and '
        f'<span style="white-space: nowrap">{"x" * 200}</span></p>'
    )
    document = pdf.typeset(f'<html lang="en"><body>{body}</body></html>', ROOTS)
    problems = pdf.check_layout(document)
    assert any("note call begins a line" in problem for problem in problems)
    assert any("runs into the margin" in problem for problem in problems)
    fine = pdf.typeset('<html lang="en"><body><p class="ed-text">Word.</p></body></html>', ROOTS)
    assert pdf.check_layout(fine) == []


def test_inline_svg_styles_are_restated_in_terms_weasyprint_knows():
    html = (
        '<p style="color: var(--x, red); font: 9px serif"></p>'
        "<svg><style>.a{fill:var(--c, #fff)}.b{font:bold 13px/1 sans-serif}</style></svg>"
    )
    assert pdf.svg_for_weasyprint(html) == (
        '<p style="color: var(--x, red); font: 9px serif"></p>'
        "<svg><style>.a{fill:#fff}.b{font-size:13px;font-family:sans-serif;font-weight:bold}</style></svg>"
    )


# -- author-date citations --------------------------------------------------------------------------


def test_each_author_date_label_names_one_source_on_the_web_and_in_the_pdf(edition_html, edition_pdf):
    sources: dict[str, set[str]] = {}
    for page in edition_html.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.select('a.reference.internal[href*="#ref-"]'):
            label = re.sub(r"\s+", " ", link.get_text()).strip()
            sources.setdefault(label, set()).add(link["href"].split("#")[-1])
    shared = {label: targets for label, targets in sources.items() if len(targets) > 1}
    assert sources and not shared, shared
    # The two documents of the Security Council of 2014, in the PDF as on the web.
    copied = re.sub(r"\s+", " ", pdftotext(edition_pdf))
    assert "United Nations Security Council, 2014a" in copied
    assert "United Nations Security Council, 2014b" in copied


# -- the web edition ------------------------------------------------------------------------------


def test_every_web_page_links_to_the_pdf_at_the_root_of_the_site(edition_html):
    for page in edition_html.rglob("*.html"):
        link = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("nav.ed-download a")
        assert link is not None and link.get_text() == "Download PDF", page
        assert (page.parent / link["href"]).resolve() == (edition_html / "edition.pdf").resolve(), page


def test_make_edition_puts_the_pdf_into_the_site(tmp_path):
    plan = subprocess.run(
        ["make", "-n", "edition", f"BUILDDIR={tmp_path}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pdf, html = plan.index(" -b editionpdf "), plan.index(" -b html ")
    copy = plan.index(f"cp {tmp_path}/pdf/*.pdf {tmp_path}/html.staging/")
    published = plan.index(f"mv {tmp_path}/html.staging {tmp_path}/html")
    assert pdf < html < copy < published  # the PDF first, and in the site before it is published


def test_a_printed_web_page_has_the_text_and_notes_without_the_site_around_them(edition_html, tmp_path):
    printed = tmp_path / "text.pdf"
    subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, "--no-pdf-header-footer", f"--print-to-pdf={printed}",
         (edition_html / "source" / "text.html").as_uri()],
        capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    text = re.sub(r"\s+", " ", pdftotext(printed))
    assert "Western policymakers must avoid the common mistake" in text and "Notes" in text
    for furniture in ("Download PDF", "Skip to content", "Back to top"):
        assert furniture not in text, furniture
