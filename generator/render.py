"""The Jinja environment for a theme and `render(page) -> bytes`, nothing else.

Templates are looked up first in the site's own `content/templates/`, then in the
theme, so a site overrides one template at a time by dropping a file of the same
name into `content/templates/`.
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe

from generator import markup, urls
from generator.pages import PagePlan
from generator.problems import Problem, display_path, sorted_problems
from generator.sources import link_problem
from generator.themejinja import ThemeEnvironment
from generator.views import Context, ViewInputs, context_for

REQUIRED_TEMPLATES = (
    "base.html", "paper.html", "citing.html", "home.html", "papers.html", "ranking.html",
    "terms.html", "page.html", "404.html", "sitemap.xml", "feed.xml",
)  # fmt: skip
BUILTIN_THEMES = Path(__file__).resolve().parent.parent / "themes"


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    folder: Path  # the theme's own folder (templates/ and static/)
    override: Path  # the site's content/templates/


def find_theme(name: str, content_dir: Path) -> tuple[Theme | None, list[Problem]]:
    """A theme by folder name (in the project's themes/ or citehub's) or by path."""
    candidates = [content_dir.parent / "themes" / name, BUILTIN_THEMES / name]
    if "/" in name or name.startswith("."):
        candidates = [(content_dir / name).resolve()]
    for folder in candidates:
        if folder.is_symlink() or (folder / "templates").is_dir():
            theme = Theme(name, folder, content_dir / "templates")
            problems = theme_link_problems(theme, content_dir)
            return (None, problems) if problems else (theme, [])
    shown = display_path(content_dir / "site.yaml")
    looked = ", ".join(display_path(c) for c in candidates)
    return None, [Problem(shown, 0, f"theme '{name}' not found (looked in {looked})")]


def theme_link_problems(theme: Theme, content_dir: Path) -> list[Problem]:
    """Symbolic links that would let the build read templates or static files from
    outside the site folder (a theme given by a path outside it: outside the theme)."""
    site_root = content_dir.parent.resolve()
    theme_root = theme.folder.resolve()
    site = (site_root, "the site folder")
    folders = [(theme.override, site), (content_dir / "static", site)]
    if not theme_root.is_relative_to(BUILTIN_THEMES):  # citehub's own themes are trusted
        inside = theme_root.is_relative_to(site_root) or theme.folder.is_symlink()
        folders.append((theme.folder, site if inside else (theme_root, "the theme folder")))
    problems: list[Problem] = []
    for folder, (root, what) in folders:
        problem = link_problem(folder, root, what)
        if problem is None and folder.is_dir():
            found = (link_problem(path, root, what) for path in folder.rglob("*"))
            problems += [p for p in found if p is not None]
        elif problem is not None:
            problems.append(problem)
    return sorted_problems(problems)


def make_environment(theme: Theme, base_path: str) -> jinja2.Environment:
    loader = jinja2.FileSystemLoader([str(theme.override), str(theme.folder / "templates")])
    env = ThemeEnvironment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "xml"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates cannot change during a build; skip mtime checks
    )
    env.filters["url"] = lambda url: urls.href(base_path, url)
    env.filters["tojson_script"] = lambda value: markup_safe(markup.json_for_script(value))
    env.globals["asset"] = lambda path: urls.href(base_path, f"static/{path}")
    return env


def markup_safe(text: str) -> markupsafe.Markup:
    return markupsafe.Markup(text)


def check_templates(env: jinja2.Environment, theme: Theme) -> list[Problem]:
    """Every template the pages need exists and compiles; problems name file and line."""
    problems = []
    for name in REQUIRED_TEMPLATES:
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            path = display_path(Path(error.filename)) if error.filename else name
            problems.append(Problem(path, error.lineno, f"template error: {error.message}"))
        except jinja2.TemplateNotFound as error:
            where = display_path(theme.folder / "templates")
            problems.append(Problem(where, 0, f"theme '{theme.name}' has no template "
                                              f"'{error.name}'"))
    return problems


class Renderer:
    """Renders pages of one collection with one compiled environment."""

    def __init__(self, env: jinja2.Environment, inputs: ViewInputs, site_context: Context):
        self.env = env
        self.inputs = inputs
        self.site_context = site_context

    def render(self, page: PagePlan) -> bytes:
        context = context_for(page, self.inputs)
        if page.template is None:
            return encode_json(context)
        template = self.env.get_template(page.template)
        return template.render(site=self.site_context, **context).encode("utf-8")


    def cost(self, page: PagePlan) -> int:
        """A rough relative cost of rendering `page`: rows of papers it lists."""
        site = self.inputs.site
        if page.view in ("paper", "paper_json"):
            paper_id = page.key[0]
            citing = len(site.graph.citing(paper_id))
            shown = citing if page.view == "paper_json" else min(
                citing, site.config.explorer_page_size) + site.config.hub.representative
            return 4 + shown + len(site.graph.references(paper_id))
        if page.view in ("citing", "listing"):
            return 4 + site.config.listing_page_size
        return 4


def template_problem(page: PagePlan, error: Exception) -> Problem:
    """A rendering error as a problem at its template line; other errors are bugs."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if f.filename.endswith((".html", ".xml"))]
    if not frames:
        raise error
    frame = frames[-1]
    return Problem(display_path(Path(frame.filename)), frame.lineno or 0,
                   f"template error while rendering /{page.url}: {error}")


def encode_json(data: Context) -> bytes:
    data.pop("page_url", None)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
