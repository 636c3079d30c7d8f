"""Writing the site: a staging folder beside the output, then an atomic swap.

A build writes every file into `.<name>.staging` next to the output folder and
only then swaps it in, so a failed or killed build leaves the previous site whole.
Nothing is ever written or deleted outside the output folder and those two
siblings, and an existing folder that citehub did not make is never replaced.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from pathlib import Path, PurePosixPath

MARKER = ".citehub-site"  # marks a folder as citehub's output, safe to replace
LEFTOVERS = (".staging", ".incoming", ".old")  # sibling folders a killed build may leave
_RENAME_EXCHANGE = 2  # from <linux/fs.h>
_AT_FDCWD = -100


def exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where that is not available."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                       _RENAME_EXCHANGE)
    return bool(result == 0)


class OutputError(Exception):
    """The output folder cannot be used; the message says why."""


def check_output_dir(output: Path, content_dir: Path) -> None:
    """Refuse output folders whose replacement would destroy something else."""
    output = output.resolve()
    content = content_dir.resolve()
    if output == content or output in content.parents or content in output.parents:
        raise OutputError(f"output folder {output} overlaps the content folder {content}")
    if output == Path.home() or output == Path(output.anchor) or output == Path.cwd():
        raise OutputError(f"refusing to use {output} as the output folder")
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output} exists and is not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        raise OutputError(f"{output} is not empty and was not made by citehub; "
                          "refusing to replace it (empty it or pick another --output)")


def safe_relative(path: str) -> PurePosixPath:
    """`path` as a relative path that stays inside its folder (a bug otherwise)."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or "\\" in path or not path:
        raise ValueError(f"unsafe output path {path!r}")
    return relative


def flat_name(path: str) -> str:
    """A page's output path as one file name: output paths are made of [A-Za-z0-9._-/]
    (see `urls.slugify`), so replacing `/` by `%` names each page apart."""
    return path.replace("/", "%")


class StagedOutput:
    """The staging folder of one build."""

    def __init__(self, output: Path, kind: str = ".staging"):
        self.output = output.resolve()
        self.staging = self.output.parent / f".{self.output.name}{kind}"
        self.retired = self.output.parent / f".{self.output.name}.old"
        self.written = 0  # static files copied in (pages are written by the workers)
        self.bytes = 0

    def open(self) -> None:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        for kind in LEFTOVERS:  # folders of builds that were killed
            leftover = self.output.parent / f".{self.output.name}{kind}"
            if leftover.is_dir():
                shutil.rmtree(leftover)
        self.staging.mkdir()
        (self.staging / MARKER).write_bytes(b"")

    def copy_tree(self, source: Path, into: str) -> None:
        """Copy a static folder; files already staged (site overrides) win."""
        if not source.is_dir():
            return
        for path in sorted(source.rglob("*")):
            if path.is_symlink():
                continue  # a link could point anywhere; static files are copied as files
            target = self.staging / safe_relative(into) / path.relative_to(source).as_posix()
            if path.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            elif not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                self.written += 1
                self.bytes += path.stat().st_size

    def commit(self) -> None:
        """Swap the staged site in, then remove the old one.

        On Linux one `renameat2(RENAME_EXCHANGE)` swaps the two folders, so there is no
        moment without a site; elsewhere two renames leave a moment of none.
        """
        if self.output.exists() and exchange(self.staging, self.output):
            shutil.rmtree(self.staging)  # now holding the old site
            return
        if self.output.exists():
            os.rename(self.output, self.retired)
        os.rename(self.staging, self.output)
        if self.retired.exists():
            shutil.rmtree(self.retired)

    def move_into_place(self, paths: list[str], flat: bool = False) -> None:
        """Move staged pages into the live site, one rename each (an incremental build).

        `flat`: they were staged as `flat_name`s, without subfolders; on a disk where
        each folder made and removed costs a fraction of a millisecond, that halves the
        cost of an edit's few hundred pages."""
        made: set[Path] = set()
        for path in paths:
            relative = safe_relative(path)
            target = self.output / relative
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            os.replace(self.staging / (flat_name(path) if flat else relative), target)

    def abort(self) -> None:
        if self.staging.exists():
            shutil.rmtree(self.staging)


def remove_pages(output: Path, pages: list[str]) -> int:
    """Delete pages a rebuild no longer makes, and the folders that empties."""
    removed = 0
    for page in pages:
        path = output / safe_relative(page)
        if path.is_file():
            path.unlink()
            removed += 1
        folder = path.parent
        while folder != output and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return removed
