"""The kinds of ``ed:listing`` belong to one Sphinx application, never to the process."""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from apparatus.contradiction_map import draw
from apparatus.listings import BUILT_IN, listings

ROOTS = Path(__file__).resolve().parent / "roots"
# A conf.py's own setup() adds a kind of listing: the count of notes in force.
ADDS_A_KIND = """

from docutils import nodes

from apparatus.listings import add_listing, live


def setup(app):
    add_listing(app, "note-count", lambda request: [
        nodes.paragraph(text=f"{len(live(request.domain.notes.values()))} notes in force")
    ])
"""
USES_IT = "\n\nCount\n=====\n\n.. ed:listing:: note-count\n"


def edition(tmp_path: Path, name: str, conf: str = "") -> Path:
    srcdir = tmp_path / name
    shutil.copytree(ROOTS / "test-basic", srcdir)
    with (srcdir / "conf.py").open("a", encoding="utf-8") as handle:
        handle.write(conf)
    with (srcdir / "index.rst").open("a", encoding="utf-8") as handle:
        handle.write(USES_IT)
    return srcdir


def test_a_kind_added_by_one_application_is_not_known_to_another_in_the_same_process(make_app, tmp_path):
    adds = make_app("html", srcdir=edition(tmp_path, "adds", ADDS_A_KIND))
    other = make_app("html", srcdir=edition(tmp_path, "other"))  # made after it, both alive
    assert "note-count" in listings(adds.registry) and "note-count" not in listings(other.registry)
    assert "note-count" not in BUILT_IN
    adds.build()
    page = BeautifulSoup((adds.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "4 notes in force" in page.get_text()
    other.build()
    assert "unknown listing 'note-count'" in other.warning.getvalue()
    # each application has the kinds its components registered (the map is the core's)
    assert listings(adds.registry)["map"] is listings(other.registry)["map"] is draw
