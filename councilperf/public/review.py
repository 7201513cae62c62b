"""The national "Review of Local Government Complaints" of a published year.

Every figure is a sum of the year's statistics export (the engine's stored national and
group totals, and the stored service-area counts of each authority), shown as a count, a
whole percentage of two summed counts (rounded half away from zero, as the letters are) or
upheld decisions per 100,000 residents of the summed population (counties, unitaries,
metropolitan and London boroughs only, so that two-tier areas count once). Rates are
therefore pooled: all upheld decisions over all detailed investigations.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.http import Http404

from councilperf.casework.models import ServiceArea
from councilperf.public import charts, figures
from councilperf.public.figures import Row
from councilperf.public.selectors import GROUP_PLURAL
from councilperf.statistics.core.rounding import round_half_away_from_zero, whole_percent_of

PER = 100_000


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    kind: str  # "count", "percent" or "rate"
    parts: tuple[tuple[str, ...], str] | None = None  # (numerator columns, denominator)


MEASURES: tuple[Measure, ...] = (
    Measure("complaints_received", "Complaints and enquiries received", "count"),
    Measure("decisions_made", "Decisions made", "count"),
    Measure("detailed_investigations", "Detailed investigations", "count"),
    Measure("upheld", "Complaints upheld", "count"),
    Measure(
        "upheld_rate",
        "Upheld rate (share of detailed investigations)",
        "percent",
        (("upheld",), "detailed_investigations"),
    ),
    Measure(
        "compliance_rate",
        "Compliance with recommendations",
        "percent",
        (("complied", "complied_late"), "compliance_outcomes"),
    ),
    Measure(
        "satisfactory_remedy_rate",
        "Satisfactory remedies by the council (share of upheld)",
        "percent",
        (("upheld_with_satisfactory_remedy",), "upheld"),
    ),
    Measure("service_improvements", "Service improvements agreed", "count"),
    Measure("public_reports", "Public reports", "count"),
    Measure("upheld_per_100k", "Upheld decisions per 100,000 residents", "rate"),
)
MEASURE = {m.key: m for m in MEASURES}

AREA_COLUMNS: tuple[str, ...] = (
    "complaints_received",
    "decisions_made",
    "detailed_investigations",
    "upheld",
    "upheld_rate",
    "satisfactory_remedy_rate",
    "service_improvements",
    "public_reports",
)
DECISION_OUTCOMES: tuple[str, ...] = (
    "invalid_or_incomplete",
    "advice_given",
    "referred_back_for_local_resolution",
    "closed_after_initial_enquiries",
    "not_upheld",
    "upheld",
)


def exact(totals: Row, measure: Measure) -> Fraction | None:
    """A measure of summed counts, exactly (None where its denominator is 0)."""
    if measure.kind == "count":
        return Fraction(int(totals.get(measure.key) or 0))
    if measure.kind == "rate":
        population = int(totals.get("population") or 0)
        if not population:
            return None
        return Fraction(int(totals.get("upheld") or 0) * PER, population)
    assert measure.parts is not None
    names, denominator_name = measure.parts
    denominator = int(totals.get(denominator_name) or 0)
    if not denominator:
        return None
    return Fraction(sum(int(totals.get(n) or 0) for n in names), denominator)


def show(measure: Measure, value: Fraction | None) -> str:
    if value is None:
        return "–"
    if measure.kind == "count":
        return f"{int(value):,}"
    if measure.kind == "percent":
        return f"{whole_percent_of(value)}%"
    return f"{float(value):.1f}"


def change(measure: Measure, now: Fraction | None, before: Fraction | None) -> str:
    """The change on the previous year in words a reader can check against both figures."""
    if now is None or before is None:
        return "–"
    if measure.kind == "count":
        difference = int(now - before)
        if not difference:
            return "No change"
        sign = "+" if difference > 0 else "−"
        relative = whole_percent_of(abs(now - before) / before) if before else None
        return f"{sign}{abs(difference):,}" + (
            f" ({sign}{relative}%)" if relative is not None else ""
        )
    if measure.kind == "percent":
        points = round_half_away_from_zero((now - before) * 100)
        if not points:
            return "No change"
        return (
            f"{'+' if points > 0 else '−'}{abs(points)} percentage point{'s' * (abs(points) != 1)}"
        )
    change_in_rate = float(now - before)
    if abs(change_in_rate) < 0.05:
        return "No change"
    return f"{'+' if change_in_rate > 0 else '−'}{abs(change_in_rate):.1f}"


@dataclass
class Cell:
    figure: str  # data-figure address the reconciliation test reads
    text: str


@dataclass
class HeadlineRow:
    measure: Measure
    now: Cell
    before: Cell | None
    change: str


@dataclass
class TableRow:
    key: str
    label: str
    cells: list[Cell]


def _cells(prefix: str, totals: Row, keys: tuple[str, ...]) -> list[Cell]:
    return [Cell(f"{prefix}:{k}", show(MEASURE[k], exact(totals, MEASURE[k]))) for k in keys]


def service_area_totals(year: str) -> dict[str, dict[str, int]]:
    """The stored service-area counts of every authority of the year, summed by area."""
    totals: dict[str, dict[str, int]] = {}
    for stored in figures.stored_figures(year).values():
        for area, counts in (stored.get("by_service_area") or {}).items():
            into = totals.setdefault(area, {})
            for name, value in counts.items():
                into[name] = into.get(name, 0) + int(value)
    for counts in totals.values():
        counts["decisions_made"] = sum(counts.get(o, 0) for o in DECISION_OUTCOMES)
        counts["detailed_investigations"] = counts.get("upheld", 0) + counts.get("not_upheld", 0)
    return totals


def review_page(year: str) -> dict[str, Any]:
    """Everything the review page and its PDF show (``year`` already checked published)."""
    national = figures.national_totals(year)
    if national is None:
        raise Http404("No published review for this year")
    years = figures.published_years()
    earlier = years[: years.index(year) + 1]
    previous_year = earlier[-2] if len(earlier) > 1 else None
    previous = figures.national_totals(previous_year) if previous_year else None

    headline = []
    for m in MEASURES:
        now, before = exact(national, m), exact(previous, m) if previous else None
        headline.append(
            HeadlineRow(
                measure=m,
                now=Cell(f"national:{m.key}", show(m, now)),
                before=Cell(f"previous:{m.key}", show(m, before)) if previous else None,
                change=change(m, now, before),
            )
        )

    keys = tuple(m.key for m in MEASURES)
    groups = figures.group_averages(year)
    group_rows = [
        TableRow(code, GROUP_PLURAL.get(code, code), _cells(f"group:{code}", groups[code], keys))
        for code in GROUP_PLURAL
        if code in groups
    ]
    group_councils = {code: int(groups[code].get("authorities") or 0) for code in groups}

    labels = dict(ServiceArea.choices)
    areas = service_area_totals(year)
    area_rows = [
        TableRow(
            code or "none",
            labels.get(code, "Not recorded"),
            _cells(f"area:{code or 'none'}", counts, AREA_COLUMNS),
        )
        for code, counts in sorted(
            areas.items(), key=lambda item: (-item[1].get("decisions_made", 0), item[0])
        )
    ]

    trend_totals = [(y, figures.national_totals(y) or {}) for y in earlier]
    trend_rows = [TableRow(y, y, _cells(f"trend:{y}", t, keys)) for y, t in trend_totals]
    rate_chart = charts.line_chart(
        earlier,
        [
            (
                MEASURE[k].label,
                [_as_float(exact(t, MEASURE[k])) for _, t in trend_totals],
            )
            for k in ("upheld_rate", "compliance_rate", "satisfactory_remedy_rate")
        ],
    )
    count_chart = charts.bar_chart(
        earlier, [int(t.get("complaints_received") or 0) for _, t in trend_totals]
    )
    synthetic = bool(national.get("synthetic")) or any(
        bool(t.get("synthetic")) for _, t in trend_totals
    )
    return {
        "national": national,
        "previous_year": previous_year,
        "headline": headline,
        "group_rows": group_rows,
        "group_councils": group_councils,
        "area_rows": area_rows,
        "area_headings": [MEASURE[k].label for k in AREA_COLUMNS],
        "headings": [m.label for m in MEASURES],
        "trend_years": earlier,
        "trend_rows": trend_rows,
        "rate_chart": rate_chart,
        "count_chart": count_chart,
        "synthetic": synthetic,
    }


def _as_float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)
