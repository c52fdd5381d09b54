"""The checks of the whole edition, made on every build once every document is read.

Sphinx's ``check_consistency`` runs only when a document was read; a build with nothing to read
must fail all the same, so these run at ``env-updated``, after the registry's checks.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from apparatus.domain import EditionDomain, NoteRecord
from apparatus.problems import line_of_markup, report
from apparatus.taxonomy import contradictions

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def check_edition(app: Sphinx, env: BuildEnvironment) -> None:
    domain = env.get_domain("ed")
    assert isinstance(domain, EditionDomain)
    check_whole_edition(domain)


def check_whole_edition(domain: EditionDomain) -> None:
    """Notes files, references to notes and paragraphs, and that every contradiction has a
    side to conflict with."""
    if domain.broken:
        return  # an original could not be used: its problem is the one to report
    _check_notes_files(domain)
    known = domain.known_labels()
    for _docname, references in sorted(domain.data["references"].items()):
        for label, where, markup in references:
            if label not in known:
                _report_unknown(domain.env, label, line_of_markup(where, markup), "reference to")
    _check_paragraph_references(domain)
    contradicting = contradictions(domain.env.config)
    for note in domain.sorted_notes():
        for kind, what in (("related", "names as related"), ("conflicts", "names as in conflict")):
            for label in getattr(note, kind):
                if label not in known:
                    _report_unknown(domain.env, label, note.where, f"note {note.label} {what}")
        if (
            note.category in contradicting
            and not domain.conflicts(note.label)
            and not _held_link(domain, note)
        ):
            report(
                domain.env,
                f"{note.category} note {note.label} conflicts with no other note: name the "
                "note(s) on the other side(s) with :conflicts:",
                note.where,
                None,
            )


def _check_paragraph_references(domain: EditionDomain) -> None:
    docname = domain.text_docname()
    count = domain.texts[docname].paragraphs if docname else 0
    for _docname, references in sorted(domain.data["paragraph_references"].items()):
        for target, where, markup in references:
            if not (target.isdigit() and 1 <= int(target) <= count):
                report(
                    domain.env,
                    f"reference to paragraph {target!r}, but the text has {count} paragraph(s)",
                    line_of_markup(where, markup),
                    None,
                )


def _check_notes_files(domain: EditionDomain) -> None:
    """Every file in a folder of notes must be included by a text page, or its notes are lost."""
    srcdir = Path(domain.env.srcdir).resolve()
    pages = sorted(domain.texts.keys() | domain.data["broken_texts"].keys())
    included = {
        path.relative_to(srcdir)
        for page in pages
        for path in ((srcdir / dep).resolve() for dep in domain.env.dependencies.get(page, ()))
        if path.is_relative_to(srcdir)
    }
    own = {Path(domain.env.doc2path(page, base=False)).parent for page in pages}
    folders = {path.parent for path in included if path.suffix == ".rst"} - own
    for folder in sorted(folders):
        for path in sorted((srcdir / folder).glob("*.rst")):
            if path.relative_to(srcdir) not in included:
                page = srcdir / domain.env.doc2path(pages[0], base=False)
                include = os.path.relpath(path, page.parent)
                report(
                    domain.env,
                    f"notes file {path.relative_to(srcdir)} is not included by any text page, so its "
                    f"notes are lost: add `.. include:: {include}` to {page.relative_to(srcdir)}",
                    f"{path}:1",
                    None,
                )


def _held_link(domain: EditionDomain, note: NoteRecord) -> bool:
    """Whether the note names, or is named by, a note held back by its own problem."""
    held = domain.held()
    return any(label in held for label in note.conflicts) or any(
        note.label in names for names in held.values()
    )


def _report_unknown(env: BuildEnvironment, label: str, where: str, what: str) -> None:
    report(env, f"{what} unknown note {label!r}", where, None)


def setup(app: Sphinx) -> None:
    app.connect("env-updated", check_edition)  # default priority: after the registry's (400)
