"""A council's page: its key statistics, rate per 100,000, lineage and trend chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from councilperf.authorities.models import Authority
from councilperf.public import figures
from councilperf.public.figures import Row
from councilperf.years import ReportingYear

from .formatting import _count, as_float, comparison_words, display, per_100k, percent, percent_of
from .maps import rows_by_code
from .metrics import METRICS
from .years import published_years


@dataclass
class KeyStatistic:
    title: str
    value: str
    peer: str
    numerator: int
    denominator: int
    interval: str
    comparison: str | None
    comparison_words: str
    empty_text: str
    counts_text: str


def _range(part: dict[str, Any], fmt: Any) -> str:
    low, high = as_float(part.get("lower")), as_float(part.get("upper"))
    if low is None or high is None:
        return ""
    return f"{fmt(low)} to {fmt(high)}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def key_statistics(data: Row, group: str) -> list[KeyStatistic]:
    """The three key statistics of one authority's year, as the letter states them."""
    year = str(data["year"])
    parts: dict[str, Any] = data.get("figures") or {}
    investigations = _count(data, "detailed_investigations")
    upheld = _count(data, "upheld")
    outcomes = _count(data, "compliance_outcomes")
    late = _count(data, "complied_late")
    complied = _count(data, "complied") + late
    remedied = _count(data, "upheld_with_satisfactory_remedy")
    period = ReportingYear.parse(year)

    def made(
        title: str, part: str, rate: str, num: int, den: int, empty: str, counts: str
    ) -> KeyStatistic:
        found = parts.get(part) or {}
        label = found.get("comparison")
        return KeyStatistic(
            title=title,
            value=percent_of(num, den),
            peer=_peer_text(year, group, rate),
            numerator=num,
            denominator=den,
            interval=_range(found, percent),
            comparison=label,
            comparison_words=comparison_words(label, group),
            empty_text=empty,
            counts_text=counts,
        )

    return [
        made(
            "Complaints upheld",
            "upheld",
            "upheld_rate",
            upheld,
            investigations,
            "No detailed investigations in this period",
            f"{_plural(upheld, 'upheld decision')} of "
            f"{_plural(investigations, 'detailed investigation')}, 1 April "
            f"{period.start_year} to 31 March {period.end_year}",
        ),
        made(
            "Compliance with recommendations",
            "compliance",
            "compliance_rate",
            complied,
            outcomes,
            "No recommendations were due for compliance in this period",
            f"{complied} of {_plural(outcomes, 'compliance outcome')} complied with ({late} late)",
        ),
        made(
            "Satisfactory remedies by the council",
            "satisfactory_remedy",
            "satisfactory_remedy_rate",
            remedied,
            upheld,
            "The Ombudsman did not uphold any detailed investigations during this period",
            f"{remedied} of {_plural(upheld, 'upheld decision')}",
        ),
    ]


def per_100k_statistic(data: Row) -> dict[str, str]:
    part = (data.get("figures") or {}).get("upheld_per_100k") or {}
    label = part.get("comparison")
    return {
        "value": per_100k(data.get("upheld_per_100k")),
        "peer": per_100k(data.get("peer_upheld_per_100k")),
        "interval": _range(part, per_100k),
        "words": comparison_words(label, str(data.get("comparison_group", ""))),
        "label": str(label or "not_compared"),
    }


def lineage(authority: Authority) -> list[Authority]:
    """The authority and every authority it replaced, directly or not (nearest first)."""
    seen: dict[int, Authority] = {authority.pk: authority}
    frontier = [authority]
    while frontier:
        found = list(
            Authority.objects.filter(successors__in=frontier).exclude(pk__in=seen).distinct()
        )
        for a in found:
            seen[a.pk] = a
        frontier = found
    return list(seen.values())


@dataclass
class TrendPoint:
    year: str
    authority: Authority
    predecessor: bool
    row: Row


def trend(authority: Authority) -> list[TrendPoint]:
    """Key figures over every published year, with predecessors' years marked as such."""
    family = {a.gss_code: a for a in lineage(authority)}
    points = []
    for year in published_years():
        for code, row in rows_by_code(year).items():
            if code in family:
                points.append(TrendPoint(year, family[code], family[code].pk != authority.pk, row))
    return points


def trend_rows(points: Sequence[TrendPoint]) -> list[dict[str, Any]]:
    return [
        {
            "point": p,
            "upheld_rate": display(p.row, METRICS["upheld_rate"]),
            "peer": _peer_text(p.year, str(p.row.get("comparison_group", "")), "upheld_rate"),
            "compliance": display(p.row, METRICS["compliance_rate"]),
            "remedy": display(p.row, METRICS["satisfactory_remedy_rate"]),
            "per_100k": per_100k(p.row.get("upheld_per_100k")),
        }
        for p in points
    ]


def _peer_text(year: str, group: str, rate: str) -> str:
    value = figures.peer_percent(year, group, rate)
    return "–" if value is None else f"{value}%"


def trend_chart(points: Sequence[TrendPoint]) -> dict[str, Any] | None:
    """Coordinates for a small SVG line chart of the upheld rate and its peer average."""
    own = [p for p in points if not p.predecessor]
    if len(own) < 1:
        return None
    width, height, left, bottom, top, right = 640, 240, 48, 36, 12, 16
    xs = {p.year: i for i, p in enumerate(own)}
    span = max(len(own) - 1, 1)

    def x(i: int) -> float:
        return left + (width - left - right) * (i / span if len(own) > 1 else 0.5)

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - v)

    def line(key: str) -> str:
        parts = []
        for p in own:
            v = as_float(p.row.get(key))
            if v is not None:
                parts.append(f"{x(xs[p.year]):.1f},{y(v):.1f}")
        return " ".join(parts)

    dots = []
    for p in own:
        v = as_float(p.row.get("upheld_rate"))
        if v is not None:
            dots.append({"cx": f"{x(xs[p.year]):.1f}", "cy": f"{y(v):.1f}", "label": percent(v)})
    return {
        "width": width,
        "height": height,
        "own": line("upheld_rate"),
        "peer": line("peer_upheld_rate"),
        "dots": dots,
        "gridlines": [
            {"y": f"{y(v):.1f}", "label": f"{int(v * 100)}%"} for v in (0, 0.25, 0.5, 0.75, 1)
        ],
        "labels": [{"x": f"{x(xs[p.year]):.1f}", "text": p.year} for p in own],
        "left": left,
        "right": width - right,
        "bottom": height - bottom + 22,
    }
