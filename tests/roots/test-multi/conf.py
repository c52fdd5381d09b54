extensions = ["apparatus", "apparatus.web", "apparatus.pdf", "apparatus.exports"]
smartquotes = False
nitpicky = True

# The edition statement and the published address, which citations and the PDF print.
apparatus_edition = {"title": "A test edition", "editors": ["Doe, Jane"], "date": "2026-01-01"}
html_baseurl = "https://edition.example.org/"
# This edition labels its notes by letter and number (a1, b1).
apparatus_label_pattern = "[a-z][0-9]+"
