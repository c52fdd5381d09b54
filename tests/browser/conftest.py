"""The real edition in a real browser: Debian's Chromium driven by Playwright, offline.

The site is built once as `make edition` leaves it (``edition_site``, tests/conftest.py), served on 127.0.0.1 by a local http.server, and every page is visited at a
phone's width and a desktop's, in light and dark mode. Each visit records what the tests check (axe-core violations, console errors, requests
that left the machine) and leaves a screenshot in _build/screenshots/ for review.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request

from benchmarks.lighthouse import served
from tests.conftest import AXE_CORE, ROOT

SCREENSHOTS = ROOT / "_build" / "screenshots"
# A screenshot of each visit's first screen, or of the whole page with EDITION_FULL_SCREENSHOTS=1.
FULL_SCREENSHOTS = os.environ.get("EDITION_FULL_SCREENSHOTS") == "1"
WIDTHS = {"phone": 375, "desktop": 1440}
SCHEMES = ("light", "dark")
LOCAL_HOSTS = {"127.0.0.1"}


@pytest.fixture(scope="session")
def site(edition_site: Path) -> Iterator[str]:
    """The built edition served on the loopback interface; yields its base URL."""
    with served(edition_site) as url:
        yield url


@pytest.fixture(scope="session")
def pages(edition_site: Path) -> list[str]:
    """Every HTML page of the site, as paths relative to its root."""
    found = [
        path.relative_to(edition_site).as_posix()
        for path in edition_site.rglob("*.html")
        if not {"_static", "_sources", "_images"} & set(path.relative_to(edition_site).parts)
    ]
    assert "source/text.html" in found
    # The notes' own pages share one template: the fullest of them stands for them all.
    notes = [name for name in found if name.startswith("notes/")]
    found = [name for name in found if not name.startswith("notes/")]
    if notes:
        found.append(max(notes, key=lambda name: (edition_site / name).stat().st_size))
    return sorted(found)


@functools.cache
def axe_script() -> str:
    assert AXE_CORE.is_file(), f"{AXE_CORE} is missing: run tools/bootstrap.sh test (npm ci)"
    return AXE_CORE.read_text(encoding="utf-8")


RESULT_KINDS = ("passes", "violations", "inapplicable", "incomplete")


# Starts axe without waiting for it: the promise is left on the page, to be awaited later.
# Two animation frames first, so that the reading script has laid out the notes, and the end of
# any transition (colours change in one when the mode is switched).
AXE_START = """() => {
  const frame = () => new Promise((done) => requestAnimationFrame(done));
  const settled = () => Promise.all(document.getAnimations().map((a) => a.finished));
  window.edAxe = frame().then(frame).then(settled).then(() => axe.run(document, {resultTypes: ['violations']}));
}"""


def axe_results(page: Page) -> dict:
    """axe-core's results for the page as it is now; the script is injected once per document."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_script())
    return page.evaluate("axe.run(document, {resultTypes: ['violations']})")


@dataclass
class Recorder:
    """What a page did: errors it logged and requests to another host, which fail (no other
    host resolves, see CHROMIUM_FLAGS). Requests are observed, not intercepted: intercepting
    each costs a round trip to the test for every file a page loads."""

    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def watch(self, context: BrowserContext, page: Page) -> None:
        context.on("request", self._request)
        page.on("console", lambda message: self._console(message.type, message.text, page.url))
        page.on("pageerror", lambda error: self.console_errors.append(f"{page.url}: {error}"))
        page.on("response", lambda response: self._response(response.status, response.url, page.url))

    def _console(self, kind: str, text: str, url: str) -> None:
        if kind == "error":
            self.console_errors.append(f"{url}: {text}")

    def _response(self, status: int, url: str, page_url: str) -> None:
        if status >= 400:
            self.console_errors.append(f"{page_url}: {url} answered {status}")

    def _request(self, request: Request) -> None:
        url = urlsplit(request.url)
        if url.scheme not in {"data", "blob"} and url.hostname not in LOCAL_HOSTS:
            self.foreign_requests.append(request.url)


def new_context(browser: Browser, width: int, scheme: str = "light", **options: object) -> BrowserContext:
    return browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, **options)


@pytest.fixture
def open_page(browser: Browser, site: str):
    """open_page(path, width, scheme) -> (page, recorder); each call gets a fresh context."""
    contexts: list[BrowserContext] = []

    def make(path: str, width: int, scheme: str = "light", **options: object) -> tuple[Page, Recorder]:
        context = new_context(browser, width, scheme, **options)
        contexts.append(context)
        page = context.new_page()
        recorder = Recorder()
        recorder.watch(context, page)
        page.goto(site + path)
        page.wait_for_load_state("load")
        return page, recorder

    yield make
    for context in contexts:
        context.close()


@dataclass
class Visit:
    path: str
    width: int
    scheme: str
    violations: list[dict]
    rules: set[str]  # every rule axe ran, whatever its outcome
    screenshot: Path
    background: str  # the body's computed background colour


@pytest.fixture(scope="session")
def visits(browser: Browser, site: str, pages: list[str]) -> tuple[list[Visit], Recorder]:
    """Every page at both widths in both modes: axe-core's findings and a screenshot of each.

    One tab per width, each page opened in it once, with axe injected once: light mode, then
    dark, switched in place as a reader's system switches it (the edition's colours are CSS
    only). axe runs in both tabs at once (each tab has its own renderer process), so the
    machine's cores share the work."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    recorder = Recorder()
    tabs: dict[str, Page] = {}
    for name, width in WIDTHS.items():
        context = new_context(browser, width)
        tabs[name] = context.new_page()
        recorder.watch(context, tabs[name])
    done = []
    for path in pages:
        for tab in tabs.values():
            tab.emulate_media(color_scheme=SCHEMES[0])
            tab.goto(site + path)
            tab.wait_for_load_state("load")
            tab.evaluate(axe_script())
        for scheme in SCHEMES:
            for tab in tabs.values():
                tab.emulate_media(color_scheme=scheme)
                tab.evaluate(AXE_START)
            for name, tab in tabs.items():
                results = tab.evaluate("window.edAxe")
                rules = {rule["id"] for kind in RESULT_KINDS for rule in results[kind]}
                shot = SCREENSHOTS / f"{path.replace('/', '-').removesuffix('.html')}-{name}-{scheme}.png"
                tab.screenshot(path=str(shot), full_page=FULL_SCREENSHOTS)
                background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
                done.append(Visit(path, WIDTHS[name], scheme, results["violations"], rules, shot, background))
    for tab in tabs.values():
        tab.context.close()
    return done, recorder
