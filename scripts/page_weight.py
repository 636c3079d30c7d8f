"""Build a content folder and print what one page weighs: its HTML and the CSS and JS it loads.

    python scripts/page_weight.py [--content content] [PAGE]

PAGE is the page's URL relative to the site root (default: the reference hub,
`papers/arditi2024refusal/`). Counted: the page's HTML, every stylesheet it links
(`<link rel="stylesheet">`) and every script it loads (`<script src>`), uncompressed;
the gzipped HTML is shown beside. Data the page's scripts fetch later (a hub's
index.json) is not counted.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import BuildOptions, build  # noqa: E402
from generator.config import load_config  # noqa: E402

REFERENCE_HUB = "papers/arditi2024refusal/"


@dataclass(frozen=True, slots=True)
class Weight:
    page: str
    html: int
    html_gzipped: int
    assets: tuple[tuple[str, int], ...]  # (site-relative path, bytes) in page order

    @property
    def total(self) -> int:
        return self.html + sum(size for _, size in self.assets)

    def table(self) -> str:
        rows = [(f"{self.page}index.html", self.html), *self.assets]
        width = max(len(name) for name, _ in rows)
        lines = [f"{'file':<{width}}  {'bytes':>7}"]
        lines += [f"{name:<{width}}  {size:>7,}" for name, size in rows]
        lines.append(f"{'total':<{width}}  {self.total:>7,}")
        lines.append(f"{'index.html gzipped':<{width}}  {self.html_gzipped:>7,}")
        return "\n".join(lines)


class _Assets(HTMLParser):
    """The stylesheets and scripts an HTML page loads, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        rel = (values.get("rel") or "").lower().split()
        url = values.get("href") if tag == "link" and "stylesheet" in rel else (
            values.get("src") if tag == "script" else None)
        if url and url not in self.urls:
            self.urls.append(url)


def measure(site: Path, base_path: str, page: str) -> Weight:
    """The weight of `page` (URL relative to the site root) in the built `site`."""
    html = (site / page / "index.html").read_bytes()
    parser = _Assets()
    parser.feed(html.decode("utf-8"))
    page_url = base_path + page
    assets: list[tuple[str, int]] = []
    for url in parser.urls:
        path = urlsplit(urljoin(page_url, url)).path
        if not path.startswith(base_path):
            raise ValueError(f"{page} loads {url}, which is not part of the site")
        relative = path[len(base_path):]
        assets.append((relative, (site / relative).stat().st_size))
    return Weight(page, len(html), len(gzip.compress(html, mtime=0)), tuple(assets))


def page_weight(content: Path, page: str = REFERENCE_HUB) -> Weight:
    """Build `content` into a temporary folder and measure `page` there."""
    config, problems = load_config(content)
    if problems:
        raise ValueError("\n".join(map(str, problems)))
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "site"
        report = build(BuildOptions(content=content, output=out, incremental=False))
        if report.problems:
            raise ValueError("\n".join(map(str, report.problems)))
        return measure(out, config.base_path, page)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", nargs="?", default=REFERENCE_HUB,
                        help=f"page URL relative to the site root (default {REFERENCE_HUB})")
    parser.add_argument("--content", type=Path, default=ROOT / "content",
                        help="content folder to build (default: the shipped content/)")
    args = parser.parse_args(argv)
    page = args.page.lstrip("/")
    if page and not page.endswith("/"):
        page += "/"
    try:
        weight = page_weight(args.content, page)
    except (ValueError, OSError) as error:
        print(f"page_weight: {error}", file=sys.stderr)
        return 1
    print(weight.table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
