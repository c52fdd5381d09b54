"""Docutils nodes of an edition. Their visitors live in ``apparatus.writers``."""

from __future__ import annotations

from docutils import nodes


class edition_paragraph(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """A numbered paragraph of the original: ``number``, ``ids``; holds text, lemmas, calls."""


class lemma(nodes.Inline, nodes.TextElement):  # noqa: N801
    """The flagged words of one note, marked in the text: ``label``, ``category``."""


class note_call(nodes.Inline, nodes.Element):  # noqa: N801
    """The note call placed right after a lemma: ``label``."""


class editorial_note(nodes.General, nodes.Element):  # noqa: N801
    """An editorial note: ``label``, ``paragraph``, ``category``, ``lemma``, ``withdrawn``."""


class lemma_quote(nodes.Inline, nodes.TextElement):  # noqa: N801
    """The lemma repeated at the head of its note ("lemma] note text")."""


class related_notes(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for the links to related notes, filled in once all notes are known."""


ALL = (edition_paragraph, lemma, note_call, editorial_note, lemma_quote, related_notes)
