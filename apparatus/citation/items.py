"""What is cited, as CSL-JSON: the edition (an edited book), a note or a paragraph (a part of it).

The notes are the editors' own writing: a note's author is the editors, and its container the
edition, edited by them. A paragraph belongs to the original, whose author is unknown: the styles
put the editors in the author's place. A body (an editorial board) is a CSL ``literal`` name, so
that no style splits it into given and family names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from apparatus.edition import Edition

if TYPE_CHECKING:
    from apparatus.citation.csl import Style


@dataclass(frozen=True)
class Citable:
    """The edition as a whole, one of its notes, or one paragraph of its text."""

    kind: str  # "edition", "note" or "paragraph"
    url: str
    label: str = ""  # the note's label
    paragraph: int = 0
    withdrawn: str = ""  # the version that withdrew the note

    @property
    def title(self) -> str:
        if self.kind == "note":
            # A comma, not brackets: title case capitalizes after an opening bracket in some
            # engines (citeproc-js) and not in others (citeproc-py).
            title = f"Note {self.label} on paragraph {self.paragraph}"
            return f"{title}, withdrawn in version {self.withdrawn}" if self.withdrawn else title
        if self.kind == "paragraph":
            return f"Paragraph {self.paragraph}"
        return ""

    @property
    def slug(self) -> str:
        return {"note": f"note-{self.label}", "paragraph": f"p{self.paragraph}"}.get(self.kind, "")


def date_parts(date: str) -> dict[str, list[list[int]]]:
    return {"date-parts": [[int(part) for part in date.split("-")]]}


def csl_item(edition: Edition, citable: Citable) -> dict[str, Any]:
    """CSL-JSON for the edition (a book edited by its editors) or a part of it (a chapter)."""
    editors = [name.csl() for name in edition.editors]
    item: dict[str, Any] = {"id": citable.slug or "edition", "type": "book"}
    if citable.kind == "note":
        item["author"] = editors
    if citable.kind == "edition":
        item["title"] = edition.title
    else:
        item.update({"type": "chapter", "title": citable.title, "container-title": edition.title})
    item["editor"] = editors
    if edition.publisher:
        item["publisher"] = edition.publisher
    item.update(
        {
            "version": edition.version,
            "issued": date_parts(edition.date),
            "language": edition.language,
            "URL": citable.url,
        }
    )
    if edition.doi and citable.kind == "edition":
        item["DOI"] = edition.doi  # the version's, not a note's: a part has no DOI of its own
    return item


def style_item(item: dict[str, Any], style: Style) -> dict[str, Any]:
    """The item as ``style``'s manual wants it: what a CSL style cannot decide for itself.

    Whether the publisher is the author (or editor) is a comparison that CSL cannot make; an
    access date is the edition's date, which the reader replaces with the day of reading.
    """
    item = dict(item)
    names = [name.get("literal") for name in item.get("author") or item.get("editor") or []]
    if item.get("publisher") and names == [item["publisher"]] and style.body_publisher == "omit":
        del item["publisher"]
    if style.version_as_edition and "version" in item:
        item["edition"] = f"Version {item['version']}"
    if style.accessed and "URL" in item:
        item["accessed"] = item["issued"]
    return item
