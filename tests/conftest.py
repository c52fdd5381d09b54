"""Shared fixtures: tiny projects under tests/roots (sphinx.testing), and the real edition."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from apparatus.metadata import Edition, parse_name

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


def sphinx_build(
    srcdir: Path, outdir: Path, builder: str = "html", *extra: str
) -> subprocess.CompletedProcess:
    """Run sphinx-build as the Makefile does (warnings are errors) and return the process."""
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-W", "--keep-going", "-n", *extra]
    return subprocess.run([*command, str(srcdir), str(outdir)], capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def edition_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real edition, built once for the whole session, in parallel as `make html` does."""
    outdir = tmp_path_factory.mktemp("edition") / "html"
    done = sphinx_build(ROOT, outdir, "html", "-j", "auto", "-d", str(outdir.parent / "doctrees"))
    assert done.returncode == 0, done.stderr
    return outdir


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
