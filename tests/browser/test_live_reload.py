"""Live reload in a real browser: `citehub serve` reloads the open page after an edit.

The test never calls `page.reload()`: a new title, the problems overlay and its
removal can only appear through livereload's websocket telling the page to reload.
"""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.devserver import serving

CONNECTED = "() => window.citehubLiveReload === true"
WATCH_CONNECTION = """
document.addEventListener("LiveReloadConnect", () => { window.citehubLiveReload = true; });
"""


def test_edits_reload_the_open_page_and_show_then_clear_the_problems(page: Page,
                                                                    tmp_path: Path) -> None:
    page.add_init_script(WATCH_CONNECTION)  # runs again on every load of the page
    with serving(tmp_path) as served:
        page.goto(served.url + "papers/vaswani2017/")
        expect(page.locator("h1")).to_have_text("Attention Is All You Need")
        page.wait_for_function(CONNECTED)
        page.evaluate("() => { window.citehubSameDocument = true; }")

        record = served.content / "papers" / "vaswani2017.md"
        original = record.read_text(encoding="utf-8")
        edited = time.monotonic()
        record.write_text(original.replace("title: Attention Is All You Need",
                                           "title: Attention Is Still All You Need"),
                          encoding="utf-8")
        expect(page.locator("h1")).to_have_text("Attention Is Still All You Need",
                                                timeout=10_000)
        assert time.monotonic() - edited < 5
        assert page.evaluate("() => window.citehubSameDocument") is None  # it was reloaded
        expect(page.locator("#citehub-problems")).to_have_count(0)

        page.wait_for_function(CONNECTED)
        record.write_text(original.replace("year: 2017", "year: soon"), encoding="utf-8")
        overlay = page.locator("#citehub-problems")
        expect(overlay).to_contain_text(
            "content/papers/vaswani2017.md:4: 'year' must be a four-digit year, found 'soon'",
            timeout=10_000)
        expect(page.locator("h1")).to_have_text("Attention Is Still All You Need")

        page.wait_for_function(CONNECTED)
        record.write_text(original, encoding="utf-8")
        expect(overlay).to_have_count(0, timeout=10_000)
        expect(page.locator("h1")).to_have_text("Attention Is All You Need")
