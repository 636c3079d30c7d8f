"""The build cache under `.citehub-cache/`: parsed records and the last build's pages.

Parsed records are kept by (file path, hash of its bytes), so a rebuild parses only
the files whose bytes changed. The build state lists every page the last build wrote
with the fingerprint of its inputs, so the next build re-renders only pages whose
inputs changed. Everything is keyed by the Python version, citehub's version and the
site config's hash: a change to any of them starts afresh. Content hashes, never
modification times, decide what changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
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
