from dataclasses import replace

from apparatus.taxonomy import BY_SLUG

extensions = ["apparatus", "apparatus.web", "apparatus.exports"]
smartquotes = False
nitpicky = True
apparatus_edition = {"title": "A test edition", "editors": ["Doe, Jane"], "date": "2026-01-01"}
html_baseurl = "https://edition.example.org/"

# An edition's own taxonomy: one category kept, one renamed, one added; the others dropped.
apparatus_taxonomy = [
    BY_SLUG["contradiction"],
    replace(BY_SLUG["vague"], name="Imprecise wording", tag="imprecise"),
    {
        "slug": "anachronism",
        "name": "Anachronism",
        "tag": "anachronistic",
        "definition": "Something placed in a time to which it cannot belong.",
        "icon": "<circle cx='12' cy='12' r='8.5'/><path d='M12 7.5V12l-3 2'/>",
        "colour": "#1565c0",
        "dark_colour": "#90caf9",
        "rating": "Misleading",
    },
]
