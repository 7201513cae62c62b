"""Gather a reporting year's counts from the casework with set-based aggregate queries.

Five grouped queries per year, each aggregated in the database (no per-case Python):

1. cases **received** in the year (by ``received_date``), per authority and service area;
2. **decisions** made in the year (by ``decision_date``), per authority, service area and
   outcome, with those upheld with a satisfactory remedy by the authority;
3. **public reports** issued in the year (by ``public_report_date``);
4. **compliance outcomes** recorded in the year (by ``recorded_date``), per outcome, counted
   against the authority and service area of their case;
5. **service improvements**: every recommendation marked ``service_improvement`` on a case
   *decided* in the year counts once, in the year of that decision (whatever its due date).

Each query also counts rows from synthetic datasets, so a row knows whether any of its counted
casework is synthetic. Authorities are those with an ``AuthorityYear`` in the year (zeros
included); counts about other authorities are returned as ``unattributed``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q

from councilperf.authorities.models import Authority, AuthorityYear
from councilperf.casework.models import (
    Case,
    ComplianceOutcome,
    ComplianceResult,
    Dataset,
    Outcome,
    Recommendation,
)
from councilperf.statistics.core import AuthorityCounts
from councilperf.statistics.core.counts import COUNT_FIELDS
from councilperf.years import ReportingYear

NO_SERVICE_AREA = ""


@dataclass
class GatheredAuthority:
    authority: Authority
    group: str
    population: int | None
    population_estimate: int | None
    counts: AuthorityCounts
    synthetic: bool
    by_service_area: dict[str, dict[str, int]]


@dataclass
class GatheredYear:
    year: ReportingYear
    authorities: list[GatheredAuthority]
    unattributed: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        return any(a.synthetic for a in self.authorities)


class _Tally:
    """Counts per (authority id, service area) from grouped query rows."""

    def __init__(self) -> None:
        self.counts: dict[int, dict[str, dict[str, int]]] = defaultdict(
            lambda: defaultdict(lambda: dict.fromkeys(COUNT_FIELDS, 0))
        )
        self.synthetic: set[int] = set()

    def add(self, authority_id: int, area: str | None, name: str, value: int) -> None:
        if value:
            self.counts[authority_id][area or NO_SERVICE_AREA][name] += value

    def add_rows(self, rows: Iterable[Mapping[str, Any]], names: Iterable[str]) -> None:
        names = tuple(names)
        for row in rows:
            for name in names:
                self.add(row["authority_id"], row["area"], name, row[name])
            if row["synthetic"]:
                self.synthetic.add(row["authority_id"])


def _synthetic(synthetic_ids: list[int], path: str = "") -> Count:
    return Count("pk", filter=Q(**{f"{path}dataset_id__in": synthetic_ids}))


def gather_year(year: ReportingYear) -> GatheredYear:
    start, end = year.start, year.end
    synthetic_ids = list(Dataset.objects.filter(synthetic=True).values_list("pk", flat=True))
    tally = _Tally()

    received = (
        Case.objects.filter(received_date__range=(start, end))
        .values("authority_id", area=F("service_area"))
        .annotate(complaints_received=Count("pk"), synthetic=_synthetic(synthetic_ids))
        .order_by()
    )
    tally.add_rows(received, ["complaints_received"])

    outcome_names = [str(o) for o in Outcome]
    decided = (
        Case.objects.filter(decision_date__range=(start, end))
        .exclude(outcome="")
        .values("authority_id", area=F("service_area"))
        .annotate(
            **{name: Count("pk", filter=Q(outcome=name)) for name in outcome_names},
            upheld_with_satisfactory_remedy=Count(
                "pk", filter=Q(outcome=Outcome.UPHELD, remedied_by_authority=True)
            ),
            synthetic=_synthetic(synthetic_ids),
        )
        .order_by()
    )
    names = {str(Outcome.REFERRED_BACK): "referred_back_for_local_resolution"}
    decided_rows: Iterable[Mapping[str, Any]] = decided
    for row in decided_rows:
        for name in outcome_names:
            tally.add(row["authority_id"], row["area"], names.get(name, name), row[name])
        tally.add(
            row["authority_id"],
            row["area"],
            "upheld_with_satisfactory_remedy",
            row["upheld_with_satisfactory_remedy"],
        )
        if row["synthetic"]:
            tally.synthetic.add(row["authority_id"])

    reports = (
        Case.objects.filter(public_report_date__range=(start, end))
        .values("authority_id", area=F("service_area"))
        .annotate(public_reports=Count("pk"), synthetic=_synthetic(synthetic_ids))
        .order_by()
    )
    tally.add_rows(reports, ["public_reports"])

    compliance = (
        ComplianceOutcome.objects.filter(recorded_date__range=(start, end))
        .values(authority_id=F("case__authority_id"), area=F("case__service_area"))
        .annotate(
            **{str(r): Count("pk", filter=Q(outcome=r)) for r in ComplianceResult},
            synthetic=_synthetic(synthetic_ids, "case__"),
        )
        .order_by()
    )
    tally.add_rows(compliance, [str(r) for r in ComplianceResult])

    improvements = (
        Recommendation.objects.filter(
            service_improvement=True, case__decision_date__range=(start, end)
        )
        .values(authority_id=F("case__authority_id"), area=F("case__service_area"))
        .annotate(service_improvements=Count("pk"), synthetic=_synthetic(synthetic_ids, "case__"))
        .order_by()
    )
    tally.add_rows(improvements, ["service_improvements"])

    return _assemble(year, tally)


def _assemble(year: ReportingYear, tally: _Tally) -> GatheredYear:
    rows = AuthorityYear.objects.filter(year=year.label).select_related("authority")
    gathered: list[GatheredAuthority] = []
    seen: set[int] = set()
    for row in rows:
        seen.add(row.authority_id)
        areas = {
            area: {k: v for k, v in values.items() if v}
            for area, values in sorted(tally.counts.get(row.authority_id, {}).items())
        }
        totals = dict.fromkeys(COUNT_FIELDS, 0)
        for values in areas.values():
            for name, value in values.items():
                totals[name] += value
        gathered.append(
            GatheredAuthority(
                authority=row.authority,
                group=row.group,
                population=row.population,
                population_estimate=row.population_estimate,
                counts=AuthorityCounts(
                    key=row.authority.gss_code,
                    group=row.group,
                    population=row.population,
                    **totals,
                ),
                synthetic=row.authority_id in tally.synthetic,
                by_service_area=areas,
            )
        )
    gathered.sort(key=lambda a: a.authority.official_name)
    unattributed: dict[str, dict[str, int]] = {}
    missing = set(tally.counts) - seen
    if missing:
        codes = dict(Authority.objects.filter(pk__in=missing).values_list("pk", "gss_code"))
        for authority_id in sorted(missing, key=lambda pk: codes[pk]):
            totals = dict.fromkeys(COUNT_FIELDS, 0)
            for values in tally.counts[authority_id].values():
                for name, value in values.items():
                    totals[name] += value
            unattributed[codes[authority_id]] = {k: v for k, v in totals.items() if v}
    return GatheredYear(year=year, authorities=gathered, unattributed=unattributed)
