extensions = ["apparatus", "apparatus.web", "apparatus.pdf", "apparatus.exports", "sphinxcontrib.bibtex"]
smartquotes = False
nitpicky = True
html_baseurl = "https://edition.example.org/"
bibtex_bibfiles = ["refs.bib"]
bibtex_reference_style = "author_year"
apparatus_edition = {
    "title": "A tiny edition",
    "original_title": "A title",
    "original_description": "A made-up text for the tests",
    "editors": ["Ann Editor"],
    "publisher": "Test Press",
    "version": "2.0",
    "date": "2026-01-02",
    "language": "en",
    "license": "CC-BY-4.0",
}
