"""Shared fixtures: tiny projects under tests/roots (sphinx.testing), and the real edition.

Every test edition is built once per test run, whichever worker asks first: under pytest-xdist
the workers of one run share a folder (the parent of their base temporary folders), and a file
lock makes the others wait for the build instead of repeating it. Built folders are read-only
by convention: a test that changes a project copies it first.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jinja2
import pytest
from bs4 import BeautifulSoup
from filelock import FileLock
from playwright.sync_api import Browser, sync_playwright
from sphinx.jinja2glue import BuiltinTemplateLoader

from apparatus.edition import PUBLISHING_VARIABLES, Edition, parse_name

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"
# The W3C Nu HTML Checker (npm's vnu-jar), which also carries Jing, the RELAX NG validator.
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# axe-core, Deque's accessibility engine, as its npm package ships it for browsers.
AXE_CORE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Debian's build of Chromium's headless shell: the browser's engine without its windows and
# interface, as Playwright runs headless tests (Lighthouse, in benchmarks/, runs the whole browser).
CHROMIUM = "/usr/bin/chromium-headless-shell"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    # No other host resolves, as offline: a page's request to one fails in the browser itself.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


# A checker runs for a few seconds: the JIT's first tier and the serial collector give the same
# report for some 40 % of the CPU time of Java's defaults, made for long-running servers (the Nu
# HTML Checker on the whole site 8.2 against 3.2 core-seconds). First-tier code takes more stack,
# and the checker's schema recurses deeply: a 4 MB stack (it asks for at least 512 kB).
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m")


def npm_pinned(package: str) -> str:
    """The version of an npm package that package-lock.json pins (tools/bootstrap.sh installs it)."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"][f"node_modules/{package}"]["version"]


def java_for(jar: Path) -> list[str]:
    """The command that runs Java for a jar the tests install (tools/bootstrap.sh test): both
    there, or say so."""
    java = shutil.which("java")
    assert java, "Java is needed to run the checkers: run tools/bootstrap.sh test"
    assert jar.is_file(), f"{jar} is missing: run tools/bootstrap.sh test (npm ci)"
    return [java, *JAVA_OPTIONS]


def pytest_itemcollected(item: pytest.Item) -> None:
    """Every test that drives the browser runs in one worker, so that one browser serves them all."""
    if "browser" in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.xdist_group("browser"))


# The real edition's builds, from the quickest to the slowest (the PDF sets on one core).
EDITION_FIXTURES = ("edition_html", "edition_pdf", "edition_site")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests of the real edition come last, those of its PDF after those of its HTML: while
    one worker builds it, the other runs the tests that need none of it instead of waiting.
    pytest-xdist still hands out the browser tests first, as the largest group."""

    def needs(item: pytest.Item) -> int:
        used = getattr(item, "fixturenames", ())
        return max((rank for rank, name in enumerate(EDITION_FIXTURES, 1) if name in used), default=0)

    items.sort(key=needs)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates, in memory: Jinja checks each against its source's checksum."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="session", autouse=True)
def templates_compiled_once() -> Iterator[None]:
    """The in-process test builds (some 180) share their compiled templates, as one Sphinx
    process does: each new app would compile its theme's templates again (a sixth of the time
    of test_errors.py, test_domain.py, test_reading_markup.py and test_apparatus.py).
    One cache per set of Jinja extensions, which change what a template compiles to."""
    caches: dict[tuple[str, ...], CompiledTemplates] = {}
    init = BuiltinTemplateLoader.init

    def init_with_cache(self: BuiltinTemplateLoader, *args: object, **options: object) -> None:
        init(self, *args, **options)  # type: ignore[arg-type]
        extensions = tuple(sorted(self.environment.extensions))
        self.environment.bytecode_cache = caches.setdefault(extensions, CompiledTemplates())

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BuiltinTemplateLoader, "init", init_with_cache)
        yield


# Test builds are local previews wherever the tests run (GitHub Actions and Read the Docs
# included): their URLs come from the projects' own conf.py, not from the machine.
PREVIEW_ENVIRONMENT = {
    name: value for name, value in os.environ.items() if name not in {*PUBLISHING_VARIABLES, "GITHUB_ACTIONS"}
}


def sphinx_build(
    srcdir: Path, outdir: Path, builder: str = "html", *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run sphinx-build as the Makefile does (warnings are errors) and return the process."""
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-W", "--keep-going", "-n", *extra]
    return subprocess.run(
        [*command, str(srcdir), str(outdir)],
        capture_output=True,
        text=True,
        check=False,
        env=env or PREVIEW_ENVIRONMENT,
    )


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A folder shared by every worker of this test run."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def made_once(shared_dir: Path) -> Callable[[str, Callable[[Path], object]], Path]:
    """made_once(name, make) -> the folder shared_dir/name, which make(folder) fills once per run,
    whichever worker asks first (the others wait on a file lock). make() fills a folder of its
    own, renamed only once it returns: a failed attempt leaves nothing to be taken as done."""

    def once(name: str, make: Callable[[Path], object]) -> Path:
        done = shared_dir / name
        with FileLock(str(shared_dir / f"{name}.lock")):
            if not done.exists():
                work = shared_dir / f"{name}.partial"
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir()
                make(work)
                work.rename(done)
        return done

    return once


@pytest.fixture(scope="session")
def built_once(made_once: Callable[[str, Callable[[Path], object]], Path]) -> Callable[..., Path]:
    """built_once(name, srcdir, builder, *options) -> the output folder, built once per run."""

    def build(name: str, srcdir: Path, builder: str = "html", *options: str) -> Path:
        def make(folder: Path) -> None:
            done = sphinx_build(srcdir, folder / builder, builder, "-d", str(folder / "doctrees"), *options)
            assert done.returncode == 0, done.stderr

        return made_once(name, make) / builder

    return build


@functools.lru_cache(maxsize=256)
def page(outdir: Path, name: str) -> BeautifulSoup:
    """A page of a built site, parsed once (built folders are read-only)."""
    return BeautifulSoup((outdir / name).read_text(encoding="utf-8"), "html.parser")


def note_page(outdir: Path, label: str) -> BeautifulSoup:
    return page(outdir, f"notes/{label}.html")


# The real edition, built in parallel as `make html` and `make pdf` do.
EDITION_HTML = ("edition-html", ROOT, "html", "-j", "auto")
EDITION_PDF = ("edition-pdf", ROOT, "editionpdf", "-j", "auto")


@pytest.fixture(scope="session")
def edition_html(built_once: Callable[..., Path]) -> Path:
    return built_once(*EDITION_HTML)


@pytest.fixture(scope="session")
def edition_pdf(built_once: Callable[..., Path]) -> Path:
    return built_once(*EDITION_PDF) / "edition.pdf"


@pytest.fixture(scope="session")
def edition_site(built_once: Callable[..., Path], made_once: Callable[..., Path]) -> Path:
    """The site as `make edition` leaves it: the HTML build, with the PDF at its root. The two
    builds run side by side, since the browser tests wait for both."""
    with ThreadPoolExecutor(2) as pool:
        html, pdf = pool.map(lambda build: built_once(*build), [EDITION_HTML, EDITION_PDF])

    def make(folder: Path) -> None:
        shutil.copytree(html, folder / "html")
        shutil.copy2(pdf / "edition.pdf", folder / "html")

    return made_once("edition-site", make) / "html"


@pytest.fixture(scope="session")
def browser(shared_dir: Path, worker_id: str) -> Iterator[Browser]:
    """Debian's Chromium, one instance for every browser test of the run (see the hook above)."""
    launched_in = shared_dir / "browser-worker"
    with FileLock(str(shared_dir / "browser.lock")):
        other = launched_in.read_text() if launched_in.exists() else worker_id
        assert other == worker_id, (
            f"the browser tests run in workers {other} and {worker_id}: pytest-xdist's loadgroup "
            "did not group them (a pytest release that xdist does not support?)"
        )
        launched_in.write_text(worker_id)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def project(tmp_path: Path):
    """A copy of tests/roots/test-basic to change and build: project(index=..., files=...)."""

    def make(index: str | None = None, **files: str) -> Path:
        srcdir = tmp_path / "src"
        shutil.copytree(ROOTS / "test-basic", srcdir)
        if index is not None:
            (srcdir / "index.rst").write_text(index, encoding="utf-8")
        for name, content in files.items():
            (srcdir / name.replace("__", ".")).write_text(content, encoding="utf-8")
        return srcdir

    return make


def owls_edition(
    editors: tuple[str, ...] = ("Doe, Jane", "Roe, Richard"), publisher: str = "Owl Press"
) -> Edition:
    """A small invented edition for citation tests."""
    return Edition(
        title="Are owls wise? A critical edition",
        editors=tuple(parse_name(name) for name in editors),
        publisher=publisher,
        version="2.1",
        date="2026-03-05",
        language="en",
        license="CC-BY-4.0",
        subject="",
        keywords=(),
        base_url="https://owls.example.org/",
        pdf_url="",
    )
