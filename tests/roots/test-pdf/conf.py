extensions = ["apparatus", "apparatus.web", "apparatus.pdf", "apparatus.exports"]
project = "A test edition"
language = "en"
smartquotes = False
nitpicky = True
html_baseurl = "https://edition.example.org/"
apparatus_edition = {
    "title": "The Cat Text: a critical edition",
    "original_title": "The Cat Text",
    "original_description": "An anonymous fable",
    "editors": ["Doe, Jane", "Roe, Richard"],
    "publisher": "Test Press",
    "version": "2.1",
    "date": "2025-03-04",
    "language": "en",
    "license": "CC-BY-4.0",
    "subject": "A fable about a cat, edited for the tests",
    "keywords": ["fable", "cats"],
}
