"""Hub arithmetic with numbers worked out by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from generator.config import HubRules, SiteConfig
from generator.graph import build_graph
from generator.hubs import (
    Hub,
    compute_hubs,
    half_up_percent,
    largest_remainder_percents,
)
from generator.problems import SourceLine
from generator.records import Citation, Record

HERE = SourceLine("test", 1)
TARGET = "target"


def citing(paper_id: str, roles: tuple[str, ...] = (), polarity: str | None = None,
           year: int | None = None, tldr: str | None = "A finding.") -> Record:
    cite = Citation(TARGET, roles, polarity, (), 1)
    return Record(id=paper_id, title=f"Paper {paper_id}", at=HERE, cites=(cite,), year=year,
                  tldr=tldr)


def hub_of(*papers: Record, config: SiteConfig | None = None) -> Hub:
    config = config or SiteConfig()
    records = {r.id: r for r in [Record(id=TARGET, title="Target", at=HERE), *papers]}
    hubs = compute_hubs(records, build_graph(list(records.values())), config)
    return hubs[TARGET]


def counts(hub: Hub) -> dict[str, tuple[int, int]]:
    """label -> (count, percent), both axes."""
    rows = [*hub.roles.shares, *hub.polarities.shares]
    return {row.key: (row.count, row.percent) for row in rows}


def test_background_at_67_percent_is_mixed() -> None:
    # 2 of 3 labelled citing papers are background: 66.67% -> 67%; method 33.33% -> 33%.
    # Largest remainder: floors 66 + 33 + 0 = 99; remainders 2/3 > 1/3, so background gets +1.
    hub = hub_of(
        citing("a", ("background",), "neutral"),
        citing("b", ("background",), "supportive"),
        citing("c", ("method",), "neutral"),
        citing("d"),  # unlabelled on both axes
    )
    assert hub.citations == 4
    assert counts(hub)["background"] == (2, 67)
    assert counts(hub)["method"] == (1, 33)
    assert counts(hub)["result"] == (0, 0)
    assert hub.roles.labelled == 3
    assert hub.roles.unclassified == 1
    assert hub.badge == "Mixed citations"
    assert hub.summary == "Mixed citation behavior. Most common role is background (67%)."
    assert [s.share for s in hub.roles.shares] == [0.6667, 0.3333, 0.0]
    # Polarity: neutral 2 of 3 (67%), supportive 1 of 3 (33%), 1 unclassified.
    assert counts(hub)["neutral"] == (2, 67)
    assert counts(hub)["supportive"] == (1, 33)
    assert hub.polarities.unclassified == 1


def test_reference_hub_numbers() -> None:
    # The shipped reference: 30 background, 8 method, 7 result, 5 unlabelled (45 labelled).
    # 3000/45 = 66.67, 800/45 = 17.78, 700/45 = 15.56: floors 66+17+15 = 98, remainders
    # 30, 35, 25 (of 45): method and background get the two missing points -> 67, 18, 15.
    papers = [citing(f"b{i:02}", ("background",)) for i in range(30)]
    papers += [citing(f"m{i}", ("method",)) for i in range(8)]
    papers += [citing(f"r{i}", ("result",)) for i in range(7)]
    papers += [citing(f"u{i}") for i in range(5)]
    hub = hub_of(*papers)
    assert [(s.count, s.percent) for s in hub.roles.shares] == [(30, 67), (8, 18), (7, 15)]
    assert hub.roles.unclassified == 5
    assert hub.summary == "Mixed citation behavior. Most common role is background (67%)."
    assert hub.badge == "Mixed citations"


def test_dominant_role_names_the_badge() -> None:
    # 3 of 4 labelled are method: 75% >= 70%.
    hub = hub_of(
        citing("a", ("method",)),
        citing("b", ("method",)),
        citing("c", ("method",)),
        citing("d", ("result",)),
    )
    assert counts(hub)["method"] == (3, 75)
    assert hub.dominant
    assert hub.badge == "Method citations"
    assert hub.summary == "Consistent citation behavior. Most common role is method (75%)."


@pytest.mark.parametrize(
    ("top", "others", "dominant"),
    [(7, 3, True), (69, 31, False), (70, 30, True), (2, 1, False)],
    ids=["7-of-10-exactly-at-threshold", "69-of-100-below", "70-of-100-at", "2-of-3-below"],
)
def test_threshold_is_exact(top: int, others: int, dominant: bool) -> None:
    papers = [citing(f"t{i:03}", ("result",)) for i in range(top)]
    papers += [citing(f"o{i:03}", ("background",)) for i in range(others)]
    assert hub_of(*papers).dominant is dominant


def test_threshold_comes_from_config() -> None:
    config = replace(SiteConfig(), hub=HubRules(dominant_share=0.6))
    hub = hub_of(citing("a", ("method",)), citing("b", ("method",)), citing("c", ("result",)),
                 config=config)
    assert hub.badge == "Method citations"  # 2 of 3 = 0.667 >= 0.6


def test_several_roles_count_once_each_and_exceed_100() -> None:
    # a: background+method, b: method, c: result -> labelled 3.
    # background 1/3 -> 33, method 2/3 -> 67, result 1/3 -> 33: 133% in all, each half up.
    hub = hub_of(
        citing("a", ("background", "method")),
        citing("b", ("method",)),
        citing("c", ("result",)),
    )
    assert hub.roles.several
    assert [(s.count, s.percent) for s in hub.roles.shares] == [(1, 33), (2, 67), (1, 33)]
    assert hub.summary == "Mixed citation behavior. Most common role is method (67%)."


def test_a_paper_citing_twice_counts_once_per_role() -> None:
    twice = Record(id="a", title="A", at=HERE, cites=(
        Citation(TARGET, ("background",), "neutral", ("first",), 1),
        Citation(TARGET, ("background", "method"), "critical", ("second",), 2),
    ))
    hub = hub_of(twice, citing("b", ("method",)), citing("c", ("method",)))
    assert hub.citations == 3
    assert counts(hub)["background"][0] == 1
    assert counts(hub)["method"][0] == 3
    assert counts(hub)["neutral"] == (1, 100)  # the first polarity given wins
    assert counts(hub)["critical"] == (0, 0)


def test_unlabelled_hub() -> None:
    hub = hub_of(citing("a"), citing("b"), citing("c"))
    assert hub.badge == "Unclassified citations"
    assert hub.summary == "No citation roles labelled yet."
    assert hub.roles.unclassified == 3
    assert all(s.percent == 0 for s in hub.roles.shares)


def test_too_few_labelled_citations_get_no_verdict() -> None:
    # 2 of 5 citing papers labelled, both method: 100% of 2 is below min_citations (3).
    hub = hub_of(citing("a", ("method",)), citing("b", ("method",)), citing("c"),
                 citing("d"), citing("e"))
    assert counts(hub)["method"] == (2, 100)
    assert not hub.dominant
    assert hub.badge == "Unclassified citations"
    assert hub.summary == ("Too few labelled citations to summarise: 2 of 5 citing papers "
                           "have a role.")


def test_summary_says_how_few_labelled_when_most_are_not() -> None:
    # 3 labelled (all result) of 7: 100%, but 4 unclassified outnumber them.
    papers = [citing(f"r{i}", ("result",)) for i in range(3)]
    hub = hub_of(*papers, *(citing(f"u{i}") for i in range(4)))
    assert hub.badge == "Result citations"
    assert hub.summary == ("Consistent citation behavior. Most common role is result "
                           "(100% of 3 labelled).")


def test_min_citations() -> None:
    config = SiteConfig()
    records = {r.id: r for r in [Record(id=TARGET, title="T", at=HERE), citing("a"),
                                 citing("b")]}
    assert compute_hubs(records, build_graph(list(records.values())), config) == {}


@pytest.mark.parametrize(
    ("counts_", "total", "expected"),
    [
        ([1, 1, 1], 3, [34, 33, 33]),  # ties go to the first label
        ([2, 1, 0], 3, [67, 33, 0]),
        ([1, 1, 1, 1, 1, 1], 6, [17, 17, 17, 17, 16, 16]),
        ([30, 8, 7], 45, [67, 18, 15]),
        ([0, 0], 0, [0, 0]),
        ([1], 8, [13]),  # not a partition of the total: each rounded half up
    ],
    ids=["thirds", "two-thirds", "sixths", "reference", "none", "partial"],
)
def test_largest_remainder(counts_: list[int], total: int, expected: list[int]) -> None:
    assert largest_remainder_percents(counts_, total) == expected


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [(1, 8, 13), (1, 3, 33), (2, 3, 67), (1, 200, 1), (1, 201, 0), (0, 0, 0)],
    ids=["12.5-up", "33.3", "66.7", "0.5-up", "0.497-down", "empty"],
)
def test_half_up(count: int, total: int, expected: int) -> None:
    assert half_up_percent(count, total) == expected


def test_by_year() -> None:
    hub = hub_of(citing("a", year=2021), citing("b", year=2023), citing("c", year=2021),
                 citing("d"))
    assert [(y.year, y.count) for y in hub.by_year] == [(2021, 2), (2023, 1)]
    assert hub.unknown_year == 1


def test_representatives_cover_every_label_present() -> None:
    config = replace(SiteConfig(), hub=HubRules(representative=3))
    papers = [citing(f"b{i}", ("background",), "neutral") for i in range(10)]
    papers.append(citing("crit", ("background",), "critical"))
    papers.append(citing("res", ("result",), "neutral", tldr=None))
    hub = hub_of(*papers, config=config)
    assert len(hub.representative) == 3
    assert "crit" in hub.representative  # the only critical one
    assert "res" in hub.representative  # the only result one, although it lacks a TL;DR


def test_representatives_prefer_tldr_and_are_stable() -> None:
    config = replace(SiteConfig(), hub=HubRules(representative=2))
    with_tldr = [citing(f"t{i}", ("background",)) for i in range(3)]
    without = [citing(f"n{i}", ("background",), tldr=None) for i in range(3)]
    first = hub_of(*with_tldr, *without, config=config).representative
    assert all(paper_id.startswith("t") for paper_id in first)
    # An unrelated, lower-ranked paper joining does not reshuffle the choice.
    again = hub_of(*with_tldr, *without, citing("n9", ("background",), tldr=None),
                   config=config).representative
    assert again == first
