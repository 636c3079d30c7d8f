"""Scholarly metadata for a paper page: JSON-LD, BibTeX, COinS, citation_* values."""

from __future__ import annotations

from generator.collection import Collection
from generator.records import Record


def paper_metadata(site: Collection, record: Record) -> dict[str, object]:
    """The finished metadata values the theme's head and cite partials show."""
    return {}
