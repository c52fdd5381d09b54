# An edition without withdrawn notes whose one note is too long for the foot of a page.
extensions = ["apparatus", "apparatus.pdf"]
project = "A long note"
language = "en"
nitpicky = True
apparatus_pdf_long_note = 30
