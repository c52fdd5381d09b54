"""apparatus: a Sphinx extension for critical editions of a plain text with editorial notes.

``extensions = ["apparatus"]`` loads the core; the layers are opt-in extensions of their own:
``apparatus.web`` (the reading experience, citations and metadata of the web pages),
``apparatus.pdf`` (the PDF edition) and ``apparatus.exports`` (open data).

The flow of data through the core, one module per stage:
``text`` (the original as numbered paragraphs with offsets) → ``anchoring`` (lemma → span) →
``directives`` and ``assemble`` (reading) → ``domain`` (labels, categories, links),
``registry`` (published labels) and ``checks`` (the whole edition, on every build) →
``writers`` (one module per output format), with
``listings`` and ``contradiction_map`` generating front and back matter from the notes, and
``edition`` the one edition statement every output reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from apparatus import (
    assemble,
    bibliography,
    bodies,
    checks,
    contradiction_map,
    directives,
    domain,
    edition,
    listings,
    locale,
    notesfiles,
    registry,
    taxonomy,
    verbatim,
)
from apparatus.problems import fail_on_problems
from apparatus.writers import fallback, html

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"

STATIC = Path(__file__).parent / "static"


def _add_static_path(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict[str, Any]:
    # The edition statement shared by every output: title, editors, version, date, licence...
    app.add_config_value("apparatus_edition", {}, "env", types=[dict])
    locale.setup(app)
    taxonomy.setup(app)
    domain.setup(app)
    directives.setup(app)
    assemble.setup(app)
    registry.setup(app)
    checks.setup(app)
    listings.setup(app)
    contradiction_map.setup(app)
    verbatim.setup(app)
    notesfiles.setup(app)
    bibliography.setup(app)
    bodies.setup(app)
    html.setup(app)
    fallback.setup(app)
    app.connect("builder-inited", _add_static_path)
    app.connect("builder-inited", edition.say_if_local_preview)
    app.connect("build-finished", fail_on_problems)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
