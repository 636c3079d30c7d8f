"""Editorial content: `content/home.md` (the home page intro) and `content/pages/*.md`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from generator import yamltree
from generator.problems import Problem, display_path
from generator.records import read_text, split_front_matter
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
    if (content_dir / "home.md").is_file():
        home = _read(content_dir / "home.md", "", problems)
    pages = []
    pages_dir = content_dir / "pages"
    if pages_dir.is_dir():
        for path in sorted(pages_dir.glob("*.md")):
            page = _read(path, slugify(path.stem.lower()), problems)
            if page is not None and not page.slug:
                problems.append(Problem(page.path, 1, "file name has no letters or digits"))
            elif page is not None:
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
        return EditorialPage(slug, path.stem.replace("-", " ").capitalize(), text, shown)
    front, body, _ = parts
    parsed = yamltree.parse(front, shown, first_line=2)
    problems.extend(parsed.problems)
    title = path.stem.replace("-", " ").capitalize()
    if isinstance(parsed.root, yaml.MappingNode):
        for key, node in yamltree.mapping_entries(parsed.root, shown, 2, problems):
            if key == "title" and isinstance(node, yaml.ScalarNode):
                title = str(node.value)
            else:
                problems.append(
                    Problem(shown, yamltree.line_of(node, 2), f"unknown field '{key}' in a page")
                )
    elif parsed.root is not None:
        problems.append(Problem(shown, 2, "front matter must be a mapping"))
    return EditorialPage(slug, title, body.strip("\n"), shown)
