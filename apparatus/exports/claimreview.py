"""``claimreview.jsonld``: notes that review a claim, as schema.org ClaimReview.

ClaimReview is the markup fact-checkers publish so that search engines and fact-checking
tools can read a verdict: the claim quoted, a short textual rating, the explanation, and
``url``, the address of the review itself (here the note's permalink). Which categories are
claim reviews, and under which rating, is set by the taxonomy (each category's ``rating``), or
``apparatus_claim_ratings``.
"""

from __future__ import annotations

import json
from typing import Any

from apparatus.exports.collect import Edition, Export, ExportNote
from apparatus.exports.jsonld import SCHEMA_CONTEXT
from apparatus.locale import N_

FILENAME = "claimreview.jsonld"


def organisation(name: str) -> dict[str, str]:
    return {"@type": "Organization", "name": name}


def review(edition: Edition, note: ExportNote, rating: str) -> dict[str, Any]:
    statement = edition.statement
    text = edition.text_of(note)
    item: dict[str, Any] = {
        "@type": "ClaimReview",
        "@id": note.permalink,
        "url": note.permalink,
        "name": f"Note {note.label}: {note.category_name}",
        "claimReviewed": note.lemma,
        "itemReviewed": {
            "@type": "Claim",
            "appearance": {
                "@type": "CreativeWork",
                "name": statement.original_title or text.model.title,
                "url": text.file_url,
            },
        },
        "author": [name.schema_org() for name in statement.editors],
        "reviewRating": {"@type": "Rating", "alternateName": rating, "ratingExplanation": note.body.text},
        "reviewBody": note.body.text,
        "inLanguage": edition.language,
    }
    if statement.date:
        item["datePublished"] = statement.date
    if statement.publisher:
        item["publisher"] = organisation(statement.publisher)
    return item


def write(edition: Edition) -> str:
    ratings = edition.claim_ratings
    reviews = [
        review(edition, note, ratings[note.record.category])
        for note in edition.notes
        if note.record.category in ratings and not note.withdrawn
    ]
    return json.dumps({"@context": SCHEMA_CONTEXT, "@graph": reviews}, ensure_ascii=False, indent=1) + "\n"


EXPORT = Export(
    FILENAME,
    "schema.org ClaimReview (JSON-LD)",
    "application/ld+json",
    N_(
        "Each note on a factual error as a ClaimReview, the markup fact-checkers publish: the claim "
        "quoted, a short rating, the explanation, and the note's permalink."
    ),
    write,
)
