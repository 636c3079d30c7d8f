"""Whole builds through the real command: summary line, determinism, atomic output."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import generate
from generator.build import BuildOptions, build
from generator.cli import main
from tests.golden import FIXTURES, tree

REPO = Path(__file__).resolve().parent.parent
SMALL = FIXTURES / "small" / "content"


def test_shipped_content_builds_the_reference_hub(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert main(["build", "--content", str(REPO / "content"), "--output", str(out)]) == 0
    summary = capsys.readouterr().out.strip().splitlines()
    assert len(summary) == 1
    assert summary[0].startswith(f"built {out}: 51 papers, 1 hubs, ")
    assert re.search(r" files written in [0-9.]+ s \(search index [0-9.]+ s\)$", summary[0])
    page = (out / "papers" / "arditi2024refusal" / "index.html").read_text()
    assert "Mixed citation behavior. Most common role is background (67%)." in page
    explorer = page[page.index('<ol class="citing-list" data-explorer-static'):]
    assert explorer[:explorer.index("</ol>")].count("<li>") == 50


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    """Different folders, hash seeds and file creation order give the same bytes."""
    reversed_copy = tmp_path / "content-b"
    for path in sorted(SMALL.rglob("*"), reverse=True):  # create files in the other order
        target = reversed_copy / path.relative_to(SMALL)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    outputs = []
    for seed, content in (("1", SMALL), ("4242", reversed_copy)):
        out = tmp_path / f"site-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(content),
                        "--output", str(out)], check=True, env=env, cwd=tmp_path,
                       capture_output=True)
        outputs.append(tree(out))
    assert outputs[0] == outputs[1]


def test_full_rebuild_replaces_the_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert main(["build", "--content", str(SMALL), "--output", str(out)]) == 0
    (out / "stale.html").write_text("left from an old build")
    assert main(["build", "--content", str(SMALL), "--output", str(out), "--full"]) == 0
    assert not (out / "stale.html").exists()
    assert not list(tmp_path.glob(".site.*")), "staging folders must not be left behind"


def test_base_url_flag_prefixes_every_link(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert main(["build", "--content", str(SMALL), "--output", str(out),
                 "--base-url", "https://example.org/sub/path/"]) == 0
    home = (out / "index.html").read_text()
    assert 'href="/sub/path/papers/"' in home
    assert "<loc>https://example.org/sub/path/papers/vaswani2017/</loc>" in (
        out / "sitemap.xml").read_text()


def test_check_reports_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--content", str(SMALL)]) == 0
    assert capsys.readouterr().out == "ok: 5 papers, 2 hubs, no problems\n"


def test_site_can_override_one_template(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SMALL, content)
    (content / "templates").mkdir()
    (content / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Lost?</h1>{% endblock %}')
    out = tmp_path / "site"
    assert main(["build", "--content", str(content), "--output", str(out)]) == 0
    assert "<h1>Lost?</h1>" in (out / "404.html").read_text()
    assert "citing papers explorer" in (out / "papers/vaswani2017/index.html").read_text()


def test_template_error_names_file_and_line(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(SMALL, content)
    (content / "templates").mkdir()
    (content / "templates" / "page.html").write_text("line one\n{{ title }\n")
    assert main(["build", "--content", str(content), "--output", str(tmp_path / "site")]) == 1
    err = capsys.readouterr().err
    assert "content/templates/page.html:2: template error:" in err
    assert not (tmp_path / "site").exists()


def test_rendering_on_several_processes_equals_one(tmp_path: Path) -> None:
    """The parent and its forked worker share out the chunks; the site is the same bytes
    as one process makes, every page is counted, and progress reaches the total."""
    content = tmp_path / "content"
    generate(300, content)
    seen: list[tuple[int, int]] = []
    parallel = build(BuildOptions(content=content, output=tmp_path / "two", jobs=2,
                                  incremental=False),
                     progress=lambda done, total: seen.append((done, total)))
    serial = build(BuildOptions(content=content, output=tmp_path / "one", jobs=1,
                                incremental=False))
    assert parallel.problems == serial.problems == []
    assert parallel.pages >= 400  # enough pages for the worker pool (workers.SERIAL_BELOW)
    assert parallel.written == serial.written
    assert tree(tmp_path / "two") == tree(tmp_path / "one")
    assert seen[-1] == (parallel.pages, parallel.pages)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
