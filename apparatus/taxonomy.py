"""The taxonomy of editorial notes: the default, and an edition's own (``apparatus_taxonomy``).

Every note has exactly one category. The list is closed so that notes stay comparable, can be
filtered and counted, and mean the same thing in every output. An edition keeps the default
below or sets ``apparatus_taxonomy`` to its own list (of :class:`Category` or dicts with the same
fields), which is checked when the configuration is read; every output reads the edition's list
through :func:`categories` and :func:`by_slug`. In the default, all categories but the last name
a fault of the text; the last, ``verified``, is for a claim checked and found accurate.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from sphinx.errors import ConfigError

from apparatus.locale import _

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

CONFIG = "apparatus_taxonomy"


@dataclass(frozen=True)
class Category:
    slug: str  # in labels of data, CSS selectors and ids: lower-case letters, digits, hyphens
    name: str
    tag: str  # the short bracketed label of inline editorial tags ("[contradictory]", "[who?]")
    definition: str
    icon: str  # the shapes of a 24×24 icon drawn with a round stroke, or a whole <svg> element
    colour: str  # of its icon and underline on a light page, "#rrggbb"
    dark_colour: str  # the same on a dark page
    rating: str = ""  # the ClaimReview rating of its notes; empty: they review no claim
    conflicts: bool = False  # its notes contradict others: each names them (:conflicts:), the map draws it


CATEGORIES: tuple[Category, ...] = (
    Category(
        "contradiction",
        _("Contradiction"),
        _("contradictory"),
        _("The text says two things that cannot both be true; the note links every side."),
        "<path d='M4 8h15m-4-4 4 4-4 4M20 16H5m4-4-4 4 4 4'/>",
        "#d62b3c",
        "#ff8a80",
        conflicts=True,
    ),
    Category(
        "factual-error",
        _("Factual error"),
        _("incorrect"),
        _("A checkable statement of fact that public records show to be false."),
        "<path d='M6 6l12 12M18 6 6 18'/>",
        "#ad1457",
        "#f48fb1",
        _("Incorrect"),
    ),
    Category(
        "unsupported-claim",
        _("Unsupported claim"),
        _("citation needed"),
        _("A claim that needs evidence or a source and is given none."),
        "<circle cx='10.5' cy='10.5' r='6'/><path d='M15 15l5 5'/>",
        "#b85509",
        "#f57c00",
    ),
    Category(
        "unclear-reference",
        _("Unclear reference"),
        _("which?"),
        _("A pronoun or phrase whose referent cannot be identified from the text."),
        "<circle cx='12' cy='12' r='8' stroke-dasharray='3 3.3'/><path d='M12 12v.1'/>",
        "#7b1fa2",
        "#ce93d8",
    ),
    Category(
        "vague",
        _("Vague or ambiguous"),
        _("vague"),
        _("Wording too imprecise to be checked, or open to more than one reading."),
        "<path d='M3 9.5c2.2-2.4 4.3-2.4 6.5 0s4.3 2.4 6.5 0 3.4-1.8 5 0M3 15.5c2.2-2.4 4.3-2.4 6.5 0s4.3 2.4 6.5 0 3.4-1.8 5 0'/>",
        "#00796b",
        "#80cbc4",
    ),
    Category(
        "non-sequitur",
        _("Non sequitur"),
        _("does not follow"),
        _("A conclusion or connective (“therefore”, “as such”) that does not follow from what precedes."),
        "<path d='M3 12h5m4 0h7m-4-4 4 4-4 4'/>",
        "#303f9f",
        "#9fa8da",
    ),
    Category(
        "unidentified-source",
        _("Unidentified or misattributed source"),
        _("who?"),
        _("A person, work or source that is named or implied but cannot be identified, or is misattributed."),
        "<circle cx='12' cy='8' r='4'/><path d='M4.5 21c.8-4 3.7-6.2 7.5-6.2s6.7 2.2 7.5 6.2'/>",
        "#0069a8",
        "#81d4fa",
    ),
    Category(
        "undated-reference",
        _("Undated time reference"),
        _("when?"),
        _("A time reference (“in recent months”) with no date to fix it."),
        "<circle cx='12' cy='12' r='8.5'/><path d='M12 7.5V12l3 2'/>",
        "#2e7d32",
        "#a5d6a7",
    ),
    Category(
        "unwarranted-recommendation",
        _("Unwarranted recommendation"),
        _("unwarranted"),
        _("A prescription that the argument does not support."),
        "<path d='M6 21V4M6 5h11l-2.5 4 2.5 4H6'/>",
        "#805500",
        "#ffcc80",
    ),
    Category(
        "typographical-error",
        _("Typographical error"),
        _("sic"),
        _("A slip of spelling, spacing or punctuation, kept in the text and flagged here."),
        "<path d='M4 20l1-4L16 5l3 3L8 19zM13.5 7.5l3 3'/>",
        "#546e7a",
        "#b0bec5",
    ),
    Category(
        "grammatical-error",
        _("Garbled sentence"),
        _("garbled"),
        _("A sentence whose grammar breaks down so that its meaning cannot be recovered with certainty."),
        "<path d='M3 16l4.5-8 4.5 8 4.5-8 4.5 8'/>",
        "#795548",
        "#bcaaa4",
    ),
    Category(
        "extraneous-text",
        _("Extraneous text"),
        _("extraneous"),
        _("Text that does not belong to the work, such as a stray button label."),
        "<circle cx='12' cy='12' r='8.5'/><path d='M6 18 18 6'/>",
        "#6b6b00",
        "#e6ee9c",
    ),
    Category(
        "verified",
        _("Checked: accurate"),
        _("checked"),
        _("A checkable statement that the note confirms from a cited source; not a fault of the text."),
        "<path d='M5 12.5l4.5 4.5L19 7.5'/>",
        "#4f4f4f",
        "#bdbdbd",
    ),
)

BY_SLUG: dict[str, Category] = {category.slug: category for category in CATEGORIES}


def categories(config: Config) -> tuple[Category, ...]:
    """The edition's categories, in its order (checked and translated once the config is read)."""
    value = getattr(config, CONFIG, CATEGORIES)
    if isinstance(value, tuple) and all(type(entry) is Category for entry in value):
        return value
    return parse(value)


def by_slug(config: Config) -> dict[str, Category]:
    return {entry.slug: entry for entry in categories(config)}


def contradictions(config: Config) -> set[str]:
    """The slugs of the categories whose notes contradict others (``conflicts``)."""
    return {entry.slug for entry in categories(config) if entry.conflicts}


# -- checking an edition's taxonomy -------------------------------------------------------------

FIELDS = tuple(field.name for field in dataclasses.fields(Category))
REQUIRED = tuple(field.name for field in dataclasses.fields(Category) if field.default is dataclasses.MISSING)
TEXTS = tuple(field.name for field in dataclasses.fields(Category) if field.type == "str")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# The page and note backgrounds each colour must stand out from (furo's, which apparatus.css
# falls back on): 4.5:1, as for text, so that icons and underlines are seen by every reader.
BACKGROUNDS = {"colour": ("#ffffff", "#f8f9fb"), "dark_colour": ("#131416", "#1a1c1e")}
CONTRAST = 4.5
SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='#000' stroke-width='2.5' stroke-linecap='round' stroke-linejoin='round'>{}</svg>"


def svg(icon: str) -> str:
    """The whole SVG element of an icon (the default's round stroke around bare shapes)."""
    return icon if icon.lstrip().startswith("<svg") else SVG.format(icon)


def parse(value: Any) -> tuple[Category, ...]:
    """An edition's taxonomy as categories, or a ConfigError saying what to fix."""
    if not isinstance(value, list | tuple) or not value:
        raise ConfigError(
            f"{CONFIG} must be a non-empty list of categories (dicts with {', '.join(REQUIRED)})"
        )
    result = tuple(_entry(number, entry) for number, entry in enumerate(value, 1))
    seen: set[str] = set()
    for entry in result:
        if entry.slug in seen:
            raise ConfigError(
                f"{CONFIG}: the slug {entry.slug!r} is used by two categories; give each its own"
            )
        seen.add(entry.slug)
    return result


def _entry(number: int, entry: Any) -> Category:
    if isinstance(entry, Category):
        entry = {name: getattr(entry, name) for name in FIELDS} | {
            name: str(getattr(entry, name)) for name in TEXTS
        }
    if not isinstance(entry, dict):
        raise ConfigError(
            f"{CONFIG}: category {number} is a {type(entry).__name__}, not a dict of {', '.join(FIELDS)}"
        )
    where = f"{CONFIG}: category {number} ({entry.get('slug', 'without a slug')!r})"
    for name in entry:
        if name not in FIELDS:
            close = difflib.get_close_matches(str(name), FIELDS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"the fields are {', '.join(FIELDS)}"
            raise ConfigError(f"{where}: unknown field {name!r}; {hint}")
    missing = [name for name in REQUIRED if not (isinstance(entry.get(name), str) and entry[name].strip())]
    if missing:
        raise ConfigError(f"{where}: missing field(s) {', '.join(missing)} (each a non-empty string)")
    if not isinstance(entry.get("rating", ""), str):
        raise ConfigError(f"{where}: the rating must be a string")
    if not isinstance(entry.get("conflicts", False), bool):
        raise ConfigError(f"{where}: conflicts must be True or False")
    if not SLUG.fullmatch(entry["slug"]):
        raise ConfigError(
            f"{where}: a slug is lower-case letters, digits and single hyphens, e.g. 'factual-error'"
        )
    for name, backgrounds in BACKGROUNDS.items():
        _check_colour(where, name, entry[name], backgrounds)
    try:
        ElementTree.fromstring(svg(entry["icon"]))
    except ElementTree.ParseError as error:
        raise ConfigError(f"{where}: the icon is not well-formed SVG ({error})") from None
    values: dict[str, Any] = {name: str(value) if name in TEXTS else value for name, value in entry.items()}
    return Category(**values)


def _check_colour(where: str, name: str, colour: str, backgrounds: tuple[str, ...]) -> None:
    if not COLOUR.fullmatch(colour):
        raise ConfigError(f"{where}: {name} {colour!r} is not a colour: write it as #rrggbb, e.g. '#c62828'")
    for background in backgrounds:
        ratio = contrast(colour, background)
        if ratio < CONTRAST:
            raise ConfigError(
                f"{where}: {name} {colour} has a contrast of {ratio:.2f}:1 against the page's {background}; "
                f"it needs {CONTRAST}:1 to be seen"
            )


def luminance(colour: str) -> float:
    """The relative luminance of an sRGB colour "#rrggbb" (WCAG 2)."""
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    red, green, blue = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _translated(entry: Category) -> Category:
    """Names, tags, definitions and ratings through the catalogue (an edition may translate its own)."""
    words = ("name", "tag", "definition", "rating")
    translated: dict[str, Any] = {
        name: str(_(getattr(entry, name))) for name in words if getattr(entry, name)
    }
    return dataclasses.replace(entry, **translated)


def check_taxonomy(app: Sphinx, config: Config) -> None:
    """Check the edition's taxonomy once, and keep it as plain categories in its language."""
    setattr(config, CONFIG, tuple(_translated(entry) for entry in parse(getattr(config, CONFIG))))


def setup(app: Sphinx) -> None:
    app.add_config_value(CONFIG, CATEGORIES, "env", types=[list, tuple])
    app.connect("config-inited", check_taxonomy, priority=100)  # before anything reads it
