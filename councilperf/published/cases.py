"""A council's decisions: by year and service area, public reports and improvements.

The one doorway through which the public site reads case-level data: a decision or a
recommendation is shown only when it is dated within a published year (``years``, the
published years), and a public report or a compliance outcome only when dated by the end of
the last published year (``embargo``, the one rule the API and the open data apply too): a
compliance outcome recorded in a year not yet published is not shown (``shown_compliance`` is
None) until that year is published, even on an earlier year's page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from councilperf.authorities.models import Authority
from councilperf.casework.models import (
    Case,
    Outcome,
    Recommendation,
    ServiceArea,
)
from councilperf.statistics.format import percent_of
from councilperf.years import ReportingYear

from . import embargo


def _year_range(years: Iterable[ReportingYear], field: str = "decision_date") -> Q:
    """Rows whose ``field`` falls within one of the years."""
    q = Q(pk__in=[])
    for year in years:
        q |= Q(**{f"{field}__gte": year.start, f"{field}__lte": year.end})
    return q


def decided_cases(authority: Authority, years: Iterable[ReportingYear]) -> QuerySet[Case]:
    """Decisions about the authority made in the given (published) years."""
    return (
        Case.objects.filter(authority=authority)
        .exclude(outcome="")
        .filter(_year_range(years))
        .select_related("dataset")
    )


@dataclass
class AreaRow:
    code: str
    label: str
    decisions: int
    investigations: int
    upheld: int
    rate: str
    bar: int = field(default=0)


def service_areas(by_area: Mapping[str, Mapping[str, int]]) -> list[AreaRow]:
    """Decisions by service area from the published figures (not recomputed)."""
    labels = dict(ServiceArea.choices)
    outcomes = [str(o) for o in Outcome]
    rows = []
    for code, counts in by_area.items():
        decided = sum(int(counts.get(o, 0)) for o in outcomes)
        if not decided:
            continue
        investigations = int(counts.get("upheld", 0)) + int(counts.get("not_upheld", 0))
        upheld = int(counts.get("upheld", 0))
        rows.append(
            AreaRow(
                code=code,
                label=labels.get(code, "Other or not recorded"),
                decisions=decided,
                investigations=investigations,
                upheld=upheld,
                rate=percent_of(upheld, investigations),
            )
        )
    top = max((r.decisions for r in rows), default=0)
    for r in rows:
        r.bar = round(100 * r.decisions / top) if top else 0
    return sorted(rows, key=lambda r: (-r.decisions, r.label))


def decisions(
    authority: Authority,
    years: Sequence[ReportingYear],
    *,
    year: ReportingYear | None = None,
    service_area: str = "",
    outcome: str = "",
) -> QuerySet[Case]:
    chosen = [year] if year is not None and year in years else list(years)
    found = decided_cases(authority, chosen)
    if service_area in ServiceArea.values:
        found = found.filter(service_area=service_area)
    if outcome in Outcome.values:
        found = found.filter(outcome=outcome)
    return found.order_by("-decision_date", "reference")


def public_reports(authority: Authority, years: Sequence[ReportingYear]) -> QuerySet[Case]:
    return (
        decided_cases(authority, years)
        .filter(embargo.dated_by_cutoff("public_report_date"))
        .order_by("-public_report_date")
    )


def service_improvements(
    authority: Authority,
    years: Sequence[ReportingYear],
    *,
    decided_in: Sequence[ReportingYear] | None = None,
) -> list[Recommendation]:
    """Service improvements agreed in decisions of the published years (or of those of
    ``decided_in`` that are published), each with ``shown_compliance``: its case's compliance
    outcome if recorded by the embargo's cut-off."""
    chosen = [y for y in decided_in if y in years] if decided_in is not None else years
    cases = decided_cases(authority, chosen)
    found = list(
        Recommendation.objects.filter(service_improvement=True, case__in=cases)
        .select_related("case", "case__compliance")
        .order_by("-case__decision_date", "case__reference", "id")
    )
    for recommendation in found:
        shown = embargo.compliance(recommendation.case)
        recommendation.shown_compliance = shown  # type: ignore[attr-defined]
    return found


def has_synthetic_cases(authority: Authority, years: Sequence[ReportingYear]) -> bool:
    return decided_cases(authority, years).filter(dataset__synthetic=True).exists()


def cases_in_years(years: Sequence[ReportingYear]) -> QuerySet[Case]:
    """Decisions about any authority made in the given (published) years: the open data's
    year-wide view of the same decisions as :func:`decided_cases`."""
    return (
        Case.objects.exclude(outcome="")
        .filter(_year_range(years))
        .select_related("dataset", "authority")
    )


def improvements_in_years(years: Sequence[ReportingYear]) -> QuerySet[Recommendation]:
    """Service improvements recommended in decisions of the given (published) years."""
    return (
        Recommendation.objects.filter(service_improvement=True, case__in=cases_in_years(years))
        .select_related("case", "case__authority", "case__dataset", "case__compliance")
        .order_by("case__decision_date", "case__reference", "id")
    )
