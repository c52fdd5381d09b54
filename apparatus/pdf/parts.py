"""The PDF typeset in two parts at once, one per core, and joined into one file.

The text of an edition keeps pages of its own, and what follows it (findings, indexes,
bibliography...) begins on a new page and shows no page number of a reference. So those pages can
be laid out apart from the rest, with the breaks they have in one document: a second process lays
them out while this one lays out the title pages, the front matter and the text with its notes.
Each part needs one thing of the other, sent as soon as it is known: this part, the pages of the
anchors of the second that its contents name; the second, this part's number of pages, from which
its page numbers go on. Each part writes a PDF whose links to the other's anchors point at a
stand-in, and :mod:`~apparatus.pdf.joining` makes one file of the two.
"""

from __future__ import annotations

import functools
import os
import pickle
import re
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import IO, TYPE_CHECKING, Any, NoReturn
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from apparatus.pdf.joining import join
from apparatus.pdf.patches import has_class
from apparatus.pdf.replacing import replaced
from apparatus.pdf.typeset import (
    CLASS_SELECTOR,
    STATIC,
    Typeset,
    TypesettingError,
    check_layout,
    library_warnings,
    render,
    write,
)

if TYPE_CHECKING:
    from weasyprint import CSS, HTML, Document

DOCUMENT = "ed-document"  # each document of the toctree (builder.PDFTranslator)
TEXT = "ed-text"  # a paragraph of the text
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@functools.cache
def page_reference_classes() -> frozenset[str]:
    """The classes of the elements to which the PDF's stylesheet adds the page of a reference
    (``target-counter``): a part that holds none has no page number to learn from the other."""
    css = COMMENT.sub("", (STATIC / "pdf.css").read_text(encoding="utf-8"))
    return frozenset(
        name
        for selector, body in RULE.findall(css)
        if "target-counter" in body
        for name in CLASS_SELECTOR.findall(selector)
    )


@dataclass(frozen=True)
class Cut:
    """Where an edition is cut: the documents of the second part, and the anchors each part
    links to in the other."""

    second: tuple[Element, ...]
    wanted_by_first: frozenset[str]
    wanted_by_second: frozenset[str]


def cut(root: Element) -> Cut | None:
    """The documents after the last text, if none of them refers to a page; None if there is no
    such document."""
    documents = list(_documents(root))
    kept = [at for at, document in enumerate(documents) if _keeps_to_the_first(document)]
    if not kept or not any(has_class(element, TEXT) for element in documents[kept[-1]].iter()):
        return None
    second = tuple(documents[kept[-1] + 1 :])
    if not second:
        return None
    first_ids, first_links = _anchors_and_links(_outside(root, set(second)))
    second_ids, second_links = _anchors_and_links(
        element for document in second for element in document.iter()
    )
    return Cut(second, frozenset(first_links & second_ids), frozenset(second_links & first_ids))


def _documents(parent: Element) -> Iterator[Element]:
    for child in parent:
        if has_class(child, DOCUMENT):
            yield child
        else:
            yield from _documents(child)


def _keeps_to_the_first(document: Element) -> bool:
    """A text keeps pages of its own (the one after it begins a page); a document with page
    references needs the pages of both parts."""
    wanted = page_reference_classes() | {TEXT}
    return any(not wanted.isdisjoint((element.get("class") or "").split()) for element in document.iter())


def _outside(parent: Element, left_out: set[Element]) -> Iterator[Element]:
    yield parent
    for child in parent:
        if child not in left_out:
            yield from _outside(child, left_out)


def _anchors_and_links(elements: Iterable[Element]) -> tuple[set[str], set[str]]:
    """The ids among ``elements``, and the anchors their internal links point at."""
    ids: set[str] = set()
    links: set[str] = set()
    for element in elements:
        if anchor := element.get("id"):
            ids.add(anchor)
        href = element.get("href") or ""
        if element.tag == "a" and href.startswith("#"):
            links.add(unquote(href[1:]))
    return ids, links


def _parents(root: Element) -> dict[Element, Element]:
    return {child: parent for parent in root.iter() for child in parent}


def keep_first(root: Element, where: Cut) -> None:
    parents = _parents(root)
    for document in where.second:
        parents[document].remove(document)


def keep_second(root: Element, where: Cut) -> None:
    """Only the second part's documents and their ancestors (the head left as it is); the
    ancestors' anchors are the first part's."""
    parents = _parents(root)
    ancestors = set()
    for document in where.second:
        element = document
        while element in parents:
            element = parents[element]
            element.attrib.pop("id", None)
            ancestors.add(element)
    body = next(child for child in root if child.tag == "body")
    _prune(body, ancestors, set(where.second))


def _prune(parent: Element, ancestors: set[Element], kept: set[Element]) -> None:
    for child in list(parent):
        if child in ancestors:
            _prune(child, ancestors, kept)
        elif child not in kept:
            parent.remove(child)


# -- the layout of each part --------------------------------------------------------------


# What WeasyPrint reads of a target's box: here the target is in the other part.
ELSEWHERE = SimpleNamespace(cached_counter_values={})


@contextmanager
def targets_elsewhere(anchors: frozenset[str], pages_of: Callable[[], dict[str, int]]) -> Iterator[None]:
    """The first part: the second's ``anchors`` known to WeasyPrint as targets from the start;
    after each pass over the pages, on the pages that ``pages_of`` gives in the second part
    (counted from its first), which follows this part's last page. A reference that shows a
    changed number has its page laid out again, as WeasyPrint does within one document."""
    from weasyprint import document as weasyprint_document
    from weasyprint import layout
    from weasyprint.css.targets import TargetLookupItem

    build = weasyprint_document.build_formatting_structure
    make_all_pages = layout.make_all_pages

    def build_with_targets(
        root: Any, style_for: Any, images: Any, base_url: Any, collector: Any, *rest: Any
    ) -> Any:
        for anchor in anchors:
            target = collector.target_lookup_items.setdefault(anchor, TargetLookupItem("up-to-date"))
            target.target_box = target.target_box or ELSEWHERE
        return build(root, style_for, images, base_url, collector, *rest)

    def make_all_pages_then_place(context: Any, *args: Any) -> Iterator[Any]:
        count = 0
        for page in make_all_pages(context, *args):
            count += 1
            yield page
        last = len(context.page_maker) - 1
        for anchor, page in pages_of().items():
            context.target_collector.cache_target_page_counters(
                anchor, {"page": [count + page]}, last, context.page_maker
            )

    with (
        replaced(weasyprint_document, "build_formatting_structure", build_with_targets),
        replaced(layout, "make_all_pages", make_all_pages_then_place),
    ):
        yield


@contextmanager
def laid_out(then: Callable[[Any], int]) -> Iterator[None]:
    """``then(context)`` once the pages are laid out for good, which is when WeasyPrint starts
    on their margins; the pages are then numbered on by the number it returns."""
    from weasyprint import layout

    make_margin_boxes = layout.make_margin_boxes
    offset: list[int] = []

    def margin_boxes(context: Any, page: Any, state: tuple[Any, ...]) -> Any:
        if not offset:
            offset.append(then(context))
        counters = {**state[1], "page": [number + offset[0] for number in state[1]["page"]]}
        return make_margin_boxes(context, page, (state[0], counters, *state[2:]))

    with replaced(layout, "make_margin_boxes", margin_boxes):
        yield


def numbered_on(
    anchors: frozenset[str], send: Callable[[dict[str, int]], None], offset: Callable[[], int]
) -> AbstractContextManager[None]:
    """The second part: once its pages are laid out, the pages of ``anchors`` are sent to the
    first part; page numbers then go on from the first part's last page, ``offset``."""

    def send_then_wait(context: Any) -> int:
        targets = context.target_collector.target_lookup_items
        pages = {anchor: targets[anchor].cached_page_counter_values.get("page") for anchor in anchors}
        send({anchor: page[-1] for anchor, page in pages.items() if page})
        return offset()

    return laid_out(send_then_wait)


def pages_told(tell: Callable[[int], None]) -> AbstractContextManager[None]:
    """The first part: its number of pages told to ``tell`` once they are laid out for good (and
    the second part's wait ends)."""

    def told(context: Any) -> int:
        tell(len(context.page_maker) - 1)  # an entry for each page, and one after
        return 0

    return laid_out(told)


def stand_ins(document: Document, anchors: Iterable[str]) -> None:
    """The other part's anchors, on this part's first page, so that links to them are written;
    joining the parts puts each where it is."""
    for anchor in anchors:
        document.pages[0].anchors.setdefault(anchor, (0, 0, 0, 0))


# -- the two processes ----------------------------------------------------------------------


def typeset_in_parts(page: HTML, css: CSS, where: Cut, target: Path) -> Typeset:
    """Typeset ``page`` with ``css`` in two parts at once, cut ``where``, and join them into
    ``target``; the warnings are those of the second part (the caller collects this process's)."""
    first_in, second_out = os.pipe()
    second_in, first_out = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(first_in)
        os.close(first_out)
        _typeset_second(page, css, where, os.fdopen(second_in, "rb"), os.fdopen(second_out, "wb"))
    os.close(second_in)
    os.close(second_out)
    try:
        with os.fdopen(first_in, "rb") as inbox, os.fdopen(first_out, "wb") as outbox:
            return _typeset_first(page, css, where, inbox, outbox, target)
    finally:
        os.waitpid(pid, 0)


def _typeset_first(
    page: HTML, css: CSS, where: Cut, inbox: IO[bytes], outbox: IO[bytes], target: Path
) -> Typeset:
    keep_first(page.etree_element, where)
    received: list[dict[str, int]] = []

    def pages_of() -> dict[str, int]:
        if not received:
            received.append(_receive(inbox))
        return received[0]

    def tell(count: int) -> None:
        with suppress(BrokenPipeError):  # the second part failed: its message says why
            _send(outbox, count)

    document = render(page, css, targets_elsewhere(where.wanted_by_first, pages_of), pages_told(tell))
    problems = check_layout(document)
    stand_ins(document, where.wanted_by_first)
    first = write(document, None)
    second, pages, second_problems, second_warnings = _receive(inbox)
    assert first is not None
    join(first, second, target, where.wanted_by_first, where.wanted_by_second)
    return Typeset(len(document.pages) + pages, (*problems, *second_problems), tuple(second_warnings))


def _typeset_second(page: HTML, css: CSS, where: Cut, inbox: IO[bytes], outbox: IO[bytes]) -> NoReturn:
    code = 1
    try:
        keep_second(page.etree_element, where)
        offset: list[int] = []

        def first_pages() -> int:
            offset.append(_receive(inbox))
            return offset[0]

        with library_warnings() as warnings:
            layout = numbered_on(where.wanted_by_first, functools.partial(_send, outbox), first_pages)
            document = render(page, css, layout)
            problems = check_layout(document, offset[0] + 1)
            stand_ins(document, where.wanted_by_second)
            pdf = write(document, None, ids="part2-")
        _send(outbox, (pdf, len(document.pages), problems, warnings))
        code = 0
    except BaseException:
        with suppress(OSError):  # the first part went away first
            _send(outbox, TypesettingError(traceback.format_exc()))
    finally:
        os._exit(code)


def _send(outbox: IO[bytes], message: Any) -> None:
    pickle.dump(message, outbox)
    outbox.flush()


def _receive(inbox: IO[bytes]) -> Any:
    try:
        message = pickle.load(inbox)
    except EOFError:
        raise TypesettingError("the process typesetting the second part ended without a result") from None
    if isinstance(message, TypesettingError):
        raise message
    return message
