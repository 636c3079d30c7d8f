"""Screenshot the shipped hub page: `python tests/browser/screenshot.py OUT.png`.

Builds and serves the shipped content and launches Chromium exactly as the browser tests
do (`harness.py`), then saves the top of the page (or all of it) at a 1200 px wide viewport.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="where to write the PNG")
    parser.add_argument("--width", type=int, default=1200, help="viewport width in px")
    parser.add_argument("--height", type=int, default=1600,
                        help="px of the page to keep from the top (0: the whole page)")
    parser.add_argument("--dark", action="store_true", help="prefer the dark colour scheme")
    args = parser.parse_args(argv)

    if str(REPO) not in sys.path:  # run as a script: make `tests.browser` importable
        sys.path.insert(0, str(REPO))
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import HUB_PATH, built_site, launch_options

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with built_site() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        try:
            page = browser.new_page(viewport={"width": args.width, "height": 900},
                                    color_scheme="dark" if args.dark else "light")
            page.goto(url + HUB_PATH)
            if args.height:
                clip = {"x": 0, "y": 0, "width": args.width, "height": args.height}
                page.screenshot(path=str(args.out), full_page=True, clip=clip)
            else:
                page.screenshot(path=str(args.out), full_page=True)
        finally:
            browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
