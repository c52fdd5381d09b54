"""The fixed taxonomy of editorial notes.

Every note has exactly one category. The list is closed so that notes stay comparable, can be
filtered and counted, and mean the same thing in every output. All categories but the last name
a fault of the text; the last, ``verified``, is for a claim checked and found accurate. ``tag`` is the short bracketed
label in the tradition of inline editorial tags ("[contradictory]", "[who?]").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    tag: str
    definition: str


CATEGORIES: tuple[Category, ...] = (
    Category(
        "contradiction",
        "Contradiction",
        "contradictory",
        "The text says two things that cannot both be true; the note links every side.",
    ),
    Category(
        "factual-error",
        "Factual error",
        "incorrect",
        "A checkable statement of fact that public records show to be false.",
    ),
    Category(
        "unsupported-claim",
        "Unsupported claim",
        "citation needed",
        "A claim that needs evidence or a source and is given none.",
    ),
    Category(
        "unclear-reference",
        "Unclear reference",
        "which?",
        "A pronoun or phrase whose referent cannot be identified from the text.",
    ),
    Category(
        "vague",
        "Vague or ambiguous",
        "vague",
        "Wording too imprecise to be checked, or open to more than one reading.",
    ),
    Category(
        "non-sequitur",
        "Non sequitur",
        "does not follow",
        "A conclusion or connective (“therefore”, “as such”) that does not follow from what precedes.",
    ),
    Category(
        "unidentified-source",
        "Unidentified or misattributed source",
        "who?",
        "A person, work or source that is named or implied but cannot be identified, or is misattributed.",
    ),
    Category(
        "undated-reference",
        "Undated time reference",
        "when?",
        "A time reference (“in recent months”) with no date to fix it.",
    ),
    Category(
        "unwarranted-recommendation",
        "Unwarranted recommendation",
        "unwarranted",
        "A prescription that the argument does not support.",
    ),
    Category(
        "typographical-error",
        "Typographical error",
        "sic",
        "A slip of spelling, spacing or punctuation, kept in the text and flagged here.",
    ),
    Category(
        "grammatical-error",
        "Garbled sentence",
        "garbled",
        "A sentence whose grammar breaks down so that its meaning cannot be recovered with certainty.",
    ),
    Category(
        "extraneous-text",
        "Extraneous text",
        "extraneous",
        "Text that does not belong to the work, such as a stray button label.",
    ),
    Category(
        "verified",
        "Checked: accurate",
        "checked",
        "A checkable statement that the note confirms from a cited source; not a fault of the text.",
    ),
)

BY_SLUG: dict[str, Category] = {category.slug: category for category in CATEGORIES}


def category(slug: str) -> Category | None:
    return BY_SLUG.get(slug)
