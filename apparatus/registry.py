"""The registry of published labels: once published, a label never disappears, moves or changes.

The registry is a committed JSON file mapping each published label to its paragraph and lemma.
Every build checks the notes against it. ``-D apparatus_register=1`` adds the notes that are not
yet published (and only those): that is the editor's deliberate act of publishing.
"""

from __future__ import annotations

import json
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
    return {"paragraph": note.paragraph, "lemma": note.lemma}


def line_of(path: Path, label: str) -> int:
    needle = f"{json.dumps(label)}:"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip().startswith(needle):
            return number
    return 0


def check(app: Sphinx, env: BuildEnvironment) -> None:
    if not app.config.apparatus_registry:
        return
    path = Path(app.confdir, app.config.apparatus_registry)
    published = load(path)
    domain = env.get_domain("ed")
    assert isinstance(domain, EditionDomain)
    for label, recorded in published.items():
        note = domain.notes.get(label)
        if note is None:
            report(
                env,
                f"published note {label} is missing: a published label is never removed or "
                "reused; keep the note and mark it :withdrawn: VERSION instead",
                f"{path}:{line_of(path, label)}",
                None,
            )
        elif entry(note) != recorded:
            report(
                env,
                f"published note {label} has moved: registry says ¶{recorded['paragraph']} "
                f"{recorded['lemma']!r}, the note says ¶{note.paragraph} {note.lemma!r}; a published "
                "label stays on its words: withdraw it and give the new note a new label",
                note.where,
                None,
            )
    new = {label: entry(note) for label, note in domain.notes.items() if label not in published}
    if new and app.config.apparatus_register:
        save(path, published | new)
        logger.info("registered %d new label(s) in %s", len(new), path)
    elif new:
        logger.info(
            "%d note(s) not yet published in %s: %s", len(new), path, " ".join(sorted(new, key=label_key))
        )


def setup(app: Sphinx) -> None:
    app.add_config_value("apparatus_registry", "", "env", types=[str])
    app.add_config_value("apparatus_register", False, "", types=[bool, str, int])
    app.connect("env-check-consistency", check)
