"""Incremental rebuilds: whatever is edited, added, renamed or deleted, the result equals
a clean full build byte for byte, and only the pages whose inputs changed are rendered."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.corpus import generate
from generator.build import BuildOptions, BuildReport, build
from tests.golden import FIXTURES, assert_equals_clean_build, tree

REPO = Path(__file__).resolve().parent.parent


def rebuild(content: Path, out: Path) -> BuildReport:
    report = build(BuildOptions(content=content, output=out, jobs=1))
    assert report.problems == []
    return report


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "content"
    generate(300, folder)
    return folder


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("title", lambda c: edit(c / "papers/p000150.md", "title: \"", "title: \"Edited ")),
    ("role", lambda c: edit(c / "papers/p000200.md", "role: background", "role: result")),
    ("add", lambda c: (c / "papers/zz-new.md").write_text(
        "---\ntitle: New\nyear: 2030\ncites: [{paper: p000001, role: method}]\n---\nNew.\n")),
    ("rename", lambda c: (c / "papers/p000299.md").rename(c / "papers/renamed.md")),
    ("delete-leaf", lambda c: (c / "papers/p000298.md").unlink()),
    ("site-config",
     lambda c: edit(c / "site.yaml", "base_url: /", "hub: {min_citations: 4}\nbase_url: /")),
]


def test_every_edit_equals_a_clean_build(corpus: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    out = tmp_path / "site"
    first = rebuild(content, out)
    assert first.full
    for name, change in EDITS:
        change(content)
        report = rebuild(content, out)
        assert report.rendered < first.pages or name == "site-config", name
        assert_equals_clean_build(content, out, tmp_path)


def test_no_change_renders_nothing(tmp_path: Path) -> None:
    content = FIXTURES / "small" / "content"
    out = tmp_path / "site"
    rebuild(content, out)
    before = tree(out)
    again = rebuild(content, out)
    assert (again.full, again.rendered, again.written) == (False, 0, 0)
    assert tree(out) == before


def test_editing_one_title_renders_only_the_pages_that_show_it(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small" / "content", content)
    out = tmp_path / "site"
    rebuild(content, out)
    edit(content / "papers/bulk.yaml", "title: An unlabelled citer", "title: A renamed citer")
    report = rebuild(content, out)
    assert not report.full
    assert 0 < report.rendered < report.pages / 2
    assert "A renamed citer" in (out / "papers/stub-2021/index.html").read_text()
    assert "A renamed citer" in (out / "papers/vaswani2017/index.html").read_text()
    assert_equals_clean_build(content, out, tmp_path)


def test_a_template_change_renders_the_pages_that_use_it(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small" / "content", content)
    out = tmp_path / "site"
    first = rebuild(content, out)
    (content / "templates").mkdir()
    (content / "templates" / "404.html").write_text("<p>gone</p>\n")
    report = rebuild(content, out)
    assert (report.full, report.rendered) == (False, 1)  # an override of one page's template
    assert (out / "404.html").read_text() == "<p>gone</p>\n"
    assert_equals_clean_build(content, out, tmp_path)
    # papers.html is used by the listing pages only; base.html by every HTML page.
    listings = sum(1 for p in tree(out) if p.startswith(("papers/index", "papers/page/",
                                                          "topics/", "years/")))
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "themes" / "default", theme)
    config = content / "site.yaml"
    config.write_text(config.read_text() + "theme: ../theme\n")
    rebuild(content, out)
    edit(theme / "templates" / "papers.html", "{% block content %}",
         "{% block content %}<p>listed</p>")
    report = rebuild(content, out)
    assert not report.full and 0 < report.rendered <= listings
    assert_equals_clean_build(content, out, tmp_path)
    edit(theme / "templates" / "base.html", "<main", "<!-- edited -->\n<main")
    report = rebuild(content, out)
    # Every HTML page but 404.html, whose override above does not extend base.html.
    html = sum(1 for p in tree(out) if p.endswith(".html") and p != "404.html")
    assert not report.full and report.rendered == html < first.pages
    assert_equals_clean_build(content, out, tmp_path)


def test_a_static_file_change_rebuilds_everything(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small" / "content", content)
    out = tmp_path / "site"
    rebuild(content, out)
    (content / "static").mkdir()
    (content / "static" / "extra.css").write_text("p{color:red}\n")
    report = rebuild(content, out)
    assert report.full
    assert (out / "static" / "extra.css").is_file()
    assert_equals_clean_build(content, out, tmp_path)
