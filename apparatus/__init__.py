"""apparatus: a Sphinx extension for critical editions of a plain text with editorial notes.

The flow of data, one module per stage:
``text`` (the original as numbered paragraphs with offsets) → ``anchoring`` (lemma → span) →
``directives`` and ``assemble`` (reading) → ``domain`` (labels, categories, links) and
``registry`` (published labels) → ``writers`` (one module per output format).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from apparatus import (
    accessibility,
    assemble,
    assets,
    citation,
    contradiction_map,
    directives,
    domain,
    exports,
    listings,
    reading,
    registry,
    speedups,
)
from apparatus.problems import fail_on_problems
from apparatus.writers import html, pdf

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"

STATIC = Path(__file__).parent / "static"


def _add_static_path(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict[str, Any]:
    # The edition statement shared by every output: title, editors, version, date, licence...
    app.add_config_value("apparatus_edition", {}, "env", types=[dict])
    domain.setup(app)
    directives.setup(app)
    assemble.setup(app)
    registry.setup(app)
    listings.setup(app)
    contradiction_map.setup(app)
    html.setup(app)
    pdf.setup(app)
    exports.setup(app)
    speedups.setup(app)
    accessibility.setup(app)
    reading.setup(app)
    citation.setup(app)
    assets.setup(app)
    app.connect("builder-inited", _add_static_path)
    app.add_css_file("apparatus.css")
    app.connect("build-finished", fail_on_problems)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
