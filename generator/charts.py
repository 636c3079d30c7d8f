"""Inline SVG charts of a hub, made at build time, and its role x polarity table."""

from __future__ import annotations

from generator.collection import Collection
from generator.hubs import Hub


def hub_charts(site: Collection, hub: Hub) -> dict[str, object]:
    """The finished chart values the theme's charts partial lays out."""
    return {}
