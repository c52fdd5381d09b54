"""``apparatus.web``: the reading experience of the web edition, an opt-in layer on the core.

- :mod:`~apparatus.web.reading`: the key to the categories and ``apparatus.js``, which sets
  notes in the margin on wide screens and opens them in place on narrow ones;
- :mod:`~apparatus.web.cite`: "Cite this note" on every note, and ``ed:cite`` for any page;
- :mod:`~apparatus.web.notepages`: a page of its own for every note, with its citation files;
- :mod:`~apparatus.web.metadata`: citation metadata in every page's ``<head>``;
- :mod:`~apparatus.web.download`: the link to the PDF, where the edition has one;
- ``static/`` (scripts and styles, a print stylesheet) and ``templates/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from apparatus import __version__
from apparatus.edition import check_statement
from apparatus.web import cite, download, metadata, notepages, reading, search, words

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

HERE = Path(__file__).parent


def _add_paths(app: Sphinx, config: Config) -> None:
    config.html_static_path.append(str(HERE / "static"))
    config.templates_path.append(str(HERE / "templates"))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("apparatus")
    words.setup(app)
    app.connect("config-inited", check_statement)
    app.connect("config-inited", _add_paths)
    app.add_css_file("print.css", media="print")
    reading.setup(app)
    cite.setup(app)
    notepages.setup(app)
    app.add_css_file("apparatus.css")  # after citation.css (where a page has it), which it refines
    metadata.setup(app)
    download.setup(app)
    search.setup(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
