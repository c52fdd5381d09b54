"""BibTeX and RIS records of the edition or a part of it, for reference managers.

Both carry the roles of :mod:`~apparatus.citation.items`: a note is by the editors, in the
edition edited by them. A body is kept whole: in double braces in BibTeX (``{{Editorial
Board}}``), whole in RIS. The BibTeX is read by ``bibtex`` (the standard styles) and by biber.
"""

from __future__ import annotations

import re
from typing import Any

import rispy

from apparatus.citation.items import Citable
from apparatus.edition import Edition, Name

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_key(edition: Edition, citable: Citable) -> str:
    first = edition.editors[0].family.split()[0] if edition.editors else "edition"
    word = next((w for w in re.findall(r"[A-Za-z]+", edition.title) if len(w) > 3), "edition")
    key = f"{re.sub(r'[^A-Za-z]', '', first)}{edition.year}{word}".lower()
    return f"{key}:{citable.slug}" if citable.slug else key


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text).replace("~", r"\textasciitilde{}")


def _bibtex_name(name: Name) -> str:
    return "{" + _bibtex_escape(name.family) + "}" if name.body else _bibtex_escape(name.inverted)


def bibtex(edition: Edition, citable: Citable) -> str:
    """@book for the edition, @incollection for a note (by the editors), @inbook for a paragraph.

    A paragraph is by the original's unknown author: an @inbook of the edited book, its
    ``chapter`` the paragraph's number, since ``bibtex`` wants an author in an @incollection
    and refuses a @book with both author and editor. The version is biblatex's ``version``
    (the standard styles skip it), never ``edition``.
    """
    names = "{" + " and ".join(_bibtex_name(name) for name in edition.editors) + "}"
    book_title = "{{" + _bibtex_escape(edition.title) + "}}"
    if citable.kind == "note":
        kind = "incollection"
        fields = [("author", names), ("title", "{{" + _bibtex_escape(citable.title) + "}}")]
        fields.append(("booktitle", book_title))
    elif citable.kind == "paragraph":
        kind = "inbook"
        fields = [("title", book_title), ("chapter", f"{{{citable.paragraph}}}"), ("type", "{paragraph}")]
    else:
        kind, fields = "book", [("title", book_title)]
    fields.append(("editor", names))
    if edition.publisher:
        fields.append(("publisher", "{" + _bibtex_escape(edition.publisher) + "}"))
    fields += [
        ("year", "{" + edition.year + "}"),
        ("month", MONTHS[int(edition.date[5:7]) - 1]),  # a macro of every style: no braces
        ("date", "{" + edition.date + "}"),
        ("version", "{" + edition.version + "}"),
        ("url", "{" + citable.url + "}"),
    ]
    lines = [f"  {name} = {value}" for name, value in fields]
    return f"@{kind}{{{bibtex_key(edition, citable)},\n" + ",\n".join(lines) + "\n}\n"


class _RisWriter(rispy.RisWriter):
    """RIS with an ``ED`` (editor) tag, and no "1." header line before the ``TY`` tag."""

    def __init__(self) -> None:
        mapping = {**rispy.TAG_KEY_MAPPING, "ED": "editors"}
        super().__init__(mapping=mapping, list_tags=[*rispy.LIST_TYPE_TAGS, "ED"])

    def set_header(self, count: int) -> str:
        return ""


def ris_record(edition: Edition, citable: Citable) -> dict[str, Any]:
    """BOOK with its editors (ED), or CHAP with the book's editors (A2) and a note's authors (AU)."""
    editors = [name.inverted for name in edition.editors]
    record: dict[str, Any] = {"type_of_reference": "BOOK" if citable.kind == "edition" else "CHAP"}
    if citable.kind == "edition":
        record.update({"title": edition.title, "editors": editors})
    else:
        if citable.kind == "note":
            record["authors"] = editors
        record.update(
            {"title": citable.title, "secondary_title": edition.title, "secondary_authors": editors}
        )
    record.update(
        {
            "year": edition.year,
            "date": edition.date.replace("-", "/"),
            "edition": f"Version {edition.version}",
            "language": edition.language,
            "urls": [citable.url],
        }
    )
    if edition.publisher:
        record["publisher"] = edition.publisher
    return record


def ris(edition: Edition, citable: Citable) -> str:
    return _RisWriter().formats([ris_record(edition, citable)]).rstrip("\n") + "\n"
