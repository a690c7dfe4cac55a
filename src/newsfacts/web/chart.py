"""A reported number over time, by source, as a server-made SVG with a link behind every point.

No JavaScript and no chart library: the page stays fast and works with scripts off. Every point is an
SVG ``<a>`` to the sentence the number came from (``/articles/{id}#s-START``), with a ``<title>``
that screen readers and hovering show; the page also prints the same points as a table. Reports of
one value by one source on one day are drawn as one bigger point that says how many there are.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 320
"""Drawing size in SVG units (scaled to the page width by CSS)."""
_LEFT, _RIGHT, _TOP, _BOTTOM = 72, 180, 20, 40
"""Margins: room for y tick labels on the left and the legend of sources on the right."""

PALETTE = ("#1f5fa8", "#b3470b", "#2a7d2e", "#8e2c8a", "#8a6d00", "#0f7c7c", "#a4243b", "#555555")
"""Colors per source, chosen for contrast >= 4.5:1 on white (WCAG AA)."""

OTHER_COLOR = "#8c959f"
"""The sources beyond the palette, drawn alike (contrast 3:1 on white, WCAG 1.4.11 for graphics):
cycling colors would give two sources one color, and a legend of hundreds of names reads as none."""

_TIMEX_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_TIMEX_WEEK = re.compile(r"^(\d{4})-W(\d{2})")


@dataclass(frozen=True, slots=True)
class Point:
    """One reported value: ``low == high`` for a single number, else a range drawn as a bar."""

    when: dt.date
    low: float
    high: float
    series: str
    href: str
    label: str


def timex_date(value: str | None) -> dt.date | None:
    """The first day a TIMEX3/ISO value names (``2014`` -> 2014-01-01, ``2021-W49`` -> its Monday).

    Returns None for values that name no calendar time (``PRESENT_REF``, ``P1Y``).

    Example:
        >>> timex_date("2021-W49")
        datetime.date(2021, 12, 6)
    """
    if not value:
        return None
    week = _TIMEX_WEEK.match(value)
    try:
        if week:
            return dt.date.fromisocalendar(int(week[1]), int(week[2]), 1)
        m = _TIMEX_DATE.match(value)
        if not m:
            return None
        return dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2, 5 times a power of ten apart).

    Example:
        >>> nice_ticks(0, 2500)
        [0.0, 500.0, 1000.0, 1500.0, 2000.0, 2500.0]
    """
    if not math.isfinite(low) or not math.isfinite(high):
        return [0.0]
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


SCALES = ("auto", "linear", "log")
"""The y scales a number chart takes: ``auto`` picks log when the values span orders of magnitude."""

LOG_SPREAD = 1000.0
"""Largest over smallest value from which ``auto`` draws a log scale: at three orders of magnitude a
linear axis leaves every value but the largest in its bottom thousandth (one "2.5 million" reported
among "2,500"s flattens them all onto zero)."""


def chart_scale(points: list[Point], requested: str = "auto") -> str:
    """``"log"`` or ``"linear"``: what was asked for, with ``"auto"`` and impossible logs resolved.

    A log scale needs every value above zero; ``auto`` takes it when the values spread over
    ``LOG_SPREAD`` or more.

    Example:
        >>> chart_scale([Point(dt.date(2021, 1, 1), v, v, "s", "#", "") for v in (2500, 3000, 2.5e6)])
        'log'
    """
    if not points:
        return "linear"
    return scale_for(min(p.low for p in points), max(p.high for p in points), requested)


def scale_for(low: float, high: float, requested: str = "auto") -> str:
    """``chart_scale`` for values from ``low`` to ``high`` (shared with the CLI's ``--plot``)."""
    if low <= 0 or requested == "linear":
        return "linear"
    if requested == "log":
        return "log"
    return "log" if high / low >= LOG_SPREAD else "linear"


def log_ticks(low: float, high: float) -> list[float]:
    """Powers of ten covering [low, high] (both > 0), with 2 and 5 times them when few decades.

    Example:
        >>> log_ticks(2500, 2.5e6)
        [1000.0, 10000.0, 100000.0, 1000000.0, 10000000.0]
    """
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    if last == first:
        last += 1
    decades = [10.0**e for e in range(first, last + 1)]
    if last - first > 2:
        return decades
    ticks = sorted({m * d for d in decades for m in (1, 2, 5)})
    return [t for t in ticks if t <= decades[-1]]


def number_chart(
    points: list[Point], *, title: str, unit: str | None = None, chart_id: str = "chart", scale: str = "linear",
) -> Markup:
    """An SVG scatter of ``points`` (x: date, y: value), one color per source, each point a link.

    The SVG is a named ``group`` (not an ``img``, whose children assistive technology never reaches),
    so a screen reader lists its points as links.

    Args:
        points: the values to draw; an empty list draws nothing (returns empty markup).
        title: the chart's accessible name.
        unit: the unit shown on the y axis.
        chart_id: unique on the page (its title's id is ``{chart_id}-title``).
        scale: ``"linear"`` (from zero) or ``"log"`` (every value must be above zero; see ``chart_scale``).
    """
    if not points:
        return Markup("")
    series = list(dict.fromkeys(p.series for p in points))
    others = 0
    if len(series) > len(PALETTE):  # the sources with most points get colors, the rest one grey
        counts = Counter(p.series for p in points)
        named = sorted(series, key=lambda s: -counts[s])[: len(PALETTE) - 1]
        others = len(series) - len(named)
        series = [s for s in series if s in named]
    color = {s: PALETTE[i] for i, s in enumerate(series)}
    log = scale == "log" and min(p.low for p in points) > 0
    if log:
        ys = log_ticks(min(p.low for p in points), max(p.high for p in points))
    else:
        ys = nice_ticks(min(0.0, min(p.low for p in points)), max(p.high for p in points))
    y_of = math.log10 if log else float
    days = [p.when.toordinal() for p in points]
    x0, x1 = float(min(days)), float(max(days))
    if x1 - x0 < 30:  # a single day or a few: widen so points don't sit on the axes
        x0, x1 = x0 - 15, x1 + 15
    pad = (x1 - x0) * 0.04
    x0, x1 = x0 - pad, x1 + pad
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM

    def sx(day: float) -> float:
        return _LEFT + (day - x0) / (x1 - x0) * plot_w

    def sy(value: float) -> float:
        return _TOP + plot_h - (y_of(value) - y_of(ys[0])) / (y_of(ys[-1]) - y_of(ys[0])) * plot_h

    out = [
        (f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" aria-labelledby="{escape(chart_id)}-title" '
         f'xmlns="http://www.w3.org/2000/svg">'),
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    for v in ys:
        y = sy(v)
        out.append(f'<line class="grid" x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<text class="tick" x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(_short(v))}</text>')
    for day, label in _x_ticks(x0, x1):
        x = sx(day)
        out.append(f'<line class="axis" x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP + plot_h}" y2="{_TOP + plot_h + 5}"/>')
        out.append(f'<text class="tick" x="{x:.1f}" y="{_TOP + plot_h + 20}" text-anchor="middle">{escape(label)}</text>')
    out.append(f'<line class="axis" x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{_TOP + plot_h}" y2="{_TOP + plot_h}"/>')
    axis_name = ", ".join(n for n in (unit, "log scale" if log else None) if n)
    if axis_name:
        out.append(f'<text class="unit" x="{_LEFT}" y="{_TOP - 6}" text-anchor="start">{escape(axis_name)}</text>')
    same: dict[tuple[dt.date, float, float, str], list[Point]] = {}
    for p in points:  # one source giving one value for one day many times is one point, marked bigger
        same.setdefault((p.when, p.low, p.high, p.series), []).append(p)
    for group in sorted(same.values(), key=lambda g: (g[0].series in color, g[0].when, g[0].series)):  # named on top
        p, n = group[0], len(group)
        x, c = sx(p.when.toordinal()), color.get(p.series, OTHER_COLOR)
        label = p.label if n == 1 else f"{p.label} (and {n - 1} more report{'s' if n > 2 else ''} of this value that day)"
        out.append(f'<a class="point" href="{escape(p.href)}"><title>{escape(label)}</title>')
        if p.high > p.low:
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{sy(p.low):.1f}" y2="{sy(p.high):.1f}" '
                       f'stroke="{c}" stroke-width="4"/>')
        r = 6 + min(4.0, math.log2(n))
        out.append(f'<circle cx="{x:.1f}" cy="{sy((p.low + p.high) / 2):.1f}" r="{r:g}" fill="{c}"/></a>')
    legend = [(s, color[s]) for s in series] + ([(f"{others} other sources", OTHER_COLOR)] if others else [])
    for i, (s, c) in enumerate(legend):
        y = _TOP + 10 + i * 20
        out.append(f'<circle cx="{WIDTH - _RIGHT + 20}" cy="{y}" r="5" fill="{c}"/>')
        out.append(f'<text class="legend" x="{WIDTH - _RIGHT + 32}" y="{y + 4}">{escape(_clip(s, 22))}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def _x_ticks(x0: float, x1: float) -> list[tuple[int, str]]:
    """Date ticks: years for long spans, months for shorter ones, at most about eight."""
    start, end = dt.date.fromordinal(math.ceil(x0)), dt.date.fromordinal(math.floor(x1))
    years = end.year - start.year
    if years >= 2:
        step = max(1, math.ceil(years / 8))
        return [(dt.date(y, 1, 1).toordinal(), str(y)) for y in range(start.year + 1, end.year + 1, step)]
    months = []
    d = dt.date(start.year, start.month, 1)
    while d <= end:
        if d >= start:
            months.append(d)
        d = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
    step = max(1, math.ceil(len(months) / 8))
    ticks = [(m.toordinal(), m.strftime("%b %Y")) for m in months[::step]]
    return ticks or [(start.toordinal(), start.isoformat())]


def _short(value: float) -> str:
    """Tick label: 2500 -> 2.5k, 8000000 -> 8M, 0.25 -> 0.25."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
