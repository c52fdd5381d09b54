"""Notes files are parts of their text page, never documents of their own.

A text page includes its notes (``.. include:: notes/p04.rst``). Sphinx would also read each
notes file as a page of its own, every note in it a second time. When the project is
configured, the text pages (the sources with an ``ed:text`` directive) are scanned for their
includes, and the files they include are added to ``exclude_patterns``: no project needs to
list its notes folder there.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util.matching import get_matching_files

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

TEXT_DIRECTIVE = re.compile(r"^\.\. ed:text::", re.MULTILINE)
INCLUDE = re.compile(r"^\s*\.\. include::\s*(\S+)\s*$", re.MULTILINE)


def included_by_text_pages(srcdir: Path, exclude_patterns: list[str]) -> list[str]:
    """The files, relative to ``srcdir``, that the text pages include."""
    found = []
    for name in get_matching_files(srcdir, ["**.rst"], exclude_patterns):
        try:
            source = (srcdir / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # reported when the page itself is read
        if not TEXT_DIRECTIVE.search(source):
            continue
        for target in INCLUDE.findall(source):
            if target.startswith("<"):  # a standard docutils include, not a notes file
                continue
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.join(posixpath.dirname(name), target)
            )
            found.append(posixpath.normpath(path))
    return sorted(set(found))


def exclude_notes_files(app: Sphinx, config: Config) -> None:
    for path in included_by_text_pages(Path(app.srcdir), list(config.exclude_patterns)):
        if path not in config.exclude_patterns:
            config.exclude_patterns.append(path)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", exclude_notes_files)
