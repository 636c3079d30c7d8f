"""`citehub new ID`: a new paper record from a template, never overwriting a file."""

from __future__ import annotations

from pathlib import Path

from generator.urls import slugify

TEMPLATE = """---
id: "{id}"
title: "Title of the paper"
authors: []
year:
tldr:
topics: []
cites:
  # - paper: other-paper-id
  #   role: background
  #   polarity: neutral
  #   contexts: ["The sentence that cites it."]
---
The abstract, in markdown.
"""


class NewRecordError(Exception):
    """The record cannot be created; the message says why."""


def new_record(content_dir: Path, paper_id: str) -> Path:
    slug = slugify(paper_id)
    if not slug:
        raise NewRecordError(f"id {paper_id!r} has no letters or digits to name a file")
    if any(ch in paper_id for ch in "\"\\\n\r"):
        raise NewRecordError(f"id {paper_id!r} contains quotes, backslashes or line breaks")
    path = content_dir / "papers" / f"{slug}.md"
    if path.exists():
        raise NewRecordError(f"{path} already exists; not overwriting it")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # "x": fails rather than overwrite
        file.write(TEMPLATE.format(id=paper_id))
    return path
