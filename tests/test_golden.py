"""Built HTML, JSON and XML compared file by file with reviewed expected output."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import BuildOptions, build
from tests.golden import FIXTURES, golden_sites, site_files


@pytest.mark.parametrize("name", golden_sites())
def test_golden_site(name: str, tmp_path: Path) -> None:
    report = build(BuildOptions(content=FIXTURES / name / "content", output=tmp_path / "site"))
    assert report.problems == []
    built = site_files(tmp_path / "site")
    expected = site_files(FIXTURES / name / "expected")
    assert sorted(built) == sorted(expected), "a page was added or lost"
    for relative, data in expected.items():
        assert built[relative].decode() == data.decode(), (
            f"{relative} differs; if the change is intended, run "
            "`python scripts/update_golden.py` and review the diff"
        )
