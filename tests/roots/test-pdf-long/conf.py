# An edition without withdrawn notes whose one note is too long for the foot of a page.
extensions = ["apparatus", "apparatus.pdf"]
project = "A long note"
language = "en"
nitpicky = True
apparatus_pdf_long_note = 30
apparatus_edition = {"title": "A long note: an edition", "editors": ["Doe, Jane"], "date": "2026-01-01"}
html_baseurl = "https://edition.example.org/"
