"""The ``ed`` domain: the registry of every note and edited text, and the roles that link them.

All cross-document data lives here so that parallel and incremental builds stay correct:
``clear_doc`` forgets what a re-read document said, ``merge_domaindata`` joins what parallel
readers found; :mod:`apparatus.checks` checks the whole edition once every document is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from apparatus.locale import _
from apparatus.problems import KeepMarkupErrors, location, report

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

LABEL_PATTERN = re.compile(r"^[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*$")

# What the domain keeps per document, forgotten when the document is read again.
PER_DOCUMENT = (
    "texts",
    "references",
    "paragraph_references",
    "listings",
    "read_problems",
    "held",
    "broken_texts",
)

LinkKind = Literal["related", "conflicts"]  # the two kinds of link between notes


@dataclass(frozen=True)
class NoteRecord:
    label: str
    docname: str
    where: str  # "file:line" of the directive, for messages
    paragraph: int
    lemma: str
    category: str
    related: tuple[str, ...]
    start: int  # offsets of the lemma in the original file, end exclusive
    end: int
    text: str  # the note's body as plain text
    withdrawn: str = ""  # the version that withdrew the note, if any
    conflicts: tuple[str, ...] = ()  # notes on passages that cannot be true together with this one
    anchor_key: str = ""  # "checksum of the paragraph:offset of the lemma in it", for the registry

    @property
    def anchor(self) -> str:
        return note_anchor(self.label)


@dataclass(frozen=True)
class TextRecord:
    docname: str
    path: str  # the original, relative to the source directory
    title: str
    sha256: str
    paragraphs: int


def note_anchor(label: str) -> str:
    return f"note-{label}"


def call_anchor(label: str) -> str:
    return f"call-{label}"


def lemma_anchor(label: str) -> str:
    return f"lemma-{label}"


def paragraph_anchor(number: int) -> str:
    return f"p{number}"


def note_title(label: str) -> str:
    """How a note is named in running text: "n. 4.2", never broken across lines."""
    return _("n.\u00a0{label}").format(label=label)


def label_key(label: str) -> tuple[Any, ...]:
    """Sort labels naturally: 2.10 after 2.9, 10.1 after 9.3."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in label.split("."))


class NoteRole(XRefRole):
    """``:ed:note:`4.2``` links to a note; every use is recorded so it can be checked."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        result = super().run()
        domain = self.env.get_domain("ed")
        assert isinstance(domain, EditionDomain)
        domain.note_reference(self.env.docname, self.target, location(*self.get_source_info()), self.rawtext)
        return result


class ParagraphRole(XRefRole):
    """``:ed:par:`5``` links to a paragraph of the text; every use is recorded to be checked."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        result = super().run()
        domain = self.env.get_domain("ed")
        assert isinstance(domain, EditionDomain)
        domain.paragraph_reference(
            self.env.docname, self.target, location(*self.get_source_info()), self.rawtext
        )
        return result


class EditionDomain(Domain):
    name = "ed"
    label = "Critical edition"
    object_types: ClassVar[dict[str, ObjType]] = {
        "note": ObjType("note", "note"),
        "paragraph": ObjType("paragraph", "par"),
    }
    roles: ClassVar = {"note": NoteRole(), "par": ParagraphRole()}
    initial_data: ClassVar[dict[str, Any]] = {
        "notes": {},  # label -> NoteRecord
        "texts": {},  # docname -> TextRecord
        "references": {},  # docname -> [(label, where, markup)]
        "paragraph_references": {},  # docname -> [(number, where, markup)]
        "listings": {},  # docname -> number of generated listings (they change with any note)
        "read_problems": {},  # docname -> [(where, message)]
        "check_problems": [],  # [(where, message)], recomputed on every build
        "held": {},  # docname -> {label: labels it names}: notes a problem keeps out
        "broken_texts": {},  # docname -> path of an original that could not be used
    }
    data_version = 4  # 4: problems, held notes, broken texts and paragraph references are kept here
    _naming: dict[str, dict[str, set[str]]] | None = None  # see _naming_index

    # -- registry -------------------------------------------------------------------------

    @property
    def notes(self) -> dict[str, NoteRecord]:
        return self.data["notes"]

    @property
    def texts(self) -> dict[str, TextRecord]:
        return self.data["texts"]

    def add_text(self, record: TextRecord) -> None:
        self.texts[record.docname] = record

    def add_note(self, record: NoteRecord) -> bool:
        """Register a note; refuse (and report) a label that is already taken."""
        first = self.notes.get(record.label)
        if first is not None:
            self._report_duplicate(first, record)
            return False
        self.notes[record.label] = record
        self._naming = None
        return True

    def note_reference(self, docname: str, label: str, where: str, markup: str = "") -> None:
        self.data["references"].setdefault(docname, []).append((label, where, markup))

    def paragraph_reference(self, docname: str, number: str, where: str, markup: str) -> None:
        self.data["paragraph_references"].setdefault(docname, []).append((number, where, markup))

    # -- problems ---------------------------------------------------------------------------

    def add_problem(self, where: str, message: str, docname: str | None) -> None:
        """Remember a problem: of ``docname`` while reading it, or of the whole edition."""
        if docname is None:
            self.data["check_problems"].append((where, message))
        else:
            self.data["read_problems"].setdefault(docname, []).append((where, message))

    def problems(self) -> list[tuple[str, str]]:
        """Every outstanding problem, once: those of the documents, then those of the checks."""
        found = [
            p for docname in sorted(self.data["read_problems"]) for p in self.data["read_problems"][docname]
        ]
        return list(dict.fromkeys(found + self.data["check_problems"]))

    def hold(self, docname: str, label: str, names: tuple[str, ...] = ()) -> None:
        """A note that is in the sources but kept out of the edition by a problem already
        reported: it is not also "missing", and notes that name it are not "unknown"."""
        self.data["held"].setdefault(docname, {})[label] = names

    def release(self, docname: str, label: str) -> None:
        self.data["held"].get(docname, {}).pop(label, None)

    def held(self) -> dict[str, tuple[str, ...]]:
        return {label: names for held in self.data["held"].values() for label, names in held.items()}

    def break_text(self, docname: str, path: str) -> None:
        self.data["broken_texts"][docname] = path

    def is_text_page(self, docname: str) -> bool:
        return docname in self.texts or docname in self.data["broken_texts"]

    @property
    def broken(self) -> bool:
        """An original could not be used: every check of its notes would only echo that."""
        return bool(self.data["broken_texts"])

    def note_listing(self, docname: str) -> None:
        self.data["listings"][docname] = self.data["listings"].get(docname, 0) + 1

    def dependent_documents(self) -> set[str]:
        """Documents whose output depends on every note: texts, listings, maps."""
        return set(self.data["listings"]) | {note.docname for note in self.notes.values()}

    def sorted_notes(self) -> list[NoteRecord]:
        return sorted(self.notes.values(), key=lambda note: label_key(note.label))

    def related(self, label: str) -> list[str]:
        """Linked notes both ways, of either kind: related and in conflict."""
        linked = self._both_ways(label, "related") | self._both_ways(label, "conflicts")
        return sorted(linked, key=label_key)

    def conflicts(self, label: str) -> list[str]:
        """Notes in conflict with this one, both ways: those it names, and those that name it."""
        return sorted(self._both_ways(label, "conflicts"), key=label_key)

    def _both_ways(self, label: str, kind: LinkKind) -> set[str]:
        named = set(getattr(self.notes[label], kind)) if label in self.notes else set()
        naming = self._naming_index(kind).get(label, set())
        return {other for other in named | naming if other in self.notes and other != label}

    def _naming_index(self, kind: LinkKind) -> dict[str, set[str]]:
        """Label -> the notes that name it under ``kind``. Built once per kind, not per note: a
        scan per note made an edition of thousands of notes quadratic. ``add_note`` and
        ``clear_doc`` (the only writers of ``notes``) drop it."""
        indexes = self._naming
        if indexes is None:
            indexes = {}
            self._naming = indexes
        if kind not in indexes:
            index: dict[str, set[str]] = {}
            for other in self.notes.values():
                for named in getattr(other, kind):
                    index.setdefault(named, set()).add(other.label)
            indexes[kind] = index
        return indexes[kind]

    def text_docname(self) -> str | None:
        return next(iter(sorted(self.texts)), None)

    # -- parallel and incremental builds --------------------------------------------------

    def clear_doc(self, docname: str) -> None:
        for label in [label for label, n in self.notes.items() if n.docname == docname]:
            del self.notes[label]
        self._naming = None
        for key in PER_DOCUMENT:
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for record in otherdata["notes"].values():
            if record.docname in docnames:
                self.add_note(record)
        for key in PER_DOCUMENT:
            for docname, value in otherdata[key].items():
                if docname in docnames:
                    self.data[key][docname] = value

    def _report_duplicate(self, first: NoteRecord, second: NoteRecord) -> None:
        report(
            self.env,
            f"duplicate note label {second.label!r}: it is already used at {first.where}; "
            "labels are permanent, give this note the next free label",
            second.where,
            second.docname,
        )

    # -- whole-edition checks ---------------------------------------------------------------

    def start_checks(self) -> None:
        """Forget the whole-edition checks' findings: they are made anew on every build."""
        self.data["check_problems"] = []
        self._renamed: set[str] = set()

    def renamed(self, label: str) -> None:
        """A published label that a note now carries under another label (reported once, by the
        registry): references to it are not also unknown."""
        self.__dict__.setdefault("_renamed", set()).add(label)

    def known_labels(self) -> set[str]:
        """The labels a reference may name: the notes, those held back by a problem, the renamed."""
        return set(self.notes) | set(self.held()) | getattr(self, "_renamed", set())

    # -- cross-references -----------------------------------------------------------------

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        explicit = node.get("refexplicit", False)
        if typ == "note" and target in self.notes:
            note = self.notes[target]
            title = contnode if explicit else nodes.Text(note_title(target))
            return make_refnode(builder, fromdocname, note.docname, note.anchor, title, f"note {target}")
        if typ == "par" and target.isdigit():
            docname = self.text_docname()
            if docname is not None and 1 <= int(target) <= self.texts[docname].paragraphs:
                title = contnode if explicit else nodes.Text(f"¶{target}")
                anchor = paragraph_anchor(int(target))
                return make_refnode(builder, fromdocname, docname, anchor, title, f"paragraph {target}")
        return None

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        found = self.resolve_xref(env, fromdocname, builder, "note", target, node, contnode)
        return [("ed:note", found)] if found is not None else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for note in self.sorted_notes():
            yield note.label, note_title(note.label), "note", note.docname, note.anchor, 1


def start_checks(app: Sphinx, env: BuildEnvironment) -> None:
    domain = env.get_domain("ed")
    assert isinstance(domain, EditionDomain)
    domain.start_checks()


def silence_checked_references(app: Sphinx, domain: Domain, node: pending_xref) -> bool | None:
    """Unknown notes and paragraphs are reported once, with their location, by ``check_edition``."""
    if domain is not None and domain.name == "ed" and node.get("reftype") in {"note", "par"}:
        return True
    return None


def rebuild_dependents(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """When any document changes, those that show notes of other documents change too."""
    if not (added or changed or removed):
        return []
    domain = env.get_domain("ed")
    assert isinstance(domain, EditionDomain)
    return sorted(domain.dependent_documents() - set(removed))


def setup(app: Sphinx) -> None:
    app.add_domain(EditionDomain)
    app.add_transform(KeepMarkupErrors)
    app.connect("env-get-outdated", rebuild_dependents)
    # On every build: forget the last findings; then come the registry's checks (priority 400,
    # see ``registry.setup``) and the whole edition's (``checks.setup``).
    app.connect("env-updated", start_checks, priority=300)
    app.connect("warn-missing-reference", silence_checked_references)
