"""The live site (`citehub serve`'s in-memory updates): after every kind of record edit,
its collection, plan and fingerprints equal those planned from scratch, and its output
equals a clean full build byte for byte. Edits it cannot apply fall back (None)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.corpus import generate
from generator.build import BuildOptions, Prepared, build, prepare
from generator.cache import ParseCache
from generator.live import LiveSite
from tests.golden import assert_equals_clean_build, tree

REPO = Path(__file__).resolve().parent.parent
Change = Callable[[Path], list[Path]]  # edits the content folder, returns the files touched


def replace_in(relative: str, old: str, new: str) -> Change:
    def change(content: Path) -> list[Path]:
        path = content / relative
        text = path.read_text()
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1))
        return [path]
    return change


def rewrite(relative: str, edit: Callable[[str], str]) -> Change:
    def change(content: Path) -> list[Path]:
        path = content / relative
        path.write_text(edit(path.read_text()))
        return [path]
    return change


def write(relative: str, text: str) -> Change:
    def change(content: Path) -> list[Path]:
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return [path]
    return change


def delete(relative: str) -> Change:
    def change(content: Path) -> list[Path]:
        (content / relative).unlink()
        return [content / relative]
    return change


def rename(relative: str, to: str) -> Change:
    def change(content: Path) -> list[Path]:
        (content / relative).rename(content / to)
        return [content / relative, content / to]
    return change


def new_folder(relative: str) -> Change:
    def change(content: Path) -> list[Path]:
        (content / relative).mkdir()
        return [content / relative]
    return change


def cites(*targets: str, role: str = "method") -> str:
    return "".join(f"\n  - {{paper: {t}, role: {role}, polarity: critical}}" for t in targets)


# Each applies on top of the ones before it.
EDITS: list[tuple[str, Change]] = [
    ("title", replace_in("papers/p000100.md", 'title: "', 'title: "Edited ')),
    ("abstract", rewrite("papers/p000101.md", lambda t: t + "\nOne more *sentence*.\n")),
    ("role of a hub's citation", replace_in("papers/p000120.md", "role: background",
                                            "role: result")),
    ("year", rewrite("papers/p000102.md",  # to a year no other paper has
                     lambda t: re.sub(r"year: \d+", "year: 1989", t))),
    ("tldr gone", rewrite("papers/p000103.md", lambda t: re.sub(r"(?m)^tldr:.*\n", "", t))),
    ("topics", replace_in("papers/p000104.md", "topics: [", 'topics: ["A Brand New Topic", ')),
    ("add a paper", write("papers/zz/new.md",
                          "---\ntitle: Brand new\nyear: 2031\ncites:"
                          + cites("p000001", "p000002") + "\n---\nNew.\n")),
    ("a new hub", write("papers/zz/more.yaml", "".join(
        f"- id: extra{n}\n  title: Extra {n}\n  year: 2030\n  cites:"
        + cites("p000140", role="background").replace("\n  -", "\n    -") + "\n"
        for n in range(6)))),
    ("hub loses citations", write("papers/zz/more.yaml", "- id: extra0\n  title: Extra 0\n")),
    ("rename", rename("papers/p000149.md", "papers/renamed.md")),
    ("delete", delete("papers/p000148.md")),
    ("two files at once", lambda c: [
        *replace_in("papers/p000110.md", 'title: "', 'title: "Aardvark ')(c),
        *replace_in("papers/p000111.md", 'title: "', 'title: "Zebra ')(c)]),
    ("saved unchanged", rewrite("papers/p000112.md", lambda t: t)),
    ("id moves between files", lambda c: [
        *write("papers/zz/more.yaml", "- id: extra1\n  title: Extra 1\n")(c),
        *write("papers/zz/other.yaml", "- id: extra0\n  title: Extra 0 moved\n")(c)]),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "content"
    generate(150, folder)
    with (folder / "site.yaml").open("a") as config:  # small pages: many page breaks
        config.write("explorer: {page_size: 5}\nlisting: {page_size: 7}\n")
    return folder


def fresh(options: BuildOptions) -> Prepared:
    prepared, problems = prepare(options, ParseCache("test"))
    assert problems == [] and prepared is not None
    return prepared


def assert_same_as_fresh(live: LiveSite, options: BuildOptions) -> None:
    expected = fresh(options)
    got = live.prepared
    assert got.site == expected.site
    assert list(got.site.records) == list(expected.site.records)  # id order
    assert got.plan.listings == expected.plan.listings
    assert got.plan.pages == expected.plan.pages
    assert got.fingerprints == expected.fingerprints


def test_every_edit_matches_a_fresh_build(corpus: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    options = BuildOptions(content=content, output=tmp_path / "site", jobs=1)
    report, live = LiveSite.start(options)
    assert report.problems == [] and live is not None
    for name, change in EDITS:
        touched = change(content)
        update = live.update(str(path.resolve()) for path in touched)
        assert update is not None, name
        assert update.problems == [], name
        assert_same_as_fresh(live, options)
        live.refresh_search()  # as the server does once edits pause
        assert live.search.wait(), name
        assert_equals_clean_build(content, options.output, tmp_path, name)


def test_an_edit_renders_only_the_pages_that_show_it(corpus: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    options = BuildOptions(content=content, output=tmp_path / "site", jobs=1)
    first, live = LiveSite.start(options)
    assert live is not None
    paths = replace_in("papers/p000101.md", "\n---\n", "\n---\nA longer abstract.\n")(content)
    update = live.update(str(p.resolve()) for p in paths)
    assert update is not None
    # An abstract is shown on the paper's own page and JSON only.
    assert update.rendered == 2 and update.written == 1, update
    paths = replace_in("papers/p000101.md", 'title: "', 'title: "Retitled ')(content)
    update = live.update(str(p.resolve()) for p in paths)
    assert update is not None
    assert 2 < update.rendered < first.pages / 10


@pytest.mark.parametrize(("name", "change"), [
    ("bad yaml", write("papers/p000050.md", "---\ntitle: [unclosed\n---\n")),
    ("dangling cite", replace_in("papers/p000050.md", 'paper: "p0000', 'paper: "nope')),
    ("duplicate id", write("papers/dup.md", "---\nid: p000010\ntitle: Dup\n---\n")),
    ("slug collision", write("papers/dup.md", "---\nid: P000010\ntitle: Dup\n---\n")),
    ("cited paper deleted", delete("papers/p000001.md")),
    ("config", replace_in("site.yaml", "title: ", "title: New ")),
    ("editorial page", write("pages/more.md", "---\ntitle: More\n---\nText.\n")),
    ("folder", new_folder("papers/newdir")),
])
def test_other_changes_fall_back_to_a_full_build(corpus: Path, tmp_path: Path, name: str,
                                                  change: Change) -> None:
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    options = BuildOptions(content=content, output=tmp_path / "site", jobs=1)
    _, live = LiveSite.start(options)
    assert live is not None
    before = tree(options.output)
    touched = change(content)
    assert live.update(str(p.resolve()) for p in touched) is None, name
    assert tree(options.output) == before  # nothing written


def test_a_stopped_server_leaves_state_the_next_build_trusts(corpus: Path, tmp_path: Path
                                                             ) -> None:
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    options = BuildOptions(content=content, output=tmp_path / "site", jobs=1)
    _, live = LiveSite.start(options)
    assert live is not None
    paths = replace_in("papers/p000100.md", 'title: "', 'title: "Edited ')(content)
    assert live.update(str(p.resolve()) for p in paths) is not None
    live.save()
    report = build(options)
    assert report.problems == [] and not report.full and report.rendered == 0


def test_a_template_edit_re_renders_the_pages_using_it(corpus: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "themes" / "default", theme)
    with (content / "site.yaml").open("a") as config:
        config.write("theme: ../theme\n")
    options = BuildOptions(content=content, output=tmp_path / "site", jobs=1)
    first, live = LiveSite.start(options)
    assert live is not None
    listing = theme / "templates" / "papers.html"
    listing.write_text(listing.read_text().replace("{% block content %}",
                                                   "{% block content %}<p>listed</p>", 1))
    update = live.update([str(listing.resolve())])
    assert update is not None and update.problems == []
    listing_pages = [p for p in live.prepared.plan.pages if p.template == "papers.html"]
    assert update.rendered == len(listing_pages) < first.pages / 3
    assert_same_as_fresh(live, options)
    assert_equals_clean_build(content, options.output, tmp_path)
    listing.write_text("{% block content %}{{ oops }\n")  # broken: the full build says why
    assert live.update([str(listing.resolve())]) is None
