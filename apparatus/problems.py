"""Editorial problems: each stops the build with a message naming the file and line.

Sphinx fails a build on warnings only with ``-W``; an edition must never be published with a
note that does not anchor, so every problem reported here is an error that fails the build
whatever the flags. Problems found while reading are kept in the domain (so they survive
parallel reads and incremental builds until fixed); problems found by whole-edition checks
are recomputed on every build.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger("apparatus")


def location(source: str | None, line: int | None) -> str:
    """A "file:line" location for messages; included files keep their own path."""
    return f"{os.path.abspath(source or '<unknown>')}:{line or 0}"


def report(env: BuildEnvironment, message: str, where: str, docname: str | None) -> None:
    """Log an editorial error and remember it for the end of the build."""
    logger.error(message, location=where, type="apparatus")
    data = env.get_domain("ed").data
    if docname is None:
        data["check_problems"].append((where, message))
    else:
        data["read_problems"].setdefault(docname, []).append((where, message))


def fail_on_problems(app: Sphinx, exception: Exception | None) -> None:
    """At the end of the build, fail it if any editorial problem is outstanding."""
    if exception is not None or app.env is None:
        return
    data = app.env.get_domain("ed").data
    problems = [p for found in data["read_problems"].values() for p in found]
    problems += data["check_problems"]
    if not problems:
        return
    app.statuscode = 1
    logger.error("the edition has %d editorial problem(s); it was not published:", len(problems))
    for where, message in problems:
        logger.error("  %s: %s", where, message)
