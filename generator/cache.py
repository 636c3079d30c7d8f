"""The build cache under `.citehub-cache/`: parsed records and the last build's pages.

Parsed records are kept by (file path, hash of its bytes), so a rebuild parses only
the files whose bytes changed. The build state lists every page the last build wrote
with the fingerprint of its inputs, so the next build re-renders only pages whose
inputs changed. Everything is keyed by the Python version, citehub's version and the
site config's hash: a change to any of them starts afresh. Content hashes, never
modification times, decide what changed; `FileHashes` only spares reading a file again
whose size, times and inode are exactly those it had when it was last hashed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator import __version__

CACHE_DIR = ".citehub-cache"
FORMAT = 2  # bump when the pickled shapes change (2: a citation keeps its line only)


def cache_key(config_fingerprint: str) -> str:
    version = f"{FORMAT}|{sys.version}|{__version__}|{config_fingerprint}"
    return hashlib.sha256(version.encode()).hexdigest()[:24]


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def cache_folder(output: Path) -> Path:
    """The cache of builds into `output`: beside it, in a git-ignored folder."""
    resolved = output.resolve()
    return resolved.parent / CACHE_DIR / resolved.name


@dataclass(slots=True)
class Stored:
    """A pickle file that holds one value for one cache key."""

    path: Path

    def read(self, key: str) -> object | None:
        try:
            with self.path.open("rb") as file:
                stored_key, value = pickle.load(file)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError,
                AttributeError, ImportError):
            return None  # a missing, old or damaged cache is simply not used
        return value if stored_key == key else None

    def write(self, key: str, value: object) -> None:
        """Write atomically (temp file + rename): a killed build leaves no torn cache."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        with temporary.open("wb") as file:
            pickle.dump((key, value), file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.path)

    def remove(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


@dataclass(slots=True)
class ParseCache:
    """Parsed files by (path, content hash); only entries used this run are saved."""

    key: str
    entries: dict[tuple[str, str], object] = field(default_factory=dict)
    known: dict[str, str] = field(default_factory=dict)  # path -> content hash, if hashed
    used: dict[str, tuple[str, object]] = field(default_factory=dict)  # path -> (hash, parse)
    misses: int = 0

    def get(self, path: str, digest: str) -> object | None:
        value = self.entries.get((path, digest))
        if value is None:
            self.misses += 1
            return None
        self.used[path] = (digest, value)
        return value

    def put(self, path: str, digest: str, value: object) -> None:
        """The parse of `path` with these bytes; it replaces an earlier one."""
        self.used[path] = (digest, value)

    def forget(self, path: str) -> None:
        self.used.pop(path, None)


def open_parse_cache(folder: Path, key: str, known: dict[str, str] | None = None
                     ) -> ParseCache:
    """The parse cache; `known` holds content hashes already computed this build."""
    entries = Stored(folder / "records.pickle").read(key)
    return ParseCache(key, entries if isinstance(entries, dict) else {}, known or {})


def save_parse_cache(folder: Path, cache: ParseCache) -> None:
    entries = {(path, digest): value for path, (digest, value) in cache.used.items()}
    Stored(folder / "records.pickle").write(cache.key, entries)


# A file changed less than this before it was hashed may change again within the same
# tick of the file system's clock, keeping its times: its hash is not kept (as git
# treats "racily clean" files).
RACY_NS = 2_000_000_000
Signature = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


@dataclass(slots=True)
class FileHashes:
    """Content hashes of files by path, with the stat they had when hashed.

    Every build starts by hashing its whole input (all of content/ and the theme) to
    see whether anything changed: at 50,000 papers reading and hashing 150 MB took
    0.8 s of a 1.9 s no-change build. A file whose stat is unchanged keeps its hash.
    """

    entries: dict[str, tuple[Signature, str]] = field(default_factory=dict)
    seen: dict[str, tuple[Signature, str]] = field(default_factory=dict)  # this run's

    def regular_file(self, path: Path) -> os.stat_result | None:
        """The stat of `path` when it is a regular file (through links), else None."""
        try:
            info = path.stat()
        except OSError:
            return None
        return info if stat.S_ISREG(info.st_mode) else None

    def of(self, path: Path, info: os.stat_result) -> str:
        """The content hash of `path`, whose stat (just taken) is `info`."""
        found = self.known(path, info)
        if found is None:
            found = hash_file(path)
            self.remember(path, info, found)
        return found

    def known(self, path: Path, info: os.stat_result) -> str | None:
        """The hash of `path` if its stat is the one it was hashed with."""
        key = str(path)
        entry = self.entries.get(key)
        if entry is not None and entry[0] == signature(info):
            self.seen[key] = entry
            return entry[1]
        return None

    def remember(self, path: Path, info: os.stat_result, digest: str) -> None:
        """Keep `digest`, hashed from `path` after its stat `info` was taken."""
        if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) > RACY_NS:
            self.seen[str(path)] = (signature(info), digest)


def signature(info: os.stat_result) -> Signature:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def hash_file(path: Path) -> str:
    return content_hash(path.read_bytes())


def open_file_hashes(folder: Path) -> FileHashes:
    entries = Stored(folder / "files.pickle").read(cache_key("files"))
    return FileHashes(entries if isinstance(entries, dict) else {})


def save_file_hashes(folder: Path, hashes: FileHashes) -> None:
    """Keep the entries of the files seen this run (deleted files drop out)."""
    if hashes.seen != hashes.entries:
        Stored(folder / "files.pickle").write(cache_key("files"), hashes.seen)
