"""Every mistake an editor can make stops the build with a message naming the file and line.

The builds run in process (sphinx.testing) and without -W: editorial errors must fail them all
the same. An exception raised by a build fails the test, so every case also proves that the
build stopped without a traceback. One test runs the real command line, with and without -W.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sphinx.util.console import strip_escape_sequences

from tests.conftest import PREVIEW_ENVIRONMENT, ROOT, ROOTS

HEAD = """.. ed:text:: original.txt
   :sha256: 2c04f50d34ec14fad1db8bc1d61b5eb9707a290d53208819bf25846eef4baf15

"""
NOTE_LINE = 4  # the first note directive after HEAD
REGISTRY_CONF = 'apparatus_registry = "registry.json"\n'


def note(label: str = "1.1", body: str = "Why it is wrong.", **options: str | None) -> str:
    options = {"paragraph": "1", "lemma": "sat on the mat", "category": "vague"} | options
    lines = [f".. ed:note:: {label}"] + [f"   :{k}: {v}" for k, v in options.items() if v is not None]
    return "\n".join(lines) + "\n\n" + "".join(f"   {line}\n" for line in body.splitlines()) + "\n"


@dataclass
class Built:
    status: int
    log: str  # warnings and errors, without colours
    info: str  # the status messages
    outdir: Path

    def problems(self) -> list[str]:
        """The lines of the summary of editorial problems at the end of the build."""
        return re.findall(r"^ERROR:   (.*)$", self.log, re.MULTILINE)


Build = Callable[..., Built]


@pytest.fixture
def build(make_app) -> Build:
    def run(srcdir: Path, builder: str = "html", **options: object) -> Built:
        app = make_app(builder, srcdir=srcdir, **options)
        app.build()
        app.cleanup()  # the next build of the same test starts from a clean slate
        log = strip_escape_sequences(app.warning.getvalue())
        return Built(app.statuscode, log, strip_escape_sequences(app.status.getvalue()), app.outdir)

    return run


def assert_fails(
    built: Built,
    srcdir: Path,
    *expected: str,
    line: int = NOTE_LINE,
    file: str = "index.rst",
    count: int = 1,
    level: str = "ERROR",
) -> None:
    """The build failed with the message at file:line, and the summary lists it (and only
    ``count`` problems: one cause is reported once)."""
    where = f"{srcdir / file}:{line}"
    assert built.status != 0, built.log
    assert f"{where}: {level}:" in built.log, built.log
    summary = [problem for problem in built.problems() if problem.startswith(f"{where}: ")]
    for text in expected:
        assert text in built.log, built.log
        assert any(text in problem for problem in summary), built.log
    assert len(built.problems()) == count, built.log


def with_registry(srcdir: Path, **labels: dict) -> Path:
    (srcdir / "registry.json").write_text(json.dumps({"labels": labels}, indent=2), encoding="utf-8")
    (srcdir / "conf.py").write_text((srcdir / "conf.py").read_text() + REGISTRY_CONF)
    return srcdir


def test_a_good_project_builds(project, build):
    built = build(project())
    assert built.status == 0, built.log
    assert "ERROR" not in built.log


# -- anchoring ----------------------------------------------------------------------------


def test_lemma_not_found_says_how_far_it_matches(project, build):
    srcdir = project(HEAD + note(lemma="sat on the hat"))
    assert_fails(
        build(srcdir),
        srcdir,
        "note 1.1: lemma 'sat on the hat' is not in the paragraph; it matches up to 'sat on the ', "
        "after which the paragraph has 'mat.",
        "(¶1: 'The cat sat on the mat. The dog sat on the cat.')",
    )


@pytest.mark.parametrize(
    ("lemma", "passage", "slip"),
    [("the Cat sat", "The cat sat", "letter case"), ("sat  on the mat", "sat on the mat", "spacing")],
)
def test_lemma_near_miss_names_the_passage_and_the_difference(project, build, lemma, passage, slip):
    srcdir = project(HEAD + note(lemma=lemma))
    assert_fails(build(srcdir), srcdir, f"the nearest passage is {passage!r}, which differs in {slip}")


def test_lemma_in_another_paragraph_says_which(project, build):
    srcdir = project(HEAD + note(lemma="the latter"))
    assert_fails(build(srcdir), srcdir, "it is in ¶2: correct :paragraph:")


def test_lemma_found_twice_asks_for_context(project, build):
    srcdir = project(HEAD + note(lemma="sat on"))
    assert_fails(build(srcdir), srcdir, "occurs 2 times", "give a longer :context:")


def test_lemma_not_in_its_context(project, build):
    srcdir = project(HEAD + note(lemma="mat", context="The dog"))
    assert_fails(build(srcdir), srcdir, "lemma 'mat' is not in its context 'The dog'")


def test_crossing_spans(project, build):
    srcdir = project(HEAD + note(lemma="cat sat") + note(label="1.2", lemma="sat on the mat"))
    assert_fails(
        build(srcdir), srcdir, "note 1.2: its lemma partly overlaps the lemma of note 1.1", line=NOTE_LINE + 7
    )


# -- options ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"lemma": ""}, "note 1.1: :lemma: is empty"),
        ({"paragraph": "0"}, "note 1.1: :paragraph: must be a paragraph number (1, 2, ...), not '0'"),
        ({"paragraph": "abc"}, "note 1.1: :paragraph: must be a paragraph number (1, 2, ...), not 'abc'"),
        ({"lemmma": "mat"}, "note 1.1: unknown option :lemmma:; did you mean :lemma:?"),
        ({"category": None}, "note 1.1 lacks :category:"),
        ({"paragraph": "9"}, "there is no paragraph 9 (the text has 3)"),
        ({"category": "wrongness"}, "unknown category 'wrongness'; use one of: contradiction, factual-error"),
        ({"category": "contradicton"}, "unknown category 'contradicton'; did you mean contradiction?"),
        ({"category": "Contradiction"}, "unknown category 'Contradiction'; did you mean contradiction?"),
        ({"related": "1.1"}, "note 1.1 names itself in :related:; a note is never linked to itself"),
        ({"conflicts": "1.1", "category": "contradiction"}, "note 1.1 names itself in :conflicts:"),
        ({"related": "1.2 1.3", "conflicts": "1.3"}, "note 1.1 names 1.3 both as related and in conflict"),
        ({"withdrawn": ""}, "note 1.1: :withdrawn: is empty"),
    ],
)
def test_option_errors_are_editorial_problems(project, build, options, message):
    srcdir = project(HEAD + note(**options))
    assert_fails(build(srcdir), srcdir, message)


@pytest.mark.parametrize("label", ["4.3a", "x", "1.9.1.2", "1.09", "01.1", "1.0"])
def test_labels_follow_the_rule(project, build, label):
    srcdir = project(HEAD + note(label=label))
    assert_fails(
        build(srcdir),
        srcdir,
        f"note label {label!r} breaks the edition's label rule: use the paragraph's number, a dot and "
        "the next free number, without leading zeros, e.g. 1.1",
    )


def test_a_label_names_its_own_paragraph(project, build):
    srcdir = project(HEAD + note(label="2.12"))
    assert_fails(build(srcdir), srcdir, "note 2.12 is on ¶1, but its label names ¶2")


def test_an_edition_can_number_otherwise(project, build):
    srcdir = project(HEAD + note(label="a1"))
    assert build(srcdir, confoverrides={"apparatus_label_pattern": "[a-z][0-9]+"}).status == 0
    assert_fails(
        build(srcdir, confoverrides={"apparatus_label_pattern": "[0-9]+"}), srcdir, "pattern '[0-9]+'"
    )


def test_invalid_label(project, build):
    srcdir = project(HEAD + note(label="1/1"))
    assert_fails(build(srcdir), srcdir, "note label '1/1' is not valid")


# -- bodies -------------------------------------------------------------------------------


def test_empty_body(project, build):
    srcdir = project(HEAD + ".. ed:note:: 1.1\n   :paragraph: 1\n   :lemma: mat\n   :category: vague\n")
    assert_fails(build(srcdir), srcdir, "note 1.1 has an empty body")


def test_a_body_that_renders_empty_is_empty(project, build):
    srcdir = project(HEAD + note(body=".. only a comment, which no reader sees"))
    assert_fails(build(srcdir), srcdir, "note 1.1 has an empty body (nothing of it is shown)")


def test_raw_html_in_a_note_is_refused(project, build):
    body = "Fine words.\n\n.. raw:: html\n\n   <script>alert(1)</script><b onmouseover='x()'>b</b>"
    srcdir = project(HEAD + note(body=body))
    built = build(srcdir)
    assert_fails(built, srcdir, "note 1.1 injects raw html markup", line=NOTE_LINE + 7)
    assert "alert(1)" not in (built.outdir / "index.html").read_text(encoding="utf-8")


def test_a_raw_role_in_a_note_is_refused(project, build):
    role = ".. role:: html(raw)\n   :format: html\n\n"
    srcdir = project(HEAD + role + note(body="Bold :html:`<b onmouseover='x()'>words</b>`."))
    assert_fails(build(srcdir), srcdir, "note 1.1 injects raw html markup", line=NOTE_LINE + 8)


def test_raw_html_anywhere_on_the_text_page_is_refused(project, build):
    srcdir = project(HEAD + note() + ".. raw:: html\n\n   <script>alert(1)</script>\n")
    assert_fails(build(srcdir), srcdir, "raw html markup on a text page", line=NOTE_LINE + 7)


def test_a_link_that_runs_a_script_is_refused(project, build):
    srcdir = project(HEAD + note(body="See `this <javascript:alert(1)>`_."))
    built = build(srcdir)
    assert_fails(built, srcdir, "the link 'javascript:alert(1)' runs a script", line=NOTE_LINE + 5)


# -- links and references -----------------------------------------------------------------


def test_reference_to_unknown_note_names_the_line_of_the_role(project, build):
    srcdir = project(HEAD + note(body="Why it is wrong,\nsee :ed:note:`7.7`."))
    assert_fails(build(srcdir), srcdir, "reference to unknown note '7.7'", line=NOTE_LINE + 6)


def test_related_to_unknown_note(project, build):
    srcdir = project(HEAD + note(related="4.4"))
    assert_fails(build(srcdir), srcdir, "note 1.1 names as related unknown note '4.4'")


def test_conflict_with_unknown_note(project, build):
    srcdir = project(HEAD + note(conflicts="4.4"))
    assert_fails(build(srcdir), srcdir, "note 1.1 names as in conflict unknown note '4.4'")


def test_contradiction_without_conflicting_note(project, build):
    srcdir = project(HEAD + note(category="contradiction"))
    assert_fails(
        build(srcdir), srcdir, "contradiction note 1.1 conflicts with no other note", "with :conflicts:"
    )


def test_contradiction_only_related_to_another_note(project, build):
    srcdir = project(
        HEAD + note(category="contradiction", related="1.2") + note(label="1.2", lemma="The dog")
    )
    assert_fails(build(srcdir), srcdir, "contradiction note 1.1 conflicts with no other note")


def test_a_note_held_back_by_its_own_problem_is_not_also_unknown(project, build):
    source = (
        HEAD + note(category="contradiction", conflicts="1.2") + note("1.2", lemma="The cow", conflicts="1.1")
    )
    srcdir = project(source)
    assert_fails(
        build(srcdir), srcdir, "note 1.2: lemma 'The cow' is not in the paragraph", line=NOTE_LINE + 8
    )


def test_duplicate_label(project, build):
    srcdir = project(HEAD + note() + note(lemma="The dog"))
    assert_fails(
        build(srcdir),
        srcdir,
        "duplicate note label '1.1'",
        f"already used at {srcdir}/index.rst:4",
        line=NOTE_LINE + 7,
    )


def test_duplicate_label_across_documents_in_a_parallel_build(project, build):
    srcdir = project(HEAD + note() + "\n.. toctree::\n\n   other\n", other__rst=HEAD + note(lemma="The dog"))
    built = build(srcdir, parallel=2)
    assert built.status != 0
    assert "duplicate note label '1.1'" in built.log, built.log


def test_note_before_the_text(project, build):
    srcdir = project(note() + HEAD)
    assert_fails(build(srcdir), srcdir, "note 1.1 comes before any ed:text directive", line=1)


# -- notes files ----------------------------------------------------------------------------


def notes_files(project, **files: str) -> Path:
    includes = "".join(f".. include:: notes/{name}\n" for name in files if not name.startswith("_"))
    srcdir = project(HEAD + includes)
    (srcdir / "notes").mkdir()
    for name, content in files.items():
        (srcdir / "notes" / name.removeprefix("_")).write_text(content, encoding="utf-8")
    return srcdir


def test_a_notes_file_that_no_page_includes_is_reported(project, build):
    srcdir = notes_files(
        project, **{"p01.rst": note(), "_p02.rst": note("2.1", lemma="the latter", paragraph="2")}
    )
    assert_fails(
        build(srcdir),
        srcdir,
        "notes file notes/p02.rst is not included by any text page, so its notes are lost: "
        "add `.. include:: notes/p02.rst` to index.rst",
        file="notes/p02.rst",
        line=1,
    )


def test_a_notes_file_that_is_not_utf8_is_named_with_its_line(project, build):
    srcdir = notes_files(project, **{"p01.rst": note()})
    path = srcdir / "notes" / "p01.rst"
    path.write_bytes(path.read_bytes().replace(b"Why it is", b"Why it\xe9s"))
    with_registry(srcdir, **{"1.1": {"paragraph": 1, "lemma": "sat on the mat"}})
    built = build(srcdir)
    assert_fails(built, srcdir, "is not UTF-8: byte 0xE9", "save it as UTF-8", file="notes/p01.rst", line=6)
    assert "UnicodeDecodeError" not in built.log


# -- the original ---------------------------------------------------------------------------


def git(srcdir: Path, *arguments: str) -> None:
    identity = ["-c", "user.name=Editor", "-c", "user.email=editor@example.org"]
    subprocess.run(["git", "-C", str(srcdir), *identity, *arguments], check=True, capture_output=True)


def test_original_changed_by_one_character_says_where(project, build):
    srcdir = project(HEAD + note())
    git(srcdir, "init", "-q")
    git(srcdir, "add", "original.txt")
    git(srcdir, "commit", "-q", "-m", "The original")
    original = srcdir / "original.txt"
    original.write_text(original.read_text(encoding="utf-8").replace("mat.", "mat!"), encoding="utf-8")
    assert_fails(
        build(srcdir),
        srcdir,
        "does not match its :sha256:",
        "the first difference is at character 31 (line 3, column 23): the original has '. The dog sa', "
        "the file has '! The dog sa'",
        line=1,
    )


def test_a_byte_order_mark_is_named(project, build):
    srcdir = project(HEAD + note())
    original = srcdir / "original.txt"
    original.write_text("\ufeff" + original.read_text(encoding="utf-8"), encoding="utf-8")
    assert_fails(
        build(srcdir), srcdir, "the file begins with an invisible byte order mark (BOM, U+FEFF)", line=1
    )


def test_windows_line_endings_are_named(project, build):
    srcdir = project(HEAD + note())
    original = srcdir / "original.txt"
    original.write_bytes(original.read_bytes().replace(b"\n", b"\r\n"))
    assert_fails(
        build(srcdir), srcdir, "the file has Windows line endings (CR LF) where the original has LF", line=1
    )


LISTINGS = """Findings
========

.. ed:listing:: taxonomy
.. ed:listing:: counts-by-category
.. ed:listing:: counts-by-paragraph
.. ed:listing:: claims
   :note: 1.2 9.9
.. ed:listing:: index
.. ed:listing:: index
   :by: paragraph
.. ed:listing:: map
"""


def test_every_listing_and_the_map_build_with_a_missing_note(project, build):
    index = (ROOTS / "test-basic" / "index.rst").read_text(encoding="utf-8")
    srcdir = project(index + "\n.. toctree::\n\n   findings\n", findings__rst=LISTINGS)
    built = build(srcdir)
    assert_fails(built, srcdir, "reference to unknown note '9.9'", file="findings.rst", line=7)
    assert "ed-map-svg" in (built.outdir / "findings.html").read_text(encoding="utf-8")


def test_a_changed_original_is_reported_once_and_nothing_follows(project, build):
    index = (ROOTS / "test-basic" / "index.rst").read_text(encoding="utf-8")
    srcdir = project(index + "\n.. toctree::\n\n   findings\n", findings__rst=LISTINGS)
    with_registry(srcdir, **{"1.1": {"paragraph": 1, "lemma": "sat on the mat"}})
    original = srcdir / "original.txt"
    original.write_text(original.read_text(encoding="utf-8").replace("dog", "cow"), encoding="utf-8")
    built = build(srcdir)
    assert_fails(built, srcdir, "does not match its :sha256:", line=1)
    assert built.log.count("ERROR") == 3, built.log  # the message, the summary's head and line


# -- the registry -----------------------------------------------------------------------------


def test_published_label_missing(project, build):
    srcdir = with_registry(
        project(HEAD + note()),
        **{
            "1.1": {"paragraph": 1, "lemma": "sat on the mat"},
            "2.1": {"paragraph": 2, "lemma": "the latter"},
        },
    )
    assert_fails(
        build(srcdir),
        srcdir,
        "published note 2.1 is missing",
        "mark it :withdrawn:",
        file="registry.json",
        line=7,
    )


def test_published_label_moved(project, build):
    srcdir = with_registry(
        project(HEAD + note(lemma="The dog")), **{"1.1": {"paragraph": 1, "lemma": "sat on the mat"}}
    )
    assert_fails(build(srcdir), srcdir, "published note 1.1 has moved", "registry says ¶1 'sat on the mat'")


def test_a_published_note_that_fails_to_anchor_is_not_also_missing(project, build):
    srcdir = with_registry(
        project(HEAD + note(lemma="sat on the hat")), **{"1.1": {"paragraph": 1, "lemma": "sat on the mat"}}
    )
    assert_fails(build(srcdir), srcdir, "lemma 'sat on the hat' is not in the paragraph")


def test_a_renumbered_label_is_recognised(project, build):
    renamed = note("1.4") + note("2.1", lemma="the latter", paragraph="2", body="See :ed:note:`1.1`.")
    srcdir = with_registry(project(HEAD + renamed), **{"1.1": {"paragraph": 1, "lemma": "sat on the mat"}})
    assert_fails(
        build(srcdir), srcdir, "note 1.4 stands on the words of published note 1.1", "restore label 1.1"
    )


def test_a_published_note_under_a_misspelt_directive_is_not_also_missing(project, build):
    misspelt = note().replace(".. ed:note::", ".. ed:nte::")
    srcdir = with_registry(project(HEAD + misspelt), **{"1.1": {"paragraph": 1, "lemma": "sat on the mat"}})
    assert_fails(build(srcdir), srcdir, 'Unknown directive type "ed:nte"', level="ERROR")


def register(build: Build, srcdir: Path, **config: object) -> Built:
    overrides = {"apparatus_register": 1} | config
    return build(srcdir, "dummy", confoverrides=overrides, freshenv=True)


def test_register_refuses_while_there_is_a_problem(project, build):
    srcdir = with_registry(project(HEAD + note() + note("1.2", lemma="The cow")))
    before = (srcdir / "registry.json").read_text(encoding="utf-8")
    built = register(build, srcdir)
    assert built.status != 0
    assert (
        f"{srcdir / 'registry.json'} was not written: register only from a build without problems"
        in built.log
    )
    assert (srcdir / "registry.json").read_text(encoding="utf-8") == before


def test_register_says_what_it_registered_and_anchors_each_label(project, build):
    srcdir = with_registry(project())
    built = register(build, srcdir)
    assert built.status == 0, built.log
    assert f"registered 4 new label(s) in {srcdir / 'registry.json'}: 1.1 1.2 1.3 2.1" in built.info
    labels = json.loads((srcdir / "registry.json").read_text(encoding="utf-8"))["labels"]
    assert labels["1.1"]["lemma"] == "sat on the mat" and re.fullmatch(
        r"[0-9a-f]{16}:8", labels["1.1"]["anchor"]
    )


def test_a_published_note_anchored_anew_must_be_confirmed(project, build):
    published = {"paragraph": 1, "lemma": "sat on the mat", "anchor": "0123456789abcdef:8"}
    srcdir = with_registry(project(HEAD + note()), **{"1.1": published})
    assert_fails(build(srcdir), srcdir, "published note 1.1 was anchored anew", "make register CONFIRM=1.1")
    confirmed = register(build, srcdir, apparatus_confirm="1.1")
    assert confirmed.status == 0, confirmed.log
    assert "registered 1 anchor(s) of published notes" in confirmed.info
    assert build(srcdir, freshenv=True).status == 0


def test_a_new_edition_of_the_original_asks_to_confirm_every_note_on_a_changed_paragraph(project, build):
    srcdir = with_registry(project())
    assert register(build, srcdir).status == 0
    original = srcdir / "original.txt"
    original.write_text(
        original.read_text(encoding="utf-8").replace("The cat", "Indeed, the cat"), encoding="utf-8"
    )
    index = (srcdir / "index.rst").read_text(encoding="utf-8")
    sha256 = hashlib.sha256(original.read_bytes()).hexdigest()
    (srcdir / "index.rst").write_text(re.sub(r"[0-9a-f]{64}", sha256, index), encoding="utf-8")
    changed = build(srcdir, freshenv=True)
    assert changed.status != 0
    assert [problem.split(": ")[1] for problem in changed.problems()] == [
        f"published note {label} was anchored anew" for label in ("1.1", "1.2", "1.3")
    ], changed.log
    assert "the text of ¶1 has changed since it was published" in changed.log
    assert "make register CONFIRM=1.1" in changed.log
    assert register(build, srcdir, apparatus_confirm="1.1 1.2 1.3").status == 0
    assert build(srcdir).status == 0


# -- incremental builds ---------------------------------------------------------------------


INCREMENTAL_CASES = {
    "lemma not found": HEAD + note(lemma="sat on the hat"),
    "empty lemma": HEAD + note(lemma=""),
    "paragraph abc": HEAD + note(paragraph="abc"),
    "misspelt option": HEAD + note(lemmma="mat"),
    "unknown directive": HEAD + note() + ".. ed:nte:: 1.2\n",
    "unknown role": HEAD + note(body="See :ed:nte:`1.1`."),
    "raw html": HEAD + note(body=".. raw:: html\n\n   <i>x</i>"),
    "bad label": HEAD + note(label="1.09"),
    "broken inline markup": HEAD + note(body="Why it is *wrong."),
    "unknown paragraph": HEAD + note(body="See :ed:par:`9`."),
    "unknown note": HEAD + note(body="See :ed:note:`9.9`."),
    "contradiction alone": HEAD + note(category="contradiction"),
    "missing notes file": HEAD + note() + ".. include:: notes/p09.rst\n",
    "unknown listing": HEAD + note() + ".. ed:listing:: tabel\n",
}


def published_elsewhere(srcdir: Path) -> None:
    with_registry(srcdir, **{"2.1": {"paragraph": 2, "lemma": "the latter"}})


def orphaned_notes_file(srcdir: Path) -> None:
    (srcdir / "index.rst").write_text(HEAD + ".. include:: notes/p01.rst\n", encoding="utf-8")
    (srcdir / "notes").mkdir()
    (srcdir / "notes" / "p01.rst").write_text(note(), encoding="utf-8")
    (srcdir / "notes" / "p02.rst").write_text(
        note("2.1", lemma="the latter", paragraph="2"), encoding="utf-8"
    )


SETUPS = {"published label missing": published_elsewhere, "orphaned notes file": orphaned_notes_file}


@pytest.mark.parametrize("case", [*INCREMENTAL_CASES, *SETUPS])
def test_an_incremental_build_fails_whenever_the_clean_build_fails(project, build, case):
    srcdir = project(INCREMENTAL_CASES.get(case, HEAD + note()))
    if case in SETUPS:
        SETUPS[case](srcdir)
    clean = build(srcdir)
    again = build(srcdir)  # nothing changed: the problem is still there and still fails the build
    assert clean.status != 0 and clean.problems(), clean.log
    assert again.status != 0
    assert again.problems() == clean.problems()


def test_a_fixed_problem_goes_on_the_next_build(project, build):
    srcdir = project(HEAD + note(lemma=""))
    assert build(srcdir).status != 0
    (srcdir / "index.rst").write_text(HEAD + note(), encoding="utf-8")
    fixed = build(srcdir)
    assert fixed.status == 0, fixed.log


# -- the command line -----------------------------------------------------------------------


@pytest.mark.parametrize("flags", [[], ["-W", "--keep-going"]])
def test_the_command_line_fails_with_and_without_warnings_as_errors(project, flags):
    srcdir = project(HEAD + note(paragraph="abc"))
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", *flags, str(srcdir), str(srcdir / "_b")]
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=PREVIEW_ENVIRONMENT)
    assert done.returncode == 1, done.stderr
    assert (
        f"{srcdir}/index.rst:{NOTE_LINE}: ERROR: note 1.1: :paragraph: must be a paragraph number"
        in done.stderr
    )
    assert "Traceback" not in done.stderr


def make_html(srcdir: Path, builddir: Path) -> subprocess.CompletedProcess:
    """`make html` on a test project, with the test run's Python (-o setup: it is set up)."""
    variables = [
        f"SOURCEDIR={srcdir}",
        f"BUILDDIR={builddir}",
        f"VENV={sys.prefix}",
        "SPHINXOPTS=-W --keep-going -n -q",
    ]
    command = ["make", "-s", "-o", "setup", "html", *variables]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=False, env=PREVIEW_ENVIRONMENT
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_a_failed_build_publishes_nothing(project, tmp_path):
    srcdir, builddir = project(), tmp_path / "build"
    (srcdir / "index.rst").write_text(HEAD + note(lemma="sat on the hat"), encoding="utf-8")
    first = make_html(srcdir, builddir)
    assert first.returncode != 0 and "lemma 'sat on the hat' is not in the paragraph" in first.stderr
    assert not (builddir / "html").exists()  # never a good build: nothing is published
    (srcdir / "index.rst").write_text(HEAD + note(), encoding="utf-8")
    assert make_html(srcdir, builddir).returncode == 0
    published = snapshot(builddir / "html")
    assert "Why it is wrong." in published["index.html"].decode()
    (srcdir / "index.rst").write_text(
        HEAD + note(body="Changed.") + note("1.2", lemma="The cow"), encoding="utf-8"
    )
    failed = make_html(srcdir, builddir)
    assert failed.returncode != 0 and "lemma 'The cow' is not in the paragraph" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert snapshot(builddir / "html") == published  # the last good build, whole


def test_reference_to_a_paragraph_the_text_does_not_have(project, build):
    srcdir = project(HEAD + note(body="Why it is wrong,\nsee :ed:par:`9`."))
    assert_fails(
        build(srcdir),
        srcdir,
        "reference to paragraph '9', but the text has 3 paragraph(s)",
        line=NOTE_LINE + 6,
    )


def test_broken_inline_markup_in_a_note_stops_the_build(project, build):
    srcdir = project(HEAD + note(body="Why it is *wrong."))
    assert_fails(
        build(srcdir),
        srcdir,
        "Inline emphasis start-string without end-string",
        line=NOTE_LINE + 5,
        level="WARNING",
    )


@pytest.mark.parametrize("target", ["html", "pdf"])
def test_make_publishes_a_build_only_after_it_succeeded(tmp_path, target):
    plan = subprocess.run(
        ["make", "-n", "-o", "setup", target, f"BUILDDIR={tmp_path}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    build = next(index for index, line in enumerate(plan) if " -m sphinx " in line)
    assert plan[build].endswith(f" {tmp_path}/{target}.staging")
    published = plan.index(f"mv {tmp_path}/{target}.staging {tmp_path}/{target}")
    assert published > build  # make stops on failure
    if target == "html":  # the site is published with the PDF it links to, never before it
        copy = next(index for index, line in enumerate(plan) if f"{tmp_path}/html.staging/" in line)
        assert build < copy < published
