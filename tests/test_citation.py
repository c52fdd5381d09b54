"""Citing the edition: real citation styles, BibTeX and RIS, the notes' cite blocks, metadata.

The CSL styles are checked against the style manuals' own examples; the built pages are parsed
as a reader, a reference manager (Zotero's type rules) and a search engine would read them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit
from urllib.request import urlopen

import citeproc
import jsonschema
import pytest
import rispy
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, ROOTS, note_page, page
from conftest import owls_edition as edition
from pybtex.database import parse_string
from pyld import jsonld
from pypdf import PdfReader
from sphinx.util.console import strip_escape_sequences

from apparatus.citation.cff import project_cff
from apparatus.citation.formats import (
    STYLES,
    Citable,
    Style,
    bibtex,
    citations,
    csl_item,
    plain,
    render,
    ris,
    style_item,
)
from apparatus.edition import parse_name
from benchmarks.lighthouse import served

BY_KEY = {style.key: style for style in STYLES}
CFF_SCHEMA = Path(__file__).parent / "schemas" / "citation-file-format-1.2.0.json"
STYLE_KEYS = ["chicago-note", "chicago-bibliography", "apa", "mla", "harvard", "bibtex", "ris", "csl-json"]


def cite(key: str, item: dict, page: str = "") -> str:
    return plain(render({"id": "example", **item}, BY_KEY[key], page))


# -- the style manuals' own examples ----------------------------------------------------------

THOREAU = {
    "type": "chapter",
    "author": [{"family": "Thoreau", "given": "Henry David"}],
    "title": "Walking",
    "container-title": "The Making of the American Essay",
    "editor": [{"family": "D’Agata", "given": "John"}],
    "publisher": "Graywolf Press",
    "publisher-place": "Minneapolis",
    "page": "167-195",
    "issued": {"date-parts": [[2016]]},
}


def test_chicago_chapter_example_puts_commas_and_periods_inside_the_quotes():
    # The Chicago Manual of Style, 18th ed., citation quick guide: chapter of an edited book.
    assert cite("chicago-note", THOREAU, "177-78") == (
        "Henry David Thoreau, “Walking,” in The Making of the American Essay, ed. John D’Agata "
        "(Graywolf Press, 2016), 177–78."
    )
    assert cite("chicago-bibliography", THOREAU) == (
        "Thoreau, Henry David. “Walking.” In The Making of the American Essay, edited by John D’Agata. "
        "Graywolf Press, 2016."
    )


def test_chicago_names_a_substitute_for_the_author_once():
    # CMOS: a translator (or editor) in place of the author is not named again after the title.
    iliad = {
        "type": "book",
        "translator": [{"family": "Lattimore", "given": "Richmond"}],
        "title": "The Iliad of Homer",
        "publisher": "University of Chicago Press",
        "issued": {"date-parts": [[1951]]},
    }
    assert cite("chicago-bibliography", iliad) == (
        "Lattimore, Richmond, trans. The Iliad of Homer. University of Chicago Press, 1951."
    )
    assert cite("chicago-note", iliad, "91-92") == (
        "Richmond Lattimore, trans., The Iliad of Homer (University of Chicago Press, 1951), 91–92."
    )


def test_apa_edited_book_examples_name_the_editors_once():
    # APA Style, "Edited book references".
    single = {
        "type": "book",
        "editor": [{"family": "Kesharwani", "given": "Prashant"}],
        "title": "Nanotechnology based approaches for tuberculosis treatment",
        "publisher": "Academic Press",
        "issued": {"date-parts": [[2020]]},
    }
    assert cite("apa", single) == (
        "Kesharwani, P. (Ed.). (2020). Nanotechnology based approaches for tuberculosis treatment. "
        "Academic Press."
    )
    names = [("Torino", "Gina C."), ("Rivera", "David P."), ("Capodilupo", "Christina M.")]
    names += [("Nadal", "Kevin L."), ("Sue", "Derald Wing")]
    several = {
        "type": "book",
        "editor": [{"family": family, "given": given} for family, given in names],
        "title": "Microaggression theory: Influence and implications",
        "publisher": "John Wiley & Sons",
        "DOI": "10.1002/9781119466642",
        "issued": {"date-parts": [[2019]]},
    }
    assert cite("apa", several) == (
        "Torino, G. C., Rivera, D. P., Capodilupo, C. M., Nadal, K. L., & Sue, D. W. (Eds.). (2019). "
        "Microaggression theory: Influence and implications. John Wiley & Sons. "
        "https://doi.org/10.1002/9781119466642"
    )


def test_mla_examples():
    # MLA Handbook: an editor in the author's place, and a chapter (quotes take the period).
    nunberg = {
        "type": "book",
        "editor": [{"family": "Nunberg", "given": "Geoffrey"}],
        "title": "The Future of the Book",
        "publisher": "U of California P",
        "issued": {"date-parts": [[1996]]},
    }
    assert (
        cite("mla", nunberg) == "Nunberg, Geoffrey, editor. The Future of the Book. U of California P, 1996."
    )
    dewar = {
        "type": "chapter",
        "author": [{"family": "Dewar", "given": "James A."}, {"family": "Ang", "given": "Peng Hwa"}],
        "title": "The Cultural Consequences of Printing and the Internet",
        "container-title": "Agent of Change",
        "editor": [
            {"family": "Baron", "given": "Sabrina Alcorn"},
            {"family": "Lindquist", "given": "Eric N."},
            {"family": "Shevlin", "given": "Eleanor F."},
        ],
        "publisher": "U of Massachusetts P",
        "page": "365-377",
        "issued": {"date-parts": [[2007]]},
    }
    # The handbook's container title goes on "...: Print Culture Studies after Elizabeth L.
    # Eisenstein"; CSL's title case (a fixed list of short words) would capitalize "after".
    assert cite("mla", dewar) == (
        "Dewar, James A., and Peng Hwa Ang. “The Cultural Consequences of Printing and the Internet.” "
        "Agent of Change, edited by Sabrina Alcorn Baron et al., U of Massachusetts P, 2007, pp. 365–77."
    )


def test_harvard_example_keeps_british_quotes_and_punctuation_outside():
    # Cite Them Right: an edited book, and a chapter title in single quotes, comma outside.
    bassnett = {
        "type": "book",
        "editor": [{"family": "Bassnett", "given": "Susan"}],
        "title": "Studying British cultures: an introduction",
        "publisher": "Routledge",
        "publisher-place": "London",
        "issued": {"date-parts": [[1997]]},
    }
    assert (
        cite("harvard", bassnett)
        == "Bassnett, S. (ed.) (1997) Studying British cultures: an introduction. London: Routledge."
    )
    assert "‘Walking’, in" in cite("harvard", THOREAU)


# -- citations of an edition ------------------------------------------------------------------


NOTE = Citable("note", "https://owls.example.org/text.html#note-2.3", "2.3", 2)
WHOLE = Citable("edition", "https://owls.example.org/")


PARAGRAPH = Citable("paragraph", "https://owls.example.org/text.html#p2", paragraph=2)
BODY = "Editorial Board of the Owls Edition"


@pytest.mark.parametrize("citable", [PARAGRAPH, WHOLE], ids=["paragraph", "edition"])
def test_editors_standing_in_for_an_author_are_named_once(citable):
    for editors in (("Doe, Jane",), (BODY,)):
        family = parse_name(editors[0]).family
        for found in citations(edition(editors, publisher="Owl Press"), citable)[:5]:
            assert found.text.count(family) == 1, (found.key, found.text)


def test_a_note_is_by_the_editors_in_the_edition_they_edited():
    found = {f.key: f.text for f in citations(edition(), NOTE)}
    assert found["chicago-bibliography"].startswith("Doe, Jane, and Richard Roe. “Note 2.3 on Paragraph 2.”")
    assert "edited by Jane Doe and Richard Roe" in found["chicago-bibliography"]
    assert found["apa"].startswith(
        "Doe, J., & Roe, R. (2026). Note 2.3 on paragraph 2. In J. Doe & R. Roe (Eds.),"
    )
    assert "in J. Doe and R. Roe (eds) Are owls wise?" in found["harvard"]
    assert "ed." not in found["chicago-note"].split("“")[0]  # authors, not editors, head it


def test_a_body_is_never_split_into_given_and_family_names():
    body = edition((BODY,), publisher=BODY)
    for found in citations(body, NOTE)[:5]:
        assert BODY in found.text and "Edition, E." not in found.text, found.key
        assert not re.search(r"Board, E|E\. B\.", found.text), found.key
    assert csl_item(body, NOTE)["author"] == [{"literal": BODY}]


def test_a_body_that_publishes_is_repeated_as_publisher_where_the_manual_says_so():
    found = {f.key: f.text for f in citations(edition((BODY,), publisher=BODY), WHOLE)}
    # APA omits a publisher that is the author; Chicago names an organization in both places.
    assert found["apa"].count(BODY) == 1 and found["harvard"].count(BODY) == 1
    assert found["chicago-bibliography"].count(BODY) == 2


def test_harvard_gives_the_date_of_access():
    found = {f.key: f.text for f in citations(edition(), NOTE)}
    assert found["harvard"].endswith(f"Available at: {NOTE.url} (Accessed: 5 March 2026).")


def test_every_style_names_the_edition_its_version_date_the_note_paragraph_and_url():
    for found in citations(edition(), NOTE):
        text = found.text.lower()
        assert "are owls wise? a critical edition" in text, found.key
        assert "2.1" in text and "2026" in text, found.key
        assert "note 2.3" in text and "paragraph 2" in text, found.key
        assert NOTE.url in found.text, found.key


def test_quotes_and_punctuation_follow_each_styles_locale():
    found = {f.key: f.text for f in citations(edition(), NOTE)}
    for key in ("chicago-note", "chicago-bibliography", "mla"):
        assert re.search(r"[.,]”", found[key]) and not re.search(r"”[.,]", found[key]), found[key]
    assert "‘Note 2.3 on paragraph 2’," in found["harvard"]


def test_a_withdrawn_note_is_cited_as_withdrawn():
    withdrawn = Citable("note", NOTE.url, "2.3", 2, withdrawn="3.0")
    for found in citations(edition(), withdrawn)[:5]:
        assert "on paragraph 2, withdrawn in version 3.0" in found.text.lower(), found.key


def test_bibtex_parses_and_carries_the_edition():
    for citable, kind in ((WHOLE, "book"), (NOTE, "incollection")):
        database = parse_string(bibtex(edition(), citable), "bibtex")
        ((key, entry),) = database.entries.items()
        assert entry.type == kind
        assert [str(person) for person in entry.persons["author"]] == ["Doe, Jane", "Roe, Richard"]
        assert entry.fields["year"] == "2026" and entry.fields["edition"] == "Version 2.1"
        assert entry.fields["month"] == "March" and "version" not in entry.fields  # biblatex: not a book's
        assert entry.fields["url"] == citable.url
        if citable is NOTE:
            assert key.endswith(":note-2.3")
            assert [str(person) for person in entry.persons["editor"]] == ["Doe, Jane", "Roe, Richard"]
            assert entry.fields["title"] == "{Note 2.3 on paragraph 2}"
            assert entry.fields["booktitle"] == "{Are owls wise? A critical edition}"
        else:
            assert "editor" not in entry.persons  # bibtex wants one of the two, biblatex an author


def test_bibtex_keeps_a_body_whole_and_escapes_special_characters():
    text = bibtex(edition((BODY,), publisher="Owls & Co."), NOTE)
    entry = next(iter(parse_string(text, "bibtex").entries.values()))
    assert [str(person) for person in entry.persons["editor"]] == [f"{{{BODY}}}"]
    assert [str(person) for person in entry.persons["author"]] == [f"{{{BODY}}}"]
    assert entry.fields["publisher"] == r"Owls \& Co."


def test_ris_has_its_required_tags():
    for citable, kind in ((WHOLE, "BOOK"), (NOTE, "CHAP")):
        text = ris(edition(), citable)
        lines = text.splitlines()
        assert lines[0] == f"TY  - {kind}" and lines[-1] == "ER  - "
        tags = {line[:2] for line in lines}
        assert {"TY", "TI", "PY", "DA", "UR", "ET", "ER"} <= tags
        assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in lines)
        editors = [line[6:] for line in lines if line[:2] == ("ED" if kind == "BOOK" else "A2")]
        assert editors == ["Doe, Jane", "Roe, Richard"]
        authors = [line[6:] for line in lines if line[:2] == "AU"]
        assert authors == ([] if kind == "BOOK" else ["Doe, Jane", "Roe, Richard"])
        if kind == "CHAP":
            assert "T2  - Are owls wise? A critical edition" in lines
        (record,) = rispy.loads(text, mapping={**rispy.TAG_KEY_MAPPING, "ED": "editors"})
        assert record["urls"] == [citable.url] and record["year"] == "2026"


def test_csl_item_of_a_part_is_a_chapter_of_the_edited_book():
    item = csl_item(edition(), NOTE)
    assert item["type"] == "chapter" and item["container-title"] == "Are owls wise? A critical edition"
    assert item["author"] == item["editor"] and len(item["editor"]) == 2
    assert "author" not in csl_item(edition(), PARAGRAPH)  # the original's author is unknown
    assert item["issued"] == {"date-parts": [[2026, 3, 5]]}


# -- a built project ---------------------------------------------------------------------------

BASE = "https://owls.example.org/edition/"


@pytest.fixture(scope="session")
def site(built_once) -> Path:
    return built_once("citation-html", ROOTS / "test-citation", "html")


@pytest.fixture(scope="session")
def pdf(built_once) -> Path:
    return built_once("citation-pdf", ROOTS / "test-citation", "editionpdf")


def resolve(outdir: Path, url: str, base: str = BASE):
    """The element a published URL points at, in the built site."""
    assert url.startswith(base), url
    parts = urlsplit(url[len(base) :])
    target = page(outdir, unquote(parts.path) or "index.html")
    return target.find(id=unquote(parts.fragment)) if parts.fragment else target


def cite_links(soup: BeautifulSoup) -> list:
    return soup.select("aside.ed-note p.ed-cite-link a")


LABELS = ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3")


def test_every_note_links_to_its_page_which_has_its_permalink_and_every_style(site):
    text = page(site, "text.html")
    notes = text.select("aside.ed-note")
    assert [note["id"] for note in notes] == [f"note-{label}" for label in LABELS]
    # The text page carries no citation: each note links to its own page, which has them all.
    assert not text.select("details.ed-cite, .ed-cite-text")
    for note in notes:
        label = note["id"].removeprefix("note-")
        assert note.select_one("a.headerlink")["href"] == f"#note-{label}"
        (link,) = note.select("p.ed-cite-link a")
        assert link["href"] == f"notes/{label}.html#cite"
        assert link.get_text() == f"Cite this note (note {label})"  # the note's number said, not shown
        full = note_page(site, label).select_one(".ed-note-page-cite details.ed-cite")
        assert full.select_one(".ed-cite-permalink a")["href"] == f"{BASE}text.html#note-{label}"
        assert [element["data-style"] for element in full.select(".ed-cite-text")] == STYLE_KEYS


def test_each_citation_leads_to_its_own_note_on_the_built_site(site):
    for label in LABELS:
        url = f"{BASE}notes/{label}.html"
        assert resolve(site, url).select_one("section.ed-note-page")["id"] == f"note-{label}"
        block = note_page(site, label).select_one("details.ed-cite")
        assert resolve(site, block.select_one(".ed-cite-permalink a")["href"])["id"] == f"note-{label}"
        for text in block.select(".ed-cite-text"):
            urls = re.findall(r'https://[^\s"]+?(?=[.,]?(?:\s|$|}|"))', text.get_text())
            assert urls == [url] or set(urls) == {url}, (text["data-style"], urls)


def test_a_withdrawn_note_keeps_its_citation_and_points_to_the_history(site):
    block = note_page(site, "1.2").select_one("details.ed-cite")
    assert "withdrawn in version 2.1" in block.select_one('[data-style="apa"]').get_text().lower()
    history = block.select_one(".ed-cite-withdrawn a")["href"]
    assert history == "../history.html" and (site / "notes" / history).resolve().is_file()
    in_text = page(site, "text.html").select_one('aside[id="note-1.2"]')
    assert "withdrawn" in in_text.select_one("p.ed-withdrawn-line").get_text().lower()
    assert in_text.select_one("p.ed-cite-link a")["href"] == "notes/1.2.html#cite"


def test_links_that_highlight_the_words_anchor_the_lemma_and_give_as_little_context_as_needed(site):
    links = {label: note_page(site, label).select_one("a.ed-note-page-fragment") for label in LABELS}
    text = f"{BASE}text.html"
    # A call has no text of its own: the words are found as the original has them.
    assert links["1.1"]["href"] == f"{text}#lemma-1.1:~:text=wise%20birds"
    assert links["1.3"]["href"] == f"{text}#lemma-1.3:~:text=owls%20%26%20crows"
    # A call amid the lemma's words (2.1) does not break them; nested lemmas (2.1, 2.2) share words.
    assert links["2.1"]["href"] == f"{text}#lemma-2.1:~:text=The%20wise%20owl%20of%20Athens%20was%20a%20coin"
    assert links["2.2"]["href"] == f"{text}#lemma-2.2:~:text=wise%20owl"
    # "Owls" is in the site's title and ¶1 (browsers match regardless of case), which stand
    # before ¶2: the paragraph's own words around it tell them apart.
    assert links["2.3"]["href"] == f"{text}#lemma-2.3:~:text=bird%3B%20see%20%22-,Owls,-%22%20%281999%29."
    assert links["1.2"] is None  # withdrawn: its words are no longer marked in the text


def test_the_how_to_cite_page_cites_the_edition_a_note_and_paragraphs(site):
    how = page(site, "how.html")
    urls = [block.select_one(".ed-cite-permalink a")["href"] for block in how.select("details.ed-cite")]
    paragraphs = [f"{BASE}text.html#p{number}" for number in (1, 2, 3)]
    assert urls == [BASE, f"{BASE}notes/1.1.html", f"{BASE}text.html#p2", *paragraphs]
    assert resolve(site, f"{BASE}text.html#p2")["class"] == ["ed-par"]
    summaries = [block.summary.get_text() for block in how.select("details.ed-cite")]
    assert summaries == ["Cite the edition", "Cite note 1.1", "Cite ¶2", "Cite ¶1", "Cite ¶2", "Cite ¶3"]
    edition_block = how.select_one("details.ed-cite")
    assert edition_block.has_attr("open") and not how.select("details.ed-cite")[1].has_attr("open")
    assert "Doe, Jane, and Richard Roe, eds. Are Owls Wise? A Critical Edition." in edition_block.get_text()


def head_metadata(soup: BeautifulSoup) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in soup.head.find_all("meta"):
        name = meta.get("name") or meta.get("property")
        if name and meta.get("content") is not None:
            found.setdefault(name, []).append(meta["content"])
    return found


# Zotero's "Embedded Metadata" translator (init) and the RDF translator (detectType) it calls:
# these Highwire tags force a type; otherwise og:type ranks above DC.type, and citation_title
# alone only guesses a journal article.
FORCING = {
    "citation_journal_title": "journalArticle",
    "citation_technical_report_institution": "report",
    "citation_conference_title": "conferencePaper",
    "citation_conference": "conferencePaper",
    "citation_book_title": "bookSection",
    "citation_inbook_title": "bookSection",
    "citation_dissertation_institution": "thesis",
}
OG_TYPES = {"book": "book", "website": "webpage"}
DC_TYPES = {"book": "book", "bookitem": "bookSection", "webpage": "webpage", "text": None}


def zotero_item_type(meta: dict[str, list[str]]) -> str:
    forced = [FORCING[name] for name in meta if name in FORCING]
    if forced:
        return forced[-1]
    og = OG_TYPES.get(meta.get("og:type", [""])[0])
    dc = DC_TYPES.get(meta.get("DC.type", [""])[0].lower().replace(" ", ""))
    guess = "journalArticle" if "citation_title" in meta else "webpage"
    return og or dc or guess


SCHOLAR_TAGS = ("citation_title", "citation_author", "citation_publication_date", "citation_pdf_url")


@pytest.mark.parametrize("name", ["index.html", "text.html", "how.html"])
def test_every_page_makes_a_reference_manager_record_an_edited_book(site, name):
    meta = head_metadata(page(site, name))
    assert zotero_item_type(meta) == "book"
    assert meta["og:type"] == ["book"]
    assert meta["og:title"] == meta["DC.title"] == ["Are owls wise? A critical edition"]
    assert meta["DC.creator"] == ["Doe, Jane", "Roe, Richard"] and meta["DC.date"] == ["2026-03-05"]
    assert meta["citation_public_url"] == meta["DC.identifier"] == [BASE]
    assert meta["citation_publisher"] == meta["DC.publisher"] == ["Owl Press"]
    names = ["Doe, Jane", "Roe, Richard"]
    if name == "index.html":  # the landing page, for Google Scholar
        assert meta["citation_title"] == ["Are owls wise? A critical edition"]
        assert meta["citation_author"] == names and "citation_editor" not in meta
        assert meta["citation_publication_date"] == ["2026/03/05"]
        assert meta["citation_pdf_url"] == [f"{BASE}edition.pdf"]
    else:  # the edition's other pages: its editors as editors, and no claim to be the work's page
        assert meta["citation_editor"] == names
        assert not [key for key in SCHOLAR_TAGS if key in meta], meta


def test_every_page_is_its_own_canonical_page_and_home_is_the_edition(site):
    def canonical(name: str) -> str:
        return page(site, name).head.find("link", rel="canonical")["href"]

    assert canonical("index.html") == BASE
    assert canonical("text.html") == f"{BASE}text.html"
    assert canonical("notes/1.1.html") == f"{BASE}notes/1.1.html"


@pytest.mark.parametrize("name", ["search.html", "genindex.html"])
def test_search_and_index_pages_carry_no_citation_metadata(site, name):
    meta = head_metadata(page(site, name))
    assert not [key for key in meta if key.startswith(("citation_", "DC.", "og:"))], meta
    assert not page(site, name).find_all("script", type="application/ld+json")


def test_the_index_of_notes_carries_no_citation_metadata(edition_html):
    index = page(edition_html, "source/note-index.html")
    assert index.select("dl.ed-index")
    meta = head_metadata(index)
    assert not [key for key in meta if key.startswith(("citation_", "DC.", "og:"))], meta
    assert not index.find_all("script", type="application/ld+json")


def local_schema_org(url: str, options: dict | None = None) -> dict:
    """JSON-LD document loader that never fetches: schema.org's terms under @vocab."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": "https://schema.org/"}},
    }


def json_ld_of(soup: BeautifulSoup) -> list[dict]:
    (script,) = soup.find_all("script", type="application/ld+json")
    return jsonld.expand(json.loads(script.string), {"documentLoader": local_schema_org})


def test_json_ld_describes_the_same_edition_as_the_meta_tags(site):
    s = "https://schema.org/"
    home = json_ld_of(page(site, "index.html"))[0]
    assert home["@type"] == [f"{s}Book"]
    assert home[f"{s}name"][0]["@value"] == "Are owls wise? A critical edition"
    editors = [
        (e[f"{s}familyName"][0]["@value"], e[f"{s}givenName"][0]["@value"]) for e in home[f"{s}editor"]
    ]
    assert editors == [("Doe", "Jane"), ("Roe", "Richard")]
    assert home[f"{s}datePublished"][0]["@value"] == "2026-03-05"
    assert home[f"{s}version"][0]["@value"] == "2.1"
    assert home[f"{s}url"][0]["@value"] == BASE
    assert home[f"{s}encoding"][0][f"{s}contentUrl"][0]["@value"] == f"{BASE}edition.pdf"
    text = json_ld_of(page(site, "text.html"))[0]
    assert text["@type"] == [f"{s}WebPage"] and text[f"{s}url"][0]["@value"] == f"{BASE}text.html"
    assert text[f"{s}isPartOf"][0][f"{s}name"] == home[f"{s}name"]
    note = json_ld_of(page(site, "notes/2.2.html"))[0]
    assert note["@type"] == [f"{s}Chapter"] and note[f"{s}url"][0]["@value"] == f"{BASE}notes/2.2.html"
    assert note[f"{s}name"][0]["@value"] == "Note 2.2 on paragraph 2"
    authors = [
        (e[f"{s}familyName"][0]["@value"], e[f"{s}givenName"][0]["@value"]) for e in note[f"{s}author"]
    ]
    assert authors == editors and note[f"{s}version"][0]["@value"] == "2.1"
    assert note[f"{s}isPartOf"][0][f"{s}name"] == home[f"{s}name"]


def test_the_pdf_has_no_cite_blocks_and_states_the_same_metadata(site, pdf):
    composed = BeautifulSoup((pdf / "edition.html").read_text(encoding="utf-8"), "html.parser")
    assert not composed.select("details.ed-cite") and composed.select("aside.ed-note, .ed-footnote")
    assert composed.select("dl.ed-cite-list") and composed.select("ul.ed-cite-permalinks")
    assert "Cite this note" not in composed.get_text()
    info = PdfReader(pdf / "edition.pdf").metadata
    meta = head_metadata(page(site, "index.html"))
    assert info.title == meta["citation_title"][0]
    assert info["/CreationDate"].startswith("D:" + meta["DC.date"][0].replace("-", ""))
    for editor in meta["citation_author"]:
        assert all(part.strip() in info.author for part in editor.split(","))
    assert info.subject == meta["DC.description"][0]
    assert set(re.split(r"\s*[,;]\s*", info["/Keywords"])) == set(meta["citation_keywords"][0].split("; "))


# -- the edition itself -------------------------------------------------------------------------


def test_citation_cff_is_valid_and_generated_from_the_edition_statement(monkeypatch):
    monkeypatch.delenv("EDITION_BASE_URL", raising=False)
    committed = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    data = yaml.safe_load(committed)
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER).validate(
        data
    )
    assert committed == project_cff(ROOT), "CITATION.cff is stale: run .venv/bin/python tools/citation_cff.py"


def published_base(cff: dict) -> str:
    """The base URL the edition was built with: CITATION.cff's, unless deployed elsewhere."""
    base = os.environ.get("EDITION_BASE_URL", cff["url"])
    return base if base.endswith("/") else base + "/"


def test_the_editions_pages_agree_with_citation_cff(edition_html):
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    preferred = cff["preferred-citation"]
    base = published_base(cff)
    for name in ("index.html", "source/text.html", "source/how-to-cite.html"):
        soup = page(edition_html, name)
        meta = head_metadata(soup)
        assert embedded_item(soup)["type"] == "book"
        assert embedded_item(soup)["title"] == cff["title"] == preferred["title"]
        role = "author" if name == "index.html" else "editor"
        if name == "index.html":  # Google Scholar's landing page: its heading is the title
            assert soup.h1.get_text().removesuffix("¶") == meta["citation_title"][0]
        # A body is one name (CITATION.cff's "name"), a person a family and a given name.
        creators = [
            (e.get("name") or e["family-names"], e.get("given-names", ""), role) for e in preferred["editors"]
        ]
        assert embedded_item(soup)["creators"] == creators
        assert meta["DC.date"] == [cff["date-released"]] == [preferred["date-published"]]
        assert meta["citation_public_url"] == [base]
        assert meta["DC.rights"][0].endswith(
            cff["license"].lower().removeprefix("cc-").replace("-", "/") + "/"
        )
        ld = json.loads(page(edition_html, name).find("script", type="application/ld+json").string)
        book = ld.get("isPartOf", ld)
        assert book["version"] == cff["version"] and book["name"] == cff["title"]


def edition_labels(outdir: Path) -> list[str]:
    notes = page(outdir, "source/text.html").select("aside.ed-note")
    return [note["id"].removeprefix("note-") for note in notes]


def test_every_note_of_the_edition_can_be_cited_from_its_page(edition_html):
    base = published_base(yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8")))
    text = page(edition_html, "source/text.html")
    notes = text.select("aside.ed-note")
    assert len(notes) >= 8 and len(cite_links(text)) == len(notes)
    for note in notes:
        label = note["id"].removeprefix("note-")
        assert note.select_one("p.ed-cite-link a")["href"] == f"../notes/{label}.html#cite"
        url = f"{base}notes/{label}.html"
        block = resolve(edition_html, url, base).select_one(".ed-note-page-cite details.ed-cite")
        permalink = block.select_one(".ed-cite-permalink a")["href"]
        assert permalink == f"{base}source/text.html#{note['id']}"
        assert resolve(edition_html, permalink, base) is not None
        styles = {element["data-style"]: element.get_text() for element in block.select(".ed-cite-text")}
        assert list(styles) == STYLE_KEYS
        assert all(url in styles[key] for key in STYLE_KEYS)


def site_records(outdir: Path, names: tuple[str, ...], form: str) -> list[str]:
    """The BibTeX or RIS records that the built pages show, each once."""
    found = [
        pre.get_text() for name in names for pre in page(outdir, name).select(f'pre[data-style="{form}"]')
    ]
    return list(dict.fromkeys(found))


def edition_pages(outdir: Path) -> tuple[str, ...]:
    """The pages that show citations in every style: each note's, and How to cite."""
    return (*(f"notes/{label}.html" for label in edition_labels(outdir)), "source/how-to-cite.html")


def test_bibtex_reads_every_record_of_the_edition_without_a_warning(edition_html, tmp_path):
    records = site_records(edition_html, edition_pages(edition_html), "bibtex")
    assert len(records) >= 80
    (tmp_path / "edition.bib").write_text("\n".join(records), encoding="utf-8")
    (tmp_path / "cites.aux").write_text("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{edition}\n")
    done = subprocess.run(["bibtex", "cites"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "Warning" not in done.stdout, done.stdout
    bbl = (tmp_path / "cites.bbl").read_text(encoding="utf-8")
    assert bbl.count("\\bibitem") == len(records)
    assert "Editorial Board of the Russia–China Allies Edition" in bbl and "edition" not in bbl.split("{")[0]


def test_every_ris_record_of_the_edition_keeps_authors_and_editor(edition_html):
    records = site_records(edition_html, edition_pages(edition_html), "ris")
    mapping = {**rispy.TAG_KEY_MAPPING, "ED": "editors"}
    lists = [*rispy.LIST_TYPE_TAGS, "ED"]
    for record in (rispy.loads(text, mapping=mapping, list_tags=lists)[0] for text in records):
        editors = record.get("editors") or record.get("secondary_authors")
        assert editors == ["Editorial Board of the Russia–China Allies Edition"], record
        if record["title"].startswith("Note "):
            assert record["authors"] == editors, record


# -- the reference engine ------------------------------------------------------------------------

CITEPROC_JS = ROOT / "node_modules" / "citeproc" / "citeproc_commonjs.js"
LOCALES = Path(citeproc.__file__).parent / "data" / "locales"
# Each job: a style, a locale, "note" or "bibliography", one CSL-JSON item. Out: HTML per job.
RUN_CITEPROC_JS = """
const CSL = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const engines = {};  // one per style file: building an engine takes a second or two
const out = input.jobs.map((job) => {
  if (!engines[job.style]) {
    const sys = { retrieveLocale: (lang) => input.locales[lang], retrieveItem: (id) => sys.item };
    engines[job.style] = { sys, engine: new CSL.Engine(sys, input.styles[job.style], job.locale, true) };
    engines[job.style].engine.setOutputFormat("html");
  }
  const { sys, engine } = engines[job.style];
  sys.item = job.item;
  engine.updateItems([job.item.id]);
  if (job.form === "note") {
    return engine.makeCitationCluster([{ id: job.item.id }]);
  }
  return engine.makeBibliography()[1][0];
});
process.stdout.write(JSON.stringify(out));
"""


def citeproc_js(jobs: list[tuple[Style, dict]]) -> list[str]:
    """citeproc-js's HTML for each (style, item), as plain as the site's (no entry wrapper)."""
    assert CITEPROC_JS.is_file(), "run: npm ci --ignore-scripts --no-audit --no-fund"
    locales = {"en-US", *(style.locale for style, _item in jobs)}  # en-US: every locale's fallback
    data = {
        "styles": {style.csl: Path(style.path).read_text(encoding="utf-8") for style, _item in jobs},
        "locales": {name: (LOCALES / f"locales-{name}.xml").read_text(encoding="utf-8") for name in locales},
        "jobs": [{"style": s.csl, "locale": s.locale, "form": s.form, "item": item} for s, item in jobs],
    }
    done = subprocess.run(
        ["node", "-e", RUN_CITEPROC_JS, str(CITEPROC_JS)],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        check=True,
    )
    entry = re.compile(r'^<div class="csl-entry">(.*)</div>$', re.DOTALL)
    return [entry.sub(r"\1", html.strip()) for html in json.loads(done.stdout)]


def test_every_citation_on_the_site_is_what_citeproc_js_makes_of_its_csl_json(edition_html):
    jobs, shown = [], []
    for name in edition_pages(edition_html):
        for block in page(edition_html, name).select("details.ed-cite"):
            (item,) = json.loads(block.select_one('pre[data-style="csl-json"]').get_text())
            for style in STYLES:
                jobs.append((style, style_item(item, style)))
                shown.append(block.select_one(f'[data-style="{style.key}"]').decode_contents())
    assert len(shown) >= 5 * 80
    engine = citeproc_js(jobs)
    differing = [
        (style.key, ours, theirs)
        for (style, _item), ours, theirs in zip(jobs, shown, engine, strict=True)
        if unescape(ours) != unescape(theirs)
    ]
    assert not differing, differing[:3]


# -- mistakes in ed:cite ------------------------------------------------------------------------

CITE_HEAD = """.. ed:text:: original.txt
   :sha256: 2c04f50d34ec14fad1db8bc1d61b5eb9707a290d53208819bf25846eef4baf15

.. ed:note:: 1.1
   :paragraph: 1
   :lemma: sat on the mat
   :category: vague

   Which mat?

"""


@pytest.mark.parametrize(
    ("directive", "message"),
    [
        (".. ed:cite:: note 9.9", "ed:cite: unknown note '9.9'"),
        (".. ed:cite:: paragraph 7", "ed:cite: there is no paragraph '7' (the text has 3)"),
        (
            ".. ed:cite:: chapter 2",
            "ed:cite 'chapter 2': say what to cite: edition, note [LABEL], paragraph N",
        ),
    ],
)
def test_a_mistaken_citation_request_stops_the_build_at_its_line(project, make_app, directive, message):
    srcdir = project(CITE_HEAD + directive + "\n")
    app = make_app("html", srcdir=srcdir)
    app.build()
    app.cleanup()
    log = strip_escape_sequences(app.warning.getvalue())
    assert app.statuscode != 0
    assert f"{srcdir / 'index.rst'}:11: ERROR: {message}" in log, log


# -- in a browser: open "Cite this note" and copy, with and without JavaScript ------------------


@pytest.fixture(scope="module")
def served_site(site: Path):
    with served(site) as url:
        yield url


def test_a_reader_opens_cite_this_note_by_keyboard_and_copies_a_citation(served_site, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(served_site + "text.html")
    page.locator('[id="note-2.2"] p.ed-cite-link a').focus()
    page.keyboard.press("Enter")  # to the citations on the note's own page
    page.wait_for_url("**/notes/2.2.html#cite", wait_until="load")
    page.keyboard.press("Tab")  # their summary ("Every style, ..."), open
    page.keyboard.press("Tab")  # the permalink
    page.keyboard.press("Tab")  # the Copy button of the first style: Chicago (note)
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Copy the Chicago (note) citation of note 2.2"
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.ed-cite-status')")
    shown = page.locator('[id="note-2.2"] [data-style="chicago-note"]').inner_text()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == shown and copied.endswith(f"{BASE}notes/2.2.html.")
    rich = page.evaluate(
        "async () => (await (await navigator.clipboard.read())[0].getType('text/html')).text()"
    )
    assert f'<a href="{BASE}notes/2.2.html">' in rich and "<i>Are Owls Wise?" in rich
    assert page.locator(".ed-cite-status").inner_text() == "Copied. The Chicago (note) citation of note 2.2"
    context.close()


def test_without_javascript_the_citations_are_there_to_select(served_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site + "text.html")
    page.locator('[id="note-1.1"] p.ed-cite-link a').click()  # every style, on the note's page
    page.wait_for_url("**/notes/1.1.html#cite", wait_until="load")  # the click only starts the navigation
    citation = page.locator('[data-style="chicago-note"]')
    assert citation.is_visible() and "Note 1.1 on Paragraph 1" in citation.inner_text()
    assert page.locator('[data-style="apa"]').is_visible() and page.url.endswith("notes/1.1.html#cite")
    assert page.locator("button.ed-copy").count() == 0
    context.close()


def test_a_page_of_citations_follows_a_note_changed_in_another_document(make_app, tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-citation", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert "Cite note 1.1" in (app.outdir / "how.html").read_text(encoding="utf-8")
    # `.. ed:cite:: note` cites the first note in force: withdraw 1.1 in the text page only.
    text = (srcdir / "text.rst").read_text(encoding="utf-8")
    (srcdir / "text.rst").write_text(
        text.replace(".. ed:note:: 1.1\n", ".. ed:note:: 1.1\n   :withdrawn: 2.1\n", 1), encoding="utf-8"
    )
    again = make_app("html", srcdir=srcdir, freshenv=False)
    again.build()
    how = (again.outdir / "how.html").read_text(encoding="utf-8")
    assert "Cite note 1.3" in how and "Cite note 1.1" not in how


# -- what a reference manager saves from the published pages ----------------------------------

COINS_TYPES = {"book": "book", "bookitem": "bookSection"}


def coins_items(soup: BeautifulSoup) -> list[dict]:
    """Each COinS span as Zotero's COinS translator (OpenURL parser) reads it."""
    items = []
    for span in soup.select("span.Z3988"):
        fields: dict[str, list[str]] = {}
        for key, value in parse_qsl(span["title"]):
            fields.setdefault(key, []).append(value)
        assert fields["ctx_ver"] == ["Z39.88-2004"] and fields["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:book"]
        kind = COINS_TYPES[fields["rft.genre"][0]]
        creators = [(name, "author", "person") for name in fields.get("rft.au", [])]
        creators += [(name, "author", "institution") for name in fields.get("rft.aucorp", [])]
        title = fields["rft.atitle" if kind == "bookSection" else "rft.btitle"][0]
        items.append(
            {
                "type": kind,
                "title": title,
                "creators": creators,
                "book": fields["rft.btitle"][0],
                "date": fields["rft.date"][0],
                "url": fields["rft_id"][0],
            }
        )
    return items


def zotero_creator(name: str, role: str) -> tuple[str, str, str]:
    """(last name, first name, role), as Zotero's cleanAuthor splits a Highwire name: at its
    comma if it has one (after stripping punctuation at its ends), else at its last space."""
    cleaned = re.sub(r"[\s.,/\[\]:]+$", "", re.sub(r"^[\s.,/\[\]:]+", "", name))
    if "," in name:
        last, _, first = cleaned.partition(", ")
    else:
        first, _, last = cleaned.rpartition(" ")
    return last, first, role


def embedded_item(soup: BeautifulSoup) -> dict:
    """The item Zotero's Embedded Metadata translator makes of a page's head: Highwire tags
    first, then what its RDF step reads from Dublin Core and Open Graph."""
    meta = head_metadata(soup)
    creators = [zotero_creator(name, "author") for name in meta.get("citation_author", [])]
    creators += [zotero_creator(name, "editor") for name in meta.get("citation_editor", [])]
    first = lambda *names: next((meta[name][0] for name in names if name in meta), "")  # noqa: E731
    item = {
        "type": zotero_item_type(meta),
        "title": first("citation_title", "DC.title", "og:title"),
        "creators": creators,
        "date": first("citation_date", "citation_publication_date", "DC.date"),
        "url": first("citation_public_url", "og:url"),
    }
    if item["type"] == "bookSection":
        item["book"] = first("citation_inbook_title", "citation_book_title")
    return item


@pytest.fixture(scope="module")
def served_edition(edition_html: Path):
    with served(edition_html) as url:
        yield url


def fetched(url: str) -> BeautifulSoup:
    with urlopen(url) as response:
        assert response.status == 200
        return BeautifulSoup(response.read().decode("utf-8"), "html.parser")


BOARD = "Editorial Board of the Russia–China Allies Edition"


def test_a_reference_manager_saves_each_note_from_the_text_page_and_the_edition_from_home(served_edition):
    base = published_base(yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8")))
    text = fetched(served_edition + "source/text.html")
    items = coins_items(text)
    notes = text.select("aside.ed-note")
    assert len(items) == len(notes) + 1 and len(notes) >= 80
    for note, item in zip(notes, items, strict=False):
        label = note["id"].removeprefix("note-")
        assert item["type"] == "bookSection" and item["title"].startswith(f"Note {label} on paragraph ")
        assert item["creators"] == [(BOARD, "author", "institution")]
        assert item["book"] == "Are Russia and China allies? A critical edition"
        assert item["date"] == "2026-12-01" and item["url"] == f"{base}notes/{label}.html"
    edition = items[-1]
    assert edition["type"] == "book" and edition["title"] == edition["book"] and edition["url"] == base
    home = embedded_item(fetched(served_edition))
    assert home == {
        "type": "book",
        "title": edition["book"],
        "creators": [(BOARD, "", "author")],  # one name, never split into given and family
        "date": "2026/12/01",
        "url": base,
    }
    text_page = embedded_item(text)
    assert text_page["type"] == "book" and text_page["creators"] == [(BOARD, "", "editor")]


def test_a_reference_manager_saves_a_note_from_its_page_as_the_text_page_lists_it(served_edition):
    base = published_base(yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8")))
    listed = {item["url"]: item for item in coins_items(fetched(served_edition + "source/text.html"))}
    for label in ("1.1", "4.6", "10.1"):
        url = f"{base}notes/{label}.html"
        note = fetched(served_edition + f"notes/{label}.html")
        assert note.h1.get_text() == f"Note {label} on paragraph {label.split('.')[0]}"
        assert embedded_item(note) == {
            "type": "bookSection",
            "title": note.h1.get_text(),
            "creators": [(BOARD, "", "author"), (BOARD, "", "editor")],
            "date": "2026/12/01",
            "url": url,
            "book": "Are Russia and China allies? A critical edition",
        }
        assert note.head.find("link", rel="canonical")["href"] == url
        meta = head_metadata(note)
        assert meta["og:url"] == [url] and meta["DCTERMS.isPartOf"] == [listed[url]["book"]]
        assert "citation_pdf_url" not in meta  # the PDF is the whole edition, not the note
        (own,) = coins_items(note)
        assert own == listed[url] and own["type"] == "bookSection" and own["title"] == note.h1.get_text()
