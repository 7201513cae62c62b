"""A council's page: its key statistics, rate per 100,000, lineage, trend and decisions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from councilperf.authorities.models import Authority
from councilperf.casework.models import Outcome, ServiceArea
from councilperf.groups import GROUP_PLURAL, GROUP_SINGULAR
from councilperf.published import cases, figures
from councilperf.published.handling import Handling, council_handling
from councilperf.published.letters import PublicLetter, letters
from councilperf.published.replies import PublicReply, council_replies
from councilperf.site.pages import yearly
from councilperf.site.pages.neighbours import Neighbours, neighbours
from councilperf.site.presentation.charts import Chart, line_chart
from councilperf.statistics import format
from councilperf.statistics.cards import (
    KeyStatistic,
    RateStatistic,
    Totals,
    key_statistics,
    per_100k_statistic,
    totals,
)
from councilperf.statistics.figures import AuthorityFigures, Measure
from councilperf.years import ReportingYear

# A page stays a sane length on a phone (at most 12,000 px at 390 px wide, with a council's
# seven years: tests/site/test_page_sizes_browser.py).
DECISIONS_PER_PAGE = 8
IMPROVEMENTS_PER_PAGE = 5


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


@dataclass(frozen=True)
class TrendPoint:
    year: ReportingYear
    authority: Authority
    predecessor: bool
    figures: AuthorityFigures


@dataclass(frozen=True)
class TrendRow:
    point: TrendPoint
    upheld_rate: str
    peer: str
    compliance: str
    remedy: str
    per_100k: str
    late: str
    marks: str = ""  # the method notes' numbers against the year
    scheme_break: str = ""  # words above the first row of a year in a new reporting scheme


def trend(authority: Authority) -> list[TrendPoint]:
    """Key figures over every published year, with predecessors' years marked as such."""
    family = {a.gss_code: a for a in lineage(authority)}
    points = []
    for year in figures.published_years():
        for code, found in figures.authorities(year).items():
            if code in family:
                a = family[code]
                points.append(TrendPoint(year, a, a.pk != authority.pk, found))
    return points


def _shown(measure: Measure) -> str:
    return format.figure(measure.metric, measure.value)


def trend_rows(
    points: Sequence[TrendPoint], notes: Sequence[yearly.NoteMark] = ()
) -> list[TrendRow]:
    marks = yearly.marks(notes)
    breaks = yearly.scheme_breaks(sorted({p.year for p in points}))
    seen: set[ReportingYear] = set()
    rows = []
    for row in _trend_rows(points):
        first = row.point.year not in seen
        seen.add(row.point.year)
        rows.append(
            replace(
                row,
                marks=marks.get(row.point.year.label, ""),
                scheme_break=breaks.get(row.point.year, "") if first else "",
            )
        )
    return rows


def _trend_rows(points: Sequence[TrendPoint]) -> list[TrendRow]:
    return [
        TrendRow(
            point=p,
            upheld_rate=_shown(p.figures.measures["upheld_rate"]),
            peer=format.percent(p.figures.measures["upheld_rate"].peer),
            compliance=_shown(p.figures.measures["compliance_rate"]),
            remedy=_shown(p.figures.measures["satisfactory_remedy_rate"]),
            per_100k=_shown(p.figures.measures["upheld_per_100k"]),
            late=_shown(p.figures.measures["late_remedy_rate"]),
        )
        for p in points
    ]


def trend_chart(
    points: Sequence[TrendPoint], notes: Sequence[yearly.NoteMark] = ()
) -> dict[str, Any] | None:
    """Coordinates for a small SVG line chart of the upheld rate and its peer average, placed
    by the one line-chart helper (``presentation.charts.line_chart``)."""
    own = [p for p in points if not p.predecessor]
    if not own:
        return None
    upheld = [p.figures.measures["upheld_rate"] for p in own]
    peers = [m.peer for m in upheld]
    chart: Chart = line_chart(
        [p.year.label for p in own],
        [
            ("own", [m.value for m in upheld]),
            ("peer", [float(v) if v is not None else None for v in peers]),
        ],
        y_ticks=(0, 0.25, 0.5, 0.75, 1),
        width=640,
        height=240,
        margins=(48, 12, 16, 36),
        inset=28,  # the first and last year labels drawn whole, not clipped at the edges
    )
    own_line, peer_line = chart.lines
    return {
        "width": chart.width,
        "height": chart.height,
        "own": own_line.points,
        "peer": peer_line.points,
        "dots": [{"cx": f"{d.x:.1f}", "cy": f"{d.y:.1f}", "label": d.label} for d in own_line.dots],
        "gridlines": [{"y": f"{t.position:.1f}", "label": t.label} for t in chart.y_ticks],
        "labels": [{"x": f"{t.position:.1f}", "text": t.label} for t in chart.x_labels],
        "markers": [
            {"x": f"{t.position:.1f}", "label": mark, "year": t.label}
            for t in chart.x_labels
            if (mark := yearly.marks(notes).get(t.label))
        ],
        "top": chart.top,
        "left": chart.left,
        "right": chart.right,
        "bottom": chart.bottom + 22,
    }


@dataclass(frozen=True)
class Filters:
    year: ReportingYear | None = None  # None is every published year ("?decision_year=all")
    service_area: str = ""
    outcome: str = ""

    @classmethod
    def read(
        cls, query: Mapping[str, str], years: Sequence[ReportingYear], page_year: ReportingYear
    ) -> Filters:
        """The decisions' filters; without ``decision_year``, the page's own year."""

        def choice(value: str | None, options: Any) -> str:
            return value if value is not None and value in options else ""

        asked = query.get("decision_year")
        return cls(
            year=page_year if asked is None else next((y for y in years if y.label == asked), None),
            service_area=choice(query.get("service_area"), ServiceArea.values),
            outcome=choice(query.get("outcome"), Outcome.values),
        )

    def __bool__(self) -> bool:
        return bool(self.year or self.service_area or self.outcome)


@dataclass(frozen=True)
class CouncilPage:
    authority: Authority
    year: ReportingYear
    years: list[ReportingYear]
    row: Totals | None
    group: str
    group_name: str
    group_plural: str
    stats: list[KeyStatistic]
    rate: RateStatistic | None
    trend: list[TrendPoint]
    trend_rows: list[TrendRow]
    chart: dict[str, Any] | None
    areas: list[cases.AreaRow]
    decisions: Page[Any]
    filters: Filters
    filtered: bool
    reports: QuerySet[Any]
    improvements: Page[Any]  # the page's year's, IMPROVEMENTS_PER_PAGE at a time
    synthetic: bool
    letters: list[PublicLetter]
    successors: QuerySet[Authority]
    predecessors: QuerySet[Authority]
    page_query: str = ""
    service_area_choices: list[tuple[str, str]] = field(
        default_factory=lambda: list(ServiceArea.choices)
    )
    outcome_choices: list[tuple[str, str]] = field(default_factory=lambda: list(Outcome.choices))
    figures: AuthorityFigures | None = None
    notes: list[yearly.NoteMark] = field(default_factory=list)
    categories: tuple[str, list[yearly.CategoryRow]] | None = None
    neighbours: Neighbours | None = None  # additional views beside the group average
    handling: Handling | None = None  # the council's own complaint handling (its own words)
    replies: list[PublicReply] = field(default_factory=list)  # its replies to its letters


def council_page(
    authority: Authority,
    year: ReportingYear,
    years: list[ReportingYear],
    *,
    filters: Filters,
    page_number: str | None,
    page_query: str,
    improvements_page: str | None = None,
) -> CouncilPage:
    """Everything the council page shows (``year`` already checked published and existing)."""
    data = figures.authority(year, authority.gss_code)
    group = data.group if data else authority.group
    points = trend(authority)
    notes = yearly.notes(sorted({p.year for p in points} | {year}), group=group)
    found = cases.decisions(
        authority,
        years,
        year=filters.year,
        service_area=filters.service_area,
        outcome=filters.outcome,
    )
    own, replies = council_handling(authority, year), council_replies(authority)
    return CouncilPage(
        authority=authority,
        year=year,
        years=years,
        row=totals(data) if data else None,
        group=group,
        group_name=GROUP_SINGULAR.get(group, ""),
        group_plural=GROUP_PLURAL.get(group, "similar councils"),
        stats=key_statistics(data) if data else [],
        rate=per_100k_statistic(data) if data else None,
        trend=points,
        trend_rows=trend_rows(points, notes),
        chart=trend_chart(points, notes),
        notes=notes,
        categories=yearly.categories(data) if data else None,
        areas=cases.service_areas(data.by_service_area) if data else [],
        decisions=Paginator(found, DECISIONS_PER_PAGE).get_page(page_number),
        filters=filters,
        filtered=bool(filters.service_area or filters.outcome),
        page_query=page_query,
        reports=cases.public_reports(authority, years),
        improvements=Paginator(
            cases.service_improvements(authority, years, decided_in=[year]), IMPROVEMENTS_PER_PAGE
        ).get_page(improvements_page),
        synthetic=bool(data and data.synthetic)
        or cases.has_synthetic_cases(authority, years)
        or bool(own and own.synthetic)
        or any(r.synthetic for r in replies),
        letters=letters(authority),
        successors=authority.successors.all(),
        predecessors=authority.predecessors.all(),
        figures=data,
        neighbours=neighbours(authority, data) if data else None,
        handling=own,
        replies=replies,
    )
