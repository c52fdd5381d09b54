"""The registry of published labels: once published, a label never disappears, moves or changes.

The registry is a committed JSON file mapping each published label to its paragraph, its lemma
and its anchor (a checksum of the paragraph and the lemma's offset in it). Every build checks
the notes against it. ``-D apparatus_register=1`` (``make register``) adds the notes that are
not yet published, and only those, and only from a build without any problem: that is the
editor's deliberate act of publishing. A published note whose paragraph has changed (a new
edition of the original) is reported until the editor confirms it, ``-D apparatus_confirm=LABELS``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from apparatus.domain import EditionDomain, NoteRecord, label_key
from apparatus.problems import report

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger("apparatus")

Entry = dict[str, object]


def load(path: Path) -> dict[str, Entry]:
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["labels"]


def save(path: Path, labels: dict[str, Entry]) -> None:
    """One label per line, in label order, so that diffs and messages point at a line."""
    lines = [
        f"    {json.dumps(label)}: {json.dumps(labels[label], ensure_ascii=False, sort_keys=True)}"
        for label in sorted(labels, key=label_key)
    ]
    path.write_text('{\n  "labels": {\n' + ",\n".join(lines) + "\n  }\n}\n", encoding="utf-8")


def entry(note: NoteRecord) -> Entry:
    return {"paragraph": note.paragraph, "lemma": note.lemma, "anchor": note.anchor_key}


def same_words(note: NoteRecord, recorded: Entry) -> bool:
    return (note.paragraph, note.lemma) == (recorded.get("paragraph"), recorded.get("lemma"))


def what_moved(recorded: Entry, note: NoteRecord) -> str:
    """How a note's anchor differs from the one it was published with, in words."""
    was_checksum, _, was_offset = str(recorded.get("anchor", "")).partition(":")
    checksum, _, offset = note.anchor_key.partition(":")
    if was_checksum == checksum:
        return f"its words now stand at character {offset} of ¶{note.paragraph}, not {was_offset}"
    return f"the text of ¶{note.paragraph} has changed"


def line_of(path: Path, label: str) -> int:
    needle = f"{json.dumps(label)}:"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip().startswith(needle):
            return number
    return 0


@dataclass
class Registration:
    """What a build would write to the registry: new labels, and anchors to record."""

    new: dict[str, Entry] = field(default_factory=dict)
    anchored: dict[str, Entry] = field(default_factory=dict)  # confirmed, or not yet recorded


def path_of(app: Sphinx) -> Path:
    return Path(app.confdir, app.config.apparatus_registry)


def domain_of(env: BuildEnvironment) -> EditionDomain:
    domain = env.get_domain("ed")
    assert isinstance(domain, EditionDomain)
    return domain


def check(app: Sphinx, env: BuildEnvironment) -> None:
    if app.config.apparatus_registry and not domain_of(env).broken:
        examine(app, env, report_problems=True)


def examine(app: Sphinx, env: BuildEnvironment, report_problems: bool = False) -> Registration:
    """Compare the notes with the registry; report each departure once, with its remedy."""
    path = path_of(app)
    published = load(path)
    domain = domain_of(env)
    confirmed = (
        set(app.config.apparatus_confirm.replace(",", " ").split())
        if app.config.apparatus_register
        else set()
    )
    held = domain.held()
    unpublished = {label: note for label, note in domain.notes.items() if label not in published}
    plan = Registration()

    def problem(message: str, where: str) -> None:
        if report_problems:
            report(env, message, where, None)

    for label, recorded in published.items():
        note = domain.notes.get(label)
        if note is None:
            renamed = next((n for n in unpublished.values() if same_words(n, recorded)), None)
            if renamed is not None:
                unpublished.pop(renamed.label)
                domain.renamed(label)
                problem(
                    f"note {renamed.label} stands on the words of published note {label} "
                    f"(¶{recorded['paragraph']} {recorded['lemma']!r}): labels never change; restore label {label}",
                    renamed.where,
                )
            elif label not in held:  # a held note's own problem is reported already
                problem(
                    f"published note {label} is missing: a published label is never removed or "
                    "reused; keep the note and mark it :withdrawn: VERSION instead",
                    f"{path}:{line_of(path, label)}",
                )
        elif not same_words(note, recorded):
            problem(
                f"published note {label} has moved: registry says ¶{recorded['paragraph']} "
                f"{recorded['lemma']!r}, the note says ¶{note.paragraph} {note.lemma!r}; a published "
                "label stays on its words: withdraw it and give the new note a new label",
                note.where,
            )
        elif recorded.get("anchor") != note.anchor_key:
            if "anchor" not in recorded or label in confirmed:
                plan.anchored[label] = entry(note)
            else:
                problem(
                    f"published note {label} was anchored anew: {what_moved(recorded, note)} since it was "
                    f"published; check that the note is still about these words, then confirm: make "
                    f"register CONFIRM={label}",
                    note.where,
                )
    plan.new = {label: entry(note) for label, note in unpublished.items()}
    if report_problems and plan.new and not app.config.apparatus_register:
        labels = " ".join(sorted(plan.new, key=label_key))
        logger.info("%d note(s) not yet published in %s: %s", len(plan.new), path, labels)
    return plan


def write(app: Sphinx, exception: Exception | None) -> None:
    """``make register``: publish new labels (and confirmed anchors), only from a clean build."""
    if not (app.config.apparatus_register and app.config.apparatus_registry) or app.env is None:
        return
    path = path_of(app)
    problems = len(domain_of(app.env).problems()) + app._warncount
    if exception is not None or problems or app.statuscode:
        logger.error(
            "%s was not written: register only from a build without problems (%d found)", path, problems
        )
        app.statuscode = 1
        return
    plan = examine(app, app.env)
    if not (plan.new or plan.anchored):
        logger.info("registry %s is up to date: nothing to register", path)
        return
    save(path, load(path) | plan.anchored | plan.new)
    for what, labels in (("new label(s)", plan.new), ("anchor(s) of published notes", plan.anchored)):
        if labels:
            logger.info(
                "registered %d %s in %s: %s", len(labels), what, path, " ".join(sorted(labels, key=label_key))
            )


def setup(app: Sphinx) -> None:
    app.add_config_value("apparatus_registry", "", "env", types=[str])
    app.add_config_value("apparatus_register", False, "", types=[bool, str, int])
    # Published notes whose new anchor (after a new edition of the original) the editor confirms.
    app.add_config_value("apparatus_confirm", "", "", types=[str])
    # On every build, before the domain's own checks, which then know the renamed labels.
    app.connect("env-updated", check, priority=400)
    app.connect("build-finished", write)
