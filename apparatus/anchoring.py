"""Anchoring: find the span of a lemma in its paragraph, and arrange spans for rendering.

A lemma must occur exactly once in its paragraph, or exactly once inside a longer context
that itself occurs once: a note is never attached to a look-alike passage by guesswork.
Spans may be disjoint, identical or nested; spans that cross each other cannot be marked up
as nested elements and are refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


class AnchorError(ValueError):
    """A lemma that cannot be placed in its paragraph unambiguously."""


@dataclass(frozen=True, order=True)
class Span:
    start: int  # offsets into the paragraph, end exclusive
    end: int
    key: str = field(compare=False)  # the note's label


def occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of needle in text."""
    found = []
    start = text.find(needle)
    while start != -1:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


def _find_once(text: str, needle: str, what: str, where: str = "the paragraph") -> int:
    found = occurrences(text, needle)
    if not found:
        raise AnchorError(f"{what} {needle!r} is not in {where}{near_miss(text, needle)}")
    if len(found) > 1:
        raise AnchorError(
            f"{what} {needle!r} occurs {len(found)} times in {where}; "
            "give a longer :context: that contains it once and occurs only once"
        )
    return found[0]


def anchor(paragraph: str, lemma: str, key: str, context: str | None = None) -> Span:
    """Return the span of ``lemma`` in ``paragraph``, or raise AnchorError saying why not."""
    if not lemma:
        raise AnchorError("the lemma is empty")
    if context is None:
        start = _find_once(paragraph, lemma, "lemma")
        return Span(start, start + len(lemma), key)
    context_start = _find_once(paragraph, context, "context")
    inner = _find_once(context, lemma, "lemma", where=f"its context {context!r}")
    start = context_start + inner
    return Span(start, start + len(lemma), key)


# The slips that keep a lemma from matching, each a way to normalise a character. A passage
# that matches once all are applied is the one the editor meant.
QUOTES = str.maketrans("‘’‚‛′“”„‟″", "'''''\"\"\"\"\"")
DASHES = str.maketrans("‐‑‒–—―−", "-------")
SLIPS = ("quote style", "dashes", "letter case", "spacing")


def _normalise(character: str, skip: str = "") -> str:
    if skip != "quote style":
        character = character.translate(QUOTES)
    if skip != "dashes":
        character = character.translate(DASHES)
    if skip != "letter case" and len(character.lower()) == 1:
        character = character.lower()
    if skip != "spacing" and character.isspace():
        character = " "
    return character


def _normalised(text: str, skip: str = "") -> tuple[str, list[int]]:
    """The text normalised, and for each of its characters the offset it came from."""
    out: list[str] = []
    origin: list[int] = []
    for offset, character in enumerate(text):
        character = _normalise(character, skip)
        if character == " " and skip != "spacing" and out and out[-1] == " ":
            continue  # a run of spaces or line breaks counts as one space
        out.append(character)
        origin.append(offset)
    return "".join(out), origin


def near_miss(text: str, needle: str) -> str:
    """Help for a passage that is not found: the one it nearly matches and how they differ."""
    if not needle.strip():
        return ""
    normal_text, origin = _normalised(text)
    normal_needle = _normalised(needle)[0].strip()
    found = normal_text.find(normal_needle)
    if found != -1:
        passage = text[origin[found] : origin[found + len(normal_needle) - 1] + 1]
        slips = [
            slip for slip in SLIPS if _normalised(passage, slip)[0] != _normalised(needle, slip)[0].strip()
        ]
        return (
            f"; the nearest passage is {passage!r}, which differs in {' and '.join(slips)}: copy it exactly"
        )
    length = _longest_prefix(text, needle)
    if length < max(3, len(needle) // 3):
        return ""
    start = text.find(needle[:length]) + length
    return (
        f"; it matches up to {needle[:length]!r}, after which the paragraph has "
        f"{text[start : start + 15]!r} where the lemma has {needle[length : length + 15]!r}"
    )


def _longest_prefix(text: str, needle: str) -> int:
    """The length of the longest start of ``needle`` that occurs in ``text`` (a binary search:
    if a start occurs, every shorter one does)."""
    low, high = 0, len(needle)
    while low < high:
        middle = (low + high + 1) // 2
        if needle[:middle] in text:
            low = middle
        else:
            high = middle - 1
    return low


def crossing(spans: Iterable[Span]) -> tuple[Span, Span] | None:
    """The first pair of spans that partly overlap (neither contains the other), if any."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    open_spans: list[Span] = []
    for span in ordered:
        while open_spans and open_spans[-1].end <= span.start:
            open_spans.pop()
        if open_spans and span.end > open_spans[-1].end:
            return open_spans[-1], span
        open_spans.append(span)
    return None


@dataclass
class Segment:
    """A piece of a paragraph: plain text, or a marked span holding further segments."""

    start: int
    end: int
    span: Span | None = None
    children: list[Segment] = field(default_factory=list)


def nest(length: int, spans: Sequence[Span]) -> list[Segment]:
    """Arrange non-crossing spans over a paragraph of ``length`` characters as a tree.

    The concatenated leaves cover the paragraph exactly once, in order; that is what keeps
    the rendered text verbatim. Of identical spans, the first given is innermost, so that
    their calls, which follow each span, come out in the order given.
    """
    ordered = sorted(reversed(spans), key=lambda s: (s.start, -s.end))
    root = Segment(0, length)
    stack = [root]
    for span in ordered:
        while stack[-1].span is not None and stack[-1].end <= span.start:
            stack.pop()
        node = Segment(span.start, span.end, span)
        stack[-1].children.append(node)
        stack.append(node)
    _fill_gaps(root)
    return root.children


def _fill_gaps(segment: Segment) -> None:
    filled: list[Segment] = []
    position = segment.start
    for child in segment.children:
        if child.start > position:
            filled.append(Segment(position, child.start))
        _fill_gaps(child)
        filled.append(child)
        position = child.end
    if position < segment.end:
        filled.append(Segment(position, segment.end))
    segment.children = filled
