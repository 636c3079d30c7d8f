"""A site kept in memory between builds, so that an edit costs what it touches.

`citehub serve` builds once with `LiveSite.start`, then hands each batch of changed
files to `LiveSite.update`. When every changed file is a record file under `papers/`
(edited, added or deleted), the update re-reads only those files, applies them to the
collection (`edits`), moves the touched papers within the page plan (`replan`),
fingerprints only the pages that may have changed, and renders and swaps in only the
pages whose fingerprint did change. Its result is byte for byte the site a full build
makes (tests compare them after every kind of edit).

Anything else returns None and the caller runs a full build: a change to the config,
a template, an editorial page, a folder or a link, and any problem at all, since a
full build reports every problem with its full message.

The build state on disk (page fingerprints, the parse cache) is not rewritten per
edit: `save` writes it when the server stops. Until then the state files are removed
(as a full build does before it changes the site), so a `citehub build` after a
killed server never trusts them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.build import (
    BuildOptions,
    BuildReport,
    Prepared,
    build_site,
    swap_in,
)
from generator.cache import Stored, cache_folder, content_hash, save_parse_cache
from generator.deps import Fingerprints, template_digests
from generator.edits import Edit, apply_edit, check_edit
from generator.pages import PagePlan, pages_of_paper
from generator.problems import display_path
from generator.records import Loaded, Record, is_record_name, parse_file
from generator.render import Renderer, check_templates, make_environment
from generator.replan import pages_to_check, replan
from generator.searchjob import SearchJob
from generator.views import ViewInputs
from generator.workers import Progress

Parsed = dict[str, tuple[str, Loaded | None]]  # shown path -> (content hash, its records)


@dataclass(slots=True)
class LiveSite:
    options: BuildOptions
    prepared: Prepared
    files: dict[str, tuple[str, ...]] = field(default_factory=dict)  # shown path -> ids
    owners: dict[str, str] = field(default_factory=dict)  # id -> shown path
    saved: bool = True  # the state on disk describes the site
    search: SearchJob = field(default_factory=SearchJob)  # remakes the index after edits
    search_stale: bool = False  # an edit changed the site since the index was remade

    def __post_init__(self) -> None:
        for record in self.prepared.site.records.values():
            self.files[record.at.path] = (*self.files.get(record.at.path, ()), record.id)
            self.owners[record.id] = record.at.path

    @classmethod
    def start(cls, options: BuildOptions, progress: Progress | None = None
              ) -> tuple[BuildReport, LiveSite | None]:
        """A build that keeps what it planned; None (with the problems) when it failed."""
        report, prepared = build_site(options, progress, keep=True)
        settle_memory()
        return report, (cls(options, prepared) if prepared is not None else None)

    def update(self, changed: Iterable[str], progress: Progress | None = None
               ) -> BuildReport | None:
        """Apply the changed files; None when only a full build can (see the module)."""
        report = BuildReport(full=False)
        lap = report.stopwatch()
        self.search.stop()  # it must not write beside this update
        changed = list(changed)
        files = self.record_files(changed)
        if files is None:
            return self.retemplate(report, progress) if self.templates_only(changed) else None
        read = self.read(files)
        if read is None:
            return None
        edit, parsed = read
        before = self.prepared
        old = before.site
        if check_edit(old, edit) is not None:
            return None
        site, change = apply_edit(old, edit)
        replanned = replan(old, site, before.plan, change)
        plan = replanned.plan
        renderer = Renderer(before.renderer.env,
                            ViewInputs(site, plan, before.renderer.inputs.markdown),
                            before.renderer.site_context)
        state = Stored(cache_folder(self.options.output) / "pages.pickle")
        lap("plan")
        # The edited papers' own pages first, before anything else is even fingerprinted:
        # they are what the editor is looking at. (Equal bytes are not written.)
        own = [p for i in sorted(change.records) if i in site.slugs
               for p in pages_of_paper(site, plan.listings, i) if p.view == "paper"]
        report.problems = swap_in(own, [], renderer, self.options, state, report, progress)
        if report.problems:
            return report
        lap("own page")
        prints = Fingerprints(site, plan, before.key, before.prints.templates,
                              reuse=before.prints, changed=change.records | change.cited)
        updates: dict[str, tuple[PagePlan, str]] = {}
        for page in pages_to_check(old, site, replanned, change):
            fingerprint = prints.page(page)
            if before.fingerprints.get(page.output) != fingerprint:
                updates[page.output] = (page, fingerprint)
        lap("fingerprint")
        done = {page.output for page in own}
        rest = [page for output, (page, _) in updates.items() if output not in done]
        report.problems = swap_in(rest, replanned.removed, renderer, self.options, state,
                                  report, progress)
        if report.problems:
            return report
        self.adopt(renderer, prints, updates, replanned.removed, report)
        self.remember(parsed)
        lap("write")
        self.search_stale = True  # see `refresh_search`
        return report

    def refresh_search(self) -> None:
        """Remake the search index after edits, in the background (see `searchjob`).

        The server calls this once edits pause rather than after each one: a job forked
        in the middle of a burst is stopped by the next edit, and while it runs every
        page of the server's memory that the next edit writes to is copied first."""
        if self.search_stale:
            self.search.start(self.prepared.site, self.options.output)
            self.search_stale = False

    def templates_only(self, changed: list[str]) -> bool:
        """Whether every changed file is a template (the theme's or an override)."""
        theme = self.prepared.theme
        folders = [(theme.folder / "templates").resolve(), theme.override.resolve()]
        return bool(changed) and all(
            any(Path(path).is_relative_to(folder) for folder in folders) for path in changed)

    def retemplate(self, report: BuildReport, progress: Progress | None
                   ) -> BuildReport | None:
        """Re-render the pages whose template (or one it uses) changed."""
        lap = report.stopwatch()
        before = self.prepared
        site, plan = before.site, before.plan
        env = make_environment(before.theme, site.config.base_path)
        if check_templates(env, before.theme):
            return None  # the full build reports the problems
        templates = template_digests(env, sorted(before.prints.templates))
        prints = Fingerprints(site, plan, before.key, templates, reuse=before.prints)
        renderer = Renderer(env, ViewInputs(site, plan, before.renderer.inputs.markdown),
                            before.renderer.site_context)
        updates = {page.output: (page, prints.page(page)) for page in plan.pages
                   if page.template and templates[page.template]
                   != before.prints.templates[page.template]}
        lap("fingerprint")
        state = Stored(cache_folder(self.options.output) / "pages.pickle")
        report.problems = swap_in([page for page, _ in updates.values()], [], renderer,
                                  self.options, state, report, progress)
        if report.problems:
            return report
        self.adopt(renderer, prints, updates, [], report)
        lap("write")
        return report

    def adopt(self, renderer: Renderer, prints: Fingerprints,
              updates: dict[str, tuple[PagePlan, str]], removed: list[str],
              report: BuildReport) -> None:
        """Make the updated site the live one, once its pages are on disk."""
        self.saved = False
        fingerprints = self.prepared.fingerprints
        for output in removed:
            del fingerprints[output]
        fingerprints.update((output, value) for output, (_, value) in updates.items())
        site, plan = renderer.inputs.site, renderer.inputs.plan
        self.prepared = Prepared(site, plan, self.prepared.theme, renderer, self.prepared.key,
                                 prints, fingerprints, self.prepared.parse_cache)
        report.papers, report.hubs, report.pages = len(site.records), len(site.hubs), len(
            plan.pages)
        settle_memory()

    def record_files(self, changed: Iterable[str]) -> list[Path] | None:
        """The changed record files, as the loader names them; None if anything else
        changed (files the loader skips, like `.hidden` or `notes.txt`, are left out)."""
        papers = self.options.content / "papers"
        real = papers.resolve()
        found: list[Path] = []
        for name in changed:
            path = Path(name)
            if not path.is_relative_to(real):
                return None
            relative = path.relative_to(real)
            if relative == Path(".") or any(p.startswith(".") for p in relative.parts[:-1]):
                return None
            if not is_record_name(path):
                if path.is_dir() or self.known_folder(papers / relative):
                    return None
                continue
            loader_path = papers / relative
            if path.is_symlink() or (path.exists() and not path.is_file()):
                return None
            found.append(loader_path)
        return sorted(set(found))

    def known_folder(self, folder: Path) -> bool:
        prefix = display_path(folder).rstrip("/") + "/"
        return any(shown.startswith(prefix) for shown in self.files)

    def read(self, files: list[Path]) -> tuple[Edit, Parsed] | None:
        """The edit the files make, and each file's parse (for the cache); None when a
        file has problems or an id is given twice."""
        config = self.prepared.site.config
        records: dict[str, Record | None] = {}
        parsed: Parsed = {}
        shown_files = {display_path(path) for path in files}
        for path in files:
            records.update((i, None) for i in self.files.get(display_path(path), ()))
        seen: set[str] = set()
        for path in files:
            shown = display_path(path)
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                parsed[shown] = ("", None)
                continue
            except OSError:
                return None
            loaded = parse_file(raw, path, shown, config)
            if loaded.problems:
                return None
            for record in loaded.records:
                owner = self.owners.get(record.id)
                if record.id in seen or (owner is not None and owner not in shown_files):
                    return None  # a duplicate id: the full build names both places
                seen.add(record.id)
                records[record.id] = record
            parsed[shown] = (content_hash(raw), loaded)
        return Edit(records), parsed

    def remember(self, parsed: Parsed) -> None:
        """Keep the files' records (and their parses, for the parse cache)."""
        cache = self.prepared.parse_cache
        for shown, (digest, loaded) in parsed.items():
            cache.forget(shown)
            for paper_id in self.files.pop(shown, ()):
                if self.owners.get(paper_id) == shown:
                    del self.owners[paper_id]
            if loaded is None:
                continue
            cache.put(shown, digest, loaded)
            ids = tuple(record.id for record in loaded.records)
            if ids:
                self.files[shown] = ids
                self.owners.update((paper_id, shown) for paper_id in ids)

    def save(self) -> None:
        """Write the build state for the next `citehub build` (when the server stops)."""
        self.search.stop()  # the next `citehub build` checks the index anyway
        if self.saved:
            return
        folder = cache_folder(self.options.output)
        Stored(folder / "pages.pickle").write(self.prepared.key, self.prepared.fingerprints)
        save_parse_cache(folder, self.prepared.parse_cache)
        self.saved = True


def settle_memory() -> None:
    """Move the objects alive now out of the cyclic collector's sight.

    The site holds tens of millions of objects at 50k papers, with no reference cycles;
    a full collection pass over them takes a second, and the allocations of an edit
    set one off now and then, inside the edit. Frozen objects are still freed by
    reference counting when an edit replaces them.
    """
    gc.collect()
    gc.freeze()
