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


def test_the_benchmark_times_weasyprint_as_it_imports_parses_renders_and_writes(tmp_path):
    """WeasyPrint's part of a timed program holds its import and the time the program itself
    measures around its calls that parse HTML and CSS, render and write, and nothing more, also
    where they run in a forked process (as the edition's builder runs them)."""
    import subprocess

    import run

    program = (
        "import os, sys, time\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    import weasyprint\n"
        "    start = time.perf_counter()\n"
        "    for _ in range(5): weasyprint.HTML(string='<p>Text</p>' * 2000)\n"
        "    for _ in range(5): weasyprint.CSS(string='p { color: red } ' * 500)\n"
        "    for _ in range(5): weasyprint.HTML(string='<p>Text</p>').render().write_pdf()\n"
        "    open(sys.argv[1], 'w').write(repr(time.perf_counter() - start))\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
    )
    report, inner = tmp_path / "weasyprint", tmp_path / "inner"
    subprocess.run(run.weasyprint_timed([sys.executable, "-c", program, str(inner)], report), check=True)
    (imported, calls), measured = run.weasyprint_part(report), float(inner.read_text())
    assert imported > 0
    assert measured * 0.9 <= calls <= measured
    sphinx = run.weasyprint_timed([sys.executable, "-m", "sphinx", "-b", "html"], report)
    assert sphinx[2].endswith(run.RUN_SPHINX) and sphinx[3:] == [str(report), "-b", "html"]


def test_the_benchmark_counts_the_processor_time_of_every_process_of_a_build(tmp_path):
    """A build's processor time holds that of the processes it forks, as the edition's builder
    forks its typesetting, once they have been waited for."""
    import run

    program = (
        "import os, sys, time\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    total = 0\n"
        "    while time.process_time() < 0.4: total += 1\n"
        "    open(sys.argv[1], 'w').write(repr(time.process_time()))\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
    )
    child = tmp_path / "child"
    done = run.measure([sys.executable, "-c", program, str(child)])
    assert done.ok
    assert float(child.read_text()) <= done.cpu_seconds <= done.seconds * 2
