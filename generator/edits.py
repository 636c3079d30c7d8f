"""Applying an edit of some records to a `Collection`, at a cost that follows the edit.

`load_collection` derives the graph, hubs and topics from every record. When a few
records change, `apply_edit` updates only what they reach: the changed papers' own
links, the citing lists and hubs of the papers they cite (before and after the edit),
and the topics only when a topic changed. The result equals `load_collection` on the
edited files (a test checks it after every kind of edit).

The cross-record rules of `validate` are checked here only for the edited records;
any break makes `check_edit` say why, and the caller falls back to a full build, which
reports every problem with its full message.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from generator.collection import Collection, group_topics
from generator.graph import CitationGraph, Link, merged_links
from generator.hubs import Hub, compute_hub
from generator.records import Record
from generator.urls import slugify


@dataclass(frozen=True, slots=True)
class Edit:
    """Records replaced, added or removed: by id, the new record or None when removed."""

    records: dict[str, Record | None]


@dataclass(frozen=True, slots=True)
class Change:
    """What an applied edit changed, for replanning and fingerprints."""

    records: frozenset[str]  # ids whose record was edited, added or removed
    cited: frozenset[str]  # ids cited by an edited paper, before or after the edit
    hubs: frozenset[str]  # ids whose hub changed, appeared or went
    ids_changed: bool  # papers were added or removed
    topics_changed: bool


def check_edit(site: Collection, edit: Edit) -> str | None:
    """Why the edited collection would break a rule of `validate`, or None."""
    ids = site.records.keys()
    kept = {i for i, r in edit.records.items() if r is not None}
    gone = {i for i, r in edit.records.items() if r is None}
    new_ids = sorted(i for i in kept if i not in ids)
    taken = {s.lower(): i for i, s in site.slugs.items() if i not in edit.records
             } if new_ids else {}
    for paper_id in new_ids:
        slug = slugify(paper_id)
        if not slug or taken.get(slug.lower(), paper_id) != paper_id:
            return f"id '{paper_id}' has no URL slug of its own"
        taken[slug.lower()] = paper_id
    for paper_id in sorted(kept):
        record = edit.records[paper_id]
        assert record is not None
        for citation in record.cites:
            known = citation.target in kept or (citation.target in ids
                                                and citation.target not in gone)
            if citation.target == paper_id or not known:
                return f"'{paper_id}' cites '{citation.target}', which cannot be cited"
    for paper_id in sorted(gone):
        if any(link.source not in edit.records for link in site.graph.citing(paper_id)):
            return f"removed paper '{paper_id}' is still cited"
    return None


def apply_edit(site: Collection, edit: Edit) -> tuple[Collection, Change]:
    """The collection after `edit` (which `check_edit` accepted), and what changed."""
    old = site.records
    changed = {i for i, r in edit.records.items() if old.get(i) != r}
    added = {i for i in changed if i not in old}
    gone = {i for i in changed if edit.records[i] is None}
    records = updated_records(old, edit, changed, bool(added or gone))
    graph, cited, relinked = updated_graph(site.graph, records, changed)
    # A hub reads its citing links and each citing paper's year and TL;DR: a new title
    # alone changes no hub, and most edits are like that.
    restated = {i for i in changed if hub_fields(old.get(i)) != hub_fields(records.get(i))}
    relinked.update(link.target for i in restated for g in (site.graph, graph)
                    for link in g.references(i))
    hubs, hub_changes = updated_hubs(site, records, graph, relinked)
    topics_changed = any(topics_of(old.get(i)) != topics_of(records.get(i)) for i in changed)
    slugs = site.slugs
    if added or gone:
        slugs = {i: s for i, s in slugs.items() if i not in gone}
        slugs.update((i, slugify(i)) for i in sorted(added))
    return replace(
        site, records=records, slugs=slugs, graph=graph, hubs=hubs,
        topics=group_topics(records) if topics_changed else site.topics,
    ), Change(frozenset(changed), frozenset(cited), frozenset(hub_changes),
              bool(added or gone), topics_changed)


def updated_records(old: dict[str, Record], edit: Edit, changed: set[str], reorder: bool
                    ) -> dict[str, Record]:
    records = dict(old)
    for paper_id in changed:
        record = edit.records[paper_id]
        if record is None:
            del records[paper_id]
        else:
            records[paper_id] = record
    # `Collection.records` is in id order; a new key would land at the end.
    return dict(sorted(records.items())) if reorder else records


def updated_graph(graph: CitationGraph, records: dict[str, Record], changed: set[str]
                  ) -> tuple[CitationGraph, set[str], set[str]]:
    """The graph with the changed papers' links replaced; the papers they cite(d); and
    those of them whose link from a changed paper is new, gone or different."""
    cites = dict(graph.cites)
    fresh: dict[str, list[Link]] = {}
    cited: set[str] = set()
    relinked: set[str] = set()
    for paper_id in changed:
        before = set(cites.pop(paper_id, ()))
        cited.update(link.target for link in before)
        record = records.get(paper_id)
        links: tuple[Link, ...] = ()
        if record is not None:
            cites[paper_id] = links = merged_links(paper_id, record.cites)
            for link in links:
                fresh.setdefault(link.target, []).append(link)
                cited.add(link.target)
        relinked.update(link.target for link in before.symmetric_difference(links))
    cited_by = dict(graph.cited_by)
    for target in cited:
        kept = [link for link in cited_by.pop(target, ()) if link.source not in changed]
        merged = sorted(kept + fresh.get(target, []), key=lambda link: link.source)
        if merged:
            cited_by[target] = tuple(merged)
    return CitationGraph(cited_by=cited_by, cites=cites), cited, relinked


def updated_hubs(site: Collection, records: dict[str, Record], graph: CitationGraph,
                 cited: set[str]) -> tuple[dict[str, Hub], set[str]]:
    """Hubs of the papers whose citing links changed, computed again; the rest kept."""
    hubs = dict(site.hubs)
    changes: set[str] = set()
    minimum = site.config.hub.min_citations
    for paper_id in cited:
        links = graph.citing(paper_id)
        hub = (compute_hub(paper_id, links, records, site.config)
               if len(links) >= minimum and paper_id in records else None)
        if hub != hubs.get(paper_id):
            changes.add(paper_id)
        if hub is None:
            hubs.pop(paper_id, None)
        else:
            hubs[paper_id] = hub
    if any(paper_id not in site.hubs for paper_id in changes & hubs.keys()):
        hubs = dict(sorted(hubs.items()))  # hubs are in id order; a new one went last
    return hubs, changes


def hub_fields(record: Record | None) -> tuple[int | None, bool] | None:
    """What `hubs.compute_hub` reads of a citing paper's record."""
    return None if record is None else (record.year, record.tldr is None)


def topics_of(record: Record | None) -> tuple[str, ...]:
    return record.topics if record is not None else ()
