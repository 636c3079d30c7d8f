"""Rendering pages on every core: forked workers that inherit the compiled renderer.

The parent plans the pages and compiles the templates once; forked workers inherit
them (no pickling of the collection) and write their files straight into the
staging folder, and the parent renders beside them. Pages are dealt out heaviest
first in small chunks from one shared counter, so a few huge hub pages never leave
one core working alone at the end.
"""

from __future__ import annotations

import gc
import heapq
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.output import flat_name, safe_relative
from generator.pages import PagePlan
from generator.parallel import die_with_parent, release_free_memory
from generator.problems import Problem
from generator.render import Renderer, template_problem

Progress = Callable[[int, int], None]  # (pages done, pages in all)
SERIAL_BELOW = 400  # pages; forking costs more than it saves on small sites


@dataclass(slots=True)
class RenderResult:
    written: int = 0
    bytes: int = 0
    unchanged: int = 0  # pages whose bytes on disk were already right
    paths: list[str] = field(default_factory=list)  # files written, relative to the folder
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Job:
    pages: list[PagePlan]
    renderer: Renderer
    folder: Path
    chunks: list[list[int]]
    compare_with: Path | None  # the live site, whose equal pages are not written again
    flat: bool  # write each page as one file named by `output.flat_name`, no subfolders


# Set in the parent just before forking and read by the forked workers: the one way to
# hand them the compiled renderer without pickling it. Cleared when the pool is done.
_job: _Job | None = None
_job_counter: list[Any] = [None]  # the shared count of chunks claimed, while a pool runs


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


def render_pages(pages: list[PagePlan], renderer: Renderer, folder: Path, workers: int,
                 progress: Progress | None = None, compare_with: Path | None = None,
                 flat: bool = False) -> RenderResult:
    """Render `pages` into `folder` with up to `workers` processes.

    With `compare_with` (the live site), a page whose bytes there are already right is
    not written at all; `paths` lists the pages written, for the caller to move in.
    `flat` writes them without subfolders (see `output.StagedOutput.move_into_place`).
    """
    chunks = cost_chunks(pages, renderer, pieces=max(1, workers) * 16)
    job = _Job(pages, renderer, folder, chunks, compare_with, flat)
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or len(pages) < SERIAL_BELOW or not can_fork:
        return _collect((_render_chunk_of(job, i) for i in range(len(chunks))), job, progress)
    global _job
    _job = job
    # Keep the inherited objects' pages shared instead of copied on write. A caller that
    # froze its objects for good (the live site) keeps them frozen afterwards.
    was_frozen = gc.get_freeze_count() > 0
    gc.freeze()
    release_free_memory()
    try:
        # The parent renders too, beside `workers - 1` forked workers, all taking the
        # next chunk from one shared counter. Each process that reads the collection ends
        # up with its own copy of most of it (reading an object updates its reference
        # count, which copies its page), so an idle parent beside two workers held three.
        context = multiprocessing.get_context("fork")
        claimed = _job_counter[0] = context.Value("l", 0)
        with context.Pool(workers - 1, initializer=die_with_parent) as pool:
            theirs = [pool.apply_async(_render_claimed_in_worker) for _ in range(workers - 1)]
            total = _render_claimed(job, claimed, progress)
            for result in theirs:
                _merge(total, result.get())
        if progress is not None:
            progress(len(pages), len(pages))
        return total
    finally:
        _job = None
        _job_counter[0] = None
        if not was_frozen:
            gc.unfreeze()


def _collect(results: object, job: _Job, progress: Progress | None) -> RenderResult:
    total = RenderResult()
    done = 0
    for index, part in results:  # type: ignore[attr-defined]
        _merge(total, part)
        done += len(job.chunks[index])
        if progress is not None:
            progress(done, len(job.pages))
    return total


def _merge(total: RenderResult, part: RenderResult) -> None:
    total.written += part.written
    total.bytes += part.bytes
    total.unchanged += part.unchanged
    total.paths.extend(part.paths)
    total.problems.extend(part.problems)


def _render_claimed(job: _Job, claimed: Any, progress: Progress | None = None
                    ) -> RenderResult:
    """Render chunk after chunk, each claimed from the shared counter, until none is left."""
    total = RenderResult()
    done_before = [0]  # pages in the chunks claimed so far, by claim order
    for chunk in job.chunks:
        done_before.append(done_before[-1] + len(chunk))
    while True:
        with claimed.get_lock():
            index = claimed.value
            claimed.value = index + 1
        if index >= len(job.chunks):
            return total
        _merge(total, _render_chunk_of(job, index)[1])
        if progress is not None:
            progress(done_before[min(claimed.value, len(job.chunks))], len(job.pages))


def _render_claimed_in_worker() -> RenderResult:
    assert _job is not None and _job_counter[0] is not None, "forked after the job is set"
    return _render_claimed(_job, _job_counter[0])


def _render_chunk_of(job: _Job, index: int) -> tuple[int, RenderResult]:
    result = RenderResult()
    made: set[Path] = set()
    for page_index in job.chunks[index]:
        page = job.pages[page_index]
        try:
            data = job.renderer.render(page)
        except Exception as error:
            result.problems.append(template_problem(page, error))
            continue
        relative = safe_relative(page.output)  # never outside the folder
        if job.compare_with is not None and same_bytes(job.compare_with / relative, data):
            result.unchanged += 1
            continue
        name = relative.as_posix()
        target = job.folder / (flat_name(name) if job.flat else relative)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)
        result.paths.append(name)
        result.written += 1
        result.bytes += len(data)
    return index, result


def same_bytes(path: Path, data: bytes) -> bool:
    """Whether the file at `path` holds exactly `data` (False when there is none)."""
    try:
        return path.read_bytes() == data
    except OSError:  # missing, or a folder
        return False


def cost_chunks(pages: list[PagePlan], renderer: Renderer, pieces: int) -> list[list[int]]:
    """Page indices in chunks of similar cost, heaviest chunks first."""
    costs = [renderer.cost(page) for page in pages]
    order = sorted(range(len(pages)), key=lambda i: (-costs[i], pages[i].output))
    budget = max(1, sum(costs) // pieces)
    chunks: list[list[int]] = []
    current: list[int] = []
    spent = 0
    for index in order:
        current.append(index)
        spent += costs[index]
        if spent >= budget:
            chunks.append(current)
            current, spent = [], 0
    if current:
        chunks.append(current)
    return chunks


def shard_pages(pages: list[PagePlan], renderer: Renderer, index: int, count: int
                ) -> list[PagePlan]:
    """Part `index` (1-based) of `count` parts of `pages`, balanced by estimated cost.

    Heaviest pages first, each to the part with the least cost so far (ties to the
    lowest part): the same pages and parts give the same split on every machine.
    """
    loads = [(0, part) for part in range(count)]
    mine: list[PagePlan] = []
    costed = sorted(((renderer.cost(p), p) for p in pages), key=lambda c: (-c[0], c[1].output))
    for cost, page in costed:
        load, part = heapq.heappop(loads)
        if part == index - 1:
            mine.append(page)
        heapq.heappush(loads, (load + cost, part))
    return sorted(mine, key=lambda p: p.output)
