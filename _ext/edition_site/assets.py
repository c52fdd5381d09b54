"""Each web page loads only the stylesheets and scripts of what it shows.

Sphinx extensions register their files for every page: a page without tabs, cards or dropdowns
still loads sphinx-design's stylesheet and script (62 kB), a page without highlighted code the
colours of code (``pygments.css``, 20 kB). Each file below is left out of the pages whose body
has none of the markup it serves; a page that has some keeps it, whatever its content.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

WEB_BUILDERS = ("html", "dirhtml")
SPHINX_DESIGN = re.compile(r'class="(?:[^"]*\s)?sd-')  # its components' classes all begin "sd-"
HIGHLIGHTED_CODE = re.compile(r'class="(?:[^"]*\s)?highlight')  # Pygments' "highlight" blocks
# file name -> the markup in a page's body that needs it
NEEDED_BY: dict[str, re.Pattern[str]] = {
    "sphinx-design.min.css": SPHINX_DESIGN,
    "design-tabs.js": SPHINX_DESIGN,
    "pygments.css": HIGHLIGHTED_CODE,
}


def file_name(asset: Any) -> str:
    """The bare name of a stylesheet or script as Sphinx lists it (path and query left out)."""
    return posixpath.basename(str(getattr(asset, "filename", asset)).split("?")[0])


def leave_out_unused(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if app.builder.name not in WEB_BUILDERS:
        return
    body = context.get("body") or ""
    shown = {marker: marker.search(body) is not None for marker in set(NEEDED_BY.values())}
    for key in ("css_files", "script_files"):
        files = context.get(key)
        if isinstance(files, list):
            # In place: these are the builder's own lists, which Sphinx restores for each page.
            files[:] = [asset for asset in files if needed(asset, shown)]


def needed(asset: Any, shown: dict[re.Pattern[str], bool]) -> bool:
    """Files not listed in NEEDED_BY are always needed."""
    marker = NEEDED_BY.get(file_name(asset))
    return marker is None or shown[marker]


def setup(app: Sphinx) -> None:
    # Late, after the handlers that add files to a page.
    app.connect("html-page-context", leave_out_unused, priority=950)
