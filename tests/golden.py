"""Golden-output sites: `tests/fixtures/<name>/content` and its expected `expected/` tree.

`python scripts/update_golden.py` rebuilds every expected tree for review in git.
Theme static files are left out so a CSS tweak does not churn the goldens.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.build import BuildOptions, build

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SKIPPED_FOLDERS = ("static/",)


def golden_sites() -> list[str]:
    return sorted(p.parent.name for p in FIXTURES.glob("*/content"))


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes, by path relative to `root`."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def site_files(root: Path) -> dict[str, bytes]:
    """Every compared file of a built site, by its path relative to the site."""
    return {name: data for name, data in tree(root).items()
            if not name.startswith(SKIPPED_FOLDERS)}


def assert_equals_clean_build(content: Path, out: Path, scratch: Path, what: str = "") -> None:
    """`out` holds exactly what a clean, full build of `content` makes (built in
    `scratch/clean`, with no cache left from before)."""
    clean = scratch / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.rmtree(scratch / ".citehub-cache" / "clean", ignore_errors=True)
    report = build(BuildOptions(content=content, output=clean, jobs=1, incremental=False))
    assert report.problems == [], what
    assert tree(out) == tree(clean), what
