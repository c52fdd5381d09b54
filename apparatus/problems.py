"""Editorial problems: each stops the build with a message naming the file and line.

Sphinx fails a build on warnings only with ``-W``; an edition must never be published with a
note that does not anchor, so every problem reported here is an error that fails the build
whatever the flags. The domain keeps them (``EditionDomain.add_problem``): problems found while
reading a document stay until it is read again (so they survive parallel reads and incremental
builds until fixed); problems found by whole-edition checks are recomputed on every build.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger("apparatus")

NOTE_DIRECTIVE = re.compile(r"\s*\.\.\s+[\w:-]+::\s*(\S+)")  # a directive and its first argument


def location(source: str | None, line: int | None) -> str:
    """A "file:line" location for messages; included files keep their own path."""
    return f"{os.path.abspath(source or '<unknown>')}:{line or 0}"


def line_of_markup(where: str, markup: str) -> str:
    """Docutils gives a role the line of its paragraph: find the line the role is on."""
    path, _, line = where.rpartition(":")
    first = markup.splitlines()[0] if markup else ""
    if not first or not line.isdigit() or not os.path.isfile(path):
        return where
    with open(path, encoding="utf-8", errors="replace") as handle:
        lines = handle.read().splitlines()
    for number in range(int(line), len(lines) + 1):
        if first in lines[number - 1]:
            return f"{path}:{number}"
    return where


def report(env: BuildEnvironment, message: str, where: str, docname: str | None) -> None:
    """Log an editorial error and remember it for the end of the build: a problem of the
    document ``docname`` while reading it, or (``None``) of a whole-edition check."""
    domain = env.get_domain("ed")
    if docname is None and domain.broken:  # type: ignore[attr-defined]
        return  # an original could not be used: whole-edition checks would only echo it
    logger.error(message, location=where, type="apparatus")
    domain.add_problem(where, message, docname)  # type: ignore[attr-defined]


class KeepMarkupErrors(SphinxTransform):
    """Docutils' own errors (an unknown directive, a missing include), and its warnings on text
    pages, are editorial problems too: kept with the document, they fail every build until
    fixed, not only the one that read it. Docutils has logged them; this only remembers them."""

    default_priority = 990  # before Sphinx filters system messages out (999)

    def apply(self, **kwargs: object) -> None:
        domain = self.env.get_domain("ed")
        # On a text page even docutils' warnings (a broken inline markup in a note) are mistakes.
        lowest = 2 if domain.is_text_page(self.env.docname) else 3  # type: ignore[attr-defined]
        for message in self.document.findall(nodes.system_message):
            if message["level"] >= lowest:
                where = location(message.get("source"), message.get("line"))
                text = message.children[0].astext() if message.children else message.astext()
                domain.add_problem(where, text, self.env.docname)  # type: ignore[attr-defined]
                self._hold_note_of(message)

    def _hold_note_of(self, message: nodes.system_message) -> None:
        """A note that docutils refused (a misspelt directive) is held: it is not also missing."""
        for block in message.findall(nodes.literal_block):
            found = NOTE_DIRECTIVE.match(block.astext())
            if found and ":lemma:" in block.astext():
                self.env.get_domain("ed").hold(self.env.docname, found[1])  # type: ignore[attr-defined]


def fail_on_problems(app: Sphinx, exception: Exception | None) -> None:
    """At the end of the build, fail it if any editorial problem is outstanding."""
    if exception is not None or app.env is None:
        return
    problems = app.env.get_domain("ed").problems()  # type: ignore[attr-defined]
    if not problems:
        return
    app.statuscode = 1
    logger.error("the edition has %d editorial problem(s); it was not published:", len(problems))
    for where, message in problems:
        logger.error("  %s: %s", where, message)
