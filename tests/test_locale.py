"""The extension's words in the edition's language, from a catalogue in its own locale_dirs."""

from __future__ import annotations

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


def test_a_translators_template_extracted_from_the_code_holds_every_word_translated_here():
    # gettext tools see only _() calls outside f-strings: the words above must be among them
    # (and ed_() in the web layer's templates)
    methods = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]
    found = {
        message
        for _, _, message, _, _ in extract_from_dir(
            ROOT / "apparatus", methods, keywords={"_": None, "ed_": None}
        )
    }
    wanted = {message.id for message in read_po(io.StringIO(CATALOGUE)) if message.id}
    assert wanted <= found
    assert {"Skip the key", "Link to note {label}", "Withdrawn in version {version}.", ", withdrawn"} <= found
