"""The text model: an original plain-text file split into a title and numbered paragraphs.

The file is never altered. Each paragraph keeps its character offsets into the file, so that
every later stage (anchoring, exports) can point back at the original exactly.

Layout of an original: the first line is the title; paragraphs follow, separated by one or more
blank lines. Whitespace inside a paragraph is kept as it is.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")


@dataclass(frozen=True)
class Paragraph:
    number: int  # 1-based, as printed (¶1, ¶2, ...)
    start: int  # offset of the first character in the original
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class TextModel:
    source: str  # the whole original, unchanged
    title: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def sha256(self) -> str:
        return sha256_of(self.source)

    def paragraph(self, number: int) -> Paragraph | None:
        if 1 <= number <= len(self.paragraphs):
            return self.paragraphs[number - 1]
        return None


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_text(source: str) -> TextModel:
    """Split an original into its title line and numbered paragraphs, keeping offsets."""
    title_end = source.find("\n")
    if title_end == -1:
        return TextModel(source, source, ())
    title = source[:title_end]
    paragraphs = []
    position = title_end
    for block in _BLANK_LINES.split(source[title_end:]):
        position = source.index(block, position) if block else position
        text = block.rstrip("\r\n")  # a final line break ends the file, not the paragraph
        if text.strip():
            paragraphs.append(Paragraph(len(paragraphs) + 1, position, text))
        position += len(block)
    return TextModel(source, title, tuple(paragraphs))


def load_text(path: Path) -> TextModel:
    # newline="" keeps the file's own line endings: the model must equal the file byte for byte.
    with path.open(encoding="utf-8", newline="") as handle:
        return parse_text(handle.read())
