"""What static/search.js fetches for a query, worked out in Python over the index files.

A line-by-line port of the script's fetch plan (lookup, posting lists, the merge with its
page budget, the document chunks), so tests can measure the bytes a reader downloads at
any collection size without a browser; the browser test checks that Chromium fetches
exactly these files.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from generator.search import FOLDER, fnv1a, fold, tokens

BATCH = 20  # search.js: papers shown at a time
FETCHES = 8  # search.js: posting pages one batch may fetch
FACETS = ("role", "polarity", "year", "topic")
_LAST_IS_WORD = re.compile(r"[^\W_]$")


def undelta(gaps: list[int]) -> list[int]:
    total, numbers = 0, []
    for gap in gaps:
        total += gap
        numbers.append(total)
    return numbers


@dataclass
class Job:
    fetched: int = 0  # posting pages asked for
    cursor: int = 0
    done: bool = False


class Postings:
    def __init__(self, entry: list[Any], client: Client, job: Job):
        self.n: int = entry[0]
        self.pages: dict[int, list[int]] = {0: undelta(entry[1])}
        self.starts = undelta(entry[2])
        self.name: str = entry[3]
        self.client = client
        self.job = job

    def seek(self, d: int) -> float:
        k = bisect_right(self.starts, d)
        if k not in self.pages:
            self.job.fetched += 1
            self.pages[k] = undelta(self.client.get(f"p/{self.name}-{k}.json"))
        page = self.pages[k]
        i = bisect_right(page, d - 1)
        if i < len(page):
            return page[i]
        return self.starts[k] if k < len(self.starts) else math.inf


@dataclass
class Result:
    docs: list[list[Any]]  # the papers shown, as the index's document rows
    count: int | None  # the matches when known (search.js shows it)
    files: list[str]  # every file fetched, in order


@dataclass
class Client:
    files: dict[str, bytes]  # the index: path in the site -> bytes
    fetched: list[str] = field(default_factory=list)
    parsed: dict[str, Any] = field(default_factory=dict)

    def get(self, path: str) -> Any:
        name = FOLDER + path
        if name not in self.parsed:
            self.fetched.append(name)
            self.parsed[name] = json.loads(self.files[name])
        return self.parsed[name]

    def bytes(self) -> int:
        return sum(len(self.files[name]) for name in self.fetched)

    def lookup(self, word: str, prefix: bool) -> Any:
        manifest = self.get("manifest.json")
        shard = self.get(f"t/{fnv1a(word) % manifest['shards']}.json")
        return (shard.get(word + "*") if prefix else None) or shard.get(word)

    def search(self, q: str = "", **filters: str) -> Result:
        manifest = self.get("manifest.json")
        job = Job()
        words = tokens(q)
        prefix = bool(words and _LAST_IS_WORD.search(fold(q))
                      and len(words[-1]) >= manifest["prefix"])
        entries = [self.lookup(word, prefix and i == len(words) - 1)
                   for i, word in enumerate(words)]
        for axis in FACETS:
            if filters.get(axis):
                value = next((v for v in manifest["facets"][axis] if v[0] == filters[axis]), None)
                entries.append(self.get(f"p/{value[3]}.json") if value else None)
        lists = ([] if any(entry is None for entry in entries)
                 else sorted((Postings(e, self, job) for e in entries), key=lambda p: p.n))
        job.done = not lists
        found = self.batch(lists, job)
        chunk = manifest["chunk"]
        docs = [self.get(f"d/{d // chunk}.json")[d % chunk] for d in found]
        count = lists[0].n if len(lists) == 1 else len(found) if job.done else None
        return Result(docs, count, list(self.fetched))

    def batch(self, lists: list[Postings], job: Job) -> list[int]:
        found: list[int] = []
        budget = job.fetched + FETCHES
        while len(found) < BATCH and not job.done:
            d = self.next(lists, job, job.cursor, budget)
            if d is None:
                break
            if d == math.inf:
                job.done = True
            else:
                found.append(int(d))
                job.cursor = int(d) + 1
        return found

    @staticmethod
    def next(lists: list[Postings], job: Job, d: float, budget: int) -> float | None:
        agreed, i = 0, 0
        while agreed < len(lists):
            if job.fetched >= budget:
                job.cursor = int(d)
                return None
            found = lists[i].seek(int(d))
            if found == math.inf:
                return math.inf
            if found == d:
                agreed += 1
            else:
                d, agreed = found, 1
            i = (i + 1) % len(lists)
        return d
