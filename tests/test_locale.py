"""The extension's words in the edition's language, from a catalogue in its own locale_dirs."""

from __future__ import annotations

import ast
import io
import shutil
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
ROOTS = ROOT / "tests" / "roots"
CATALOGUE = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Key to the notes"
msgstr "Schlüssel zu den Anmerkungen"

msgid "Contradiction"
msgstr "Widerspruch"

msgid "Paragraph {number}"
msgstr "Absatz {number}"

msgid "Note {label}: {category}"
msgstr "Anmerkung {label}: {category}"

msgid "Category"
msgstr "Kategorie"

msgid "All notes"
msgstr "Alle Anmerkungen"

msgid "Copy link to note {label}"
msgstr "Link zu Anmerkung {label} kopieren"

msgid "Cite this note"
msgstr "Diese Anmerkung zitieren"

msgid "The note"
msgstr "Die Anmerkung"

msgid "Licence:"
msgstr "Lizenz:"

msgid "{licence}, except the words of the original"
msgstr "{licence}, ausgenommen die Worte des Originals"

msgid "The same as notes.csv, one object per note, with the edition statement and the original's checksum."
msgstr "Dasselbe wie notes.csv, ein Objekt je Anmerkung, mit der Ausgabe und der Prüfsumme des Originals."
"""


def german_edition(tmp_path: Path) -> Path:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nlanguage = "de"\nlocale_dirs = ["locale"]\n')
    with (srcdir / "index.rst").open("a", encoding="utf-8") as index:
        index.write("\n\nCounts\n======\n\n.. ed:listing:: counts-by-category\n")
    folder = srcdir / "locale" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    source = folder / "apparatus.po"
    source.write_text(CATALOGUE, encoding="utf-8")
    with source.open("rb") as po, (folder / "apparatus.mo").open("wb") as mo:
        write_mo(mo, read_po(po, locale="de"))
    return srcdir


def test_an_edition_in_german_gets_the_words_of_its_catalogue(make_app, tmp_path):
    app = make_app("html", srcdir=german_edition(tmp_path), freshenv=True)
    app.build()
    assert app.statuscode == 0, app.warning.getvalue()
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one(".ed-key-title").get_text() == "Schlüssel zu den Anmerkungen"
    names = [name.get_text() for name in page.select(".ed-key-name")]
    assert "Widerspruch" in names and "Contradiction" not in names
    assert page.select_one('[id="note-1.2"] .ed-category').get_text() == "Widerspruch"  # the default taxonomy
    assert page.select_one('[id="call-1.2"]')["aria-label"] == "Anmerkung 1.2: Widerspruch"
    assert page.select_one("a.ed-parnum")["aria-label"] == "Absatz 1"
    counts = page.select_one("table.ed-counts")
    assert [cell.get_text() for cell in counts.select("th")] == [
        "Kategorie",
        "Notes",
    ]  # untranslated: English
    assert counts.select("tr")[-1].select_one("td").get_text() == "Alle Anmerkungen"
    assert page.select_one(".ed-skip-key").get_text() == "Skip the key"


def test_the_scripts_and_templates_of_a_german_edition_speak_german(make_app, tmp_path):
    app = make_app("html", srcdir=german_edition(tmp_path), freshenv=True)
    app.build()
    assert app.statuscode == 0, app.warning.getvalue()
    words = (app.outdir / "_static" / "apparatus-words.js").read_text(encoding="utf-8")
    assert '"copyLinkTo": "Link zu Anmerkung {label} kopieren"' in words
    assert '"copyLink": "Copy link"' in words  # untranslated: English
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one('script[src*="apparatus-words.js"]') is not None
    assert page.select_one("p.ed-cite-link a").get_text().startswith("Diese Anmerkung zitieren")
    note = BeautifulSoup((app.outdir / "notes" / "1.2.html").read_text(encoding="utf-8"), "html.parser")
    assert "Die Anmerkung" in [heading.get_text() for heading in note.select("h2")]


def test_the_list_of_data_files_of_a_german_edition_speaks_german(make_app, tmp_path):
    srcdir = german_edition(tmp_path)
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('apparatus_edition["license"] = "CC-BY-4.0"\n')
    with (srcdir / "index.rst").open("a", encoding="utf-8") as index:
        index.write("\n\nData\n====\n\n.. ed:exports::\n")
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert app.statuscode == 0, app.warning.getvalue()
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    listing = page.select_one("dl.ed-exports")
    described = {
        term.select_one("code").get_text(): [p.get_text() for p in definition.select("p")]
        for term, definition in zip(listing.select("dt"), listing.select("dd"), strict=True)
    }
    assert described["notes.json"] == [
        "Dasselbe wie notes.csv, ein Objekt je Anmerkung, mit der Ausgabe und der Prüfsumme des Originals.",
        "Lizenz: Creative Commons Attribution 4.0 International (CC BY 4.0), ausgenommen die Worte des Originals.",
    ]
    assert described["notes.csv"][0].startswith("One row per note")  # untranslated: English


# The command of the README that extracts a catalogue's template, as Babel's own functions.
EXTRACTION = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]
KEYWORDS = {"_": None, "ed_": None, "N_": None}


def extracted() -> set[str]:
    return {
        message for _, _, message, _, _ in extract_from_dir(ROOT / "apparatus", EXTRACTION, keywords=KEYWORDS)
    }


def translated_in_the_code() -> set[str]:
    """Every literal string the code passes to _() or N_(), wherever the call stands (Python's own
    parser sees the calls inside f-strings, which Babel's extractor skips before Python 3.12)."""
    found = set()
    for path in (ROOT / "apparatus").rglob("*.py"):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id in {"_", "N_"}
                and call.args
                and isinstance(call.args[0], ast.Constant)
                and isinstance(call.args[0].value, str)
            ):
                found.add(call.args[0].value)
    return found


def test_a_translators_template_extracted_from_the_code_holds_every_word_it_translates():
    found = extracted()
    in_the_code = translated_in_the_code()
    assert len(in_the_code) > 100 and in_the_code <= found, sorted(in_the_code - found)
    wanted = {message.id for message in read_po(io.StringIO(CATALOGUE)) if message.id}
    assert wanted <= found
    # and ed_() in the web layer's templates
    assert {"Skip the key", "Link to note {label}", "Withdrawn in version {version}.", ", withdrawn"} <= found
