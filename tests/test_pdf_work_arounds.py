"""The work-arounds that make typesetting faster give what WeasyPrint and its parser give
without them: the same tree, the same pages."""

from __future__ import annotations

import contextlib
import inspect
import re
import subprocess
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import tostring

import pytest
import weasyprint
from conftest import ROOTS
from tinyhtml5 import inputstream

from apparatus.pdf import patches, typeset, writing
from apparatus.pdf.parsing import FILED_AMISS, _Patterns

WORDS = (
    "The two countries share a long border and a wary history, and each reads the other's "
    "intentions through the record of treaties, disputes and visits that the article recalls. "
)


def note(label: str, refers_to: str) -> str:
    return (
        f'<a class="ed-call" id="call-{label}" href="#note-{label}"> {label}</a>'
        f'<span class="ed-footnote" id="note-{label}"><a class="ed-fn-label" href="#call-{label}">'
        f"{label}</a> A note that refers to "
        f'<a class="reference internal" href="#note-{refers_to}">n. {refers_to}</a>.</span>'
    )


def text_with_forward_references(paragraphs: int = 12) -> str:
    """A text of several pages whose notes each refer to a note two paragraphs on, mostly on a
    later page: every such reference shows a page known only once its page is laid out."""
    pars = []
    for number in range(1, paragraphs + 1):
        later = f"{min(number + 2, paragraphs)}.1"
        pars.append(
            f'<div class="ed-par" id="p{number}"><span class="ed-parnum">¶{number}</span>'
            f'<p class="ed-text">{WORDS * 3}{note(f"{number}.1", later)} {WORDS * 2}</p></div>'
        )
    body = '<div class="ed-document" id="document-text"><section><h2>Text</h2>' + "".join(pars)
    return f'<html lang="en"><body>{body}</section></div></body></html>'


def pages_as_png(path: Path, folder: Path) -> list[bytes]:
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(folder / "page")], check=True)
    return [page.read_bytes() for page in sorted(folder.glob("page-*.png"))]


def calls(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[Any]:
    """The first argument of each call of ``owner.name`` from now on."""
    called = []
    function = getattr(owner, name)

    def counted(first: Any, *args: Any, **kwargs: Any) -> Any:
        called.append(first)
        return function(first, *args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return called


def pdf_of(
    html: str, monkeypatch: pytest.MonkeyPatch, without: tuple[str, ...] = (), module: Any = patches
) -> bytes:
    """The file of ``html``, typeset without the work-arounds named (of ``module``)."""
    for name in without:
        monkeypatch.setattr(module, name, contextlib.nullcontext)
    pdf = typeset.write(typeset.typeset(html, ROOTS), None)
    assert pdf is not None
    return pdf


def typeset_counting(html: str, target: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """The PDF of ``html`` written to ``target``; the pages laid out, and the notes laid out
    again in place."""
    from weasyprint.layout import page

    made, in_place = [], []
    remake_page, lay_out_again = page.remake_page, patches._in_place

    def counted(*args, **kwargs):
        made.append(args[0])
        return remake_page(*args, **kwargs)

    def counted_in_place(*args, **kwargs):
        done = lay_out_again(*args, **kwargs)
        in_place.append(done)
        return done

    monkeypatch.setattr(page, "remake_page", counted)
    monkeypatch.setattr(patches, "_in_place", counted_in_place)
    typeset.write(typeset.typeset(html, ROOTS), target)
    return len(made), sum(in_place)


def test_a_note_whose_page_number_changes_is_laid_out_again_in_place(tmp_path, monkeypatch):
    """Where a note's reference to a later page shows its number only once that page is laid
    out, the note alone is laid out again in its place, not its whole page: the same pages as
    when WeasyPrint lays out the page again, pixel for pixel, with fewer pages laid out."""
    html = text_with_forward_references()
    fast, slow = tmp_path / "in-place.pdf", tmp_path / "pages-again.pdf"
    pages_made, notes_in_place = typeset_counting(html, fast, monkeypatch)
    monkeypatch.setattr(patches, "_notes_laid_out_again", lambda *args: False)
    pages_made_again, none = typeset_counting(html, slow, monkeypatch)
    fast_pages, slow_pages = pages_as_png(fast, tmp_path / "fast"), pages_as_png(slow, tmp_path / "slow")
    assert len(fast_pages) >= 3
    assert fast_pages == slow_pages
    assert notes_in_place >= 3 and none == 0
    assert pages_made == len(fast_pages) < pages_made_again
    shown = subprocess.run(["pdftotext", str(fast), "-"], capture_output=True, text=True, check=True).stdout
    assert (
        shown
        == subprocess.run(["pdftotext", str(slow), "-"], capture_output=True, text=True, check=True).stdout
    )
    assert {"2", "3"} <= set(re.findall(r", p\.\s(\d+)\.", shown))  # the pages of later notes


def test_a_note_laid_out_again_to_another_height_has_its_page_laid_out_again(tmp_path, monkeypatch):
    """A note whose new layout would not fit its place leaves its page to be laid out again,
    with that new layout: the same pages as when WeasyPrint lays out the page again."""
    html = text_with_forward_references()
    layouts = []
    laid_out_again = patches._laid_out_again

    def laid_out_to_another_height(context, note):
        height, laid_out = laid_out_again(context, note)
        layouts.append(laid_out)
        return height + 1, laid_out

    monkeypatch.setattr(patches, "_laid_out_again", laid_out_to_another_height)
    refused, pages_again = tmp_path / "refused.pdf", tmp_path / "pages-again.pdf"
    pages_made, in_place = typeset_counting(html, refused, monkeypatch)
    monkeypatch.setattr(patches, "_notes_laid_out_again", lambda *args: False)
    typeset.write(typeset.typeset(html, ROOTS), pages_again)
    refused_pages = pages_as_png(refused, tmp_path / "refused")
    assert layouts and in_place == 0 and pages_made > len(refused_pages)
    assert refused_pages == pages_as_png(pages_again, tmp_path / "again")


def test_a_text_drawn_from_the_layout_it_was_measured_with_gives_the_same_bytes(monkeypatch):
    """The texts' Pango layouts are kept from the layout of the pages to their drawing, where
    WeasyPrint makes each anew: the same bytes, justified lines included, with far fewer
    layouts made."""
    from weasyprint.text.line_break import Layout

    html = text_with_forward_references()
    made = calls(monkeypatch, Layout, "setup")
    kept = pdf_of(html, monkeypatch)
    kept_layouts = len(made)
    made.clear()
    anew = pdf_of(html, monkeypatch, without=("_text_layouts_kept", "_kept_text_layouts_drawn"))
    assert kept == anew
    assert kept_layouts < len(made) * 0.8


def test_the_parser_makes_each_pattern_once_and_the_same_tree(monkeypatch):
    """tinyhtml5 2.1 makes its tokenizer's patterns anew on every call (its cache files them
    amiss); parsed with the work-around, the edition's kind of HTML gives the same tree."""
    assert FILED_AMISS in inspect.getsource(inputstream.HTMLUnicodeInputStream.chars_until)
    html = text_with_forward_references(paragraphs=30)
    made, asked = [], []
    missing, get = _Patterns.__missing__, _Patterns.__getitem__

    def counted_missing(self, key):
        made.append(key)
        return missing(self, key)

    def counted_get(self, key):
        asked.append(key)
        return get(self, key)

    monkeypatch.setattr(_Patterns, "__missing__", counted_missing)
    monkeypatch.setattr(_Patterns, "__getitem__", counted_get)
    fast = typeset.parse(html, ROOTS).etree_element
    assert len(made) == len(set(made)) < 20 < 1000 < len(asked)
    plain = weasyprint.HTML(string=html, base_url=str(ROOTS)).etree_element
    assert tostring(fast) == tostring(plain)


def contents_page() -> str:
    """A page of contents, entries of two levels and many lengths, each a leader to its page."""
    titles = ["A", "Introduction", "What is known of its origin", "Notes by category " * 3, "Map"]
    entries = "".join(
        f'<li><a href="#s{at}">{title}</a><ul><li><a href="#s{at}">{title.lower()}</a></li></ul></li>'
        for at, title in enumerate(titles * 3)
    )
    sections = "".join(f'<h2 id="s{at}">Section {at}</h2>' for at in range(len(titles) * 3))
    return (
        '<html lang="en"><body><div class="ed-document"><nav class="ed-contents"><ul>'
        f'{entries}</ul></nav></div><div class="ed-document">{sections}</div></body></html>'
    )


def dots_by_line(path: Path) -> dict[float, list[float]]:
    """Where pdftotext finds the dots of each line of the first page (left edges, in pt)."""
    words = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-bbox", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines: dict[float, list[float]] = {}
    for x, y in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>\.</word>', words):
        lines.setdefault(round(float(y), 1), []).append(float(x))
    return {y: sorted(xs) for y, xs in lines.items()}


def test_a_leader_is_drawn_as_one_text_with_its_dots_where_they_were(tmp_path, monkeypatch):
    """The contents' leaders, one text a line instead of one box a dot: every dot where
    WeasyPrint's own boxes put it (within 0.05 pt), and a text drawn per line, not per dot."""
    from weasyprint import draw

    drawn = []
    draw_text = draw.draw_text

    def counted(stream, textbox, *args):
        drawn.append(textbox.text)
        return draw_text(stream, textbox, *args)

    monkeypatch.setattr(draw, "draw_text", counted)
    joined, apart = tmp_path / "joined.pdf", tmp_path / "apart.pdf"
    typeset.write(typeset.typeset(contents_page(), ROOTS), joined)
    joined_texts = sum(text.startswith(". . ") for text in drawn)
    drawn.clear()
    monkeypatch.setattr(patches, "_leaders_as_one_text", contextlib.nullcontext)
    typeset.write(typeset.typeset(contents_page(), ROOTS), apart)
    joined_dots, apart_dots = dots_by_line(joined), dots_by_line(apart)
    lines = len(apart_dots)
    assert lines >= 30 and joined_dots.keys() == apart_dots.keys()
    for y, xs in apart_dots.items():
        assert len(joined_dots[y]) == len(xs)
        assert max(abs(a - b) for a, b in zip(joined_dots[y], xs, strict=True)) < 0.05, y
    assert drawn.count(". ") > 40 * lines and joined_texts == lines


def test_a_leader_whose_joined_text_is_set_wider_keeps_its_boxes(monkeypatch):
    """Where Pango would set the joined text wider than the boxes side by side (kerning, say),
    the leader keeps its boxes: the same bytes as without the work-around."""
    set_on_one_line = patches._set_on_one_line
    widened = []

    def set_wider(context, box, text):
        joined = set_on_one_line(context, box, text)
        joined.width += 0.01
        widened.append(joined)
        return joined

    monkeypatch.setattr(patches, "_set_on_one_line", set_wider)
    kept = pdf_of(contents_page(), monkeypatch)
    assert len(widened) >= 30 and kept == pdf_of(
        contents_page(), monkeypatch, without=("_leaders_as_one_text",)
    )


def test_fonts_are_subset_with_arrays_of_one_type_and_the_same_bytes(monkeypatch):
    """WeasyPrint's arrays of glyphs, typed by their length (a type for cffi to parse for each
    font), are typed by their items: the same file, and no array typed by its length."""
    from weasyprint.text.ffi import ffi

    html = text_with_forward_references()
    typed = calls(monkeypatch, ffi, "new")
    by_length = re.compile(r"hb_codepoint_t\[\d+\]").fullmatch
    once = pdf_of(html, monkeypatch)
    typed_once = [ctype for ctype in typed if by_length(ctype)]
    typed.clear()
    assert once == pdf_of(html, monkeypatch, without=("_font_arrays_typed_once",), module=writing)
    assert not typed_once and [ctype for ctype in typed if by_length(ctype)]


def test_a_style_resolves_its_used_values_once_for_each_containing_block_and_the_same_bytes(monkeypatch):
    """A box's margins, paddings, sizes and borders are resolved once for its style and the
    size of its containing block, not on every layout of the box: the same file, with far
    fewer resolutions (the notes and pages laid out again resolve none)."""
    from weasyprint.layout import percent

    html = text_with_forward_references().replace("</body>", contents_page().split("<body>")[1])
    resolved = calls(monkeypatch, percent, "adjust_box_sizing")  # a resolution's last step, per axis
    once = pdf_of(html, monkeypatch)
    resolved_once = len(resolved)
    resolved.clear()
    assert once == pdf_of(html, monkeypatch, without=("_percentages_resolved_once_a_style",))
    assert resolved_once < len(resolved) * 0.7


def test_used_values_are_resolved_anew_for_another_size_of_containing_block():
    """The values a style keeps are those of the size of containing block they were resolved
    in: a box of the same style in a block of another width or height gets its own."""
    from weasyprint.layout import block, percent

    style = "margin: 5% 10%; padding: 2% 3%; width: 50%; height: 20%; min-height: 10%"
    page = weasyprint.HTML(string=f'<div id="box" style="{style}">A box</div>').render().pages[0]
    box = next(box for box in page._page_box.descendants() if box.element_tag == "div")
    sizes = [(400.0, 300.0), (200.0, 300.0), (400.0, 100.0), (400.0, "auto"), (400.0, 300.0)]
    names = patches.RESOLVED

    def used(resolve):
        return [(resolve(box, size), tuple(getattr(box, name) for name in names))[1] for size in sizes]

    plain = used(percent.resolve_percentages)
    with patches._percentages_resolved_once_a_style():
        once = used(block.resolve_percentages)
    assert once == plain and len(set(plain)) == 4
