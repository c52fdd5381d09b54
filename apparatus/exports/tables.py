"""``notes.csv`` and ``notes.json``: one row (object) per note, for spreadsheets and scripts."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from typing import Any

from apparatus.exports.collect import Edition, Export, ExportNote
from apparatus.locale import N_

COLUMNS = (
    "label",
    "paragraph",
    "category",
    "category_name",
    "lemma",
    "text",
    "permalink",
    "related",
    "conflicts",
    "sources",
    "start",
    "end",
    "withdrawn",
)


def row(note: ExportNote) -> dict[str, Any]:
    return {
        "label": note.label,
        "paragraph": note.paragraph,
        "category": note.record.category,
        "category_name": note.category_name,
        "lemma": note.lemma,
        "text": note.body.text,
        "permalink": note.permalink,
        "related": list(note.related),
        "conflicts": list(note.conflicts),
        "sources": list(note.body.sources),
        "start": note.start,
        "end": note.end,
        "withdrawn": note.withdrawn or None,
    }


def write_csv(edition: Edition) -> str:
    """RFC 4180 CSV; lists (related and conflicting labels, sources) are separated by spaces."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for note in edition.notes:
        values = row(note)
        for name in ("related", "conflicts", "sources"):
            values[name] = " ".join(values[name])
        values["withdrawn"] = values["withdrawn"] or ""
        writer.writerow(values)
    return out.getvalue()


def statement(edition: Edition) -> dict[str, Any]:
    """The edition statement as data: its fields, each editor by name (a person or a body)."""
    found = dataclasses.asdict(edition.statement)
    found["editors"] = [{"name": name.display, "body": name.body} for name in edition.statement.editors]
    found["url"] = found.pop("base_url") or None
    return found


def write_json(edition: Edition) -> str:
    document = {
        "edition": statement(edition),
        "texts": [
            {"path": text.path, "title": text.model.title, "sha256": text.model.sha256, "url": text.file_url}
            for text in edition.texts
        ],
        "columns": {
            "start": "offset of the lemma's first character in the original file (Unicode characters)",
            "end": "offset just after the lemma's last character",
            "related": "labels of linked notes, both ways (related or in conflict)",
            "conflicts": "labels of the notes in conflict with this one, both ways",
            "sources": "keys of the bibliography entries the note cites",
        },
        "notes": [row(note) for note in edition.notes],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


CSV_EXPORT = Export(
    "notes.csv",
    "CSV (RFC 4180)",
    "text/csv",
    N_(
        "One row per note: label, paragraph, category, lemma, the note as plain text, permalink, "
        "related and conflicting labels, cited sources, offsets of the lemma, and the version that withdrew it."
    ),
    write_csv,
)
JSON_EXPORT = Export(
    "notes.json",
    "JSON",
    "application/json",
    N_("The same as notes.csv, one object per note, with the edition statement and the original's checksum."),
    write_json,
)
