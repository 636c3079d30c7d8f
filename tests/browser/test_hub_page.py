"""The shipped hub page, home page and about page, in Chromium.

The expected hub page is /work/shared/reference/hub-page.txt (its visible text, one
element a line), read from outside the repository rather than copied into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from markupsafe import escape
from playwright.sync_api import Locator, Page, expect

from generator import assets
from tests.browser.harness import HUB_PATH

REFERENCE = Path(__file__).resolve().parents[3] / "shared/reference/hub-page.txt"
THEME_STATIC = Path(__file__).resolve().parents[2] / "themes/default/static"
SUMMARY = "Mixed citation behavior. Most common role is background (67%)."
SECTION_HEADINGS = (
    "abstract",
    "hub tools",
    "citation-role summary",
    "citation-polarity summary",
    "representative citing papers",
    "citing papers explorer",
)


@dataclass(frozen=True)
class CitingEntry:
    year: str
    title: str
    tldr: str | None


@dataclass(frozen=True)
class Reference:
    lines: list[str]
    badge_line: str
    title: str
    summary: str
    abstract: str
    representative_tldrs: list[str]
    explorer: list[CitingEntry]


def parse_reference(text: str) -> Reference:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    at = {heading: lines.index(heading) for heading in SECTION_HEADINGS}
    start = at["abstract"]
    representative = lines[at["representative citing papers"] + 1:at["citing papers explorer"]]
    explorer: list[CitingEntry] = []
    rest = lines[at["citing papers explorer"] + 1:]
    while rest:  # each entry: year ("-" when unknown), title, optional TL;DR
        year, title, *rest = rest
        tldr = rest.pop(0) if rest and not _is_year(rest[0]) else None
        explorer.append(CitingEntry(year, title, tldr))
    return Reference(lines=lines, badge_line=lines[start - 3], title=lines[start - 2],
                     summary=lines[start - 1], abstract=lines[start + 1],
                     representative_tldrs=representative, explorer=explorer)


def _is_year(line: str) -> bool:
    return line == "-" or (line.isdigit() and len(line) == 4)


@pytest.fixture(scope="module")
def reference() -> Reference:
    if not REFERENCE.is_file():
        pytest.fail(f"reference hub page {REFERENCE} is missing: these tests compare the "
                    "hub page with it (it lives in /work/shared, next to the repository)",
                    pytrace=False)
    return parse_reference(REFERENCE.read_text(encoding="utf-8"))


@pytest.fixture
def hub(page: Page) -> Page:
    page.goto(HUB_PATH)
    return page


def visible_text(page: Page, text: str) -> Locator:
    return page.get_by_text(text, exact=True).filter(visible=True).first


def test_reference_parses_as_expected(reference: Reference) -> None:
    assert reference.summary == SUMMARY
    assert reference.badge_line.startswith("hub ")
    assert len(reference.explorer) == 50
    assert all(entry.tldr for entry in reference.explorer)
    assert reference.representative_tldrs


def test_hub_header(hub: Page, reference: Reference) -> None:
    badge_line = hub.locator(".paper-header .hub-badge")
    expect(badge_line).to_be_visible()
    expect(badge_line).to_have_text(reference.badge_line)
    expect(badge_line.locator(".kind")).to_have_text("hub")
    expect(badge_line.locator(".badge")).to_have_text("Mixed citations")
    expect(hub.get_by_role("heading", level=1)).to_have_text(reference.title)
    expect(hub.get_by_role("heading", level=1)).to_be_visible()
    summary = hub.locator(".paper-header .summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_text(SUMMARY)


def test_hub_sections(hub: Page, reference: Reference) -> None:
    for heading in SECTION_HEADINGS:
        expect(hub.get_by_role("heading", level=2, name=heading, exact=True)).to_be_visible()
    abstract = hub.locator("section.abstract p")
    expect(abstract).to_be_visible()
    expect(abstract).to_have_text(reference.abstract)


def test_hub_representative_papers(hub: Page, reference: Reference) -> None:
    """Each card is, as in the reference, a TL;DR linking to the paper with that TL;DR, and
    its badges (which 24 papers are picked is not checked)."""
    cards = hub.locator("section.representative li")
    expect(cards.first).to_be_visible()
    expect(cards).to_have_count(24)
    by_tldr = {entry.tldr: entry.title for entry in reference.explorer if entry.tldr}
    assert set(reference.representative_tldrs) <= set(by_tldr)
    for card in cards.all():
        expect(card).to_be_visible()
        link = card.locator(":scope > a")
        expect(link).to_have_count(1)
        tldr = link.inner_text()
        assert tldr in by_tldr, f"card {tldr!r} is not a TL;DR of the reference"
        expect(link).to_be_visible()
        # The link leads to the paper with that TL;DR: its page's title is the reference's.
        target = hub.request.get(urljoin(hub.url, link.get_attribute("href") or ""))
        assert target.status == 200
        assert f"<h1>{escape(by_tldr[tldr])}</h1>" in target.text()
        badges = card.locator(":scope > b")
        assert badges.count() >= 1
        for badge in badges.all():
            expect(badge).to_be_visible()
            assert badge.inner_text().strip()


def test_hub_explorer_lists_every_reference_paper(hub: Page, reference: Reference) -> None:
    if any(entry.year == "-" for entry in reference.explorer):  # said once, for every row
        expect(hub.locator("#explorer-count")).to_contain_text(
            "A year of “-” means it is not known.")
    items = hub.locator("#explorer .citing-list > li")
    expect(items).to_have_count(len(reference.explorer))
    for entry in reference.explorer:
        item = items.filter(has=hub.get_by_role("link", name=entry.title, exact=True))
        expect(item).to_have_count(1)
        expect(item.locator(":scope > a")).to_have_text(entry.title)
        expect(item.locator(":scope > a")).to_be_visible()
        expect(item.locator(":scope > span")).to_have_text(entry.year)
        if entry.tldr is not None:
            expect(item.locator(":scope > p")).to_have_text(entry.tldr)
            expect(item.locator(":scope > p")).to_be_visible()


def test_every_reference_line_is_visible(hub: Page, reference: Reference) -> None:
    missing = [line for line in dict.fromkeys(reference.lines)
               if not visible_text(hub, line).is_visible()]
    assert not missing, "reference lines not visible on the hub page:\n" + "\n".join(missing)


def test_hub_role_table(hub: Page) -> None:
    row = hub.locator("#role-summary tbody tr").filter(
        has=hub.get_by_role("rowheader", name="Background", exact=True))
    expect(row).to_be_visible()
    expect(row.locator("td").nth(0)).to_have_text("30")
    expect(row.locator("td").nth(1)).to_have_text("67%")


def test_hub_json(page: Page, reference: Reference) -> None:
    response = page.request.get(f"{HUB_PATH}index.json")
    assert response.status == 200
    data = response.json()
    assert data["citations"] == 50
    assert data["summary"] == SUMMARY == reference.summary
    assert data["title"] == reference.title
    assert f"hub {data['badge']}" == reference.badge_line


@pytest.mark.parametrize("path", ["", "about/"], ids=["home", "about"])
def test_page_loads_with_h1(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.parametrize("path", ["", HUB_PATH], ids=["home", "hub"])
def test_same_origin_links_resolve(page: Page, path: str) -> None:
    page.goto(path)
    origin = urlsplit(page.url)[:2]
    hrefs: list[str] = page.eval_on_selector_all(
        "a[href], link[href]", "elements => elements.map(element => element.href)")
    urls = sorted({urldefrag(href).url for href in hrefs if urlsplit(href)[:2] == origin})
    assert len(urls) > 5, f"expected links on /{path}, found {urls}"
    broken = [f"{url} -> {status}" for url in urls
              if (status := page.request.get(url).status) != 200]
    assert not broken, f"broken same-origin links on /{path}:\n" + "\n".join(broken)


@pytest.mark.parametrize("name", ["citehub.css", "explorer.js", "cite.js"])
def test_the_page_runs_on_the_stripped_theme_assets(page: Page, name: str) -> None:
    """The site serves the theme's CSS and JS stripped of comments and indentation (the
    other browser tests run on those), while the theme's own files keep them."""
    source = (THEME_STATIC / name).read_text(encoding="utf-8")
    strip = assets.strip_css if name.endswith(".css") else assets.strip_js
    response = page.request.get(f"static/{name}")
    assert response.status == 200
    assert response.text() == strip(source) != source
