"""Template contexts: the finished values each page shows, built from the collection.

Templates only lay these out; every number, label, URL and order is decided here.
A view takes the plan's key and returns a plain dict (JSON-ready for the
per-paper data file).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt

from generator import charts, markup, scholarly, urls
from generator.collection import Collection
from generator.config import Label
from generator.graph import Link
from generator.hubs import AxisSummary, Hub
from generator.pages import PagePlan, SitePlan, listing_url, page_count
from generator.records import Record

Context = dict[str, object]


@dataclass(frozen=True, slots=True)
class ViewInputs:
    site: Collection
    plan: SitePlan
    markdown: MarkdownIt


def context_for(page: PagePlan, inputs: ViewInputs) -> Context:
    view = VIEWS[page.view]
    context = view(inputs, *page.key)
    context["page_url"] = page.url
    return context


# ----------------------------------------------------------------- small pieces


def label_dict(label: Label) -> Context:
    return {"key": label.key, "label": label.label}


def badge(labels: tuple[Label, ...], key: str, axis: str) -> Context:
    """A role (`axis` "r") or polarity ("p") badge: its key, label and colour class, which
    is its position in the taxonomy (`r0`, `p2`), as in the charts."""
    for index, label in enumerate(labels):
        if label.key == key:
            return {"key": key, "label": label.label, "colour": f"{axis}{index % charts.PALETTE}"}
    raise KeyError(key)


def paper_link(site: Collection, paper_id: str) -> str:
    return urls.paper_url(site.slugs[paper_id])


def paper_row(site: Collection, record: Record) -> Context:
    """A paper as listed on summary pages and the home page."""
    hub = site.hubs.get(record.id)
    return {
        "id": record.id,
        "title": markup.clean_text(record.title),
        "url": paper_link(site, record.id),
        "authors": list(record.authors),
        "year": record.year,
        "tldr": record.tldr,
        "citations": len(site.graph.citing(record.id)),
        "badge": hub.badge if hub else None,
    }


def link_row(site: Collection, record: Record, link: Link) -> Context:
    """A citing (or cited) paper with what the citation says, for the explorer."""
    config = site.config
    return {
        "id": record.id,
        "title": markup.clean_text(record.title),
        "url": paper_link(site, record.id),
        "year": record.year,
        "tldr": record.tldr,
        "roles": [badge(config.roles, key, "r") for key in link.roles],
        "polarity": badge(config.polarities, link.polarity, "p") if link.polarity else None,
        "contexts": list(link.contexts),
    }


def axis_rows(summary: AxisSummary) -> list[Context]:
    return [
        {"key": s.key, "label": s.label, "count": s.count, "share": s.share, "percent": s.percent}
        for s in summary.shares
    ]


def pagination(first_url: Callable[[int], str], number: int, total: int) -> Context:
    """Links for page `number` of `total`: neighbours and a window, never all pages."""
    window = sorted({1, total, *range(max(1, number - 2), min(total, number + 2) + 1)})
    entries: list[Context | None] = []
    for index, value in enumerate(window):
        if index and value != window[index - 1] + 1:
            entries.append(None)  # a gap, shown as an ellipsis
        entries.append({"number": value, "url": first_url(value), "current": value == number})
    return {
        "number": number,
        "total": total,
        "prev": first_url(number - 1) if number > 1 else None,
        "next": first_url(number + 1) if number < total else None,
        "window": entries,
    }


def page_slice(members: tuple[str, ...], number: int, size: int) -> tuple[str, ...]:
    return members[(number - 1) * size : number * size]


# ----------------------------------------------------------------- paper pages


def paper_view(inputs: ViewInputs, paper_id: str, number: int) -> Context:
    site = inputs.site
    record = site.records[paper_id]
    hub = site.hubs.get(paper_id)
    context: Context = {
        "paper": paper_details(site, record, inputs.markdown),
        "hub": hub_details(site, hub) if hub else None,
        "scholarly": scholarly.paper_metadata(site, record),
        "charts": charts.hub_charts(site, hub) if hub else None,
        "references": [link_row(site, site.records[link.target], link)
                       for link in site.graph.references(paper_id)],
    }
    context.update(citing_page(inputs, paper_id, number))
    return context


def citing_view(inputs: ViewInputs, paper_id: str, number: int) -> Context:
    """A later static page of a hub's explorer (page 1 is the hub page itself)."""
    site = inputs.site
    record = site.records[paper_id]
    context: Context = {
        "paper": {"id": paper_id, "title": markup.clean_text(record.title),
                  "url": paper_link(site, paper_id)},
    }
    context.update(citing_page(inputs, paper_id, number))
    return context


def citing_page(inputs: ViewInputs, paper_id: str, number: int) -> Context:
    site = inputs.site
    links = {link.source: link for link in site.graph.citing(paper_id)}
    order = inputs.plan.listings.get(f"citing:{paper_id}")
    if order is None:  # no hub: a short list, all on the paper page
        shown = [site.records[source] for source in sorted(links)]
        return {"citing": [link_row(site, r, links[r.id]) for r in shown], "citing_pages": None}
    size = site.config.explorer_page_size
    slug = site.slugs[paper_id]
    shown = [site.records[source] for source in page_slice(order, number, size)]
    return {
        "citing": [link_row(site, r, links[r.id]) for r in shown],
        "citing_total": len(order),
        "citing_first": (number - 1) * size + 1,
        "citing_pages": pagination(lambda n: urls.citing_url(slug, n), number,
                                   page_count(len(order), size)),
    }


def paper_details(site: Collection, record: Record, markdown: MarkdownIt) -> Context:
    links = [
        ("DOI", markup.doi_link(record.doi)),
        ("arXiv", markup.arxiv_link(record.arxiv)),
        ("Web page", markup.external_link(record.url)),
        ("PDF", markup.external_link(record.pdf)),
    ]
    return {
        "id": record.id,
        "title": markup.clean_text(record.title),
        "url": paper_link(site, record.id),
        "json_url": urls.paper_json_url(site.slugs[record.id]),
        "authors": list(record.authors),
        "year": record.year,
        "date": record.date,
        "venue": record.venue,
        "doi": record.doi,
        "arxiv": record.arxiv,
        "tldr": record.tldr,
        "abstract_html": markdown.render(record.abstract) if record.abstract else "",
        "topics": [
            {"name": topic.name, "url": f"topics/{topic.slug}/"}
            for topic in (site.topics.get(urls.topic_slug(t)) for t in record.topics)
            if topic is not None
        ],
        "links": [{"label": label, "href": href} for label, href in unique_links(links)],
    }


def unique_links(links: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """The links that are set, each address once: a record's `url` is often its arXiv page."""
    seen: set[str] = set()
    kept = []
    for label, href in links:
        if href and href not in seen:
            seen.add(href)
            kept.append((label, href))
    return kept


def hub_details(site: Collection, hub: Hub) -> Context:
    citing = {link.source: link for link in site.graph.citing(hub.paper_id)}
    return {
        "badge": hub.badge,
        "summary": hub.summary,
        "dominant": hub.dominant,
        "citations": hub.citations,
        "roles": axis_rows(hub.roles),
        "polarities": axis_rows(hub.polarities),
        "role_labelled": hub.roles.labelled,
        "polarity_labelled": hub.polarities.labelled,
        "unclassified": {"role": hub.roles.unclassified, "polarity": hub.polarities.unclassified},
        "several_roles": hub.roles.several,
        "representative": [link_row(site, site.records[i], citing[i]) for i in hub.representative],
        "by_year": [{"year": y.year, "count": y.count} for y in hub.by_year],
        "unknown_year": hub.unknown_year,
    }


def paper_json_view(inputs: ViewInputs, paper_id: str, number: int) -> Context:
    """The public per-paper JSON (shape documented in the README)."""
    site = inputs.site
    record = site.records[paper_id]
    hub = site.hubs.get(paper_id)
    base = site.config.base_path
    order = inputs.plan.listings.get(f"citing:{paper_id}") or tuple(
        sorted(link.source for link in site.graph.citing(paper_id)))
    links = {link.source: link for link in site.graph.citing(paper_id)}
    citing = []
    for source in order:
        row = link_row(site, site.records[source], links[source])
        citing.append({
            "id": row["id"], "title": row["title"], "year": row["year"], "tldr": row["tldr"],
            "roles": [r["key"] for r in row["roles"]],  # type: ignore[attr-defined]
            "polarity": links[source].polarity, "contexts": row["contexts"],
            "url": base + str(row["url"]),
        })
    data: Context = {
        "id": record.id,
        "title": markup.clean_text(record.title),
        "year": record.year,
        "url": base + paper_link(site, paper_id),
        "citations": len(order),
        "badge": hub.badge if hub else None,
        "summary": hub.summary if hub else None,
        "roles": axis_rows(hub.roles) if hub else [],
        "polarities": axis_rows(hub.polarities) if hub else [],
        "unclassified": ({"role": hub.roles.unclassified, "polarity": hub.polarities.unclassified}
                         if hub else None),
        "by_year": [{"year": y.year, "count": y.count} for y in hub.by_year] if hub else [],
        "representative": list(hub.representative) if hub else [],
        "citing": citing,
    }
    return data


# ----------------------------------------------------------------- listings


def listing_view(inputs: ViewInputs, name: str, number: int) -> Context:
    site = inputs.site
    members = inputs.plan.listings[name]
    size = site.config.listing_page_size
    first = listing_url(name)
    kind, _, value = name.partition(":")
    context: Context = {
        "kind": kind,
        "pages": pagination(lambda n: urls.paged_url(first, n), number,
                            page_count(len(members), size)),
        "total": len(members),
    }
    shown = page_slice(members, number, size)
    if kind in ("role", "polarity"):
        label = (site.config.role if kind == "role" else site.config.polarity)(value)
        context["heading"] = f"{label.label} citations"
        context["description"] = (
            f"Hubs ranked by the share of their citing papers labelled "
            f"{label.label.lower()} ({'role' if kind == 'role' else 'polarity'})."
            + (f" {label.description}." if label.description else "")
        )
        context["hubs"] = [ranking_row(site, paper_id, kind, value) for paper_id in shown]
        return context
    if kind == "topic":
        context["heading"] = f"Topic: {site.topics[value].name}"
    elif kind == "year":
        context["heading"] = f"Papers from {value}"
    else:
        context["heading"] = "All papers"
    context["papers"] = [paper_row(site, site.records[i]) for i in shown]
    return context


def ranking_row(site: Collection, paper_id: str, axis: str, key: str) -> Context:
    hub = site.hubs[paper_id]
    summary = hub.roles if axis == "role" else hub.polarities
    share = next(s for s in summary.shares if s.key == key)
    row = paper_row(site, site.records[paper_id])
    row.update(count=share.count, percent=share.percent, labelled=summary.labelled,
               summary=hub.summary)
    return row


def terms_view(inputs: ViewInputs, kind: str, number: int) -> Context:
    """The index of one kind of summary page: every role, polarity, topic or year."""
    site = inputs.site
    listings = inputs.plan.listings
    entries: list[Context] = []
    if kind in ("roles", "polarity"):
        prefix = "role" if kind == "roles" else "polarity"
        for label in site.config.roles if kind == "roles" else site.config.polarities:
            entries.append({"name": label.label, "description": label.description,
                            "url": listing_url(f"{prefix}:{label.key}"),
                            "count": len(listings[f"{prefix}:{label.key}"])})
    elif kind == "topics":
        for topic in site.topics.values():
            entries.append({"name": topic.name, "url": f"topics/{topic.slug}/",
                            "count": len(topic.paper_ids), "description": ""})
    else:
        years = sorted((int(n.partition(":")[2]) for n in listings if n.startswith("year:")),
                       reverse=True)
        for year in years:
            entries.append({"name": str(year), "url": f"years/{year}/",
                            "count": len(listings[f"year:{year}"]), "description": ""})
    headings = {"roles": "Citation roles", "polarity": "Citation polarity",
                "topics": "Topics", "years": "Years"}
    counted = "hubs" if kind in ("roles", "polarity") else "papers"
    return {"kind": kind, "heading": headings[kind], "entries": entries, "counted": counted}


# ----------------------------------------------------------------- site pages


def home_view(inputs: ViewInputs, key: str, number: int) -> Context:
    site = inputs.site
    listings = inputs.plan.listings
    intro = site.home
    return {
        "intro_html": inputs.markdown.render(intro.body) if intro else "",
        "top_hubs": [paper_row(site, site.records[i]) for i in listings["top-hubs"][:10]],
        "recent": [paper_row(site, site.records[i]) for i in listings["recent"][:10]],
        "counts": {"papers": len(site.records), "hubs": len(site.hubs),
                   "citations": sum(len(v) for v in site.graph.cited_by.values())},
        "roles": [label_dict(label) | {"url": listing_url(f"role:{label.key}")}
                  for label in site.config.roles],
        "polarities": [label_dict(label) | {"url": listing_url(f"polarity:{label.key}")}
                       for label in site.config.polarities],
    }


def editorial_view(inputs: ViewInputs, slug: str, number: int) -> Context:
    page = next(p for p in inputs.site.pages if p.slug == slug)
    return {"title": page.title, "body_html": inputs.markdown.render(page.body)}


def not_found_view(inputs: ViewInputs, key: str, number: int) -> Context:
    return {}


def sitemap_view(inputs: ViewInputs, key: str, number: int) -> Context:
    base = inputs.site.config.absolute_base or inputs.site.config.base_path
    pages = [p.url for p in inputs.plan.pages
             if p.template is not None and p.output.endswith("index.html")]
    return {"locations": [base + url for url in sorted(pages)]}


def feed_view(inputs: ViewInputs, key: str, number: int) -> Context:
    site = inputs.site
    base = site.config.absolute_base or site.config.base_path
    entries = []
    for paper_id in inputs.plan.listings["recent"][:20]:
        record = site.records[paper_id]
        when = record.date or (f"{record.year}" if record.year else None)
        if when is None:
            break
        entries.append({"title": markup.clean_text(record.title),
                        "url": base + paper_link(site, paper_id),
                        "updated": feed_time(when), "summary": record.tldr or "",
                        "authors": list(record.authors)})
    updated = entries[0]["updated"] if entries else "1970-01-01T00:00:00Z"
    return {"entries": entries, "updated": updated, "feed_url": base + "feed.xml",
            "home_url": base}


def feed_time(when: str) -> str:
    """Atom wants a full timestamp; a year or month stands for its first day."""
    parts = [*when.split("-"), "01", "01"][:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


VIEWS: dict[str, Callable[..., Context]] = {
    "paper": paper_view,
    "paper_json": paper_json_view,
    "citing": citing_view,
    "listing": listing_view,
    "terms": terms_view,
    "home": home_view,
    "editorial": editorial_view,
    "not_found": not_found_view,
    "sitemap": sitemap_view,
    "feed": feed_view,
}


def search_view(inputs: ViewInputs, key: str, number: int) -> Context:
    """The search page: its filters' labels come from the config alone (which every page's
    fingerprint holds); the values and counts of the rest come from the index
    (generator/search.py), which search.js reads."""
    config = inputs.site.config
    return {"roles": [label_dict(label) for label in config.roles],
            "polarities": [label_dict(label) for label in config.polarities]}


VIEWS["search"] = search_view
