"""The extension checks the settings it depends on: an edition statement with what the outputs
print, and an absolute base URL for permalinks."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOTS
from sphinx.errors import ConfigError


def copy(tmp_path, root: str = "test-basic"):
    shutil.copytree(ROOTS / root, tmp_path / "src")
    return tmp_path / "src"


@pytest.mark.parametrize("layer", ["apparatus.web", "apparatus.pdf"])
def test_a_statement_without_title_editors_or_date_stops_the_build_naming_them(make_app, tmp_path, layer):
    overrides = {"extensions": ["apparatus", layer], "apparatus_edition": {"title": "Owls"}}
    with pytest.raises(ConfigError, match=r"apparatus_edition in conf\.py lacks editors, date: citations"):
        make_app("html", srcdir=copy(tmp_path), confoverrides=overrides)


@pytest.mark.parametrize(
    "editor",
    [{"name": "Owl Board", "in-text": "the Owl Board"}, {"family": "Doe", "name": "X"}, {"given": "Jane"}],
)
def test_an_editor_of_unknown_form_stops_the_build_naming_it(make_app, tmp_path, editor):
    statement = {"title": "Owls", "editors": [editor], "date": "2026-03-05"}
    with pytest.raises(
        ConfigError, match=r"apparatus_edition in conf\.py: the editor .* is neither a person"
    ):
        make_app("html", srcdir=copy(tmp_path), confoverrides={"apparatus_edition": statement})


def test_the_core_alone_needs_no_statement(make_app, tmp_path):
    app = make_app(
        "html", srcdir=copy(tmp_path), confoverrides={"extensions": ["apparatus"], "apparatus_edition": {}}
    )
    app.build()
    assert app.warning.getvalue() == ""


def test_relative_permalinks_are_warned_of(make_app, tmp_path):
    app = make_app("html", srcdir=copy(tmp_path), confoverrides={"html_baseurl": ""})
    app.build()
    assert "html_baseurl is not set: permalinks and citations would be relative" in app.warning.getvalue()


def test_notes_files_are_never_read_as_pages_of_their_own(make_app, tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-exports", srcdir)
    text = (srcdir / "text.rst").read_text(encoding="utf-8")
    head, notes = text.split("\n.. ed:note::", 1)
    (srcdir / "notes").mkdir()
    (srcdir / "notes" / "all.rst").write_text(".. ed:note::" + notes, encoding="utf-8")
    (srcdir / "text.rst").write_text(head + "\n.. include:: notes/all.rst\n", encoding="utf-8")
    app = make_app("html", srcdir=srcdir)  # the project's exclude_patterns do not name notes/
    app.build()
    assert app.warning.getvalue() == ""
    assert "notes/all" not in app.env.found_docs
    assert not (app.outdir / "notes" / "all.html").exists()
    assert (app.outdir / "text.html").read_text(encoding="utf-8").count('class="ed-note') >= 5
