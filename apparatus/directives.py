"""Reading: the ``ed:text`` directive loads an original, ``ed:note`` anchors a note in it.

Stand-off markup: the original stays a pristine file; notes name the paragraph and the exact
words (the lemma) they are about, and are anchored when they are read. Any mistake is
reported with the file and line of the directive, and the note is held back from the edition.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

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
from apparatus.taxonomy import by_slug
from apparatus.text import TextModel, committed_version, explain_change, load_text, sha256_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CURRENT_TEXT = "apparatus:text"  # env.temp_data key: the text the following notes annotate
BROKEN = "broken"  # ... or this, when the text could not be used: its notes are held silently

# The default label rule: paragraph number, a dot, a number without leading zeros ("4.3").
DEFAULT_LABEL_PATTERN = r"(?P<paragraph>[1-9][0-9]*)\.[1-9][0-9]*"


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

    def problem(self, message: str, where: str | None = None) -> list[nodes.Node]:
        report(self.env, message, where or self.where, self.env.docname)
        return []


class TextDirective(EditorialDirective):
    """``.. ed:text:: path`` renders an original: its title as the heading, numbered paragraphs.

    ``:sha256:`` is required: it pins the exact original, so that a change of a single
    character stops the build instead of silently shifting every note.
    """

    required_arguments = 1
    option_spec: ClassVar = {"sha256": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        self.env.temp_data[CURRENT_TEXT] = BROKEN
        relative, path = self.env.relfn2path(self.arguments[0])
        self.env.note_dependency(relative)
        if not Path(path).is_file():
            return self._broken(relative, f"original text {self.arguments[0]!r} not found")
        try:
            text = load_text(Path(path))
        except UnicodeDecodeError as error:
            return self._broken(
                relative,
                f"the original {self.arguments[0]!r} is not UTF-8 ({error.reason} at byte {error.start})",
            )
        pinned = self.options.get("sha256", "").strip().lower()
        if pinned != text.sha256:
            return self._broken(
                relative,
                f"the original {self.arguments[0]!r} does not match its :sha256: "
                f"(pinned {pinned or 'nothing'}, file has {text.sha256}): "
                f"{explain_change(text.source, pinned, committed_version(Path(path)))}; the original must not "
                "change: restore it, or pin the new checksum only for a new edition. Its notes are not "
                "checked until it is restored",
            )
        self.env.temp_data[CURRENT_TEXT] = text
        self.domain.add_text(
            TextRecord(self.env.docname, relative, text.title, text.sha256, len(text.paragraphs))
        )
        return [self._render(text)]

    def _broken(self, relative: str, message: str) -> list[nodes.Node]:
        """Report an original that cannot be used; keep the page's heading, so that nothing
        else (a table of contents without the page's title) fails in its wake."""
        self.domain.break_text(self.env.docname, relative)
        self.problem(message)
        title = self.arguments[0]
        section = nodes.section(ids=["text"], names=[nodes.fully_normalize_name(title)])
        section += nodes.title(title, title)
        return [section]

    def _render(self, text: TextModel) -> nodes.section:
        section = nodes.section(ids=["text"], names=[nodes.fully_normalize_name(text.title)])
        section += nodes.title(text.title, text.title)
        for paragraph in text.paragraphs:
            node = ed.edition_paragraph(number=paragraph.number, ids=[paragraph_anchor(paragraph.number)])
            node += nodes.Text(paragraph.text)
            self.set_source_info(node)
            section += node
        return section


def labels(argument: str | None) -> list[str]:
    return (argument or "").replace(",", " ").split()


class AnyOption(dict[str, Any]):
    """An option spec that lets every option through as text, so that the directive itself
    checks them: a misspelt option or a bad value then stops the note with the note's own
    message and is kept as an editorial problem (docutils' errors vanish on the next build)."""

    def __missing__(self, name: str) -> Any:
        return directives.unchanged


NOTE_OPTIONS = ("paragraph", "lemma", "context", "category", "related", "conflicts", "withdrawn")


def rendered_text(node: nodes.Element) -> str:
    """What a reader sees of a node: its text without comments, targets and other invisibles."""
    return "".join(
        text.astext()
        for text in node.findall(nodes.Text)
        if not any(isinstance(parent, (nodes.Invisible, nodes.system_message)) for parent in ancestors(text))
    )


def ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


class NoteDirective(EditorialDirective):
    """``.. ed:note:: LABEL`` with ``:paragraph:``, ``:lemma:``, ``:category:``; the body is the note."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar = AnyOption({name: directives.unchanged for name in NOTE_OPTIONS})

    def run(self) -> list[nodes.Node]:
        label = self.arguments[0]
        text = self.env.temp_data.get(CURRENT_TEXT)
        self.domain.hold(
            self.env.docname,
            label,
            (*labels(self.options.get("related")), *labels(self.options.get("conflicts"))),
        )
        if text is BROKEN:
            return []  # the original's problem is reported; this note would only echo it
        problem = self._check(label, text)
        if problem:
            return self.problem(problem)
        assert isinstance(text, TextModel)
        paragraph = text.paragraph(int(self.options["paragraph"]))
        assert paragraph is not None
        lemma = self.options["lemma"]
        try:
            span = anchor(paragraph.text, lemma, label, self.options.get("context"))
        except AnchorError as error:
            excerpt = paragraph.text if len(paragraph.text) <= 60 else paragraph.text[:59] + "…"
            return self.problem(
                f"note {label}: {error} (¶{paragraph.number}: {excerpt!r}){self._elsewhere(text, paragraph.number)}"
            )
        node = ed.editorial_note(
            label=label,
            paragraph=paragraph.number,
            category=self.options["category"],
            lemma=lemma,
            start=span.start,
            end=span.end,
            withdrawn=self.options.get("withdrawn", ""),
            ids=[note_anchor(label)],
        )
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        raw = next(node.findall(nodes.raw), None)  # ``.. raw::`` or a ``raw`` role
        if raw is not None:
            return self.problem(
                f"note {label} injects raw {raw.get('format', '')} markup: a note is scholarly prose "
                "and publishes no markup of its own; write it as reStructuredText",
                location(raw.source, raw.line) if raw.line else None,
            )
        if not rendered_text(node).strip():
            return self.problem(
                f"note {label} has an empty body (nothing of it is shown): say what is wrong and why"
            )
        record = NoteRecord(
            label=label,
            docname=self.env.docname,
            where=self.where,
            paragraph=paragraph.number,
            lemma=lemma,
            category=self.options["category"],
            related=tuple(labels(self.options.get("related"))),
            conflicts=tuple(labels(self.options.get("conflicts"))),
            start=paragraph.start + span.start,
            end=paragraph.start + span.end,
            text=node.astext(),
            withdrawn=self.options.get("withdrawn", ""),
            anchor_key=f"{sha256_of(paragraph.text)[:16]}:{span.start}",
        )
        if not self.domain.add_note(record):
            return []
        self.domain.release(self.env.docname, label)
        return [node]

    def _elsewhere(self, text: TextModel, number: int) -> str:
        lemma = self.options["lemma"]
        others = [str(p.number) for p in text.paragraphs if p.number != number and lemma and lemma in p.text]
        return f"; it is in ¶{', ¶'.join(others)}: correct :paragraph:" if others else ""

    def _check(self, label: str, text: TextModel | None) -> str | None:
        """The first mistake in the directive's options, in the words an editor needs."""
        if not LABEL_PATTERN.match(label):
            return f"note label {label!r} is not valid: use letters and digits with dots, e.g. 4.2"
        if text is None:
            return f"note {label} comes before any ed:text directive in this document"
        for name in self.options:
            if name not in NOTE_OPTIONS:
                close = difflib.get_close_matches(name, NOTE_OPTIONS, n=1)
                hint = (
                    f"did you mean :{close[0]}:?"
                    if close
                    else f"use {', '.join(f':{o}:' for o in NOTE_OPTIONS)}"
                )
                return f"note {label}: unknown option :{name}:; {hint}"
        missing = [name for name in ("paragraph", "lemma", "category") if name not in self.options]
        if missing:
            return f"note {label} lacks :{': :'.join(missing)}:"
        for name in ("paragraph", "lemma", "category", "context", "withdrawn"):
            if name in self.options and not self.options[name].strip():
                return f"note {label}: :{name}: is empty"
        number = self.options["paragraph"].strip()
        if not number.isdigit() or int(number) < 1:
            return f"note {label}: :paragraph: must be a paragraph number (1, 2, ...), not {number!r}"
        if text.paragraph(int(number)) is None:
            return f"note {label}: there is no paragraph {number} (the text has {len(text.paragraphs)})"
        problem = self._check_category(label) or self._check_label(label, int(number))
        if problem:
            return problem
        related, conflicts = labels(self.options.get("related")), labels(self.options.get("conflicts"))
        for kind, named in (("related", related), ("conflicts", conflicts)):
            if label in named:
                return f"note {label} names itself in :{kind}:; a note is never linked to itself"
        both = sorted(set(related) & set(conflicts))
        if both:
            return f"note {label} names {' '.join(both)} both as related and in conflict: keep it in :conflicts: only"
        if not "\n".join(self.content).strip():
            return f"note {label} has an empty body: say what is wrong and why"
        return None

    def _check_category(self, label: str) -> str | None:
        category, slugs = self.options["category"], by_slug(self.config)
        if category in slugs:
            return None
        close = difflib.get_close_matches(category.strip().lower(), slugs, n=1, cutoff=0.7)
        if close:
            return f"note {label}: unknown category {category!r}; did you mean {close[0]}?"
        return f"note {label}: unknown category {category!r}; use one of: {', '.join(slugs)}"

    def _check_label(self, label: str, paragraph: int) -> str | None:
        """The edition's label rule (``apparatus_label_pattern``): by default the paragraph's
        number, a dot and a number without leading zeros, the first part that of the paragraph."""
        pattern = self.config.apparatus_label_pattern
        match = re.fullmatch(pattern, label)
        if match is None:
            rule = (
                "the paragraph's number, a dot and the next free number, without leading zeros, e.g. "
                f"{paragraph}.1"
                if pattern == DEFAULT_LABEL_PATTERN
                else f"the pattern {pattern!r}"
            )
            return f"note label {label!r} breaks the edition's label rule: use {rule}"
        if "paragraph" in match.groupdict() and match["paragraph"] != str(paragraph):
            return (
                f"note {label} is on ¶{paragraph}, but its label names ¶{match['paragraph']}: a label "
                f"begins with the number of its paragraph ({paragraph}.N)"
            )
        return None


INCLUDE = re.compile(r"^(\s*)\.\. include:: *(\S+) *$", re.MULTILINE)
NOTE_LABEL = re.compile(rb"^\s*\.\. ed:note:: *(\S+)", re.MULTILINE)


def refuse_undecodable_includes(app: Sphinx, docname: str, source: list[str]) -> None:
    """A notes file that is not UTF-8 is named with the line of its first bad byte; its
    include is left out (docutils would only name the include and a byte offset), and its
    notes are held so that none is also reported missing."""
    env = app.env
    domain = env.get_domain("ed")
    assert isinstance(domain, EditionDomain)

    def check(match: re.Match[str]) -> str:
        relative, path = env.relfn2path(match[2], docname)
        if not Path(path).is_file():
            return match[0]
        data = Path(path).read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            env.note_dependency(relative)
            line = data.count(b"\n", 0, error.start) + 1
            message = (
                f"the notes file is not UTF-8: byte 0x{data[error.start]:02X} on this line is not a "
                "UTF-8 character; save it as UTF-8"
            )
            report(env, message, f"{path}:{line}", docname)
            for label in NOTE_LABEL.findall(data):
                domain.hold(docname, label.decode("utf-8", "replace"))
            return f"{match[1]}.. (left out, not UTF-8) {match[2]}"
        return match[0]

    source[0] = INCLUDE.sub(check, source[0])


def setup(app: Sphinx) -> None:
    # The rule every label follows, as a regular expression matched against the whole label;
    # a group named "paragraph" must equal the note's :paragraph:.
    app.add_config_value("apparatus_label_pattern", DEFAULT_LABEL_PATTERN, "env", types=[str])
    app.add_directive_to_domain("ed", "text", TextDirective)
    app.add_directive_to_domain("ed", "note", NoteDirective)
    app.connect("source-read", refuse_undecodable_includes)
