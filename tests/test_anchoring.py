"""Anchoring: lemma → span, and the nesting of spans that keeps the text verbatim."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from apparatus.anchoring import AnchorError, Segment, Span, anchor, crossing, nest, occurrences

TEXT = "The cat sat on the mat. The dog sat on the cat."


def flatten(segments: list[Segment], text: str) -> str:
    """The text as the renderer writes it: leaves in order, marks adding no characters."""
    return "".join(text[s.start : s.end] if s.span is None else flatten(s.children, text) for s in segments)


def test_a_unique_lemma_anchors_at_its_offsets():
    span = anchor(TEXT, "the mat", "1")
    assert TEXT[span.start : span.end] == "the mat"


def test_a_repeated_lemma_needs_context():
    with pytest.raises(AnchorError, match="occurs 2 times"):
        anchor(TEXT, "cat", "1")
    span = anchor(TEXT, "cat", "1", context="on the cat")
    assert (span.start, span.end) == (TEXT.rindex("cat"), len(TEXT) - 1)


def test_a_context_must_itself_be_unique_and_contain_the_lemma():
    with pytest.raises(AnchorError, match="context 'sat on' occurs 2 times"):
        anchor(TEXT, "sat", "1", context="sat on")
    with pytest.raises(AnchorError, match="not in its context"):
        anchor(TEXT, "dog", "1", context="the mat")


def test_an_absent_or_empty_lemma_is_refused():
    with pytest.raises(AnchorError, match="not in the paragraph"):
        anchor(TEXT, "the hat", "1")
    with pytest.raises(AnchorError, match="empty"):
        anchor(TEXT, "", "1")


def test_occurrences_counts_overlapping_matches():
    assert occurrences("aaaa", "aa") == [0, 1, 2]


def test_crossing_spans_are_found_nested_and_identical_ones_are_not():
    assert crossing([Span(0, 5, "a"), Span(3, 8, "b")]) == (Span(0, 5, "a"), Span(3, 8, "b"))
    assert crossing([Span(0, 8, "a"), Span(3, 5, "b"), Span(3, 5, "c"), Span(8, 9, "d")]) is None


def test_nesting_covers_the_paragraph_once():
    spans = [anchor(TEXT, "sat on the mat", "a"), anchor(TEXT, "the mat", "b"), anchor(TEXT, "dog", "c")]
    segments = nest(len(TEXT), spans)
    assert flatten(segments, TEXT) == TEXT
    marked = [s for s in segments if s.span]
    assert [s.span.key for s in marked] == ["a", "c"]
    assert [c.span.key for c in marked[0].children if c.span] == ["b"]


@given(st.text(min_size=1, max_size=200), st.data())
def test_any_substring_that_occurs_once_can_be_anchored(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    lemma = text[start:end]
    assume(len(occurrences(text, lemma)) == 1)
    span = anchor(text, lemma, "n")
    assert (span.start, span.end) == (start, end)


@st.composite
def nested_spans(draw, length: int) -> list[Span]:
    """Random non-crossing spans: split intervals recursively."""
    spans: list[Span] = []

    def fill(start: int, end: int, depth: int) -> None:
        position = start
        while position < end and depth < 4:
            s = draw(st.integers(position, end))
            e = draw(st.integers(s, end))
            if e > s and draw(st.booleans()):
                spans.append(Span(s, e, f"n{len(spans)}"))
                fill(s, e, depth + 1)
            position = max(e, s + 1)

    fill(0, length, 0)
    return spans


@given(st.text(min_size=1, max_size=120), st.data())
def test_rendered_text_stays_verbatim_whatever_the_spans(text, data):
    spans = data.draw(nested_spans(len(text)))
    assert crossing(spans) is None
    segments = nest(len(text), spans)
    assert flatten(segments, text) == text
    keys = []

    def walk(segments: list[Segment]) -> None:
        for segment in segments:
            if segment.span:
                keys.append(segment.span.key)
                assert text[segment.start : segment.end] == text[segment.span.start : segment.span.end]
                walk(segment.children)

    walk(segments)
    assert sorted(keys) == sorted(s.key for s in spans)


@pytest.mark.parametrize(
    ("lemma", "help"),
    [
        ("Russia's army", "the nearest passage is 'Russia’s army', which differs in quote style"),
        ("russia’s army", "the nearest passage is 'Russia’s army', which differs in letter case"),
        ("Russia’s  army", "the nearest passage is 'Russia’s army', which differs in spacing"),
        ("the “West” - the", "'the “West” – the', which differs in dashes"),
        ('the "west"', "'the “West”', which differs in quote style and letter case"),
        ("Russia’s navy", "it matches up to 'Russia’s ', after which the paragraph has 'army and the “W'"),
    ],
)
def test_a_lemma_that_nearly_matches_is_shown_with_its_difference(lemma, help):
    paragraph = "Russia’s army and the “West” – the old rivals."
    with pytest.raises(AnchorError) as error:
        anchor(paragraph, lemma, "1.1")
    assert help in str(error.value)


def test_no_help_for_a_lemma_that_matches_nothing():
    with pytest.raises(AnchorError) as error:
        anchor("Russia’s army", "China", "1.1")
    assert str(error.value) == "lemma 'China' is not in the paragraph"
