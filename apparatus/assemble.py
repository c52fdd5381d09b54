"""Assembling a text page: mark each lemma in its paragraph, place its call, gather the notes.

Runs once per document while reading, after every note has been anchored, so that all the
notes of a paragraph are known together: only then can spans be nested and checked for
crossing. The text itself only ever moves between nodes; no character is changed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from apparatus import nodes as ed
from apparatus.anchoring import Segment, Span, crossing, nest
from apparatus.domain import EditionDomain, call_anchor, lemma_anchor
from apparatus.locale import _
from apparatus.problems import location, report

if TYPE_CHECKING:
    from sphinx.application import Sphinx

UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")


class AssembleText(SphinxTransform):
    default_priority = 400

    def apply(self, **kwargs: Any) -> None:
        domain = self.env.get_domain("ed")
        assert isinstance(domain, EditionDomain)
        if domain.is_text_page(self.env.docname):
            self._refuse_injected_markup()
        paragraphs = {p["number"]: p for p in self.document.findall(ed.edition_paragraph)}
        notes = list(self.document.findall(ed.editorial_note))
        if not paragraphs:
            return
        by_paragraph: dict[int, list[ed.editorial_note]] = defaultdict(list)
        for note in notes:
            if not note["withdrawn"]:
                by_paragraph[note["paragraph"]].append(note)
        for number, paragraph in paragraphs.items():
            self._mark(paragraph, by_paragraph.get(number, []))
        self._gather(notes, paragraphs[min(paragraphs)].parent)

    def _refuse_injected_markup(self) -> None:
        """Nothing on a text page may carry markup or script of its own: no raw HTML (the
        notes refuse it already), no link that runs a script."""
        for raw in list(self.document.findall(nodes.raw)):
            report(
                self.env,
                f"raw {raw.get('format', '')} markup on a text page: the text page publishes the "
                "original and its notes only; remove it",
                location(raw.source or self.document["source"], raw.line),
                self.env.docname,
            )
            raw.parent.remove(raw)
        for link in self.document.findall(nodes.reference):
            if link.get("refuri", "").strip().lower().startswith(UNSAFE_SCHEMES):
                report(
                    self.env,
                    f"the link {link['refuri']!r} runs a script or embeds data: link to a web address",
                    location(self.document["source"], _line_of(link)),
                    self.env.docname,
                )
                link["refuri"] = "#"

    def _mark(self, paragraph: ed.edition_paragraph, notes: list[ed.editorial_note]) -> None:
        text = paragraph.astext()
        spans = [Span(note["start"], note["end"], note["label"]) for note in notes]
        pair = crossing(spans)
        while pair is not None:
            first, second = pair
            culprit = next(note for note in notes if note["label"] == second.key)
            report(
                self.env,
                f"note {second.key}: its lemma partly overlaps the lemma of note {first.key} "
                "(spans may be separate, identical or nested, but not cross); shorten one lemma",
                location(culprit.source, culprit.line),
                self.env.docname,
            )
            spans.remove(second)
            pair = crossing(spans)
        categories = {note["label"]: note["category"] for note in notes}
        paragraph.children = []
        for segment in nest(len(text), spans):
            paragraph.extend(_render(segment, text, categories))

    def _gather(self, notes: list[ed.editorial_note], text_section: nodes.Element) -> None:
        if not notes:
            return
        section = nodes.section(ids=["notes"], names=["notes"])
        section += nodes.title("", _("Notes"))
        for note in notes:
            note.parent.remove(note)
            _lead_with_lemma(note)
            note += ed.related_notes(label=note["label"])
            section += note
        text_section += section


def _line_of(node: nodes.Node) -> int | None:
    """The line of a node, or of the nearest enclosing node that knows it."""
    while node is not None and node.line is None:
        node = node.parent
    return node.line if node is not None else None


def _render(segment: Segment, text: str, categories: dict[str, str]) -> list[nodes.Node]:
    """Plain text stays text; a span becomes a marked lemma followed by its note call."""
    if segment.span is None:
        return [nodes.Text(text[segment.start : segment.end])]
    label = segment.span.key
    mark = ed.lemma(label=label, category=categories[label], ids=[lemma_anchor(label)])
    for child in segment.children:
        mark.extend(_render(child, text, categories))
    # A call right after another call (lemmas ending together) is set off from it: "4.1, 4.2".
    last = segment.children[-1]
    follows = last.span is not None and last.end == segment.end
    return [mark, ed.note_call(label=label, follows=follows, ids=[call_anchor(label)])]


def _lead_with_lemma(note: ed.editorial_note) -> None:
    """Repeat the lemma at the start of the note's first paragraph: "lemma] note text"."""
    first = next(iter(note.findall(nodes.paragraph)), None)
    quote = ed.lemma_quote(note["lemma"], note["lemma"])
    if first is None:
        note.insert(0, nodes.paragraph("", "", quote))
    else:
        first.insert(0, quote)


class ResolveRelatedNotes(SphinxPostTransform):
    """Fill each note's links placeholder, both ways, once every note is known: first the notes
    it conflicts with, then the others related to it."""

    default_priority = 5  # before references are resolved (priority 10)

    def run(self, **kwargs: Any) -> None:
        domain = self.env.get_domain("ed")
        assert isinstance(domain, EditionDomain)
        for placeholder in list(self.document.findall(ed.related_notes)):
            conflicts = domain.conflicts(placeholder["label"])
            related = [label for label in domain.related(placeholder["label"]) if label not in conflicts]
            if not (conflicts or related):
                placeholder.parent.remove(placeholder)
                continue
            line = nodes.paragraph(classes=["ed-related"])
            for heading, labels in ((_("conflicts with"), conflicts), (_("related"), related)):
                if labels:
                    line += nodes.Text(f"; {heading}: " if len(line) else f"{heading.capitalize()}: ")
                    line += _joined_xrefs(labels)
            placeholder.replace_self(line)


def _joined_xrefs(labels: list[str]) -> list[nodes.Node]:
    result: list[nodes.Node] = []
    for index, label in enumerate(labels):
        if index:
            result.append(nodes.Text(", "))
        result.append(_note_xref(label))
    return result


def _note_xref(label: str) -> addnodes.pending_xref:
    xref = addnodes.pending_xref(
        "", refdomain="ed", reftype="note", reftarget=label, refexplicit=False, refwarn=True
    )
    xref += nodes.inline(label, label)
    return xref


def setup(app: Sphinx) -> None:
    app.add_transform(AssembleText)
    app.add_post_transform(ResolveRelatedNotes)
