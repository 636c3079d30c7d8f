"""The citing papers explorer in Chromium: with the mouse, with the keyboard only, its exports,
and its static pages without JavaScript.

Most tests use a small collection written here (years, several roles, polarities, TL;DRs and
citation sentences, and titles with characters that exports must escape), built with
`base_url: /hubs/` and served from a parent folder, so the site lives under a sub-path. What
the explorer shows is checked against the hub's JSON, filtered and sorted here in Python.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Download, Page, expect

from tests import payload_site
from tests.browser.harness import HUB_PATH, build_site, serve

HUB = "papers/target/"
PAGE_SIZE = 3
SITE_YAML = f"""\
title: Explorer fixture
base_url: /hubs/
hub:
  min_citations: 2
  representative: 3
explorer:
  page_size: {PAGE_SIZE}
"""
TARGET = """\
---
title: The Target Paper
year: 2018
tldr: A paper that many others cite.
topics: [steering]
---
The abstract of the target paper.
"""
HOTEL_TITLE = 'Hotel <b>markup</b> & {braces}, "quotes" 100% #1 under_score ~ \\ ^'
# id, title, year, roles, polarity, tldr, contexts
CITERS: list[tuple[str, str, int | None, list[str], str | None, str | None, list[str]]] = [
    ("c-alpha", "Alpha steering of refusal", 2023, ["method"], "critical",
     "Steering vectors change what models refuse.",
     ["We steer along the direction of Target (2018).", "Unlike Target, we use two layers."]),
    ("c-bravo", "Bravo benchmark for probes", 2021, ["background", "result"], "supportive",
     None, ["Target shows a single direction.", "We confirm their results."]),
    ("c-charlie", "Charlie and the circuits", 2023, [], "neutral", "Circuits, not directions.",
     []),
    ("c-delta", "Delta rules for editing", None, ["background"], None,
     "It mentions STEERING in capitals.", []),
    ("c-echo", "Echo of an earlier method", 2019, ["method"], "supportive", None,
     ["Following Target, we ablate the direction."]),
    ("c-foxtrot", "=Foxtrot formula-looking title", 2020, [], None, None, []),
    ("c-golf", "Golf course of generalisation", 2024, ["result"], "critical",
     "Directions do not transfer.", ["Target fails to generalise to new prompts."]),
    ("c-hotel", HOTEL_TITLE, 2022, ["method"], "neutral", "We steer, gently.", []),
    ("ext:india", "India unknown-year preprint", None, ["method"], "critical", None,
     ["A critical remark on Target."]),
    ("c-juliet", "juliet lowercase title", 2019, ["background"], "neutral", None, []),
]


@dataclass(frozen=True)
class Site:
    root: str  # the site's root URL, under the /hubs/ sub-path
    data: dict[str, Any]  # the hub's JSON

    @property
    def hub(self) -> str:
        return self.root + HUB


def write_content(folder: Path) -> Path:
    papers = folder / "papers"
    papers.mkdir(parents=True)
    (folder / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (papers / "target.md").write_text(TARGET, encoding="utf-8")
    records = []
    for paper_id, title, year, roles, polarity, tldr, contexts in CITERS:
        cite: dict[str, Any] = {"paper": "target", "contexts": contexts}
        if roles:
            cite["role"] = roles
        if polarity:
            cite["polarity"] = polarity
        record: dict[str, Any] = {"id": paper_id, "title": title, "cites": [cite]}
        if year is not None:
            record["year"] = year
        if tldr is not None:
            record["tldr"] = tldr
        records.append(record)
    # JSON is YAML: no quoting rules to get wrong for the awkward titles.
    (papers / "citers.yaml").write_text(json.dumps(records, indent=1), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("explorer")
    served = root / "served"
    served.mkdir()
    build_site(write_content(root / "content"), served / "hubs")
    data = json.loads((served / "hubs" / HUB / "index.json").read_text(encoding="utf-8"))
    with serve(served) as url:
        yield Site(url + "hubs/", data)


# ------------------------------------------------------------------ the model


@dataclass(frozen=True)
class State:
    role: str = ""
    polarity: str = ""
    start: str = ""  # the `from` year
    end: str = ""  # the `to` year
    q: str = ""
    sort: str = "newest"

    def query(self) -> dict[str, list[str]]:
        """The URL query the explorer should show for this state."""
        pairs = {"role": self.role, "polarity": self.polarity, "from": self.start,
                 "to": self.end, "q": self.q, "sort": "" if self.sort == "newest" else self.sort}
        return {key: [value] for key, value in pairs.items() if value}

    def filtered(self) -> bool:
        return bool(self.query())


def matching(data: dict[str, Any], state: State) -> list[dict[str, Any]]:
    """The citing papers the explorer should list for `state`, in order."""
    terms = state.q.lower().split()

    def keep(paper: dict[str, Any]) -> bool:
        roles, polarity, year = paper["roles"], paper["polarity"], paper["year"]
        text = "\n".join([paper["title"], paper["tldr"] or "", *paper["contexts"]]).lower()
        return ((not state.role or (not roles if state.role == "unclassified"
                                    else state.role in roles))
                and (not state.polarity or (polarity is None if state.polarity == "unclassified"
                                            else polarity == state.polarity))
                and (not (state.start or state.end) or (
                    year is not None and int(state.start or 0) <= year <= int(state.end or 9999)))
                and all(term in text for term in terms))

    rows = [paper for paper in data["citing"] if keep(paper)]  # the JSON is newest first
    if state.sort == "oldest":
        rows.sort(key=lambda p: (p["year"] is None, p["year"] or 0, p["title"].casefold(), p["id"]))
    elif state.sort == "title":
        rows.sort(key=lambda p: (p["title"].casefold(), p["id"]))
    return rows


def expected_ids(data: dict[str, Any], state: State) -> list[str]:
    return [paper["id"] for paper in matching(data, state)]


VISIBLE_ROWS = """() => Array.from(document.querySelectorAll('#explorer .citing-list > li'))
    .filter(row => row.checkVisibility()).map(row => row.querySelector(':scope > a')
    .getAttribute('href'))"""


def ids_by_href(page: Page) -> dict[str, str]:
    """Rows are known by their title link: the hub JSON's `url` of each citing paper."""
    data: dict[str, Any] = page.request.get(
        page.evaluate("new URL(document.getElementById('explorer-controls').dataset.json, "
                      "location.href).href")).json()
    by_href = {paper["url"]: paper["id"] for paper in data["citing"]}
    assert len(by_href) == len(data["citing"])  # one link per paper
    return by_href


def visible_ids(page: Page) -> list[str]:
    hrefs: list[str] = page.evaluate(VISIBLE_ROWS)
    by_href = ids_by_href(page)
    return [by_href[href] for href in hrefs]


def show_all(page: Page, press: Callable[[], None] | None = None) -> None:
    """Reveal every matching row: click "Show more" (or press Enter on it) until it hides."""
    more = page.locator("#explorer button.more")
    for _ in range(50):
        if not more.is_visible():
            return
        if press is None:
            more.click()
        else:
            more.focus()
            press()
    raise AssertionError("'Show more' never went away")


UNDATED = (" A year of \N{LEFT DOUBLE QUOTATION MARK}-\N{RIGHT DOUBLE QUOTATION MARK}"
           " means it is not known.")


def noted(text: str, data: dict[str, Any], ids: list[str]) -> str:
    """`text` with the note the explorer adds when a paper among `ids` has no year."""
    years = {paper["id"]: paper["year"] for paper in data["citing"]}
    return text + (UNDATED if any(years[i] is None for i in ids) else "")


def check(page: Page, data: dict[str, Any], state: State,
          press: Callable[[], None] | None = None, size: int = PAGE_SIZE) -> None:
    """The controls, count, URL and visible rows all show `state` (`size`: the page size)."""
    total = len(data["citing"])
    want = expected_ids(data, state)
    count = page.locator("#explorer-count")
    if state.filtered():
        expect(count).to_have_text(noted(f"{len(want)} of {total} citing papers match.",
                                         data, want))
        expect(page.locator("#explorer-results")).to_be_attached()
        shown = page.locator("#explorer-results > li")
        expect(shown).to_have_count(min(len(want), size))
        show_all(page, press)
        assert visible_ids(page) == want
        expect(page.locator("#explorer [data-explorer-static]").first).to_be_hidden()
    else:
        expect(count).to_have_text(noted(f"All {total} citing papers, newest first.", data,
                                         [paper["id"] for paper in data["citing"]]))
        # The static first page is back, pagination and all.
        assert visible_ids(page) == want[:size]
        if len(want) > size:
            expect(page.locator("#explorer nav.pagination")).to_be_visible()
    assert parse_qs(urlsplit(page.url).query) == state.query()
    values = {"role": state.role, "polarity": state.polarity, "from": state.start,
              "to": state.end, "q": state.q, "sort": state.sort}
    for name, value in values.items():
        expect(page.locator(f"#explorer-{name}")).to_have_value(value)


def open_hub(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#explorer-controls")).to_be_visible()


# ------------------------------------------------------------------ the fixture itself


def test_fixture_json_has_what_the_tests_need(site: Site) -> None:
    citing = site.data["citing"]
    assert len(citing) == len(CITERS) > 3 * PAGE_SIZE
    years = [paper["year"] for paper in citing]
    dated = [year for year in years if year is not None]
    assert dated == sorted(dated, reverse=True) and years[len(dated):] == [None, None]
    assert all(paper["url"].startswith("/hubs/papers/") for paper in citing)
    assert HOTEL_TITLE in {paper["title"] for paper in citing}


# ------------------------------------------------------------------ with the mouse


def test_mouse_filters_sort_count_url_and_back_button(page: Page, site: Site) -> None:
    open_hub(page, site.hub)
    states = [State()]
    check(page, site.data, states[-1])

    page.locator("#explorer-role").select_option("method")
    states.append(State(role="method"))
    check(page, site.data, states[-1])

    page.locator("#explorer-polarity").select_option("critical")
    states.append(State(role="method", polarity="critical"))
    check(page, site.data, states[-1])

    page.locator("#explorer-role").select_option("")
    page.locator("#explorer-from").click()
    page.keyboard.type("2020")
    page.locator("#explorer-to").click()
    page.keyboard.type("2023")
    states.append(State(polarity="critical"))  # the role is cleared: own history entry
    states.append(State(polarity="critical", start="2020"))
    states.append(State(polarity="critical", start="2020", end="2023"))
    check(page, site.data, states[-1])

    page.locator("#explorer-polarity").select_option("")
    page.locator("#explorer-q").click()
    page.keyboard.type("TARGET")  # case-insensitive, over title, TL;DR and contexts
    states.append(State(start="2020", end="2023"))
    states.append(State(start="2020", end="2023", q="TARGET"))
    check(page, site.data, states[-1])
    assert expected_ids(site.data, states[-1]) == ["c-alpha", "c-bravo"]

    page.locator("#explorer-from").fill("")
    page.locator("#explorer-to").fill("")
    page.locator("#explorer-sort").select_option("title")
    states.append(State(end="2023", q="TARGET"))
    states.append(State(q="TARGET"))
    states.append(State(q="TARGET", sort="title"))
    check(page, site.data, states[-1])
    assert len(expected_ids(site.data, states[-1])) > PAGE_SIZE  # "Show more" was used

    page.locator("#explorer-sort").select_option("oldest")
    states.append(State(q="TARGET", sort="oldest"))
    check(page, site.data, states[-1])

    # The back button walks back through every state, then forward again; no reload.
    page.evaluate("window.notReloaded = true")
    for state in reversed(states[:-1]):
        page.go_back()
        check(page, site.data, state)
    page.go_forward()
    check(page, site.data, states[1])
    assert page.evaluate("window.notReloaded") is True

    page.locator("#explorer-clear").click()
    check(page, site.data, State())


@pytest.mark.parametrize("state", [
    State(role="method", polarity="critical", start="2019", end="2024", q="steer",
          sort="oldest"),
    State(role="unclassified", polarity="unclassified"),  # a role x polarity table cell
    State(role="background", polarity="unclassified"),
    State(role="unclassified", polarity="neutral"),
    State(start="2019", end="2019", sort="title"),
    State(end="2020"),
    State(q="direction target"),  # every word, anywhere in the paper's text
    State(sort="oldest"),
], ids=["everything", "unclassified", "background-unclassified", "unclassified-neutral",
        "one-year", "until", "words", "oldest"])
def test_shared_url_loads_filtered(page: Page, site: Site, state: State) -> None:
    query = "&".join(f"{key}={values[0]}" for key, values in state.query().items())
    open_hub(page, f"{site.hub}?{query}#explorer")
    check(page, site.data, state)


def test_unknown_query_values_fall_back_to_defaults(page: Page, site: Site) -> None:
    open_hub(page, f"{site.hub}?role=nonsense&sort=sideways&polarity=neutral")
    expect(page.locator("#explorer-role")).to_have_value("")
    expect(page.locator("#explorer-sort")).to_have_value("newest")
    want = expected_ids(site.data, State(polarity="neutral"))
    expect(page.locator("#explorer-count")).to_have_text(noted(
        f"{len(want)} of {len(site.data['citing'])} citing papers match.", site.data, want))
    show_all(page)
    assert visible_ids(page) == want


def test_rows_show_badges_and_collapsed_citation_sentences(page: Page, site: Site) -> None:
    open_hub(page, site.hub + "?sort=title")
    show_all(page)
    by_id = {paper["id"]: paper for paper in site.data["citing"]}
    labels = {f"role:{row['key']}": row["label"] for row in site.data["roles"]}
    labels |= {f"polarity:{row['key']}": row["label"] for row in site.data["polarities"]}
    rows = page.locator("#explorer-results > li")
    expect(rows).to_have_count(len(by_id))
    by_href = ids_by_href(page)
    colours = {f"role:{row['key']}": f"r{n % 6}" for n, row in enumerate(site.data["roles"])}
    colours |= {f"polarity:{row['key']}": f"p{n % 6}"
                for n, row in enumerate(site.data["polarities"])}
    for row in rows.all():
        title = row.locator(":scope > a")
        expect(title).to_have_count(1)
        paper = by_id[by_href[title.get_attribute("href") or ""]]
        expect(title).to_have_text(paper["title"])  # markup in a title stays text
        assert title.get_attribute("href") == paper["url"]
        year = row.locator(":scope > span")
        expect(year).to_have_text(str(paper["year"] or "-"))
        badges = [f"role:{key}" for key in paper["roles"]]
        badges += [f"polarity:{paper['polarity']}"] if paper["polarity"] else []
        want = [labels[badge] for badge in badges] or ["Unclassified"]
        expect(row.locator(":scope > b")).to_have_text(want)
        classes = [b.get_attribute("class") for b in row.locator(":scope > b").all()]
        assert classes == ([colours[badge] for badge in badges] or ["u"])
        if paper["tldr"]:
            expect(row.locator(":scope > p")).to_have_text(paper["tldr"])
        else:
            expect(row.locator(":scope > p")).to_have_count(0)
        details = row.locator(":scope > details")
        if not paper["contexts"]:
            expect(details).to_have_count(0)
            continue
        expect(details).not_to_have_attribute("open", "")
        expect(details.locator("blockquote").first).to_be_hidden()
        details.locator("summary").click()
        expect(details.locator("blockquote")).to_have_text(paper["contexts"])
        expect(details.locator("blockquote").first).to_be_visible()
    # Markup in titles, TL;DRs and sentences stays text: the only <b> are the badges.
    badges = sum(len(p["roles"]) + bool(p["polarity"]) or 1 for p in by_id.values())
    assert page.locator("#explorer-results b").count() == badges
    assert page.locator("#explorer-results > li > b").count() == badges


def test_shipped_hub_explorer_against_its_json(page: Page) -> None:
    """The reference hub (50 citing papers, no years): filter, search and sort with the mouse."""
    data = page.request.get(f"{HUB_PATH}index.json").json()
    page.goto(HUB_PATH)
    expect(page.locator("#explorer-controls")).to_be_visible()
    size = 50
    check(page, data, State(), size=size)
    page.locator("#explorer-role").select_option("background")
    page.locator("#explorer-polarity").select_option("neutral")
    check(page, data, State(role="background", polarity="neutral"), size=size)
    page.locator("#explorer-q").fill("refusal")
    page.locator("#explorer-sort").select_option("title")
    state = State(role="background", polarity="neutral", q="refusal", sort="title")
    check(page, data, state, size=size)
    assert expected_ids(data, state)
    page.locator("#explorer-from").fill("2000")  # no citing paper here has a year
    check(page, data, State(role="background", polarity="neutral", start="2000", q="refusal",
                            sort="title"), size=size)
    expect(page.locator("#explorer-results li")).to_have_count(0)


# ------------------------------------------------------------------ with the keyboard only


def tab_to(page: Page, element_id: str, key: str = "Tab") -> None:
    for _ in range(300):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached #{element_id}")


def assert_focus_visible(page: Page) -> None:
    style = page.evaluate("""() => {
        const style = getComputedStyle(document.activeElement);
        return [style.outlineStyle, parseFloat(style.outlineWidth)];
    }""")
    assert style[0] != "none" and style[1] >= 2, f"no visible focus outline: {style}"


def test_keyboard_only(page: Page, site: Site) -> None:
    open_hub(page, site.hub)

    def enter() -> None:
        page.keyboard.press("Enter")

    tab_to(page, "explorer-role")  # from the top of the page, through every link before
    assert_focus_visible(page)
    page.keyboard.press("ArrowDown")  # Any role -> Background -> Method
    page.keyboard.press("ArrowDown")
    check(page, site.data, State(role="method"), enter)

    tab_to(page, "explorer-q")
    assert_focus_visible(page)
    page.keyboard.type("steer")
    check(page, site.data, State(role="method", q="steer"), enter)

    tab_to(page, "explorer-sort")
    assert_focus_visible(page)
    page.keyboard.press("ArrowDown")  # Newest -> Oldest
    check(page, site.data, State(role="method", q="steer", sort="oldest"), enter)

    tab_to(page, "explorer-polarity", "Shift+Tab")
    assert_focus_visible(page)
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # Any -> Supportive -> Neutral -> Critical
    check(page, site.data, State(role="method", polarity="critical", q="steer", sort="oldest"),
          enter)

    tab_to(page, "explorer-from")
    page.keyboard.type("2020")
    page.keyboard.press("Tab")
    page.keyboard.type("2024")
    check(page, site.data, State(role="method", polarity="critical", start="2020", end="2024",
                                 q="steer", sort="oldest"), enter)

    tab_to(page, "explorer-q", "Shift+Tab")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    tab_to(page, "explorer-role", "Shift+Tab")
    page.keyboard.press("Home")  # Any role
    tab_to(page, "explorer-polarity")
    page.keyboard.press("Home")
    state = State(start="2020", end="2024", sort="oldest")
    check(page, site.data, state, enter)
    assert len(expected_ids(site.data, state)) > PAGE_SIZE

    # Export with the keyboard: Tab to the CSV button, Enter.
    tab_to(page, "explorer-clear")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "BibTeX"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert_focus_visible(page)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert read_csv(download.value) == csv_rows(site, state)

    # A row's citation sentences open from the keyboard too.
    page.locator("#explorer-results details summary").first.focus()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("#explorer-results details").first).to_have_attribute("open", "")

    # Clear filters, by keyboard.
    tab_to(page, "explorer-clear", "Shift+Tab")
    page.keyboard.press("Enter")
    check(page, site.data, State())


# ------------------------------------------------------------------ exports


def absolute(site: Site, paper: dict[str, Any]) -> str:
    parts = urlsplit(site.root)
    return f"{parts.scheme}://{parts.netloc}{paper['url']}"


def tex(text: str) -> str:
    special = {"\\": "\\textbackslash{}", "^": "\\^{}", "~": "\\~{}"}
    return "".join(special.get(c, "\\" + c if c in "{}%&#$_" else c)
                   for c in " ".join(text.split()))


def bibtex(site: Site, state: State) -> str:
    entries = []
    for paper in matching(site.data, state):
        fields = [("title", tex(paper["title"])),
                  ("year", "" if paper["year"] is None else str(paper["year"])),
                  ("url", absolute(site, paper)), ("roles", tex(", ".join(paper["roles"]))),
                  ("polarity", tex(paper["polarity"] or ""))]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        entries.append(f"@misc{{{paper['id']},\n{body}\n}}\n")
    return "\n".join(entries)


def ris(site: Site, state: State) -> str:
    records = []
    for paper in matching(site.data, state):
        tags = [("TY", "GEN"), ("ID", paper["id"]), ("TI", " ".join(paper["title"].split()))]
        if paper["year"] is not None:
            tags.append(("PY", str(paper["year"])))
        tags.append(("UR", absolute(site, paper)))
        tags += [("KW", f"role: {key}") for key in paper["roles"]]
        if paper["polarity"]:
            tags.append(("KW", f"polarity: {paper['polarity']}"))
        records.append("".join(f"{tag}  - {value}\r\n" for tag, value in [*tags, ("ER", "")]))
    return "".join(records)


def csv_rows(site: Site, state: State) -> list[list[str]]:
    def cell(text: str) -> str:  # spreadsheet formulas are defused with a leading quote
        return "'" + text if text[:1] in ("=", "+", "-", "@") else text

    return [["id", "title", "year", "url", "roles", "polarity"]] + [
        [paper["id"], cell(paper["title"]), str(paper["year"] or ""), absolute(site, paper),
         ";".join(paper["roles"]), paper["polarity"] or ""]
        for paper in matching(site.data, state)]


def read_text(download: Download) -> str:
    return Path(download.path()).read_bytes().decode("utf-8")  # keep CRLF as written


def read_csv(download: Download) -> list[list[str]]:
    text = read_text(download)
    assert text.endswith("\r\n")
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("state", [
    State(start="2020", end="2022"),  # the awkward titles: markup, braces, quotes, a formula
    State(role="method", sort="title"),  # with an id that is not a BibTeX-friendly key
], ids=["years", "method"])
def test_exports_hold_the_filtered_set(page: Page, site: Site, state: State) -> None:
    query = "&".join(f"{key}={values[0]}" for key, values in state.query().items())
    open_hub(page, f"{site.hub}?{query}")
    expect(page.locator("#explorer-results li").first).to_be_visible()
    files: dict[str, Download] = {}
    for name in ("BibTeX", "RIS", "CSV"):
        with page.expect_download() as download:
            page.get_by_role("button", name=name, exact=True).click()
        files[name] = download.value
    slug = "target-citing"
    assert [files[name].suggested_filename for name in files] == [
        f"{slug}.bib", f"{slug}.ris", f"{slug}.csv"]
    assert read_text(files["BibTeX"]) == bibtex(site, state)
    assert read_text(files["RIS"]) == ris(site, state)
    assert read_csv(files["CSV"]) == csv_rows(site, state)
    raw_csv = read_text(files["CSV"])
    if state.start:
        assert '"Hotel <b>markup</b> & {braces}, ""quotes"" 100% #1' in raw_csv
        assert "\r\nc-foxtrot,'=Foxtrot formula-looking title," in raw_csv
        assert "Hotel <b>markup</b> \\& \\{braces\\}, \"quotes\" 100\\% \\#1 under\\_score" \
               " \\~{} \\textbackslash{} \\^{}" in read_text(files["BibTeX"])


# ------------------------------------------------------------------ without JavaScript


def test_without_javascript_static_pages_and_pagination(browser: Browser, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.hub)
        expect(page.locator("#explorer-controls")).to_be_hidden()
        ids = [paper["id"] for paper in site.data["citing"]]
        pages = -(-len(ids) // PAGE_SIZE)
        assert pages >= 3
        assert visible_ids(page) == ids[:PAGE_SIZE]
        nav = page.get_by_role("navigation", name="Citing papers pages")
        for number in range(2, pages + 1):
            nav.get_by_role("link", name="Next").click()
            assert urlsplit(page.url).path == f"/hubs/{HUB}citing/{number}/"
            first = (number - 1) * PAGE_SIZE
            rows = page.locator(".citing-list > li")
            by_href = {paper["url"]: paper["id"] for paper in site.data["citing"]}
            assert [by_href[row.locator(":scope > a").get_attribute("href") or ""]
                    for row in rows.all()] == ids[first:first + PAGE_SIZE]
            expect(page.locator(".range")).to_have_text(noted(
                f"Showing {first + 1}\N{EN DASH}{min(first + PAGE_SIZE, len(ids))} of {len(ids)} "
                "citing papers, newest first.", site.data, ids[first:first + PAGE_SIZE]))
        expect(nav.get_by_role("link", name="Next")).to_have_count(0)
        nav.get_by_role("link", name="1", exact=True).click()
        assert urlsplit(page.url).path == f"/hubs/{HUB}"
        assert visible_ids(page) == ids[:PAGE_SIZE]
        # Citation sentences are there, collapsed, without JavaScript too.
        details = page.locator(".citing-list > li > details").first
        expect(details.locator("blockquote").first).to_be_hidden()
        details.locator("summary").click()
        expect(details.locator("blockquote").first).to_be_visible()
    finally:
        context.close()


# ------------------------------------------------------------------ hostile data


ROW_SHAPES = """() => Array.from(document.querySelectorAll('#explorer-results *'), element =>
    [element.tagName.toLowerCase(),
     ...Array.from(element.attributes, attribute => attribute.name).sort()].join(' '))"""
ROW_TAGS = {"li", "span", "a", "p", "b", "details", "summary", "blockquote"}
ROW_ATTRIBUTES = {"class", "href", "aria-label"}


def test_hostile_data_renders_as_text(page: Page, tmp_path: Path) -> None:
    """The payload site's hubs, rendered by the script: text stays text, exports stay whole."""
    output = tmp_path / "site"
    build_site(payload_site.write_payload_site(tmp_path, hostile=True), output)
    hubs = [path.parent for path in sorted((output / "papers").glob("*/index.json"))
            if json.loads(path.read_text(encoding="utf-8"))["badge"]]
    assert hubs
    with serve(output) as root:
        for folder in hubs:
            data = json.loads((folder / "index.json").read_text(encoding="utf-8"))
            open_hub(page, f"{root}{folder.relative_to(output).as_posix()}/?sort=title")
            show_all(page)
            want = expected_ids(data, State(sort="title"))
            assert visible_ids(page) == want
            shapes = set(page.evaluate(ROW_SHAPES))
            for shape in shapes:
                tag, *attributes = shape.split()
                assert tag in ROW_TAGS and set(attributes) <= ROW_ATTRIBUTES, shape
            hrefs = page.eval_on_selector_all("#explorer-results a", "a => a.map(e => e.href)")
            assert all(href.startswith(root) for href in hrefs)
            titles = page.locator("#explorer-results li > a").all_inner_texts()
            by_id = {paper["id"]: paper for paper in data["citing"]}
            assert titles == [" ".join(by_id[i]["title"].split()) for i in want]
            with page.expect_download() as download:
                page.get_by_role("button", name="CSV", exact=True).click()
            rows = read_csv(download.value)[1:]
            assert [row[0] for row in rows] == want
            assert [row[1].removeprefix("'") for row in rows] == [by_id[i]["title"] for i in want]
