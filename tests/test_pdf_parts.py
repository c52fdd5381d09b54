"""The PDF typeset in two parts at once and joined: the same pages, links, destinations, outline
and structure as the edition typeset as one document; failures of either part reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOTS

from apparatus.pdf import typeset as pdf
from apparatus.pdf.parts import cut, page_reference_classes


def pages_as_png(path: Path, folder: Path) -> list[bytes]:
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(folder / "page")], check=True)
    return [page.read_bytes() for page in sorted(folder.glob("page-*.png"))]


def links_and_places(path: Path) -> dict[str, object]:
    """Where each named destination, link and bookmark leads (page numbers, positions)."""
    with pikepdf.open(path) as opened:
        number = {page.obj.objgen: at for at, page in enumerate(opened.pages, start=1)}

        def place(destination: pikepdf.Array) -> tuple:
            return (number[destination[0].objgen], *(str(item) for item in destination[1:]))

        names = opened.Root.Names.Dests.Names
        with opened.open_outline() as outline:
            bookmarks = [(item.title, place(item.destination)) for item in outline.root]
        return {
            "destinations": {str(names[at]): place(names[at + 1]) for at in range(0, len(names), 2)},
            "links": [
                (
                    at,
                    str(link.get("/Dest", "")),
                    str(link.get("/A", {}).get("/URI", "")),
                    [float(x) for x in link.Rect],
                )
                for at, page in enumerate(opened.pages, start=1)
                for link in page.obj.get("/Annots", ())
            ],
            "bookmarks": bookmarks,
        }


def structure_problems(path: Path) -> list[str]:
    """Structure elements on pages not in the file, table headers named twice or not at all,
    parent tree keys missing or repeated."""
    problems = []
    with pikepdf.open(path) as opened:
        pages = {page.obj.objgen for page in opened.pages}
        root = opened.Root.StructTreeRoot
        waiting, seen = [root.K[0]], set()
        headers: list[str] = []
        cited: set[str] = set()
        while waiting:
            element = waiting.pop()
            if not isinstance(element, pikepdf.Dictionary) or element.objgen in seen:
                continue
            seen.add(element.objgen)
            if "/Pg" in element and element.Pg.objgen not in pages:
                problems.append(f"a {element.S} element on a page not in the file")
            if element.get("/S") == "/TH":
                headers.append(str(element.get("/ID")))
            if element.get("/S") == "/TD":
                cited.update(str(name) for name in element.A.get("/Headers", ()))
            kids = element.get("/K")
            waiting.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
        if len(set(headers)) != len(headers) or not cited <= set(headers):
            problems.append("table headers named twice, or data cells naming no header")
        nums = root.ParentTree.Nums
        keys = [int(nums[at]) for at in range(0, len(nums), 2)]
        if len(set(keys)) != len(keys) or keys != sorted(keys):
            problems.append("parent tree keys repeated or out of order")
        wanted = [int(page.obj.StructParents) for page in opened.pages] + [
            int(link.StructParent) for page in opened.pages for link in page.obj.get("/Annots", ())
        ]
        if len(set(wanted)) != len(wanted) or not set(wanted) <= set(keys):
            problems.append("pages or annotations with a parent tree key repeated or missing")
    return problems


def test_the_edition_typeset_in_two_parts_is_the_edition_typeset_as_one(edition_pdf, tmp_path):
    """The build typesets the pages after the text in a second process; joined, they are the
    pages of the edition typeset as one document, pixel for pixel, with the same destinations,
    links and bookmarks, and one sound structure tree."""
    folder = edition_pdf.parent
    whole = tmp_path / "whole.pdf"
    pdf.write(pdf.typeset((folder / "edition.html").read_text(encoding="utf-8"), folder), whole)
    with pikepdf.open(edition_pdf) as built:
        headers = [
            str(item.ID) for item in built.objects if isinstance(item, pikepdf.Dictionary) and "/ID" in item
        ]
    assert any(name.startswith("part2-") for name in headers), "the build was not typeset in parts"
    joined_pages, whole_pages = (
        pages_as_png(edition_pdf, tmp_path / "joined"),
        pages_as_png(whole, tmp_path / "whole"),
    )
    assert len(joined_pages) == len(whole_pages) == 33
    assert [at for at, (a, b) in enumerate(zip(joined_pages, whole_pages, strict=True), 1) if a != b] == []
    assert links_and_places(edition_pdf) == links_and_places(whole)
    assert structure_problems(edition_pdf) == [] and structure_problems(whole) == []


def parsed(body: str):
    return pdf.parse(f'<html lang="en"><body>{body}</body></html>', ROOTS).etree_element


TEXT = '<div class="ed-document" id="document-text"><p class="ed-text">Text, <a href="#after">after</a>.</p></div>'
AFTER = '<div class="ed-document" id="document-after"><h2 id="after">After</h2><a href="#document-text">Back</a></div>'


def test_the_second_part_is_what_follows_the_text_and_refers_to_no_page():
    assert page_reference_classes() >= {"ed-footnote", "ed-related", "ed-contents", "ed-continued"}
    where = cut(parsed(TEXT + AFTER + AFTER.replace("after", "later")))
    assert where is not None
    assert [document.get("id") for document in where.second] == ["document-after", "document-later"]
    assert where.wanted_by_first == {"after"} and where.wanted_by_second == {"document-text"}
    # Nothing follows the text; no text; a document after it refers to pages.
    assert cut(parsed(AFTER + TEXT)) is None
    assert cut(parsed(AFTER + AFTER.replace("after", "later"))) is None
    related = AFTER.replace("<h2", '<p class="ed-related"><a href="#document-text">n</a></p><h2')
    assert cut(parsed(TEXT + related)) is None


# Run in a process of its own, with one thread, as a build runs: the parts are typeset at once
# only where the process may fork.
PARTS = """
import json, os, sys
from pathlib import Path
import pikepdf
from apparatus.pdf import parts
from apparatus.pdf.typesetter import TypesettingError, typeset_pdf

folder = Path(sys.argv[1])
html = '<html lang="en"><body>' + sys.argv[2] + sys.argv[3] + '</body></html>'
done = typeset_pdf(html, folder, folder / "parts.pdf")
with pikepdf.open(folder / "parts.pdf") as joined:
    number = {page.obj.objgen: at for at, page in enumerate(joined.pages, start=1)}
    names = joined.Root.Names.Dests.Names
    places = {str(names[at]): number[names[at + 1][0].objgen] for at in range(0, len(names), 2)}
    links = {str(link.Dest): at for at, page in enumerate(joined.pages, start=1) for link in page.obj.Annots}

def failure(keep_second):
    parts.keep_second = keep_second
    try:
        typeset_pdf(html, folder, folder / "failed.pdf")
    except TypesettingError as error:
        return str(error)
    return ""

def fails(*args):
    raise ValueError("the second part fails")

def children_left():
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return False
    return True

raised = failure(fails)
ended = failure(lambda *args: os._exit(1))
print(json.dumps({"pages": done.pages, "places": places, "links": links, "raised": raised,
                  "ended": ended, "left": children_left()}))
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the parts are typeset at once on Linux only"
)
def test_the_parts_link_to_each_other_and_a_failing_part_is_reported(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", PARTS, str(tmp_path), TEXT, AFTER], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["pages"] == 2
    assert report["places"]["after"] == 2 and report["places"]["document-text"] == 1
    assert report["links"] == {"after": 1, "document-text": 2}
    assert "ValueError: the second part fails" in report["raised"]
    assert "ended without a result" in report["ended"]
    assert not report["left"] and not done.stderr
