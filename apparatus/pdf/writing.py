"""Work-arounds for pydyf 0.13 and WeasyPrint 70 while the PDF file is written: streams
compressed at a faster level, and the same bytes as before written with less work."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from types import SimpleNamespace
from typing import Any

from apparatus.pdf.replacing import replaced

# pydyf compresses every stream at zlib's level 9, which costs about five times level 6 for
# 4 % smaller streams: this edition's 33 pages of tagged PDF hold 4 MB of them.
COMPRESSION_LEVEL = 6


@contextmanager
def writing_faster() -> Iterator[None]:
    with ExitStack() as stack:
        stack.enter_context(_faster_compression())
        stack.enter_context(_objects_serialised_once())
        stack.enter_context(_page_references_listed_once())
        stack.enter_context(_font_arrays_typed_once())
        yield


def _faster_compression() -> Any:
    import pydyf

    fast = SimpleNamespace(
        compress=zlib.compress,
        compressobj=lambda level=COMPRESSION_LEVEL, **options: zlib.compressobj(COMPRESSION_LEVEL, **options),
    )
    return replaced(pydyf, "zlib", fast)


def _objects_serialised_once() -> Any:
    """Each object of the file serialised (and its stream compressed) once, not twice.

    pydyf 0.13 serialises every object to write it, then all of them again to hash them into
    the file identifier. Nothing changes between the two, so the bytes of the first are kept
    for the second while the file is written (same output)."""
    import pydyf

    write = pydyf.PDF.write

    def write_once(pdf: Any, *args: Any, **options: Any) -> Any:
        kept: dict[int, bytes] = {}
        with ExitStack() as stack:
            for kind in (pydyf.Dictionary, pydyf.Stream, pydyf.Array, pydyf.String):
                stack.enter_context(replaced(kind, "data", _kept_data(kind.data, kept)))
            return write(pdf, *args, **options)

    return replaced(pydyf.PDF, "write", write_once)


def _kept_data(data: property, kept: dict[int, bytes]) -> property:
    """``data`` of an indirect object (the objects of the file, those with a number) kept."""

    def kept_data(item: Any) -> bytes:
        if item.number is None:
            return data.fget(item)  # type: ignore[misc]
        key = id(item)
        if key not in kept:
            kept[key] = data.fget(item)  # type: ignore[misc]
        return kept[key]

    return property(kept_data)


def _page_references_listed_once() -> Any:
    """pydyf 0.13 makes the list of the pages' references anew each time one is asked for:
    once for every tagged element, 17,000 times here. It is kept until a page is added."""
    import pydyf

    listed = pydyf.PDF.page_references

    def page_references(pdf: Any) -> tuple[bytes, ...]:
        count = len(pdf.pages["Kids"])
        known = pdf.__dict__.get("ed_page_references")
        if known is None or known[0] != count:
            known = (count, listed.fget(pdf))
            pdf.__dict__["ed_page_references"] = known
        return known[1]

    return replaced(pydyf.PDF, "page_references", property(page_references))


ARRAY = re.compile(r"(?P<item>[\w ]+)\[(?P<length>\d+)\]")


class _ArraysTypedOnce:
    """cffi's ``ffi``, but an array made of given items is typed by its items alone (``T[]``),
    not by their number (``T[N]``): the same array."""

    def __init__(self, ffi: Any) -> None:
        self._ffi = ffi

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ffi, name)

    def new(self, ctype: str, init: Any = None) -> Any:
        array = ARRAY.fullmatch(ctype)
        if array and isinstance(init, list | tuple) and len(init) == int(array["length"]):
            ctype = f"{array['item']}[]"  # as long as ``init``, the same array
        return self._ffi.new(ctype, init)


def _font_arrays_typed_once() -> Any:
    """WeasyPrint 70 subsets each font with arrays typed by their length (``hb_codepoint_t[N]``
    for the N glyphs it keeps): cffi parses each such type anew, some 2.5 ms each, 10 types a
    part. Typed by their items alone (``hb_codepoint_t[]``), they are one type."""
    from weasyprint.pdf import fonts

    return replaced(fonts, "ffi", _ArraysTypedOnce(fonts.ffi))
