"""A new edition in one command: ``python -m apparatus new DIR --text ORIGINAL.txt --title TITLE``.

Writes a complete Sphinx project around a plain-text original: conf.py with the edition
statement, a home page, the text page (the original pinned by its SHA-256), an empty notes file,
a Makefile, requirements.txt and a README. It builds the site and the PDF at once, with
warnings as errors; the editors then add notes to ``source/notes/p01.rst``.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import shutil
import sys
from pathlib import Path

from apparatus.text import load_text

CONF = '''"""Sphinx configuration of the edition "{title}"."""

from apparatus.edition import published_base_url

project = {title!r}
author = {editor!r}
copyright = "{year}, {editor}"
release = version = "0.1"
language = {language!r}

# Where the edition is published; see published_base_url for Read the Docs and GitHub Pages.
html_baseurl = published_base_url({base_url!r}, version=release)

# The edition statement, read by every output (web pages, PDF, citations, exports).
apparatus_edition = {{
    "title": {title!r},
    "original_title": {original_title!r},
    "original_description": {description!r},
    "editors": [{editor!r}],
    "publisher": {editor!r},
    "version": release,
    "date": {date!r},
    "language": language,
    "license": "CC-BY-4.0",
}}

extensions = ["apparatus", "apparatus.web", "apparatus.pdf", "apparatus.exports"]
exclude_patterns = ["_build", ".venv", "README.md"]
nitpicky = True
apparatus_registry = "source/registry.json"
html_theme = "furo"

# The categories of notes: the extension's default taxonomy unless the edition gives its own,
# a list of {{"slug", "name", "tag", "definition", "icon", "colour", "dark_colour"}} (see the
# extension's README, "The taxonomy").
# apparatus_taxonomy = [...]
'''

INDEX = """{rule}
{title}
{rule}

A critical edition of {original_title_quoted}: the original, reproduced exactly, with
editorial notes.

.. toctree::
   :maxdepth: 2

   source/text
"""

TEXT = """.. ed:text:: {original}
   :sha256: {sha256}

.. include:: notes/p01.rst
"""

NOTES = """.. Editorial notes. Each names its paragraph and the exact words (the lemma) it is about;
   labels are permanent. For example:

   .. ed:note:: 1.1
      :paragraph: 1
      :lemma: the exact words
      :category: vague

      What is unclear, contradictory or wrong, and why.
"""

MAKEFILE = """# make html | make pdf | make edition (the site with the PDF at its root)
SPHINX ?= python -m sphinx
OPTS   ?= -W --keep-going -n

.PHONY: html pdf edition register
html:
\t$(SPHINX) -b html $(OPTS) -d _build/doctrees . _build/html
pdf:
\t$(SPHINX) -b editionpdf $(OPTS) -d _build/doctrees-pdf . _build/pdf
edition: html pdf
\tcp _build/pdf/*.pdf _build/html/
# Publish the labels of new notes in source/registry.json; commit the result.
register:
\t$(SPHINX) -b dummy -q -E -D apparatus_register=1 . _build/register
"""

REQUIREMENTS = "sphinx-apparatus[all]\nfuro\n"

README = """# {title}

A critical edition built with Sphinx and sphinx-apparatus: the original
(`source/{original}`, pinned by its SHA-256 in `source/text.rst`) and its editorial notes
(`source/notes/p01.rst`).

    pip install -r requirements.txt
    make edition     # _build/html, with the PDF at its root

Add a note to `source/notes/p01.rst` (see the example there), build, then `make register`
to publish its label.
"""


def new_edition(
    directory: Path, text: Path, title: str, editor: str, language: str = "en", base_url: str = ""
) -> Path:
    """Write a new edition project into ``directory`` (which must not exist or be empty)."""
    if directory.exists() and any(directory.iterdir()):
        raise FileExistsError(f"{directory} is not empty")
    model = load_text(text)
    source = directory / "source"
    (source / "notes").mkdir(parents=True)
    shutil.copyfile(text, source / text.name)  # byte for byte
    today = datetime.date.today()
    values = {
        "title": title,
        "original_title": model.title,
        "original_title_quoted": f"“{model.title}”",
        "description": "A plain-text original",
        "editor": editor,
        "language": language,
        "date": today.isoformat(),
        "year": today.year,
        "base_url": base_url or "https://example.org/edition/",
        "original": text.name,
        "sha256": hashlib.sha256(text.read_bytes()).hexdigest(),
        "rule": "=" * len(title),
    }
    files = {
        "conf.py": CONF,
        "index.rst": INDEX,
        "source/text.rst": TEXT,
        "source/notes/p01.rst": NOTES,
        "Makefile": MAKEFILE,
        "requirements.txt": REQUIREMENTS,
        "README.md": README,
    }
    for name, template in files.items():
        (directory / name).write_text(template.format(**values), encoding="utf-8")
    return directory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m apparatus", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new", help="start a new edition of a plain-text original")
    new.add_argument("directory", type=Path)
    new.add_argument("--text", type=Path, required=True, help="the original, a UTF-8 plain-text file")
    new.add_argument("--title", required=True, help="the edition's title")
    new.add_argument(
        "--editor", default="The editors of this edition", help="the editors, a body or 'Family, Given'"
    )
    new.add_argument("--language", default="en")
    new.add_argument("--base-url", default="", help="where the edition will be published")
    arguments = parser.parse_args(argv)
    try:
        made = new_edition(
            arguments.directory,
            arguments.text,
            arguments.title,
            arguments.editor,
            arguments.language,
            arguments.base_url,
        )
    except (FileExistsError, FileNotFoundError, UnicodeDecodeError) as error:
        print(f"apparatus: {error}", file=sys.stderr)
        return 2
    print(f"A new edition in {made}: run `make edition` there.")
    return 0
