"""Hostile and broken input beyond the validation rules: each case with its outcome.

Either a correct build (and every file it writes inside `site/`), or `path:line: message`
lines, exit 1 and nothing written. Cases already in `test_validation.py` (bad YAML,
wrong types, duplicate ids, slug collisions, billion laughs, ...) are not repeated.
Tests run in a temporary folder, so printed paths are relative (`content/papers/a.md`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from generator.cache import cache_folder
from generator.cli import main
from generator.problems import display_path
from generator.render import BUILTIN_THEMES
from tests.linkcheck import check_site
from tests.sitefiles import write_site

NOT_FOLLOWED = "citehub does not follow links out of the site (copy the file in instead)"
DEFAULT_TEMPLATES = BUILTIN_THEMES / "default" / "templates"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def build(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    return run(capsys, "build", "--content", "content", "--output", "site", "--jobs", "1")


def everything(root: Path) -> set[str]:
    """Every file and folder under `root`, relative, links included (not followed), but
    for the build's own cache of `site/` (beside it, in `.citehub-cache/`)."""
    cache = cache_folder(Path("site")).parent.relative_to(root.resolve()).as_posix()
    found = {p.relative_to(root).as_posix() for p in root.rglob("*")}
    return {p for p in found if p != cache and not p.startswith(cache + "/")}


def assert_fails(capsys: pytest.CaptureFixture[str], expected: list[str]) -> None:
    """The build fails with exactly `expected`, exit 1, and writes nothing anywhere."""
    before = everything(Path.cwd())
    code, out, err = build(capsys)
    assert err.splitlines() == [*expected, f"{len(expected)} problem(s) found; nothing was written"]
    assert (code, out) == (1, "")
    assert everything(Path.cwd()) == before


def assert_builds_inside_site(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    """The build succeeds and everything it creates under `root` is inside `site/`."""
    before = everything(root)
    code, out, err = build(capsys)
    assert code == 0, err
    assert all(line.startswith("rendering pages: ") for line in err.splitlines()), err
    assert out.startswith("built site: ")
    created = everything(root) - before
    outside = sorted(p for p in created if p != "site" and not p.startswith("site/"))
    assert outside == []


# ----------------------------------------------------------------------- hostile ids

HOSTILE_IDS = {  # id -> the slug it must get
    "../../etc": "-.-..-etc",
    "/abs": "-abs",
    "a\\b": "a-b",
    "C:\\Windows\\win.ini": "C--Windows-win.ini",
    "%2e%2e%2f%2e%2e%2fetc": "-2e-2e-2f-2e-2e-2fetc",
    ".hidden": "-hidden",
    "~root": "-root",
    "CON": "CON-",  # Windows device names cannot be files or folders, with any extension
    "nul.txt": "nul-.txt",
    "LPT1": "LPT1-",
    "index.html": "index-.html",  # a folder papers/index.html would clash with the listing
    "INDEX.JSON": "INDEX-.JSON",
    "my paper (2024)": "my-paper--2024-",
    "café": "caf-",
    "naïve 論文 v2": "na-ve----v2",
    "x" * 300: "x" * 109 + "-02fd682530",  # long ids are cut and keep a digest
}


def test_hostile_ids_get_safe_slugs_and_write_only_inside_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    ids = list(HOSTILE_IDS)
    records = [{"id": paper_id, "title": f"Paper {n}", "topics": [paper_id],
                "cites": [{"paper": ids[(n + 1) % len(ids)], "role": "method"}]}
               for n, paper_id in enumerate(ids)]
    (tmp_path / "content" / "papers").mkdir(parents=True)
    (tmp_path / "content" / "papers" / "bulk.yaml").write_text(json.dumps(records, indent=1))
    assert_builds_inside_site(capsys, tmp_path)

    papers = tmp_path / "site" / "papers"
    slugs = {p.name for p in papers.iterdir() if p.is_dir() and p.name != "page"}
    assert slugs == set(HOSTILE_IDS.values())
    for paper_id, slug in HOSTILE_IDS.items():
        data = json.loads((papers / slug / "index.json").read_text())
        assert data["id"] == paper_id
        assert data["url"] == f"/papers/{slug}/"
        assert (papers / slug / "index.html").is_file()
    topics = {p.name for p in (tmp_path / "site" / "topics").iterdir() if p.is_dir()}
    assert topics == {slug.lower() for slug in HOSTILE_IDS.values()}
    assert check_site(tmp_path / "site") == []


@pytest.mark.parametrize(
    ("paper_id", "message"),
    [
        ("..", "id '..' has no letters or digits for a URL"),
        ("/", "id '/' has no letters or digits for a URL"),
        ("論文", "id '論文' has no letters or digits for a URL"),
        (" \u202e ", "id '\\u202e' has no letters or digits for a URL"),
        ("-" * 300, f"id '{'-' * 300}' has no letters or digits for a URL"),
    ],
)
def test_ids_without_a_usable_slug_are_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    paper_id: str, message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path, f"""
        -- content/papers/bulk.yaml --
        - id: a
          title: A
        - id: {json.dumps(paper_id, ensure_ascii=False)}
          title: Hostile
    """)
    assert_fails(capsys, [f"content/papers/bulk.yaml:3: {message}"])


def test_ids_that_differ_only_in_a_separator_collide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path, r"""
        -- content/papers/bulk.yaml --
        - {id: "a/b", title: Slash}
        - {id: 'a\b', title: Backslash}
        - {id: "CON", title: Device}
        - {id: "CON-", title: Dash}
    """)
    assert_fails(capsys, [
        "content/papers/bulk.yaml:2: id 'a\\b' and id 'a/b' (content/papers/bulk.yaml:1) "
        "both map to the URL slug 'a-b'",
        "content/papers/bulk.yaml:4: id 'CON-' and id 'CON' (content/papers/bulk.yaml:3) "
        "both map to the URL slug 'CON-'",
    ])


# ----------------------------------------------------------------------- big input


def test_a_10_mb_abstract_builds_whole_and_fast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    paragraph = ("Refusal is mediated by a *single* direction in the residual stream; "
                 "ablating it [disables refusal](https://example.org/). ") * 20
    paragraphs = [f"Paragraph {n}. {paragraph}" for n in range(10_000_000 // len(paragraph))]
    abstract = "\n\n".join(paragraphs)
    assert len(abstract.encode()) >= 10_000_000
    write_site(tmp_path, "-- content/papers/b.md --\n---\ntitle: B\n---\n")
    (tmp_path / "content/papers/big.md").write_text(f"---\ntitle: Big\n---\n{abstract}\n")
    started = time.perf_counter()
    assert_builds_inside_site(capsys, tmp_path)
    assert time.perf_counter() - started < 30
    page = (tmp_path / "site/papers/big/index.html").read_text()
    assert page.count("<p>Paragraph ") == len(paragraphs)  # nothing lost
    assert f"<p>Paragraph {len(paragraphs) - 1}. Refusal" in page


# ----------------------------------------------------------------------- links


def outside_files(tmp_path: Path) -> Path:
    """A repository at tmp/repo (the site folder) and files outside it at tmp/outside."""
    outside = tmp_path / "outside"
    write_site(outside, """
        -- secret.md --
        ---
        title: SECRET-RECORD
        ---
        -- papers/x.md --
        ---
        title: SECRET-FOLDER
        ---
        -- site.yaml --
        title: SECRET-CONFIG
        -- static/secret.css --
        SECRET-STATIC
    """)
    for name in ("base.html", "paper.html"):
        (outside / "templates").mkdir(exist_ok=True)
        (outside / "templates" / name).write_text("SECRET-TEMPLATE")
    repo = tmp_path / "repo"
    write_site(repo, """
        -- content/papers/a.md --
        ---
        title: A
        ---
        -- content/pages/about.md --
        About.
    """)
    shutil.copytree(DEFAULT_TEMPLATES, repo / "themes/mine/templates")
    return repo


LINK_CASES = [
    # (the link, relative to the repo; its target, relative to tmp; the problem)
    pytest.param("content/papers/leak.md", "outside/secret.md",
                 f"content/papers/leak.md:0: is a symbolic link to ../outside/secret.md, "
                 f"outside the content folder: {NOT_FOLLOWED}", id="record-file"),
    pytest.param("content/papers/more", "outside/papers",
                 f"content/papers/more:0: is a symbolic link to ../outside/papers, "
                 f"outside the content folder: {NOT_FOLLOWED}", id="record-folder"),
    pytest.param("content/pages/secret.md", "outside/secret.md",
                 f"content/pages/secret.md:0: is a symbolic link to ../outside/secret.md, "
                 f"outside the content folder: {NOT_FOLLOWED}", id="editorial-page"),
    pytest.param("content/home.md", "outside/secret.md",
                 f"content/home.md:0: is a symbolic link to ../outside/secret.md, "
                 f"outside the content folder: {NOT_FOLLOWED}", id="home-page"),
    pytest.param("themes/mine/templates", "outside/templates",
                 f"themes/mine/templates:0: is a symbolic link to ../outside/templates, "
                 f"outside the site folder: {NOT_FOLLOWED}", id="theme-templates-folder"),
    pytest.param("themes/mine/templates/paper.html", "outside/templates/paper.html",
                 f"themes/mine/templates/paper.html:0: is a symbolic link to "
                 f"../outside/templates/paper.html, outside the site folder: {NOT_FOLLOWED}",
                 id="theme-template-file"),
    pytest.param("content/templates/base.html", "outside/templates/base.html",
                 f"content/templates/base.html:0: is a symbolic link to "
                 f"../outside/templates/base.html, outside the site folder: {NOT_FOLLOWED}",
                 id="override-template"),
    pytest.param("content/static", "outside/static",
                 f"content/static:0: is a symbolic link to ../outside/static, "
                 f"outside the site folder: {NOT_FOLLOWED}", id="static-folder"),
    pytest.param("content/site.yaml", "outside/site.yaml",
                 f"content/site.yaml:0: is a symbolic link to ../outside/site.yaml, "
                 f"outside the content folder: {NOT_FOLLOWED}", id="site-config"),
]


@pytest.mark.parametrize(("link", "target", "message"), LINK_CASES)
def test_a_link_out_of_the_site_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    link: str, target: str, message: str,
) -> None:
    repo = outside_files(tmp_path)
    if not link.startswith("content/site.yaml"):
        (repo / "content/site.yaml").write_text("theme: mine\n")
    path = repo / link
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    path.symlink_to(os.path.relpath(tmp_path / target, path.parent))
    monkeypatch.chdir(repo)
    assert_fails(capsys, [message])


def test_a_folder_link_and_a_link_loop_inside_content_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Folder links are never searched (their records would silently be missing)."""
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path, """
        -- content/drafts/d.md --
        ---
        title: D
        ---
    """)
    (tmp_path / "content/papers").mkdir()
    (tmp_path / "content/papers/drafts").symlink_to("../drafts")
    (tmp_path / "content/papers/loop.md").symlink_to("loop.md")
    (tmp_path / "content/papers/gone.md").symlink_to("../nowhere.md")
    assert_fails(capsys, [
        "content/papers/drafts:0: is a symbolic link to a folder: citehub does not follow "
        "folder links (move the files in instead)",
        "content/papers/gone.md:0: is a symbolic link to content/nowhere.md, which does not "
        "exist",
        "content/papers/loop.md:0: is a symbolic link that loops back on itself",
    ])


def test_a_link_to_a_file_inside_content_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path, """
        -- content/shared/a.md --
        ---
        id: linked
        title: Linked record
        ---
    """)
    (tmp_path / "content/papers").mkdir()
    (tmp_path / "content/papers/a.md").symlink_to("../shared/a.md")
    assert_builds_inside_site(capsys, tmp_path)
    assert "Linked record" in (tmp_path / "site/papers/linked/index.html").read_text()


# ----------------------------------------------------------------------- themes


def copy_theme(root: Path, without: str) -> None:
    shutil.copytree(DEFAULT_TEMPLATES, root / "templates")
    (root / "templates" / without).unlink()


MINIMAL = """
    -- content/papers/a.md --
    ---
    title: A
    ---
"""


@pytest.mark.parametrize("missing", ["feed.xml", "404.html", "paper.html"])
def test_a_theme_folder_missing_a_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    missing: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path, MINIMAL + "-- content/site.yaml --\ntheme: bare\n")
    copy_theme(tmp_path / "themes/bare", without=missing)
    assert_fails(capsys, [f"themes/bare/templates:0: theme 'bare' has no template '{missing}'"])


def test_a_theme_given_by_path_missing_a_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path, MINIMAL + "-- content/site.yaml --\ntheme: ../look\n")
    copy_theme(tmp_path / "look", without="sitemap.xml")
    assert_fails(capsys, ["look/templates:0: theme '../look' has no template 'sitemap.xml'"])


def test_an_override_that_extends_a_missing_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path, MINIMAL + """
        -- content/site.yaml --
        theme: bare
        -- content/templates/paper.html --
        {# an override #}
        {% extends "layout.html" %}
    """)
    shutil.copytree(DEFAULT_TEMPLATES, tmp_path / "themes/bare/templates")
    assert_fails(capsys, [
        "content/templates/paper.html:2: template error while rendering /papers/a/: "
        "'layout.html' not found in search paths: 'content/templates', 'themes/bare/templates'",
    ])


def test_a_theme_that_does_not_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path, MINIMAL + "-- content/site.yaml --\ntheme: nothere\n")
    builtin = display_path(BUILTIN_THEMES / "nothere")
    assert_fails(capsys, [
        f"content/site.yaml:0: theme 'nothere' not found (looked in themes/nothere, {builtin})"
    ])


# ----------------------------------------------------------------------- the graph


def test_a_citation_cycle_builds_with_both_hubs_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path, """
        -- content/site.yaml --
        hub: {min_citations: 1}
        -- content/papers/a.md --
        ---
        title: A
        year: 2020
        cites:
          - {paper: b, role: method, polarity: critical, context: "A on B."}
        ---
        -- content/papers/b.md --
        ---
        title: B
        year: 2021
        cites:
          - {paper: a, role: background, polarity: supportive, context: "B on A."}
          - {paper: c, role: result}
        ---
        -- content/papers/c.md --
        ---
        title: C
        cites: [a]
        ---
    """)
    assert_builds_inside_site(capsys, tmp_path)

    def hub(paper_id: str) -> dict[str, object]:
        data = json.loads((tmp_path / f"site/papers/{paper_id}/index.json").read_text())
        assert isinstance(data, dict)
        return data

    a, b, c = hub("a"), hub("b"), hub("c")
    assert (a["citations"], [row["id"] for row in a["citing"]]) == (2, ["b", "c"])  # type: ignore[attr-defined]
    assert (b["citations"], [row["id"] for row in b["citing"]]) == (1, ["a"])  # type: ignore[attr-defined]
    assert (c["citations"], [row["id"] for row in c["citing"]]) == (1, ["b"])  # type: ignore[attr-defined]
    assert [(r["key"], r["count"]) for r in a["roles"]] == [  # type: ignore[attr-defined]
        ("background", 1), ("method", 0), ("result", 0)]
    assert a["unclassified"] == {"role": 1, "polarity": 1}
    assert [(r["key"], r["count"]) for r in b["roles"]] == [  # type: ignore[attr-defined]
        ("background", 0), ("method", 1), ("result", 0)]
    assert a["citing"][0]["contexts"] == ["B on A."]  # type: ignore[index]
    assert b["citing"][0]["contexts"] == ["A on B."]  # type: ignore[index]
    page = (tmp_path / "site/papers/a/index.html").read_text()
    assert "Explore all 2 citing papers" in page
    assert check_site(tmp_path / "site") == []


# ----------------------------------------------------------------------- site.yaml, pages


@pytest.mark.parametrize("axis", ["roles", "polarities"])
def test_a_taxonomy_key_cannot_name_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    axis: str,
) -> None:
    """Keys become URLs (/roles/<key>/): one that is a path must be refused, by line."""
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path / "repo", f"""
        -- content/site.yaml --
        {axis}:
          - {{key: ok, label: OK}}
          - {{key: "../../escaped", label: Escaped}}
        -- content/papers/a.md --
        ---
        title: A
        ---
    """)
    monkeypatch.chdir(tmp_path / "repo")
    before = everything(tmp_path)
    code, _, err = build(capsys)
    escaped = sorted(p for p in everything(tmp_path) - before if not p.startswith("repo/site"))
    assert escaped == []  # above all: nothing written outside the output folder
    assert code == 1
    lines = err.splitlines()
    assert re.fullmatch(r"content/site\.yaml:3: .*'\.\./\.\./escaped'.*", lines[0]), err
    assert lines[-1] == "1 problem(s) found; nothing was written"


@pytest.mark.parametrize(
    ("name", "slug"),
    [("papers.md", "papers"), ("Roles.md", "roles"), ("static.md", "static"),
     ("feed.xml.md", "feed.xml"), ("sitemap.xml.md", "sitemap.xml"), ("404.html.md", "404.html")],
)
def test_an_editorial_page_cannot_take_a_site_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    name: str, slug: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path, MINIMAL + f"-- content/pages/{name} --\nA page.\n")
    assert_fails(capsys, [f"content/pages/{name}:1: a page named '{slug}' clashes with the "
                          f"site's own '{slug}'; rename the file"])


def test_two_editorial_pages_with_one_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path, MINIMAL + """
        -- content/pages/read me.md --
        One.
        -- content/pages/read-me.md --
        Two.
    """)
    assert_fails(capsys, ["content/pages/read-me.md:1: this page and content/pages/read me.md "
                          "both map to the URL /read-me/; rename one of them"])


def test_a_control_character_in_front_matter_is_one_line_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """PDF extraction leaves control characters in titles: YAML refuses them raw, and the
    report must name the line they are on, in one line like every other problem."""
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path, "-- content/papers/a.md --\n---\nyear: 2020\ntitle: A\bB\n---\n")
    assert_fails(capsys, ["content/papers/a.md:3: invalid YAML: the character U+0008 is not "
                          "allowed in YAML text (write it escaped in double quotes, as \\b)"])
