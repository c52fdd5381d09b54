"""Every other builder: the edition's nodes as standard docutils nodes.

The HTML writer and the PDF builder render the edition's own nodes. For the formats whose
writers do not know them (text, LaTeX, man, Texinfo and any other non-HTML format) this
post-transform rewrites them, before writing, into nodes every writer knows: a paragraph keeps
its text, its number in front (``¶4``); a lemma stays plain text, its call becomes its label in
brackets (``[4.3]``); a note becomes a list entry headed by its label, category and lemma
("4.3 Contradiction — lemma] note"). The original's characters stay as they are, in order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from apparatus import nodes as ed
from apparatus.locale import _
from apparatus.taxonomy import Category, by_slug

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# Formats whose writers render the edition's nodes themselves.
OWN_FORMATS = ("html",)


class PlainNodes(SphinxPostTransform):
    default_priority = 900  # after links between notes are resolved (ResolveRelatedNotes: 5)

    def is_supported(self) -> bool:
        return self.env._builder_cls.format not in OWN_FORMATS  # as Sphinx's own is_supported reads it

    def run(self, **kwargs: Any) -> None:
        for paragraph in list(self.document.findall(ed.edition_paragraph)):
            plain = nodes.paragraph("", "", ids=paragraph.get("ids", []))
            plain += nodes.strong("", f"¶{paragraph['number']}")
            plain += nodes.Text(" ")
            plain += paragraph.children
            paragraph.replace_self(plain)
        for lemma in list(self.document.findall(ed.lemma)):
            lemma.replace_self(nodes.inline("", "", *lemma.children))
        for call in list(self.document.findall(ed.note_call)):
            call.replace_self(nodes.inline("", f"[{call['label']}]", classes=["ed-call"]))
        for quote in list(self.document.findall(ed.lemma_quote)):
            quote.replace_self([nodes.emphasis("", "", *quote.children), nodes.Text("] ")])
        for note in list(self.document.findall(ed.editorial_note)):
            note.replace_self(_note_entry(note, by_slug(self.config)))


def _note_entry(note: ed.editorial_note, names: dict[str, Category]) -> nodes.definition_list:
    category = names[note["category"]].name if note["category"] in names else note["category"]
    head = f"{note['label']} {category}"
    if note["withdrawn"]:
        head += " " + _("(withdrawn in version {version})").format(version=note["withdrawn"])
    item = nodes.definition_list_item("", ids=note.get("ids", []))
    item += nodes.term("", head)
    item += nodes.definition("", *note.children)
    return nodes.definition_list("", item)


def setup(app: Sphinx) -> None:
    app.add_post_transform(PlainNodes)
