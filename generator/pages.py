"""The page plan: one `PagePlan` per output file: its URL, template and view key.

What each page's content depends on is worked out in one place only, `deps` (its
fingerprints). Orderings that several pages share (the paginated listings, each
hub's explorer order) are computed once here and kept in `SitePlan.listings`, so a
page only slices them: no page sorts a whole collection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator import urls
from generator.collection import Collection
from generator.hubs import ranked_for_label
from generator.records import Record


@dataclass(frozen=True, slots=True)
class PagePlan:
    url: str  # site-relative, e.g. "papers/P02-1040/"
    output: str  # file relative to the output folder
    template: str | None  # theme template; None for data files made in Python (JSON)
    view: str  # which `views` function builds the template context
    key: tuple[str, int]  # the view's argument: an id or listing name, and a page number


@dataclass(frozen=True, slots=True)
class SitePlan:
    pages: list[PagePlan]
    listings: dict[str, tuple[str, ...]]  # name -> ids in display order


def plan_site(site: Collection) -> SitePlan:
    listings = plan_listings(site)
    pages: list[PagePlan] = []
    pages += paper_pages(site, listings)
    pages += listing_pages(site, listings)
    pages += [
        page("", "home.html", "home", ("", 1)),
        page("404.html", "404.html", "not_found", ("", 1)),
        page("search/", "search.html", "search", ("", 1)),
        *(page(f"{p.slug}/", "page.html", "editorial", (p.slug, 1))
          for p in site.pages),
    ]
    pages.append(page("sitemap.xml", "sitemap.xml", "sitemap", ("", 1)))
    pages.append(page("feed.xml", "feed.xml", "feed", ("", 1)))
    return SitePlan(sorted(pages, key=lambda p: p.output), listings)


def page(url: str, template: str | None, view: str, key: tuple[str, int]) -> PagePlan:
    return PagePlan(url, urls.output_path(url), template, view, key)


def plan_listings(site: Collection) -> dict[str, tuple[str, ...]]:
    records = site.records
    by_title = sorted(records.values(), key=title_order)
    listings: dict[str, tuple[str, ...]] = {
        "papers": ids(by_title),
        "recent": ids(sorted(records.values(), key=newest_first)),
        "top-hubs": tuple(sorted(site.hubs, key=hub_order(site))),
    }
    for axis, taxonomy in (("role", site.config.roles), ("polarity", site.config.polarities)):
        for label in taxonomy:
            ranked = ranked_for_label(site.hubs.values(), records, label.key, axis)
            listings[f"{axis}:{label.key}"] = tuple(hub.paper_id for hub, _ in ranked)
    for slug, topic in site.topics.items():
        listings[f"topic:{slug}"] = topic_listing(site, topic.paper_ids)
    by_year: dict[int, list[Record]] = {}
    for record in by_title:
        if record.year is not None:
            by_year.setdefault(record.year, []).append(record)
    for year, members in by_year.items():
        listings[f"year:{year}"] = ids(members)
    for paper_id in site.hubs:
        listings[f"citing:{paper_id}"] = citing_listing(site, paper_id)
    return listings


def title_order(record: Record) -> tuple[str, str]:
    return (record.title.casefold(), record.id)


def hub_order(site: Collection) -> Callable[[str], tuple[int, str, str]]:
    """Most cited hubs first, then by title."""
    return lambda h: (-site.hubs[h].citations, site.records[h].title.casefold(), h)


def topic_listing(site: Collection, members: Iterable[str]) -> tuple[str, ...]:
    return ids(sorted((site.records[i] for i in members), key=newest_first))


def citing_listing(site: Collection, paper_id: str) -> tuple[str, ...]:
    citing = [site.records[link.source] for link in site.graph.citing(paper_id)]
    return ids(sorted(citing, key=newest_first))


def newest_first(record: Record) -> tuple[int, str, str, str]:
    """Dated papers first, newest first; then by title. Undated papers last."""
    when = record.date or (str(record.year) if record.year else "")
    return (0 if when else 1, invert(when), record.title.casefold(), record.id)


def invert(text: str) -> str:
    """A key that sorts digit strings in reverse order ("2024" before "2023")."""
    return text.translate(str.maketrans("0123456789", "9876543210"))


def ids(records: Iterable[Record]) -> tuple[str, ...]:
    return tuple(record.id for record in records)


def page_count(items: int, size: int) -> int:
    return max(1, -(-items // size))


def paper_pages(site: Collection, listings: dict[str, tuple[str, ...]]) -> list[PagePlan]:
    return [plan for paper_id in site.slugs for plan in pages_of_paper(site, listings, paper_id)]


def pages_of_paper(site: Collection, listings: dict[str, tuple[str, ...]], paper_id: str
                   ) -> list[PagePlan]:
    """A paper's page and JSON, and for a hub the later pages of its explorer."""
    slug = site.slugs[paper_id]
    plans = [page(urls.paper_url(slug), "paper.html", "paper", (paper_id, 1)),
             page(urls.paper_json_url(slug), None, "paper_json", (paper_id, 1))]
    if paper_id in site.hubs:
        pages = page_count(len(listings[f"citing:{paper_id}"]), site.config.explorer_page_size)
        for number in range(2, pages + 1):
            plans.append(page(urls.citing_url(slug, number), "citing.html", "citing",
                              (paper_id, number)))
    return plans


LISTING_PAGES: dict[str, tuple[str, str]] = {
    # listing prefix -> (URL folder, template)
    "role": ("roles", "ranking.html"),
    "polarity": ("polarity", "ranking.html"),
    "topic": ("topics", "papers.html"),
    "year": ("years", "papers.html"),
}


def listing_url(name: str) -> str:
    """The first page of a named listing ("role:method" -> "roles/method/")."""
    if name == "papers":
        return "papers/"
    kind, _, value = name.partition(":")
    return f"{LISTING_PAGES[kind][0]}/{value}/"


def listing_pages(site: Collection, listings: dict[str, tuple[str, ...]]) -> list[PagePlan]:
    plans = [plan for name, members in listings.items()
             for plan in pages_of_listing(site, name, members)]
    for kind in ("roles", "polarity", "topics", "years"):
        plans.append(page(f"{kind}/", "terms.html", "terms", (kind, 1)))
    return plans


def pages_of_listing(site: Collection, name: str, members: tuple[str, ...]) -> list[PagePlan]:
    """The pages of a listing shown as a summary page (not `recent`, `citing:` and such)."""
    kind = name.partition(":")[0]
    if name != "papers" and kind not in LISTING_PAGES:
        return []
    template = "papers.html" if name == "papers" else LISTING_PAGES[kind][1]
    first = listing_url(name)
    count = page_count(len(members), site.config.listing_page_size)
    return [page(urls.paged_url(first, number), template, "listing", (name, number))
            for number in range(1, count + 1)]
