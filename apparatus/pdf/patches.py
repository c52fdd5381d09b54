"""Work-arounds for WeasyPrint 70, each applied only while the edition is typeset.

Each replaces private code of WeasyPrint, so each applies only in the version whose code it
restates (``PATCHED_WEASYPRINT``) and leaves any other version alone. Here: the texts' Pango
layouts, leaders, the boxes' used values, the footnote area and the notes' calls, lines and page
breaks; the page numbers of references are in :mod:`~apparatus.pdf.pagenumbers`, the writing of
the file in :mod:`~apparatus.pdf.writing`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from math import inf
from typing import Any

from apparatus.pdf.pagenumbers import guess_pages, laid_out_pages, page_numbers_set_once, references
from apparatus.pdf.replacing import recompiled, replaced
from apparatus.pdf.writing import writing_faster

# The WeasyPrint major version whose code these work-arounds restate.
PATCHED_WEASYPRINT = "70"


def patched_version() -> bool:
    from weasyprint import VERSION

    return VERSION.split(".")[0] == PATCHED_WEASYPRINT


@contextmanager
def layout_work_arounds() -> Iterator[None]:
    """While WeasyPrint lays out the pages."""
    with ExitStack() as stack:
        if patched_version():
            stack.enter_context(_footnotes_that_fit_stay())
            stack.enter_context(_final_areas_from_the_notes_laid_out())
            stack.enter_context(_notes_stay_with_their_calls())
            stack.enter_context(_trailing_spaces_hang())
            stack.enter_context(_short_tails_run_on())
            stack.enter_context(page_numbers_set_once(_notes_laid_out_again))
            stack.enter_context(_text_layouts_kept())
            stack.enter_context(_leaders_as_one_text())
            stack.enter_context(_percentages_resolved_once_a_style())
        yield


@contextmanager
def writing_work_arounds() -> Iterator[None]:
    """While WeasyPrint writes the PDF file."""
    with ExitStack() as stack:
        if patched_version():
            stack.enter_context(writing_faster())
            stack.enter_context(_kept_text_layouts_drawn())
        yield


# -- the texts' Pango layouts -------------------------------------------------------------------
#
# WeasyPrint 70 drops the Pango layout of each text once the text is measured, and makes it anew
# to draw the text: a Pango context, font description and attributes for each of the first
# part's 5,800 texts, 0.25 s of its writing. The layouts made while the pages are laid out are
# kept, and a text whose layout is kept is drawn from it with its text set again, as a new
# layout would have it: unbounded in width, its words spaced out for justification (same bytes).


def _text_layouts_kept() -> Any:
    from weasyprint.text.line_break import Layout

    return replaced(Layout, "deactivate", lambda layout: None)


def _kept_text_layouts_drawn() -> Any:
    from weasyprint.text.ffi import pango
    from weasyprint.text.line_break import Layout

    reactivate = Layout.reactivate

    def drawn_from_kept(layout: Any, style: Any) -> None:
        if "layout" not in layout.__dict__ or layout.style is not style:
            reactivate(layout, style)  # dropped, or set in another style: made anew
            return
        pango.pango_layout_set_width(layout.layout, -1)
        layout.set_text(layout.text, justify=True)

    return replaced(Layout, "reactivate", drawn_from_kept)


# -- leaders ----------------------------------------------------------------------------------------
#
# WeasyPrint 70 fills a leader with one text box per repetition of its string: the contents'
# dots are 3,000 boxes, each laid out, tagged and drawn on its own (0.17 s of drawing the
# contents page, against some 0.015 s for another page). The repetitions of a line are one text
# here, where Pango sets them as wide as the boxes they replace and so at the same places.


def _leaders_as_one_text() -> Any:
    from weasyprint.layout import inline, leader

    handle_leader = inline.handle_leader

    def leader_as_one_text(context: Any, line: Any, containing_block: Any) -> None:
        _, box = leader.leader_index(line)
        if box is None:
            return  # a line without a leader, which WeasyPrint's own leaves as it is
        handle_leader(context, line, containing_block)
        if len(box.children) > 1:
            box.children = _one_text(context, box.children)

    return replaced(inline, "handle_leader", leader_as_one_text)


def _one_text(context: Any, repetitions: tuple[Any, ...]) -> tuple[Any, ...]:
    """The repetitions of a leader's text box (all alike but for their places) as one box, if
    Pango sets their texts joined as wide as they are side by side; else as they are."""
    first = min(repetitions, key=lambda box: box.position_x)
    joined = _set_on_one_line(context, first, first.text * len(repetitions))
    if abs(joined.width - first.width * len(repetitions)) > 1e-6:
        return repetitions
    return (joined,)


def _set_on_one_line(context: Any, box: Any, text: str) -> Any:
    """A copy of the text ``box`` with ``text``, set by Pango on one line."""
    from weasyprint.text.line_break import create_layout, line_size

    layout = create_layout(text, box.style, context, None, box.justification_spacing)
    copy = box.copy_with_text(text)
    copy.pango_layout = layout
    copy.width = float(line_size(layout.get_first_line()[0], box.style)[0])
    return copy


# -- used values ------------------------------------------------------------------------------------
#
# WeasyPrint 70 resolves the margins, paddings, sizes and borders of a box from its style and its
# containing block's size each time it lays the box out: 18 values, each from its style's
# computed value (the first part's layout asks for 8,600 such boxes, a tenth of its time). They
# depend on nothing else (except with collapsed table borders, resolved elsewhere), so a style
# keeps the values for each size of containing block it was resolved in.
RESOLVED = (
    *(f"{kind}_{side}" for kind in ("margin", "padding") for side in ("top", "right", "bottom", "left")),
    *(f"{limit}{axis}" for axis in ("width", "height") for limit in ("", "min_", "max_")),
    *(f"border_{side}_width" for side in ("top", "right", "bottom", "left")),
)


@contextmanager
def _percentages_resolved_once_a_style() -> Iterator[None]:
    import sys

    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import percent

    resolve = percent.resolve_percentages

    def resolved_once(box: Any, containing_block: Any) -> None:
        style = box.style
        if style["border_collapse"] == "collapse":
            resolve(box, containing_block)
            return
        if isinstance(containing_block, boxes.Box):
            containing_block = (containing_block.width, containing_block.height)
        key = (*containing_block, isinstance(box, boxes.PageBox))
        known = style.__dict__.setdefault("ed_resolved", {})
        if key in known:
            box.__dict__.update(known[key])
            return
        resolve(box, containing_block)
        known[key] = {name: box.__dict__[name] for name in RESOLVED}

    with ExitStack() as stack:
        for name, module in list(sys.modules.items()):
            if (
                name.startswith("weasyprint.layout.")
                and getattr(module, "resolve_percentages", None) is resolve
            ):
                stack.enter_context(replaced(module, "resolve_percentages", resolved_once))
        yield


# -- the footnote area ------------------------------------------------------------------------


def _footnotes_that_fit_stay() -> Any:
    """Compare footnote heights with WeasyPrint's own rounding tolerance, and measure each
    note once.

    WeasyPrint 70 decides whether the last footnote ends below the footnote area with an exact
    ``>``; a rounding error of 1e-13 px then makes a note that fits look as if it did not, and
    the note, with every line after it, moves to the next page, leaving this one nearly empty.
    This is the same computation with ``LayoutContext.overflows``, which allows for rounding.
    """
    from weasyprint.formatting_structure import build
    from weasyprint.layout import LayoutContext
    from weasyprint.layout.block import block_level_layout

    def update_footnote_area(context: LayoutContext) -> bool:
        area = context.current_footnote_area
        if area.height != "auto" and not context.in_column:
            context.page_bottom += area.margin_height()
        area.children = context.current_page_footnotes
        if not area.children:
            area.height = 0
            if not context.in_column:
                context.page_bottom -= area.margin_height()
            return False
        if area.max_height == inf:
            # Nothing can overflow an area without a maximum height: only its height counts.
            area.height = sum(_note_height(context, area, note) for note in area.children)
            if not context.in_column:
                context.page_bottom -= area.margin_height()
            return False
        laid_out = block_level_layout(
            context, build.create_anonymous_boxes(area.deepcopy()), -inf, None, area.page
        )[0]
        area.height = laid_out.height
        if not context.in_column:
            context.page_bottom -= laid_out.margin_height()
        last = laid_out.children[-1]
        last_bottom = last.position_y + last.margin_height() - last.margin_bottom
        area_bottom = laid_out.position_y + laid_out.margin_height() - laid_out.margin_bottom
        return context.overflows(area_bottom, last_bottom)

    return replaced(LayoutContext, "_update_footnote_area", update_footnote_area)


def _note_height(context: Any, area: Any, note: Any) -> float:
    return _laid_out_note(context, area, note)[0]


def _laid_out_note(context: Any, area: Any, note: Any) -> tuple[float, Any]:
    """One note laid out in the footnote area, once for its text: its height, and its boxes.

    WeasyPrint lays out the whole area again for every note added to it, which makes a page of
    n notes cost n² note layouts, and again on every page the note is tried on, every time a
    page is laid out again, and once more for the page's final area. The notes stack without
    vertical margins (``pdf.css``), so the area's height is the sum of theirs, and every area
    of the document has the same width: a note's layout changes only with its text (a page
    number it refers to, once known). Copies of a note (WeasyPrint copies the area's notes)
    share the layout of the original."""
    from weasyprint.formatting_structure import boxes, build
    from weasyprint.layout.block import block_level_layout

    guess_pages(context, note)
    text = tuple(box.text for box in note.descendants() if isinstance(box, boxes.TextBox))
    known = note.__dict__.get("ed_layout")
    if known is None:
        notes = _notes_by_reference(context)
        for lookup in references(context, note):
            notes.setdefault(id(lookup), note)
    if known is None or known[0] != text:
        alone = area.copy()
        alone.children = [note]
        laid_out = block_level_layout(
            context, build.create_anonymous_boxes(alone.deepcopy()), -inf, None, area.page
        )[0]
        known = (text, laid_out.height, laid_out.children[0], area)
        note.__dict__["ed_layout"] = known
    return known[1], known[2]


def _notes_by_reference(context: Any) -> dict[int, Any]:
    """The note (the box WeasyPrint built, whose text a changed page number changes) of each
    reference to a page in a note laid out so far, by the id of the reference's lookup."""
    notes: dict[int, Any] = context.__dict__.setdefault("ed_notes_by_reference", {})
    return notes


def _notes_laid_out_again(context: Any, index: int, changed: list[Any]) -> bool:
    """Notes whose references to pages show new numbers, on a page laid out already: each laid
    out again in its place, if all keep their heights, instead of the whole page.

    The page is then what laying it out again would give: the notes stack, and the text above
    them depends only on their heights. A reference outside the notes of the page, or a note of
    another height, leaves the page to be laid out again (with the notes as laid out here)."""
    from weasyprint.formatting_structure import boxes

    page = laid_out_pages(context.target_collector).get(index)
    if page is None or not isinstance(page.children[1], boxes.FootnoteAreaBox):
        return False
    notes = _notes_by_reference(context)
    if any(id(lookup) not in notes for lookup in changed):
        return False
    changed_notes = {id(note): note for note in (notes[id(lookup)] for lookup in changed)}
    current = context.current_page
    context.current_page = index + 1  # the page that guesses give (guess_pages)
    try:
        return all(_in_place(context, page.children[1], note) for note in changed_notes.values())
    finally:
        context.current_page = current


def _in_place(context: Any, area: Any, note: Any) -> bool:
    """``note``, in the laid out footnote ``area``, laid out again and put in place of its
    former layout if it has the same height."""
    known = note.__dict__["ed_layout"]
    at = next((at for at, child in enumerate(area.children) if child is known[2]), None)
    if at is None:
        return False
    height, laid_out = _laid_out_again(context, note)
    if height != known[1]:
        return False
    before = known[2]
    laid_out.translate(before.position_x - laid_out.position_x, before.position_y - laid_out.position_y)
    area.children = [*area.children[:at], laid_out, *area.children[at + 1 :]]
    return True


def _laid_out_again(context: Any, note: Any) -> tuple[float, Any]:
    """``note`` laid out again for its text, alone in the area it was first measured in."""
    context.create_block_formatting_context(note)
    try:
        return _laid_out_note(context, note.__dict__["ed_layout"][3], note)
    finally:
        context.finish_block_formatting_context(note)


def _final_areas_from_the_notes_laid_out() -> Any:
    """The footnote area of a finished page made of its notes as laid out when measured.

    An area without a maximum height is the notes stacked, each as ``_laid_out_note`` laid it
    out; only the area itself (its border and padding) is laid out here."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import page

    layout = page.block_level_layout

    def block_level_layout(context: Any, box: Any, *args: Any, **options: Any) -> Any:
        if not isinstance(box, boxes.FootnoteAreaBox) or box.max_height != inf or not box.children:
            return layout(context, box, *args, **options)
        notes = [_laid_out_note(context, box, note) for note in box.children]
        laid_out, *rest = layout(context, box.copy_with_children([]), *args, **options)
        x, y = laid_out.content_box_x(), laid_out.content_box_y()
        for height, note in notes:
            note.translate(x - note.position_x, y - note.position_y)
            y += height
        laid_out.children = [note for _, note in notes]
        laid_out.height = y - laid_out.content_box_y()
        return (laid_out, *rest)

    return replaced(page, "block_level_layout", block_level_layout)


# In WeasyPrint 70, when the first line of a paragraph does not fit on the page, the notes of
# earlier lines are moved to the next page to make room for it, away from their calls, and the
# notes of that line itself are never set. Without this, the line simply moves to the next page.
REPORTING = "report = not context.in_column and can_break_now and not could_break_before"


def _notes_stay_with_their_calls() -> Any:
    """WeasyPrint's line layout without moving notes away from their calls."""
    from weasyprint.layout import block

    return recompiled(block, "_linebox_layout", REPORTING, "report = False")


# WeasyPrint 70 lets a text's trailing space run past the end of a line (Pango does too) but,
# splitting a text that fits only with it, finds it too wide and sets its first word alone on
# the line: a text before a link at the end of a line ("... spells it correctly in ¶5") leaves
# one word on a line spread out to the full measure. Measured without its trailing spaces,
# where white space collapses, such a text fits and the link goes on to the next line.
WHOLE_TEXT_FITS = "    if resume_index is None and first_line_width <= max_width:"
FITS_BUT_FOR_TRAILING_SPACES = """    if resume_index is None and (first_line_width <= max_width or (
            space_collapse and _width_without_trailing_spaces(
                text, style, context, justification_spacing) <= max_width)):"""


def _width_without_trailing_spaces(
    text: str, style: Any, context: Any, justification_spacing: float
) -> float:
    from weasyprint.text.line_break import create_layout, line_size

    layout = create_layout(text.rstrip(" "), style, context, None, justification_spacing)
    return float(line_size(layout.get_first_line()[0], style)[0])


@contextmanager
def _trailing_spaces_hang() -> Iterator[None]:
    """Lines split as WeasyPrint's own, a text's trailing spaces left out of its width."""
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    with ExitStack() as stack:
        stack.enter_context(
            recompiled(
                line_break,
                "split_first_line",
                WHOLE_TEXT_FITS,
                FITS_BUT_FOR_TRAILING_SPACES,
                _width_without_trailing_spaces,
            )
        )
        stack.enter_context(replaced(inline, "split_first_line", line_break.split_first_line))
        yield


# -- the documents' page breaks -------------------------------------------------------------------

# Each document starts on a new page (pdf.css), but the tail of the one before may be left with
# only a few lines of a page to itself. Then the next document follows on that page after a gap,
# as a book's short sections do (WeasyPrint 70 honours every forced break wherever it falls);
# the text of the edition keeps pages of its own.
FORCED_BREAK = "if page_name or force_page_break(page_break, context):"
UNLESS_A_SHORT_TAIL = (
    "if page_name or (force_page_break(page_break, context)"
    " and not _runs_on(context, box, last_child, child, adjoining_margins)):"
)
# A page holding less than this share of its type area is too short to end a document on.
SHORT_PAGE = 0.2
RUN_ON_GAP = 14 * 96 / 25.4  # 14 mm in CSS pixels, above the heading of a document that runs on


def has_class(element: Any, name: str) -> bool:
    """Whether the HTML element of a WeasyPrint box (None for an anonymous box) has the class."""
    return element is not None and name in (element.get("class") or "").split()


def _runs_on_allowed(box: Any) -> bool:
    """A document other than a text: a text starts and ends pages of its own, with its notes."""
    return has_class(box.element, "ed-document") and not any(
        has_class(paragraph, "ed-text") for paragraph in box.element.iter("p")
    )


def _runs_on(context: Any, parent: Any, before: Any, after: Any, adjoining_margins: list[float]) -> bool:
    """Whether the document ``after`` follows the end of ``before`` on the same page (both
    children of ``parent``, which starts at the top of the page); if so, the gap between them
    joins the margins that separate them."""
    if not (_runs_on_allowed(before) and _runs_on_allowed(after)):
        return False
    top = parent.content_box_y()
    if after.position_y - top >= SHORT_PAGE * (context.page_bottom - top):
        return False
    adjoining_margins.append(RUN_ON_GAP)
    return True


def _short_tails_run_on() -> Any:
    """WeasyPrint's block layout, with no forced break after a document's short tail."""
    from weasyprint.layout import block

    return recompiled(block, "block_container_layout", FORCED_BREAK, UNLESS_A_SHORT_TAIL, _runs_on)
