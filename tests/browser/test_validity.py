"""Every page is valid HTML for the current W3C Nu HTML Checker, every internal link and
reference resolves, no page logs an error, and nothing is fetched from another host."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.conftest import VNU, java_for, npm_pinned

from .conftest import ROOT

# Attributes whose value names other elements of the same page by id.
ID_REFERENCES = (
    "aria-details",
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "for",
    "popovertarget",
)


def nu_errors(files: list[Path]) -> list[str]:
    """The Nu HTML Checker's errors on the files, each as "page:line: message"."""
    done = subprocess.run(
        [*java_for(VNU), "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    return [f"{m['url'].rsplit('/html/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]


PLANTED = "text.html"  # a copy of the text page with a fault planted, as nu_errors() names it


@pytest.fixture(scope="session")
def nu_report(edition_site, pages, tmp_path_factory) -> dict[str, list[str]]:
    """The checker's errors on every page ("site") and on a copy of the text page with a fault
    planted ("planted"), from one run: its start and schemas take some 2 core-seconds a run."""
    broken = tmp_path_factory.mktemp("planted") / "html" / PLANTED
    broken.parent.mkdir()
    page = (edition_site / "source" / "text.html").read_text(encoding="utf-8")
    broken.write_text(page.replace("</body>", "<p><div></div></p></body>"), encoding="utf-8")
    report: dict[str, list[str]] = {"site": [], "planted": []}
    for error in nu_errors([*(edition_site / page for page in pages), broken]):
        report["planted" if error.startswith(f"{PLANTED}:") else "site"].append(error)
    return report


def test_the_nu_html_checker_finds_no_error_on_any_page(nu_report):
    assert nu_report["site"] == [], "\n".join(nu_report["site"])


def test_the_nu_html_checker_reports_a_fault(nu_report):
    (error,) = nu_report["planted"]
    assert "end tag" in error, error


def test_the_checker_is_the_pinned_current_one():
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["vnu-jar"]
    assert npm_pinned("vnu-jar") == pinned
    done = subprocess.run(
        [*java_for(VNU), "-jar", str(VNU), "--version"], capture_output=True, text=True, check=False
    )
    assert done.stdout.startswith(pinned), done.stdout + done.stderr


def _targets(page: Path, soup: BeautifulSoup) -> list[tuple[str, Path, str]]:
    """(what, file, fragment) for every local link and resource of a page."""
    found = []
    for tag, attribute in (
        ("a", "href"),
        ("link", "href"),
        ("script", "src"),
        ("img", "src"),
        ("use", "href"),
    ):
        for element in soup.find_all(tag):
            value = element.get(attribute)
            if not value or urlsplit(value).scheme or value.startswith("//"):
                continue
            if tag == "link" and element.get("rel") in (["canonical"], ["schema.DC"]):
                continue
            parts = urlsplit(value)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            found.append((f"<{tag} {attribute}={value!r}>", target, unquote(parts.fragment)))
    return found


def test_every_internal_link_anchor_and_id_reference_resolves(edition_site, pages):
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            ids[path] = {element["id"] for element in soup.find_all(id=True)}
        return ids[path]

    broken, checked = [], 0
    for name in pages:
        page = (edition_site / name).resolve()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for what, target, fragment in _targets(page, soup):
            checked += 1
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{name}: {what} → missing file")
            elif fragment and target.suffix == ".html" and fragment not in ids_of(target):
                broken.append(f"{name}: {what} → no id {fragment!r}")
        for attribute in ID_REFERENCES:
            for element in soup.find_all(attrs={attribute: True}):
                for reference in element[attribute].split():
                    checked += 1
                    if reference not in ids_of(page):
                        broken.append(f"{name}: {attribute}={reference!r} names no element")
    assert checked > 500
    assert broken == [], "\n".join(broken)


def test_no_page_logs_an_error_or_requests_another_host(visits):
    _, recorder = visits
    assert recorder.console_errors == []
    assert recorder.foreign_requests == []


def test_a_request_to_another_host_fails_in_the_browser_and_is_reported(open_page, site):
    page, recorder = open_page("source/introduction.html", 375)
    # The same local server under another name, which the machine resolves: only the browser's
    # rules refuse it.
    url = site.replace("127.0.0.1", "localhost") + "index.html"
    with page.expect_event("requestfailed") as failed:
        outcome = page.evaluate(f"fetch('{url}', {{mode: 'no-cors'}}).then(() => 'loaded', (e) => e.name)")
    assert outcome == "TypeError"
    assert failed.value.failure == "net::ERR_NAME_NOT_RESOLVED"
    assert recorder.foreign_requests == [url]


@pytest.mark.parametrize("width", [375, 1440])
def test_using_the_text_page_stays_offline_and_error_free(open_page, width):
    page, recorder = open_page("source/text.html", width)
    page.locator("sup.ed-call > a").nth(1).click()
    page.keyboard.press("Escape")
    page.locator("aside.ed-note .ed-related a").first.click()
    page.reload()
    assert recorder.console_errors == []
    assert recorder.foreign_requests == []
