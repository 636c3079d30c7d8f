"""Build the shipped content, serve it on 127.0.0.1, and launch Debian's Chromium.

Shared by the browser tests (`conftest.py`) and `screenshot.py`. Playwright drives the
system Chromium (`/usr/bin/chromium`, or `$CITEHUB_CHROMIUM`); `playwright install` is
never needed.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from generator.build import BuildOptions, build

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
HUB_PATH = "papers/arditi2024refusal/"  # the reference hub page, relative to the site root
DEFAULT_CHROMIUM = "/usr/bin/chromium"

# Headless flags that work offline (see /work/shared/TOOLCHAIN.md). Playwright refuses a
# `--user-data-dir` argument: `launch()` itself gives every browser a fresh temporary
# profile and deletes it on close.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> str:
    """The Chromium executable: `$CITEHUB_CHROMIUM`, else Debian's `/usr/bin/chromium`."""
    path = os.environ.get("CITEHUB_CHROMIUM") or DEFAULT_CHROMIUM
    if not Path(path).is_file():
        raise FileNotFoundError(
            f"no Chromium at {path}: install Debian's `chromium` package "
            "or set CITEHUB_CHROMIUM to a Chromium executable")
    return path


def launch_options() -> dict[str, Any]:
    """Keyword arguments for `playwright.chromium.launch()`."""
    return {"executable_path": chromium_path(), "headless": True, "args": list(CHROMIUM_FLAGS)}


def build_site(content: Path, output: Path) -> None:
    report = build(BuildOptions(content=content, output=output))
    if not report.ok:
        problems = "\n".join(str(problem) for problem in report.problems)
        raise RuntimeError(f"building {content} failed:\n{problems}")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` over HTTP on a free port of 127.0.0.1; yields the root URL."""
    handler = partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="citehub-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def built_site(content: Path = CONTENT) -> Iterator[str]:
    """Build `content` into a temporary folder and serve it; yields the root URL."""
    with tempfile.TemporaryDirectory(prefix="citehub-browser-") as tmp:
        output = Path(tmp) / "site"
        build_site(content, output)
        with serve(output) as url:
            yield url
