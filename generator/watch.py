"""Watching the content and theme folders for `citehub serve`.

`FolderWatcher` is the watcher livereload's `Server` drives (`watch`, `start`,
`examine`). It calls each watched folder's callback with the files that changed, once
a burst of changes has settled (an editor's save is several writes; a `git checkout`
is hundreds), so a burst gives one rebuild. It never lets livereload reload on its own:
the callback rebuilds, then reloads.

On Linux it is told of changes by the kernel (inotify, through ctypes: no dependency),
so an edit is seen within milliseconds and an idle server costs nothing, whatever the
size of the collection. Elsewhere, or when inotify cannot be set up (no watches left),
it scans the folders every `POLL_SECONDS` and compares file stamps; a scan of 50,000
files takes a noticeable fraction of a second, which is why inotify comes first.
"""

from __future__ import annotations

import ctypes
import errno
import os
import struct
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tornado.ioloop import IOLoop

POLL_SECONDS = 0.25  # between scans of the watched folders (longer when a scan is slow)
SETTLE_SECONDS = 0.03  # a change counts once no more come for this long
MAX_SETTLE_SECONDS = 2.0  # ... or after this long, for a change that never stops
IGNORED_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", ".citehub-cache"})
SCRATCH_SUFFIXES = (".swp", ".swo", ".swx", "~", ".tmp")  # editors' backup and swap files

Changed = Callable[[list[str]], None]
Snapshot = dict[str, tuple[int, int, int, int]]  # file -> (mtime_ns, ctime_ns, size, inode)


def is_scratch(name: str) -> bool:
    """Editor lock, swap and backup files, which change while nothing was saved."""
    return name.startswith(".#") or name.endswith(SCRATCH_SUFFIXES) or name == "4913"


def is_under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def walk(folder: Path) -> Iterator[tuple[str, list[os.DirEntry[str]]]]:
    """Each folder under `folder` (itself included) with its entries, listed once
    (following links to folders, once each; skipping IGNORED_DIRS)."""
    seen: set[str] = set()
    stack = [str(folder)]
    while stack:
        current = stack.pop()
        real = os.path.realpath(current)
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = list(os.scandir(current))
        except OSError:  # gone, or not a folder
            continue
        yield current, entries
        for entry in entries:
            try:
                if entry.is_dir() and entry.name not in IGNORED_DIRS:
                    stack.append(entry.path)
            except OSError:
                continue


def folders_under(folder: Path) -> list[str]:
    """`folder` and every folder below it."""
    return [current for current, _ in walk(folder)]


def scan(folder: Path) -> Snapshot:
    """Every file under `folder` and its stamp."""
    found: Snapshot = {}
    for _, entries in walk(folder):
        for entry in entries:
            try:
                if not entry.is_dir() and not is_scratch(entry.name):
                    st = entry.stat()
                    found[entry.path] = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
            except OSError:  # removed while scanning, or a dangling link
                continue
    return found


def changes(old: Snapshot, new: Snapshot) -> set[str]:
    return {path for path in old.keys() | new.keys() if old.get(path) != new.get(path)}


class FolderWatcher:
    """What livereload's `Server` and `LiveReloadHandler` expect of a watcher."""

    def __init__(self, interval: float = POLL_SECONDS, use_inotify: bool = True):
        self.interval = interval
        self._tasks: dict[str, Changed | None] = {}  # livereload checks that it is not empty
        self._changes: list[tuple[str, float]] = []  # livereload queues its restart notice here
        self._snapshots: dict[str, Snapshot] = {}
        self.filepath: str | None = None  # livereload logs it
        self.scan_seconds = 0.0
        self.inotify = Inotify.open() if use_inotify else None
        self.pending: set[str] = set()  # changes seen, not yet handed to the callbacks
        self.first_seen = 0.0
        self.last_seen = 0.0

    @property
    def kind(self) -> str:
        return "inotify" if self.inotify is not None else "polling"

    def watch(self, path: str, func: Changed | None = None, delay: object = None,
              ignore: object = None) -> None:
        """Call `func(changed_files)` after files under `path` change."""
        del delay, ignore  # livereload's options; reloads are sent by `func`
        self._tasks[path] = func
        if self.inotify is not None and not self.inotify.add_tree(path):
            self.inotify.close()  # out of watches: poll everything instead
            self.inotify = None
        if self.inotify is None:
            for folder in self._tasks:
                if folder not in self._snapshots:
                    self._snapshots[folder] = scan(Path(folder))

    def unwatch(self, path: str) -> None:
        self._tasks.pop(path, None)
        self._snapshots.pop(path, None)
        if self.inotify is not None:
            self.inotify.remove_tree(path)

    def start(self, callback: Callable[[], None]) -> bool:
        """Watch on our own schedule; True tells livereload not to poll every 0.8 s."""
        loop = IOLoop.current()
        inotify = self.inotify
        if inotify is not None:
            loop.add_handler(inotify.fd, lambda fd, events: self.on_events(), IOLoop.READ)
            return True

        def tick() -> None:
            try:
                callback()
            finally:
                loop.call_later(max(self.interval, 4 * self.scan_seconds), tick)

        loop.add_callback(tick)
        return True

    # --- inotify: the kernel says what changed; wait for the burst to settle -----------

    def on_events(self) -> None:
        assert self.inotify is not None
        now = time.monotonic()
        if not self.pending:
            self.first_seen = now
        self.last_seen = now
        self.pending |= self.inotify.read_changes()
        IOLoop.current().call_later(SETTLE_SECONDS, self.settle)

    def settle(self) -> None:
        now = time.monotonic()
        quiet = now - self.last_seen >= SETTLE_SECONDS * 0.9
        if not self.pending or not (quiet or now - self.first_seen > MAX_SETTLE_SECONDS):
            return  # a later call will see it
        changed, self.pending = self.pending, set()
        self.dispatch({c for c in changed if not is_scratch(os.path.basename(c))})

    def dispatch(self, changed: set[str]) -> None:
        by_task = {func: sorted(changed) for path, func in list(self._tasks.items())
                   if func is not None and any(is_under(c, path) for c in changed)}
        for func, files in by_task.items():
            func(files)

    # --- polling ------------------------------------------------------------------------

    def examine(self) -> tuple[str | None, float | None]:
        if self._changes:
            return self._changes.pop()
        changed = self.scan_changes()
        if not changed:
            return None, None
        for _ in range(int(MAX_SETTLE_SECONDS / SETTLE_SECONDS)):  # let a save finish
            time.sleep(SETTLE_SECONDS)
            more = self.scan_changes()
            if not more:
                break
            changed |= more
        self.dispatch(changed)
        return None, None

    def scan_changes(self) -> set[str]:
        started = time.perf_counter()
        changed: set[str] = set()
        for path in list(self._tasks):
            new = scan(Path(path))
            changed |= changes(self._snapshots.get(path, {}), new)
            self._snapshots[path] = new
        self.scan_seconds = time.perf_counter() - started
        return changed


# --- inotify through ctypes ---------------------------------------------------------------

IN_MODIFY = 0x2
IN_ATTRIB = 0x4
IN_CLOSE_WRITE = 0x8
IN_MOVED_FROM = 0x40
IN_MOVED_TO = 0x80
IN_CREATE = 0x100
IN_DELETE = 0x200
IN_DELETE_SELF = 0x400
IN_MOVE_SELF = 0x800
IN_Q_OVERFLOW = 0x4000
IN_IGNORED = 0x8000
IN_ONLYDIR = 0x1000000
IN_ISDIR = 0x40000000
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000
WATCH_MASK = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE
              | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then the name, NUL-padded


class Inotify:
    """A recursive inotify watch of some folders, reporting changed paths."""

    def __init__(self, fd: int, libc: ctypes.CDLL):
        self.fd = fd
        self.libc = libc
        self.folders: dict[int, str] = {}  # watch descriptor -> folder path
        self.roots: set[str] = set()

    @classmethod
    def open(cls) -> Inotify | None:
        if not sys.platform.startswith("linux"):
            return None
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        except (OSError, AttributeError):
            return None
        return cls(fd, libc) if fd >= 0 else None

    def close(self) -> None:
        os.close(self.fd)

    def add_tree(self, root: str) -> bool:
        """Watch `root` and every folder below it; False when the kernel refuses."""
        self.roots.add(root)
        return all(self.add_folder(folder) for folder in folders_under(Path(root)))

    def add_folder(self, folder: str) -> bool:
        wd = self.libc.inotify_add_watch(self.fd, os.fsencode(folder), WATCH_MASK)
        if wd < 0:
            # ENOENT/ENOTDIR: gone or replaced by a file since it was listed (fine).
            return ctypes.get_errno() in (errno.ENOENT, errno.ENOTDIR)
        self.folders[wd] = folder
        return True

    def remove_tree(self, root: str) -> None:
        self.roots.discard(root)
        for wd, folder in list(self.folders.items()):
            if is_under(folder, root) and not any(is_under(folder, r) for r in self.roots):
                self.libc.inotify_rm_watch(self.fd, wd)
                del self.folders[wd]

    def read_changes(self) -> set[str]:
        """The paths named by the events waiting to be read. A new folder is watched and
        all its files reported; after an overflow, the roots themselves are reported
        (the caller then rebuilds everything)."""
        changed: set[str] = set()
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return changed
            offset = 0
            while offset < len(data):
                wd, mask, _, length = EVENT.unpack_from(data, offset)
                raw = data[offset + EVENT.size: offset + EVENT.size + length].rstrip(b"\0")
                offset += EVENT.size + length
                self.event(wd, mask, os.fsdecode(raw), changed)

    def event(self, wd: int, mask: int, name: str, changed: set[str]) -> None:
        if mask & IN_Q_OVERFLOW:
            changed.update(self.roots)
            return
        folder = self.folders.get(wd)
        if folder is None:
            return
        if mask & IN_IGNORED:
            del self.folders[wd]
            return
        if not name:  # the watched folder itself was deleted or moved
            changed.add(folder)
            return
        path = os.path.join(folder, name)
        changed.add(path)
        if mask & IN_ISDIR and mask & (IN_CREATE | IN_MOVED_TO) and name not in IGNORED_DIRS:
            for inside, entries in walk(Path(path)):  # one listing per new folder
                self.add_folder(inside)
                # files written before the watch took hold
                changed.update(entry.path for entry in entries
                               if not entry.is_dir() and not is_scratch(entry.name))
