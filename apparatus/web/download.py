"""The web edition's link to the PDF: an item of every page's sidebar, where the edition also
loads the PDF layer (``apparatus.pdf``). `make edition` puts the PDF at the root of the site."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DOWNLOAD_ITEM = "apparatus/download-pdf.html"
PDF_BUILDER = "editionpdf"


def add_download_link(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    sidebars = context.get("sidebars")
    if "apparatus.pdf" not in app.extensions or app.builder.name == PDF_BUILDER:
        return
    if sidebars is None or DOWNLOAD_ITEM in sidebars:
        return
    after = sidebars.index("sidebar/search.html") + 1 if "sidebar/search.html" in sidebars else len(sidebars)
    sidebars.insert(after, DOWNLOAD_ITEM)
    context["apparatus_pdf_name"] = app.config.apparatus_pdf_name


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", add_download_link)
