"""Speed-ups for large editions, each found by profiling a stress edition (``make bench``).

pybtex looks a plugin up through the installed packages' entry points on every call, and
sphinxcontrib-bibtex asks it for the plain-text backend once per citation: some 10 ms each,
seconds for an edition with thousands of citations. pybtex checks the plugins registered at
run time first, so registering that backend once (pybtex's own ``register_plugin``) turns
each lookup into a dictionary access. Nothing else changes. pybtex also decodes every field
of every entry with latexcodec (``Text.from_latex``), pure Python and slow: 0.2 s of the
edition's build for 49 entries. A field without LaTeX markup (``apparatus.bibliography.LATEX``:
no command, tie, math, comment, dash or quote of two marks, no run of white space) decodes to
itself, so such a field goes to pybtex's parser of braces directly; the others are decoded.

Python's cyclic garbage collector scans the whole heap whenever it has grown by a quarter, and
a text page's doctree (every note, lemma and link a node, each tied to its parent) is most of
the heap: a 100x stress edition spent some 2 s of 10 s in a dozen such scans. Collecting young
objects every 20,000 allocations instead of every 700 leaves two; the heap grows by a few MB.
The previous setting is restored when the build ends. A PDF build pauses the collector
altogether: WeasyPrint makes millions of boxes and PDF objects and keeps nearly all of them to
the end, so each collection walks them again to free almost nothing (some 0.5 s of the
edition's PDF build, for 15 MB more at the peak); it resumes when the build ends, with what
the build left counted among the oldest objects.

At exit, Python's last collections free every doctree still held (Sphinx keeps the documents
it parsed and wrote last): 2 s of a 100x stress edition's wall time, after the build is done.
Freezing the heap when the interpreter exits (``gc.freeze`` in an ``atexit`` hook, which runs
only then) leaves that memory to the operating system, as mypy does with its hard exit. Nothing
is lost: Python never promised to finalize objects still alive at exit, Sphinx closes its files
as it writes them, and streams and logs are flushed as always. A process that goes on (a test
session, a live preview) is not affected.
"""

from __future__ import annotations

import atexit
import gc
from typing import TYPE_CHECKING, Any

from apparatus.bibliography import LATEX

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CACHED_PLUGINS = (("pybtex.backends", "plaintext"),)
YOUNG_OBJECTS_PER_COLLECTION = 20_000  # Python's default: 700
PAUSED_FOR = frozenset({"editionpdf"})  # builders that build with the collector paused
_thresholds_before: list[tuple[int, ...]] = []
_paused: list[bool] = []  # whether a build paused the collector


def register_pybtex_plugins(app: Sphinx) -> None:
    try:
        from pybtex import plugin
    except ImportError:  # an edition without citations
        return
    for group, name in CACHED_PLUGINS:
        # force: the class found is the installed one; it only shadows itself, found faster.
        plugin.register_plugin(group, name, plugin.find_plugin(group, name), force=True)


def decode_only_latex(app: Sphinx) -> None:
    try:
        from pybtex.markup import LaTeXParser
        from pybtex.richtext import Text
    except ImportError:  # an edition without citations
        return
    if hasattr(Text.from_latex, "decoding"):
        return  # once per process
    decoding = Text.from_latex.__func__

    def from_latex(cls: type[Text], latex: str) -> Any:
        return decoding(cls, latex) if LATEX.search(latex) else LaTeXParser(latex).parse()

    from_latex.decoding = decoding  # type: ignore[attr-defined]
    Text.from_latex = classmethod(from_latex)


def collect_garbage_less_often(app: Sphinx) -> None:
    young, *older = gc.get_threshold()
    _thresholds_before.append((young, *older))
    gc.set_threshold(max(young, YOUNG_OBJECTS_PER_COLLECTION), *older)
    _paused.append(app.builder.name in PAUSED_FOR and gc.isenabled())
    if _paused[-1]:
        gc.disable()


def restore_garbage_collection(app: Sphinx, exception: Exception | None) -> None:
    if _thresholds_before:
        gc.set_threshold(*_thresholds_before.pop())
    if _paused and _paused.pop():
        # What the build allocated goes to the oldest generation unscanned, where the next full
        # collection frees its garbage: resumed as it was, the collector would take it all for
        # young objects and walk it at once (0.5 s of the PDF build), to free little of it.
        gc.freeze()
        gc.unfreeze()
        gc.enable()
    atexit.unregister(gc.freeze)  # once, however many builds the process runs
    atexit.register(gc.freeze)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", register_pybtex_plugins)
    app.connect("builder-inited", decode_only_latex)
    app.connect("builder-inited", collect_garbage_less_often)
    app.connect("build-finished", restore_garbage_collection)
