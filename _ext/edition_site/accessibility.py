"""Accessible HTML from Sphinx's and docutils' own output, fixed where it is written.

Two pieces of standard output fail the checkers an edition is held to (axe-core, the W3C Nu
HTML Checker), whatever the theme:

- a bibliography is a ``role="list"`` whose entries carry ``doc-biblioentry``, a role that
  DPUB-ARIA 1.1 deprecated and that no longer counts as a list item, so the list is reported as
  having no items (axe: ``aria-required-children``, critical);
- a toctree caption is a ``<p role="heading">`` with no ``aria-level``, which ARIA requires.

Both are fixed in the HTML translator, so the fix holds in every HTML page and in the navigation
sidebar that themes render with the same translator. Theme-level faults are fixed in templates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

CAPTION_LEVEL = 2  # a toctree caption heads a group of pages, under the page's own title


def visit_citation(self: HTML5Translator, node: nodes.citation) -> None:
    if not isinstance(node.previous_sibling(), nodes.citation):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=["citation"], role="listitem"))


def depart_citation(self: HTML5Translator, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), nodes.citation):
        self.body.append("</div>\n")


def _is_toctree_caption(node: nodes.title) -> bool:
    return isinstance(node.parent, addnodes.compact_paragraph) and bool(node.parent.get("toctree"))


def visit_title(self: HTML5Translator, node: nodes.title) -> None:
    start = len(self.body)
    type(self).visit_title(self, node)  # the translator's own method, whatever its class
    if _is_toctree_caption(node):
        for index in range(start, len(self.body)):
            if 'role="heading"' in self.body[index]:
                self.body[index] = self.body[index].replace(
                    'role="heading"', f'role="heading" aria-level="{CAPTION_LEVEL}"', 1
                )
                break


def depart_title(self: HTML5Translator, node: nodes.title) -> None:
    type(self).depart_title(self, node)


def setup(app: Sphinx) -> None:
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.add_node(nodes.title, override=True, html=(visit_title, depart_title))
