"""The benchmark's generator: stress editions are valid editions, baselines show the same text."""

from __future__ import annotations

import sys
from pathlib import Path

from docutils import nodes
from docutils.core import publish_doctree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import generate

from apparatus.anchoring import anchor, crossing
from apparatus.text import parse_text


def test_stress_text_repeats_the_article_and_notes_keep_the_density():
    text = generate.stress_text(10)
    model = parse_text(text)
    assert len(model.paragraphs) == 10 * len(
        parse_text(generate.ARTICLE.read_text(encoding="utf-8")).paragraphs
    )
    notes = generate.synthetic_notes(text)
    expected = len(text) * generate.DENSITY
    assert abs(len(notes) - expected) <= 0.05 * expected
    assert len({note.label for note in notes}) == len(notes)


def test_every_synthetic_lemma_anchors_once_and_no_two_cross():
    text = generate.stress_text(2)
    model = parse_text(text)
    notes = generate.synthetic_notes(text)
    by_paragraph: dict[int, list] = {}
    for note in notes:
        paragraph = model.paragraph(note.paragraph)
        span = anchor(paragraph.text, note.lemma, note.label)  # raises unless it occurs once
        assert (span.start, span.end) == (note.start, note.end)
        by_paragraph.setdefault(note.paragraph, []).append(span)
    assert all(crossing(spans) is None for spans in by_paragraph.values())
    labels = {note.label for note in notes}
    assert all(set(note.related) <= labels for note in notes)
    assert all(note.related for note in notes if note.category == "contradiction")


def test_the_footnote_baseline_renders_exactly_the_original_text():
    text = generate.stress_text(1)
    notes = generate.synthetic_notes(text)
    page = generate.footnote_page(text, [(n.paragraph, n.start, n.end, n.plain) for n in notes])
    doctree = publish_doctree(page, settings_overrides={"report_level": 2, "halt_level": 2})
    for reference in list(doctree.findall(nodes.footnote_reference)):
        reference.parent.remove(reference)
    section = next(iter(doctree.findall(nodes.section)), doctree)
    paragraphs = [p.astext() for p in section.children if isinstance(p, nodes.paragraph)]
    model = parse_text(text)
    assert doctree.astext().startswith(model.title)
    assert paragraphs == [p.text for p in model.paragraphs]
    assert len(list(doctree.findall(nodes.footnote))) == len(notes)
