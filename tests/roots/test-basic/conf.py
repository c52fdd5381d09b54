extensions = ["apparatus", "apparatus.web", "apparatus.pdf", "apparatus.exports"]
smartquotes = False
nitpicky = True

# The edition statement and the published address, which citations and the PDF print.
apparatus_edition = {"title": "A test edition", "editors": ["Doe, Jane"], "date": "2026-01-01"}
html_baseurl = "https://edition.example.org/"
# Notes files are included by the text page, never read as documents of their own.
exclude_patterns = ["notes"]
