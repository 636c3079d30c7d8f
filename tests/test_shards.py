"""`citehub build --shard K/N`: the union of all parts is byte-identical to one build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from tests.golden import FIXTURES, tree

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("content", [REPO / "content", FIXTURES / "small" / "content"],
                         ids=["shipped", "small"])
@pytest.mark.parametrize("parts", [1, 3])
def test_union_of_shards_equals_one_build(content: Path, parts: int, tmp_path: Path) -> None:
    assert main(["build", "--content", str(content), "--output", str(tmp_path / "whole")]) == 0
    merged = tmp_path / "merged"
    sizes = []
    for part in range(1, parts + 1):
        out = tmp_path / f"part-{part}"
        assert main(["build", "--content", str(content), "--output", str(out),
                     "--shard", f"{part}/{parts}"]) == 0
        files = tree(out)
        sizes.append(len(files))
        for name, data in files.items():
            target = merged / name
            if target.exists():  # static files and the marker are in every part
                assert target.read_bytes() == data, name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    assert tree(merged) == tree(tmp_path / "whole")
    assert all(size > 2 for size in sizes), "every part renders some pages"


def test_shards_are_balanced_and_disjoint(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small" / "content", content)
    pages: list[set[str]] = []
    for part in (1, 2):
        out = tmp_path / f"part-{part}"
        assert main(["build", "--content", str(content), "--output", str(out),
                     "--shard", f"{part}/2"]) == 0
        pages.append({n for n in tree(out) if not n.startswith(("static/", "."))})
    assert not pages[0] & pages[1]
    assert abs(len(pages[0]) - len(pages[1])) <= 6


@pytest.mark.parametrize("spec", ["0/2", "3/2", "a/b", "1"])
def test_bad_shard_spec_is_a_usage_error(spec: str, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--output", str(tmp_path / "site"), "--shard", spec])
    assert exit_info.value.code == 2
