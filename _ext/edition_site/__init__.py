"""This edition's own adjustments to Sphinx, furo and the build, kept out of the extension.

- :mod:`speedups`: pybtex's plugin look-up cached, the garbage collector tuned during a build;
- :mod:`accessibility`: standard HTML that fails axe-core or the Nu HTML Checker, fixed where written;
- :mod:`assets`: each page loads only the stylesheets and scripts of what it shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from edition_site import accessibility, assets, speedups

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    speedups.setup(app)
    accessibility.setup(app)
    assets.setup(app)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
