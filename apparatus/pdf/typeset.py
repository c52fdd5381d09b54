"""Typesetting with WeasyPrint: the call, its work-arounds, the layout checks, link descriptions,
and what typesetting leaves for the builder to report.

Each build checks that every note stands on the page of its call and that no line runs out of
the text block (:mod:`~apparatus.pdf.typesetter` runs these, WeasyPrint's warnings collected).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apparatus.domain import call_anchor, note_anchor, paragraph_anchor
from apparatus.locale import _
from apparatus.pdf.parsing import parsing_faster
from apparatus.pdf.patches import has_class, layout_work_arounds, writing_work_arounds

if TYPE_CHECKING:
    from weasyprint import CSS, HTML, Document


@dataclass(frozen=True)
class Typeset:
    """What typesetting the PDF leaves for the builder to report."""

    pages: int
    problems: tuple[str, ...]
    warnings: tuple[str, ...]


class TypesettingError(Exception):
    """The forked process could not typeset the PDF; the message is its traceback."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


# The libraries that typeset and join the PDF, whose warnings are the build's.
LIBRARIES = ("weasyprint", "pikepdf")


@contextmanager
def library_warnings() -> Iterator[list[str]]:
    """The warnings of WeasyPrint (bad CSS, missing anchors or fonts) and pikepdf, collected,
    not printed; their other messages are dropped."""
    handler = _Collect()
    loggers = [logging.getLogger(name) for name in LIBRARIES]
    propagating = [library.propagate for library in loggers]
    for library in loggers:
        library.addHandler(handler)
        library.propagate = False
    try:
        yield handler.messages
    finally:
        for library, propagate in zip(loggers, propagating, strict=True):
            library.removeHandler(handler)
            library.propagate = propagate


STATIC = Path(__file__).parent / "static"

CLASS_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")


@functools.cache
def styled_classes() -> frozenset[str]:
    """The classes the PDF's stylesheet names: an element of any other class looks as it would
    without one."""
    return frozenset(CLASS_SELECTOR.findall((STATIC / "pdf.css").read_text(encoding="utf-8")))


SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
CSS_VARIABLE = re.compile(r"var\(\s*--[\w-]+\s*,\s*([^()]*?)\s*\)")
FONT_SHORTHAND = re.compile(
    r"\bfont:\s*(?P<style>(?:(?:italic|oblique|normal|bold|bolder|lighter|[1-9]00)\s+)*)"
    r"(?P<size>[\d.]+[a-z%]*)(?:/[\w.%]+)?\s+(?P<family>[^;}]+)"
)


TEXT = re.compile(r"(?<=>)[^<]+")
URL = re.compile(r"https?://[^\s\"'<>{}“”‘’]+")


# A break opportunity and a bond that add no character to the text: Pango draws neither
# (both are default-ignorable), so copying from the PDF gives the URL as it is. As characters
# rather than ``<wbr>`` elements and spans, they cost WeasyPrint no boxes (1,257 elements of
# this edition, 1.3 s of its layout).
BREAK = "\u200b"  # ZERO WIDTH SPACE
BOND = "\u2060"  # WORD JOINER


def breakable_urls(html: str) -> str:
    """URLs in the text that break only where a reader sees that the URL goes on: after a
    slash, or before a dot, hyphen, underscore, ``?``, ``#``, ``&`` or ``=``, which then opens
    the next line. A line that ended with a URL's own hyphen would read as a word hyphenated
    (copy tools drop such a hyphen), so a hyphen is bound to the character after it."""
    return TEXT.sub(lambda text: URL.sub(_breakable, text.group(0)), html)


def _breakable(match: re.Match[str]) -> str:
    whole = unescape(match.group(0))
    url = whole.rstrip(".,;:)]")  # the punctuation of the sentence
    pieces = []
    for at, char in enumerate(url):
        if char in ".-_?#&=" and at:
            pieces.append(BREAK)
        pieces.append(char)
        if char == "-" and at + 1 < len(url):
            pieces.append(BOND)
        elif char == "/" and url[at + 1 : at + 2] not in ("/", ""):
            pieces.append(BREAK)
    return escape("".join(pieces) + whole[len(url) :], quote=False)


def svg_for_weasyprint(html: str) -> str:
    """Inline SVG styles in terms WeasyPrint 70 knows: it ignores CSS variables and the
    ``font`` shorthand there, and would paint shapes black and drop text. A variable becomes
    its fallback value, the shorthand its longhands."""
    return SVG.sub(
        lambda svg: FONT_SHORTHAND.sub(_font_longhands, CSS_VARIABLE.sub(r"\1", svg.group(0))), html
    )


def _font_longhands(match: re.Match[str]) -> str:
    declarations = [f"font-size:{match['size']}", f"font-family:{match['family'].strip()}"]
    for keyword in match["style"].split():
        if keyword in ("italic", "oblique"):
            declarations.append(f"font-style:{keyword}")
        elif keyword != "normal":
            declarations.append(f"font-weight:{keyword}")
    return ";".join(declarations)


def typeset(html: str, base: Path) -> Document:
    return render(parse(html, base), stylesheet())


def parse(html: str, base: Path) -> HTML:
    from weasyprint import HTML

    with parsing_faster():
        return HTML(string=html, base_url=str(base))


def stylesheet() -> CSS:
    """The PDF's stylesheet, parsed (its warnings are logged as it is)."""
    from weasyprint import CSS

    return CSS(filename=str(STATIC / "pdf.css"))


# A page with the edition's kinds of text (roman, italic, bold, a note), typeset once before the
# edition comes: what WeasyPrint loads once in a process, its fonts first, is then loaded.
SAMPLE = (
    '<html lang="en"><body><div class="ed-document"><h1>Sample</h1><p class="ed-text">Roman, '
    '<em>italic</em>, <strong>bold</strong>, “quoted” ¶1<span class="ed-footnote">A '
    "<em>note</em>.</span></p></div></body></html>"
)


def warmed_up() -> CSS:
    """The PDF's stylesheet, parsed, after a sample page was typeset and written with it."""
    css = stylesheet()
    write(render(parse(SAMPLE, STATIC), css), None)
    return css


def render(page: HTML, css: CSS, *work_arounds: AbstractContextManager[Any]) -> Document:
    """The pages of ``page`` laid out, with the edition's work-arounds and any others given."""
    with layout_work_arounds(), ExitStack() as stack:
        for work_around in work_arounds:
            stack.enter_context(work_around)
        return page.render(stylesheets=[css])


def write(document: Document, target: Path | None, ids: str = "") -> bytes | None:
    """The tagged PDF/UA-1 file (its bytes if no ``target``), its identifier fixed so that
    rebuilds give the same bytes; ``ids`` begins the identifiers of its table headers."""
    with writing_work_arounds():
        return document.write_pdf(
            target,
            pdf_variant="pdf/ua-1",
            pdf_identifier=b"edition",
            finisher=functools.partial(finish_pdf, ids=ids),
        )


def finish_pdf(document: Document, pdf: Any, ids: str = "") -> None:
    """The last touches to the PDF objects WeasyPrint wrote, for readers of assistive tools."""
    describe_links(pdf)
    scope_table_headers(pdf, ids)


def describe_links(pdf: Any) -> None:
    """Each internal link says in words where it leads ("Note 4.1"), for screen readers."""
    import pydyf

    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and item.get("Subtype") == "/Link" and "Dest" in item:
            item["Contents"] = pydyf.String(link_description(item["Dest"].string))


def scope_table_headers(pdf: Any, ids: str = "") -> None:
    """Each table header cell says which cells it heads: its column, as WeasyPrint associates
    it with the data cells (their /Headers) but gives the header cell itself no /Scope.

    WeasyPrint names header cells by the numbers of this file's objects: in a part of a file
    joined from several, ``ids`` sets its names apart from the other parts'."""
    import pydyf

    for item in pdf.objects:
        if not isinstance(item, pydyf.Dictionary) or "A" not in item:
            continue
        if item.get("S") == "/TH":
            item["A"]["Scope"] = "/Column"
            if ids and "ID" in item:
                item["ID"] = pydyf.String(ids + item["ID"].string)
        elif ids and item.get("S") == "/TD" and "Headers" in item["A"]:
            item["A"]["Headers"] = pydyf.Array(pydyf.String(ids + key.string) for key in item["A"]["Headers"])


def link_description(anchor: str) -> str:
    if anchor.startswith(note_anchor("")):
        return _("Note {label}").format(label=anchor.removeprefix(note_anchor("")))
    if anchor.startswith(call_anchor("")):
        return _("Back to the call of note {label}").format(label=anchor.removeprefix(call_anchor("")))
    number = anchor.removeprefix(paragraph_anchor(0).removesuffix("0"))
    if number != anchor and number.isdigit():
        return _("Paragraph {number}").format(number=number)
    return _("Link to {anchor}").format(anchor=anchor)


def check_layout(document: Document, first_page: int = 1) -> list[str]:
    """What a printed edition must not have: notes away from their calls, calls cut off from
    their words, lines out of the text block. Pages are named from ``first_page`` on."""
    return _notes_away_from_calls(document, first_page) + _lines_problems(document, first_page)


def anchor_pages(document: Document, first_page: int = 1) -> dict[str, int]:
    """The page number of every anchor, the document's first page being ``first_page``."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=first_page):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages


def _notes_away_from_calls(document: Document, first_page: int) -> list[str]:
    pages = anchor_pages(document, first_page)
    problems = []
    for anchor, page in pages.items():
        if anchor.startswith(call_anchor("")):
            label = anchor.removeprefix(call_anchor(""))
            note_page = pages.get(note_anchor(label))
            if note_page is None:
                problems.append(f"note {label} was not set (its call is on page {page})")
            elif note_page != page:
                problems.append(f"note {label} is on page {note_page}, its call on page {page}")
    return problems


def _lines_problems(document: Document, first_page: int) -> list[str]:
    from weasyprint.formatting_structure import boxes

    problems = []
    for number, page in enumerate(document.pages, start=first_page):
        page_box = page._page_box  # WeasyPrint's laid-out page: the only place its lines are kept
        right = page_box.content_box_x() + page_box.width
        for line in page_box.descendants():
            if not isinstance(line, boxes.LineBox):
                continue
            texts = [box for box in line.descendants() if isinstance(box, boxes.TextBox)]
            text = "".join(box.text for box in texts)
            if line.position_x + line.width > right + 0.5:
                problems.append(f"page {number}: a line runs into the margin: {text[:60]!r}")
            if texts and has_class(texts[0].element, "ed-call"):
                problems.append(f"page {number}: a note call begins a line: {text[:60]!r}")
    return problems
