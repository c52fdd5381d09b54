"""BibTeX and RIS records of the edition or a part of it, for reference managers.

Both carry the roles of :mod:`~apparatus.citation.items`: a note is by the editors, in the
edition edited by them. A body is kept whole: in double braces in BibTeX (``{{Editorial
Board}}``), whole in RIS. The BibTeX is read without a warning by ``bibtex`` (the standard
styles) and by biber (biblatex's data model).
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
    """@book for the edition or a paragraph of it, @incollection for a note.

    Each record is valid for ``bibtex``'s standard styles and for biblatex's data model (biber
    ``--validate-datamodel``), which differ on edited books: biblatex wants an author in a @book
    and bibtex refuses a @book with both author and editor, so the edition and its paragraphs
    are @book by the editors (the apparatus is their writing; the original's author is unknown).
    A paragraph is named in ``note``, which every style prints. The version is an ``edition``
    ("Version 1.1"), as in RIS and Harvard: neither model has a ``version`` for a book.
    """
    names = "{" + " and ".join(_bibtex_name(name) for name in edition.editors) + "}"
    book_title = "{{" + _bibtex_escape(edition.title) + "}}"
    fields = [("author", names)]
    if citable.kind == "note":
        kind = "incollection"
        fields += [("title", "{{" + _bibtex_escape(citable.title) + "}}"), ("booktitle", book_title)]
        fields.append(("editor", names))
    else:
        kind = "book"
        fields.append(("title", book_title))
    fields.append(("edition", "{Version " + _bibtex_escape(edition.version) + "}"))
    if edition.publisher:
        fields.append(("publisher", "{" + _bibtex_escape(edition.publisher) + "}"))
    fields += [
        ("year", "{" + edition.year + "}"),
        ("month", MONTHS[int(edition.date[5:7]) - 1]),  # a macro of every style: no braces
        ("date", "{" + edition.date + "}"),
    ]
    if citable.kind == "paragraph":
        fields.append(("note", "{" + _bibtex_escape(citable.title) + "}"))
    if edition.doi and citable.kind == "edition":
        fields.append(("doi", "{" + edition.doi + "}"))
    fields.append(("url", "{" + citable.url + "}"))
    lines = [f"  {name} = {value}" for name, value in fields]
    return f"@{kind}{{{bibtex_key(edition, citable)},\n" + ",\n".join(lines) + "\n}\n"


class _RisWriter(rispy.RisWriter):
    """RIS with an ``ED`` (editor) tag, and no "1." header line before the ``TY`` tag."""

    def __init__(self) -> None:
        mapping = {**rispy.TAG_KEY_MAPPING, "ED": "editors"}  # DO is rispy's "doi" already
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
    if edition.doi and citable.kind == "edition":
        record["doi"] = edition.doi
    return record


def ris(edition: Edition, citable: Citable) -> str:
    return _RisWriter().formats([ris_record(edition, citable)]).rstrip("\n") + "\n"
