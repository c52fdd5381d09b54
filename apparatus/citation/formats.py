"""Ready-made citations of the edition, a note or a paragraph: CSL styles, BibTeX, RIS, CSL-JSON.

One CSL-JSON item (:func:`csl_item`) describes what is cited; each style reads it as its manual
wants (:func:`style_item`), citeproc-py formats it (:mod:`~apparatus.citation.csl`), and BibTeX
and RIS are written from the same data (:mod:`~apparatus.citation.records`).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from html import escape, unescape
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, Locator, formatter
from citeproc.source.json import CiteProcJSON

from apparatus.citation.csl import STYLES, Style, punctuate, style_file
from apparatus.citation.items import Citable, csl_item, style_item
from apparatus.citation.records import bibtex, ris
from apparatus.edition import Edition

__all__ = [
    "STYLES",
    "Citable",
    "Formatted",
    "Style",
    "bibtex",
    "citations",
    "csl_item",
    "render",
    "ris",
    "style_item",
]


def render(item: dict[str, Any], style: Style, page: str = "") -> str:
    """One citation as HTML (``<i>`` for italics), URLs still plain text; ``page``: a pinpoint."""
    return punctuate(_citeproc(item, style, page), style.locale)


def _citeproc(item: dict[str, Any], style: Style, page: str = "") -> str:
    """citeproc-py's own output, before :func:`~apparatus.citation.csl.punctuate`."""
    csl = style_file(style.path, style.locale)
    item = style_item(item, style)
    bibliography = CitationStylesBibliography(csl, CiteProcJSON([item]), formatter.html)
    pinpoint = {"locator": Locator("page", page)} if page else {}
    citation = Citation([CitationItem(item["id"], **pinpoint)])
    bibliography.register(citation)
    if style.form == "note":
        text = str(bibliography.cite(citation, lambda _item: None))
    else:
        text = str(bibliography.bibliography()[0])
    return text


def csl_json(edition: Edition, citable: Citable) -> str:
    """The item as CSL-JSON (a list of one item, as reference managers import it), a field a line."""
    fields = [
        f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
        for k, v in csl_item(edition, citable).items()
    ]
    return "[\n {\n" + ",\n".join(fields) + "\n }\n]\n"


def link_urls(html: str, url: str) -> str:
    """Make the (escaped) URL in a formatted citation a link."""
    shown = escape(url, quote=False)
    return html.replace(shown, f'<a href="{escape(url)}">{shown}</a>') if url else html


def plain(html: str) -> str:
    return unescape(_TAG.sub("", html))


_TAG = re.compile(r"<[^>]+>")


# -- formatting once per shape of citation ----------------------------------------------------
#
# The citations of two notes differ only in the note's label, paragraph, URL and withdrawal
# version, and citeproc-py takes some 10 ms per citation: an edition of thousands of notes took
# minutes. So each format is run once per edition and shape of citation (a note, a withdrawn
# note, a paragraph) on an item whose varying fields hold placeholders, and each note's citation
# is that template with its own values put in (then punctuated, as :func:`render` does). That is
# exactly what the format gives for the note itself as long as the values go through its
# transformations (text case, stripped periods, escaping) as the placeholders do. Hence:
#
# - only values of the placeholders' kind are filled in: labels and versions of digits and dots
#   (no letters, which title or sentence case may change; no final period, after which title
#   case capitalizes the next word), URLs without spaces;
# - a template is kept only if every placeholder comes out verbatim, and if filling it with a
#   probe (note 10.1 on ¶10, withdrawn in 2.0, at a URL with & < > ~ % é) gives exactly the
#   format's own output for the probe.
#
# Anything else (another kind of label, a format that fails the check) is formatted directly.

Form = Style | str  # a CSL style, "bibtex", "ris" or "csl-json"
CODE_FORMS = (("bibtex", "BibTeX"), ("ris", "RIS"), ("csl-json", "CSL-JSON"))
FORMS: tuple[Form, ...] = (*STYLES, *(key for key, _name in CODE_FORMS))
_NUMBERS = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_URL = re.compile(r'[^\s"\\]+')  # nothing that JSON escapes
_PLACEHOLDER = Citable(
    "note",
    url="https://918273650.invalid/918273651",
    label="918273646.918273647",
    paragraph=918273645,
    withdrawn="918273648.918273649",
)
# A URL with the characters that an escaping format would change.
_PROBE = Citable("note", "https://probe.example.org/a&b<c>~d%20é.html?x=1&y=2#note-10.1", "10.1", 10, "2.0")


def _direct(edition: Edition, citable: Citable, form: Form) -> str:
    """A CSL style's HTML before :func:`~apparatus.citation.csl.punctuate`, or a record's text."""
    if isinstance(form, Style):
        return _citeproc(csl_item(edition, citable), form)
    if form == "csl-json":
        return csl_json(edition, citable)
    return bibtex(edition, citable) if form == "bibtex" else ris(edition, citable)


def _shape(citable: Citable, values: Citable) -> Citable:
    """``citable``'s kind, with ``values`` in the fields that ``citable`` has."""
    return Citable(
        citable.kind,
        values.url,
        values.label if citable.label else "",
        values.paragraph if citable.paragraph else 0,
        values.withdrawn if citable.withdrawn else "",
    )


def _templatable(citable: Citable) -> bool:
    return (
        citable.kind in ("note", "paragraph")
        and _URL.fullmatch(citable.url) is not None
        and all(_NUMBERS.fullmatch(value) for value in (citable.label, citable.withdrawn) if value)
    )


def _fields(citable: Citable) -> dict[str, str]:
    """The varying fields a citable has (every format shows them as given: citeproc-py escapes none)."""
    fields = {"url": citable.url}
    if citable.label:
        fields["label"] = citable.label
    if citable.paragraph:
        fields["paragraph"] = str(citable.paragraph)
    if citable.withdrawn:
        fields["withdrawn"] = citable.withdrawn
    return fields


def _replacements(citable: Citable) -> dict[str, str]:
    """Each placeholder of ``citable``'s shape -> ``citable``'s own value."""
    values = _fields(citable)
    return {holder: values[name] for name, holder in _fields(_shape(citable, _PLACEHOLDER)).items()}


def _fill(template: str, replacements: dict[str, str]) -> str:
    return _pattern(tuple(replacements)).sub(lambda match: replacements[match.group()], template)


@functools.cache
def _pattern(holders: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(holder) for holder in holders))


def _template(edition: Edition, form: Form, shape: Citable) -> str | None:
    """The format's output for ``shape`` with placeholders, or None where filling it is not exact."""
    placeholder, probe = _shape(shape, _PLACEHOLDER), _shape(shape, _PROBE)
    template = _direct(edition, placeholder, form)
    if not all(holder in template for holder in _fields(placeholder).values()):
        return None
    if _fill(template, _replacements(probe)) != _direct(edition, probe, form):
        return None
    return template


@functools.lru_cache(maxsize=64)
def _templates(edition: Edition, shape: Citable) -> tuple[str | None, ...]:
    return tuple(_template(edition, form, shape) for form in FORMS)


def _formatted(edition: Edition, citable: Citable, templates: bool) -> list[str]:
    """Each format's output for ``citable``, filled in from its template where that is exact.

    A template takes two runs of each format (placeholders, probe): it is made for the second
    citation of a shape, the first being formatted directly (a PDF cites one of each)."""
    if not (templates and _templatable(citable) and _asked_before(edition, citable)):
        return [_direct(edition, citable, form) for form in FORMS]
    replacements = _replacements(citable)
    return [
        _direct(edition, citable, form) if template is None else _fill(template, replacements)
        for form, template in zip(FORMS, _templates(edition, _shape(citable, _PLACEHOLDER)), strict=True)
    ]


_ASKED: dict[tuple[Edition, Citable], None] = {}  # the shapes asked for, of the editions


def _asked_before(edition: Edition, citable: Citable) -> bool:
    key = (edition, _shape(citable, _PLACEHOLDER))
    if key in _ASKED:
        return True
    if len(_ASKED) >= 64:  # as many as the templates kept
        _ASKED.clear()
    _ASKED[key] = None
    return False


def forget_templates() -> None:
    """The templates and the shapes asked for forgotten, as in a new process."""
    _templates.cache_clear()
    _ASKED.clear()


# -- all of them ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Formatted:
    key: str
    name: str
    html: str  # for the page: inline HTML (italics), or the escaped text of a code format
    text: str  # for copying
    code: bool = False  # BibTeX, RIS and CSL-JSON are shown as preformatted text


def citations(edition: Edition, citable: Citable, templates: bool = True) -> list[Formatted]:
    """Every citation of one item: the CSL styles, then BibTeX, RIS and CSL-JSON.

    ``templates=False`` runs every format on the item itself, which gives the same result, slower.
    """
    outputs = dict(zip(FORMS, _formatted(edition, citable, templates), strict=True))
    found = []
    for style in STYLES:
        html = punctuate(outputs[style], style.locale)
        found.append(Formatted(style.key, style.name, html, plain(html)))
    for key, name in CODE_FORMS:
        text = outputs[key]
        found.append(Formatted(key, name, escape(text, quote=False), text, code=True))
    return found
