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
