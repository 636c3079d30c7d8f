"""The build: each stage in order, returning a `BuildReport`.

A first build (or one after a change of config, theme, citehub or Python) renders
every page into a staging folder and swaps it in. Later builds compare each page's
input fingerprint with the last build's and re-render only the pages that changed,
writing each through a temporary file and a rename; unchanged bytes are not rewritten.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator import assets, markup
from generator.cache import (
    FileHashes,
    ParseCache,
    Stored,
    cache_folder,
    cache_key,
    content_hash,
    hash_file,
    open_file_hashes,
    open_parse_cache,
    save_file_hashes,
    save_parse_cache,
)
from generator.collection import Collection, collector_paused, load_collection
from generator.config import SiteConfig, load_config
from generator.deps import Fingerprints, digest, folder_fingerprint, template_digests
from generator.output import (
    MARKER,
    StagedOutput,
    check_output_dir,
    flat_name,
    remove_pages,
    safe_relative,
)
from generator.pages import PagePlan, SitePlan, plan_site
from generator.problems import Problem, sorted_problems
from generator.render import Renderer, Theme, check_templates, find_theme, make_environment
from generator.search import FOLDER as SEARCH_FOLDER
from generator.search import search_files
from generator.views import Context, ViewInputs
from generator.workers import (
    Progress,
    RenderResult,
    default_workers,
    render_pages,
    shard_pages,
)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    content: Path = Path("content")
    output: Path = Path("site")
    base_url: str | None = None  # overrides site.yaml's base_url (e.g. for a preview)
    jobs: int = field(default_factory=default_workers)  # rendering processes
    incremental: bool = True  # reuse the last build's pages whose inputs are unchanged
    shard: tuple[int, int] | None = None  # (K, N): render only the K-th of N parts


@dataclass(slots=True)
class BuildReport:
    problems: list[Problem] = field(default_factory=list)
    papers: int = 0
    hubs: int = 0
    pages: int = 0  # pages in the site
    rendered: int = 0  # pages rendered by this build
    written: int = 0  # files written (static files included)
    removed: int = 0  # pages of the last build that no longer exist
    bytes: int = 0
    full: bool = True  # rendered everything into a fresh folder
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # stage -> seconds

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        kind = "" if self.full else f" ({self.rendered} re-rendered, {self.removed} removed)"
        search = self.phases.get("search")
        index = "" if search is None else f" (search index {search:.2f} s)"
        return (f"{self.papers} papers, {self.hubs} hubs, {self.pages} pages, "
                f"{self.written} files written{kind} in {self.seconds:.2f} s{index}")

    def stopwatch(self) -> Callable[[str], None]:
        """A function that records the seconds since its last call under a stage name."""
        started = last = time.perf_counter()

        def lap(stage: str) -> None:
            nonlocal last
            now = time.perf_counter()
            self.phases[stage] = now - last
            self.seconds = now - started
            last = now

        return lap


@dataclass(slots=True)
class Prepared:
    """What a build knows once it has planned the site: what `live` keeps between edits."""

    site: Collection
    plan: SitePlan
    theme: Theme
    renderer: Renderer
    key: str  # the site-wide part of every fingerprint (config, theme, versions)
    prints: Fingerprints
    fingerprints: dict[str, str]  # output path -> fingerprint, for every planned page
    parse_cache: ParseCache


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    return build_site(options, progress)[0]


def build_site(options: BuildOptions, progress: Progress | None = None,
               keep: bool = False) -> tuple[BuildReport, Prepared | None]:
    """Build; with `keep`, never stop at the no-change check, and return what the build
    planned (None when it failed) for `live` to update edit by edit."""
    report = BuildReport()
    lap = report.stopwatch()
    cache_dir = cache_folder(options.output)
    last_inputs = Stored(cache_dir / "inputs.pickle")
    config, _ = load_config(options.content)  # its problems are reported by the loader
    hashes: dict[str, str] = {}
    known = open_file_hashes(cache_dir)
    inputs = input_digest(options, config, hashes, known)
    if options.incremental and options.shard is None and inputs is not None and not keep:
        counts = last_inputs.read(inputs)
        if isinstance(counts, tuple) and (options.output / MARKER).is_file():
            save_file_hashes(cache_dir, known)
            report.papers, report.hubs, report.pages = counts
            report.full = False
            lap("check")
            return report, None
    # Loading the parse cache and planning make millions of objects and no cycles: with
    # the collector on, loading the cache of 50,000 papers took 2.5-2.9 s, off 0.9 s.
    with collector_paused():
        parse_cache = open_parse_cache(cache_dir, cache_key(config.fingerprint), hashes)
        prepared, report.problems = prepare(options, parse_cache)
    lap("plan")
    if prepared is None:
        return report, None
    check_output_dir(options.output, options.content)
    save_file_hashes(cache_dir, known)  # only now: a refused build writes nothing
    if parse_cache.misses and options.shard is None:
        # Parses are cached by content hash, right whatever rendering brings.
        with collector_paused():
            save_parse_cache(cache_dir, parse_cache)
    state = Stored(cache_dir / "pages.pickle")
    site, plan, renderer = prepared.site, prepared.plan, prepared.renderer
    key, fingerprints, theme = prepared.key, prepared.fingerprints, prepared.theme
    kept = prepared if keep else None
    # Only `live` needs the fingerprint tables and the parse cache (74 MB at 50,000
    # papers): dropped before rendering forks, they are not copied into its workers.
    del prepared, parse_cache
    # A shard is one part of a split build: always fresh, and it keeps no state.
    pages = plan.pages if options.shard is None else shard_pages(plan.pages, renderer,
                                                                 *options.shard)
    previous = (state.read(key) if options.incremental and options.shard is None
                else None)
    lap("fingerprint")
    report.papers, report.hubs, report.pages = len(site.records), len(site.hubs), len(pages)
    if isinstance(previous, dict) and (options.output / MARKER).is_file():
        report.problems = update_in_place(pages, previous, fingerprints, renderer,
                                          options, state, report, progress)
    else:
        report.problems = build_afresh(pages, renderer, theme, options, state,
                                       report, progress)
    if not report.problems and options.shard is None:
        state.write(key, fingerprints)
        if inputs is not None:
            last_inputs.write(inputs, (report.papers, report.hubs, report.pages))
    lap("write")
    return report, (kept if not report.problems else None)


def prepare(options: BuildOptions, parse_cache: ParseCache
            ) -> tuple[Prepared | None, list[Problem]]:
    """Load, analyse and plan the site, compile the theme, fingerprint every page."""
    site, problems = load_collection(options.content, parse_cache, options.jobs)
    if site is None:
        return None, problems
    if options.base_url is not None:
        site = replace(site, config=replace(site.config, base_url=options.base_url))
    theme, problems = find_theme(site.config.theme, options.content)
    if theme is None:
        return None, problems
    env = make_environment(theme, site.config.base_path)
    problems = check_templates(env, theme)
    if problems:
        return None, problems
    plan = plan_site(site)
    renderer = Renderer(env, ViewInputs(site, plan, markup.make_markdown()), site_context(site))
    # The static files' bytes are part of the key (a change there starts a fresh, full
    # build); templates count per page, through the templates each page uses.
    key = cache_key(digest([site.config.fingerprint, site.config.base_url,
                            folder_fingerprint(static_folders(theme))]))
    templates = template_digests(env, sorted({p.template for p in plan.pages if p.template}))
    prints = Fingerprints(site, plan, key, templates)
    fingerprints = {page.output: prints.page(page) for page in plan.pages}
    return Prepared(site, plan, theme, renderer, key, prints, fingerprints, parse_cache), []


def forget_last_build(state: Stored) -> None:
    """Called just before a build changes the site: if it is killed, the next build must
    not trust what the last one left (page fingerprints, or 'up to date')."""
    state.remove()
    Stored(state.path.with_name("inputs.pickle")).remove()


def input_digest(options: BuildOptions, config: SiteConfig, hashes: dict[str, str],
                 known: FileHashes) -> str | None:
    """A digest of every byte a build reads (content folder, theme, options, versions).

    Equal to the last successful build's, the site is up to date and nothing else needs
    doing: no parsing, no graph, no plan. None when the theme cannot be found (the full
    path then reports why). Each file's content hash is left in `hashes`; `known` spares
    reading files unchanged since they were hashed.
    """
    theme, _ = find_theme(config.theme, options.content)
    if theme is None:
        return None
    folders = [options.content, *theme_folders(theme)]
    fingerprint = folder_fingerprint(folders, hashes, known, options.jobs)
    return cache_key(digest([fingerprint, str(options.base_url),
                             str(options.content.resolve())]))


def build_afresh(pages: list[PagePlan], renderer: Renderer, theme: Theme, options: BuildOptions,
                 state: Stored, report: BuildReport, progress: Progress | None) -> list[Problem]:
    """Render every page into a staging folder and swap it in whole."""
    forget_last_build(state)
    staged = StagedOutput(options.output)
    staged.open()
    try:
        rendered = render_pages(pages, renderer, staged.staging, options.jobs, progress)
        if rendered.problems:
            staged.abort()
            return sorted_problems(rendered.problems)
        copy_static(theme, staged)
        write_search(renderer.inputs.site, staged, options.shard, report)
        staged.commit()
    except BaseException:
        staged.abort()
        raise
    record(report, rendered, len(pages), staged.written, staged.bytes)
    return []


def update_in_place(pages: list[PagePlan], previous: dict[str, str],
                    fingerprints: dict[str, str], renderer: Renderer, options: BuildOptions,
                    state: Stored, report: BuildReport, progress: Progress | None
                    ) -> list[Problem]:
    """Re-render the pages whose inputs changed; remove pages that no longer exist."""
    report.full = False
    changed = [page for page in pages if previous.get(page.output) != fingerprints[page.output]]
    gone = sorted(set(previous) - set(fingerprints))
    problems = swap_in(changed, gone, renderer, options, state, report, progress)
    if not problems:
        update_search(renderer.inputs.site, options.output, report)
    return problems


def swap_in(changed: list[PagePlan], gone: list[str], renderer: Renderer,
            options: BuildOptions, state: Stored, report: BuildReport,
            progress: Progress | None) -> list[Problem]:
    """Render `changed` pages and move them into the site; remove the `gone` ones."""
    if not changed and not gone:
        return []
    # New pages are rendered beside the site, then moved in by renames: a build killed
    # while rendering leaves the site untouched, and no reader sees a half-written page.
    incoming = StagedOutput(options.output, ".incoming")
    incoming.open()
    try:
        rendered = render_pages(changed, renderer, incoming.staging, options.jobs, progress,
                                compare_with=options.output, flat=True)
        if rendered.problems:
            return sorted_problems(rendered.problems)
        forget_last_build(state)  # from here on, a killed build leaves no state to trust
        incoming.move_into_place(rendered.paths, flat=True)
        report.removed = remove_pages(options.output, gone)
    finally:
        incoming.abort()
    record(report, rendered, len(changed), 0, 0)
    return []


def record(report: BuildReport, rendered: RenderResult, pages: int, static_files: int,
           static_bytes: int) -> None:
    report.rendered += pages
    report.written += rendered.written + static_files
    report.bytes += rendered.bytes + static_bytes


def write_search(site: Collection, staged: StagedOutput, shard: tuple[int, int] | None,
                 report: BuildReport) -> None:
    """The search stage of a fresh build: the index files into the staging folder.

    The index is made over the whole collection (every shard has all of it, and makes the
    same bytes); shard K of N writes every N-th file, from the K-th, so the parts stay
    balanced and their union is the whole index."""
    started = time.perf_counter()
    files = list(index_files(site).items())
    if shard is not None:
        files = files[shard[0] - 1::shard[1]]
    for path, data in files:
        target = staged.staging / safe_relative(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        staged.written += 1
        staged.bytes += len(data)
    report.phases["search"] = time.perf_counter() - started


def update_search(site: Collection, output: Path, report: BuildReport) -> None:
    """The search stage of an update: write the index files whose bytes changed (each by a
    rename, so a reader never sees half a file) and remove those no longer made."""
    started = time.perf_counter()
    files = index_files(site)
    digests = {path: content_hash(data) for path, data in files.items()}
    known = search_on_disk(output)
    changed = [path for path, value in digests.items() if known.get(path) != value]
    if changed:
        incoming = StagedOutput(output, ".incoming")
        incoming.open()
        try:
            for path in changed:
                (incoming.staging / flat_name(path)).write_bytes(files[path])
            incoming.move_into_place(changed, flat=True)
        finally:
            incoming.abort()
    report.removed += remove_pages(output, sorted(set(known) - set(digests)))
    report.written += len(changed)
    report.bytes += sum(len(files[path]) for path in changed)
    report.phases["search"] = time.perf_counter() - started


def index_files(site: Collection) -> dict[str, bytes]:
    with collector_paused():  # millions of postings, and no reference cycles
        return search_files(site)


def search_on_disk(output: Path) -> dict[str, str]:
    """The digest of each search index file under `output`, by its path in the site."""
    folder = output / SEARCH_FOLDER
    return {path.relative_to(output).as_posix(): hash_file(path)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def theme_folders(theme: Theme) -> list[Path]:
    return [theme.folder, theme.override, theme.override.parent / "static"]


def static_folders(theme: Theme) -> list[Path]:
    """The site's own static folder, then the theme's: a file in the first wins."""
    return [theme.override.parent / "static", theme.folder / "static"]


def site_context(site: Collection) -> Context:
    """What every template sees as `site`."""
    return {
        "title": site.config.title,
        "description": site.config.description,
        "base_path": site.config.base_path,
        "pages": [{"title": p.title, "url": f"{p.slug}/"} for p in site.pages],
    }


def copy_static(theme: Theme, staged: StagedOutput) -> None:
    for folder in static_folders(theme):
        staged.copy_tree(folder, "static")
    staged.bytes -= assets.strip_tree(staged.staging / "static")  # comments, indentation
