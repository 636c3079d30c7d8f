"""The build: each stage in order, one line each, returning a `BuildReport`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from generator import markup
from generator.collection import Collection, load_collection
from generator.output import StagedOutput, check_output_dir
from generator.pages import plan_site
from generator.problems import Problem, sorted_problems
from generator.render import Renderer, Theme, check_templates, find_theme, make_environment
from generator.views import Context, ViewInputs
from generator.workers import Progress, default_workers, render_pages


@dataclass(frozen=True, slots=True)
class BuildOptions:
    content: Path = Path("content")
    output: Path = Path("site")
    base_url: str | None = None  # overrides site.yaml's base_url (e.g. for a preview)
    jobs: int = field(default_factory=default_workers)  # rendering processes


@dataclass(slots=True)
class BuildReport:
    problems: list[Problem] = field(default_factory=list)
    papers: int = 0
    hubs: int = 0
    pages: int = 0  # pages planned and rendered
    written: int = 0  # files written, static files included
    bytes: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (f"{self.papers} papers, {self.hubs} hubs, {self.pages} pages, "
                f"{self.written} files written in {self.seconds:.2f} s")


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport()
    site, report.problems = load_collection(options.content)
    if site is None:
        return report
    if options.base_url is not None:
        site = with_base_url(site, options.base_url)
    theme, report.problems = find_theme(site.config.theme, options.content)
    if theme is None:
        return report
    env = make_environment(theme, site.config.base_path)
    report.problems = check_templates(env, theme)
    if report.problems:
        return report
    plan = plan_site(site)
    renderer = Renderer(env, ViewInputs(site, plan, markup.make_markdown()), site_context(site))
    check_output_dir(options.output, options.content)
    staged = StagedOutput(options.output)
    staged.open()
    try:
        rendered = render_pages(plan.pages, renderer, staged.staging, options.jobs, progress)
        if rendered.problems:
            staged.abort()
            report.problems = sorted_problems(rendered.problems)
            return report
        copy_static(theme, staged)
        staged.commit()
    except BaseException:
        staged.abort()
        raise
    report.papers, report.hubs, report.pages = len(site.records), len(site.hubs), len(plan.pages)
    report.written = rendered.written + staged.written
    report.bytes = rendered.bytes + staged.bytes
    report.seconds = time.perf_counter() - started
    return report


def with_base_url(site: Collection, base_url: str) -> Collection:
    from dataclasses import replace

    return replace(site, config=replace(site.config, base_url=base_url))


def site_context(site: Collection) -> Context:
    """What every template sees as `site`."""
    return {
        "title": site.config.title,
        "description": site.config.description,
        "base_path": site.config.base_path,
        "pages": [{"title": p.title, "url": f"{p.slug}/"} for p in site.pages],
    }


def copy_static(theme: Theme, staged: StagedOutput) -> None:
    staged.copy_tree(theme.override.parent / "static", "static")
    staged.copy_tree(theme.folder / "static", "static")
