"""``apparatus.pdf``: the PDF edition, an opt-in layer on the core.

The ``editionpdf`` builder (:mod:`~apparatus.pdf.builder`) typesets the single-page HTML of
the whole edition with WeasyPrint and ``static/pdf.css``: every note a footnote on the page of
its call, a title page and imprint from the edition statement, a tagged PDF/UA-1 file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apparatus import __version__
from apparatus.edition import check_statement
from apparatus.pdf import builder

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("apparatus")
    app.connect("config-inited", check_statement)
    builder.setup(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
