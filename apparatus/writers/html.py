"""HTML visitors for the edition's nodes.

Markup choices serve readers first: the lemma is a ``<mark>`` (underlined, not colour alone)
that points at its note with ``aria-details``; the call is a superscript link with the DPUB
``doc-noteref`` role; each note is an ``<aside>`` that links back to its call and to itself.

The text of a paragraph is the original's and nothing else: a call's label (and the comma
between two calls) is drawn by the stylesheet from ``data-label``, so that a reader who copies a
passage, a search snippet and a link to highlighted words all get the original's characters;
the call is announced by its ``aria-label``.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from docutils import nodes

from apparatus import nodes as ed
from apparatus.domain import EditionDomain, call_anchor, note_anchor, paragraph_anchor
from apparatus.locale import _
from apparatus.taxonomy import by_slug

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator


def _attrs(**values: str) -> str:
    return "".join(f' {name.replace("_", "-")}="{escape(value)}"' for name, value in values.items())


def visit_edition_paragraph(self: HTML5Translator, node: ed.edition_paragraph) -> None:
    number = node["number"]
    anchor = paragraph_anchor(number)
    self.body.append(f'<div class="ed-par"{_attrs(id=anchor)}>')
    title = _("Link to paragraph {number}").format(number=number)
    name = _("Paragraph {number}").format(number=number)
    self.body.append(
        f'<a class="ed-parnum"{_attrs(href="#" + anchor, title=title, aria_label=name)}>¶{number}</a>'
    )
    self.body.append('<p class="ed-text">')


def depart_edition_paragraph(self: HTML5Translator, node: ed.edition_paragraph) -> None:
    self.body.append("</p></div>\n")


def visit_lemma(self: HTML5Translator, node: ed.lemma) -> None:
    label = node["label"]
    # Where the page names the categories (the key of apparatus.web), the passage is described
    # by its category's name, which a screen reader says with it.
    described = {"aria_describedby": node["describedby"]} if node.get("describedby") else {}
    self.body.append(
        f'<mark class="ed-lemma"'
        f"{_attrs(id=node['ids'][0], data_category=node['category'], aria_details=note_anchor(label), **described)}>"
    )


def depart_lemma(self: HTML5Translator, node: ed.lemma) -> None:
    self.body.append("</mark>")


def visit_note_call(self: HTML5Translator, node: ed.note_call) -> None:
    label = node["label"]
    # The category travels with the call, so that it is shown (icon, colour) and announced in the text.
    domain = self.builder.env.get_domain("ed")
    assert isinstance(domain, EditionDomain)
    record = domain.notes.get(label)
    category = by_slug(self.builder.config).get(record.category) if record else None
    slug = category.slug if category else ""
    name = (
        _("Note {label}: {category}").format(label=label, category=category.name)
        if category
        else _("Note {label}").format(label=label)
    )
    # "ed-follows": a call right after another, drawn with a comma between them ("4.1, 4.2").
    follows = " ed-follows" if node.get("follows") else ""
    self.body.append(
        f'<sup class="ed-call{follows}"{_attrs(data_category=slug)}>'
        f'<a role="doc-noteref"'
        f"{_attrs(id=call_anchor(label), href='#' + note_anchor(label), aria_label=name, data_label=label)}>"
        "</a></sup>"
    )
    raise nodes.SkipNode


def visit_note(self: HTML5Translator, node: ed.editorial_note) -> None:
    label = node["label"]
    category = by_slug(self.builder.config)[node["category"]]
    anchor = note_anchor(label)
    status = " ed-withdrawn" if node["withdrawn"] else ""
    name = _("Note {label}").format(label=label)
    self.body.append(
        f'<aside class="ed-note{status}" role="doc-footnote"'
        f"{_attrs(id=anchor, data_category=category.slug, data_paragraph=str(node['paragraph']), aria_label=name)}>"
    )
    back = call_anchor(label) if not node["withdrawn"] else paragraph_anchor(node["paragraph"])
    number = node["paragraph"]
    # Named for screen readers, which would say "pilcrow 4" and "number sign".
    words = {
        "back": _("Back to the text"),
        "label": _("{label}, back to the text").format(label=label),
        "paragraph": _("Paragraph {number}").format(number=number),
        "link": _("Link to this note"),
        "link_name": _("Link to note {label}").format(label=label),
    }
    self.body.append(
        '<p class="ed-note-head">'
        f'<a class="ed-note-label"{_attrs(href="#" + back, title=words["back"], aria_label=words["label"])}>{escape(label)}</a> '
        f'<span class="ed-category">{escape(category.name)}</span> '
        f'<a class="ed-note-par"{_attrs(href="#" + paragraph_anchor(number), aria_label=words["paragraph"])}>¶{number}</a>'
        f'<a class="headerlink"{_attrs(href="#" + anchor, title=words["link"], aria_label=words["link_name"])}>#</a>'
        "</p>"
    )
    if node["withdrawn"]:
        withdrawn = _("Withdrawn in version {version}.").format(version=node["withdrawn"])
        self.body.append(f'<p class="ed-withdrawn-line">{escape(withdrawn)}</p>')


def depart_note(self: HTML5Translator, node: ed.editorial_note) -> None:
    self.body.append("</aside>\n")


def visit_lemma_quote(self: HTML5Translator, node: ed.lemma_quote) -> None:
    self.body.append('<span class="ed-lemma-quote">')


def depart_lemma_quote(self: HTML5Translator, node: ed.lemma_quote) -> None:
    # The bracket ends the quoted words for the eye; a screen reader hears them in italics' stead.
    self.body.append('</span><span aria-hidden="true">]</span> ')


def visit_related_notes(self: HTML5Translator, node: nodes.Element) -> None:
    raise nodes.SkipNode  # resolved into links before writing; nothing to show if left


def setup(app: Sphinx) -> None:
    app.add_node(ed.edition_paragraph, html=(visit_edition_paragraph, depart_edition_paragraph))
    app.add_node(ed.lemma, html=(visit_lemma, depart_lemma))
    app.add_node(ed.note_call, html=(visit_note_call, None))
    app.add_node(ed.editorial_note, html=(visit_note, depart_note))
    app.add_node(ed.lemma_quote, html=(visit_lemma_quote, depart_lemma_quote))
    app.add_node(ed.related_notes, html=(visit_related_notes, None))
