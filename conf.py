"""Sphinx configuration of the edition. Content lives in source/, machinery in apparatus/."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

project = "Are Russia and China allies? A critical edition"
author = "The Editors"
copyright = "2026, The Editors"
release = version = "1.0"
language = "en"

extensions = [
    "apparatus",
    "sphinx_design",
    "sphinxcontrib.bibtex",
]

root_doc = "index"
exclude_patterns = [
    "_build",
    ".venv",
    ".ci",
    "README.md",
    "tests",
    "tools",
    "benchmarks",
    "apparatus",
    "source/notes",
]

# The text is sacred: no typographic transform may touch it.
smartquotes = False
nitpicky = True

apparatus_registry = "source/registry.json"

bibtex_bibfiles = ["source/references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

html_theme = "furo"
html_title = "Are Russia and China allies? — a critical edition"
html_static_path = ["_static"]
html_show_sourcelink = False
html_copy_source = False
