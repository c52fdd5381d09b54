"""The taxonomy as an edition's configuration: its own categories, checked, shown and styled."""

from __future__ import annotations

import json
import math
import re
import shutil
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp

from apparatus.taxonomy import BY_SLUG, CATEGORIES, categories, contrast
from apparatus.web.category_styles import FILENAME

ROOTS = Path(__file__).resolve().parent / "roots"
CUSTOM = ["contradiction", "vague", "anachronism"]  # the order of tests/roots/test-taxonomy/conf.py
DROPPED = sorted(set(BY_SLUG) - set(CUSTOM))
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def soup(app, docname: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def custom(tmp_path_factory):
    """tests/roots/test-taxonomy, built once for the module: warnings are errors, as with -W."""
    srcdir = tmp_path_factory.mktemp("taxonomy") / "src"
    shutil.copytree(ROOTS / "test-taxonomy", srcdir)
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, warningiserror=True)
    try:
        app.build()
        assert app.statuscode == 0, app.warning.getvalue()
        yield app
    finally:
        app.cleanup()


def test_the_notes_use_the_editions_categories(custom):
    page = soup(custom, "text")
    notes = {note["id"]: note for note in page.select("aside.ed-note")}
    assert {key: note["data-category"] for key, note in notes.items()} == {
        "note-1.1": "vague",
        "note-1.2": "contradiction",
        "note-2.1": "contradiction",
        "note-3.1": "anachronism",
    }
    assert notes["note-1.1"].select_one(".ed-category").get_text() == "Imprecise wording"
    assert notes["note-3.1"].select_one(".ed-category").get_text() == "Anachronism"
    assert page.select_one('[id="call-3.1"]')["aria-label"] == "Note 3.1: Anachronism"
    # a note's own page names the edition's categories too, its own and its links'
    for label, name in (("1.1", "Imprecise wording"), ("3.1", "Anachronism")):
        assert (
            soup(custom, f"notes/{label}").select_one(".ed-note-page-where .ed-category").get_text() == name
        )


def test_the_key_lists_exactly_the_editions_categories_in_its_order(custom):
    key = soup(custom, "text").select_one("details.ed-key")
    items = [(item["data-category"], item.select_one(".ed-key-name").get_text()) for item in key.select("li")]
    assert items == [
        ("contradiction", "Contradiction"),
        ("vague", "Imprecise wording"),
        ("anachronism", "Anachronism"),
    ]
    assert key.select_one('[data-category="anachronism"]')["title"].startswith("Something placed in a time")


def test_the_listings_and_exports_name_the_editions_categories(custom):
    rows = soup(custom, "principles").select("table.ed-taxonomy tbody tr")
    assert [[cell.get_text() for cell in row.select("td")][:2] for row in rows] == [
        ["Contradiction", "[contradictory]"],
        ["Imprecise wording", "[imprecise]"],
        ["Anachronism", "[anachronistic]"],
    ]
    tei = ElementTree.parse(custom.outdir / "edition.xml").getroot()
    ids = [entry.get(XML_ID) for entry in tei.iter("{http://www.tei-c.org/ns/1.0}category")]
    assert ids == [f"cat-{slug}" for slug in CUSTOM]
    reviews = json.loads((custom.outdir / "claimreview.jsonld").read_text(encoding="utf-8"))["@graph"]
    assert [(r["url"].rsplit("#", 1)[1], r["reviewRating"]["alternateName"]) for r in reviews] == [
        ("note-3.1", "Misleading")
    ]


def test_the_generated_stylesheet_has_a_rule_for_each_category_and_none_for_the_dropped(custom):
    css = (custom.outdir / "_static" / FILENAME).read_text(encoding="utf-8")
    assert re.findall(r'^\[data-category="([a-z-]+)"\] \{', css, re.MULTILINE) == CUSTOM
    for slug in CUSTOM:  # light, dark by furo's switch, dark by the system's setting
        assert len(re.findall(rf"--ed-c-{slug}: #[0-9a-f]{{6}};", css)) == 3
        assert len(re.findall(rf'html\[data-ed-hidden~="{slug}"\]', css)) == 3  # the three filters
    assert "--ed-c-anachronism: #1565c0;" in css and "--ed-c-anachronism: #90caf9;" in css
    assert not any(slug in css for slug in DROPPED)
    link = soup(custom, "text").select('link[rel="stylesheet"]')
    names = [tag["href"].split("?")[0].rsplit("/", 1)[-1] for tag in link]
    assert names.index(FILENAME) > names.index("apparatus.css")  # its filters win over highlighting


def test_a_note_in_a_dropped_category_is_refused(make_app, tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-taxonomy", srcdir)
    text = srcdir / "text.rst"
    text.write_text(
        text.read_text(encoding="utf-8").replace(":category: anachronism", ":category: factual-error")
    )
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert app.statuscode == 1
    assert (
        "unknown category 'factual-error'; use one of: contradiction, vague, anachronism"
        in app.warning.getvalue()
    )


def test_the_stylesheet_follows_the_taxonomy_across_incremental_builds(make_app, tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-taxonomy", srcdir)
    make_app("html", srcdir=srcdir).build()
    again = make_app("html", srcdir=srcdir)
    css = again.outdir / "_static" / FILENAME
    written = css.stat().st_mtime_ns
    again.build()
    assert css.stat().st_mtime_ns == written  # nothing changed: the file is left alone
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace("#1565c0", "#0d47a1"), encoding="utf-8")
    make_app("html", srcdir=srcdir).build()
    assert "--ed-c-anachronism: #0d47a1;" in css.read_text(encoding="utf-8")


def test_the_claim_ratings_setting_changes_the_taxonomys_ratings(make_app, tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-taxonomy", srcdir)
    overrides = {"apparatus_claim_ratings": {"anachronism": "", "contradiction": "False"}}
    app = make_app("html", srcdir=srcdir, freshenv=True, confoverrides=overrides)
    app.build()
    reviews = json.loads((app.outdir / "claimreview.jsonld").read_text(encoding="utf-8"))["@graph"]
    assert [(r["url"].rsplit("#", 1)[1], r["reviewRating"]["alternateName"]) for r in reviews] == [
        ("note-1.2", "False"),
        ("note-2.1", "False"),
    ]


def test_the_categories_whose_notes_must_name_a_conflict_are_the_editions(make_app, tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-taxonomy", srcdir)
    conf = srcdir / "conf.py"  # the anachronism contradicts, the contradiction no longer must
    text = conf.read_text(encoding="utf-8").replace('"rating": "Misleading",', '"conflicts": True,')
    conf.write_text(text + '\napparatus_taxonomy[0] = replace(BY_SLUG["contradiction"], conflicts=False)\n')
    notes = srcdir / "text.rst"
    notes.write_text(
        notes.read_text(encoding="utf-8")
        .replace("   :conflicts: 1.2\n", "")
        .replace("   :conflicts: 2.1\n", ""),
        encoding="utf-8",
    )
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert app.statuscode == 1
    warnings = app.warning.getvalue()
    assert "anachronism note 3.1 conflicts with no other note" in warnings
    assert "note 1.2 conflicts" not in warnings and "note 2.1 conflicts" not in warnings


def test_the_tei_keeps_its_default_namespace_whatever_another_library_registered(make_app, tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-taxonomy", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    # as WeasyPrint's metadata module does when imported (the PDF layer loads it): ElementTree's
    # default prefix is one map for the whole process
    ElementTree.register_namespace("", "")
    app.build()
    tei = (app.outdir / "edition.xml").read_text(encoding="utf-8")
    assert '<TEI xmlns="http://www.tei-c.org/ns/1.0"' in tei and "ns0:" not in tei


# -- checking the configuration -------------------------------------------------------------------

ANACHRONISM = {
    "slug": "anachronism",
    "name": "Anachronism",
    "tag": "anachronistic",
    "definition": "Out of its time.",
    "icon": "<path d='M5 12h14'/>",
    "colour": "#1565c0",
    "dark_colour": "#90caf9",
}
WRONG = {
    "missing field": (
        [{key: value for key, value in ANACHRONISM.items() if key != "icon"}],
        "category 1 ('anachronism'): missing field(s) icon",
    ),
    "duplicate slug": (
        [CATEGORIES[0], dict(ANACHRONISM, slug="contradiction")],
        "the slug 'contradiction' is used by two",
    ),
    "bad colour": ([dict(ANACHRONISM, colour="blue")], "colour 'blue' is not a colour: write it as #rrggbb"),
    "too pale": (
        [dict(ANACHRONISM, colour="#90caf9")],
        "colour #90caf9 has a contrast of 1.75:1 against the page's #ffffff",
    ),
    "too dark on dark": (
        [dict(ANACHRONISM, dark_colour="#1565c0")],
        "dark_colour #1565c0 has a contrast of 3.21:1",
    ),
    "misspelt field": (
        [dict(ANACHRONISM, defintion="Out of its time.")],
        "unknown field 'defintion'; did you mean 'definition'?",
    ),
    "bad slug": (
        [dict(ANACHRONISM, slug="Ana Chronism")],
        "a slug is lower-case letters, digits and single hyphens",
    ),
    "conflicts not a flag": ([dict(ANACHRONISM, conflicts="yes")], "conflicts must be True or False"),
    "broken icon": ([dict(ANACHRONISM, icon="<path d='M5 12h14'>")], "the icon is not well-formed SVG"),
    "not a list": (ANACHRONISM, "apparatus_taxonomy must be a non-empty list of categories"),
    "empty": ([], "apparatus_taxonomy must be a non-empty list of categories"),
}


@pytest.mark.parametrize("case", WRONG)
def test_a_wrong_taxonomy_stops_the_build_saying_what_to_fix(case, make_app, tmp_path):
    value, message = WRONG[case]
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    with pytest.raises(ConfigError) as raised:
        make_app("html", srcdir=srcdir, confoverrides={"apparatus_taxonomy": value})
    assert message in str(raised.value)


# -- the default --------------------------------------------------------------------------------


def test_the_default_taxonomy_is_the_thirteen_categories(make_app, tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    app = make_app("html", srcdir=srcdir)
    assert [(entry.slug, entry.name) for entry in categories(app.config)] == [
        ("contradiction", "Contradiction"),
        ("factual-error", "Factual error"),
        ("unsupported-claim", "Unsupported claim"),
        ("unclear-reference", "Unclear reference"),
        ("vague", "Vague or ambiguous"),
        ("non-sequitur", "Non sequitur"),
        ("unidentified-source", "Unidentified or misattributed source"),
        ("undated-reference", "Undated time reference"),
        ("unwarranted-recommendation", "Unwarranted recommendation"),
        ("typographical-error", "Typographical error"),
        ("grammatical-error", "Garbled sentence"),
        ("extraneous-text", "Extraneous text"),
        ("verified", "Checked: accurate"),
    ]
    assert categories(app.config) == CATEGORIES
    assert {entry.slug: entry.rating for entry in CATEGORIES if entry.rating} == {
        "factual-error": "Incorrect"
    }
    # an edition may list the default's categories as they are, or changed
    assert categories(app.config)[0] == replace(CATEGORIES[0])


# -- telling the categories apart ------------------------------------------------------------------


def lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour "#rrggbb"."""
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    ]
    red, green, blue = linear
    xyz = (
        (0.4124 * red + 0.3576 * green + 0.1805 * blue) / 0.95047,
        0.2126 * red + 0.7152 * green + 0.0722 * blue,
        (0.0193 * red + 0.1192 * green + 0.9505 * blue) / 1.08883,
    )
    x, y, z = (t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116 for t in xyz)
    return 116 * y - 16, 500 * (x - y), 200 * (y - z)


def delta_e(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """CIEDE2000 (Sharma, Wu and Dalal 2005)."""
    (l1, a1, b1), (l2, a2, b2) = first, second
    mean_c = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(mean_c**7 / (mean_c**7 + 25**7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = (math.degrees(math.atan2(b, a)) % 360 if (a or b) else 0.0 for a, b in ((a1, b1), (a2, b2)))
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    big_dh = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    mean_l, mean_c = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        mean_h = h1 + h2
    elif abs(h1 - h2) <= 180:
        mean_h = (h1 + h2) / 2
    else:
        mean_h = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(mean_h - 30))
        + 0.24 * math.cos(math.radians(2 * mean_h))
        + 0.32 * math.cos(math.radians(3 * mean_h + 6))
        - 0.20 * math.cos(math.radians(4 * mean_h - 63))
    )
    rotation = -2 * math.sqrt(mean_c**7 / (mean_c**7 + 25**7))
    rotation *= math.sin(math.radians(60 * math.exp(-(((mean_h - 275) / 25) ** 2))))
    sl = 1 + 0.015 * (mean_l - 50) ** 2 / math.sqrt(20 + (mean_l - 50) ** 2)
    sc, sh = 1 + 0.045 * mean_c, 1 + 0.015 * mean_c * t
    dl, dc, dh_term = (l2 - l1) / sl, (c2 - c1) / sc, big_dh / sh
    return math.sqrt(dl**2 + dc**2 + dh_term**2 + rotation * dc * dh_term)


@pytest.mark.parametrize(
    ("first", "second", "expected"),  # pairs from the paper's table of test data
    [
        ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
        ((50, 2.5, 0), (73, 25, -18), 27.1492),
        ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
    ],
)
def test_the_colour_difference_is_ciede2000(first, second, expected):
    assert delta_e(first, second) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize("mode", ["colour", "dark_colour"])
def test_the_default_categories_are_told_apart_and_seen_in_both_modes(mode):
    colours = {entry.slug: getattr(entry, mode) for entry in CATEGORIES}
    backgrounds = ("#ffffff", "#f8f9fb") if mode == "colour" else ("#131416", "#1a1c1e")
    assert min(contrast(colour, page) for colour in colours.values() for page in backgrounds) >= 4.5
    # the two marks a reader most often meets side by side (light mode's were 10.7 apart)
    assert delta_e(lab(colours["contradiction"]), lab(colours["unsupported-claim"])) >= 20
    if mode == "colour":  # and in light mode the warm colours keep clear of every other
        for slug in ("contradiction", "unsupported-claim", "unwarranted-recommendation"):
            assert (
                min(delta_e(lab(colours[slug]), lab(c)) for other, c in colours.items() if other != slug)
                >= 15
            )
