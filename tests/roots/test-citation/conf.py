extensions = ["apparatus", "apparatus.web", "apparatus.pdf", "apparatus.exports"]
project = "Owls, an edition"
smartquotes = False
nitpicky = True
html_baseurl = "https://owls.example.org/edition"
apparatus_history = "history"
apparatus_edition = {
    "title": "Are owls wise? A critical edition",
    "original_title": "Are owls wise?",
    "editors": ["Doe, Jane", "Roe, Richard"],
    "publisher": "Owl Press",
    "version": "2.1",
    "date": "2026-03-05",
    "language": "en",
    "license": "CC-BY-4.0",
    "subject": "A critical edition of a short text on owls",
    "keywords": ["owls", "critical edition"],
}
