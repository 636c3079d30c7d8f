"""`citehub serve`: build, serve the output folder on loopback, rebuild on change, live reload.

- `DevServer` holds the build options, the last good site in memory (`live`) and the
  last build's problems. On a change it applies the changed files to the live site
  (a full build when they are not all record files), prints the summary or every
  `path:line: message`, and reloads the open browsers through livereload's websocket.
- `watch.FolderWatcher` tells it which files changed, once a burst of changes has
  settled, so a `git checkout` gives one rebuild.
- `SiteHandler` replaces livereload's static file handler. It serves files from the
  output folder only: the raw request path is checked before anything is opened
  (`..` and `.` segments, also percent-encoded, `%2f`, backslashes raw or `%5c`, NUL
  and other control characters, a leading `//`), and the real path of the file, after
  symbolic links, must be inside the output folder's real path.
- Bound to loopback (the default), it also refuses requests whose `Host` is not a
  loopback name, so a web page cannot read the preview through DNS rebinding.
- While the last build had problems, every HTML page served carries an overlay that
  lists them, and `/__citehub/problems.json` has them as data; the site shown is the
  last good build, which a failed build never touches.

The output is built with the site's own `base_url` (the same bytes `citehub build`
writes) and served under its path, so `/` redirects to e.g. `/sub/path/`.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import mimetypes
import os
import re
import signal
import socket
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote

from livereload import Server  # type: ignore[import-untyped]
from livereload.handlers import LiveReloadHandler  # type: ignore[import-untyped]
from tornado.web import RequestHandler

from generator.build import BuildOptions, BuildReport
from generator.config import load_config
from generator.live import LiveSite
from generator.output import MARKER, OutputError, check_output_dir
from generator.problems import Problem, display_path
from generator.render import find_theme
from generator.watch import FolderWatcher
from generator.workers import Progress

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
PROBLEMS_URL = "/__citehub/problems.json"


SEARCH_DELAY = 1.0  # seconds without edits before the search index is remade


@dataclass(slots=True)
class Later:
    """One call waiting on the server's event loop, which a newer one replaces. Outside
    a running loop (a test driving the server by hand) the call runs at once."""

    handle: asyncio.TimerHandle | None = None

    def start(self, delay: float, call: Callable[[], None]) -> None:
        self.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            call()
            return
        self.handle = loop.call_later(delay, call)

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None


class ServeError(Exception):
    """The server cannot start (e.g. the port is taken); the message says why."""


@dataclass(slots=True)
class DevServer:
    options: BuildOptions
    progress: Callable[[], Progress] | None = None
    problems: list[Problem] = field(default_factory=list)
    base_path: str = "/"
    theme_folder: Path | None = None
    any_host: bool = False  # answer requests for any Host name (bound beyond loopback)
    live: LiveSite | None = None  # the last good build, kept in memory
    pending: set[str] = field(default_factory=set)  # changed since `live` was made
    search_timer: Later = field(default_factory=Later)  # remakes the index

    def rebuild(self, changed: Sequence[str], progress: Progress | None
                ) -> tuple[BuildReport, str]:
        """Apply the changes to the live site; a full build when that cannot be done.

        The changes are kept until a build succeeds: after a broken edit (a full build
        that reported problems), the fix is applied to the last good site together
        with the broken edit, so it too can take the quick way."""
        self.pending.update(changed)
        if self.live is not None and self.pending:
            report = self.live.update(sorted(self.pending), progress)
            if report is not None and not report.problems:
                self.pending.clear()
                return report, "updated"
        if self.live is not None:
            self.live.search.stop()  # the full build writes the index itself
        report, live = LiveSite.start(self.options, progress)
        if live is not None:
            self.live, self.pending = live, set()
        return report, "built"

    def stop(self) -> None:
        """Leave the build state on disk for the next `citehub build`."""
        if self.live is not None:
            self.live.save()

    def build_and_report(self, changed: Sequence[str] = ()) -> bool:
        """Rebuild, print the outcome, remember the problems; True when the build succeeded."""
        progress = self.progress() if self.progress is not None else None
        try:
            report, done = self.rebuild(changed, progress)
        except OutputError as error:
            done = "built"
            report = BuildReport(problems=[Problem(display_path(self.options.output), 0,
                                                   str(error))])
        except Exception as error:  # a bug in citehub: show it, keep serving the last site
            traceback.print_exc()
            done = "built"
            report = BuildReport(problems=[Problem("citehub", 0, f"internal error: {error!r}")])
        self.problems = report.problems
        if report.problems:
            for problem in report.problems:
                print(problem, file=sys.stderr)
            served = (f"still serving the last good build of {self.options.output}"
                      if (self.options.output / MARKER).is_file() else "no site to serve yet")
            print(f"{len(report.problems)} problem(s) found; {served}", file=sys.stderr,
                  flush=True)
            return False
        print(f"{done} {self.options.output}: {report.summary()}", flush=True)
        if done == "built" and self.live is not None:  # an update never changes them
            self.base_path = self.live.prepared.site.config.base_path
            self.theme_folder = self.live.prepared.theme.folder
        return True

    def watched_folders(self) -> list[Path]:
        """The content folder (with its template overrides) and the theme in use."""
        theme = self.theme_folder or self.options.content.parent / "themes"
        return [self.options.content, theme]

    def on_change(self, changed: list[str]) -> None:
        shown = ", ".join(display_path(Path(path)) for path in changed[:3])
        more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        print(f"changed: {shown}{more}; rebuilding", file=sys.stderr, flush=True)
        self.search_timer.cancel()
        self.build_and_report(changed)
        reload_browsers()
        if self.live is not None and self.live.search_stale:
            self.search_timer.start(SEARCH_DELAY, self.live.refresh_search)

    def decorate(self, page: bytes) -> bytes:
        """An HTML page as served: with a `</head>` for livereload's script and the overlay."""
        if b"</head>" not in page:
            body = re.search(rb"<body[\s>]", page, re.IGNORECASE)
            at = body.start() if body else len(page)
            page = page[:at] + b"</head>" + page[at:]
        if not self.problems:
            return page
        overlay = problems_overlay(self.problems).encode()
        end = page.rfind(b"</body>")
        at = end if end >= 0 else len(page)
        return page[:at] + overlay + page[at:]

    def problems_json(self) -> bytes:
        problems = [{"path": p.path, "line": p.line, "message": p.message, "text": str(p)}
                    for p in self.problems]
        return json.dumps({"ok": not problems, "problems": problems}, indent=1).encode()


def site_settings(content: Path, base_path: str, theme_folder: Path | None
                  ) -> tuple[str, Path | None]:
    """The site's base path and theme folder from its config; the given ones if broken."""
    config, problems = load_config(content)
    if problems:
        return base_path, theme_folder
    theme, _ = find_theme(config.theme, content)
    return config.base_path, (theme.folder if theme is not None else theme_folder)


def reload_browsers() -> None:
    """Tell every open page to reload (a full reload: the overlay may come or go)."""
    LiveReloadHandler.reload_waiters("*")


def problems_overlay(problems: Sequence[Problem]) -> str:
    lines = "\n".join(html.escape(str(problem)) for problem in problems)
    return (
        '<div id="citehub-problems" role="alert" style="position:fixed;top:0;left:0;right:0;'
        "z-index:2147483647;max-height:60vh;overflow:auto;margin:0;padding:1em 1.25em;"
        "background:#fff4f4;color:#5c0000;border-bottom:4px solid #b00020;"
        'font:14px/1.45 ui-monospace,monospace;box-shadow:0 2px 12px rgba(0,0,0,.3)">'
        f"<strong>citehub: the last build failed with {len(problems)} problem(s).</strong> "
        "This is the last good build; fix the problems and the page reloads."
        f'<pre style="white-space:pre-wrap;margin:.5em 0 0">{lines}</pre></div>'
    )


# --- paths: only files inside the output folder ----------------------------------------


@dataclass(frozen=True, slots=True)
class Lookup:
    """Where a request path leads: a file to send, a redirect, or an error status."""

    status: int
    file: Path | None = None
    location: str | None = None


def request_segments(raw_path: str) -> list[str] | None:
    """The decoded segments of a raw request path, or None when it must be refused.

    The check runs on the path as sent and again after percent-decoding (once: a
    `%252e` stays a literal `%2e`), so encoded dots, slashes and backslashes are
    refused as if they had been written out.
    """
    if not raw_path.startswith("/") or raw_path.startswith("//") or "\\" in raw_path:
        return None
    try:
        decoded = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in decoded or any(ord(c) < 0x20 or ord(c) == 0x7F for c in decoded):
        return None
    segments = decoded[1:].split("/")
    if any(s in ("", ".", "..") for s in segments[:-1]) or segments[-1] in (".", ".."):
        return None
    return segments


def lookup(root: Path, base_path: str, raw_path: str) -> Lookup:
    """The file under `root` that `raw_path` names, served under `base_path`."""
    segments = request_segments(raw_path)
    if segments is None:
        return Lookup(403)
    base = [s for s in base_path.split("/") if s]
    if segments[: len(base)] != base:
        at_root = raw_path == "/" or unquote(raw_path).rstrip("/") == base_path.rstrip("/")
        return Lookup(302, location=base_path) if at_root else Lookup(404)
    inside = segments[len(base):]
    real_root = Path(os.path.realpath(root))
    target = Path(os.path.realpath(root.joinpath(*inside)))
    if not target.is_relative_to(real_root):
        return Lookup(404)  # a link out of the output folder: as if it were not there
    if target.is_dir():
        if not raw_path.endswith("/"):
            return Lookup(301, location=raw_path + "/")
        target = Path(os.path.realpath(target / "index.html"))
        if not target.is_relative_to(real_root):
            return Lookup(404)
    return Lookup(200, file=target) if target.is_file() else Lookup(404)


def content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    text = kind.startswith("text/") or kind.endswith(("+xml", "/xml", "/json", "+json"))
    return f"{kind}; charset=utf-8" if text else kind


class SiteHandler(RequestHandler):
    """Serves the output folder of `dev` (set on the subclass made by `handler_for`)."""

    dev: ClassVar[DevServer]

    def initialize(self, **_livereload_options: Any) -> None:
        """livereload passes `path` and `default_filename`; the root comes from `dev`."""

    def get(self, *_path: str) -> None:
        raw = self.request.path  # as sent, still percent-encoded: tornado decodes `_path`
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")
        if not self.dev.any_host and self.request.host_name not in LOOPBACK_NAMES:
            self.send_page_for(403)
            return
        if raw == PROBLEMS_URL:
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.write(self.dev.problems_json())
            return
        found = lookup(self.dev.options.output, self.dev.base_path, raw)
        if found.location is not None:
            self.redirect(found.location, status=found.status)
            return
        if found.file is None:
            self.send_page_for(found.status)
            return
        self.send_file(found.file)

    def send_file(self, path: Path) -> None:
        kind = content_type(path)
        data = path.read_bytes()
        self.set_header("Content-Type", kind)
        self.write(self.dev.decorate(data) if kind.startswith("text/html") else data)

    def send_page_for(self, status: int) -> None:
        """The site's own 404 page (or a small stand-in), with the overlay when broken."""
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        found = lookup(self.dev.options.output, "/", "/404.html")
        if status == 404 and found.file is not None:
            self.write(self.dev.decorate(found.file.read_bytes()))
            return
        title = "Not found" if status == 404 else "Refused"
        page = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}"
                f"</title></head><body><h1>{status} {title}</h1></body></html>")
        self.write(self.dev.decorate(page.encode()))


def handler_for(dev: DevServer) -> type[SiteHandler]:
    return type("BoundSiteHandler", (SiteHandler,), {"dev": dev})


# --- the command ------------------------------------------------------------------------


def serve(options: BuildOptions, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          progress: Callable[[], Progress] | None = None) -> int:
    """Build, then serve `options.output` and rebuild on changes until interrupted."""
    check_output_dir(options.output, options.content)  # raises OutputError: nothing served
    check_address(host, port)  # before a build that may take minutes
    dev = DevServer(options, progress, any_host=host not in LOOPBACK_NAMES)
    dev.base_path, dev.theme_folder = site_settings(options.content, "/", None)
    watcher = FolderWatcher()  # snapshots taken before the build: edits during it count
    server = Server(watcher=watcher)
    server.SFH = handler_for(dev)

    def on_change(changed: list[str]) -> None:
        before = dev.watched_folders()
        dev.on_change(changed)
        after = dev.watched_folders()
        for folder in set(before) - set(after):  # the theme changed: watch the new one
            watcher.unwatch(str(folder.resolve()))
        for folder in set(after) - set(before):
            server.watch(str(folder.resolve()), on_change)

    for folder in dev.watched_folders():
        server.watch(str(folder.resolve()), on_change)
    dev.build_and_report()
    quiet_livereload()
    url_host = f"[{host}]" if ":" in host else host
    if dev.any_host:
        print(f"warning: serving on {host}: other machines can reach this server",
              file=sys.stderr)
    print(f"serving {options.output} at http://{url_host}:{port}{dev.base_path} "
          "(Ctrl-C to stop)", flush=True)
    signal.signal(signal.SIGTERM, stop_on_signal)  # e.g. `kill`: stop as Ctrl-C does
    try:
        server.serve(root=str(options.output), host=host, port=port, open_url_delay=None)
    except OSError as error:
        raise ServeError(f"cannot serve on {host}:{port}: {error.strerror or error}") from error
    finally:
        dev.stop()
    return 0


def stop_on_signal(number: int, frame: object) -> None:
    """SIGTERM as a KeyboardInterrupt: the server stops and saves its build state."""
    del number, frame
    raise KeyboardInterrupt


def check_address(host: str, port: int) -> None:
    """Refuse an address this server could not listen on (taken, or not this machine's)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        for family, kind, proto, _, address in infos[:1]:
            with socket.socket(family, kind, proto) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado does
                probe.bind(address)
    except OSError as error:
        raise ServeError(f"cannot serve on {host}:{port}: {error.strerror or error}") from error


class _WarningsOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


def quiet_livereload() -> None:
    """livereload logs every task run and browser connection; we print our own lines."""
    logging.getLogger("livereload").addFilter(_WarningsOnly())
