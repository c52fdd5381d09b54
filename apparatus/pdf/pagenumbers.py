"""Page numbers of references (``target-counter(attr(href url), page)``) in WeasyPrint 70,
set so that a page is laid out again only when a number it shows was unknown or has changed."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from apparatus.pdf.replacing import recompiled, replaced

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


# Given the layout context, the index of a page laid out already and the references on it that
# show new numbers, lays out again what shows them, in place, if that changes nothing else on
# the page; says whether it did (else the whole page is laid out again).
InPlace = Callable[[Any, int, list[Any]], bool]
# A page's ``remake_state``: the references whose numbers changed, if nothing else did.
CHANGED = "ed_changed_references"


@contextmanager
def page_numbers_set_once(in_place: InPlace | None = None) -> Iterator[None]:
    """References to pages (``target-counter``) updated as their targets are laid out, so that
    a page is laid out again only when a number it shows was unknown or has changed.

    A reference on a page still to come is given its number at once, before its page is laid
    out, where WeasyPrint 70 would lay out that page a second time to show it; one that was
    guessed right (``guess_pages``) is left as it is. On a page laid out already, where only
    such references changed, they are given to ``in_place`` once the pass over the pages is
    over, and the page is laid out again in the next pass only if ``in_place`` could not.
    """
    from weasyprint import layout
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
            shown = lookup.__dict__.get("ed_guesses", {}).pop(anchor, before)
            if all(values.get(name) == shown.get(name) for name in wanted):
                continue
            lookup.parse_again(lookup.cached_page_counter_values)
            if lookup.page_maker_index is None or lookup.page_maker_index >= len(page_maker):
                # Not laid out yet, or on this very page: see make_page below.
                lookup.pending = True
                self.ed_given_at_once.add(id(lookup))
            else:
                # Not the page being laid out, which WeasyPrint may change too: laid out again.
                deferred = in_place is not None and lookup.page_maker_index in laid_out_pages(self)
                _changed(page_maker[lookup.page_maker_index][-1], lookup, deferred)

    make_page = page.make_page

    def make_page_once(context: Any, *args: Any) -> Any:
        """WeasyPrint's own; a reference that was pending and is not on this page stands on a
        page still to come, which will show the number given at once: nothing to lay out again."""
        collector = context.target_collector
        collector.ed_given_at_once = set()
        pages, index = laid_out_pages(collector), args[3] - 1  # args[3]: the page's number
        pages.pop(index, None)
        context.page_maker[index][-1].pop(CHANGED, None)
        made = make_page(context, *args)
        pages[index] = made[0]
        for lookup in collector.counter_lookup_items.values():
            if lookup.pending and id(lookup) in collector.ed_given_at_once:
                lookup.pending = False
        return made

    with ExitStack() as stack:
        stack.enter_context(
            recompiled(build, "compute_content_list", TARGET_COUNTER, FILED_UNDER_ITS_ANCHOR, _anchor_name)
        )
        if in_place is not None:
            stack.enter_context(
                replaced(layout, "make_all_pages", _passes_in_place(layout.make_all_pages, in_place))
            )
        stack.enter_context(
            replaced(TargetCollector, "cache_target_page_counters", cache_target_page_counters)
        )
        stack.enter_context(replaced(page, "make_page", make_page_once))
        yield


def _passes_in_place(make_all_pages: Any, in_place: InPlace) -> Any:
    """WeasyPrint's pass over the pages, with the references that changed alone on a page given
    to ``in_place`` before and after: a page where it could is left as it is."""

    def make_all_pages_in_place(context: Any, *args: Any) -> Iterator[Any]:
        _lay_out_in_place(context, in_place)
        yield from make_all_pages(context, *args)
        _lay_out_in_place(context, in_place)

    return make_all_pages_in_place


def _lay_out_in_place(context: Any, in_place: InPlace) -> None:
    """Where only references changed on a page, ``in_place`` is given them; where it could lay
    them out in place, the page is up to date."""
    for index, (*_, remake_state) in enumerate(context.page_maker):
        changed = remake_state.pop(CHANGED, None)
        if changed and in_place(context, index, changed):
            remake_state["content_changed"] = False


def _changed(remake_state: dict[str, Any], lookup: Any, deferred: bool) -> None:
    """A reference on a page laid out already shows a new number: the page is to be laid out
    again, unless (``deferred``) no other change than such references was made to it."""
    if deferred and not remake_state["content_changed"]:
        remake_state[CHANGED] = []
    if CHANGED in remake_state:
        remake_state[CHANGED].append(lookup)
    remake_state["content_changed"] = True


def laid_out_pages(collector: Any) -> dict[int, Any]:
    """The page boxes laid out last for each page (by index) of the document whose targets
    ``collector`` holds, as it will show them unless they are laid out again; the page being
    laid out is not among them yet."""
    pages: dict[int, Any] = collector.__dict__.setdefault("ed_pages", {})
    return pages


def references(context: Any, box: Any) -> Iterator[Any]:
    """The lookups of the content in ``box`` that WeasyPrint makes again when a counter it shows
    changes (the references to pages among them)."""
    lookups = context.target_collector.counter_lookup_items
    for descendant in box.descendants():
        if descendant.missing_link is not None:
            lookup = lookups.get((descendant.missing_link, "content"))
            if lookup is not None:
                yield lookup


def guess_pages(context: Any, box: Any) -> None:
    """The references to pages in ``box``, about to be laid out, whose targets are not laid out
    yet show the page being laid out, where WeasyPrint 70 shows 0.

    A note mostly refers to notes on its own page, laid out after it: where the guess is right,
    neither the note nor its page need be laid out again once the number is known."""
    collector = context.target_collector
    guess = {"page": [context.current_page]}
    for lookup in references(context, box):
        guesses = lookup.__dict__.setdefault("ed_guesses", {})
        unknown = [
            anchor
            for anchor, wanted in lookup.missing_target_counters.items()
            if wanted == ["page"] and guesses.get(anchor) != guess and _not_laid_out(collector, anchor)
        ]
        if unknown:
            _shown_with(collector, lookup, dict.fromkeys(unknown, guess))
            guesses.update(dict.fromkeys(unknown, guess))


def _not_laid_out(collector: Any, anchor: str) -> bool:
    target = collector.target_lookup_items.get(anchor)
    return target is not None and target.state == "up-to-date" and not target.cached_page_counter_values


def _shown_with(collector: Any, lookup: Any, pages: dict[str, dict[str, list[int]]]) -> None:
    """The content of ``lookup`` made again as if its targets stood on ``pages``."""
    targets = [collector.target_lookup_items[anchor] for anchor in pages]
    for target, values in zip(targets, pages.values(), strict=True):
        target.cached_page_counter_values = values
    try:
        lookup.parse_again(lookup.cached_page_counter_values)
    finally:
        for target in targets:
            target.cached_page_counter_values = {}
