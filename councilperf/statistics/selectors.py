"""Read the stored statistics: the interface letters, the public site and exports rely on.

Which figures: ``revision=None`` means the latest frozen revision of a frozen year, or the
draft of a draft year; a number asks for that frozen revision. What the public may see is
decided by ``councilperf.published.years.snapshot`` alone (frozen, approved, publication date
come); :func:`frozen_dated_years` is its frozen-and-dated part.

Rates are unrounded fractions in [0, 1] (floats) and None where undefined; for display use
``councilperf.statistics.core.whole_percent(numerator, denominator)`` on the counts, or the
``*_percent`` values of :func:`group_averages`, which are rounded on the exact fraction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from councilperf.groups import GROUP_PLURAL
from councilperf.schemes import SCHEME_COLUMNS
from councilperf.statistics import figures as read_model
from councilperf.statistics.core.rounding import whole_percent_of
from councilperf.statistics.dates import DEFAULT_PUBLICATION_TIME
from councilperf.statistics.figures import AuthorityFigures, GroupFigures
from councilperf.statistics.models import (
    AuthorityStatistics,
    GroupStatistics,
    MethodNote,
    ReviewYear,
    StatisticsRevision,
    publication_moment,
)
from councilperf.years import ReportingYear

EXPORT_COLUMNS: tuple[str, ...] = (
    "year",
    "authority_code",
    "authority_name",
    "comparison_group",
    "complaints_received",
    "decisions_made",
    "detailed_investigations",
    "upheld",
    "upheld_rate",
    "upheld_rate_lower",
    "upheld_rate_upper",
    "peer_upheld_rate",
    "upheld_comparison",
    "upheld_with_satisfactory_remedy",
    "satisfactory_remedy_rate",
    "peer_satisfactory_remedy_rate",
    "compliance_outcomes",
    "complied",
    "complied_late",
    "not_complied",
    "compliance_rate",
    "peer_compliance_rate",
    "late_remedy_rate",
    "late_remedy_rate_lower",
    "late_remedy_rate_upper",
    "peer_late_remedy_rate",
    # Decisions in the year's own reporting categories (councilperf.schemes): the classic
    # outcomes until 2023-24, blank after; the dealt-with categories from 2024-25, blank before.
    "reporting_scheme",
    *SCHEME_COLUMNS,
    "service_improvements",
    "public_reports",
    "population",
    "upheld_per_100k",
    "peer_upheld_per_100k",
    "peer_method",
    "revision",
)

RATE_NAMES: tuple[str, ...] = (
    "upheld_rate",
    "satisfactory_remedy_rate",
    "compliance_rate",
    "upheld_per_100k",
    "late_remedy_rate",
)


class StatisticsNotFound(LookupError):
    """No statistics stored for that year (or not that revision)."""


@dataclass(frozen=True)
class RevisionInfo:
    year: ReportingYear
    revision: int | None  # None: the draft
    reason: str
    computed_at: dt.datetime
    peer_method: str
    small_number_threshold: int
    synthetic: bool
    unattributed: dict[str, dict[str, int]]


@dataclass(frozen=True)
class PublishedYear:
    year: ReportingYear
    revision: int  # the latest frozen revision
    letter_date: dt.date | None
    publication_date: dt.date
    synthetic: bool
    computed_at: dt.datetime | None = None  # when the revision was computed (a cache key)
    publication_time: dt.time = DEFAULT_PUBLICATION_TIME

    @property
    def published_at(self) -> dt.datetime:
        """The moment of publication (date and time in the site's zone)."""
        moment = publication_moment(self.publication_date, self.publication_time)
        assert moment is not None
        return moment


def _revision(year: ReportingYear, revision: int | None) -> StatisticsRevision:
    label = year.label
    revisions = StatisticsRevision.objects.filter(review_year__year=label).select_related(
        "review_year"
    )
    if revision is not None:
        found = revisions.filter(number=revision).first()
    elif revisions.filter(review_year__status=ReviewYear.Status.FROZEN).exists():
        found = revisions.filter(number__isnull=False).order_by("-number").first()
    else:
        found = revisions.filter(number__isnull=True).first()
    if found is None:
        which = "any statistics" if revision is None else f"revision {revision}"
        raise StatisticsNotFound(f"{label} has no {which}: run compute_statistics --year {label}")
    return found


def revision_info(*, year: ReportingYear, revision: int | None = None) -> RevisionInfo:
    """Which figures these are: revision number (None for the draft), reason, method…"""
    found = _revision(year, revision)
    return _info(found)


def _info(found: StatisticsRevision) -> RevisionInfo:
    return RevisionInfo(
        year=found.review_year.reporting_year,
        revision=found.number,
        reason=found.reason,
        computed_at=found.computed_at,
        peer_method=found.peer_method,
        small_number_threshold=found.small_number_threshold,
        synthetic=found.synthetic,
        unattributed=found.unattributed,
    )


def revisions(*, year: ReportingYear) -> list[RevisionInfo]:
    """Every stored revision of a year, oldest first (the draft, if any, last)."""
    found = StatisticsRevision.objects.filter(review_year__year=year.label).select_related(
        "review_year"
    )
    infos = [_info(r) for r in found]
    return sorted(infos, key=lambda i: (i.revision is None, i.revision or 0))


def _authority_rows(found: StatisticsRevision) -> QuerySet[AuthorityStatistics]:
    return found.authority_rows.select_related("authority").order_by(
        "authority__official_name", "authority__gss_code"
    )


def export_rows(*, year: ReportingYear, revision: int | None = None) -> list[dict[str, object]]:
    """One dict per authority existing in the year (zeros included), with exactly the
    columns of :data:`EXPORT_COLUMNS` plus ``"synthetic"`` (True when any counted casework
    of that authority comes from a synthetic dataset). Values are str, int, float or None;
    ``revision`` is None for a draft."""
    found = _revision(year, revision)
    return [_export_row(found, row) for row in _authority_rows(found)]


def _authority(found: StatisticsRevision, row: AuthorityStatistics) -> AuthorityFigures:
    """The typed read model of one stored authority row."""
    return read_model.authority(
        year=found.review_year.reporting_year,
        revision=found.number,
        peer_method=found.peer_method,
        code=row.authority.gss_code,
        name=row.authority.official_name,
        group=row.group,
        synthetic=row.synthetic,
        population=row.population,
        counts=_counts(row),
        stored=row.figures or {},
        by_service_area=row.by_service_area or {},
    )


def _export_row(found: StatisticsRevision, row: AuthorityStatistics) -> dict[str, object]:
    return read_model.export_row(_authority(found, row))


def authority_figures(
    *, year: ReportingYear, authority_code: str, revision: int | None = None
) -> dict[str, Any]:
    """Everything stored about one authority in one year: the export row plus
    ``"figures"`` (intervals, funnel limits and comparison labels of every rate, see
    ``AuthorityStatistics``), ``"by_service_area"`` and ``"population_estimate"``."""
    found = _revision(year, revision)
    row = _authority_rows(found).filter(authority__gss_code=authority_code).first()
    if row is None:
        raise StatisticsNotFound(f"{authority_code} did not exist in {found.review_year.year}")
    result: dict[str, Any] = _export_row(found, row)
    result["figures"] = row.figures
    result["by_service_area"] = row.by_service_area
    result["population_estimate"] = row.population_estimate
    return result


def _group_dict(found: StatisticsRevision, row: GroupStatistics) -> dict[str, Any]:
    labels = GROUP_PLURAL
    result: dict[str, Any] = {
        "year": found.review_year.year,
        "group": row.group,
        "label": labels.get(row.group, "England"),
        "authorities": row.authorities,
        "peer_method": found.peer_method,
        "revision": found.number,
        "synthetic": row.synthetic,
        "population": row.population,
    }
    for name in read_model.GROUP_COUNTS:
        result[name] = getattr(row, name)
    for name in RATE_NAMES:
        # A revision stored before a measure was added has no figures for it.
        stored = row.figures.get(name) or {"value": None, "exact": None}
        exact = Fraction(stored["exact"]) if stored["exact"] is not None else None
        result[name] = stored["value"]
        if name != "upheld_per_100k":
            result[f"{name}_percent"] = whole_percent_of(exact)
    return result


def group_averages(
    *, year: ReportingYear, revision: int | None = None
) -> dict[str, dict[str, Any]]:
    """The similar-authority averages of a year, keyed by comparison group code.

    Each value: ``year, group, label`` ("District Councils"…), ``authorities`` (how many),
    ``peer_method`` ("pooled" or "mean"), ``revision``, ``synthetic``, ``population``
    (summed, used for the pooled per-100,000 rate), the summed counts of
    :data:`figures.GROUP_COUNTS`, the average rates ``upheld_rate, satisfactory_remedy_rate,
    compliance_rate`` (floats in [0, 1] or None) with ``*_percent`` whole percentages rounded
    half away from zero on the exact fraction (e.g. 89/200 → 45), and ``upheld_per_100k``.
    """
    found = _revision(year, revision)
    rows = found.group_rows.exclude(group=GroupStatistics.NATIONAL)
    return {row.group: _group_dict(found, row) for row in rows}


def national_totals(*, year: ReportingYear, revision: int | None = None) -> dict[str, Any]:
    """England's totals in the shape of one :func:`group_averages` value (group
    "national"). Its ``upheld_per_100k`` uses the population of counties, unitaries,
    metropolitan and London boroughs only, so two-tier areas count once."""
    found = _revision(year, revision)
    row = found.group_rows.filter(group=GroupStatistics.NATIONAL).first()
    if row is None:
        raise StatisticsNotFound(f"{found} has no national totals")
    return _group_dict(found, row)


def frozen_dated_years(*, now: dt.datetime) -> list[PublishedYear]:
    """Frozen years whose publication moment (date and time in the site's zone) has come by
    ``now``, newest first, each with its latest frozen revision.

    Only a part of the public rule: ``councilperf.published.years.snapshot`` decides what is
    public (it also requires a publisher's approval); nothing else may call this for that."""
    years = [
        y
        for y in ReviewYear.objects.filter(
            status=ReviewYear.Status.FROZEN, publication_date__lte=timezone.localdate(now)
        ).order_by("-year")
        if y.publication_at is not None and y.publication_at <= now
    ]
    latest: dict[int, StatisticsRevision] = {}
    revisions = StatisticsRevision.objects.filter(review_year__in=years, number__isnull=False)
    for found in revisions.order_by("number"):
        latest[found.review_year_id] = found
    dated: list[PublishedYear] = []
    for review_year in years:
        revision = latest.get(review_year.pk)
        if revision is None or revision.number is None or review_year.publication_date is None:
            continue
        dated.append(
            PublishedYear(
                year=review_year.reporting_year,
                revision=revision.number,
                letter_date=review_year.letter_date,
                publication_date=review_year.publication_date,
                synthetic=revision.synthetic,
                computed_at=revision.computed_at,
                publication_time=review_year.publication_time,
            )
        )
    return dated


@dataclass(frozen=True)
class Announcement:
    """A frozen year's release as the release calendar shows it: nothing but its moment and
    when it was announced (the year's freeze, revision 1) — public by design before the year."""

    year: ReportingYear
    publication_at: dt.datetime
    announced_at: dt.datetime


def announced_releases() -> list[Announcement]:
    """Every frozen year with a publication date, oldest first."""
    frozen = ReviewYear.objects.filter(
        status=ReviewYear.Status.FROZEN, publication_date__isnull=False
    ).order_by("year")
    firsts = dict(
        StatisticsRevision.objects.filter(review_year__in=frozen, number=1).values_list(
            "review_year_id", "computed_at"
        )
    )
    found = []
    for row in frozen:
        at = row.publication_at
        assert at is not None
        found.append(Announcement(row.reporting_year, at, firsts.get(row.pk) or at))
    return found


def next_publication_moment(*, now: dt.datetime) -> dt.datetime | None:
    """The earliest publication moment after ``now`` of a frozen year (None: none to come):
    until then, what :func:`frozen_dated_years` returns cannot change without a write."""
    moments = [
        y.publication_at
        for y in ReviewYear.objects.filter(
            status=ReviewYear.Status.FROZEN, publication_date__gte=timezone.localdate(now)
        )
    ]
    later = [m for m in moments if m is not None and m > now]
    return min(later) if later else None


def _counts(row: AuthorityStatistics | GroupStatistics) -> dict[str, int]:
    return {name: int(getattr(row, name)) for name in read_model.COUNTS}


def figures(
    *, year: ReportingYear, revision: int | None = None
) -> tuple[dict[str, AuthorityFigures], dict[str, GroupFigures]]:
    """The typed read model of a revision: every authority by GSS code (ordered by name)
    and every group by code, England as ``"national"`` (see ``statistics.figures``)."""
    found = _revision(year, revision)
    year, number = found.review_year.reporting_year, found.number
    authorities = {row.authority.gss_code: _authority(found, row) for row in _authority_rows(found)}
    groups = {
        row.group: read_model.group(
            year=year,
            revision=number,
            code=row.group,
            authorities=row.authorities,
            synthetic=row.synthetic,
            population=row.population,
            counts=_counts(row),
            stored=row.figures or {},
        )
        for row in found.group_rows.all()
    }
    return authorities, groups


@dataclass(frozen=True)
class Note:
    """A method note, as every surface shows it."""

    year: str
    measure: str  # "" for every measure
    group: str  # "" for every group
    text: str


def method_notes(*, years: Sequence[ReportingYear]) -> list[Note]:
    """The method notes recorded against ``years``, oldest year first."""
    return [
        Note(n.year, n.measure, n.group, n.text)
        for n in MethodNote.objects.filter(year__in=[y.label for y in years]).order_by("year", "pk")
    ]
