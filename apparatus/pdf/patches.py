"""Work-arounds for WeasyPrint 70, each applied only while the edition is typeset.

Each replaces private code of WeasyPrint, so each applies only in the version whose code it
restates (``PATCHED_WEASYPRINT``) and leaves any other version alone.
"""

from __future__ import annotations

import copy
import inspect
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from math import inf
from types import SimpleNamespace
from typing import Any

# The WeasyPrint major version whose code these work-arounds restate.
PATCHED_WEASYPRINT = "70"
# pydyf compresses every stream at zlib's level 9, which costs about five times level 6 for
# 4 % smaller streams: this edition's 34 pages of tagged PDF hold 4 MB of them.
COMPRESSION_LEVEL = 6


def _patched_version() -> bool:
    from weasyprint import VERSION

    return VERSION.split(".")[0] == PATCHED_WEASYPRINT


@contextmanager
def layout_work_arounds() -> Iterator[None]:
    """While WeasyPrint lays out the pages."""
    with ExitStack() as stack:
        if _patched_version():
            stack.enter_context(_footnotes_that_fit_stay())
            stack.enter_context(_final_areas_from_the_notes_laid_out())
            stack.enter_context(_notes_stay_with_their_calls())
            stack.enter_context(_page_numbers_set_once())
        yield


@contextmanager
def writing_work_arounds() -> Iterator[None]:
    """While WeasyPrint writes the PDF file."""
    with ExitStack() as stack:
        if _patched_version():
            stack.enter_context(_faster_compression())
        yield


@contextmanager
def _replaced(owner: Any, name: str, replacement: Any) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)


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

    return _replaced(LayoutContext, "_update_footnote_area", update_footnote_area)


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

    text = tuple(box.text for box in note.descendants() if isinstance(box, boxes.TextBox))
    known = note.__dict__.get("ed_layout")
    if known is None or known[0] != text:
        alone = area.copy()
        alone.children = [note]
        laid_out = block_level_layout(
            context, build.create_anonymous_boxes(alone.deepcopy()), -inf, None, area.page
        )[0]
        known = (text, laid_out.height, laid_out.children[0])
        note.__dict__["ed_layout"] = known
    return known[1], known[2]


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

    return _replaced(page, "block_level_layout", block_level_layout)


# In WeasyPrint 70, when the first line of a paragraph does not fit on the page, the notes of
# earlier lines are moved to the next page to make room for it, away from their calls, and the
# notes of that line itself are never set. Without this, the line simply moves to the next page.
REPORTING = "report = not context.in_column and can_break_now and not could_break_before"


def _notes_stay_with_their_calls() -> Any:
    """WeasyPrint's line layout without moving notes away from their calls."""
    from weasyprint.layout import block

    return _recompiled(block, "_linebox_layout", REPORTING, "report = False")


@contextmanager
def _recompiled(module: Any, name: str, old: str, new: str, *helpers: Any) -> Iterator[None]:
    """A function of ``module`` recompiled from its source with ``old`` replaced by ``new``
    (which may call ``helpers``), only if its source holds ``old`` as expected."""
    source = inspect.getsource(getattr(module, name))
    if old not in source:
        yield
        return
    namespace: dict[str, Any] = {}
    scope = module.__dict__ | {helper.__name__: helper for helper in helpers} if helpers else module.__dict__
    exec(compile(source.replace(old, new), module.__file__, "exec"), scope, namespace)
    with _replaced(module, name, namespace[name]):
        yield


# -- page numbers of references -----------------------------------------------------------------


# WeasyPrint 70 files the counter of a ``target-counter()`` under the anchor of its literal
# argument, which for ``attr(href url)`` is no anchor at all, and binds that list to the element's
# own missing counters: every reference to a page was then updated only by laying out its page
# again, twice (the total of pages changes after the first pass). Here it is filed under the
# anchor the attribute names, and the element's own counters are left alone.
TARGET_COUNTER = """                anchor_name = targets.anchor_name_from_token(anchor_token)
                missing_counters = missing_target_counters.setdefault(
                    anchor_name, [])
                if counter_name not in missing_counters:
                    missing_counters.append(counter_name)"""
FILED_UNDER_ITS_ANCHOR = """                anchor_name = _anchor_name(anchor_token, parent_box)
                wanted = missing_target_counters.setdefault(anchor_name, [])
                if counter_name not in wanted:
                    wanted.append(counter_name)"""


def _anchor_name(token: tuple[str, Any], box: Any) -> str | None:
    """The anchor a ``target-counter()`` points at, ``attr()`` resolved as WeasyPrint's
    ``TargetCollector.lookup_target`` resolves it."""
    from weasyprint.css.targets import anchor_name_from_token
    from weasyprint.urls import get_url_tuple

    if token[0] == "attr()":
        name, kind, fallback = token[1]
        value = box.element.get(name, fallback)
        token = ("string", value) if kind == "string" else ("url", get_url_tuple(value, box.style.base_url))
    return anchor_name_from_token(token)


def _references_by_anchor(collector: Any) -> dict[str, list[Any]]:
    """The references (``content`` with ``target-counter``) to each anchor; they are all known
    once the boxes are built, before the layout."""
    found: dict[str, list[Any]] | None = collector.__dict__.get("ed_references")
    if found is None:
        found = {}
        collector.__dict__["ed_references"] = found
        for (_, token), lookup in collector.counter_lookup_items.items():
            if token == "content":
                for anchor, wanted in lookup.missing_target_counters.items():
                    if wanted:
                        found.setdefault(anchor, []).append(lookup)
    return found


@contextmanager
def _page_numbers_set_once() -> Iterator[None]:
    """References to pages (``target-counter``) updated as their targets are laid out, so that
    a page is laid out again only when a number it shows was unknown or has changed.

    A reference on a page still to come is given its number at once, before its page is laid
    out, where WeasyPrint 70 would lay out that page a second time to show it.
    """
    from weasyprint.css.targets import TargetCollector
    from weasyprint.formatting_structure import build
    from weasyprint.layout import page

    def cache_target_page_counters(
        self: TargetCollector, anchor: str, values: dict[str, Any], index: int, page_maker: list[Any]
    ) -> None:
        """WeasyPrint's own, comparing only the counters a reference shows."""
        if self.collecting:
            return
        target = self.target_lookup_items.get(anchor)
        if not target or target.state != "up-to-date":
            return
        target.page_maker_index = index
        before = target.cached_page_counter_values
        if before == values:
            return
        target.cached_page_counter_values = copy.deepcopy(values)
        for lookup in _references_by_anchor(self).get(anchor, ()):
            wanted = lookup.missing_target_counters[anchor]
            if all(values.get(name) == before.get(name) for name in wanted):
                continue
            lookup.parse_again(lookup.cached_page_counter_values)
            if lookup.page_maker_index is None or lookup.page_maker_index >= len(page_maker):
                # Not laid out yet, or on this very page: see make_page below.
                lookup.pending = True
                self.ed_given_at_once.add(id(lookup))
            else:
                page_maker[lookup.page_maker_index][-1]["content_changed"] = True

    make_page = page.make_page

    def make_page_once(context: Any, *args: Any) -> Any:
        """WeasyPrint's own; a reference that was pending and is not on this page stands on a
        page still to come, which will show the number given at once: nothing to lay out again."""
        collector = context.target_collector
        collector.ed_given_at_once = set()
        made = make_page(context, *args)
        for lookup in collector.counter_lookup_items.values():
            if lookup.pending and id(lookup) in collector.ed_given_at_once:
                lookup.pending = False
        return made

    with ExitStack() as stack:
        stack.enter_context(
            _recompiled(build, "compute_content_list", TARGET_COUNTER, FILED_UNDER_ITS_ANCHOR, _anchor_name)
        )
        stack.enter_context(
            _replaced(TargetCollector, "cache_target_page_counters", cache_target_page_counters)
        )
        stack.enter_context(_replaced(page, "make_page", make_page_once))
        yield


# -- writing --------------------------------------------------------------------------------------


def _faster_compression() -> Any:
    import pydyf

    fast = SimpleNamespace(
        compress=zlib.compress,
        compressobj=lambda level=COMPRESSION_LEVEL, **options: zlib.compressobj(COMPRESSION_LEVEL, **options),
    )
    return _replaced(pydyf, "zlib", fast)
