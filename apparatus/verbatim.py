"""The original stays verbatim whatever the project's typographic settings.

Sphinx turns straight quotes, double hyphens and three dots into typographic characters
(``smartquotes``, on by default) in every text of a document. The original's title, paragraphs
and lemmas, and each lemma repeated at the head of its note, opt out: Sphinx leaves alone the
text below a node marked ``support_smartquotes = False``. The notes' own prose is the editors'
and follows the project's setting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.transforms import SphinxTransform

from apparatus import nodes as ed

if TYPE_CHECKING:
    from sphinx.application import Sphinx

VERBATIM = (ed.edition_paragraph, ed.lemma_quote)


class KeepTheOriginalVerbatim(SphinxTransform):
    default_priority = 700  # before Sphinx's SmartQuotes (750)

    def apply(self) -> None:
        for node in self.document.findall(nodes.Element):
            if not isinstance(node, VERBATIM):
                continue
            node["support_smartquotes"] = False
            section = node.parent
            if isinstance(node, ed.edition_paragraph) and isinstance(section, nodes.section):
                title = section[0]
                if isinstance(title, nodes.title):
                    title["support_smartquotes"] = False  # the original's title


def setup(app: Sphinx) -> None:
    app.add_transform(KeepTheOriginalVerbatim)
