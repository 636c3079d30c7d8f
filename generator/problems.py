"""User mistakes as data: a `Problem` names a file, a line and what is wrong.

Stages return problems instead of raising, so that `check` and `build` can report
every mistake at once, sorted, as `path:line: message`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True, order=True)
class SourceLine:
    """A place in a content file; `line` counts from 1 (0 means the whole file)."""

    path: str
    line: int

    def __reduce__(self) -> tuple[type, tuple[str, int]]:
        return (SourceLine, (self.path, self.line))  # fast unpickling of the parse cache


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    @classmethod
    def at(cls, where: SourceLine, message: str) -> Problem:
        return cls(where.path, where.line, message)


def display_path(path: Path) -> str:
    """The path as a user should read it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in file order, each reported once."""
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.message))


class BuildFailed(Exception):
    """Raised by the CLI layer when problems stop a command; carries its exit code."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
