"""Inline SVG charts of a hub, made at build time, and its role x polarity table.

Every number and coordinate is decided here; the theme's `partials/charts.html` only
lays them out. Coordinates are in SVG user units (the charts scale with the page), and
rounded to two decimals so output is stable.

- Share charts draw the same whole percents the role and polarity tables show. When
  every labelled citing paper has one label on the axis the percents add up to 100 and
  the chart is one stacked bar; when some carry several roles they add up to more, so
  the chart is one bar per label, each on its own 0..100% track.
- The per-year chart has a bar for every year from the first to the last citing year,
  zero included; with more than `MAX_YEAR_BARS` years the oldest share one bar.
- The cross-table counts distinct citing papers for each role (rows) and polarity
  (columns), with an unclassified row and column. A citing paper with several roles
  counts in each of its rows, so a column's cells can add up to more than its total;
  totals count distinct citing papers, and the grand total is the hub's citing papers.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from generator.collection import Collection
from generator.config import Label
from generator.graph import Link
from generator.hubs import AxisSummary, Hub, YearCount

UNCLASSIFIED = "unclassified"  # the explorer filter value for "no label on this axis"
PALETTE = 6  # colours the theme has per axis (citehub.css r0-r5, p0-p5), used by position

SHARE_WIDTH = 600  # width of a share bar at 100%
STACK_HEIGHT = 28  # height of the stacked bar
STACK_TEXT_MIN = 36  # narrowest segment that still shows its percent inside
ROW_HEIGHT = 34  # one label of a bar-per-label chart: text line, then the bar
ROW_BAR_Y = 17  # offset of the bar inside its row
ROW_BAR_HEIGHT = 12

MAX_YEAR_BARS = 40
YEAR_WIDTH = 600
YEAR_HEIGHT = 160
YEAR_PLOT_LEFT = 36  # room for the y-axis numbers
YEAR_PLOT_TOP = 8
YEAR_PLOT_BOTTOM = 20  # room for the year labels
YEAR_BAR_MAX = 48  # a bar never gets wider than this, however few years there are
YEAR_MAX_LABELS = 10


def _r(value: float) -> float:
    """Two decimals, and no ".0" on whole numbers (they are most coordinates)."""
    rounded = round(float(value), 2)
    return int(rounded) if rounded.is_integer() else rounded


# ----------------------------------------------------------------- share charts


@dataclass(frozen=True, slots=True)
class ShareBar:
    key: str
    label: str
    count: int
    percent: int
    series: int  # the colour: position in the taxonomy, modulo PALETTE
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float
    show_text: bool  # a stacked segment wide enough to hold its percent


@dataclass(frozen=True, slots=True)
class ShareChart:
    axis: str  # "role" or "polarity"
    stacked: bool  # one stacked bar (percents add to 100) or one bar per label
    width: int
    height: int
    track_width: int  # a bar at 100%
    bars: tuple[ShareBar, ...]
    labelled: int
    unclassified: int
    title: str
    desc: str

    @property
    def caption(self) -> str:
        return "Role shares" if self.axis == "role" else "Polarity shares"

    @property
    def prefix(self) -> str:
        """The bars' colour class is this and their series (`r0`, `p2`), as on badges."""
        return self.axis[0]


def share_chart(axis: str, summary: AxisSummary) -> ShareChart | None:
    """The chart of one axis ("role" or "polarity"); None when nothing is labelled on it."""
    if not summary.labelled:
        return None
    stacked = not summary.several
    bars = stacked_bars(summary) if stacked else row_bars(summary)
    height = STACK_HEIGHT if stacked else ROW_HEIGHT * len(summary.shares)
    parts = ", ".join(f"{s.label} {s.percent}% ({s.count})" for s in summary.shares)
    several = (" (some have several, so the shares add up to more than 100%)"
               if summary.several else "")
    none = summary.unclassified
    desc = (f"Of {summary.labelled} citing {papers(summary.labelled)} with a {axis}{several}: "
            f"{parts}. " + (f"{none} citing {papers(none)} {'has' if none == 1 else 'have'} "
                            f"no {axis}." if none else f"Every citing paper has a {axis}."))
    return ShareChart(axis=axis, stacked=stacked, width=SHARE_WIDTH, height=height,
                      track_width=SHARE_WIDTH, bars=bars, labelled=summary.labelled,
                      unclassified=none, title=f"Citation {axis} shares", desc=desc)


def stacked_bars(summary: AxisSummary) -> tuple[ShareBar, ...]:
    """Segments side by side, each as wide as its rounded percent; zero ones left out."""
    bars = []
    x = 0.0
    for series, share in enumerate(summary.shares):
        width = share.percent * SHARE_WIDTH / 100
        if width > 0:
            bars.append(ShareBar(share.key, share.label, share.count, share.percent,
                                 series % PALETTE,
                                 x=_r(x), y=0, width=_r(width), height=STACK_HEIGHT,
                                 text_x=_r(x + width / 2), text_y=STACK_HEIGHT / 2 + 4.5,
                                 show_text=width >= STACK_TEXT_MIN))
        x += width
    return tuple(bars)


def row_bars(summary: AxisSummary) -> tuple[ShareBar, ...]:
    """One row per label in taxonomy order (zero ones too): its text, then its bar."""
    return tuple(
        ShareBar(share.key, share.label, share.count, share.percent, series % PALETTE,
                 x=0, y=index * ROW_HEIGHT + ROW_BAR_Y,
                 width=_r(share.percent * SHARE_WIDTH / 100), height=ROW_BAR_HEIGHT,
                 text_x=0, text_y=index * ROW_HEIGHT + 13, show_text=True)
        for index, (series, share) in enumerate(enumerate(summary.shares))
    )


def papers(count: int) -> str:
    return "paper" if count == 1 else "papers"


# ----------------------------------------------------------------- citations per year


@dataclass(frozen=True, slots=True)
class YearBar:
    first: int
    last: int  # equal to `first` but for the bar grouping the oldest years
    count: int
    x: float
    y: float
    width: float
    height: float
    text_x: float  # centre of the bar, for its year label
    show_label: bool  # labelled on the x axis (at most `YEAR_MAX_LABELS` are)

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}\u2013{self.last}"


@dataclass(frozen=True, slots=True)
class Tick:
    value: int
    y: float
    text_y: float  # baseline of its number, beside the line


@dataclass(frozen=True, slots=True)
class YearChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    tick_x: float  # right end of the y-axis numbers
    baseline: float  # y of the zero line
    label_y: float  # baseline of the year labels
    top: int  # the y scale's maximum, a round number at or above the largest count
    ticks: tuple[Tick, ...]
    bars: tuple[YearBar, ...]
    unknown: int  # citing papers without a year (not in the chart)
    title: str
    desc: str


def year_groups(by_year: Iterable[YearCount], limit: int = MAX_YEAR_BARS
                ) -> list[tuple[int, int, int]]:
    """(first, last, count) per bar: every year from the first to the last, zeros included,
    and, past `limit` years, the oldest grouped into one bar so there are `limit` bars."""
    counts = {entry.year: entry.count for entry in by_year}
    if not counts:
        return []
    first, last = min(counts), max(counts)
    groups = []
    if last - first + 1 > limit:
        older_last = last - limit + 1
        groups.append((first, older_last, sum(n for y, n in counts.items() if y <= older_last)))
        first = older_last + 1
    groups += [(year, year, counts.get(year, 0)) for year in range(first, last + 1)]
    return groups


def nice_step(largest: int, intervals: int = 4) -> int:
    """The smallest 1, 2 or 5 times a power of ten that covers `largest` in `intervals` steps."""
    needed = max(largest, 1) / intervals
    power = 1
    while True:
        for factor in (1, 2, 5):
            if factor * power >= needed:
                return factor * power
        power *= 10


def y_scale(largest: int) -> tuple[int, tuple[int, ...]]:
    """(top, tick values): `top` is the largest count rounded up to a whole step."""
    step = nice_step(largest)
    top = step * max(1, math.ceil(largest / step))
    return top, tuple(range(0, top + 1, step))


def label_step(bars: int) -> int:
    """Label every year, or every 2nd, 5th, 10th... so at most `YEAR_MAX_LABELS` show."""
    step = 1
    while math.ceil(bars / step) > YEAR_MAX_LABELS:
        step = nice_step(step + 1, 1)
    return step


def year_chart(by_year: Iterable[YearCount], unknown: int) -> YearChart | None:
    groups = year_groups(by_year)
    if not groups:
        return None
    top, tick_values = y_scale(max(count for _, _, count in groups))
    plot_right = YEAR_WIDTH - 4
    plot_width = plot_right - YEAR_PLOT_LEFT
    plot_height = YEAR_HEIGHT - YEAR_PLOT_TOP - YEAR_PLOT_BOTTOM
    baseline = YEAR_PLOT_TOP + plot_height
    slot = plot_width / len(groups)
    bar_width = min(slot * 0.8, YEAR_BAR_MAX)
    step = label_step(len(groups))
    bars = []
    for index, (first, last, count) in enumerate(groups):
        height = count * plot_height / top
        centre = YEAR_PLOT_LEFT + slot * (index + 0.5)
        bars.append(YearBar(first, last, count, x=_r(centre - bar_width / 2),
                            y=_r(baseline - height), width=_r(bar_width), height=_r(height),
                            text_x=_r(centre), show_label=(len(groups) - 1 - index) % step == 0))
    ticks = tuple(Tick(value, _r(y), _r(y + 4)) for value in tick_values
                  for y in [baseline - value * plot_height / top])
    span = (f"{groups[0][0]} to {groups[-1][1]}" if groups[0][0] != groups[-1][1]
            else str(groups[0][0]))
    parts = ", ".join(f"{bar.label}: {bar.count}" for bar in bars)
    desc = f"Citing papers per year, {span}: {parts}."
    if unknown:
        desc += f" {unknown} citing {papers(unknown)} {'has' if unknown == 1 else 'have'} no year."
    return YearChart(width=YEAR_WIDTH, height=YEAR_HEIGHT, plot_left=YEAR_PLOT_LEFT,
                     plot_right=plot_right, tick_x=YEAR_PLOT_LEFT - 6, baseline=baseline,
                     label_y=YEAR_HEIGHT - 5,
                     top=top, ticks=ticks, bars=tuple(bars), unknown=unknown,
                     title="Citations per year", desc=desc)


# ----------------------------------------------------------------- role x polarity


@dataclass(frozen=True, slots=True)
class CrossCell:
    count: int
    href: str | None  # the explorer filtered to these papers; None for an empty cell


@dataclass(frozen=True, slots=True)
class CrossRow:
    key: str
    label: str
    cells: tuple[CrossCell, ...]  # one per column
    total: CrossCell  # distinct citing papers with this role: the sum of the row


@dataclass(frozen=True, slots=True)
class CrossTable:
    columns: tuple[Label, ...]  # polarities, then Unclassified
    rows: tuple[CrossRow, ...]  # roles, then Unclassified
    column_totals: tuple[CrossCell, ...]  # distinct citing papers with that polarity
    total: CrossCell  # every citing paper
    several: bool  # some citing paper has several roles: columns can add up to more


def explorer_href(role: str | None, polarity: str | None) -> str:
    """The hub page's explorer with filters set (query on the same page, read by its script)."""
    query = "&".join(f"{name}={value}" for name, value in
                     (("role", role), ("polarity", polarity)) if value is not None)
    return f"?{query}#explorer" if query else "#explorer"


def cross_cell(count: int, role: str | None, polarity: str | None) -> CrossCell:
    return CrossCell(count, explorer_href(role, polarity) if count else None)


def cross_table(links: Iterable[Link], roles: tuple[Label, ...],
                polarities: tuple[Label, ...]) -> CrossTable:
    """Distinct citing papers per (role, polarity), with unclassified row and column."""
    none = Label(UNCLASSIFIED, "Unclassified")
    columns = (*polarities, none)
    cells: Counter[tuple[str, str]] = Counter()
    row_counts: Counter[str] = Counter()
    column_counts: Counter[str] = Counter()
    citing = 0
    several = False
    for link in links:
        citing += 1
        keys = tuple(dict.fromkeys(link.roles)) or (UNCLASSIFIED,)
        several = several or len(keys) > 1
        polarity = link.polarity or UNCLASSIFIED
        column_counts[polarity] += 1
        for role in keys:
            cells[role, polarity] += 1
            row_counts[role] += 1
    rows = tuple(
        CrossRow(role.key, role.label,
                 tuple(cross_cell(cells[role.key, polarity.key], role.key, polarity.key)
                       for polarity in columns),
                 cross_cell(row_counts[role.key], role.key, None))
        for role in (*roles, none)
    )
    return CrossTable(
        columns=columns,
        rows=rows,
        column_totals=tuple(cross_cell(column_counts[p.key], None, p.key) for p in columns),
        total=cross_cell(citing, None, None),
        several=several,
    )


# ----------------------------------------------------------------- the hub's charts


def hub_charts(site: Collection, hub: Hub) -> dict[str, object]:
    """The finished chart values the theme's charts partial lays out."""
    config = site.config
    return {
        "roles": share_chart("role", hub.roles),
        "polarities": share_chart("polarity", hub.polarities),
        "years": year_chart(hub.by_year, hub.unknown_year),
        "cross": cross_table(site.graph.citing(hub.paper_id), config.roles, config.polarities),
    }
