"""A work-around for tinyhtml5 2.1, WeasyPrint's HTML parser, while it parses the edition.

tinyhtml5 keeps the pattern of each set of characters its tokenizer reads up to, to make it once,
but files it under the pattern itself rather than the characters (``characters = cache[key] =
pattern`` assigns ``characters`` first): every call makes the pattern again, a third of the
time it takes to parse this edition's 270 kB of HTML. Here the cache makes a missing pattern
itself, as tinyhtml5 would, and files it where tinyhtml5 looks for it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from contextlib import contextmanager

from apparatus.pdf.replacing import replaced

# The line of tinyhtml5 2.1's ``HTMLInputStream.chars_until`` that files the pattern amiss.
FILED_AMISS = "characters = characters_until_regex[(characters, opposite)] = regex"


class _Patterns(dict[tuple[str, bool], re.Pattern[str]]):
    """tinyhtml5's pattern for the characters of a key, made when first asked for."""

    def __missing__(self, key: tuple[str, bool]) -> re.Pattern[str]:
        characters, opposite = key
        listed = "".join(f"\\x{ord(character):02x}" for character in characters)
        pattern = self[key] = re.compile(f"[{listed}]+" if opposite else f"[^{listed}]+")
        return pattern


@contextmanager
def parsing_faster() -> Iterator[None]:
    """While WeasyPrint parses HTML: tinyhtml5's patterns made once each (same tree)."""
    from tinyhtml5 import inputstream

    if FILED_AMISS not in inspect.getsource(inputstream.HTMLUnicodeInputStream.chars_until):
        yield
        return
    with replaced(inputstream, "characters_until_regex", _Patterns()):
        yield
