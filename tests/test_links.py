"""Every internal link resolves: the shipped content, a generated 2,000-paper site, and the
small fixture built for a sub-path and served under it over HTTP.

The checker (`tests/linkcheck.py`) reads every HTML file (href, src, srcset), the
sitemap, the feed and the per-paper JSON `url` fields.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from bench.corpus import generate
from generator.cli import main
from tests.golden import FIXTURES
from tests.linkcheck import check_site, site_links
from tests.sitefiles import write_site

REPO = Path(__file__).resolve().parent.parent
SUB_URL = "https://example.org/sub/path/"
SUB_PATH = "/sub/path/"


def build(content: Path, output: Path, *extra: str) -> None:
    assert main(["build", "--content", str(content), "--output", str(output), *extra]) == 0


def test_the_checker_finds_broken_links(tmp_path: Path) -> None:
    """The checker is not vacuous: each kind of broken link is reported, the rest not."""
    write_site(tmp_path, """
        -- site/index.html --
        <a href="/a/">ok</a> <a href="a/#top">ok</a> <a href="#here" id="here">ok</a>
        <a href="/missing/">1</a> <a href="/a/#nowhere">2</a> <img src="/b.png">
        <img srcset="/a/index.html 1x, /c.png 2x"> <a href="/a">3</a>
        <a href="https://elsewhere.example/x">off-site</a> <a href="mailto:x@example.org">m</a>
        -- site/a/index.html --
        <h1 id="top">A</h1> <a href="../../../etc/passwd">4</a>
        -- site/sitemap.xml --
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <url><loc>/a/</loc></url><url><loc>/gone/</loc></url></urlset>
        -- site/papers/x/index.json --
        {"url": "/a/", "citing": [{"url": "/papers/y/"}]}
    """)
    assert check_site(tmp_path / "site") == [
        "a/index.html: ../../../etc/passwd",
        "index.html: /missing/",
        "index.html: /a/#nowhere (no #nowhere there)",
        "index.html: /b.png",
        "index.html: /c.png",
        "index.html: /a",
        "papers/x/index.json: /papers/y/",
        "sitemap.xml: /gone/",
    ]
    # Served under a sub-path, a root-relative link that ignores the base path is broken.
    assert "index.html: /a/" in check_site(tmp_path / "site", SUB_URL)


def test_shipped_content_has_no_broken_links(tmp_path: Path) -> None:
    build(REPO / "content", tmp_path / "site")
    assert check_site(tmp_path / "site") == []
    assert sum(1 for _ in site_links(tmp_path / "site")) > 1000  # it did look


def test_a_generated_2000_paper_site_has_no_broken_links(tmp_path: Path) -> None:
    stats = generate(2000, tmp_path / "content")
    assert stats.papers == 2000
    build(tmp_path / "content", tmp_path / "site")
    assert check_site(tmp_path / "site") == []


class _SubPathHandler(SimpleHTTPRequestHandler):
    """Serves `directory` at SUB_PATH only; every other path is 404."""

    def translate_path(self, path: str) -> str:
        if not urlsplit(path).path.startswith(SUB_PATH):
            return str(Path(self.directory) / ".not-under-the-sub-path")
        return super().translate_path("/" + path[len(SUB_PATH):])

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_under_sub_path(folder: Path) -> Iterator[str]:
    """Serve `folder` at http://127.0.0.1:<port>/sub/path/; yields the origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(_SubPathHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("sub") / "site"
    build(FIXTURES / "small" / "content", output, "--base-url", SUB_URL)
    return output


def test_the_small_fixture_under_a_sub_path_has_no_broken_links(sub_path_site: Path) -> None:
    assert check_site(sub_path_site, SUB_URL) == []


def test_the_small_fixture_served_under_a_sub_path_answers_every_link(
    sub_path_site: Path,
) -> None:
    internal = sorted({link.url.split("#")[0] for link in site_links(sub_path_site, SUB_URL)
                       if link.target is not None})
    assert len(internal) > 30
    assert all(url.startswith(SUB_URL) for url in internal)
    with serve_under_sub_path(sub_path_site) as origin:
        fetched = {url: status(origin + urlsplit(url).path) for url in internal}
        assert {url: code for url, code in fetched.items() if code != 200} == {}
        # The server really is strict about the prefix: the same page off the sub-path is 404.
        assert status(origin + "/papers/") == 404
        assert status(origin + SUB_PATH + "papers/") == 200
