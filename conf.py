"""Sphinx configuration of the edition. Content lives in source/, machinery in apparatus/."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

from apparatus.edition import published_base_url

project = "Are Russia and China allies? A critical edition"
author = "Editorial Board of the Russia–China Allies Edition"
copyright = "2026, Editorial Board of the Russia–China Allies Edition"
release = version = "1.1"
language = "en"

# Where the edition is published: permalinks, citations and metadata are built on it. On Read the
# Docs and GitHub Actions it is the URL they publish at, elsewhere EDITION_BASE_URL; a build
# with neither is a local preview at the placeholder address below, and says so in its log.
# Each version has its own address (<base>/1.1/): citations of it keep resolving after the next.
html_baseurl = published_base_url("https://russia-china-allies.example.org/", version=release)

# The edition statement, used by every output (web pages, PDF, citations, metadata, exports).
apparatus_edition = {
    "title": "Are Russia and China allies? A critical edition",
    "original_title": "Are Russia and China allies?",
    "original_description": "An anonymous, undated web article",
    "original_type": "Article",  # schema.org
    # A body, and the form a sentence gives its name ("Edited by the Editorial Board ...").
    "editors": [
        {
            "name": "Editorial Board of the Russia–China Allies Edition",
            "in_text": "the Editorial Board of the Russia–China Allies Edition",
        }
    ],
    "publisher": "Editorial Board of the Russia–China Allies Edition",
    "version": release,
    "date": "2026-12-01",
    "language": "en",
    "license": "CC-BY-4.0",
    "subject": "Critical edition of a web article on relations between Russia and China",
    "keywords": ["critical edition", "Russia", "China", "international relations", "fact-checking"],
    # This version's DOI, once one is registered for it (a new one for each version):
    # "doi": "10.5281/zenodo.NNNNNNN",
}

extensions = [
    # the extension's core, and the layers this edition uses
    "apparatus",
    "apparatus.web",
    "apparatus.pdf",
    "apparatus.exports",
    # this edition's own adjustments to Sphinx, furo and the build (_ext/)
    "edition_site",
    "sphinx_design",
    "sphinxcontrib.bibtex",
]

root_doc = "index"
exclude_patterns = [
    "_build",
    ".git",
    ".venv",
    ".ci",
    "README.md",
    "tests",
    "tools",
    "benchmarks",
    "apparatus",
    "_ext",
    "node_modules",
]

# The text is sacred: no typographic transform may touch it.
smartquotes = False
nitpicky = True

apparatus_registry = "source/registry.json"
# The version history: citations of withdrawn notes point to it.
apparatus_history = "source/history"

bibtex_bibfiles = ["source/references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"
# A citation links to its source in the bibliography, and a note's own page lists its sources in
# full: no tooltip repeats each entry (on the text page, 72 of them, 28 kB).
bibtex_tooltips = False

html_theme = "furo"
# Template fixes for furo's accessibility faults (named landmarks, a heading on the search page).
templates_path = ["_templates"]
html_title = "Are Russia and China allies? — a critical edition"
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
html_show_sourcelink = False
html_copy_source = False

# Stable anchors for bibliography entries, so that links to a source are permanent too.
bibtex_cite_id = "ref-{key}"
bibtex_bibliography_id = "bibliography-{bibliography_count}"
