"""Rebuild the expected output of every golden fixture site (review the diff in git)."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import BuildOptions, build  # noqa: E402
from tests.golden import FIXTURES, golden_sites, site_files  # noqa: E402


def main() -> int:
    for name in golden_sites():
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "site"
            report = build(BuildOptions(content=FIXTURES / name / "content", output=out))
            if report.problems:
                print("\n".join(map(str, report.problems)), file=sys.stderr)
                return 1
            expected = FIXTURES / name / "expected"
            shutil.rmtree(expected, ignore_errors=True)
            for relative, data in site_files(out).items():
                target = expected / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            print(f"{name}: {len(site_files(out))} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
