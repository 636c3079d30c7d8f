"""The real `citehub serve` in a subprocess, and raw HTTP requests to it.

Requests go over a plain socket so that the path reaches the server exactly as
written: no client normalises `..`, `%2e` or backslashes away.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.golden import FIXTURES

REPO = Path(__file__).resolve().parent.parent
SMALL = FIXTURES / "small" / "content"
BASE = "/hubs/"  # the small fixture's base_url: the server serves the site under it


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def raw_get(port: int, path: str, host: str = "127.0.0.1") -> Response:
    """GET `path` byte for byte as given (latin-1) from 127.0.0.1, with that `Host`."""
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
               "Connection: close\r\n\r\n").encode("latin-1")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Response(int(status_line.split(" ", 2)[1]), headers, body)


@dataclass(slots=True)
class Served:
    """A running `citehub serve` over a copy of the small fixture, in `folder`."""

    process: subprocess.Popen[bytes]
    port: int
    folder: Path  # holds content/, theme/, site/ and serve.log; also the server's cwd

    @property
    def content(self) -> Path:
        return self.folder / "content"

    @property
    def output(self) -> Path:
        return self.folder / "site"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{BASE}"

    def get(self, path: str, host: str = "127.0.0.1") -> Response:
        return raw_get(self.port, path, host)

    def log(self) -> str:
        return (self.folder / "serve.log").read_text(encoding="utf-8", errors="replace")

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = 10.0) -> float:
        """Poll `condition` until it holds; the seconds it took."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise AssertionError(f"citehub serve exited ({self.process.returncode}) "
                                     f"while waiting for {what}:\n{self.log()}")
            if condition():
                return time.monotonic() - started
            time.sleep(0.05)
        raise AssertionError(f"no {what} within {timeout} s; server log:\n{self.log()}")


def make_site(folder: Path) -> None:
    """The small fixture's content with a copy of the default theme, which tests may edit."""
    shutil.copytree(SMALL, folder / "content")
    shutil.copytree(REPO / "themes" / "default", folder / "theme")
    config = folder / "content" / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "theme: ../theme\n", encoding="utf-8")


@contextmanager
def serving(folder: Path, *extra: str) -> Iterator[Served]:
    """Make a site in `folder`, start `citehub serve` on a free port, wait until it answers."""
    make_site(folder)
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO)}  # this checkout
    command = [sys.executable, "-m", "generator", "serve", "--content", "content",
               "--output", "site", "--port", str(port), *extra]
    with (folder / "serve.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    served = Served(process, port, folder)
    try:
        served.wait_for(lambda: answers(port), "answer from the server", timeout=20)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def answers(port: int) -> bool:
    try:
        return raw_get(port, BASE).status == 200
    except OSError:
        return False
