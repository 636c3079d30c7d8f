"""Updating the page plan after an edit, and finding the pages it may have changed.

`plan_site` sorts every listing of the collection; after an edit, `replan` moves only
the edited papers (and hubs whose statistics changed) within the listings that hold
them, with a binary search on the same sort keys, and re-plans only the pages of
those papers and of listings whose length changed. The result equals `plan_site` on
the edited collection (a test checks it).

`pages_to_check` then names every page whose fingerprint may differ: the rest are
known equal without hashing them, which is what keeps an edit's cost independent of
the size of the collection.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Container
from collections.abc import Collection as Collection_
from dataclasses import dataclass
from typing import Any

from generator.collection import Collection
from generator.edits import Change
from generator.hubs import ranked_for_label
from generator.pages import (
    PagePlan,
    SitePlan,
    citing_listing,
    hub_order,
    newest_first,
    pages_of_listing,
    pages_of_paper,
    title_order,
    topic_listing,
)
from generator.urls import topic_slug

Listings = dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Replanned:
    plan: SitePlan
    added: list[PagePlan]  # pages that did not exist before
    removed: list[str]  # outputs of pages that no longer exist
    listings_changed: frozenset[str]  # listing names whose members or order changed
    before: Listings  # the listings before the edit


def replan(old: Collection, site: Collection, plan: SitePlan, change: Change) -> Replanned:
    listings = updated_listings(old, site, plan.listings, change)
    # Only listings the update touched can differ: the ones that are new tuples or gone.
    touched = [n for n, members in listings.items() if members is not plan.listings.get(n)]
    touched += (n for n in plan.listings if n not in listings)
    changed_names = frozenset(n for n in touched if listings.get(n) != plan.listings.get(n))
    before: dict[str, PagePlan] = {}
    after: dict[str, PagePlan] = {}
    for paper_id in change.records | change.cited:
        if paper_id in old.slugs:
            before.update((p.output, p) for p in pages_of_paper(old, plan.listings, paper_id))
        if paper_id in site.slugs:
            after.update((p.output, p) for p in pages_of_paper(site, listings, paper_id))
    for name in changed_names:
        if name in plan.listings:
            before.update((p.output, p) for p in pages_of_listing(old, name, plan.listings[name]))
        if name in listings:
            after.update((p.output, p) for p in pages_of_listing(site, name, listings[name]))
    added = [page for output, page in after.items() if output not in before]
    removed = [output for output in before if output not in after]
    pages = plan.pages
    if added or removed:
        pages = list(pages)
        for output in removed:
            del pages[bisect.bisect_left(pages, output, key=output_of)]
        for page in added:
            bisect.insort(pages, page, key=output_of)
    return Replanned(SitePlan(pages, listings), added, removed, changed_names,
                     plan.listings)


def output_of(page: PagePlan) -> str:
    return page.output


def updated_listings(old: Collection, site: Collection, listings: Listings, change: Change
                     ) -> Listings:
    records = site.records
    edited = change.records
    hubs_touched = change.hubs | {i for i in edited if i in old.hubs or i in site.hubs}
    result = dict(listings)
    by_title, by_date = (lambda i: title_order(records[i])), (lambda i: newest_first(records[i]))
    was = old.records
    result["papers"] = moved(listings["papers"], edited, records, by_title,
                             lambda i: title_order(was[i]) if i in was else None)
    result["recent"] = moved(listings["recent"], edited, records, by_date,
                             lambda i: newest_first(was[i]) if i in was else None)
    result["top-hubs"] = moved(listings["top-hubs"], hubs_touched, site.hubs, hub_order(site),
                               only(old.hubs, hub_order(old)))
    for axis, taxonomy in (("role", site.config.roles), ("polarity", site.config.polarities)):
        for label in taxonomy:
            name = f"{axis}:{label.key}"
            ranked = ranked_for_label((site.hubs[i] for i in hubs_touched if i in site.hubs),
                                      records, label.key, axis)
            result[name] = moved(listings[name], hubs_touched,
                                 {hub.paper_id for hub, _ in ranked},
                                 ranking_key(site, label.key, axis),
                                 only(old.hubs, ranking_key(old, label.key, axis)))
    if change.topics_changed:
        for name in [n for n in result if n.startswith("topic:")]:
            del result[name]
        for slug, topic in site.topics.items():
            result[f"topic:{slug}"] = topic_listing(site, topic.paper_ids)
    else:
        slugs = {topic_slug(t) for i in edited for t in topics(site, i)}
        for slug in sorted(s for s in slugs if s in site.topics):
            result[f"topic:{slug}"] = topic_listing(site, site.topics[slug].paper_ids)
    years = {r.year for i in edited for r in (old.records.get(i), records.get(i))
             if r is not None and r.year is not None}
    for year in sorted(years):
        name = f"year:{year}"
        members = [i for i in edited if i in records and records[i].year == year]
        updated = moved(listings.get(name, ()), edited, dict.fromkeys(members), by_title,
                        lambda i: title_order(was[i]) if i in was else None)
        if updated:
            result[name] = updated
        else:
            result.pop(name, None)
    for paper_id in change.cited | edited:
        name = f"citing:{paper_id}"
        if paper_id not in site.hubs:
            result.pop(name, None)
        elif name not in listings:  # a new hub
            result[name] = citing_listing(site, paper_id)
        else:  # its citing papers are in order but for the edited ones
            citing = {i for i in edited if any(link.target == paper_id
                                                for link in site.graph.references(i))}
            result[name] = moved(listings[name], edited, citing, by_date,
                                 lambda i: newest_first(was[i]) if i in was else None)
    return result


def moved(listing: tuple[str, ...], touched: Collection_[str], members: Container[str],
          key: Callable[[str], Any], old_key: Callable[[str], Any]) -> tuple[str, ...]:
    """`listing` with each touched id taken out and, if in `members`, put back where
    `key` sorts it. The listing is sorted by `key` as it was before the edit, so each
    touched id is found by a binary search on `old_key` (None: it had no place), not
    by a scan: this runs on the 50,000-paper listings for every edit."""
    if not touched:
        return listing
    items = list(listing)
    pending = set(touched)

    def before(paper_id: str) -> Any:
        return old_key(paper_id) if paper_id in pending else key(paper_id)

    for paper_id in sorted(touched):
        was = old_key(paper_id)
        if was is not None:
            at = bisect.bisect_left(items, was, key=before)
            if at < len(items) and items[at] == paper_id:
                del items[at]
        pending.discard(paper_id)
    for paper_id in sorted(touched):
        if paper_id in members:
            bisect.insort(items, paper_id, key=key)
    return tuple(items)


def only(present: Container[str], key: Callable[[str], Any]) -> Callable[[str], Any]:
    """`key` for the ids in `present`; None for the others."""
    return lambda paper_id: key(paper_id) if paper_id in present else None


def ranking_key(site: Collection, key: str, axis: str
                ) -> Callable[[str], tuple[float, int, str, str]]:
    """The sort key of `hubs.ranked_for_label`, by hub id."""
    def rank(paper_id: str) -> tuple[float, int, str, str]:
        hub = site.hubs[paper_id]
        summary = hub.roles if axis == "role" else hub.polarities
        share = next(s for s in summary.shares if s.key == key)
        return (-share.share, -share.count, site.records[paper_id].title, paper_id)
    return rank


def topics(site: Collection, paper_id: str) -> tuple[str, ...]:
    record = site.records.get(paper_id)
    return record.topics if record is not None else ()


def pages_to_check(old: Collection, site: Collection, replanned: Replanned, change: Change
                   ) -> list[PagePlan]:
    """Every page whose fingerprint (see `deps`) may differ after the edit.

    A paper's pages read its record and hub, its topics' names, and the listed form of
    the papers it cites and is cited by, with their links. A listing page reads its
    slice and the rows in it. Home, feed and the term indexes are always checked (they
    are cheap); the sitemap when pages came or went.
    """
    plan = replanned.plan
    papers = set(change.records) | change.cited
    for paper_id in change.records:  # its neighbours show its title, year, ...
        for graph in (old.graph, site.graph):
            papers.update(link.source for link in graph.citing(paper_id))
            papers.update(link.target for link in graph.references(paper_id))
    renamed_topics: set[str] = set()
    if change.topics_changed:
        for slug in old.topics.keys() | site.topics.keys():
            before, after = old.topics.get(slug), site.topics.get(slug)
            if before is None or after is None or before.name != after.name:
                renamed_topics.add(slug)
                for topic in (before, after):
                    papers.update(topic.paper_ids if topic is not None else ())
    checked: dict[str, PagePlan] = {}
    for paper_id in sorted(papers):
        if paper_id in site.slugs:
            checked.update((p.output, p) for p in pages_of_paper(site, plan.listings, paper_id))
    shown = set(change.records) | change.cited | change.hubs  # rows on listing pages
    names = set(replanned.listings_changed)
    names.update(f"topic:{slug}" for slug in renamed_topics)
    for paper_id in shown:
        names.update(listings_holding(old, paper_id))
        names.update(listings_holding(site, paper_id))
    for name in sorted(names):
        members = plan.listings.get(name)
        if members is not None:
            checked.update((p.output, p) for p in listing_pages_to_check(
                site, name, members, replanned.before.get(name, ()), shown))
    for output in SINGLE_PAGES + (("sitemap.xml",) if replanned.added or replanned.removed
                                  else ()):
        found = find_page(plan, output)
        if found is not None:
            checked[output] = found
    return sorted(checked.values(), key=output_of)


SINGLE_PAGES = ("index.html", "feed.xml", "roles/index.html", "polarity/index.html",
                "topics/index.html", "years/index.html")


def find_page(plan: SitePlan, output: str) -> PagePlan | None:
    at = bisect.bisect_left(plan.pages, output, key=output_of)
    return plan.pages[at] if at < len(plan.pages) and plan.pages[at].output == output else None


def listings_holding(site: Collection, paper_id: str) -> list[str]:
    """The names of the summary listings `paper_id` is a row of."""
    record = site.records.get(paper_id)
    if record is None:
        return []
    names = ["papers"]
    if record.year is not None:
        names.append(f"year:{record.year}")
    names += (f"topic:{topic_slug(t)}" for t in record.topics)
    if paper_id in site.hubs:
        names += (f"role:{label.key}" for label in site.config.roles)
        names += (f"polarity:{label.key}" for label in site.config.polarities)
    return names


def listing_pages_to_check(site: Collection, name: str, members: tuple[str, ...],
                           before: tuple[str, ...], shown: set[str]) -> list[PagePlan]:
    """The pages of a listing whose slice changed or shows a paper in `shown`."""
    pages = pages_of_listing(site, name, members)
    if len(members) != len(before):  # every page shows the total
        return pages
    size = site.config.listing_page_size
    picked = []
    for page in pages:
        number = page.key[1]
        part = members[(number - 1) * size: number * size]
        if part != before[(number - 1) * size: number * size] or not shown.isdisjoint(part):
            picked.append(page)
    return picked
