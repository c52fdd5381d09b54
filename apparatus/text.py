"""The text model: an original plain-text file split into a title and numbered paragraphs.

The file is never altered. Each paragraph keeps its character offsets into the file, so that
every later stage (anchoring, exports) can point back at the original exactly.

Layout of an original: the first line is the title; paragraphs follow, separated by one or more
blank lines. Whitespace inside a paragraph is kept as it is.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import unicodedata
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
    paragraphs: list[Paragraph] = []
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


def invisible(character: str) -> str | None:
    """The name of a character an editor cannot see (a BOM, a zero-width space...), if it is one."""
    if character in "\n\t" or unicodedata.category(character) not in {"Cf", "Cc", "Zs", "Zl", "Zp"}:
        return None
    if character == " ":
        return None
    return f"U+{ord(character):04X} {unicodedata.name(character, 'CONTROL CHARACTER')}"


def shown(passage: str) -> str:
    """A passage quoted for a message, its invisible characters named."""
    named = [f"<{invisible(c)}>" if invisible(c) else c for c in passage]
    return repr("".join(named))


def first_difference(original: str, changed: str) -> str:
    """Where ``changed`` first departs from ``original``, in the words of a message."""
    offset = next(
        (i for i, (a, b) in enumerate(zip(original, changed, strict=False)) if a != b),
        min(len(original), len(changed)),
    )
    line = changed.count("\n", 0, offset) + 1
    column = offset - (changed.rfind("\n", 0, offset) + 1) + 1
    was, now = original[offset : offset + 12], changed[offset : offset + 12]
    return (
        f"the first difference is at character {offset} (line {line}, column {column}): "
        f"the original has {shown(was) if was else 'its end'}, the file has {shown(now) if now else 'its end'}"
    )


def explain_change(source: str, pinned: str, committed: str | None) -> str:
    """What can be seen of how a file departs from the original pinned by its SHA-256:
    a byte order mark or line endings added by an editor, else the first difference from the
    committed version when that is the original, else the invisible characters it holds."""
    if source.startswith("\ufeff") and sha256_of(source[1:]) == pinned:
        return "the file begins with an invisible byte order mark (BOM, U+FEFF): save it without BOM"
    if "\r\n" in source and sha256_of(source.replace("\r\n", "\n")) == pinned:
        return "the file has Windows line endings (CR LF) where the original has LF: restore them"
    for ending in ("\n", ""):
        if sha256_of(source.rstrip("\n") + ending) == pinned:
            return "only the line break at the end of the file differs: restore it"
    if committed is not None and sha256_of(committed) == pinned:
        return first_difference(committed, source)
    hidden = sorted({name for name in map(invisible, source) if name})
    if hidden:
        return f"the file holds invisible characters: {', '.join(hidden)}"
    return "no copy of the original was found to compare it with (it is not in version control)"


def committed_version(path: Path) -> str | None:
    """The file as last committed to git, if the project is a git repository."""
    try:
        done = subprocess.run(
            ["git", "-C", str(path.parent), "show", f"HEAD:./{path.name}"],
            capture_output=True,
            check=False,
            timeout=10,
        )
        return done.stdout.decode("utf-8") if done.returncode == 0 else None
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return None
