"""The folder watcher behind `citehub serve`, with inotify and with polling: a burst of
changes gives one call naming every changed file (editor scratch files left out), new
folders are watched, and nothing is reported while nothing changes."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.watch import FolderWatcher

MODES = ["inotify", "polling"]


def watched_calls(folder: Path, mode: str, act: Callable[[], None], wait: float = 5.0
                  ) -> list[list[str]]:
    """Start a watcher on `folder`, do `act`, and return the calls it made."""
    calls: list[list[str]] = []

    async def run() -> None:
        watcher = FolderWatcher(interval=0.05, use_inotify=mode == "inotify")
        assert watcher.kind == mode or sys.platform != "linux"
        watcher.watch(str(folder), calls.append)
        watcher.start(lambda: watcher.examine() and None)
        await asyncio.sleep(0.1)
        act()
        deadline = time.monotonic() + wait
        while not calls and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.4)  # time for a wrong second call

    # In a thread of its own: Playwright's sync API leaves an event loop running in the
    # main thread once a browser test has run, and asyncio.run refuses to nest.
    failure: list[BaseException] = []

    def main() -> None:
        try:
            asyncio.run(run())
        except BaseException as error:  # re-raised in the test's thread
            failure.append(error)

    thread = threading.Thread(target=main)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return calls


@pytest.mark.parametrize("mode", MODES)
def test_a_burst_of_saves_is_one_call_with_every_file(tmp_path: Path, mode: str) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "old.md").write_text("old")

    def burst() -> None:
        for n in range(30):
            (papers / f"p{n}.md").write_text(f"paper {n}")
        (papers / ".p1.md.swp").write_text("vim")
        (papers / "old.md").unlink()

    calls = watched_calls(tmp_path, mode, burst)
    assert len(calls) == 1
    expected = {str(papers / f"p{n}.md") for n in range(30)} | {str(papers / "old.md")}
    assert set(calls[0]) == expected


@pytest.mark.parametrize("mode", MODES)
def test_files_in_a_new_folder_are_seen(tmp_path: Path, mode: str) -> None:
    def new_folder() -> None:
        (tmp_path / "a" / "b").mkdir(parents=True)
        (tmp_path / "a" / "b" / "x.md").write_text("x")

    calls = watched_calls(tmp_path, mode, new_folder)
    assert calls and str(tmp_path / "a" / "b" / "x.md") in calls[0]


@pytest.mark.parametrize("mode", MODES)
def test_nothing_changed_nothing_reported(tmp_path: Path, mode: str) -> None:
    (tmp_path / "x.md").write_text("x")
    assert watched_calls(tmp_path, mode, lambda: (tmp_path / "x.md").read_text(),
                         wait=0.5) == []
