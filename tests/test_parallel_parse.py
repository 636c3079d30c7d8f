"""Record files parsed by several processes give exactly what one process gives:
the same records, in the same order, and the same problems (with their lines)."""

from __future__ import annotations

from pathlib import Path

from bench.corpus import generate
from generator.cache import ParseCache
from generator.config import load_config
from generator.records import load_records


def test_parallel_parsing_equals_serial(tmp_path: Path) -> None:
    content = tmp_path / "content"
    generate(300, content)
    (content / "papers" / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    (content / "papers" / "bad-year.md").write_text("---\ntitle: T\nyear: soon\n---\n")
    config, _ = load_config(content)
    serial = load_records(content, config, jobs=1)
    parallel = load_records(content, config, jobs=2)
    cached = load_records(content, config, ParseCache("k"), jobs=2)
    assert len(serial.records) == 300 + 1  # bad-year.md still gives its record
    problem_files = {Path(problem.path).name for problem in serial.problems}
    assert problem_files == {"broken.md", "bad-year.md"}
    for other in (parallel, cached):
        assert other.records == serial.records
        assert [repr(r) for r in other.records] == [repr(r) for r in serial.records]
        assert other.problems == serial.problems
