"""Hub arithmetic: counts, shares, rounding, badge, summary line, representatives, years.

Rounding rule (documented for readers on the About page): a share is count over
the citing papers labelled on that axis. Percentages are whole numbers. When each
labelled citing paper has exactly one label on the axis (always for polarity), the
percentages are rounded with the largest-remainder method, so they add up to 100;
ties go to the label listed first in the taxonomy. When some citing papers carry
several roles, the shares add up to more than 100% and each is rounded half up on
its own.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.config import HubRules, Label, SiteConfig
from generator.graph import CitationGraph, Link
from generator.interning import shared
from generator.records import Record


@dataclass(frozen=True, slots=True)
class LabelShare:
    key: str
    label: str
    count: int  # citing papers with this label
    share: float  # count / labelled citing papers on this axis, 0..1 (0 when none labelled)
    percent: int  # share as a rounded whole percent (see the module's rounding rule)


@dataclass(frozen=True, slots=True)
class AxisSummary:
    """Counts on one axis (roles or polarity), in taxonomy order, zero counts included."""

    shares: tuple[LabelShare, ...]
    labelled: int  # citing papers with at least one label on this axis
    unclassified: int  # citing papers with none
    several: bool  # some citing paper carries several labels: shares exceed 100%

    @property
    def present(self) -> tuple[LabelShare, ...]:
        return tuple(share for share in self.shares if share.count)

    @property
    def top(self) -> LabelShare | None:
        """The most common label; ties go to the one listed first in the taxonomy."""
        best = max(self.shares, key=lambda s: s.count, default=None)
        return best if best is not None and best.count else None


@dataclass(frozen=True, slots=True)
class YearCount:
    year: int
    count: int


@dataclass(frozen=True, slots=True)
class Hub:
    paper_id: str
    citations: int  # distinct citing papers
    roles: AxisSummary
    polarities: AxisSummary
    badge: str
    summary: str
    dominant: bool  # the top role reaches `hub.dominant_share`
    representative: tuple[str, ...]  # citing ids, best first
    by_year: tuple[YearCount, ...]
    unknown_year: int  # citing papers without a year


def compute_hubs(
    records: Mapping[str, Record], graph: CitationGraph, config: SiteConfig
) -> dict[str, Hub]:
    """A `Hub` for every paper with at least `hub.min_citations` citing papers."""
    return {
        paper_id: compute_hub(paper_id, links, records, config)
        for paper_id, links in sorted(graph.cited_by.items())
        if len(links) >= config.hub.min_citations
    }


def compute_hub(
    paper_id: str, links: tuple[Link, ...], records: Mapping[str, Record], config: SiteConfig
) -> Hub:
    roles = axis_summary(config.roles, [link.roles for link in links])
    polarities = axis_summary(
        config.polarities, [(link.polarity,) if link.polarity else () for link in links]
    )
    dominant = is_dominant(roles, config.hub)
    years = [records[link.source].year for link in links]
    return Hub(
        paper_id=paper_id,
        citations=len(links),
        roles=roles,
        polarities=polarities,
        badge=sys.intern(badge(roles, dominant, config.hub)),
        summary=sys.intern(summary_line(roles, dominant, config.hub)),
        dominant=dominant,
        representative=representative(paper_id, links, records, config),
        by_year=tuple(shared(YearCount, year, count)
                      for year, count in sorted(Counter(filter(None, years)).items())),
        unknown_year=sum(1 for year in years if year is None),
    )


def axis_summary(taxonomy: tuple[Label, ...], labels: list[tuple[str, ...]]) -> AxisSummary:
    """Count each label once per citing paper; shares over the labelled ones."""
    counts = Counter(key for keys in labels for key in set(keys))
    labelled = sum(1 for keys in labels if keys)
    ordered = [counts.get(label.key, 0) for label in taxonomy]
    several = any(len(keys) > 1 for keys in labels)
    percents = (
        [half_up_percent(count, labelled) for count in ordered]
        if several
        else largest_remainder_percents(ordered, labelled)
    )
    shares = tuple(
        shared(LabelShare, label.key, label.label, count,
               round(count / labelled, 4) if labelled else 0.0, percent)
        for label, count, percent in zip(taxonomy, ordered, percents, strict=True)
    )
    return AxisSummary(shares, labelled, len(labels) - labelled, several)


def half_up_percent(count: int, total: int) -> int:
    """count/total as a whole percent, .5 rounded up (integer arithmetic, no float error)."""
    if total == 0:
        return 0
    return (200 * count + total) // (2 * total)


def largest_remainder_percents(counts: list[int], total: int) -> list[int]:
    """Whole percents that add to exactly 100 (when counts add to total)."""
    if total == 0:
        return [0] * len(counts)
    if sum(counts) != total:  # not a partition of the total: nothing to make add up
        return [half_up_percent(count, total) for count in counts]
    floors = [100 * count // total for count in counts]
    remainders = [100 * count % total for count in counts]
    missing = 100 - sum(floors)
    # Biggest remainder first; among equals, the label listed first.
    order = sorted(range(len(counts)), key=lambda i: (-remainders[i], i))
    for index in order[:missing]:
        floors[index] += 1
    return floors


def is_dominant(roles: AxisSummary, rules: HubRules) -> bool:
    top = roles.top
    if top is None or too_few_labelled(roles, rules):
        return False
    threshold = rules.dominant_fraction
    return top.count * threshold.denominator >= threshold.numerator * roles.labelled


def too_few_labelled(roles: AxisSummary, rules: HubRules) -> bool:
    """Real collections label a handful of a hub's citations (BLEU: 3 of 438 in the ACL
    sample); a share of so few says nothing, so such a hub gets no role verdict."""
    return roles.labelled < rules.min_citations


def badge(roles: AxisSummary, dominant: bool, rules: HubRules) -> str:
    top = roles.top
    if top is None or too_few_labelled(roles, rules):
        return "Unclassified citations"
    return f"{top.label} citations" if dominant else "Mixed citations"


def summary_line(roles: AxisSummary, dominant: bool, rules: HubRules) -> str:
    top = roles.top
    if top is None:
        return "No citation roles labelled yet."
    if too_few_labelled(roles, rules):
        citing = roles.labelled + roles.unclassified
        verb = "has" if roles.labelled == 1 else "have"
        return (f"Too few labelled citations to summarise: {roles.labelled} of {citing} "
                f"citing papers {verb} a role.")
    behaviour = "Consistent citation behavior." if dominant else "Mixed citation behavior."
    # When most citing papers are unlabelled, say how few the share rests on.
    basis = f" of {roles.labelled} labelled" if roles.unclassified > roles.labelled else ""
    return f"{behaviour} Most common role is {top.label.lower()} ({top.percent}%{basis})."


def representative(
    paper_id: str, links: tuple[Link, ...], records: Mapping[str, Record], config: SiteConfig
) -> tuple[str, ...]:
    """Up to `hub.representative` citing papers covering every label present.

    Each citing paper has a rank of its own (has a TL;DR, is labelled, then a
    hash of the hub and citing ids), so adding or editing an unrelated paper never
    reshuffles the choice. First the best-ranked paper for each label present
    (roles, then polarities, in taxonomy order), then the best of the rest.
    """
    limit = config.hub.representative
    ranked = sorted(links, key=lambda link: rank(paper_id, link, records[link.source]))
    chosen: dict[str, None] = {}
    wanted = [(True, label.key) for label in config.roles]
    wanted += [(False, label.key) for label in config.polarities]
    for is_role, key in wanted:
        if len(chosen) >= limit:
            break
        match = next((link.source for link in ranked if link.source not in chosen and
                      (key in link.roles if is_role else link.polarity == key)), None)
        if match is not None:
            chosen[match] = None
    for link in ranked:
        if len(chosen) >= limit:
            break
        chosen.setdefault(link.source, None)
    position = {link.source: index for index, link in enumerate(ranked)}
    return tuple(sorted(chosen, key=position.__getitem__))


def rank(paper_id: str, link: Link, record: Record) -> tuple[bool, bool, str]:
    unlabelled = not link.roles and link.polarity is None
    tiebreak = hashlib.sha1(f"{paper_id}\0{link.source}".encode()).hexdigest()
    return (record.tldr is None, unlabelled, tiebreak)


def ranked_for_label(
    hubs: Iterable[Hub], records: Mapping[str, Record], key: str, axis: str
) -> list[tuple[Hub, LabelShare]]:
    """Hubs citing with `key` on `axis`, by share then count (e.g. the most criticised)."""
    found = []
    for hub in hubs:
        summary = hub.roles if axis == "role" else hub.polarities
        share = next(s for s in summary.shares if s.key == key)
        if share.count:
            found.append((hub, share))
    found.sort(key=lambda item: (-item[1].share, -item[1].count,
                                 records[item[0].paper_id].title, item[0].paper_id))
    return found
