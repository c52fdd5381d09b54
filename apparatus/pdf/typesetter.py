"""Where the PDF is typeset: a process forked as the builder starts, or the builder's own.

Importing WeasyPrint takes up to a second, and its first page in a process some 0.2 s more
(fonts, caches), which the build would otherwise spend after Sphinx has read and written the edition.
On a machine with a second core the builder forks a process as it starts; the process imports
WeasyPrint and typesets a sample page while Sphinx reads and writes, then waits for the HTML,
typesets, checks and writes the PDF, and hands back what the builder reports: the layout
problems, WeasyPrint's warnings and the number of pages; it forks in turn to typeset the pages
after the text at the same time as the rest (:mod:`~apparatus.pdf.parts`). The builder typesets
in its own process instead, as one document, where a fork is not safe or gains nothing: other
than on Linux, on one core, or with other threads running (a fork carries only the thread that
makes it, and the locks the others hold). Both give the same pages, links and bookmarks.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import threading
import traceback
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from apparatus.pdf.parts import cut, typeset_in_parts
from apparatus.pdf.patches import patched_version
from apparatus.pdf.typeset import (
    Typeset,
    TypesettingError,
    check_layout,
    library_warnings,
    parse,
    render,
    stylesheet,
    warmed_up,
    write,
)

if TYPE_CHECKING:
    from weasyprint import CSS


def typeset_pdf(html: str, base: Path, target: Path, css: CSS | None = None) -> Typeset:
    """Typeset ``html`` with the PDF's stylesheet (``css`` if parsed already), check the pages
    and write the PDF to ``target``: in two parts at once where the edition has a second part
    and this process may fork (:mod:`~apparatus.pdf.parts`)."""
    with library_warnings() as warnings:
        page, css = parse(html, base), css or stylesheet()
        where = cut(page.etree_element) if can_fork() and patched_version() else None
        if where is not None:
            done = typeset_in_parts(page, css, where, target)
            return replace(done, warnings=(*warnings, *done.warnings))
        document = render(page, css)
        problems = check_layout(document)
        write(document, target)
    return Typeset(len(document.pages), tuple(problems), tuple(warnings))


def can_fork() -> bool:
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


class Typesetter:
    """Typesets one PDF, in a process forked at once where ``can_fork()``, else in this one."""

    def __init__(self) -> None:
        self.pid = 0
        if can_fork():
            request_in, self._request = os.pipe()
            self._result, result_out = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(self._request)
                os.close(self._result)
                _serve(request_in, result_out)
            os.close(request_in)
            os.close(result_out)
            self.pid = pid

    def typeset(self, html: str, base: Path, target: Path) -> Typeset:
        if not self.pid:
            return typeset_pdf(html, base, target)
        pid, self.pid = self.pid, 0
        request, result = os.fdopen(self._request, "wb"), os.fdopen(self._result, "rb")
        try:
            with request:
                pickle.dump((html, base, target), request)
            done = pickle.load(result)
        except (BrokenPipeError, EOFError):
            done = "the typesetting process ended without a result"
        finally:
            result.close()
            os.waitpid(pid, 0)
        if not isinstance(done, Typeset):
            raise TypesettingError(done)
        return done

    def close(self) -> None:
        """Stop a process that was never asked to typeset (the build failed before)."""
        if self.pid:
            os.close(self._request)
            os.close(self._result)
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0


def _serve(request_in: int, result_out: int) -> NoReturn:
    """The forked process: import, wait for the request, typeset, answer, exit."""
    # WeasyPrint keeps nearly all it allocates until the file is written, and this process ends
    # then: the cycle collector would only walk its boxes again and again (some 0.5 s).
    gc.disable()
    code = 1
    try:
        with library_warnings() as early:
            # What this process is there to get done early: the imports (pikepdf joins the
            # parts), the stylesheet, WeasyPrint's fonts.
            import pikepdf  # noqa: F401

            css = warmed_up()

        with os.fdopen(request_in, "rb") as request:
            html, base, target = pickle.load(request)
        try:
            typeset = typeset_pdf(html, base, target, css)
            done: Typeset | str = replace(typeset, warnings=(*early, *typeset.warnings))
            code = 0
        except BaseException:
            done = traceback.format_exc()
        with os.fdopen(result_out, "wb") as result:
            pickle.dump(done, result)
    except EOFError:  # the builder went away without asking
        code = 0
    finally:
        os._exit(code)
