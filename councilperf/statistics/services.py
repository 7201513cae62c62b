"""Compute, freeze and correct a review year's statistics (the only writes of this app).

- :func:`compute_statistics` — recompute a draft year (creating the review year as a draft
  if it does not exist); refused once the year is frozen.
- :func:`freeze_statistics` — compute and store revision 1, immutable; the year is frozen.
- :func:`correct_statistics` — on a frozen year, compute and store revision n + 1 with a
  reason; earlier revisions stay as they were.
"""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from councilperf.statistics.core import (
    AuthorityResult,
    PeerAverage,
    PeerMethod,
    ProportionResult,
    compute_year,
)
from councilperf.statistics.core.counts import COUNT_FIELDS
from councilperf.statistics.core.intervals import Interval
from councilperf.statistics.gather import (
    GatheredAuthority,
    GatheredYear,
    gather_year,
    gather_years,
)
from councilperf.statistics.models import (
    AuthorityStatistics,
    GroupStatistics,
    ReviewYear,
    StatisticsRevision,
)
from councilperf.writelock import writing
from councilperf.years import ReportingYear


class StatisticsError(Exception):
    """A request the state of the year does not allow (message for the user)."""


def get_or_create_review_year(
    *,
    year: ReportingYear,
    letter_date: dt.date | None = None,
    publication_date: dt.date | None = None,
) -> tuple[ReviewYear, bool]:
    """The year's review year, and whether it was made now. The one place a review year is
    created: a new one is a draft with the dates given, linked to the year before it when that
    one has no following year yet."""
    review_year, created = ReviewYear.objects.get_or_create(
        year=year.label,
        defaults={"letter_date": letter_date, "publication_date": publication_date},
    )
    if created:
        previous = ReviewYear.objects.filter(year=year.previous.label)
        previous_year = previous.first()
        if previous_year is not None and not hasattr(previous_year, "following"):
            review_year.previous = previous_year
            review_year.save(update_fields=["previous"])
    return review_year, created


def compute_statistics(*, year: ReportingYear) -> StatisticsRevision:
    """Recompute the draft statistics of ``year`` from the casework as it is now."""
    with writing(what="a statistics write"):
        review_year, _ = get_or_create_review_year(year=year)
        review_year = ReviewYear.objects.select_for_update().get(pk=review_year.pk)
        if review_year.status == ReviewYear.Status.FROZEN:
            raise StatisticsError(
                f"{review_year.year} is frozen: record a correction (correct_statistics) instead"
            )
        StatisticsRevision.objects.filter(review_year=review_year, number__isnull=True).delete()
        return _store(review_year, number=None, reason="")


def compute_all_statistics(*, years: list[ReportingYear]) -> list[StatisticsRevision]:
    """Recompute the drafts of several years, gathering all their counts in one pass.

    Frozen years are skipped (left out of the result)."""
    with writing(what="a statistics write"):
        review_years = [get_or_create_review_year(year=y)[0] for y in sorted(set(years))]
        drafts = [ry for ry in review_years if ry.status == ReviewYear.Status.DRAFT]
        gathered = gather_years(ry.reporting_year for ry in drafts)
        revisions = []
        for review_year in drafts:
            StatisticsRevision.objects.filter(review_year=review_year, number__isnull=True).delete()
            revisions.append(
                _store(review_year, number=None, reason="", gathered=gathered[review_year.year])
            )
        return revisions


def freeze_statistics(*, year: ReportingYear, reason: str = "") -> StatisticsRevision:
    """Compute the year afresh and store it as revision 1; the year becomes frozen."""
    with writing(what="a statistics write"):
        review_year, _ = get_or_create_review_year(year=year)
        review_year = ReviewYear.objects.select_for_update().get(pk=review_year.pk)
        if review_year.status == ReviewYear.Status.FROZEN:
            raise StatisticsError(f"{review_year.year} is already frozen")
        StatisticsRevision.objects.filter(review_year=review_year, number__isnull=True).delete()
        revision = _store(review_year, number=1, reason=reason or "First publication.")
        review_year.status = ReviewYear.Status.FROZEN
        review_year.save(update_fields=["status"])
        return revision


def correct_statistics(*, year: ReportingYear, reason: str) -> StatisticsRevision:
    """Store a new revision of a frozen year, computed afresh, with the reason for it."""
    if not reason.strip():
        raise StatisticsError("a correction needs a reason")
    label = year.label
    with writing(what="a statistics write"):
        review_year = ReviewYear.objects.select_for_update().filter(year=label).first()
        if review_year is None or review_year.status != ReviewYear.Status.FROZEN:
            raise StatisticsError(f"{label} is not frozen: recompute the draft instead")
        latest = review_year.revisions.aggregate(n=Max("number"))["n"] or 0
        return _store(review_year, number=latest + 1, reason=reason.strip())


def _store(
    review_year: ReviewYear,
    *,
    number: int | None,
    reason: str,
    gathered: GatheredYear | None = None,
) -> StatisticsRevision:
    if gathered is None:
        gathered = gather_year(review_year.reporting_year)
    method = PeerMethod(review_year.peer_method)
    threshold = int(settings.SMALL_NUMBER_THRESHOLD)
    result = compute_year(
        [a.counts for a in gathered.authorities], method=method, threshold=threshold
    )
    revision = StatisticsRevision.objects.create(
        review_year=review_year,
        number=number,
        reason=reason,
        computed_at=timezone.now(),
        peer_method=method.value,
        small_number_threshold=threshold,
        synthetic=gathered.synthetic,
        unattributed=gathered.unattributed,
    )
    _insert_rows(
        AuthorityStatistics,
        [
            _authority_row(revision, source, computed)
            for source, computed in zip(gathered.authorities, result.authorities, strict=True)
        ],
    )
    groups = [*result.groups.values(), result.national]
    GroupStatistics.objects.bulk_create(_group_row(revision, gathered, g) for g in groups)
    return revision


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _pair(interval: Interval | None) -> list[float] | None:
    return None if interval is None else [interval.lower, interval.upper]


def _proportion(item: ProportionResult) -> dict[str, Any]:
    return {
        "rate": _float(item.value),
        "lower": item.interval.lower if item.interval else None,
        "upper": item.interval.upper if item.interval else None,
        "peer": _float(item.peer),
        "peer_exact": _exact(item.peer),
        "comparison": item.comparison.value,
    }


def _insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (values by field attname; every concrete field but the primary key)
    in one statement per backend's fastest way: COPY on PostgreSQL, one prepared INSERT run
    for every row elsewhere.

    Cheaper than ``bulk_create`` for a few thousand rows of JSON (no model instances, no
    per-value preparation; on PostgreSQL no array literals to quote). JSON fields are written
    as their JSON text; other values must be plain Python values the driver adapts.
    """
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    json_fields = {f.attname: f for f in fields if isinstance(f, models.JSONField)}
    columns = [f.attname for f in fields]
    values = [
        tuple(
            json.dumps(row[name], cls=json_fields[name].encoder)
            if name in json_fields
            else row[name]
            for name in columns
        )
        for row in rows
    ]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.get_attname_column()[1] or f.attname) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row_values in values:
                    copy.write_row(row_values)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)


def _authority_row(
    revision: StatisticsRevision, source: GatheredAuthority, computed: AuthorityResult
) -> dict[str, Any]:
    rate = computed.upheld_per_100k
    figures = {
        "upheld": _proportion(computed.upheld),
        "satisfactory_remedy": _proportion(computed.satisfactory_remedy),
        "compliance": _proportion(computed.compliance),
        "late_remedy": _proportion(computed.late_remedy),
        "upheld_per_100k": {
            "rate": _float(rate.value),
            "lower": rate.interval.lower if rate.interval else None,
            "upper": rate.interval.upper if rate.interval else None,
            "peer": _float(rate.peer),
            "peer_exact": _exact(rate.peer),
            "comparison": rate.comparison.value,
        },
    }
    return {
        "revision_id": revision.pk,
        "authority_id": source.authority.pk,
        "group": source.group,
        "population": source.population,
        "population_estimate": source.population_estimate,
        "population_file": source.population_file,
        "synthetic": source.synthetic,
        "figures": figures,
        "by_service_area": source.by_service_area,
        **{name: getattr(source.counts, name) for name in COUNT_FIELDS},
    }


def _group_row(
    revision: StatisticsRevision, gathered: GatheredYear, average: PeerAverage
) -> GroupStatistics:
    figures = {
        name: {"value": _float(value), "exact": _exact(value)}
        for name, value in [
            ("upheld_rate", average.upheld_rate),
            ("satisfactory_remedy_rate", average.satisfactory_remedy_rate),
            ("compliance_rate", average.compliance_rate),
            ("upheld_per_100k", average.upheld_per_100k),
            ("late_remedy_rate", average.late_remedy_rate),
        ]
    }
    if average.group == GroupStatistics.NATIONAL:
        synthetic = gathered.synthetic
    else:
        synthetic = any(a.synthetic for a in gathered.authorities if a.group == average.group)
    return GroupStatistics(
        revision=revision,
        group=average.group,
        authorities=average.authorities,
        synthetic=synthetic,
        population=average.population,
        figures=figures,
        **{name: getattr(average.totals, name) for name in COUNT_FIELDS},
    )
