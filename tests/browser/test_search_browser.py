"""The search page in Chromium: typing, filters, keyboard use, the files it fetches (exactly
those tests/search_client.py works out), hostile record text shown as text, folded Unicode
matching as the index folds it, and the message without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from generator.collection import load_collection
from generator.search import FOLDER, search_files
from tests import payload_site
from tests.browser.harness import CONTENT, build_site, serve
from tests.search_client import Client

STATUS = "#search-status"
RESULTS = "#search-results > li"


@pytest.fixture(scope="module")
def index() -> dict[str, bytes]:
    site, problems = load_collection(CONTENT)
    assert problems == [] and site is not None
    return search_files(site)


def titles(page: Page) -> list[str]:
    return page.locator(f"{RESULTS} > a").all_inner_texts()


def search_for(page: Page, text: str) -> None:
    page.fill("#search-q", text)
    expect(page.locator(STATUS)).to_contain_text("match")


def test_typing_shows_the_most_cited_matches_first(page: Page, index: dict[str, bytes]) -> None:
    page.goto("search/")
    search_for(page, "refus")  # a prefix, as typed
    expected = Client(index).search("refus")
    assert titles(page) == [doc[1] for doc in expected.docs]
    assert titles(page)[0] == "Refusal in Language Models Is Mediated by a Single Direction"
    expect(page.locator(STATUS)).to_have_text(f"{expected.count} papers match, most cited first.")
    href = page.locator(f"{RESULTS} > a").first.get_attribute("href")
    assert href == "/papers/arditi2024refusal/"
    assert "q=refus" in page.url  # the search is in the address, to share


def test_a_role_filter_narrows_the_results(page: Page, index: dict[str, bytes]) -> None:
    page.goto("search/?q=refusal+")
    expect(page.locator(STATUS)).to_contain_text("match")
    assert len(titles(page)) > 1
    page.select_option("#search-role", "method")
    expect(page.locator(STATUS)).to_contain_text("1 paper")
    assert titles(page) == [doc[1] for doc in Client(index).search(
        "refusal ", role="method").docs]
    assert "role=method" in page.url
    page.go_back()  # the filter was a history entry
    expect(page.locator("#search-role")).to_have_value("")


def test_the_page_fetches_exactly_the_files_of_the_fetch_plan(
        browser: Browser, site_url: str, index: dict[str, bytes]) -> None:
    for query, filters in [("model", {}), ("language models ", {}), ("", {"year": "2024"})]:
        context = browser.new_context(base_url=site_url)  # fresh: no cached files
        fetched: list[str] = []

        def on_response(response: Response, into: list[str] = fetched) -> None:
            path = urlparse(response.url).path.lstrip("/")
            if path.startswith(FOLDER):
                into.append(path)

        context.on("response", on_response)
        page = context.new_page()
        address = "search/?" + "&".join([f"q={query}"] + [f"{k}={v}" for k, v in filters.items()])
        page.goto(address)
        expect(page.locator(STATUS)).to_contain_text("match")
        expected = Client(index).search(query, **filters)
        assert sorted(fetched) == sorted(expected.files), query
        assert titles(page) == [doc[1] for doc in expected.docs]
        context.close()


def test_keyboard_only(page: Page) -> None:
    page.goto("search/")
    page.locator("#search-q").focus()
    page.keyboard.type("model")
    page.keyboard.press("Enter")
    expect(page.locator(STATUS)).to_contain_text("showing 20")
    more = page.locator("#search-more")
    expect(more).to_be_visible()
    more.focus()
    page.keyboard.press("Enter")
    expect(page.locator(RESULTS)).to_have_count(29)
    # Focus moves to the first new result, so keyboard users carry on from there.
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == titles(page)[20]
    expect(more).to_be_hidden()
    expect(page.locator(STATUS)).to_have_text("29 papers match, most cited first.")


def test_without_javascript_the_page_says_so(browser: Browser, site_url: str) -> None:
    context = browser.new_context(base_url=site_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("search/")
    expect(page.locator(STATUS)).to_contain_text("needs JavaScript")
    page.fill("#search-q", "refusal")
    page.press("#search-q", "Enter")  # a plain GET form
    page.wait_for_url("**/search/?q=refusal**")
    context.close()


@pytest.fixture(scope="module")
def unusual_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The payload site plus papers whose titles need Unicode folding."""
    root = tmp_path_factory.mktemp("search-payload")
    content = payload_site.write_payload_site(root, hostile=True)
    for number, title in enumerate(["Straße ΟΔΟΣ", "\uff37\uff49\uff44\uff45 cafe\u0301"]):
        (content / "papers" / f"unicode{number}.md").write_text(
            f"---\ntitle: {payload_site.yaml_text(title)}\n---\n", encoding="utf-8")
    output = root / "site"
    build_site(content, output)
    with serve(output) as url:
        yield url


def test_hostile_text_shows_as_text(page: Page, unusual_site: str) -> None:
    page.goto(unusual_site + "search/?q=script+")  # every payload title holds <script>
    expect(page.locator(STATUS)).to_contain_text("match")
    shown = titles(page)
    assert len(shown) == payload_site.PAPERS
    assert set(shown) == {payload_site.shown_title(n, True) for n in range(payload_site.PAPERS)}
    assert page.locator("#search-results script, #search-results img, #search-results svg"
                        ).count() == 0
    for href in page.locator(f"{RESULTS} > a").evaluate_all("links => links.map(a => a.href)"):
        assert urlparse(href).path.startswith("/papers/"), href  # never a record's own url


@pytest.mark.parametrize(("query", "title"), [
    ("STRASSE", "Straße ΟΔΟΣ"),
    ("οδος", "Straße ΟΔΟΣ"),
    ("wide café", "\uff37\uff49\uff44\uff45 cafe\u0301"),  # shown as written
])
def test_unicode_folds_as_the_index_does(page: Page, unusual_site: str, query: str,
                                         title: str) -> None:
    page.goto(unusual_site + "search/")
    search_for(page, query)
    assert titles(page) == [title]


def test_a_word_that_names_an_object_property_finds_nothing(page: Page, site_url: str) -> None:
    page.goto("search/")
    search_for(page, "constructor ")
    expect(page.locator(STATUS)).to_have_text("No papers match.")


def test_the_hub_page_does_not_load_search(page: Page) -> None:
    scripts: list[str] = []
    page.on("request", lambda request: scripts.append(request.url))
    page.goto("papers/arditi2024refusal/")
    assert not [url for url in scripts if "search" in url]
    expect(page.locator(".site-header a[href='/search/']")).to_have_text("Search")


def test_the_home_search_box_leads_to_results(page: Page) -> None:
    page.goto("")
    page.fill("#home-q", "refusal")
    page.press("#home-q", "Enter")
    expect(page.locator(STATUS)).to_contain_text("match")
    assert titles(page)[0] == "Refusal in Language Models Is Mediated by a Single Direction"


def test_text_typed_before_the_index_arrives_is_searched(page: Page) -> None:
    page.route("**/search/data/manifest.json",
               lambda route: (page.wait_for_timeout(300), route.continue_()))
    page.goto("search/", wait_until="domcontentloaded")
    page.fill("#search-q", "refusal")
    expect(page.locator(STATUS)).to_contain_text("match")
    assert titles(page)[0] == "Refusal in Language Models Is Mediated by a Single Direction"
