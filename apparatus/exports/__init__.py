"""Open data: the edition's notes in open standards, written into the site with every HTML build.

One module per format (``webannotation``, ``tei``, ``tables``, ``claimreview``), each reading
the same view of the edition (``collect``). The originals are published beside them, byte for
byte, since the annotations point into them by character offsets. ``.. ed:exports::`` lists
the files on a page, with links that work on the site and, as absolute addresses, in the PDF.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urljoin

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from apparatus import __version__
from apparatus.domain import EditionDomain
from apparatus.edition import base_url, edition_from_config
from apparatus.exports import claimreview, tables, tei, webannotation
from apparatus.exports.collect import Export, gather, is_export_builder
from apparatus.locale import _

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger("apparatus")

EXPORTS: tuple[Export, ...] = (
    webannotation.EXPORT,
    tei.EXPORT,
    tables.CSV_EXPORT,
    tables.JSON_EXPORT,
    claimreview.EXPORT,
)
EXPORT_FILE = "apparatus_export"  # attribute of a reference to an exported file


def write_exports(app: Sphinx) -> list[Path]:
    """Write every export and publish the originals; return the files written."""
    edition = gather(app)
    outdir = Path(app.outdir)
    written = []
    for text in edition.texts:
        target = outdir / text.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(app.srcdir, text.path), target)  # byte for byte: offsets stay true
        written.append(target)
    for export in EXPORTS:
        target = outdir / export.filename
        target.write_text(export.write(edition), encoding="utf-8", newline="")
        written.append(target)
    return written


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.env is None or not is_export_builder(app.builder):
        return
    domain = app.env.get_domain("ed")
    assert isinstance(domain, EditionDomain)
    if not domain.texts:
        return
    written = write_exports(app)
    names = [path.relative_to(app.outdir).as_posix() for path in written]
    logger.info("apparatus: wrote %d data files (%s)", len(names), ", ".join(names))


# -- the list of files, on a page --------------------------------------------------------------


class ExportsDirective(SphinxDirective):
    """``.. ed:exports::`` lists the data files: each file's link and format, what it holds, its licence.

    A definition list rather than a table: it reads as well on a phone as on a wide screen.
    """

    option_spec: ClassVar = {}

    def run(self) -> list[nodes.Node]:
        listing = nodes.definition_list(classes=["ed-exports"])
        word = _("Licence:")  # outside the f-string, where the catalogue's extraction finds it
        licence = f"{word} {self.licence()}."
        for export in EXPORTS:
            term = nodes.term("", "", _file_link(export.filename), nodes.Text(f" — {export.format}"))
            definition = nodes.definition()
            definition += nodes.paragraph("", _(export.description))
            definition += nodes.paragraph("", licence)
            listing += nodes.definition_list_item("", term, definition)
        return [listing]

    def licence(self) -> str:
        """The edition's licence; the original's words, quoted in the files, are not the editors' to license."""
        licence = edition_from_config(self.config).license_name
        if not licence:
            return _("see below")
        return _("{licence}, except the words of the original").format(licence=licence)


def _file_link(filename: str) -> nodes.reference:
    link = nodes.reference("", "", internal=False, refuri=filename)
    link[EXPORT_FILE] = filename
    link += nodes.literal(filename, filename)
    return link


def data_file_role(
    name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """``:ed:data:`path``` links a file published with the site, by its path in the output."""
    return [_file_link(text.strip())], []


def resolve_export_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Relative links on the site, where the files are; absolute addresses anywhere else."""
    builder = app.builder
    for link in doctree.findall(nodes.reference):
        filename = link.get(EXPORT_FILE)
        if filename is None:
            continue
        if is_export_builder(builder):
            link["refuri"] = relative_uri(builder.get_target_uri(docname), filename)
        else:
            link["refuri"] = urljoin(base_url(app.config), filename)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("apparatus")
    # Ratings other than the taxonomy's (category slug -> rating); the taxonomy gives the default.
    app.add_config_value("apparatus_claim_ratings", {}, "env", types=[dict])
    app.connect("doctree-resolved", resolve_export_links)
    app.add_directive_to_domain("ed", "exports", ExportsDirective)
    app.add_role_to_domain("ed", "data", data_file_role)
    app.connect("build-finished", on_build_finished)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
