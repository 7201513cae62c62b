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

from django.db.models import Case as Case_
from django.db.models import Count, F, IntegerField, Q, QuerySet, Value, When

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
    """Counts per (year, authority id, service area) from grouped query rows."""

    def __init__(self) -> None:
        self.counts: dict[int, dict[int, dict[str, dict[str, int]]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(lambda: dict.fromkeys(COUNT_FIELDS, 0)))
        )
        self.synthetic: dict[int, set[int]] = defaultdict(set)

    def add(self, row: Mapping[str, Any], name: str, value: int) -> None:
        if value:
            area = row["area"] or NO_SERVICE_AREA
            self.counts[row["ry"]][row["authority_id"]][area][name] += value

    def add_rows(
        self, rows: Iterable[Mapping[str, Any]], names: Mapping[str, str] | Iterable[str]
    ) -> None:
        mapping = dict(names) if isinstance(names, Mapping) else {n: n for n in names}
        for row in rows:
            for column, name in mapping.items():
                self.add(row, name, row[column])
            if row["synthetic"]:
                self.synthetic[row["ry"]].add(row["authority_id"])


def _synthetic(synthetic_ids: list[int], path: str = "") -> Count:
    return Count("pk", filter=Q(**{f"{path}dataset_id__in": synthetic_ids}))


def _reporting_year(field_name: str, years: list[ReportingYear]) -> Case_:
    """The start year of the reporting year containing ``field_name``'s date, in SQL.

    Plain range comparisons (no date functions, which SQLite would run in Python)."""
    return Case_(
        *[
            When(**{f"{field_name}__range": (y.start, y.end)}, then=Value(y.start_year))
            for y in years
        ],
        default=Value(None),
        output_field=IntegerField(),
    )


def gather_year(year: ReportingYear) -> GatheredYear:
    """The counts of one reporting year (see :func:`gather_years`)."""
    return gather_years([year])[year.label]


def gather_years(years: Iterable[ReportingYear]) -> dict[str, GatheredYear]:
    """The counts of several reporting years, each query run once for all of them."""
    wanted = sorted(set(years))
    if not wanted:
        return {}
    first, last = wanted[0].start, wanted[-1].end
    synthetic_ids = list(Dataset.objects.filter(synthetic=True).values_list("pk", flat=True))
    tally = _Tally()

    def case_query(date_field: str) -> QuerySet[Any, Any]:
        return (
            Case.objects.filter(**{f"{date_field}__range": (first, last)})
            .annotate(ry=_reporting_year(date_field, wanted))
            .values("ry", "authority_id", area=F("service_area"))
        )

    received = case_query("received_date").annotate(
        complaints_received=Count("pk"), synthetic=_synthetic(synthetic_ids)
    )
    tally.add_rows(received.order_by(), ["complaints_received"])

    outcomes = {str(o): str(o) for o in Outcome}
    outcomes[str(Outcome.REFERRED_BACK)] = "referred_back_for_local_resolution"
    decided = (
        case_query("decision_date")
        .exclude(outcome="")
        .annotate(
            **{f"n_{code}": Count("pk", filter=Q(outcome=code)) for code in outcomes},
            n_remedied=Count("pk", filter=Q(outcome=Outcome.UPHELD, remedied_by_authority=True)),
            synthetic=_synthetic(synthetic_ids),
        )
    )
    decided_names = {f"n_{code}": name for code, name in outcomes.items()}
    decided_names["n_remedied"] = "upheld_with_satisfactory_remedy"
    tally.add_rows(decided.order_by(), decided_names)

    reports = case_query("public_report_date").annotate(
        public_reports=Count("pk"), synthetic=_synthetic(synthetic_ids)
    )
    tally.add_rows(reports.order_by(), ["public_reports"])

    compliance = (
        ComplianceOutcome.objects.filter(recorded_date__range=(first, last))
        .annotate(ry=_reporting_year("recorded_date", wanted))
        .values("ry", authority_id=F("case__authority_id"), area=F("case__service_area"))
        .annotate(
            **{str(r): Count("pk", filter=Q(outcome=r)) for r in ComplianceResult},
            synthetic=_synthetic(synthetic_ids, "case__"),
        )
    )
    tally.add_rows(compliance.order_by(), [str(r) for r in ComplianceResult])

    improvements = (
        Recommendation.objects.filter(
            service_improvement=True, case__decision_date__range=(first, last)
        )
        .annotate(ry=_reporting_year("case__decision_date", wanted))
        .values("ry", authority_id=F("case__authority_id"), area=F("case__service_area"))
        .annotate(service_improvements=Count("pk"), synthetic=_synthetic(synthetic_ids, "case__"))
    )
    tally.add_rows(improvements.order_by(), ["service_improvements"])

    return {
        year.label: _assemble(
            year, tally.counts.get(year.start_year, {}), tally.synthetic.get(year.start_year, set())
        )
        for year in wanted
    }


def _assemble(
    year: ReportingYear,
    counts: Mapping[int, Mapping[str, Mapping[str, int]]],
    synthetic: set[int],
) -> GatheredYear:
    rows = AuthorityYear.objects.filter(year=year.label).select_related("authority")
    gathered: list[GatheredAuthority] = []
    seen: set[int] = set()
    for row in rows:
        seen.add(row.authority_id)
        areas = {
            area: {k: v for k, v in values.items() if v}
            for area, values in sorted(counts.get(row.authority_id, {}).items())
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
                synthetic=row.authority_id in synthetic,
                by_service_area=areas,
            )
        )
    gathered.sort(key=lambda a: a.authority.official_name)
    unattributed: dict[str, dict[str, int]] = {}
    missing = set(counts) - seen
    if missing:
        codes = dict(Authority.objects.filter(pk__in=missing).values_list("pk", "gss_code"))
        for authority_id in sorted(missing, key=lambda pk: codes[pk]):
            totals = dict.fromkeys(COUNT_FIELDS, 0)
            for area_counts in counts[authority_id].values():
                for name, value in area_counts.items():
                    totals[name] += value
            unattributed[codes[authority_id]] = {k: v for k, v in totals.items() if v}
    return GatheredYear(year=year, authorities=gathered, unattributed=unattributed)
