"""The reference hub page's weight (issue 6): its HTML plus the CSS and JS it loads.

Measured by `scripts/page_weight.py` on the shipped content, with the theme's CSS and JS
as the build ships them (stripped by generator/assets.py). Issue 6's goal: under 60,000
bytes (59,687 when this was written; see BENCHMARKS.md, "Hub page weight").
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
BUDGET = 60_000  # bytes, uncompressed: issue 6's goal


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("page_weight", REPO / "scripts/page_weight.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_reference_hub_stays_within_its_budget(capsys: pytest.CaptureFixture[str]) -> None:
    script = load_script()
    weight = script.page_weight(REPO / "content")
    assert [name for name, _ in weight.assets] == [
        "static/citehub.css", "static/explorer.js", "static/cite.js"]
    assert weight.total == weight.html + sum(size for _, size in weight.assets)
    assert weight.total < BUDGET, f"the reference hub weighs {weight.total:,} bytes:\n" + (
        weight.table())
    assert script.main([]) == 0
    table = capsys.readouterr().out
    assert f"total {weight.total:,}" in " ".join(table.split())
