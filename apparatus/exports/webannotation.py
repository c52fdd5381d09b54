"""``annotations.jsonld``: every note as a W3C Web Annotation, all in one AnnotationCollection.

Each annotation targets the published copy of the original file twice over: a
TextQuoteSelector (the exact words with some context, robust to a changed file) and a
TextPositionSelector (offsets in Unicode characters, exact for this very file). A withdrawn
note is left out: it no longer says anything about the text.
"""

from __future__ import annotations

import json
from typing import Any

from apparatus.exports.collect import Edition, Export, ExportNote
from apparatus.exports.jsonld import ANNOTATION_CONTEXT
from apparatus.locale import N_

FILENAME = "annotations.jsonld"
QUOTE_CONTEXT = 32  # characters of prefix and suffix, as Hypothesis uses


def quote_selector(source: str, start: int, end: int) -> dict[str, Any]:
    return {
        "type": "TextQuoteSelector",
        "exact": source[start:end],
        "prefix": source[max(0, start - QUOTE_CONTEXT) : start],
        "suffix": source[end : end + QUOTE_CONTEXT],
    }


def annotation(edition: Edition, note: ExportNote) -> dict[str, Any]:
    text = edition.text_of(note)
    return {
        "id": edition.url(f"{FILENAME}#note-{note.label}"),
        "type": "Annotation",
        "label": note.label,
        "motivation": "assessing",
        **provenance(edition),
        "body": [
            {
                "id": note.permalink,
                "type": "TextualBody",
                "purpose": "assessing",
                "value": note.body.text,
                "format": "text/plain",
                "language": edition.language,
            },
            {"type": "TextualBody", "purpose": "tagging", "value": note.category},
        ],
        "target": {
            "type": "SpecificResource",
            "source": text.file_url,
            "selector": [
                quote_selector(text.model.source, note.start, note.end),
                {"type": "TextPositionSelector", "start": note.start, "end": note.end},
            ],
        },
    }


def provenance(edition: Edition) -> dict[str, Any]:
    """Who made the notes and when, as far as the edition statement says."""
    found: dict[str, Any] = {}
    editors = edition.statement.editors
    if editors:
        found["creator"] = [name.schema_org() for name in editors]
    date = edition.statement.date
    if date:
        found["created"] = f"{date}T00:00:00Z" if len(date) == 10 else date  # xsd:dateTime
    return found


def collection(edition: Edition) -> dict[str, Any]:
    notes = [note for note in edition.notes if not note.withdrawn]
    title = edition.statement.title
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": edition.url(FILENAME),
        "type": "AnnotationCollection",
        "label": f"Editorial notes: {title}" if title else "Editorial notes",
        "total": len(notes),
        "first": {
            "id": edition.url(f"{FILENAME}#page-1"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": [annotation(edition, note) for note in notes],
        },
    }


def write(edition: Edition) -> str:
    return json.dumps(collection(edition), ensure_ascii=False, indent=1) + "\n"


EXPORT = Export(
    FILENAME,
    "W3C Web Annotation (JSON-LD)",
    "application/ld+json",
    N_(
        "Every note as a Web Annotation in one collection: the note's text, label, category (as a "
        "tag) and permalink; its target is the original file, by the quoted words (with prefix and "
        "suffix) and by character offsets."
    ),
    write,
)
