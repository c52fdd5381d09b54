"""Every mistake an editor can make stops the build with a message naming the file and line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAD = """.. ed:text:: original.txt
   :sha256: 2c04f50d34ec14fad1db8bc1d61b5eb9707a290d53208819bf25846eef4baf15

"""
NOTE_LINE = 4  # the first note directive after HEAD


def note(label: str = "1.1", body: str = "Why it is wrong.", **options: str) -> str:
    options = {"paragraph": "1", "lemma": "sat on the mat", "category": "vague"} | options
    lines = [f".. ed:note:: {label}"] + [f"   :{k}: {v}" for k, v in options.items() if v is not None]
    return "\n".join(lines) + "\n\n" + "".join(f"   {line}\n" for line in body.splitlines()) + "\n"


def build(srcdir: Path) -> subprocess.CompletedProcess:
    """A plain build, without -W: editorial errors must fail it all the same."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(srcdir), str(srcdir / "_build")]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def assert_fails(srcdir: Path, *expected: str, line: int | None = NOTE_LINE, file: str = "index.rst") -> str:
    done = build(srcdir)
    assert done.returncode != 0, done.stderr
    assert f"{srcdir / file}:{line}: ERROR:" in done.stderr, done.stderr
    for text in expected:
        assert text in done.stderr, done.stderr
    return done.stderr


def test_a_good_project_builds(project):
    done = build(project())
    assert done.returncode == 0, done.stderr
    assert "ERROR" not in done.stderr


def test_lemma_not_found(project):
    assert_fails(
        project(HEAD + note(lemma="sat on the hat")),
        "note 1.1: lemma 'sat on the hat' is not in the paragraph",
    )


def test_lemma_found_twice_asks_for_context(project):
    assert_fails(project(HEAD + note(lemma="sat on")), "occurs 2 times", "give a longer :context:")


def test_lemma_not_in_its_context(project):
    assert_fails(
        project(HEAD + note(lemma="mat", context="The dog")), "lemma 'mat' is not in its context 'The dog'"
    )


def test_unknown_category(project):
    assert_fails(project(HEAD + note(category="wrongness")), "unknown category 'wrongness'", "factual-error")


def test_missing_option(project):
    assert_fails(project(HEAD + note(category=None)), "note 1.1 lacks :category:")


def test_no_such_paragraph(project):
    assert_fails(project(HEAD + note(paragraph="9")), "there is no paragraph 9 (the text has 3)")


def test_empty_body(project):
    source = HEAD + ".. ed:note:: 1.1\n   :paragraph: 1\n   :lemma: mat\n   :category: vague\n"
    assert_fails(project(source), "note 1.1 has an empty body")


def test_invalid_label(project):
    assert_fails(project(HEAD + note(label="1/1")), "note label '1/1' is not valid")


def test_duplicate_label(project):
    second = note(lemma="The dog")
    srcdir = project(HEAD + note() + second)
    assert_fails(
        srcdir, "duplicate note label '1.1'", f"already used at {srcdir}/index.rst:4", line=NOTE_LINE + 7
    )


def test_duplicate_label_across_documents_in_a_parallel_build(project):
    srcdir = project(HEAD + note(), **{"other__rst": HEAD + note(lemma="The dog")})
    (srcdir / "index.rst").write_text(HEAD + note() + "\n.. toctree::\n\n   other\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-q",
        "-j",
        "2",
        str(srcdir),
        str(srcdir / "_build"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "duplicate note label '1.1'" in done.stderr, done.stderr


def test_reference_to_unknown_note(project):
    assert_fails(
        project(HEAD + note(body="See :ed:note:`7.7`.")),
        "reference to unknown note '7.7'",
        line=NOTE_LINE + 5,
    )


def test_related_to_unknown_note(project):
    assert_fails(project(HEAD + note(related="4.4")), "note 1.1 names as related unknown note '4.4'")


def test_contradiction_without_conflicting_note(project):
    assert_fails(
        project(HEAD + note(category="contradiction")),
        "contradiction note 1.1 conflicts with no other note",
        "with :conflicts:",
    )


def test_contradiction_only_related_to_another_note(project):
    source = HEAD + note(category="contradiction", related="1.2") + note(label="1.2", lemma="The dog")
    assert_fails(project(source), "contradiction note 1.1 conflicts with no other note")


def test_conflict_with_unknown_note(project):
    assert_fails(project(HEAD + note(conflicts="4.4")), "note 1.1 names as in conflict unknown note '4.4'")


def test_conflict_with_itself(project):
    assert_fails(
        project(HEAD + note(category="contradiction", conflicts="1.1")), "note 1.1 conflicts with itself"
    )


def test_crossing_spans(project):
    source = HEAD + note(lemma="cat sat") + note(label="1.2", lemma="sat on the mat")
    assert_fails(
        project(source), "note 1.2: its lemma partly overlaps the lemma of note 1.1", line=NOTE_LINE + 7
    )


def test_original_changed_by_one_character(project):
    srcdir = project(HEAD + note())
    original = srcdir / "original.txt"
    original.write_text(original.read_text(encoding="utf-8").replace("mat.", "mat!"), encoding="utf-8")
    assert_fails(srcdir, "does not match its :sha256:", line=1)


def test_note_before_the_text(project):
    assert_fails(project(note() + HEAD), "note 1.1 comes before any ed:text directive", line=1)


def registry(**labels: dict) -> str:
    return json.dumps({"labels": labels}, indent=2)


def test_published_label_missing(project):
    entry = {"paragraph": 1, "lemma": "sat on the mat"}
    srcdir = project(
        HEAD + note(),
        registry__json=registry(**{"1.1": entry, "2.1": {"paragraph": 2, "lemma": "the latter"}}),
    )
    (srcdir / "conf.py").write_text(
        (srcdir / "conf.py").read_text() + 'apparatus_registry = "registry.json"\n'
    )
    assert_fails(srcdir, "published note 2.1 is missing", "mark it :withdrawn:", file="registry.json", line=7)


def test_published_label_moved(project):
    srcdir = project(
        HEAD + note(lemma="The dog"),
        registry__json=registry(**{"1.1": {"paragraph": 1, "lemma": "sat on the mat"}}),
    )
    (srcdir / "conf.py").write_text(
        (srcdir / "conf.py").read_text() + 'apparatus_registry = "registry.json"\n'
    )
    assert_fails(srcdir, "published note 1.1 has moved", "registry says ¶1 'sat on the mat'")


def test_errors_persist_in_an_incremental_build(project):
    srcdir = project(HEAD + note(lemma="sat on the hat"))
    assert build(srcdir).returncode != 0
    done = build(srcdir)  # nothing changed: the problem is still there and still fails the build
    assert done.returncode != 0
    assert "lemma 'sat on the hat' is not in the paragraph" in done.stderr


@pytest.mark.parametrize("flags", [[], ["-W", "--keep-going"]])
def test_errors_fail_with_and_without_warnings_as_errors(project, flags):
    srcdir = project(HEAD + note(category="nope"))
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", *flags, str(srcdir), str(srcdir / "_b")]
    assert subprocess.run(command, capture_output=True, check=False).returncode != 0
