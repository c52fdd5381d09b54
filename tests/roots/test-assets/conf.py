import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "_ext"))

extensions = [
    "apparatus",
    "apparatus.web",
    "apparatus.pdf",
    "apparatus.exports",
    "edition_site",
    "sphinx_design",
]
smartquotes = False
nitpicky = True
html_theme = "furo"

# The edition statement and the published address, which citations and the PDF print.
apparatus_edition = {"title": "A test edition", "editors": ["Doe, Jane"], "date": "2026-01-01"}
html_baseurl = "https://edition.example.org/"
