"""A build killed at any moment leaves a whole site: the previous complete build, byte for byte.

A generated corpus (bench/corpus.py) big enough that a build takes seconds is built
once; then builds of an edited copy are started as real `citehub build` processes and
killed with SIGKILL, with all their forked workers, at several moments: on a timer,
when a folder appears beside the site, when it is half full, when the site itself
starts to change. Each time `site/` must be exactly the last complete build, or, when
the kill came after the build was done, exactly the next one; and a later build must
succeed and leave nothing behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.corpus import generate

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(REPO)}  # run this checkout's citehub
N_PAPERS = 1200  # a full build takes 2-4 s on two cores
EDITED = "papers/p000000.md"  # among the most cited papers: its title is on many pages
EDITED_PAGE = "papers/p000000/index.html"

Snapshot = dict[str, str]
Moment = Callable[[Path, float], bool]  # (site folder, seconds since start) -> kill now?


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "content"
    generate(N_PAPERS, folder)
    return folder


def build_command(*flags: str) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--content", "content", "--output",
            "site", *flags]


def complete_build(folder: Path, *flags: str) -> Snapshot:
    """Build to the end; the site it leaves."""
    result = subprocess.run(build_command(*flags), cwd=folder, env=ENV, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return snapshot(folder / "site")


def assert_nothing_left_beside(site: Path) -> None:
    left = sorted(path.name for path in beside_site(site))
    assert not left, f"a complete build left {left} beside the site"


def snapshot(site: Path) -> Snapshot:
    """Every entry under `site`: a file's SHA-256, or what else it is."""
    found: Snapshot = {}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if path.is_symlink():
            found[name] = f"link to {os.readlink(path)}"
        elif path.is_dir():
            found[name] = "folder"
        else:
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def set_title(content: Path, title: str) -> None:
    record = content / EDITED
    lines = record.read_text(encoding="utf-8").split("\n")
    assert lines[1].startswith("title: ")
    lines[1] = f'title: "{title}"'
    record.write_text("\n".join(lines), encoding="utf-8")


def after(seconds: float) -> Moment:
    return lambda site, elapsed: elapsed >= seconds


def beside_site(site: Path) -> list[Path]:
    """Folders a build writes next to the site (`.site.staging` and the like)."""
    return [path for path in site.parent.glob(f".{site.name}.*") if path.is_dir()]


def folder_beside_holds(files: int) -> Moment:
    """When the folders beside the site hold `files` files (0: as soon as one appears)."""
    def moment(site: Path, elapsed: float) -> bool:
        folders = beside_site(site)
        return bool(folders) and sum(count_files(f) for f in folders) >= files
    return moment


def page_changes(page: str) -> Moment:
    """As soon as `page` in the site is replaced or rewritten (a tight poll of one stat)."""
    first: list[tuple[int, int, int]] = []

    def moment(site: Path, elapsed: float) -> bool:
        try:
            st = os.stat(site / page)
            stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = (0, 0, 0)
        if not first:
            first.append(stamp)
        return stamp != first[0]
    return moment


def count_files(folder: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(folder))


def kill_build_at(folder: Path, moment: Moment, *flags: str) -> bool:
    """Start a build, SIGKILL it and its workers at `moment`; False if it finished first."""
    process = subprocess.Popen(build_command(*flags), cwd=folder, env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)  # own process group: workers die too
    started = time.monotonic()
    try:
        while not moment(folder / "site", time.monotonic() - started):
            if process.poll() is not None:
                return False
            time.sleep(0.0005)
    finally:
        with contextlib.suppress(ProcessLookupError):  # the build and its workers had ended
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    time.sleep(0.05)  # let the killed workers' last system calls end
    return True


def assert_whole(killed: Snapshot, previous: Snapshot, following: Snapshot, when: str) -> None:
    if killed in (previous, following):
        return
    mixed = sorted(name for name in killed.keys() | previous.keys()
                   if killed.get(name) != previous.get(name)
                   and killed.get(name) != following.get(name))
    changed = sorted(name for name in killed.keys() | previous.keys()
                     if killed.get(name) != previous.get(name))
    raise AssertionError(
        f"a build killed {when} left site/ neither the previous nor the next complete build: "
        f"{len(changed)} entries changed from the previous one ({changed[:3]}), "
        f"{len(mixed)} of them in neither ({mixed[:3]})")


def test_a_killed_full_build_leaves_the_previous_site(corpus: Path, tmp_path: Path) -> None:
    shutil.copytree(corpus, tmp_path / "content")
    previous = complete_build(tmp_path)
    assert_nothing_left_beside(tmp_path / "site")
    pages = sum(1 for kind in previous.values() if kind != "folder")
    set_title(tmp_path / "content", "A title edited while builds were being killed")
    moments: dict[str, Moment] = {
        "after 0.3 s": after(0.3),
        "when the staging folder appears": folder_beside_holds(0),
        "when staging holds half the pages": folder_beside_holds(pages // 2),
        "when staging holds nearly all pages": folder_beside_holds(pages * 97 // 100),
    }
    killed: dict[str, Snapshot] = {}
    for when, moment in moments.items():
        assert kill_build_at(tmp_path, moment, "--full"), f"the build ended before {when}"
        killed[when] = snapshot(tmp_path / "site")
    following = complete_build(tmp_path, "--full")
    assert following != previous
    assert set(following) == set(previous)  # a new title changes no file names
    for when, site in killed.items():
        assert_whole(site, previous, following, when)
    assert_nothing_left_beside(tmp_path / "site")


def assert_every_page_whole(killed: Snapshot, previous: Snapshot, following: Snapshot) -> None:
    """Each entry is its previous or its next version: no page half-written, no stray file."""
    torn = sorted(name for name in killed.keys() | previous.keys() | following.keys()
                  if killed.get(name) not in (previous.get(name), following.get(name)))
    assert not torn, f"entries in neither the previous nor the next build: {torn[:5]}"


@pytest.mark.parametrize("when, moment", [
    ("after 0.5 s", after(0.5)),
    ("when a folder appears beside the site", folder_beside_holds(0)),
], ids=["timer", "folder-beside"])
def test_a_killed_incremental_build_leaves_the_previous_site(
        corpus: Path, tmp_path: Path, when: str, moment: Moment) -> None:
    """An incremental build renders beside the site: killed then, the site is untouched."""
    shutil.copytree(corpus, tmp_path / "content")
    previous = complete_build(tmp_path)
    set_title(tmp_path / "content", "A title edited while an incremental build was killed")
    kill_build_at(tmp_path, moment)  # it may have finished: then site/ must be the new build
    killed = snapshot(tmp_path / "site")
    following = complete_build(tmp_path)
    assert following != previous
    assert_whole(killed, previous, following, when)
    assert_nothing_left_beside(tmp_path / "site")


def test_an_incremental_build_killed_while_moving_pages_in_leaves_every_page_whole(
        corpus: Path, tmp_path: Path) -> None:
    """The last step of an incremental build moves its new pages in, one rename each. This
    is the guarantee there (a whole-site swap would copy the whole site for every edit):
    every page is its old or its new version, never half-written, and the next build,
    which cannot trust the killed one's state, leaves the complete new site."""
    shutil.copytree(corpus, tmp_path / "content")
    previous = complete_build(tmp_path)
    set_title(tmp_path / "content", "A title edited while pages were being moved in")
    kill_build_at(tmp_path, page_changes(EDITED_PAGE))
    killed = snapshot(tmp_path / "site")
    following = complete_build(tmp_path)
    assert following != previous
    assert_every_page_whole(killed, previous, following)
    clean = tmp_path / "clean"
    shutil.copytree(tmp_path / "content", clean / "content")
    assert complete_build(clean, "--full") == following
    assert_nothing_left_beside(tmp_path / "site")


def test_reverting_after_a_killed_build_is_not_taken_as_up_to_date(
        corpus: Path, tmp_path: Path) -> None:
    """A build that stops early when its inputs equal the last good build's must not stop
    early after a killed build changed pages: edit, kill while moving pages in, revert
    the edit, build again: the site must be the clean build of the reverted content."""
    shutil.copytree(corpus, tmp_path / "content")
    record = tmp_path / "content" / EDITED
    original = record.read_bytes()
    previous = complete_build(tmp_path)
    set_title(tmp_path / "content", "A title that will be taken back")
    kill_build_at(tmp_path, page_changes(EDITED_PAGE))
    record.write_bytes(original)
    assert complete_build(tmp_path) == previous
