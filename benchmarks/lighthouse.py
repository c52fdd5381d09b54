"""Google Lighthouse on the built pages: ``make bench`` runs it (see run.py), the tests do not.

Lighthouse (npm ``lighthouse``, pinned in benchmarks/npm/package-lock.json) runs Debian's Chromium headless, with its
default mobile settings (a mid-range phone on a slow 4G network, simulated), on each page served
on the loopback interface. The server compresses what it sends with gzip, as the hosts the
edition is published on (GitHub Pages, Read the Docs) do: the simulated network then carries the
bytes a reader's phone would receive. Each score is the median of the runs.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NPM = ROOT / "benchmarks" / "npm" / "node_modules"  # tools/bootstrap.sh bench installs it
LIGHTHOUSE = NPM / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility")
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".txt", ".xml"}


class CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text ones gzip-compressed when the browser accepts it; no log."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Body:
    """What ``send_head`` returns: a file-like object that ``copyfile`` reads and closes."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data

    def close(self) -> None:
        pass


@contextlib.contextmanager
def served(directory: Path) -> Iterator[str]:
    """The site served on 127.0.0.1; yields its base URL."""
    handler = functools.partial(CompressingHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Scores:
    performance: float  # out of 100
    accessibility: float
    failed: tuple[str, ...] = ()  # the accessibility audits that did not pass
    error: str = ""  # why Lighthouse gave no scores
    spread: tuple[float, float] = (0, 0)  # the lowest and highest performance of the runs


def run_once(url: str) -> Scores:
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as work:
        report = Path(work) / "report.json"
        command = [
            str(LIGHTHOUSE),
            url,
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            # a profile of its own, so that no run finds another's cache
            f"--chrome-flags=--headless=new --no-sandbox --disable-gpu --user-data-dir={work}/profile",
        ]
        done = subprocess.run(
            command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True
        )
        if done.returncode != 0:
            return Scores(0, 0, error=done.stderr.strip()[-500:] or f"exit status {done.returncode}")
        result = json.loads(report.read_text(encoding="utf-8"))
    score = {name: result["categories"][name]["score"] * 100 for name in CATEGORIES}
    return Scores(score["performance"], score["accessibility"], failed_audits(result, "accessibility"))


def failed_audits(result: dict[str, Any], category: str) -> tuple[str, ...]:
    audits = result["audits"]
    return tuple(
        ref["id"]
        for ref in result["categories"][category]["auditRefs"]
        if audits[ref["id"]]["scoreDisplayMode"] in {"binary", "numeric"} and audits[ref["id"]]["score"] < 1
    )


def scores(site: Path, page: str, runs: int) -> Scores:
    """The median of several runs on one page of a site; the audits failed in any run."""
    if not LIGHTHOUSE.is_file():
        return Scores(0, 0, error="not installed: run npm ci --ignore-scripts (make setup-test)")
    with served(site) as url:
        done = [run_once(url + page) for _ in range(runs)]
    failed = next((run for run in done if run.error), None)
    if failed is not None:
        return failed
    return Scores(
        statistics.median(run.performance for run in done),
        statistics.median(run.accessibility for run in done),
        tuple(sorted({audit for run in done for audit in run.failed})),
        spread=(min(run.performance for run in done), max(run.performance for run in done)),
    )


def report(pages: dict[str, tuple[Path, str]], runs: int) -> None:
    """Print the scores of each named page (site, path in it) as a Markdown table."""
    # The simulated phone's processor is the machine's, slowed down: a busy machine scores lower.
    load = os.getloadavg()[0]
    print(f"\n### Lighthouse {version()}, mobile (median of {runs}; lowest–highest; load {load:.1f})\n")
    print("| page | performance | accessibility | accessibility audits failed |")
    print("| --- | --- | --- | --- |")
    for name, (site, page) in pages.items():
        result = scores(site, page, runs)
        if result.error:
            print(f"| {name} | failed | – | {result.error.splitlines()[-1]} |")
        else:
            failed = ", ".join(result.failed) or "none"
            low, high = result.spread
            print(
                f"| {name} | {result.performance:.0f} ({low:.0f}–{high:.0f}) | "
                f"{result.accessibility:.0f} | {failed} |"
            )


def version() -> str:
    package = NPM / "lighthouse" / "package.json"
    return (
        json.loads(package.read_text(encoding="utf-8"))["version"] if package.is_file() else "(not installed)"
    )
