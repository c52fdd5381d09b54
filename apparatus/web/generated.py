"""Files the web layer generates into the site's ``_static`` folder at build time."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def write_static_file(app: Sphinx, name: str, text: str) -> None:
    """Written only when its content changes, so that an incremental build keeps the file (and
    the browser its cached copy) as it is."""
    path = Path(app.builder.outdir, "_static", name)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
