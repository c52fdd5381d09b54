"""Every Sphinx builder builds an edition without a warning, the original's text intact:
lemmas as plain text, calls as their label, notes as a list after the text."""

from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import ROOTS

from apparatus.text import load_text

BUILDERS = ("text", "latex", "man", "texinfo", "epub", "singlehtml")
ROOTS_BUILT = ("test-exports", "test-citation", "test-pdf")
# Output file of each builder for a project (for those that write one file per document, the text page).
OUTPUT = {
    "text": "text.txt",
    "latex": "projectnamenotset.tex",
    "man": "projectnamenotset.1",
    "texinfo": "projectnamenotset.texi",
    "singlehtml": "index.html",
}
CALL = re.compile(r"\[\d+\.\d+\]")


def original(root: str):
    return load_text(ROOTS / root / "original.txt")


@pytest.mark.parametrize("root", ROOTS_BUILT)
@pytest.mark.parametrize("builder", BUILDERS)
def test_every_builder_builds_the_edition_without_a_warning(make_app, tmp_path, builder, root):
    # EPUB requires a version and a copyright, which the small projects leave out.
    overrides = {"version": "1.0", "copyright": "2026, Owl Press"} if builder == "epub" else {}
    app = make_app(builder, srcdir=tmp_path / root, builddir=tmp_path / "out", confoverrides=overrides)
    app.build()
    assert app.statuscode == 0
    assert app.warning.getvalue() == ""


def test_the_text_builder_gives_each_paragraph_verbatim_with_its_calls_as_labels(make_app, tmp_path):
    app = make_app("text", srcdir=tmp_path / "test-exports", builddir=tmp_path / "out")
    app.build()
    written = (app.outdir / "text.txt").read_text(encoding="utf-8")
    numbered = re.split(r"\*\*¶(\d+)\*\* ", written.split("\nNotes\n")[0])[1:]
    paragraphs = dict(zip(numbered[::2], numbered[1::2], strict=True))
    model = original("test-exports")
    assert [int(number) for number in paragraphs] == [p.number for p in model.paragraphs]
    for paragraph in model.paragraphs:
        shown = CALL.sub("", paragraphs[str(paragraph.number)])
        # The text builder wraps lines at 70 columns: only the run of white space may differ.
        assert shown.split() == paragraph.text.split(), paragraph.number
    notes = written.split("\nNotes\n")[1]
    assert re.search(r"^1\.2 Contradiction\n +\*the cat\*\] ", notes, re.MULTILINE), notes


@pytest.mark.parametrize("builder", ["latex", "man", "texinfo"])
def test_every_call_stands_in_the_output_as_its_label(make_app, tmp_path, builder):
    app = make_app(builder, srcdir=tmp_path / "test-exports", builddir=tmp_path / "out")
    app.build()
    written = (app.outdir / OUTPUT[builder]).read_text(encoding="utf-8")
    call = "{{[}}{}{{]}}" if builder == "latex" else "[{}]"  # LaTeX escapes brackets
    for label in ("1.1", "1.2", "1.3", "1.4", "2.1", "3.1"):
        assert call.format(label) in written, label
    assert "mentions the latter" in written and "Call Now" in written


@pytest.fixture(autouse=True)
def copies(tmp_path):
    """make_app builds a copy of each root, so the roots themselves stay untouched."""
    for root in ROOTS_BUILT:
        shutil.copytree(ROOTS / root, tmp_path / root)


def test_the_original_stays_verbatim_with_smart_quotes_on(make_app, tmp_path):
    source = 'Straight "quotes" -- and \'these\'...\n\nHe said "yes" -- twice...\n'
    srcdir = tmp_path / "quotes"
    srcdir.mkdir()
    (srcdir / "original.txt").write_text(source, encoding="utf-8")
    model = load_text(srcdir / "original.txt")
    (srcdir / "conf.py").write_text('extensions = ["apparatus"]\n', encoding="utf-8")  # smartquotes on
    (srcdir / "index.rst").write_text(
        f".. ed:text:: original.txt\n   :sha256: {model.sha256}\n\n"
        '.. ed:note:: 1.1\n   :paragraph: 1\n   :lemma: "yes" -- twice...\n   :category: vague\n\n'
        "   The note's own \"prose\" follows the project's setting.\n",
        encoding="utf-8",
    )
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "out")  # Sphinx educates HTML only
    app.build()
    assert app.warning.getvalue() == ""
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("section#text > h1").contents[0] == model.title
    paragraph = page.select_one("#p1 .ed-text")
    for call in paragraph.select("sup.ed-call"):
        call.decompose()
    assert paragraph.get_text() == model.paragraphs[0].text
    assert page.select_one(".ed-lemma-quote").get_text() == '"yes" -- twice...'  # repeated in its note
    assert "“prose”" in page.select_one("aside.ed-note").get_text()  # smart quotes did run
