"""The edition's benchmark: ``make bench`` (or ``.venv/bin/python benchmarks/run.py``).

Measures, in one run, against plain Sphinx + furo with ordinary footnotes (the baseline):

1. the edition: a clean HTML build, an incremental rebuild after editing one note, and a
   clean PDF build, each with wall time and peak memory; the baseline's PDF is its
   single-page HTML rendered by WeasyPrint; for both PDFs, their pages and characters and
   WeasyPrint's part of the build (its import, and its parsing, ``render`` and ``write_pdf``,
   added up over the processes that run them);
2. the bytes of the text page (HTML + CSS + JS + fonts) against the baseline's page;
3. Lighthouse (mobile): performance and accessibility of the text page, the home page and the
   baseline's page (``--lighthouse SITE`` runs only this, on a site already built);
4. scale: a stress edition at 1x, 10x and 100x the article's length, notes in the same
   density (40 per 4,500 characters), HTML build time for the edition and for the baseline
   at each size, and the fitted growth exponent.

Everything is built in a temporary folder, with the build options of the Makefile. Times are
the median of ``--repeat`` runs (one run for the large stress sizes); the clean PDF builds of
the edition and of the baseline take turns, so that a machine whose speed drifts slows both. Peak memory is the
largest resident set of any one process of the build (``getrusage``). The tables are printed
in Markdown, ready for the README.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import lighthouse  # noqa: E402

SPHINXOPTS = ["-W", "--keep-going", "-n", "-j", "auto", "-q"]
# Runs a command and reports its wall time, the peak memory of its processes and the processor
# time of them all (user and system; a process counts once it has been waited for, as every
# process of a build is).
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], capture_output=True, text=True)
seconds = time.perf_counter() - start
used = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    json.dump({"seconds": seconds, "peak_mb": used.ru_maxrss / 1024, "cpu": used.ru_utime + used.ru_stime,
               "code": done.returncode, "stderr": done.stderr[-3000:]}, out)
"""
# The baseline PDF: plain Sphinx's single-page HTML printed by WeasyPrint, with a print
# stylesheet of a few lines instead of furo's screen stylesheets (on which WeasyPrint alone
# spends some 20 s); the footnotes stay at the end, as Sphinx places them.
BASELINE_PDF = """
import re, sys
from pathlib import Path
from sphinx.cmd.build import build_main
from weasyprint import CSS, HTML
src, out = Path(sys.argv[1]), Path(sys.argv[2])
if build_main(["-b", "singlehtml", "-q", str(src), str(out / "html")]) != 0:
    sys.exit(1)
page = (out / "html" / "index.html").read_text(encoding="utf-8")
page = re.sub(r"<link[^>]*stylesheet[^>]*>|<script.*?</script>", "", page, flags=re.S)
css = CSS(string="@page { size: A4; margin: 2cm } body { font: 11pt serif } "
          "aside.footnote { font-size: 9pt } nav, .sidebar-drawer, .toc-drawer { display: none }")
HTML(string=page, base_url=str(out / "html")).write_pdf(out / "baseline.pdf", stylesheets=[css])
"""
# Runs a Python program (``-m sphinx`` or ``-c`` code) with WeasyPrint's part timed in whichever
# process it runs, a forked one included: its import, where it happens, and the calls that parse
# HTML and CSS, render and write (the outermost, where one calls another). Each is appended as it
# ends to the file named by the program's first argument, a line "import SECONDS" or "calls
# SECONDS" (a forked process ends without running exit handlers).
WEASYPRINT_PART = """
import importlib.abc, importlib.util, sys, time
report, sys.argv[1:] = sys.argv[1], sys.argv[2:]
def record(kind, seconds):
    with open(report, "a") as out:
        out.write(f"{kind} {seconds!r}\\n")
depth = [0]
def timed(function):
    def run(*args, **kwargs):
        depth[0] += 1
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                record("calls", time.perf_counter() - start)
    return run
class TimedImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "weasyprint":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        exec_module = spec.loader.exec_module
        def timed_exec(module):
            start = time.perf_counter()
            exec_module(module)
            from weasyprint.document import Document
            record("import", time.perf_counter() - start)
            for owner, attribute in ((module.HTML, "__init__"), (module.CSS, "__init__"),
                                     (module.HTML, "render"), (Document, "write_pdf")):
                setattr(owner, attribute, timed(getattr(owner, attribute)))
        spec.loader.exec_module = timed_exec
        return spec
sys.meta_path.insert(0, TimedImport())
"""
RUN_SPHINX = "from sphinx.cmd.build import main\nraise SystemExit(main(sys.argv[1:]))"


@dataclass
class Run:
    seconds: float
    peak_mb: float
    ok: bool
    error: str = ""
    # Seconds, where timed (``WEASYPRINT_PART``): WeasyPrint's import, and its calls.
    weasyprint_import: float = 0.0
    weasyprint_calls: float = 0.0
    cpu_seconds: float = 0.0  # the processor time of all the build's processes


def weasyprint_timed(command: list[str], report: Path) -> list[str]:
    """A command ``python -m sphinx ...`` or ``python -c CODE ...`` that also writes the time
    WeasyPrint took to ``report``."""
    python, option, program, *arguments = command
    code = RUN_SPHINX if option == "-m" and program == "sphinx" else program
    return [python, "-c", WEASYPRINT_PART + code, str(report), *arguments]


def measure(command: list[str], cwd: Path = ROOT) -> Run:
    with tempfile.NamedTemporaryFile("r", suffix=".json") as report:
        subprocess.run([sys.executable, "-c", MEASURE, report.name, *command], cwd=cwd, check=True)
        result = json.loads(Path(report.name).read_text())
    return Run(
        result["seconds"], result["peak_mb"], result["code"] == 0, result["stderr"], cpu_seconds=result["cpu"]
    )


def repeated(make_command: Callable[[], list[str]], times: int, part: Path | None = None) -> Run:
    """The median of several clean runs; ``make_command`` prepares a fresh output each time,
    and a command timed by ``weasyprint_timed`` reports WeasyPrint's part to ``part``."""
    return taking_turns([make_command], times, part)[0]


def taking_turns(makers: list[Callable[[], list[str]]], times: int, part: Path | None = None) -> list[Run]:
    """The median of ``times`` clean runs of each command, the commands taking turns, so that a
    machine whose speed drifts during the benchmark slows each of them alike."""
    runs: list[list[Run]] = [[] for _ in makers]
    for _ in range(times):
        for make_command, done in zip(makers, runs, strict=True):
            run = measure(make_command())
            if part is not None and run.ok:
                run.weasyprint_import, run.weasyprint_calls = weasyprint_part(part)
            done.append(run)
    return [_median(done) for done in runs]


def _median(runs: list[Run]) -> Run:
    failed = next((run for run in runs if not run.ok), None)
    if failed is not None:
        return failed
    return Run(
        statistics.median(r.seconds for r in runs),
        max(r.peak_mb for r in runs),
        True,
        weasyprint_import=statistics.median(r.weasyprint_import for r in runs),
        weasyprint_calls=statistics.median(r.weasyprint_calls for r in runs),
        cpu_seconds=statistics.median(r.cpu_seconds for r in runs),
    )


def weasyprint_part(report: Path) -> tuple[float, float]:
    """The seconds of WeasyPrint's import and of its calls in a report of ``WEASYPRINT_PART``."""
    spent = {"import": 0.0, "calls": 0.0}
    for line in report.read_text().splitlines():
        kind, seconds = line.split()
        spent[kind] += float(seconds)
    return spent["import"], spent["calls"]


def sphinx(builder: str, srcdir: Path, outdir: Path, doctrees: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        builder,
        *SPHINXOPTS,
        "-d",
        str(doctrees),
        str(srcdir),
        str(outdir),
    ]


def clean(*paths: Path) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


def clean_build(builder: str, srcdir: Path, work: Path, times: int, part: Path | None = None) -> Run:
    """Clean builds into ``work/out-BUILDER``; with ``part``, WeasyPrint's part timed there."""
    return repeated(clean_command(builder, srcdir, work, part), times, part)


def clean_command(
    builder: str, srcdir: Path, work: Path, part: Path | None = None
) -> Callable[[], list[str]]:
    """What prepares and gives a clean build into ``work/out-BUILDER`` (``part``: see ``clean_build``)."""
    out, doctrees = work / f"out-{builder}", work / f"doctrees-{builder}"

    def command() -> list[str]:
        clean(out, doctrees)
        if part is None:
            return sphinx(builder, srcdir, out, doctrees)
        part.unlink(missing_ok=True)
        return weasyprint_timed(sphinx(builder, srcdir, out, doctrees), part)

    return command


# -- the edition against the baseline ----------------------------------------------------------


def copy_edition(dest: Path) -> Path:
    generate.copy_project(dest)
    shutil.copytree(ROOT / "source", dest / "source")
    for page in ROOT.glob("*.rst"):
        shutil.copy2(page, dest / page.name)
    return dest


def edit_first_note(srcdir: Path) -> Path:
    """Append a word to the body of the first note of the first notes file."""
    for path in sorted(srcdir.rglob("*.rst")):
        lines = path.read_text(encoding="utf-8").split("\n")
        heads = [i for i, line in enumerate(lines) if line.startswith(".. ed:note::")]
        if not heads:
            continue
        body = next(
            i
            for i in range(heads[0] + 1, len(lines))
            if lines[i].strip() and not lines[i].strip().startswith(":")
        )
        lines[body] += " Edited."
        path.write_text("\n".join(lines), encoding="utf-8")
        return path
    raise SystemExit("no ed:note found to edit")


def edit_first_footnote(srcdir: Path) -> None:
    index = srcdir / "index.rst"
    text = index.read_text(encoding="utf-8")
    index.write_text(re.sub(r"^(\.\. \[#\] .*)$", r"\1 Edited.", text, count=1, flags=re.MULTILINE))


def incremental(srcdir: Path, work: Path, edit: Callable[[Path], object]) -> Run:
    out, doctrees = work / "out-incremental", work / "doctrees-incremental"
    clean(out, doctrees)
    first = measure(sphinx("html", srcdir, out, doctrees))
    if not first.ok:
        return first
    edit(srcdir)
    return measure(sphinx("html", srcdir, out, doctrees))


def baseline_notes(edition_html: Path) -> list[tuple[int, int, int, str]]:
    """The edition's own notes (from its notes.json), as (paragraph, start, end, text) in the paragraph."""
    data = json.loads((edition_html / "notes.json").read_text(encoding="utf-8"))
    text = data["texts"][0]
    model = generate.load_text(edition_html / text["path"])
    found = []
    for note in data["notes"]:
        if note["withdrawn"]:
            continue
        paragraph = model.paragraph(note["paragraph"])
        found.append(
            (note["paragraph"], note["start"] - paragraph.start, note["end"] - paragraph.start, note["text"])
        )
    return found


def pdf_builds(edition: Path, baseline: Path, work: Path, times: int) -> tuple[Run, Run]:
    """Clean PDF builds of the edition (``work/out-editionpdf``) and of the baseline
    (``work/baseline-pdf``), taking turns, WeasyPrint's part timed."""
    part = work / "weasyprint"
    base_out = work / "baseline-pdf"

    def baseline_command() -> list[str]:
        clean(base_out)
        part.unlink(missing_ok=True)
        return weasyprint_timed([sys.executable, "-c", BASELINE_PDF, str(baseline), str(base_out)], part)

    edition_pdf, baseline_pdf = taking_turns(
        [clean_command("editionpdf", edition, work, part), baseline_command], times, part
    )
    return edition_pdf, baseline_pdf


def pdf_contents(folder: Path) -> tuple[int, int]:
    """The pages and the characters (as pypdf extracts them) of the PDF in ``folder``."""
    from pypdf import PdfReader

    reader = PdfReader(next(folder.glob("*.pdf")))
    return len(reader.pages), sum(len(page.extract_text()) for page in reader.pages)


def weasyprint_row(name: str, run: Run, folder: Path) -> str:
    pages, characters = pdf_contents(folder)
    return (
        f"| {name} | {pages} | {characters:,} | {run.seconds:.2f} s | {run.weasyprint_import:.2f} s | "
        f"{run.weasyprint_calls:.2f} s ({run.weasyprint_calls / run.seconds:.0%}) | "
        f"{run.weasyprint_calls / characters * 1e6:.1f} ms |"
    )


# -- page weight -----------------------------------------------------------------------------------


def page_assets(page: Path, site: Path) -> set[Path]:
    """The page and every local stylesheet, script and font it loads."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = {page}
    links = [tag.get("href") for tag in soup.select("link[rel~=stylesheet]")]
    links += [tag.get("src") for tag in soup.select("script[src]")]
    pending = [(page.parent / link.split("?")[0]).resolve() for link in links if link and "://" not in link]
    while pending:
        asset = pending.pop()
        if asset in found or not asset.is_file():
            continue
        found.add(asset)
        if asset.suffix == ".css":
            for url in re.findall(
                r"url\(['\"]?([^'\")]+)", asset.read_text(encoding="utf-8", errors="replace")
            ):
                if "://" not in url and not url.startswith("data:"):
                    pending.append((asset.parent / url.split("?")[0].split("#")[0]).resolve())
            for url in re.findall(
                r"@import\s+['\"]([^'\"]+)", asset.read_text(encoding="utf-8", errors="replace")
            ):
                pending.append((asset.parent / url).resolve())
    return {path for path in found if site in path.parents or path == page}


def page_weight(page: Path, site: Path) -> tuple[int, int]:
    """Bytes of the page with its assets, raw and gzip-compressed."""
    assets = page_assets(page, site)
    raw = sum(path.stat().st_size for path in assets)
    packed = sum(len(gzip.compress(path.read_bytes(), 9)) for path in assets)
    return raw, packed


# -- scale -----------------------------------------------------------------------------------------


def growth_exponent(sizes: list[int], seconds: list[float]) -> float:
    """The slope of log(time) against log(size): 1 is linear."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in seconds]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )


def scale_runs(work: Path, scales: list[int], times: int) -> list[tuple[int, int, int, Run, Run]]:
    rows = []
    for scale in scales:
        folder = work / f"stress-{scale}x"
        chars, notes = generate.stress_edition(folder / "edition", scale)
        generate.stress_baseline(folder / "baseline", scale)
        runs = times if scale <= 10 else 1
        edition = clean_build("html", folder / "edition", folder, runs)
        baseline = clean_build("html", folder / "baseline", folder / "base", runs)
        print(
            f"  {scale}x: {chars} characters, {notes} notes: edition {edition.seconds:.2f} s, "
            f"baseline {baseline.seconds:.2f} s",
            file=sys.stderr,
        )
        rows.append((scale, chars, notes, edition, baseline))
    return rows


# -- report ----------------------------------------------------------------------------------------


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "–"


def row(name: str, edition: Run | None, baseline: Run) -> str:
    if edition is None or not edition.ok:
        why = "not available" if edition is None else "failed"
        return f"| {name} | {why} | – | {baseline.seconds:.2f} s | {baseline.peak_mb:.0f} MB | – | – |"
    return (
        f"| {name} | {edition.seconds:.2f} s | {edition.peak_mb:.0f} MB | {baseline.seconds:.2f} s | "
        f"{baseline.peak_mb:.0f} MB | {ratio(edition.seconds, baseline.seconds)} | "
        f"{ratio(edition.peak_mb, baseline.peak_mb)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument(
        "--keep", type=Path, help="build here and keep the builds (default: a temporary folder)"
    )
    parser.add_argument(
        "--lighthouse", type=Path, metavar="SITE", help="only Lighthouse, on this built site and its baseline"
    )
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="edition-bench-"))
    try:
        if args.lighthouse:
            lighthouse_only(args.lighthouse.resolve(), work, args.repeat)
        else:
            report(work, args)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def make_baseline(site: Path, dest: Path) -> dict:
    """The baseline project from a built edition's text and notes; returns the text's entry."""
    text = json.loads((site / "notes.json").read_text(encoding="utf-8"))["texts"][0]
    generate.footnote_baseline(dest, (site / text["path"]).read_text(encoding="utf-8"), baseline_notes(site))
    return text


def text_page(site: Path, text: dict) -> Path:
    page = site / text["path"].replace(".txt", ".html")
    return page if page.is_file() else next(site.rglob("text.html"))


def lighthouse_pages(site: Path, text: dict, base_site: Path, runs: int) -> None:
    lighthouse.report(
        {
            "the edition's text page": (site, text_page(site, text).relative_to(site).as_posix()),
            "the edition's home page": (site, "index.html"),
            "plain furo with footnotes": (base_site, "index.html"),
        },
        runs,
    )


def lighthouse_only(site: Path, work: Path, runs: int) -> None:
    text = make_baseline(site, work / "baseline")
    base = clean_build("html", work / "baseline", work / "baseline-builds", 1)
    if not base.ok:
        raise SystemExit(f"the baseline does not build:\n{base.error}")
    lighthouse_pages(site, text, work / "baseline-builds" / "out-html", runs)


def report(work: Path, args: argparse.Namespace) -> None:
    print(
        f"Benchmark on {os.cpu_count()} cores, Python {sys.version.split()[0]}; builds in {work}",
        file=sys.stderr,
    )
    edition = copy_edition(work / "edition")
    html = clean_build("html", edition, work / "edition-builds", args.repeat)
    if not html.ok:
        raise SystemExit(f"the edition does not build:\n{html.error}")
    site = work / "edition-builds" / "out-html"
    baseline = work / "baseline"
    text = make_baseline(site, baseline)
    base_html = clean_build("html", baseline, work / "baseline-builds", args.repeat)
    edition_incremental = incremental(copy_edition(work / "edition-incremental"), work, edit_first_note)
    base_incremental = incremental(baseline, work / "baseline-builds", edit_first_footnote)
    edition_pdf, base_pdf = pdf_builds(edition, baseline, work / "pdf", args.repeat)
    if not edition_pdf.ok and "editionpdf" in edition_pdf.error and "not registered" in edition_pdf.error:
        edition_pdf = None
    print("\n### The edition against plain Sphinx + furo with footnotes (the same article and notes)\n")
    print("| build | edition | edition peak | baseline | baseline peak | time ratio | memory ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print(row("clean HTML", html, base_html))
    print(row("incremental HTML (one note edited)", edition_incremental, base_incremental))
    print(row("clean PDF", edition_pdf, base_pdf))
    if edition_pdf is not None and edition_pdf.ok and base_pdf.ok:
        print("\n### The clean PDF builds: WeasyPrint's part\n")
        print(
            "| PDF | pages | characters | whole build | WeasyPrint's import | its parsing, layout and "
            "writing, in all its processes | the same per 1,000 characters |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- |")
        print(weasyprint_row("edition", edition_pdf, work / "pdf" / "out-editionpdf"))
        print(weasyprint_row("baseline", base_pdf, work / "pdf" / "baseline-pdf"))
        print(
            f"\nWeasyPrint's parsing, layout and writing of the edition, added up over the processes "
            f"that run them at once, take {ratio(edition_pdf.weasyprint_calls, base_pdf.seconds)} the "
            "baseline's whole build."
        )
        print(
            f"\nProcessor time of the whole clean PDF build (user and system, all its processes): "
            f"edition {edition_pdf.cpu_seconds:.2f} s, baseline {base_pdf.cpu_seconds:.2f} s, "
            f"{ratio(edition_pdf.cpu_seconds, base_pdf.cpu_seconds)}."
        )

    raw, packed = page_weight(text_page(site, text), site)
    base_site = work / "baseline-builds" / "out-html"
    base_raw, base_packed = page_weight(base_site / "index.html", base_site)
    print("\n### The text page (HTML + CSS + JS + fonts)\n")
    print("| page | bytes | gzip | ratio | gzip ratio |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| edition | {raw:,} | {packed:,} | {ratio(raw, base_raw)} | {ratio(packed, base_packed)} |")
    print(f"| plain furo with footnotes | {base_raw:,} | {base_packed:,} | 1.00x | 1.00x |")
    lighthouse_pages(site, text, base_site, args.repeat)

    rows = scale_runs(work / "scale", args.scales, args.repeat)
    print("\n### Scale: clean HTML build of a stress edition\n")
    print("| size | characters | notes | edition | plain Sphinx + footnotes | ratio | edition peak |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for scale, chars, notes, ed, base in rows:
        print(
            f"| {scale}x | {chars:,} | {notes:,} | {ed.seconds:.2f} s | {base.seconds:.2f} s | "
            f"{ratio(ed.seconds, base.seconds)} | {ed.peak_mb:.0f} MB |"
        )
    if len(rows) > 1 and all(r[3].ok and r[4].ok for r in rows):
        sizes = [r[1] for r in rows]
        edition_k = growth_exponent(sizes, [r[3].seconds for r in rows])
        base_k = growth_exponent(sizes, [r[4].seconds for r in rows])
        tail_k = growth_exponent(sizes[-2:], [r[3].seconds for r in rows[-2:]])
        print(
            f"\nGrowth exponent (time ∝ size^k, fitted over all sizes): edition k = {edition_k:.2f}, "
            f"plain Sphinx k = {base_k:.2f}; edition between the two largest sizes: k = {tail_k:.2f}."
        )


if __name__ == "__main__":
    main()
