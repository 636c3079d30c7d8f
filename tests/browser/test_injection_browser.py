"""The payload site in Chromium: every page loads with no dialog, no console error, and no
element, attribute or link scheme the theme does not write.

The site and its clean twin come from `tests/payload_site.py` (see `tests/test_injection.py`
for the static checks). What the theme writes is taken from the clean twin's live DOM, so
the comparison sees what the browser built, implied elements included.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page

from tests import payload_site
from tests.browser.harness import build_site, serve

# Each element as "tag attr1 attr2 ..." (attribute names sorted).
SHAPES = """() => Array.from(document.querySelectorAll('*'), element =>
    [element.tagName.toLowerCase(),
     ...Array.from(element.attributes, attribute => attribute.name).sort()].join(' '))"""
# Each script as what it runs: "src <path>" for a file of the site, "src <url>" for any other
# file, "inline <type>" for inline text.
SCRIPTS = """() => Array.from(document.scripts, script => {
    if (!script.src) return `inline ${script.type || 'text/javascript'}`;
    const url = new URL(script.src);
    return `src ${url.origin === location.origin ? url.pathname : url.href}`;
})"""
# Each URL-bearing attribute as "tag attr scheme:", resolved as the browser resolves it.
SCHEMES = """() => {
    const found = [];
    for (const element of document.querySelectorAll('*')) {
        for (const name of ['href', 'src', 'srcset', 'action', 'formaction', 'poster',
                            'xlink:href', 'data', 'background', 'ping']) {
            const value = element.getAttribute(name);
            if (value === null) continue;
            let scheme;
            try { scheme = new URL(value.split(',')[0].trim().split(' ')[0] || '#',
                                   document.baseURI).protocol; }
            catch (error) { scheme = 'unparsable'; }
            found.push(`${element.tagName.toLowerCase()} ${name} ${scheme}`);
        }
    }
    return found;
}"""


@dataclass(frozen=True)
class Served:
    hostile: list[str]  # the URL of every HTML page of the payload site
    clean: list[str]  # and of its clean twin


def page_urls(root: str, site: Path) -> list[str]:
    """Every HTML file of `site` as a URL under `root` (folders for index.html)."""
    urls = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        urls.append(root + relative.removesuffix("index.html"))
    return urls


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    outputs = {}
    for hostile in (True, False):
        root = tmp_path_factory.mktemp("payload" if hostile else "clean")
        output = root / "site"
        build_site(payload_site.write_payload_site(root, hostile=hostile), output)
        outputs[hostile] = output
    with serve(outputs[True]) as hostile_url, serve(outputs[False]) as clean_url:
        yield Served(page_urls(hostile_url, outputs[True]), page_urls(clean_url, outputs[False]))


def visit(page: Page, url: str) -> tuple[set[str], set[str]]:
    """Load `url`; the shapes of its elements and the schemes of its links."""
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status in (200, 404), url
    page.wait_for_timeout(20)  # let anything a payload scheduled run
    return set(page.evaluate(SHAPES)), set(page.evaluate(SCHEMES))


def test_every_payload_page_opens_no_dialog_and_holds_only_theme_markup(
    page: Page, served: Served
) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:  # conftest's handler dismisses it
        dialogs.append(f"{dialog.type} {dialog.message!r} on {page.url}")

    page.on("dialog", on_dialog)
    theme_shapes: set[str] = set()
    theme_schemes: set[str] = set()
    theme_scripts: set[str] = set()
    for url in served.clean:
        shapes, schemes = visit(page, url)
        theme_shapes |= shapes
        theme_schemes |= schemes
        theme_scripts |= set(page.evaluate(SCRIPTS))
    # The theme runs only its own files; its inline scripts are data (JSON-LD), never code.
    # So a script in a payload page that is not one of these, or a second JSON-LD block,
    # was injected even when its element shape matches one the theme writes.
    assert {s for s in theme_scripts if not s.startswith("src /")} <= {
        "inline application/ld+json"}

    extra: list[str] = []
    for url in served.hostile:
        shapes, schemes = visit(page, url)
        scripts = page.evaluate(SCRIPTS)
        extra += [f"{url}: <{shape}>" for shape in sorted(shapes - theme_shapes)]
        extra += [f"{url}: {scheme}" for scheme in sorted(schemes - theme_schemes)]
        extra += [f"{url}: script {script}" for script in scripts if script not in theme_scripts]
        if scripts.count("inline application/ld+json") > 1:
            extra.append(f"{url}: a second JSON-LD script")
    assert len(served.hostile) == len(served.clean) > 40
    assert dialogs == []
    assert extra == []
