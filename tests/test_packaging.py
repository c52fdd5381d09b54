"""The extension as other editors get it: a wheel with every static file and template, installed
into a fresh virtual environment, whose quickstart writes a new edition of another text that
builds as a site and a PDF with warnings as errors, with nothing of this edition in it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import PREVIEW_ENVIRONMENT, ROOT

from apparatus.quickstart import main as quickstart
from apparatus.text import load_text

OWL = (
    "The Owl and the Lamp\n\n"
    'An owl once kept a lamp in an oak. "Light," it said, "is for those who cannot see."\n\n'
    "The lamp went out in the rain -- and the owl saw as well as before...\n"
)
# What this edition is about and who makes it: none of it may reach another edition.
THIS_EDITION = re.compile(r"Russia|China|russia-china|The Editors|note 4\.3|paragraph 4\b")


# The fresh environment's Python caches the bytecode of what it imports, as Python does unless
# told not to: the quickstart and the two builds would otherwise each compile Sphinx, docutils
# and WeasyPrint from source again (pip installs them without bytecode, for speed).
FRESH_ENVIRONMENT = {
    name: value for name, value in PREVIEW_ENVIRONMENT.items() if name != "PYTHONDONTWRITEBYTECODE"
}


def run(*command: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, env=FRESH_ENVIRONMENT
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="session")
def wheel(made_once: Callable[..., Path]) -> Path:
    """The wheel, built once per run: setuptools builds in the project's own build/ folder,
    which two builds at once would take from each other."""
    outdir = made_once(
        "wheel", lambda folder: run(sys.executable, "-m", "build", "--wheel", "--outdir", folder, ROOT)
    )
    (built,) = outdir.glob("sphinx_apparatus-*.whl")
    return built


def test_the_wheel_carries_every_static_file_and_template(wheel):
    packaged = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "apparatus"
    data = [
        path.relative_to(ROOT).as_posix()
        for path in package.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    ]
    assert data and set(data) <= packaged, set(data) - packaged
    metadata = zipfile.ZipFile(wheel).read(next(n for n in packaged if n.endswith("METADATA"))).decode()
    assert "Name: sphinx-apparatus" in metadata
    for extra in ("web", "pdf", "exports"):
        assert f"Provides-Extra: {extra}" in metadata


# Where the machine has memory as a file system (tmpfs) with room, the fresh environment goes
# there: its 17,000 files, written once and removed, cost a quarter of the system time they
# take on a journaled disk (pip 14 against 9 s here).
MEMORY = Path("/dev/shm")


def in_memory_if_room(fallback: Path) -> Path:
    room = MEMORY.is_dir() and os.access(MEMORY, os.W_OK) and shutil.disk_usage(MEMORY).free > 1 << 30
    return MEMORY if room else fallback


@pytest.fixture
def venv(tmp_path: Path) -> Iterator[Path]:
    """A place for a fresh virtual environment, removed after the test: left behind on disk, its
    files would be deleted by pytest at the end of a later run, with nothing else to do beside it."""
    with tempfile.TemporaryDirectory(prefix="fresh-venv-", dir=in_memory_if_room(tmp_path)) as folder:
        yield Path(folder) / "venv"


def test_a_fresh_environment_installs_the_wheel_and_its_quickstart_edition_builds(wheel, venv, tmp_path):
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    # The same versions as the project's own environment (requirements.txt as constraints).
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-compile",
        "--disable-pip-version-check", "-c", ROOT / "requirements.txt", f"{wheel}[all]", "furo")  # fmt: skip
    original = tmp_path / "owl.txt"
    original.write_text(OWL, encoding="utf-8")
    edition = tmp_path / "owl"
    run(python, "-m", "apparatus", "new", edition, "--text", original, "--title", "The Owl and the Lamp: an edition",
        "--editor", "Owl Society", cwd=tmp_path)  # fmt: skip
    for builder in ("html", "editionpdf"):
        run(python, "-m", "sphinx", "-b", builder, "-W", "--keep-going", "-n", "-d", tmp_path / f"doctrees-{builder}",
            edition, edition / "_build" / builder, cwd=tmp_path)  # fmt: skip
    site, pdf = edition / "_build" / "html", edition / "_build" / "editionpdf"
    assert (pdf / "edition.pdf").read_bytes().startswith(b"%PDF")
    assert (edition / "source" / "owl.txt").read_bytes() == original.read_bytes()
    text = BeautifulSoup((site / "source" / "text.html").read_text(encoding="utf-8"), "html.parser")
    shown = [p.get_text() for p in text.select(".ed-par .ed-text")]
    assert shown == [paragraph.text for paragraph in load_text(original).paragraphs]
    readable = [site / "index.html", site / "source" / "text.html", pdf / "edition.html"]
    readable += [site / name for name in ("notes.json", "annotations.jsonld", "edition.xml")]
    for path in readable:
        body = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            body = BeautifulSoup(body, "html.parser").get_text()
        assert not THIS_EDITION.search(body), (path, THIS_EDITION.search(body))


def test_the_quickstart_refuses_to_write_over_a_project(tmp_path, capsys):
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    original = tmp_path / "owl.txt"
    original.write_text(OWL, encoding="utf-8")
    assert quickstart(["new", str(tmp_path), "--text", str(original), "--title", "Owls"]) == 2
    assert "is not empty" in capsys.readouterr().err
