"""`citehub serve` as a user meets it: the real command in a subprocess, raw HTTP requests.

One server for the module (starting it costs about a second). The tests share it but
not their edits: each one puts back what it changed before it ends.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import search
from generator.build import BuildOptions, build
from tests.devserver import BASE, Served, serving

SECRET = b"top secret: outside the output folder"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("serve")
    (folder / "outside").mkdir()
    (folder / "outside" / "secret.txt").write_bytes(SECRET)
    with serving(folder) as server:
        yield server


def problems(served: Served) -> list[str]:
    data = json.loads(served.get("/__citehub/problems.json").body)
    return [problem["text"] for problem in data["problems"]]


def test_root_redirects_to_the_base_path_and_pages_carry_livereload(served: Served) -> None:
    root = served.get("/")
    assert (root.status, root.headers["location"]) == (302, BASE)
    home = served.get(BASE)
    assert home.status == 200
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Small fixture</h1>" in home.text or "Small fixture" in home.text
    assert "/livereload.js?port=" in home.text
    assert "citehub-problems" not in home.text


def test_folders_redirect_to_their_slash_and_missing_files_get_the_404_page(
        served: Served) -> None:
    folder = served.get(f"{BASE}papers/devlin2019")
    assert (folder.status, folder.headers["location"]) == (301, f"{BASE}papers/devlin2019/")
    assert served.get(f"{BASE}papers/devlin2019/").status == 200
    assert served.get(f"{BASE}papers/devlin2019/index.json").headers["content-type"] == (
        "application/json; charset=utf-8")
    missing = served.get(f"{BASE}papers/nobody/")
    assert missing.status == 404
    assert missing.body.startswith(b"<!doctype html>")


@pytest.mark.parametrize("path", [
    "/../",
    "/%2e%2e/",
    "/%2E%2E/etc/passwd",
    "/papers/..%2f..%2f",
    "/..\\..\\",
    "/%5c..%5c",
    "//etc/passwd",
    f"{BASE}../outside/secret.txt",
    f"{BASE}%2e%2e/outside/secret.txt",
    f"{BASE}%2E%2e/outside/secret.txt",
    f"{BASE}.%2e/outside/secret.txt",
    f"{BASE}papers/..%2f..%2foutside%2fsecret.txt",
    f"{BASE}papers/%2e%2e%2F%2e%2e%2Foutside/secret.txt",
    f"{BASE}..\\outside\\secret.txt",
    f"{BASE}%5c..%5coutside%5csecret.txt",
    f"{BASE}..%5Coutside%5Csecret.txt",
    f"{BASE}%c0%ae%c0%ae/outside/secret.txt",
    f"{BASE}index.html%00.txt",
    f"{BASE}/{{folder}}/outside/secret.txt",
    "/{folder}/outside/secret.txt",
    "/%2f{folder}/outside/secret.txt",
    f"{BASE}%2f{{folder}}/outside/secret.txt",
], ids=[
    "dotdot-root", "encoded-dotdot-root", "encoded-dotdot-upper-etc-passwd",
    "encoded-slash-dotdot", "backslashes-root", "encoded-backslash-root", "absolute-etc-passwd",
    "dotdot", "encoded-dotdot", "encoded-dotdot-mixed-case", "half-encoded-dotdot",
    "encoded-slashes", "encoded-slashes-upper", "backslashes", "encoded-backslashes",
    "encoded-backslashes-upper", "overlong-utf8-dots", "nul", "double-slash-inside-base",
    "absolute-path", "encoded-absolute-path", "encoded-absolute-inside-base",
])
def test_requests_outside_the_output_folder_are_refused(served: Served, path: str) -> None:
    response = served.get(path.replace("{folder}", str(served.folder).lstrip("/")))
    assert response.status in (400, 403, 404), response.status
    assert SECRET not in response.body
    assert b"root:" not in response.body  # /etc/passwd


def test_links_out_of_the_output_folder_are_refused(served: Served) -> None:
    outside = served.folder / "outside"
    links = {"leak.txt": outside / "secret.txt", "leak-dir": outside,
             "inside.html": served.output / "index.html"}
    for name, target in links.items():
        (served.output / name).unlink(missing_ok=True)
        (served.output / name).symlink_to(target)
    for path in ("leak.txt", "leak-dir/secret.txt", "leak-dir/", "leak-dir"):
        response = served.get(BASE + path)
        assert response.status == 404, path
        assert SECRET not in response.body
    assert served.get(f"{BASE}inside.html").status == 200  # links inside the folder are fine


def test_binds_to_loopback_only(served: Served) -> None:
    """127.0.1.1 is this machine too, but a server bound to 127.0.0.1 alone refuses it."""
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.1.1", served.port), timeout=2).close()


@pytest.mark.parametrize("host", ["localhost", "[::1]"])
def test_loopback_host_names_are_served(served: Served, host: str) -> None:
    assert served.get(BASE, host=host).status == 200


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "192.168.1.20"])
def test_other_host_names_are_refused(served: Served, host: str) -> None:
    """A page on another site cannot read the preview by pointing its name at 127.0.0.1."""
    response = served.get(f"{BASE}papers/devlin2019/index.json", host=host)
    assert response.status == 403
    assert b"devlin2019" not in response.body


def test_an_edit_shows_in_the_served_page(served: Served) -> None:
    record = served.content / "papers" / "vaswani2017.md"
    original = record.read_text(encoding="utf-8")
    page = f"{BASE}papers/vaswani2017/"
    assert "<h1>Attention Is All You Need</h1>" in served.get(page).text
    try:
        record.write_text(original.replace("title: Attention Is All You Need",
                                           "title: Attention Is Still All You Need"),
                          encoding="utf-8")
        seconds = served.wait_for(
            lambda: "<h1>Attention Is Still All You Need</h1>" in served.get(page).text,
            "new title in the served page")
        assert seconds < 5
        assert "Attention Is Still All You Need" in served.get(
            f"{BASE}papers/devlin2019/").text  # the citing paper's page names it too
        assert "updated site: " in served.log()  # in memory, without a full build
        # The index is remade once edits pause, in the background.
        served.wait_for(lambda: indexed(served, "still"), "new title in the search index")
    finally:
        record.write_text(original, encoding="utf-8")
        served.wait_for(lambda: "<h1>Attention Is All You Need</h1>" in served.get(page).text,
                        "original title back")


def indexed(served: Served, word: str) -> bool:
    """Whether the served search index has `word` (in the shard search.js would fetch)."""
    manifest = json.loads(served.get(f"{BASE}search/data/manifest.json").body)
    shard = search.fnv1a(word) % manifest["shards"]
    return word in json.loads(served.get(f"{BASE}search/data/t/{shard}.json").body)


def test_a_broken_edit_keeps_the_last_good_site_and_shows_the_problems_until_fixed(
        served: Served) -> None:
    record = served.content / "papers" / "devlin2019.md"
    original = record.read_text(encoding="utf-8")
    page = f"{BASE}papers/devlin2019/"
    good = served.get(page).text
    expected = "content/papers/devlin2019.md:4: 'year' must be a four-digit year, found 'soon'"
    try:
        record.write_text(original.replace("year: 2019", "year: soon")
                          .replace('title: "BERT:', 'title: "BROKEN BERT:'), encoding="utf-8")
        served.wait_for(lambda: problems(served) == [expected], "the problem reported")
        assert expected in served.log()
        broken = served.get(page)
        assert broken.status == 200
        assert "BROKEN" not in broken.text  # the last good build, untouched
        assert broken.text.replace(overlay_of(broken.text), "") == good
        assert "content/papers/devlin2019.md:4: &#x27;year&#x27; must be a four-digit year, " \
               "found &#x27;soon&#x27;" in overlay_of(broken.text)
        missing = served.get(f"{BASE}no/such/page/")
        assert missing.status == 404 and overlay_of(missing.text)  # every HTML page shows it
    finally:
        record.write_text(original, encoding="utf-8")
    served.wait_for(lambda: not problems(served), "the problem cleared")
    fixed = served.get(page).text
    assert "citehub-problems" not in fixed
    assert fixed == good


def test_template_overrides_and_the_theme_are_watched(served: Served) -> None:
    override = served.content / "templates" / "page.html"
    override.parent.mkdir(exist_ok=True)
    override.write_text("line one\n{{ title }\n", encoding="utf-8")
    try:
        served.wait_for(lambda: any(p.startswith("content/templates/page.html:2: template error")
                                    for p in problems(served)), "template error reported")
    finally:
        override.unlink()
    served.wait_for(lambda: not problems(served), "the template problem cleared")

    css = served.folder / "theme" / "static" / "citehub.css"
    original = css.read_text(encoding="utf-8")
    try:
        css.write_text(original + "\n.edited-theme{color:red}\n", encoding="utf-8")
        served.wait_for(lambda: ".edited-theme" in served.get(f"{BASE}static/citehub.css").text,
                        "the theme edit served")
    finally:
        css.write_text(original, encoding="utf-8")


def overlay_of(page: str) -> str:
    """The problems overlay the server adds to a page ('' when there is none)."""
    start = page.find('<div id="citehub-problems"')
    return "" if start < 0 else page[start:page.index("</div>", start) + len("</div>")]


def test_a_stopped_server_leaves_a_site_the_next_build_trusts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped by SIGTERM after an edit in memory, the server saves its build state: the
    next `citehub build` finds every page up to date instead of rebuilding the site."""
    with serving(tmp_path) as server:
        record = server.content / "papers" / "vaswani2017.md"
        record.write_text(record.read_text(encoding="utf-8").replace(
            "title: Attention Is All You Need", "title: Attention Again"), encoding="utf-8")
        server.wait_for(lambda: "updated site: " in server.log(), "the edit applied")
    assert server.process.returncode == 0
    monkeypatch.chdir(tmp_path)  # where the server ran: records are named from there
    report = build(BuildOptions(content=Path("content"), output=Path("site"), jobs=1))
    assert report.problems == [] and not report.full
    assert report.rendered == 0
    assert "Attention Again" in (server.output / "papers/vaswani2017/index.html").read_text()
