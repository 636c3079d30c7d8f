"""Editorial content: `content/home.md` (the home page intro) and `content/pages/*.md`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from generator import markup, urls, yamltree
from generator.problems import Problem, display_path
from generator.sources import link_problem, read_text, split_front_matter, strip_control
from generator.urls import slugify


@dataclass(frozen=True, slots=True)
class EditorialPage:
    slug: str  # served at /<slug>/
    title: str
    body: str  # markdown
    path: str  # source file, for messages


def load_editorial(content_dir: Path) -> tuple[EditorialPage | None, list[EditorialPage],
                                                list[Problem]]:
    """The home intro (if any), the editorial pages sorted by slug, and problems."""
    problems: list[Problem] = []
    home = None
    pages_dir = content_dir / "pages"
    links = [link_problem(path, content_dir, "the content folder")
             for path in (content_dir / "home.md", pages_dir)]
    problems += [problem for problem in links if problem is not None]
    if problems:
        return None, [], problems
    if (content_dir / "home.md").is_file():
        home = _read(content_dir / "home.md", "", problems)
    pages = []
    taken: dict[str, str] = {}  # slug -> the file that made it
    if pages_dir.is_dir():
        for path in sorted(pages_dir.glob("*.md")):
            link = link_problem(path, content_dir, "the content folder")
            if link is not None:
                problems.append(link)
                continue
            page = _read(path, slugify(path.stem.lower()), problems)
            if page is not None and not page.slug:
                problems.append(Problem(page.path, 1, "file name has no letters or digits"))
            elif page is not None and page.slug in urls.SITE_FOLDERS:
                problems.append(Problem(page.path, 1, f"a page named '{page.slug}' clashes "
                                        f"with the site's own '{page.slug}'; rename the file"))
            elif page is not None and page.slug in taken:
                problems.append(Problem(page.path, 1, f"this page and {taken[page.slug]} both "
                                        f"map to the URL /{page.slug}/; rename one of them"))
            elif page is not None:
                taken[page.slug] = page.path
                pages.append(page)
    return home, pages, problems


def _read(path: Path, slug: str, problems: list[Problem]) -> EditorialPage | None:
    shown = display_path(path)
    text, problem = read_text(path, shown)
    if problem is not None:
        problems.append(problem)
        return None
    parts = split_front_matter(text)
    if parts is None:
        title = path.stem.replace("-", " ").capitalize()
        return EditorialPage(slug, title, strip_control(text), shown)
    front, body, _ = parts
    parsed = yamltree.parse(front, shown, first_line=2)
    problems.extend(parsed.problems)
    title = path.stem.replace("-", " ").capitalize()
    if isinstance(parsed.root, yaml.MappingNode):
        for key, node in yamltree.mapping_entries(parsed.root, shown, 2, problems):
            if key == "title" and isinstance(node, yaml.ScalarNode):
                title = markup.clean_text(strip_control(str(node.value)))
            else:
                problems.append(
                    Problem(shown, yamltree.line_of(node, 2), f"unknown field '{key}' in a page")
                )
    elif parsed.root is not None:
        problems.append(Problem(shown, 2, "front matter must be a mapping"))
    return EditorialPage(slug, title, strip_control(body).strip("\n"), shown)
