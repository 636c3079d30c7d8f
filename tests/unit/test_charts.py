"""Chart geometry and the role x polarity table, with numbers worked out by hand."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import BuildOptions, build
from generator.charts import (
    CrossCell,
    CrossTable,
    cross_table,
    explorer_href,
    label_step,
    share_chart,
    y_scale,
    year_chart,
    year_groups,
)
from generator.config import Label, SiteConfig
from generator.graph import Link
from generator.hubs import YearCount as Y
from generator.hubs import axis_summary
from tests.golden import FIXTURES

CONFIG = SiteConfig()


def link(source: str, roles: tuple[str, ...] = (), polarity: str | None = None) -> Link:
    return Link(source, "target", roles, polarity, ())


# ----------------------------------------------------------------- role x polarity


@pytest.fixture
def three() -> CrossTable:
    """a: background + method, critical; b: method, supportive; c: nothing labelled."""
    return cross_table([link("a", ("background", "method"), "critical"),
                        link("b", ("method",), "supportive"),
                        link("c")], CONFIG.roles, CONFIG.polarities)


def counts(cells: tuple[CrossCell, ...]) -> list[int]:
    return [cell.count for cell in cells]


def test_cross_table_cells_and_totals(three: CrossTable) -> None:
    assert [c.key for c in three.columns] == ["supportive", "neutral", "critical",
                                              "unclassified"]
    assert [c.label for c in three.columns][-1] == "Unclassified"
    grid = {row.key: (counts(row.cells), row.total.count) for row in three.rows}
    assert grid == {  # supportive, neutral, critical, unclassified; row total
        "background": ([0, 0, 1, 0], 1),
        "method": ([1, 0, 1, 0], 2),
        "result": ([0, 0, 0, 0], 0),
        "unclassified": ([0, 0, 0, 1], 1),
    }
    # Columns count distinct papers: a sits in two rows of "critical" but counts once.
    assert counts(three.column_totals) == [1, 0, 1, 1]
    assert three.total.count == 3 == sum(counts(three.column_totals))
    assert three.several


def test_rows_add_up_and_columns_add_up_without_several_roles() -> None:
    table = cross_table([link("a", ("background",), "neutral"), link("b", ("method",)),
                         link("c", (), "critical"), link("d", ("background",), "neutral")],
                        CONFIG.roles, CONFIG.polarities)
    assert not table.several
    for row in table.rows:
        assert sum(counts(row.cells)) == row.total.count
    for index, total in enumerate(table.column_totals):
        assert sum(row.cells[index].count for row in table.rows) == total.count
    assert sum(row.total.count for row in table.rows) == table.total.count == 4
    assert table.rows[0].cells[1].count == 2  # background x neutral: a and d


def test_cross_table_links_set_the_explorer_filters(three: CrossTable) -> None:
    background, method, result, unclassified = three.rows
    assert background.cells[2].href == "?role=background&polarity=critical#explorer"
    assert unclassified.cells[3].href == "?role=unclassified&polarity=unclassified#explorer"
    assert background.cells[0].href is None  # nothing to show: no link
    assert result.total.href is None
    assert method.total.href == "?role=method#explorer"
    assert three.column_totals[0].href == "?polarity=supportive#explorer"
    assert three.column_totals[1].href is None
    assert three.total.href == "#explorer"
    assert explorer_href(None, None) == "#explorer"


def test_cross_table_follows_a_site_taxonomy() -> None:
    roles = (Label("uses", "Uses"), Label("extends", "Extends"))
    table = cross_table([link("a", ("extends", "uses"))], roles, (Label("pro", "Pro"),))
    assert [row.key for row in table.rows] == ["uses", "extends", "unclassified"]
    assert [c.key for c in table.columns] == ["pro", "unclassified"]
    assert [row.total.count for row in table.rows] == [1, 1, 0]


# ----------------------------------------------------------------- share charts


def test_stacked_bar_of_67_18_15_percent() -> None:
    # 30, 8, 7 of 45: 66.67, 17.78, 15.56 -> floors 66 + 17 + 15 = 98; the two biggest
    # remainders (.78 method, .67 background) get +1: 67, 18, 15. At 600 wide: 402, 108, 90.
    labels = [("background",)] * 30 + [("method",)] * 8 + [("result",)] * 7 + [()] * 5
    chart = share_chart("role", axis_summary(CONFIG.roles, labels))
    assert chart is not None and chart.stacked
    assert [(b.key, b.percent, b.x, b.width) for b in chart.bars] == [
        ("background", 67, 0, 402), ("method", 18, 402, 108), ("result", 15, 510, 90)]
    assert [b.text_x for b in chart.bars] == [201, 456, 555]
    assert all(b.show_text for b in chart.bars)
    assert (chart.width, chart.height) == (600, 28)
    assert chart.desc == ("Of 45 citing papers with a role: Background 67% (30), Method 18% (8), "
                          "Result 15% (7). 5 citing papers have no role.")


def test_stacked_bar_leaves_out_zero_segments_and_text_in_narrow_ones() -> None:
    # 7, 36, 2 of 45: 15.56, 80, 4.44 -> 16, 80, 4 (supportive's .56 is the biggest remainder)
    labels = [("supportive",)] * 7 + [("neutral",)] * 36 + [("critical",)] * 2
    chart = share_chart("polarity", axis_summary(CONFIG.polarities, labels))
    assert chart is not None
    assert [(b.percent, b.x, b.width, b.show_text) for b in chart.bars] == [
        (16, 0, 96, True), (80, 96, 480, True), (4, 576, 24, False)]
    assert chart.desc.endswith("Every citing paper has a polarity.")
    only = share_chart("polarity", axis_summary(CONFIG.polarities, [("neutral",)]))
    assert only is not None
    assert [(b.key, b.width) for b in only.bars] == [("neutral", 600)]


def test_several_roles_give_one_bar_per_label() -> None:
    # 3 labelled, 2 background and 2 method (one paper has both): 67% and 67%, half up.
    labels = [("background", "method"), ("background",), ("method",), ()]
    chart = share_chart("role", axis_summary(CONFIG.roles, labels))
    assert chart is not None and not chart.stacked
    assert [(b.percent, b.y, b.width, b.text_y) for b in chart.bars] == [
        (67, 17, 402, 13), (67, 51, 402, 47), (0, 85, 0, 81)]
    assert chart.height == 102
    assert "shares add up to more than 100%" in chart.desc
    assert chart.desc.endswith("1 citing paper has no role.")


def test_no_chart_when_nothing_is_labelled() -> None:
    assert share_chart("role", axis_summary(CONFIG.roles, [(), ()])) is None


# ----------------------------------------------------------------- per year


def test_a_gap_year_is_a_zero_bar() -> None:
    # 2019: 2, 2021: 1 -> bars 2019, 2020 (0), 2021. Plot 560 wide from x=36: slots of
    # 186.67, bars capped at 48; 132 high with its zero line at y=140; y scale 0, 1, 2.
    chart = year_chart([Y(2019, 2), Y(2021, 1)], unknown=1)
    assert chart is not None
    assert [(b.label, b.count) for b in chart.bars] == [("2019", 2), ("2020", 0), ("2021", 1)]
    assert [b.width for b in chart.bars] == [48, 48, 48]
    assert [b.text_x for b in chart.bars] == [129.33, 316, 502.67]
    assert [b.x for b in chart.bars] == [105.33, 292, 478.67]
    assert [(b.y, b.height) for b in chart.bars] == [(8, 132), (140, 0), (74, 66)]
    assert chart.top == 2
    assert [(t.value, t.y) for t in chart.ticks] == [(0, 140), (1, 74), (2, 8)]
    assert chart.desc == ("Citing papers per year, 2019 to 2021: 2019: 2, 2020: 0, 2021: 1. "
                          "1 citing paper has no year.")


def test_more_than_40_years_group_the_oldest() -> None:
    groups = year_groups([Y(year, 1) for year in range(1950, 2001)])  # 51 years
    assert len(groups) == 40
    assert groups[0] == (1950, 1961, 12)  # 2000 - 40 + 1 = 1961: 12 years in one bar
    assert groups[1] == (1962, 1962, 1)
    assert groups[-1] == (2000, 2000, 1)
    assert sum(count for _, _, count in groups) == 51
    chart = year_chart([Y(year, 1) for year in range(1950, 2001)], unknown=0)
    assert chart is not None and chart.bars[0].label == "1950\u20131961"
    assert sum(b.show_label for b in chart.bars) == 8  # every 5th, counted back from 2000
    assert chart.bars[-1].show_label and not chart.bars[-2].show_label


@pytest.mark.parametrize(("largest", "top", "ticks"), [
    (0, 1, (0, 1)), (1, 1, (0, 1)), (3, 3, (0, 1, 2, 3)), (7, 8, (0, 2, 4, 6, 8)),
    (12, 15, (0, 5, 10, 15)), (25, 30, (0, 10, 20, 30)), (100, 100, (0, 50, 100)),
])
def test_y_scale_rounds_the_max_up(largest: int, top: int, ticks: tuple[int, ...]) -> None:
    assert y_scale(largest) == (top, ticks)


@pytest.mark.parametrize(("bars", "step"), [(1, 1), (10, 1), (11, 2), (20, 2), (21, 5),
                                            (40, 5), (50, 5), (51, 10)])
def test_at_most_ten_year_labels(bars: int, step: int) -> None:
    assert label_step(bars) == step


def test_no_year_chart_without_years() -> None:
    assert year_chart([], unknown=3) is None


# ----------------------------------------------------------------- the built page


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.svgs: list[dict[str, str | None]] = []
        self.hrefs: list[str] = []
        self.styles = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids[str(values["id"])] += 1
        if tag == "svg":
            self.svgs.append(values)
        if tag == "a" and values.get("href"):
            self.hrefs.append(str(values["href"]))
        if tag in ("svg", "rect", "text", "line") and "style" in values:
            self.styles += 1


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("charts") / "site"
    report = build(BuildOptions(content=FIXTURES / "small" / "content", output=out))
    assert report.problems == []
    return out


def test_built_hub_page_has_the_charts_and_the_cross_table(small_site: Path) -> None:
    html = (small_site / "papers" / "vaswani2017" / "index.html").read_text()
    page = _Page()
    page.feed(html)
    assert len(page.svgs) == 3  # roles, polarity, per year
    for svg in page.svgs:
        assert svg["role"] == "img"
        title = str(svg["aria-labelledby"])
        assert re.search(rf'<title id="{title}">[^<]+</title>', html)
        assert f'<desc id="{svg["aria-describedby"]}">' in html
    assert [n for n, c in page.ids.items() if c > 1] == []  # ids are unique on the page
    assert page.styles == 0
    # vaswani2017 is cited by devlin2019 (method, supportive), 2005.14165 (background +
    # method, neutral), stub-2021 (background) and ext:9f1c (nothing).
    assert "Of 3 citing papers with a role (some have several" in html
    assert "Citing papers per year, 2019 to 2021: 2019: 1, 2020: 1, 2021: 1." in html
    assert '<caption>Citing papers by role (rows) and polarity (columns)' in html
    assert "?role=method&amp;polarity=supportive#explorer" in html
    assert "?role=background&polarity=unclassified#explorer" in page.hrefs
    assert "?role=unclassified&polarity=unclassified#explorer" in page.hrefs
    footer = re.search(r"<tfoot><tr><th scope=\"row\">Total</th>(.*?)</tr></tfoot>", html)
    assert footer is not None
    assert re.sub(r"<[^>]+>", " ", footer.group(1)).split() == ["1", "1", "0", "2", "4"]


def test_paper_without_a_hub_has_no_charts(small_site: Path) -> None:
    html = (small_site / "papers" / "stub-2021" / "index.html").read_text()
    assert "<svg" not in html and "cross-table" not in html
