"""One object for equal small values that a collection repeats many times.

Every render process copies the pages of the parent's memory it reads, so a value held
once instead of tens of thousands of times is memory saved in each of them: label tuples
on half a million citations at 50,000 papers, and hubs' year counts and label shares (at
10,000 papers, 42k year counts were 1,072 distinct values, 27k label shares 3,172).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_SHARED: dict[tuple[object, ...], object] = {}


def shared(kind: Callable[..., T], *fields: object) -> T:
    """`kind(*fields)`, the same object for equal `kind` and `fields`."""
    key = (kind, *fields)
    found = _SHARED.get(key)
    if found is None:
        found = _SHARED[key] = kind(*fields)
    return found  # type: ignore[return-value]
