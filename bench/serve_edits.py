"""Time `citehub serve` from saving an edited paper to the rebuilt page on disk.

Why: the live-preview issue asks for an edit to reach disk in under 200 ms at 50,000
papers, and no more than 2x the 10,000-paper figure (the cost must follow the edit,
not the collection). This starts the real `citehub serve` on a generated corpus,
waits for its first build, then edits the title of papers spread over the collection,
one at a time, and measures for each edit:

  - page: from just before the file is written to the moment the paper's own page on
    disk shows the new title (polled every millisecond);
  - all: until the server prints that the update is done (every affected page written:
    the hubs it cites, listing pages, ...), which is when the browser is told to reload.

Each edit is undone the same way (also timed), so a run of N edits gives 2N samples.
It reports medians and maxima, the server's peak memory (VmHWM of its own process:
updates render in-process; the first build's workers are gone by then), and whether
any edit fell back to a full build.

Usage: python bench/serve_edits.py --sizes 10000,50000 [--edits 10] [--seed 1]
Corpora are cached in bench/work/ as for run.py; the server's output goes to
bench/work/serve-<size>/.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from corpus import ensure_corpus
from run import TITLE_LINE, child_env, corpus_folder, title_line_index

BENCH_DIR = Path(__file__).resolve().parent
START_TIMEOUT_S = 3600.0
EDIT_TIMEOUT_S = 120.0
SUMMARY = re.compile(r"^(updated|built) .*in ([0-9.]+) s$")


@dataclass(slots=True)
class EditTiming:
    paper: str
    page_s: float  # save -> the paper's page on disk shows the change
    all_s: float  # save -> the server reports the update done
    server_s: float  # the update's own time, as the server reports it
    kind: str  # "updated" (in memory) or "built" (a full build: a fallback)


@dataclass(slots=True)
class SizeResult:
    papers: int
    start_s: float
    peak_rss_kb: int
    rss_after_kb: int
    edits: list[EditTiming] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        page = [e.page_s for e in self.edits]
        done = [e.all_s for e in self.edits]
        return {
            "papers": self.papers, "samples": len(self.edits),
            "page_median_ms": round(1000 * statistics.median(page), 1),
            "page_max_ms": round(1000 * max(page), 1),
            "all_median_ms": round(1000 * statistics.median(done), 1),
            "all_max_ms": round(1000 * max(done), 1),
            "full_builds": sum(1 for e in self.edits if e.kind != "updated"),
            "first_build_s": round(self.start_s, 1),
            "peak_rss_mb": round(self.peak_rss_kb / 1024),
            "rss_after_mb": round(self.rss_after_kb / 1024),
        }


class Server:
    """`citehub serve` in a child process, its output lines timestamped as they come."""

    def __init__(self, content: Path, output: Path):
        self.port = free_port()
        command = [sys.executable, "-m", "generator", "serve", "--content", str(content),
                   "--output", str(output), "--port", str(self.port)]
        self.process = subprocess.Popen(command, env=child_env(), stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=self.read, daemon=True).start()

    def read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))

    def wait_for(self, pattern: re.Pattern[str], timeout: float) -> tuple[float, re.Match[str]]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or self.process.poll() is not None:
                raise RuntimeError(f"citehub serve: no line matching {pattern.pattern}")
            try:
                at, line = self.lines.get(timeout=min(left, 1.0))
            except queue.Empty:
                continue
            found = pattern.search(line)
            if found:
                return at, found

    def memory_kb(self, field_name: str) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        found = re.search(rf"^{field_name}:\s+(\d+) kB", status, re.MULTILINE)
        return int(found.group(1)) if found else 0

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def edit_targets(content: Path, count: int) -> list[Path]:
    """`count` paper files spread evenly over the collection, by name."""
    papers = sorted((content / "papers").rglob("*.md"))
    step = max(1, len(papers) // count)
    return [papers[(i * step + step // 2) % len(papers)] for i in range(count)]


def retitled(text: str, word: str) -> str:
    lines = text.split("\n")
    index = title_line_index(lines)
    assert index is not None
    match = TITLE_LINE.match(lines[index])
    assert match is not None
    prefix, value = match.groups()
    quote = value[0] if value[:1] in ("'", '"') else ""
    lines[index] = f"{prefix}{quote}{word} {value[len(quote):]}"
    return "\n".join(lines)


def timed_save(server: Server, path: Path, text: str, page: Path, marker: bytes,
               present: bool) -> EditTiming:
    """Save `text` to `path`; wait until `page` has (or no longer has) `marker`."""
    started = time.perf_counter()
    path.write_text(text, encoding="utf-8")
    page_at = None
    deadline = time.monotonic() + EDIT_TIMEOUT_S
    last = None
    while page_at is None:
        try:
            stamp = os.stat(page)
            key = (stamp.st_ino, stamp.st_mtime_ns, stamp.st_size)
            if key != last:
                last = key
                if (marker in page.read_bytes()) == present:
                    page_at = time.perf_counter()
                    break
        except FileNotFoundError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{page} never showed the edit")
        time.sleep(0.001)
    done_at, found = server.wait_for(SUMMARY, EDIT_TIMEOUT_S)
    return EditTiming(path.stem, page_at - started, done_at - started, float(found.group(2)),
                      found.group(1))


def bench_size(size: int, seed: int, edits: int, work: Path) -> SizeResult:
    content = corpus_folder(work, size, seed)
    ensure_corpus(size, content, seed)
    output = work / f"serve-{size}" / "site"
    output.parent.mkdir(parents=True, exist_ok=True)
    server = Server(content, output)
    try:
        started = time.perf_counter()
        server.wait_for(re.compile(r"^serving "), START_TIMEOUT_S)
        result = SizeResult(size, time.perf_counter() - started, 0, 0)
        time.sleep(1.0)  # let the server settle into its loop
        for number, path in enumerate(edit_targets(content, edits)):
            original = path.read_text(encoding="utf-8")
            page = output / "papers" / path.stem / "index.html"
            marker = f"Retitled{number}"
            try:
                result.edits.append(timed_save(server, path, retitled(original, marker), page,
                                               marker.encode(), present=True))
            finally:
                result.edits.append(timed_save(server, path, original, page, marker.encode(),
                                               present=False))
            log(f"{size}: edit {number + 1}/{edits}: page {result.edits[-2].page_s * 1000:.0f}"
                f" ms, all {result.edits[-2].all_s * 1000:.0f} ms")
        result.peak_rss_kb = server.memory_kb("VmHWM")
        result.rss_after_kb = server.memory_kb("VmRSS")
        return result
    finally:
        server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=BENCH_DIR / "work")
    args = parser.parse_args(argv)
    results = [bench_size(int(size), args.seed, args.edits, args.work.resolve())
               for size in args.sizes.split(",")]
    summaries = [r.summary() for r in results]
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    (args.work / f"serve-edits-{stamp}.json").write_text(json.dumps(
        {"summaries": summaries, "edits": [[asdict(e) for e in r.edits] for r in results]},
        indent=1), encoding="utf-8")
    print("| papers | page on disk, median (max) | all pages, median (max) | full builds "
          "| first build | serve peak RSS |")
    print("|---:|---:|---:|---:|---:|---:|")
    for s in summaries:
        print(f"| {s['papers']:,} | {s['page_median_ms']} ms ({s['page_max_ms']}) "
              f"| {s['all_median_ms']} ms ({s['all_max_ms']}) | {s['full_builds']} "
              f"| {s['first_build_s']} s | {s['peak_rss_mb']} MB |")
    return 0


def log(message: str) -> None:
    print(f"[serve_edits] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
