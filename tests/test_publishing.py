"""Publishing: the Read the Docs and GitHub Pages configurations are valid for their services'
official schemas and build with the project's own commands; a published build uses the real URL,
a local one says it is a preview; and nothing in the published folder names the build machine."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import PREVIEW_ENVIRONMENT, ROOT, ROOTS, sphinx_build
from sphinx.config import Config
from sphinx.util.tags import Tags

from apparatus.edition import published_base_url

READTHEDOCS = ROOT / ".readthedocs.yaml"
PAGES = ROOT / ".github" / "workflows" / "pages.yml"
PLACEHOLDER = "https://russia-china-allies.example.org/"


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess:
    """The `check-jsonschema` validator with a schema it ships (no download)."""
    command = [Path(sys.executable).with_name("check-jsonschema"), "--builtin-schema", schema, path]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ("schema", "path"),
    [("vendor.readthedocs", READTHEDOCS), ("vendor.github-workflows", PAGES)],
    ids=["readthedocs", "github-pages"],
)
def test_the_deployment_files_validate_against_the_official_schemas(schema, path, tmp_path):
    done = check_jsonschema(schema, path)
    assert done.returncode == 0, done.stdout + done.stderr
    # The validator is live: the same file with a key the service does not know is refused.
    broken = tmp_path / path.name
    broken.write_text(path.read_text(encoding="utf-8") + "\nno-such-key: true\n", encoding="utf-8")
    assert check_jsonschema(schema, broken).returncode != 0


def test_read_the_docs_builds_with_make_edition_and_publishes_the_site_and_the_pdf():
    config = yaml.safe_load(READTHEDOCS.read_text(encoding="utf-8"))
    commands = config["build"]["commands"]
    assert commands[0] == "make edition"
    assert "cp -r _build/html/. $READTHEDOCS_OUTPUT/html/" in commands
    assert "cp _build/pdf/edition.pdf $READTHEDOCS_OUTPUT/pdf/" in commands
    # Read the Docs gives no root: every system package the build needs is declared.
    bootstrap = (ROOT / "tools" / "bootstrap.sh").read_text(encoding="utf-8")
    build_packages = bootstrap.split("BUILD_PACKAGES=(", 1)[1].split(")", 1)[0].split()
    assert set(build_packages) <= set(config["build"]["apt_packages"])


def test_github_pages_tests_builds_and_deploys_the_site_at_the_repositorys_url():
    workflow = yaml.safe_load(PAGES.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run") for step in steps]
    assert runs.index("make test") < runs.index("make edition") < runs.index(versions_script())
    build = next(step for step in steps if step.get("run") == "make edition")
    assert build["env"]["EDITION_BASE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    checkout = next(step for step in steps if step.get("uses") == "actions/checkout@v4")
    assert checkout["with"]["fetch-depth"] == 0  # the tags
    # The system packages tools/bootstrap.sh installs are Debian's: the job runs in Debian, and
    # git (which the checkout needs for the tags) is there before the checkout.
    assert workflow["jobs"]["build"]["container"]["image"].startswith("debian:")
    assert "git" in steps[0]["run"].split() and steps.index(checkout) == 1
    upload = next(step for step in steps if "upload-pages-artifact" in step.get("uses", ""))
    assert upload["with"]["path"] == "_site"
    assert any("deploy-pages" in step.get("uses", "") for step in workflow["jobs"]["deploy"]["steps"])


def versions_script() -> str:
    steps = yaml.safe_load(PAGES.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    return next(step["run"] for step in steps if "git tag" in step.get("run", ""))


# A stand-in for the project: `make edition` writes a page that says its version, its base URL
# and its text.
STAND_IN_MAKEFILE = """edition:
\tmkdir -p _build/html
\tprintf '%s %s %s' "$$(sed -n 's/^version: "\\(.*\\)"$$/\\1/p' CITATION.cff)" "$$EDITION_BASE_URL" \\
\t  "$$(cat TEXT)" > _build/html/index.html
"""
SITE = "https://owl.github.io/edition/"


def commit(repo: Path, version: str, text: str, tag: bool = True) -> None:
    git = ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org"]
    (repo / "CITATION.cff").write_text(f'version: "{version}"\n', encoding="utf-8")
    (repo / "TEXT").write_text(text, encoding="utf-8")
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", text], cwd=repo, check=True)
    if tag:
        subprocess.run([*git, "tag", f"v{version}"], cwd=repo, check=True)


def publish(repo: Path) -> dict[str, str]:
    """The workflow's build and its own versions script on ``repo``: each published page's text."""
    for folder in ("_build", "_site", "_versions"):
        shutil.rmtree(repo / folder, ignore_errors=True)
    subprocess.run(["git", "worktree", "prune"], cwd=repo, check=True)
    environment = {**PREVIEW_ENVIRONMENT, "EDITION_BASE_URL": SITE, "SITE_URL": SITE}
    subprocess.run(["make", "edition"], cwd=repo, env=environment, check=True, capture_output=True)
    done = subprocess.run(
        ["bash", "-c", versions_script()], cwd=repo, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    site = repo / "_site"
    return {
        str(path.relative_to(site)): path.read_text(encoding="utf-8") for path in site.rglob("index.html")
    }


def test_github_pages_publishes_each_version_in_its_folder_and_the_latest_at_the_root(tmp_path):
    """The workflow's own script, on a repository with three released versions."""
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / "Makefile").write_text(STAND_IN_MAKEFILE, encoding="utf-8")
    (repo / ".gitignore").write_text("_build/\n_site/\n_versions/\n", encoding="utf-8")
    for version in ("1.0", "1.1", "1.2"):
        commit(repo, version, f"released {version}")
    older = {
        "1.1/index.html": f"1.1 {SITE}1.1/ released 1.1",  # rebuilt from its tag, at its own address
        "1.0/index.html": f"1.0 {SITE}1.0/ released 1.0",
    }
    # The release commit itself: built once, at the root and in its folder (its build adds it).
    assert publish(repo) == {
        "index.html": f"1.2 {SITE} released 1.2",
        "1.2/index.html": f"1.2 {SITE} released 1.2",
        **older,
    }
    # A later commit of the same version: the latest at the root; 1.2 stays as released.
    commit(repo, "1.2", "revised after 1.2", tag=False)
    assert publish(repo) == {
        "index.html": f"1.2 {SITE} revised after 1.2",
        "1.2/index.html": f"1.2 {SITE}1.2/ released 1.2",
        **older,
    }


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, PLACEHOLDER),
        ({"EDITION_BASE_URL": "https://edition.example.net/"}, "https://edition.example.net/"),
        (
            {"READTHEDOCS_CANONICAL_URL": "https://rc.readthedocs.io/en/latest/"},
            "https://rc.readthedocs.io/en/latest/",
        ),
        ({"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "Owl/edition"}, "https://owl.github.io/edition/"),
        ({"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "owl/owl.github.io"}, "https://owl.github.io/"),
        (
            {"EDITION_BASE_URL": "https://a.example.net/", "READTHEDOCS_CANONICAL_URL": "https://b.io/"},
            "https://a.example.net/",
        ),
    ],
    ids=["local", "explicit", "readthedocs", "github", "github-user-site", "explicit-first"],
)
def test_the_published_url_comes_from_the_environment_the_build_runs_in(environ, expected):
    assert published_base_url(PLACEHOLDER, environ) == expected


def test_the_editions_conf_takes_the_published_url_of_its_version(monkeypatch):
    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", "https://rc.readthedocs.io/en/latest/")
    monkeypatch.setenv("READTHEDOCS_VERSION", "latest")
    raw = Config.read(ROOT, overrides={}, tags=Tags())._raw_config
    assert raw["html_baseurl"] == f"https://rc.readthedocs.io/en/v{raw['release']}/"
    for name in ("READTHEDOCS_CANONICAL_URL", "READTHEDOCS_VERSION"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("EDITION_BASE_URL", "https://edition.example.net/")
    raw = Config.read(ROOT, overrides={}, tags=Tags())._raw_config
    assert raw["html_baseurl"] == f"https://edition.example.net/{raw['release']}/"


def test_a_local_build_says_its_urls_are_a_preview_and_a_published_one_does_not(tmp_path):
    local = sphinx_build(ROOTS / "test-exports", tmp_path / "local")
    assert local.returncode == 0, local.stderr
    assert "a local preview: permalinks, citations and metadata point at https://edition.example.org/" in (
        local.stdout
    )
    environment = {**PREVIEW_ENVIRONMENT, "EDITION_BASE_URL": "https://edition.example.org/"}
    published = sphinx_build(ROOTS / "test-exports", tmp_path / "published", env=environment)
    assert published.returncode == 0, published.stderr
    assert "local preview" not in published.stdout


def test_no_published_file_holds_a_path_of_the_build_machine(edition_site):
    machine_paths = {str(ROOT), str(edition_site.parent), os.path.expanduser("~"), sys.prefix}
    assert not (edition_site / ".doctrees").exists()
    for path in edition_site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for machine_path in machine_paths:
                assert machine_path.encode() not in data, f"{path} holds {machine_path}"


def test_make_keeps_sphinxs_doctree_cache_out_of_the_published_folder(tmp_path):
    plan = subprocess.run(
        ["make", "-n", "html", "pdf", f"BUILDDIR={tmp_path}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    builds = [line for line in plan.splitlines() if " -m sphinx " in line]
    assert len(builds) == 2
    for line in builds:
        doctrees = line.split(" -d ", 1)[1].split()[0]
        assert doctrees.startswith(f"{tmp_path}/doctrees"), line
