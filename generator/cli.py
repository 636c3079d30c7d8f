"""The `citehub` command: parse flags, call one function, map the result to an exit code."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator import __version__
from generator.build import BuildOptions, build
from generator.collection import load_collection
from generator.newrecord import NewRecordError, new_record
from generator.output import OutputError
from generator.problems import Problem
from generator.workers import default_workers


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except (OutputError, NewRecordError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="citehub", description=__doc__)
    top.add_argument("--version", action="version", version=f"citehub {__version__}")
    commands = top.add_subparsers(required=True, metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="build the site into the output folder")
    add_content(build_cmd)
    build_cmd.add_argument("--output", type=Path, default=Path("site"),
                           help="output folder (default: site)")
    build_cmd.add_argument("--base-url", help="serve under this URL (overrides site.yaml)")
    build_cmd.add_argument("--full", action="store_true",
                           help="render every page into a fresh folder, ignoring the cache")
    build_cmd.add_argument("--shard", type=shard_spec, metavar="K/N",
                           help="render only the K-th of N balanced parts of the pages "
                                "(to split a huge build across machines; merge the outputs)")
    build_cmd.add_argument("--jobs", type=int, default=default_workers(),
                           help="rendering processes (default: one per core)")
    build_cmd.set_defaults(run=run_build)

    check_cmd = commands.add_parser("check", help="validate the content, write nothing")
    add_content(check_cmd)
    check_cmd.set_defaults(run=run_check)

    serve_cmd = commands.add_parser("serve", help="build, serve on 127.0.0.1, rebuild and "
                                    "reload the browser on every change")
    add_content(serve_cmd)
    serve_cmd.add_argument("--output", type=Path, default=Path("site"),
                           help="output folder (default: site)")
    serve_cmd.add_argument("--port", type=int, help="port (default: 8000)")
    serve_cmd.add_argument("--host", help="address to bind (default: 127.0.0.1, this machine "
                           "only; 0.0.0.0 opens it to the network)")
    serve_cmd.set_defaults(run=run_serve)

    new_cmd = commands.add_parser("new", help="create a paper record from a template")
    new_cmd.add_argument("id", help="the new paper's id, e.g. smith2024probing")
    add_content(new_cmd)
    new_cmd.set_defaults(run=run_new)
    return top


def shard_spec(text: str) -> tuple[int, int]:
    """`K/N` with 1 <= K <= N."""
    part, _, parts = text.partition("/")
    if not (part.isdigit() and parts.isdigit() and 1 <= int(part) <= int(parts)):
        raise argparse.ArgumentTypeError(f"expected K/N with 1 <= K <= N, got {text!r}")
    return int(part), int(parts)


def add_content(command: argparse.ArgumentParser) -> None:
    command.add_argument("--content", type=Path, default=Path("content"),
                         help="content folder (default: content)")


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s) found; nothing was written", file=sys.stderr)


def run_build(args: argparse.Namespace) -> int:
    options = BuildOptions(content=args.content, output=args.output, base_url=args.base_url,
                           jobs=args.jobs, incremental=not args.full, shard=args.shard)
    report = build(options, progress=ProgressLine())
    if report.problems:
        print_problems(report.problems)
        return 1
    print(f"built {args.output}: {report.summary()}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    site, problems = load_collection(args.content)
    if site is None:
        print_problems(problems)
        return 1
    print(f"ok: {len(site.records)} papers, {len(site.hubs)} hubs, no problems")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from generator import serve  # livereload and tornado load only for this command

    options = BuildOptions(content=args.content, output=args.output)
    host = serve.DEFAULT_HOST if args.host is None else args.host
    port = serve.DEFAULT_PORT if args.port is None else args.port
    try:
        return serve.serve(options, host=host, port=port, progress=ProgressLine)
    except serve.ServeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def run_new(args: argparse.Namespace) -> int:
    path = new_record(args.content, args.id)
    print(f"created {path}")
    return 0


class ProgressLine:
    """Progress for builds longer than a second: a live line on a terminal, else a few lines."""

    def __init__(self, delay: float = 1.0, interval: float = 5.0):
        self.started = time.monotonic()
        self.delay = delay
        self.interval = interval
        self.last = 0.0
        self.live = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.started < self.delay:
            return
        finished = done == total
        if self.live and (now - self.last > 0.1 or finished):
            end = "\n" if finished else ""
            print(f"\rrendering pages: {done}/{total}", end=end, file=sys.stderr, flush=True)
            self.last = now
        elif not self.live and (now - self.last > self.interval or finished):
            print(f"rendering pages: {done}/{total}", file=sys.stderr, flush=True)
            self.last = now
