"""The national "Review of Local Government Complaints" of a published year.

Every figure is a sum of the year's statistics export (the engine's stored national and
group totals, and the stored service-area counts of each authority), shown as a count, a
whole percentage of two summed counts (rounded half away from zero, as the letters are) or
upheld decisions per 100,000 residents of the summed population (counties, unitaries,
metropolitan and London boroughs only, so that two-tier areas count once). Rates are
therefore pooled: all upheld decisions over all detailed investigations.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from django.conf import settings
from django.http import Http404

from councilperf.casework.models import ServiceArea
from councilperf.groups import GROUP_PLURAL
from councilperf.published import figures
from councilperf.schemes import OUTCOMES
from councilperf.site.pages import yearly
from councilperf.site.presentation import charts
from councilperf.statistics import format
from councilperf.statistics.core.rounding import round_half_away_from_zero
from councilperf.statistics.figures import GroupFigures
from councilperf.statistics.measures import METRIC, PER
from councilperf.years import ReportingYear, labels

# Summed counts and "population"; a group's or England's also carry their stored averages
# ("average:upheld_rate"…), which every surface shows as the similar-authority average.
Totals = Mapping[str, int | Fraction | None]


@dataclass(frozen=True)
class Measure:
    """A line of the review: a count, or a rate of the metric registry (``key``)."""

    key: str
    label: str
    kind: str  # "count", "percent" or "rate"


MEASURES: tuple[Measure, ...] = (
    Measure("complaints_received", "Complaints and enquiries received", "count"),
    Measure("decisions_made", "Decisions made", "count"),
    Measure("detailed_investigations", "Detailed investigations", "count"),
    Measure("upheld", "Complaints upheld", "count"),
    Measure(
        "upheld_rate",
        "Upheld rate (share of detailed investigations)",
        "percent",
    ),
    Measure(
        "compliance_rate",
        "Compliance with recommendations",
        "percent",
    ),
    Measure(
        "satisfactory_remedy_rate",
        "Satisfactory remedies by the council (share of upheld)",
        "percent",
    ),
    Measure(
        "late_remedy_rate",
        "Remedies completed late (share of compliance outcomes)",
        "percent",
    ),
    Measure("service_improvements", "Service improvements agreed", "count"),
    Measure("public_reports", "Public reports", "count"),
    Measure("upheld_per_100k", "Upheld decisions per 100,000 residents", "rate"),
)
MEASURE = {m.key: m for m in MEASURES}
# The rates drawn in the review's line chart (its CSV has the same columns: chartdata).
RATE_CHART = ("upheld_rate", "compliance_rate", "satisfactory_remedy_rate")

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
DECISION_OUTCOMES = OUTCOMES


def exact_measure(totals: Totals, measure: Measure) -> Fraction | None:
    """A measure of summed counts, exactly (None where its denominator is 0)."""
    if measure.kind == "count":
        return Fraction(int(totals.get(measure.key) or 0))
    stored = f"average:{measure.key}"
    if stored in totals:
        average = totals[stored]
        return None if average is None else Fraction(average)
    metric = METRIC[measure.key]
    denominator = int(totals.get(metric.denominator) or 0)
    if not denominator:
        return None
    numerator = sum(int(totals.get(n) or 0) for n in metric.numerator)
    return Fraction(numerator * (PER if measure.kind == "rate" else 1), denominator)


def show(measure: Measure, value: Fraction | None) -> str:
    if value is None:
        return format.NONE
    if measure.kind == "count":
        return format.count(int(value))
    if measure.kind == "percent":
        return format.percent(value)
    return format.one_decimal(value)


def totals_of(found: GroupFigures | None) -> Totals:
    """A group's (or England's) summed counts and population, as the review reads them."""
    if found is None:
        return {}
    averages = {f"average:{code}": value for code, value in found.averages.items()}
    return {
        **found.counts,
        "population": found.population,
        "authorities": found.authorities,
        **averages,
    }


def change(measure: Measure, now: Fraction | None, before: Fraction | None) -> str:
    """The change on the previous year in words a reader can check against both figures."""
    if now is None or before is None:
        return "–"
    if measure.kind == "count":
        difference = int(now - before)
        if not difference:
            return "No change"
        sign = "+" if difference > 0 else "−"
        relative = format.percent(abs(now - before) / before) if before else None
        return f"{sign}{format.count(abs(difference))}" + (
            f" ({sign}{relative})" if relative is not None else ""
        )
    if measure.kind == "percent":
        points = round_half_away_from_zero((now - before) * 100)
        if not points:
            return "No change"
        return (
            f"{'+' if points > 0 else '−'}{abs(points)} percentage point{'s' * (abs(points) != 1)}"
        )
    shown = format.one_decimal(abs(now - before))
    if shown == "0.0":
        return "No change"
    return f"{'+' if now > before else '−'}{shown}"


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
    mark: str = ""  # method notes against the year
    scheme_break: str = ""  # the year reports in a new scheme


def _cells(prefix: str, totals: Totals, keys: tuple[str, ...]) -> list[Cell]:
    return [
        Cell(f"{prefix}:{k}", show(MEASURE[k], exact_measure(totals, MEASURE[k]))) for k in keys
    ]


def service_area_totals(year: ReportingYear) -> dict[str, dict[str, int]]:
    """The stored service-area counts of every authority of the year, summed by area."""
    totals: dict[str, dict[str, int]] = {}
    for found in figures.authorities(year).values():
        for area, counts in found.by_service_area.items():
            into = totals.setdefault(area, {})
            for name, value in counts.items():
                into[name] = into.get(name, 0) + int(value)
    for counts in totals.values():
        counts["decisions_made"] = sum(counts.get(o, 0) for o in DECISION_OUTCOMES)
        counts["detailed_investigations"] = counts.get("upheld", 0) + counts.get("not_upheld", 0)
    return totals


@dataclass(frozen=True)
class ReviewPage:
    national: GroupFigures
    previous_year: ReportingYear | None
    headline: list[HeadlineRow]
    group_rows: list[TableRow]
    group_councils: dict[str, int]
    area_rows: list[TableRow]
    area_headings: list[str]
    headings: list[str]
    trend_years: list[ReportingYear]
    trend_rows: list[TableRow]
    rate_chart: charts.Chart
    count_chart: charts.Chart
    synthetic: bool
    notes: list[yearly.NoteMark] = field(default_factory=list)
    categories: tuple[str, list[yearly.CategoryRow]] | None = None


def _headline(national: Totals, previous: Totals | None) -> list[HeadlineRow]:
    rows = []
    for m in MEASURES:
        now, before = exact_measure(national, m), exact_measure(previous, m) if previous else None
        rows.append(
            HeadlineRow(
                measure=m,
                now=Cell(f"national:{m.key}", show(m, now)),
                before=Cell(f"previous:{m.key}", show(m, before)) if previous else None,
                change=change(m, now, before),
            )
        )
    return rows


def _area_rows(year: ReportingYear) -> list[TableRow]:
    labels = dict(ServiceArea.choices)
    areas = service_area_totals(year)
    ordered = sorted(areas.items(), key=lambda item: (-item[1].get("decisions_made", 0), item[0]))
    return [
        TableRow(
            code or "none",
            labels.get(code, "Not recorded"),
            _cells(f"area:{code or 'none'}", counts, AREA_COLUMNS),
        )
        for code, counts in ordered
    ]


def review_page(year: ReportingYear) -> ReviewPage:
    """Everything the review page and its PDF show (``year`` already checked published)."""
    national = figures.national(year)
    if national is None:
        raise Http404("No published review for this year")
    years = figures.published_years()
    earlier = years[: years.index(year) + 1]
    previous_year = earlier[-2] if len(earlier) > 1 else None
    previous = figures.national(previous_year) if previous_year else None

    keys = tuple(m.key for m in MEASURES)
    groups = figures.groups(year)
    group_rows = [
        TableRow(code, label, _cells(f"group:{code}", totals_of(groups[code]), keys))
        for code, label in GROUP_PLURAL.items()
        if code in groups
    ]
    trend = [(y, figures.national(y)) for y in earlier]
    notes = yearly.notes(earlier)
    marks, breaks = yearly.marks(notes), yearly.scheme_breaks(earlier)
    trend_rows = [
        TableRow(
            y.label,
            y.label,
            _cells(f"trend:{y}", totals_of(t), keys),
            marks.get(y.label, ""),
            breaks.get(y, ""),
        )
        for y, t in trend
    ]
    rate_chart = charts.line_chart(
        labels(earlier),
        [
            (MEASURE[k].label, [exact_measure(totals_of(t), MEASURE[k]) for _, t in trend])
            for k in RATE_CHART
        ],
    )
    count_chart = charts.bar_chart(
        labels(earlier), [t.count("complaints_received") if t else 0 for _, t in trend]
    )
    return ReviewPage(
        national=national,
        previous_year=previous_year,
        headline=_headline(totals_of(national), totals_of(previous) if previous else None),
        group_rows=group_rows,
        group_councils={code: found.authorities for code, found in groups.items()},
        area_rows=_area_rows(year),
        area_headings=[MEASURE[k].label for k in AREA_COLUMNS],
        headings=[m.label for m in MEASURES],
        trend_years=earlier,
        trend_rows=trend_rows,
        rate_chart=rate_chart,
        count_chart=count_chart,
        synthetic=national.synthetic or any(bool(t and t.synthetic) for _, t in trend),
        notes=notes,
        categories=yearly.categories(national),
    )


def pdf_path(year: ReportingYear) -> Path:
    """Where the year's review PDF is built ahead (``manage.py build_review_pdfs``)."""
    return Path(settings.BUILD_DIR) / "review" / f"review-{year}.pdf"


def pdf_etag(path: Path) -> str:
    """A strong validator of a built PDF: a hash of its bytes."""
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
