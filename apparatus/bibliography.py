"""Author-date citations that name one source each: "Security Council, 2014a" and "2014b".

With sphinxcontrib-bibtex's author-year references, two works of one author in one year get
the same label. Once the bibliography files are read, each such work's year gains a letter, in
the order of the works' titles; the references and the bibliography both print that year, on
the web and in the PDF. Without sphinxcontrib-bibtex this does nothing.
"""

from __future__ import annotations

import re
from string import ascii_lowercase
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SUFFIX = re.compile(r"(?<=\d)[a-z]$")
# Where pybtex's LaTeX decoder (latexcodec) may change a field besides its braces: commands,
# ties, math, comments, dashes and quotes written as two marks, and runs of white space.
LATEX = re.compile(r"[\\~$%`\t\n\r]|--|''|,,|\s\s|^\s")


def disambiguate_years(app: Sphinx) -> None:
    if "cite" not in app.env.domains:
        return
    entries = app.env.get_domain("cite").data["bibdata"].data.entries
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for entry in entries.values():
        year = publication_year(entry.fields.get("year", ""))  # cached data may carry letters
        if year:
            entry.fields["year"] = year
            groups.setdefault((_authors(entry), year), []).append(entry)
    for works in groups.values():
        if len(works) > 1:
            works.sort(key=lambda entry: (entry.fields.get("title", "").lower(), entry.key))
            for letter, entry in zip(ascii_lowercase, works, strict=False):
                entry.fields["year"] += letter


def publication_year(year: str) -> str:
    """The year as published, without the letter that tells works of one year apart."""
    return SUFFIX.sub("", year)


def field_text(value: str) -> str:
    """A BibTeX field as plain text, its braces and LaTeX markup removed."""
    if not LATEX.search(value):  # most fields; the decoder, pure Python, is slow
        return value.replace("{", "").replace("}", "")
    from pybtex.richtext import Text

    return str(Text.from_latex(value))


def _authors(entry: Any) -> tuple[str, ...]:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    return tuple(str(person) for person in people)


def setup(app: Sphinx) -> None:
    # After sphinxcontrib-bibtex has read the bibliography files (at the default priority).
    app.connect("builder-inited", disambiguate_years, priority=600)
