"""The cited-by index: for each paper, the papers citing it, one link per citing paper."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from generator.records import Citation, Record


@dataclass(frozen=True, slots=True)
class Link:
    """What one citing paper says about one cited paper, merged over its cites entries.

    A paper that cites another twice counts once: its roles are the union (in
    first-seen order), its contexts concatenated, and its polarity the first one given.
    """

    source: str  # id of the citing paper
    target: str  # id of the cited paper
    roles: tuple[str, ...]
    polarity: str | None
    contexts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CitationGraph:
    cited_by: dict[str, tuple[Link, ...]]  # target id -> links sorted by citing id
    cites: dict[str, tuple[Link, ...]]  # source id -> links in the record's order

    def citing(self, paper_id: str) -> tuple[Link, ...]:
        return self.cited_by.get(paper_id, ())

    def references(self, paper_id: str) -> tuple[Link, ...]:
        return self.cites.get(paper_id, ())


def build_graph(records: list[Record]) -> CitationGraph:
    cited_by: defaultdict[str, list[Link]] = defaultdict(list)
    cites: dict[str, tuple[Link, ...]] = {}
    for record in records:
        links = merged_links(record.id, record.cites)
        cites[record.id] = links
        for link in links:
            cited_by[link.target].append(link)
    return CitationGraph(
        cited_by={target: tuple(sorted(links, key=lambda link: link.source))
                  for target, links in cited_by.items()},
        cites=cites,
    )


def merged_links(source: str, citations: tuple[Citation, ...]) -> tuple[Link, ...]:
    by_target: dict[str, list[Citation]] = {}
    for citation in citations:
        by_target.setdefault(citation.target, []).append(citation)
    links = []
    for target, group in by_target.items():
        if len(group) == 1:  # the usual case: nothing to merge
            only = group[0]
            links.append(Link(source, target, only.roles, only.polarity, only.contexts))
            continue
        roles = tuple(dict.fromkeys(role for c in group for role in c.roles))
        polarity = next((c.polarity for c in group if c.polarity), None)
        contexts = tuple(context for c in group for context in c.contexts)
        links.append(Link(source, target, roles, polarity, contexts))
    return tuple(links)
