"""The text model: paragraphs and offsets that point back into the original exactly."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from apparatus.text import parse_text


def test_title_and_paragraphs_with_offsets():
    source = "Title\n\n\nFirst one.\n\nSecond  one,  spaced.\n\nLast"
    model = parse_text(source)
    assert model.title == "Title"
    assert [p.text for p in model.paragraphs] == ["First one.", "Second  one,  spaced.", "Last"]
    assert [p.number for p in model.paragraphs] == [1, 2, 3]
    for paragraph in model.paragraphs:
        assert source[paragraph.start : paragraph.end] == paragraph.text


def test_a_final_line_break_is_not_part_of_the_last_paragraph():
    assert parse_text("T\n\nOnly.\n").paragraphs[-1].text == "Only."


def test_a_paragraph_keeps_its_inner_line_breaks():
    assert parse_text("T\n\nline one\nline two").paragraphs[0].text == "line one\nline two"


words = st.text(alphabet=st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)), min_size=1)


@given(title=words, paragraphs=st.lists(words.filter(str.strip), min_size=1, max_size=8))
def test_offsets_always_point_at_the_paragraph_text(title, paragraphs):
    source = title + "\n\n" + "\n\n".join(paragraphs)
    model = parse_text(source)
    assert len(model.paragraphs) == len(paragraphs)
    for paragraph, expected in zip(model.paragraphs, paragraphs, strict=True):
        assert paragraph.text == expected
        assert source[paragraph.start : paragraph.end] == expected
