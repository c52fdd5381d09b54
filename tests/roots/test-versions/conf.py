from apparatus.edition import published_base_url

extensions = ["apparatus", "apparatus.web"]
smartquotes = False
nitpicky = True
release = "2.0"
# Published at EDITION_BASE_URL when it is set, each version in a folder of its own.
html_baseurl = published_base_url("https://preview.example.org/", version=release)
apparatus_edition = {
    "title": "A versioned edition",
    "editors": ["Editorial Board of the Owls Edition"],
    "version": release,
    "date": "2026-01-01",
    "doi": "https://doi.org/10.5281/zenodo.424242",
}
