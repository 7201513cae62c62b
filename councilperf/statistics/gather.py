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

Each query groups by a reporting-year column the database keeps from the date (``Case``'s
``received_year``, ``decision_year``, ``public_report_year``; ``ComplianceOutcome``'s
``recorded_year``), so no date arithmetic runs per row, and covering indexes let SQLite read the
cases in group order without sorting them.

Whether a row's casework is synthetic is settled once from the datasets holding cases: when
none or all of them are synthetic no per-row test is needed; only when some are does each query
also count the rows from synthetic datasets.

Authorities are those with an ``AuthorityYear`` in the year (zeros included); counts about
other authorities are returned as ``unattributed``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

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
    population_file: str = ""  # the reference file(s) the population was read from


@dataclass
class GatheredYear:
    year: ReportingYear
    authorities: list[GatheredAuthority]
    unattributed: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        return any(a.synthetic for a in self.authorities)


class _Synthetic(Enum):
    """Which of the counted casework comes from synthetic datasets, found once per gathering
    from the datasets that hold cases: none, all, or some (only then counted per row)."""

    NONE = "none"
    ALL = "all"
    SOME = "some"


def _synthetic_datasets() -> tuple[_Synthetic, list[int]]:
    """(which casework is synthetic, the ids of synthetic datasets holding cases)."""
    rows = (
        Dataset.objects.annotate(has_cases=Exists(Case.objects.filter(dataset=OuterRef("pk"))))
        .filter(has_cases=True)
        .values_list("pk", "synthetic")
    )
    kinds = {pk: synthetic for pk, synthetic in rows}
    synthetic_ids = sorted(pk for pk, synthetic in kinds.items() if synthetic)
    if not synthetic_ids:
        return _Synthetic.NONE, []
    if len(synthetic_ids) == len(kinds):
        return _Synthetic.ALL, synthetic_ids
    return _Synthetic.SOME, synthetic_ids


class _Tally:
    """Counts per (year, authority id, service area) from grouped query rows."""

    def __init__(self, years: Iterable[int], synthetic: _Synthetic) -> None:
        self.counts: dict[int, dict[int, dict[str, dict[str, int]]]] = {y: {} for y in years}
        self.synthetic: dict[int, set[int]] = {y: set() for y in self.counts}
        self.mode = synthetic

    def add_rows(self, rows: Iterable[Sequence[Any]], names: Sequence[str]) -> None:
        """Rows of (year, authority id, service area, *counts named ``names``[, synthetic
        count, when only some datasets are synthetic])."""
        per_row = self.mode is _Synthetic.SOME
        every_row = self.mode is _Synthetic.ALL
        columns = list(enumerate(names, start=3))
        for row in rows:
            year, authority_id = row[0], row[1]
            by_authority = self.counts.get(year)
            if by_authority is None:  # a year not asked for
                continue
            areas = by_authority.get(authority_id)
            if areas is None:
                areas = by_authority[authority_id] = {}
            area = row[2] or NO_SERVICE_AREA
            counts = areas.get(area)
            if counts is None:
                counts = areas[area] = dict.fromkeys(COUNT_FIELDS, 0)
            for position, name in columns:
                counts[name] += row[position]
            if every_row or (per_row and row[-1]):
                self.synthetic[year].add(authority_id)


def _synthetic_count(mode: _Synthetic, synthetic_ids: list[int], path: str = "") -> dict[str, Any]:
    """The per-row synthetic count, only needed when some (not all) datasets are synthetic."""
    if mode is not _Synthetic.SOME:
        return {}
    return {"synthetic": Count("pk", filter=Q(**{f"{path}dataset_id__in": synthetic_ids}))}


def _fetch_all(queryset: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``queryset``'s SQL as the driver returns them, in one fetch.

    For grouped integer counts this skips the ORM's per-value converters and its fetching in
    chunks of 100 rows, which together cost more than some of the queries themselves."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def gather_year(year: ReportingYear) -> GatheredYear:
    """The counts of one reporting year (see :func:`gather_years`)."""
    return gather_years([year])[year.label]


@dataclass(frozen=True)
class _Grouped:
    """Grouped count queries over a span of reporting years."""

    span: tuple[int, int]
    mode: _Synthetic
    synthetic_ids: list[int]

    def rows(
        self,
        queryset: QuerySet[Any, Any],
        column: str,
        path: str,
        counts: dict[str, Any],
        *,
        by_case_index: bool = True,
    ) -> Iterable[Sequence[Any]]:
        """Rows of (year, authority id, service area, *counts[, synthetic]), the year read
        from the reporting-year ``column`` (``received_year``…).

        ``by_case_index=False``: no condition on the year, and the year grouped by as an
        expression (``+ 0``), so that no index of the cases can serve the query: SQLite
        then reads the (smaller) related table first whatever its statistics say."""
        counts = {**counts, **_synthetic_count(self.mode, self.synthetic_ids, path)}
        if by_case_index:
            queryset = queryset.filter(**{f"{column}__range": self.span})
        year_value = F(column) if by_case_index else F(column) + 0
        return _fetch_all(
            queryset.values(ry=year_value, a=F(f"{path}authority_id"), s=F(f"{path}service_area"))
            .annotate(**counts)
            .order_by()
            .values_list("ry", "a", "s", *counts)
        )


def gather_years(years: Iterable[ReportingYear]) -> dict[str, GatheredYear]:
    """The counts of several reporting years, each query run once for all of them.

    Each query groups by a reporting-year column the database keeps from the date
    (``received_year``, ``decision_year``, …), read from covering indexes where it helps.
    """
    wanted = sorted(set(years))
    if not wanted:
        return {}
    mode, synthetic_ids = _synthetic_datasets()
    tally = _Tally((y.start_year for y in wanted), mode)
    grouped = _Grouped((wanted[0].start_year, wanted[-1].start_year), mode, synthetic_ids)
    _tally_cases(tally, grouped)
    _tally_recommendations(tally, grouped)
    return {
        year.label: _assemble(year, tally.counts[year.start_year], tally.synthetic[year.start_year])
        for year in wanted
    }


def _tally_cases(tally: _Tally, grouped: _Grouped) -> None:
    """Cases received, decisions by outcome and remedy, and public reports."""
    tally.add_rows(
        grouped.rows(Case.objects.all(), "received_year", "", {"n": Count("pk")}),
        ["complaints_received"],
    )
    outcomes = {str(o): str(o) for o in Outcome}
    decided_counts: dict[str, Any] = {
        f"n_{code}": Count("pk", filter=Q(outcome=code)) for code in outcomes
    }
    decided_counts["n_remedied"] = Count(
        "pk", filter=Q(outcome=Outcome.UPHELD, remedied_by_authority=True)
    )
    tally.add_rows(
        grouped.rows(Case.objects.exclude(outcome=""), "decision_year", "", decided_counts),
        [*outcomes.values(), "upheld_with_satisfactory_remedy"],
    )
    tally.add_rows(
        grouped.rows(Case.objects.all(), "public_report_year", "", {"n": Count("pk")}),
        ["public_reports"],
    )


def _tally_recommendations(tally: _Tally, grouped: _Grouped) -> None:
    """Compliance outcomes by result, and service improvements."""
    results = [str(r) for r in ComplianceResult]
    tally.add_rows(
        grouped.rows(
            ComplianceOutcome.objects.all(),
            "recorded_year",
            "case__",
            {f"n_{r}": Count("pk", filter=Q(outcome=r)) for r in results},
        ),
        results,
    )
    # Every recommendation marked as a service improvement counts in its case's decision year.
    # Read from the recommendations, looking their cases up: SQLite would otherwise read the
    # cases first (through their decision index) and look their recommendations up, several
    # times slower. Years not asked for are skipped.
    tally.add_rows(
        grouped.rows(
            Recommendation.objects.filter(service_improvement=True),
            "case__decision_year",
            "case__",
            {"n": Count("pk")},
            by_case_index=False,
        ),
        ["service_improvements"],
    )


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
        areas = _non_zero(counts.get(row.authority_id, {}))
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
                population_file=row.population_file,
            )
        )
    gathered.sort(key=lambda a: a.authority.official_name)
    unattributed: dict[str, dict[str, int]] = {}
    missing = {pk for pk in set(counts) - seen if _non_zero(counts[pk])}
    if missing:
        codes = dict(Authority.objects.filter(pk__in=missing).values_list("pk", "gss_code"))
        for authority_id in sorted(missing, key=lambda pk: codes[pk]):
            totals = dict.fromkeys(COUNT_FIELDS, 0)
            for area_counts in counts[authority_id].values():
                for name, value in area_counts.items():
                    totals[name] += value
            unattributed[codes[authority_id]] = {k: v for k, v in totals.items() if v}
    return GatheredYear(year=year, authorities=gathered, unattributed=unattributed)


def _non_zero(areas: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """The non-zero counts of each service area that has any, in service area order."""
    kept = {area: {k: v for k, v in values.items() if v} for area, values in sorted(areas.items())}
    return {area: values for area, values in kept.items() if values}
