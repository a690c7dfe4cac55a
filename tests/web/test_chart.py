"""The server-made SVG chart: dates from TIMEX values, ticks, one link per point, escaping."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from newsfacts.web.chart import Point, chart_scale, log_ticks, nice_ticks, number_chart, timex_date

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2021-12-09", dt.date(2021, 12, 9)), ("2014", dt.date(2014, 1, 1)), ("2021-W49", dt.date(2021, 12, 6)),
     ("2021-07", dt.date(2021, 7, 1)), ("2021-12-09T10:00", dt.date(2021, 12, 9)), ("PRESENT_REF", None),
     ("P1Y", None), (None, None), ("2021-13-40", None)],
)
def test_timex_date_table(value: str | None, expected: dt.date | None) -> None:
    assert timex_date(value) == expected


@pytest.mark.parametrize(("low", "high", "expected"), [(0, 2500, [0, 500, 1000, 1500, 2000, 2500]), (0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
                                                       (5, 5, [5, 6, 7, 8, 9, 10])])
def test_nice_ticks_table(low: float, high: float, expected: list[float]) -> None:
    assert nice_ticks(low, high) == pytest.approx(expected)


def test_number_chart_links_every_point_to_its_sentence() -> None:
    points = [
        Point(dt.date(2021, 12, 9), 2500, 2500, "John Kirby", "/articles/a#s-10", "2,500 <troops>"),
        Point(dt.date(2020, 1, 1), 3000, 5200, "Pentagon & co", "/articles/b%2Fc#s-0", "3,000–5,200"),
    ]
    svg = str(number_chart(points, title='Troops "in" <Iraq>', unit="troops"))
    root = ET.fromstring(svg)  # well-formed XML: every piece of text escaped
    links = root.findall(f"{SVG}a")
    assert [a.get("href") for a in links] == ["/articles/b%2Fc#s-0", "/articles/a#s-10"]
    assert all(a.find(f"{SVG}circle") is not None for a in links)
    assert root.find(f"{SVG}title").text == 'Troops "in" <Iraq>'
    assert "Pentagon &amp; co" in svg


def test_number_chart_empty_is_empty() -> None:
    assert str(number_chart([], title="x")) == ""


def _legend(points: list[Point]) -> list[tuple[str, str]]:
    root = ET.fromstring(str(number_chart(points, title="t")))
    texts = [t.text for t in root.findall(f"{SVG}text") if t.get("class") == "legend"]
    dots = [c.get("fill") for c in root.findall(f"{SVG}circle")]  # the points' circles sit inside their links
    return list(zip(texts, dots))


@pytest.mark.parametrize(
    ("sources", "expected"),
    [(["A", "B", "A"], [("A", "#1f5fa8"), ("B", "#b3470b")]),
     # ten sources: the seven with most points get colors (in order of first appearance), three share the grey
     (["S0"] * 3 + ["S1"] * 3 + [f"S{i}" for i in range(2, 10)] + ["S9"] * 2,
      [("S0", "#1f5fa8"), ("S1", "#b3470b"), ("S2", "#2a7d2e"), ("S3", "#8e2c8a"), ("S4", "#8a6d00"), ("S5", "#0f7c7c"),
       ("S9", "#a4243b"), ("3 other sources", "#8c959f")])],
)
def test_number_chart_legend_names_few_sources_table(sources: list[str], expected: list[tuple[str, str]]) -> None:
    points = [Point(dt.date(2020, 1, 1 + i), 1, 1, s, f"/articles/x#s-{i}", s) for i, s in enumerate(sources)]
    assert _legend(points) == expected


def test_number_chart_draws_repeated_reports_as_one_bigger_point() -> None:
    same = [Point(dt.date(2021, 1, 1), 5, 5, "AP", f"/articles/{i}#s-0", "5 · AP") for i in range(3)]
    other = Point(dt.date(2021, 1, 1), 6, 6, "AP", "/articles/x#s-0", "6 · AP")
    root = ET.fromstring(str(number_chart([*same, other], title="t")))
    links = root.findall(f"{SVG}a")
    assert [(a.get("href"), a.find(f"{SVG}title").text, a.find(f"{SVG}circle").get("r")) for a in links] == [
        ("/articles/0#s-0", "5 · AP (and 2 more reports of this value that day)", "7.58496"), ("/articles/x#s-0", "6 · AP", "6")]


def test_number_chart_is_a_named_group_with_its_own_title_id() -> None:
    point = Point(dt.date(2021, 1, 1), 5, 5, "AP", "/articles/x#s-0", "5 · AP")
    root = ET.fromstring(str(number_chart([point], title="Troops", chart_id="chart-2")))
    assert (root.get("role"), root.get("aria-labelledby"), root.find(f"{SVG}title").get("id")) == ("group", "chart-2-title", "chart-2-title")


def _points(*values: float) -> list[Point]:
    return [Point(dt.date(2021, 1, 1 + i), v, v, "s", f"/articles/a#s-{i}", str(v)) for i, v in enumerate(values)]


@pytest.mark.parametrize(("values", "requested", "expected"), [
    ((2500, 3000, 2.5e6), "auto", "log"),  # one outlier three orders of magnitude up
    ((2500, 3000, 9000), "auto", "linear"),
    ((0, 3000, 2.5e6), "auto", "linear"),  # zero has no place on a log axis
    ((2500, 3000, 9000), "log", "log"),
    ((-5, 3000), "log", "linear"),
    ((2500, 3000, 2.5e6), "linear", "linear"),
])
def test_chart_scale_table(values: tuple[float, ...], requested: str, expected: str) -> None:
    assert chart_scale(_points(*values), requested) == expected


@pytest.mark.parametrize(("low", "high", "expected"), [
    (2500, 2.5e6, [1e3, 1e4, 1e5, 1e6, 1e7]),
    (30, 700, [10, 20, 50, 100, 200, 500, 1000]),
    (5, 5, [1, 2, 5, 10]),
])
def test_log_ticks_table(low: float, high: float, expected: list[float]) -> None:
    assert log_ticks(low, high) == pytest.approx(expected)


def test_number_chart_log_scale_spreads_small_values() -> None:
    """On a log axis 2,500 and 3,000 sit apart and above the bottom; on a linear one they touch zero."""
    def heights(scale: str) -> list[float]:
        root = ET.fromstring(str(number_chart(_points(2500, 3000, 2.5e6), title="t", scale=scale)))
        return [float(c.get("cy")) for c in root.iter(f"{SVG}circle") if c.get("r") != "5"]

    log, linear = heights("log"), heights("linear")
    assert log[0] - log[1] > 5 and log[1] - log[2] > 50  # higher values drawn higher (smaller y)
    assert abs(linear[0] - linear[1]) < 1
    assert "log scale" in str(number_chart(_points(2500, 2.5e6), title="t", unit="troops", scale="log"))
