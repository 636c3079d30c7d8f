"""`FileHashes`: a file is read again unless its stat is exactly the one it was hashed with."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator import cache
from generator.cache import FileHashes, content_hash, open_file_hashes, save_file_hashes


def settled(path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`path` written with `text`, and treated as changed long enough ago to be kept
    (its ctime cannot be set back, so the racy window is closed instead)."""
    path.write_text(text)
    monkeypatch.setattr(cache, "RACY_NS", 0)
    return path


def hash_of(hashes: FileHashes, path: Path) -> str:
    info = hashes.regular_file(path)
    assert info is not None
    return hashes.of(path, info)


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    reads: list[Path] = []
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        reads.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return reads


def test_an_unchanged_file_is_hashed_once_across_builds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = settled(tmp_path / "a.md", "alpha", monkeypatch)
    first = FileHashes()
    assert hash_of(first, path) == content_hash(b"alpha")
    save_file_hashes(tmp_path / "cache", first)
    reads = count_reads(monkeypatch)
    second = open_file_hashes(tmp_path / "cache")
    assert hash_of(second, path) == content_hash(b"alpha")
    assert reads == []


def test_an_edit_of_the_same_size_with_its_old_mtime_is_still_seen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A change of bytes changes the ctime, which no program can set back.
    path = settled(tmp_path / "a.md", "alpha", monkeypatch)
    hashes = FileHashes()
    hash_of(hashes, path)
    assert str(path) in hashes.seen
    hashes = FileHashes(dict(hashes.seen))
    mtime = path.stat().st_mtime_ns
    time.sleep(0.01)
    path.write_text("omega")
    os.utime(path, ns=(mtime, mtime))
    assert hash_of(hashes, path) == content_hash(b"omega")


def test_a_file_changed_just_now_is_not_remembered(tmp_path: Path) -> None:
    # It might change again within the same tick of the file system's clock.
    path = tmp_path / "a.md"
    path.write_text("alpha")
    hashes = FileHashes()
    assert hash_of(hashes, path) == content_hash(b"alpha")
    assert str(path) not in hashes.seen


def test_only_files_seen_are_kept_and_folders_are_not_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept = settled(tmp_path / "kept.md", "k", monkeypatch)
    gone = settled(tmp_path / "gone.md", "g", monkeypatch)
    hashes = FileHashes()
    hash_of(hashes, kept)
    hash_of(hashes, gone)
    save_file_hashes(tmp_path / "cache", hashes)
    gone.unlink()
    again = open_file_hashes(tmp_path / "cache")
    hash_of(again, kept)
    assert again.regular_file(gone) is None and again.regular_file(tmp_path) is None
    save_file_hashes(tmp_path / "cache", again)
    assert set(open_file_hashes(tmp_path / "cache").entries) == {str(kept)}
