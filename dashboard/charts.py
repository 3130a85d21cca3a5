"""Small SVG charts rendered on the server: no JavaScript, no network, printable.

Every function is pure (data in, markup out). All text goes through format_html, so
user text (titles, labels) is escaped; every mark carries a <title> for screen readers
and hover. Charts scale with `viewBox` and width 100%; colours come from CSS classes
(static/dashboard/dashboard.css), so print and dark themes restyle them in one place.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from incidents.limits import in_range


def _join(parts: Iterable[str]) -> SafeString:
    """Join pieces that are each already safe (format_html output)."""
    return mark_safe("".join(parts))  # noqa: S308 - every part comes from format_html


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    css: str


@dataclass
class BarRow:
    label: str
    values: dict[str, float]
    href: str = ""
    note: str = ""  # shown at the end of the bar (e.g. "3/5 done")


def stacked_bars(
    rows: Sequence[BarRow],
    series: Sequence[Series],
    *,
    title: str,
    scale: float | None = None,
    unit: str = "",
    width: int = 480,
) -> SafeString:
    """Horizontal stacked bars, one row per item, its label on a line above the bar.

    The label above (not beside) the bar keeps text legible on a phone's width. `scale`
    is the value of a full-width bar (default: the largest row total).
    """
    label_h, bar_h, gap = 18, 16, 10
    row_h = label_h + bar_h + gap
    legend_h = 22
    height = legend_h + max(len(rows), 1) * row_h
    totals = [sum(row.values.get(s.key, 0) for s in series) for row in rows]
    full = scale or max(totals, default=0) or 1
    bar_w = width - 100
    parts: list[str] = [
        format_html(
            '<svg class="chart chart-bars" viewBox="0 0 {} {}" width="100%" role="img" '
            'aria-labelledby="{}" preserveAspectRatio="xMinYMin meet">'
            '<title id="{}">{}</title>',
            width,
            height,
            _slug(title),
            _slug(title),
            title,
        )
    ]
    x = 0.0
    for s in series:  # legend
        parts.append(
            format_html(
                '<g class="legend"><rect class="{}" x="{}" y="2" width="12" height="12"/>'
                '<text x="{}" y="13">{}</text></g>',
                s.css,
                _num(x),
                _num(x + 16),
                s.label,
            )
        )
        x += 16 + 8 * len(s.label) + 14 if s.label.isascii() else 16 + 14 * len(s.label) + 14
    if not rows:
        return _join([*parts, "</svg>"])
    for index, (row, total) in enumerate(zip(rows, totals, strict=True)):
        top = legend_h + index * row_h
        label = format_html(
            '<text class="row-label" x="0" y="{}">{}<title>{}</title></text>',
            top + 13,
            _truncate(row.label, 36 if row.label.isascii() else 34),
            row.label,
        )
        if row.href:
            label = format_html('<a href="{}">{}</a>', row.href, label)
        parts.append(label)
        parts.append(
            format_html(
                '<rect class="track" x="0" y="{}" width="{}" height="{}"/>',
                top + label_h,
                bar_w,
                bar_h,
            )
        )
        x = 0.0
        for s in series:
            value = row.values.get(s.key, 0)
            if not value:
                continue
            w = bar_w * value / full
            parts.append(
                format_html(
                    '<rect class="{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}: {}: {}{}</title></rect>",
                    s.css,
                    _num(x),
                    top + label_h,
                    _num(max(w, 1)),
                    bar_h,
                    row.label,
                    s.label,
                    _num(value),
                    unit,
                )
            )
            x += w
        parts.append(
            format_html(
                '<text class="bar-value" x="{}" y="{}">{}</text>',
                _num(min(x, bar_w) + 4),
                top + label_h + 12,
                row.note or f"{_num(total)}{unit}",
            )
        )
    parts.append("</svg>")
    return _join(parts)


def _slug(text: str) -> str:
    return "chart-" + hashlib.sha1(str(text).encode(), usedforsecurity=False).hexdigest()[:10]


# Timeline ------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    at: datetime
    title: str
    css: str = ""
    shape: str = "circle"  # circle, diamond, square


@dataclass
class Lane:
    label: str
    points: list[Point] = field(default_factory=list)
    css: str = ""


@dataclass(frozen=True)
class Marker:
    """A vertical line across every lane: a legal deadline, awareness, now."""

    at: datetime
    label: str
    css: str = ""


TICK_STEPS: list[tuple[str, int]] = [
    ("hour", 1),
    ("hour", 3),
    ("hour", 6),
    ("hour", 12),
    ("day", 1),
    ("day", 2),
    ("day", 7),
    ("day", 14),
    ("month", 1),
    ("month", 2),
    ("month", 3),
    ("month", 6),
    ("month", 12),
    ("month", 24),
    ("month", 60),
]
_APPROX = {"hour": timedelta(hours=1), "day": timedelta(days=1), "month": timedelta(days=30.44)}


def _add_months(moment: datetime, months: int) -> datetime:
    month0 = moment.month - 1 + months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def time_ticks(
    start: datetime, end: datetime, tz: ZoneInfo, max_ticks: int = 8
) -> list[tuple[datetime, str]]:
    """Tick times between start and end, on round local times (midnight, the 1st), labelled."""
    span = end - start
    unit, step = next(
        ((u, n) for u, n in TICK_STEPS if span / (_APPROX[u] * n) <= max_ticks),
        TICK_STEPS[-1],
    )
    local = start.astimezone(tz)
    if unit == "hour":
        tick = local.replace(minute=0, second=0, microsecond=0)
        tick = tick.replace(hour=tick.hour - tick.hour % step)
    elif unit == "day":
        tick = local.replace(hour=0, minute=0, second=0, microsecond=0)
    else:
        tick = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        tick = tick.replace(month=1) if step >= 12 else tick
    ticks: list[tuple[datetime, str]] = []
    previous_year = None
    while tick <= end.astimezone(tz) and len(ticks) < 100:
        if tick >= local:
            if unit == "hour":
                fmt = "%m-%d %H:%M"
            elif unit == "day":
                fmt = "%Y-%m-%d" if tick.year != previous_year else "%m-%d"
            else:
                fmt = "%Y-%m"
            ticks.append((tick, tick.strftime(fmt)))
            previous_year = tick.year
        if unit == "hour":
            tick = (tick + timedelta(hours=step)).astimezone(tz)
        elif unit == "day":
            tick = (tick + timedelta(days=step)).replace(hour=0)
        else:
            tick = _add_months(tick, step)
    return ticks


def timeline_chart(
    lanes: Sequence[Lane],
    markers: Sequence[Marker],
    *,
    tz: ZoneInfo,
    title: str,
    tz_label: str = "",
    width: int = 960,
) -> SafeString:
    """Lanes of dated points on one time axis, with vertical markers (deadlines).

    Points closer than a few pixels move to a second or third sub-row so that a burst of
    milestones on the first day stays countable; each point's <title> names it exactly.
    """
    label_w, right, top_pad, lane_h, axis_h = 170, 20, 16 + 14 * 3, 34, 34
    plot_w = width - label_w - right
    # A stored date outside the sane range (entered before the limits existed) is left off
    # the axis rather than stretching it across millennia (or past year 9999).
    lanes = [replace(lane, points=[p for p in lane.points if in_range(p.at)]) for lane in lanes]
    lanes = [lane for lane in lanes if lane.points]
    markers = [m for m in markers if in_range(m.at)]
    moments = [p.at for lane in lanes for p in lane.points] + [m.at for m in markers]
    height = top_pad + max(len(lanes), 1) * lane_h + axis_h
    parts: list[str] = [
        format_html(
            '<svg class="chart chart-timeline" viewBox="0 0 {} {}" width="100%" role="img" '
            'aria-labelledby="{}"><title id="{}">{}</title>',
            width,
            height,
            _slug(title),
            _slug(title),
            title,
        )
    ]
    if not moments:
        return _join([*parts, "</svg>"])
    start, end = min(moments), max(moments)
    pad = max((end - start) * 0.03, timedelta(hours=1))
    start, end = start - pad, end + pad
    total = (end - start).total_seconds()

    def xpos(moment: datetime) -> float:
        return label_w + plot_w * (moment - start).total_seconds() / total

    bottom = top_pad + len(lanes) * lane_h
    for index, lane in enumerate(lanes):  # lane backgrounds and labels
        y: float = top_pad + index * lane_h
        parts.append(
            format_html(
                '<rect class="lane lane-{}" x="{}" y="{}" width="{}" height="{}"/>'
                '<text class="lane-label" x="4" y="{}">{}</text>',
                index % 2,
                label_w,
                y,
                plot_w,
                lane_h,
                y + lane_h / 2 + 4,
                _truncate(lane.label, 22),
            )
        )
    for tick, text in time_ticks(start, end, tz):
        x = xpos(tick)
        parts.append(
            format_html(
                '<line class="tick" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="tick-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                _num(x),
                top_pad,
                _num(x),
                bottom + 4,
                _num(x),
                bottom + 18,
                text,
            )
        )
    if tz_label:
        parts.append(
            format_html(
                '<text class="tick-label" x="{}" y="{}" text-anchor="end">{}</text>',
                width - right,
                bottom + 32,
                tz_label,
            )
        )
    for index, marker in enumerate(sorted(markers, key=lambda m: m.at)):
        x = xpos(marker.at)
        label_y = 14 + 14 * (index % 3)
        anchor = "end" if x > label_w + plot_w * 0.7 else "start"
        dx = -3 if anchor == "end" else 3
        parts.append(
            format_html(
                '<g class="marker {}"><line x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text x="{}" y="{}" text-anchor="{}">{}</text>'
                "<title>{}: {}</title></g>",
                marker.css,
                _num(x),
                label_y + 2,
                _num(x),
                bottom,
                _num(x + dx),
                label_y,
                anchor,
                _truncate(marker.label, 28),
                marker.label,
                marker.at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            )
        )
    for index, lane in enumerate(lanes):
        middle = top_pad + index * lane_h + lane_h / 2
        last_x: list[float] = [-1e9, -1e9, -1e9]
        for point in sorted(lane.points, key=lambda p: p.at):
            x = xpos(point.at)
            row = next((r for r in range(3) if x - last_x[r] >= 9), 0)
            last_x[row] = x
            y = middle + (0, -9, 9)[row]
            parts.append(_point(point, x, y, tz, lane.css))
    parts.append("</svg>")
    return _join(parts)


def _point(point: Point, x: float, y: float, tz: ZoneInfo, lane_css: str) -> SafeString:
    css = f"point {lane_css} {point.css}".strip()
    when = point.at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    if point.shape == "diamond":
        shape = format_html(
            '<path class="{}" d="M{} {}l6 6l-6 6l-6 -6z">',
            css,
            _num(x),
            _num(y - 6),
        )
        closing = "</path>"
    elif point.shape == "square":
        shape = format_html(
            '<rect class="{}" x="{}" y="{}" width="10" height="10">', css, _num(x - 5), _num(y - 5)
        )
        closing = "</rect>"
    else:
        shape = format_html('<circle class="{}" cx="{}" cy="{}" r="5">', css, _num(x), _num(y))
        closing = "</circle>"
    return _join([shape, format_html("<title>{} {}</title>", when, point.title), closing])


def _truncate(text: str, length: int) -> str:
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"
