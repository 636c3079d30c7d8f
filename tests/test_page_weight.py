"""The reference hub page's weight (issue 6): its HTML plus the CSS and JS it loads.

Measured by `scripts/page_weight.py` on the shipped content, with the theme's CSS and JS
as the build ships them (stripped by generator/assets.py). Issue 6's goal: under 60,000
bytes (59,687 when this was written; see BENCHMARKS.md, "Hub page weight").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import page_weight

REPO = Path(__file__).resolve().parent.parent
BUDGET = 60_000  # bytes, uncompressed: issue 6's goal


def test_reference_hub_stays_within_its_budget(capsys: pytest.CaptureFixture[str]) -> None:
    weight = page_weight.page_weight(REPO / "content")
    assert [name for name, _ in weight.assets] == [
        "static/citehub.css", "static/explorer.js", "static/cite.js"]
    assert weight.total == weight.html + sum(size for _, size in weight.assets)
    assert weight.total < BUDGET, f"the reference hub weighs {weight.total:,} bytes:\n" + (
        weight.table())
    assert page_weight.main([]) == 0
    table = capsys.readouterr().out
    assert f"total {weight.total:,}" in " ".join(table.split())
