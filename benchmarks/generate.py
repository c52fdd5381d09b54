"""Generate the projects the benchmark builds, each in a folder of its own (a temporary one).

- ``stress_edition``: the edition's article repeated N times, with synthetic notes in a fixed
  density (40 per 4,500 characters by default), built by the edition's own configuration and
  extension: anchored lemmas, categories, related notes, cross-references and citations.
- ``footnote_baseline``: the same text and notes for plain Sphinx + furo, every note an
  ordinary auto-numbered footnote placed after its lemma.

Run it alone to look at what the benchmark builds:
``python benchmarks/generate.py OUTDIR --scale 10`` writes OUTDIR/edition and OUTDIR/baseline.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apparatus.taxonomy import CATEGORIES  # noqa: E402
from apparatus.text import load_text  # noqa: E402

BASELINE_CONF = Path(__file__).resolve().parent / "baseline" / "conf.py"
ARTICLE = ROOT / "source" / "article.txt"
BIBLIOGRAPHY = ROOT / "source" / "references.bib"
DENSITY = 40 / 4500  # notes per character of the original
# What a copy of the edition needs besides its content; never the sources, builds or tests.
PROJECT_SKIP = {"_build", "tests", "benchmarks", "source", "node_modules", "docs-internal"}
FILLER = (
    "The passage asserts more than the text supports, and the reader is given no date, "
    "source or figure with which to check it; read against the rest of the article it also "
    "leaves open which of two possible readings is meant, so the claim cannot be assessed as "
    "it stands."
)
SLUGS = [category.slug for category in CATEGORIES if category.slug != "contradiction"]


@dataclass(frozen=True)
class Note:
    label: str
    paragraph: int
    lemma: str
    start: int  # offsets in the paragraph
    end: int
    category: str
    related: tuple[str, ...]  # the notes a contradiction conflicts with
    body: str  # reStructuredText, with the edition's roles
    plain: str  # the same as plain text, for ordinary footnotes


def bibliography_keys(path: Path = BIBLIOGRAPHY) -> list[str]:
    if not path.is_file():
        return []
    return re.findall(r"^@\w+\{([^,\s]+),", path.read_text(encoding="utf-8"), flags=re.MULTILINE)


def stress_text(scale: int) -> str:
    """The article's title, then its paragraphs ``scale`` times over, as one original."""
    model = load_text(ARTICLE)
    paragraphs = [p.text for p in model.paragraphs] * scale
    return model.title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def _lemma_at(
    text: str, words: list[re.Match], index: int, taken: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """The shortest run of words from ``index`` that occurs once in the paragraph and is free."""
    for length in range(1, 9):
        if index + length > len(words):
            return None
        start, end = words[index].start(), words[index + length - 1].end()
        phrase = text[start:end]
        if "\n" in phrase:
            return None
        if text.count(phrase) == 1 and text.find(phrase) == start:
            if all(end <= s or start >= e for s, e in taken):
                return start, end
            return None
    return None


def place_notes(paragraphs: list[str], density: float = DENSITY) -> list[list[tuple[int, int]]]:
    """Spans for the notes of each paragraph, spread evenly, ``density`` notes per character."""
    placed, total_chars, total_notes = [], 0, 0
    for text in paragraphs:
        total_chars += len(text)
        wanted = round(total_chars * density) - total_notes
        words = list(re.finditer(r"\S+", text))
        spans: list[tuple[int, int]] = []
        for k in range(max(wanted, 0)):
            index = int((k + 0.5) * len(words) / wanted)
            for candidate in range(index, len(words)):
                span = _lemma_at(text, words, candidate, spans)
                if span is not None:
                    spans.append(span)
                    break
        placed.append(sorted(spans))
        total_notes += len(spans)
    return placed


def synthetic_notes(text: str, density: float = DENSITY) -> list[Note]:
    """Notes of every kind the edition has: categories in turn, links, citations, contradictions."""
    model = load_text_from(text)
    keys = bibliography_keys()
    notes: list[Note] = []
    spans = place_notes([p.text for p in model.paragraphs], density)
    for paragraph, paragraph_spans in zip(model.paragraphs, spans, strict=True):
        for k, (start, end) in enumerate(paragraph_spans, start=1):
            serial = len(notes)
            previous = notes[-1].label if notes else None
            related = (previous,) if previous and serial % 5 == 0 else ()
            category = "contradiction" if related else SLUGS[serial % len(SLUGS)]
            body, plain = [FILLER], [FILLER]
            if previous and serial % 4 == 1:
                body.append(f"Compare :ed:note:`{previous}`.")
                plain.append(f"Compare n. {previous}.")
            if keys and serial % 3 == 0:
                key = keys[serial % len(keys)]
                body.append(f"See :cite:p:`{key}`.")
                plain.append(f"See ({key}).")
            if serial % 7 == 0:
                body.append(f"The same words recur in :ed:par:`{paragraph.number}`.")
                plain.append(f"The same words recur in ¶{paragraph.number}.")
            notes.append(
                Note(
                    f"{paragraph.number}.{k}",
                    paragraph.number,
                    paragraph.text[start:end],
                    start,
                    end,
                    category,
                    related,
                    " ".join(body),
                    " ".join(plain),
                )
            )
    return notes


def load_text_from(text: str):  # noqa: ANN201 (a TextModel)
    from apparatus.text import parse_text

    return parse_text(text)


# -- the edition ---------------------------------------------------------------------------------


def copy_project(dest: Path) -> None:
    """The edition's configuration, extension and assets, without its content."""
    dest.mkdir(parents=True, exist_ok=True)
    for item in ROOT.iterdir():
        if item.name in PROJECT_SKIP or item.name.startswith(".") or item.suffix in {".rst", ".md"}:
            continue
        if item.is_dir():
            shutil.copytree(item, dest / item.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(item, dest / item.name)


def note_directive(note: Note) -> str:
    lines = [
        f".. ed:note:: {note.label}",
        f"   :paragraph: {note.paragraph}",
        f"   :lemma: {note.lemma}",
        f"   :category: {note.category}",
    ]
    if note.related:
        lines.append(f"   :conflicts: {' '.join(note.related)}")
    return "\n".join([*lines, "", f"   {note.body}", ""])


def stress_edition(dest: Path, scale: int, density: float = DENSITY) -> tuple[int, int]:
    """Write a stress edition into ``dest``; return (characters of the original, notes)."""
    text = stress_text(scale)
    notes = synthetic_notes(text, density)
    copy_project(dest)
    source = dest / "source"
    source.mkdir(parents=True, exist_ok=True)
    (source / "article.txt").write_text(text, encoding="utf-8", newline="")
    if BIBLIOGRAPHY.is_file():
        shutil.copy2(BIBLIOGRAPHY, source / "references.bib")
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    page = [f".. ed:text:: article.txt\n   :sha256: {checksum}\n"] + [note_directive(n) for n in notes]
    (source / "text.rst").write_text("\n".join(page), encoding="utf-8")
    (source / "bibliography.rst").write_text("Bibliography\n============\n\n.. bibliography::\n   :all:\n")
    (dest / "index.rst").write_text(
        "Stress edition\n==============\n\n.. toctree::\n\n   source/text\n   source/bibliography\n",
        encoding="utf-8",
    )
    return len(text), len(notes)


# -- the baseline --------------------------------------------------------------------------------


def escape(text: str, starts_block: bool = False) -> str:
    """Plain text as reStructuredText that renders to exactly that text.

    At the start of a block, a leading mark ("-", "1.", "..") would start a list or a
    directive: it is escaped too.
    """
    escaped = re.sub(r"([\\*`|_\[\]<>])", r"\\\1", text)
    if starts_block and escaped and not escaped[0].isalnum() and escaped[0] != "\\":
        return "\\" + escaped
    return escaped


def footnote_body(plain: str) -> str:
    parts = [escape(part, starts_block=True).replace("\n", " ") for part in plain.split("\n\n")]
    return "\n\n   ".join(parts)


def footnote_page(text: str, notes: list[tuple[int, int, int, str]]) -> str:
    """The original as a page with ordinary footnotes: (paragraph, start, end, plain text) each."""
    model = load_text_from(text)
    title = escape(model.title, starts_block=True)
    lines = [title, "=" * (len(title) + 4), ""]
    footnotes = []
    by_paragraph: dict[int, list[tuple[int, int, str]]] = {}
    for number, start, end, plain in notes:
        by_paragraph.setdefault(number, []).append((start, end, plain))
    for paragraph in model.paragraphs:
        position, pieces = 0, []
        for _start, end, plain in sorted(by_paragraph.get(paragraph.number, []), key=lambda n: n[1]):
            pieces.append(escape(paragraph.text[position:end], starts_block=not pieces) + "\\ [#]_")
            footnotes.append(f".. [#] {footnote_body(plain)}")
            position = end
        pieces.append(escape(paragraph.text[position:], starts_block=not pieces))
        lines += ["".join(pieces), ""]
    return "\n".join([*lines, "", *footnotes, ""])


def footnote_baseline(dest: Path, text: str, notes: list[tuple[int, int, int, str]]) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(BASELINE_CONF, dest / "conf.py")
    (dest / "index.rst").write_text(footnote_page(text, notes), encoding="utf-8")


def stress_baseline(dest: Path, scale: int, density: float = DENSITY) -> None:
    text = stress_text(scale)
    notes = synthetic_notes(text, density)
    footnote_baseline(dest, text, [(n.paragraph, n.start, n.end, n.plain) for n in notes])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    chars, count = stress_edition(args.outdir / "edition", args.scale)
    stress_baseline(args.outdir / "baseline", args.scale)
    print(f"{args.outdir}: {chars} characters, {count} notes")


if __name__ == "__main__":
    main()
