"""Reading: the ``ed:text`` directive loads an original, ``ed:note`` anchors a note in it.

Stand-off markup: the original stays a pristine file; notes name the paragraph and the exact
words (the lemma) they are about, and are anchored when they are read. Any mistake is
reported with the file and line of the directive.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from apparatus import nodes as ed
from apparatus.anchoring import AnchorError, anchor
from apparatus.domain import (
    LABEL_PATTERN,
    EditionDomain,
    NoteRecord,
    TextRecord,
    note_anchor,
    paragraph_anchor,
)
from apparatus.problems import location, report
from apparatus.taxonomy import BY_SLUG
from apparatus.text import TextModel, load_text

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CURRENT_TEXT = "apparatus:text"  # env.temp_data key: the text the following notes annotate


class EditorialDirective(SphinxDirective):
    """Shared reporting for the edition's directives."""

    @property
    def domain(self) -> EditionDomain:
        domain = self.env.get_domain("ed")
        assert isinstance(domain, EditionDomain)
        return domain

    @property
    def where(self) -> str:
        return location(*self.get_source_info())

    def problem(self, message: str) -> list[nodes.Node]:
        report(self.env, message, self.where, self.env.docname)
        return []


class TextDirective(EditorialDirective):
    """``.. ed:text:: path`` renders an original: its title as the heading, numbered paragraphs.

    ``:sha256:`` is required: it pins the exact original, so that a change of a single
    character stops the build instead of silently shifting every note.
    """

    required_arguments = 1
    option_spec: ClassVar = {"sha256": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        relative, path = self.env.relfn2path(self.arguments[0])
        if not Path(path).is_file():
            return self.problem(f"original text {self.arguments[0]!r} not found")
        self.env.note_dependency(relative)
        text = load_text(Path(path))
        pinned = self.options.get("sha256", "").strip().lower()
        if pinned != text.sha256:
            return self.problem(
                f"the original {self.arguments[0]!r} does not match its :sha256: "
                f"(pinned {pinned or 'nothing'}, file has {text.sha256}); the original must not "
                "change: restore it, or pin the new checksum only for a new edition"
            )
        self.env.temp_data[CURRENT_TEXT] = text
        self.domain.add_text(
            TextRecord(self.env.docname, relative, text.title, text.sha256, len(text.paragraphs))
        )
        return [self._render(text)]

    def _render(self, text: TextModel) -> nodes.section:
        section = nodes.section(ids=["text"], names=[nodes.fully_normalize_name(text.title)])
        section += nodes.title(text.title, text.title)
        for paragraph in text.paragraphs:
            node = ed.edition_paragraph(number=paragraph.number, ids=[paragraph_anchor(paragraph.number)])
            node += nodes.Text(paragraph.text)
            self.set_source_info(node)
            section += node
        return section


def labels(argument: str) -> list[str]:
    return argument.replace(",", " ").split()


class NoteDirective(EditorialDirective):
    """``.. ed:note:: LABEL`` with ``:paragraph:``, ``:lemma:``, ``:category:``; the body is the note."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar = {
        "paragraph": directives.positive_int,
        "lemma": directives.unchanged_required,
        "context": directives.unchanged_required,
        "category": directives.unchanged_required,
        "related": labels,
        "conflicts": labels,
        "withdrawn": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        label = self.arguments[0]
        text: TextModel | None = self.env.temp_data.get(CURRENT_TEXT)
        problem = self._check(label, text)
        if problem:
            return self.problem(problem)
        assert text is not None
        paragraph = text.paragraph(self.options["paragraph"])
        assert paragraph is not None
        try:
            span = anchor(paragraph.text, self.options["lemma"], label, self.options.get("context"))
        except AnchorError as error:
            return self.problem(f"note {label}: {error} (¶{paragraph.number}, {text.title!r})")
        node = ed.editorial_note(
            label=label,
            paragraph=paragraph.number,
            category=self.options["category"],
            lemma=self.options["lemma"],
            start=span.start,
            end=span.end,
            withdrawn=self.options.get("withdrawn", ""),
            ids=[note_anchor(label)],
        )
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        record = NoteRecord(
            label=label,
            docname=self.env.docname,
            where=self.where,
            paragraph=paragraph.number,
            lemma=self.options["lemma"],
            category=self.options["category"],
            related=tuple(self.options.get("related", ())),
            conflicts=tuple(self.options.get("conflicts", ())),
            start=paragraph.start + span.start,
            end=paragraph.start + span.end,
            text=node.astext(),
            withdrawn=self.options.get("withdrawn", ""),
        )
        return [node] if self.domain.add_note(record) else []

    def _check(self, label: str, text: TextModel | None) -> str | None:
        """The first mistake in the directive's options, in the words an editor needs."""
        if not LABEL_PATTERN.match(label):
            return f"note label {label!r} is not valid: use letters and digits with dots, e.g. 4.2"
        if text is None:
            return f"note {label} comes before any ed:text directive in this document"
        missing = [name for name in ("paragraph", "lemma", "category") if name not in self.options]
        if missing:
            return f"note {label} lacks :{': :'.join(missing)}:"
        if self.options["category"] not in BY_SLUG:
            known = ", ".join(BY_SLUG)
            return f"note {label}: unknown category {self.options['category']!r}; use one of: {known}"
        if text.paragraph(self.options["paragraph"]) is None:
            return f"note {label}: there is no paragraph {self.options['paragraph']} (the text has {len(text.paragraphs)})"
        if not "\n".join(self.content).strip():
            return f"note {label} has an empty body: say what is wrong and why"
        return None


def setup(app: Sphinx) -> None:
    app.add_directive_to_domain("ed", "text", TextDirective)
    app.add_directive_to_domain("ed", "note", NoteDirective)
