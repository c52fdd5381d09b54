"""Conflicts and related links: what the extension makes of them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent

TINY = """.. ed:text:: original.txt
   :sha256: 2c04f50d34ec14fad1db8bc1d61b5eb9707a290d53208819bf25846eef4baf15

.. ed:note:: 1.1
   :paragraph: 1
   :lemma: sat on the mat
   :category: vague

   Which mat?

.. ed:note:: 1.2
   :paragraph: 1
   :lemma: The dog
   :category: contradiction
   :conflicts: 2.1
   :related: 1.1

   The dog is not the latter.

.. ed:note:: 2.1
   :paragraph: 2
   :lemma: the latter
   :category: unclear-reference

   Which one?

.. ed:listing:: claims
   :note: 1.2

.. ed:listing:: map
"""


# -- the extension, on a tiny project -------------------------------------------------------


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> BeautifulSoup:
    from shutil import copytree

    srcdir = tmp_path_factory.mktemp("conflicts") / "src"
    copytree(ROOT / "tests" / "roots" / "test-basic", srcdir)
    (srcdir / "index.rst").write_text(TINY, encoding="utf-8")
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(srcdir), str(srcdir / "_build")]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return BeautifulSoup((srcdir / "_build" / "index.html").read_text(encoding="utf-8"), "html.parser")


def links_line(page: BeautifulSoup, label: str) -> str:
    return page.find(id=f"note-{label}").select_one(".ed-related").get_text(" ", strip=True)


def test_a_note_shows_its_conflicts_apart_from_its_related_notes_both_ways(tiny):
    n = "n.\u00a0"
    assert links_line(tiny, "1.2") == f"Conflicts with: {n}2.1 ; related: {n}1.1"
    assert links_line(tiny, "2.1") == f"Conflicts with: {n}1.2"  # named by 1.2 only
    assert links_line(tiny, "1.1") == f"Related: {n}1.2"


def test_the_map_and_the_claims_use_conflicts_only(tiny):
    edges = [li.get_text(" ", strip=True) for li in tiny.select("ul.ed-map-list > li")]
    assert len(edges) == 1 and "1.2" in edges[0] and "2.1" in edges[0] and "1.1" not in edges[0]
    boxes = {a.select_one("text").get_text() for a in tiny.select("svg a.ed-map-node")}
    assert boxes == {"1.2", "2.1"}
    claimed = [row.select("td")[2].get_text(strip=True) for row in tiny.select("table.ed-claims tbody tr")]
    assert claimed == ["n.\u00a01.2", "n.\u00a02.1"]
