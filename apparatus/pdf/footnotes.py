"""Notes become footnotes: the PDF's document tree and the HTML WeasyPrint floats down.

For the PDF each note leaves the notes list for its call and becomes a real page-bottom
footnote (CSS ``float: footnote``), with the same label as on the web, its category in words
and its lemma repeated ("lemma] note text").
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.html5 import HTML5Translator

from apparatus import nodes as ed
from apparatus.domain import call_anchor, label_key, note_anchor, paragraph_anchor
from apparatus.taxonomy import by_slug

BUILDER = "editionpdf"  # the builder these transforms and visitors serve
# Before every call: no line may break between a word and its call, copied text keeps the
# word and the call apart ("allies 4.1"), and the call's own link marks it as a call.
CALL_SPACE = "\u202f"  # narrow no-break space


class note_footnote(nodes.Inline, nodes.Element):  # noqa: N801 (docutils naming)
    """An editorial note set at its call, to be typeset as a page-bottom footnote."""


class note_continuation(nodes.General, nodes.Element):  # noqa: N801
    """The whole of a note too long for the foot of a page, listed after the text."""


def continuation_anchor(label: str) -> str:
    return f"{note_anchor(label)}-continued"


# -- the document tree for the PDF ----------------------------------------------------------


class NotesToFootnotes(SphinxPostTransform):
    """Move every called note to its call, as inline content that WeasyPrint floats down.

    A note stands inside its paragraph in the PDF, so its body must be inline-level: block
    elements become spans that keep their kind as a class (``ed-fn-paragraph``...). The notes
    of calls that stand together follow the last of them, in label order. Notes without a call
    (withdrawn ones) stay in the notes list. WeasyPrint cannot split a footnote across pages,
    so a note longer than ``apparatus_pdf_long_note`` characters leaves at its call only its
    head and a link to its whole text, which stands in the notes list.
    """

    default_priority = 6  # after the related notes are filled in (5), before references (10)
    builders = (BUILDER,)

    def run(self, **kwargs: Any) -> None:
        notes = {note["label"]: note for note in self.document.findall(ed.editorial_note)}
        lists = {id(note.parent): note.parent for note in notes.values()}
        for group in _call_groups(self.document):
            last = group[-1]
            labels = sorted((call["label"] for call in group if call["label"] in notes), key=label_key)
            footnotes = [self._footnote(notes.pop(label)) for label in labels]
            position = last.parent.index(last) + 1
            last.parent[position:position] = footnotes
        for notes_list in lists.values():
            if isinstance(notes_list, nodes.section) and not _still_listed(notes_list):
                notes_list.parent.remove(notes_list)  # every note of it is now a footnote

    def _footnote(self, note: ed.editorial_note) -> note_footnote:
        if len(note.astext()) <= self.config.apparatus_pdf_long_note:
            return _as_footnote(note)
        notes_list, position = note.parent, note.parent.index(note)
        whole = _as_footnote(note)
        continuation = note_continuation(
            label=note["label"], category=note["category"], ids=[continuation_anchor(note["label"])]
        )
        continuation.extend(whole.children)
        notes_list.insert(position, continuation)
        head = note_footnote(label=note["label"], category=note["category"], ids=note["ids"])
        head += ed.lemma_quote(note["lemma"], note["lemma"])
        link = nodes.reference("", "the note continues after the text", refuri="#" + continuation["ids"][0])
        head += nodes.inline("", "", link, classes=["ed-continued"])
        return head


def _still_listed(notes_list: nodes.Element) -> bool:
    """Whether a notes list keeps a note: a withdrawn one, or the whole of a long one."""
    return any(notes_list.findall(ed.editorial_note)) or any(notes_list.findall(note_continuation))


def _call_groups(document: nodes.document) -> list[list[ed.note_call]]:
    """Calls in reading order, grouped when nothing but markup stands between them."""
    groups: list[list[ed.note_call]] = []
    for call in document.findall(ed.note_call):
        if groups and _adjacent(groups[-1][-1], call):
            groups[-1].append(call)
        else:
            groups.append([call])
    return groups


def _adjacent(first: nodes.Node, second: nodes.Node) -> bool:
    node = first.next_node(descend=True, siblings=True, ascend=True)
    while node is not None and node is not second:
        if isinstance(node, nodes.Text) and node.astext():
            return False
        node = node.next_node(descend=True, siblings=True, ascend=True)
    return node is second


def _as_footnote(note: ed.editorial_note) -> note_footnote:
    note.parent.remove(note)
    footnote = note_footnote(label=note["label"], category=note["category"], ids=note["ids"])
    footnote.extend(_inline(child) for child in note.children)
    first = next(
        (
            child
            for child in footnote.children
            if isinstance(child, nodes.Element) and "ed-fn-paragraph" in child["classes"]
        ),
        None,
    )
    if first is not None:
        first["classes"].append("ed-fn-first")  # runs on after the label and the category
    _unwrap_lines(footnote)
    return footnote


def _inline(node: nodes.Node) -> nodes.Node:
    """An inline-level copy of a node of a note's body: blocks become classed spans."""
    if isinstance(node, nodes.Inline) or not isinstance(node, nodes.Element):
        return node
    span = nodes.inline(classes=[f"ed-fn-{node.tagname}", *node["classes"]], ids=node["ids"])
    span.extend(_inline(child) for child in node.children)
    return span


def _unwrap_lines(footnote: note_footnote) -> None:
    """Source line breaks become spaces: inside a footnote WeasyPrint would keep them."""
    for text in list(footnote.findall(nodes.Text)):
        if "\n" in text and not _in_literal(text):
            text.parent.replace(text, nodes.Text(text.replace("\n", " ")))


def _in_literal(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.FixedTextElement) or "ed-fn-literal_block" in parent["classes"]:
            return True
        parent = parent.parent
    return False


def visit_edition_paragraph(self: HTML5Translator, node: ed.edition_paragraph) -> None:
    number = node["number"]
    self.body.append(
        f'<div class="ed-par" id="{paragraph_anchor(number)}" data-number="{number}">'
        f'<span class="ed-parnum">¶{number}</span><p class="ed-text">'
    )


def depart_edition_paragraph(self: HTML5Translator, node: ed.edition_paragraph) -> None:
    self.body.append("</p></div>\n")


def visit_lemma(self: HTML5Translator, node: ed.lemma) -> None:
    self.body.append(f'<span class="ed-lemma" id="{escape(node["ids"][0])}">')


def depart_lemma(self: HTML5Translator, node: ed.lemma) -> None:
    self.body.append("</span>")


def visit_note_call(self: HTML5Translator, node: ed.note_call) -> None:
    label = node["label"]
    separator = '<span class="ed-call-sep">,</span>' if node.get("follows") else ""
    self.body.append(
        f'{separator}<a class="ed-call" id="{escape(call_anchor(label))}" '
        f'href="#{escape(note_anchor(label))}">{CALL_SPACE}{escape(label)}</a>'
    )
    raise nodes.SkipNode


def _note_head(label: str, category_name: str) -> str:
    """The head of a footnote: its label, linking back to the call, and its category in words."""
    return (
        f'<a class="ed-fn-label" href="#{escape(call_anchor(label))}">{escape(label)}</a> '
        f'<span class="ed-fn-category">{escape(category_name)}.</span> '
    )


def visit_note_footnote(self: HTML5Translator, node: note_footnote) -> None:
    label = node["label"]
    category = by_slug(self.builder.config)[node["category"]]
    self.body.append(
        f'<span class="ed-footnote" id="{escape(note_anchor(label))}" data-category="{category.slug}">'
        f"{_note_head(label, category.name)}"
    )


def depart_note_footnote(self: HTML5Translator, node: note_footnote) -> None:
    self.body.append("</span>")


def visit_note_continuation(self: HTML5Translator, node: note_continuation) -> None:
    label = node["label"]
    self.body.append(
        f'<div class="ed-continuation" id="{escape(node["ids"][0])}">{_note_head(label, by_slug(self.builder.config)[node["category"]].name)}'
    )


def depart_note_continuation(self: HTML5Translator, node: note_continuation) -> None:
    self.body.append("</div>\n")


def visit_lemma_quote(self: HTML5Translator, node: ed.lemma_quote) -> None:
    self.body.append('<span class="ed-lemma-quote">')


def depart_lemma_quote(self: HTML5Translator, node: ed.lemma_quote) -> None:
    self.body.append("</span>] ")


VISITORS: dict[str, tuple[Callable[..., None], Callable[..., None] | None]] = {
    "edition_paragraph": (visit_edition_paragraph, depart_edition_paragraph),
    "lemma": (visit_lemma, depart_lemma),
    "note_call": (visit_note_call, None),
    "note_footnote": (visit_note_footnote, depart_note_footnote),
    "note_continuation": (visit_note_continuation, depart_note_continuation),
    "lemma_quote": (visit_lemma_quote, depart_lemma_quote),
}
