"""The public site's one doorway to the statistics engine.

Everything the site shows about a year's figures comes through here, so the rule "only
published years are public" is applied in one place: a year is public when it is frozen and
its publication date has come (``councilperf.statistics.selectors.published_years``), and the
site always shows that year's latest frozen revision.

A frozen revision never changes, so its rows are cached under the revision number; the list
of published years is cached for a minute (it changes at midnight on a publication date, or
when a correction is frozen).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from councilperf.statistics import selectors as stats
from councilperf.statistics.core.rounding import whole_percent_of

Row = dict[str, Any]

_YEARS_SECONDS = 60
_ROWS_SECONDS = 3600


def today() -> dt.date:
    return timezone.localdate()


def published() -> dict[str, stats.PublishedYear]:
    """Published review years by label, oldest first."""
    key = f"public:published:{today().isoformat()}"
    found: dict[str, stats.PublishedYear] | None = cache.get(key)
    if found is None:
        found = {p.year: p for p in sorted(stats.published_years(today=today()), key=_year)}
        cache.set(key, found, _YEARS_SECONDS)
    return found


def _year(p: stats.PublishedYear) -> str:
    return p.year


def published_years() -> list[str]:
    return list(published())


def is_published(year: str) -> bool:
    return year in published()


def revision(year: str) -> int | None:
    found = published().get(year)
    return found.revision if found else None


def export_rows(year: str) -> list[Row]:
    """The statistics export of a published year (one row per authority); [] otherwise."""
    number = revision(year)
    if number is None:
        return []
    key = f"public:rows:{year}:{number}"
    rows: list[Row] | None = cache.get(key)
    if rows is None:
        rows = [dict(r) for r in stats.export_rows(year=year, revision=number)]
        cache.set(key, rows, _ROWS_SECONDS)
    return rows


def authority_figures(year: str, code: str) -> Row | None:
    """One authority's stored figures (export row, every comparison, service areas)."""
    number = revision(year)
    if number is None:
        return None
    try:
        return stats.authority_figures(year=year, authority_code=code, revision=number)
    except stats.StatisticsNotFound:
        return None


def group_averages(year: str) -> dict[str, Row]:
    number = revision(year)
    if number is None:
        return {}
    key = f"public:groups:{year}:{number}"
    groups: dict[str, Row] | None = cache.get(key)
    if groups is None:
        groups = stats.group_averages(year=year, revision=number)
        cache.set(key, groups, _ROWS_SECONDS)
    return groups


def peer_percent(year: str, group: str, rate: str) -> int | None:
    """A similar-authority average as a whole percentage, rounded on the exact fraction."""
    found = group_averages(year).get(group)
    if not found:
        return None
    value = found.get(f"{rate}_percent")
    return int(value) if value is not None else whole_percent_of(None)


def national_totals(year: str) -> Row | None:
    """England's totals of a published year (``statistics.selectors.national_totals``)."""
    number = revision(year)
    if number is None:
        return None
    key = f"public:national:{year}:{number}"
    found: Row | None = cache.get(key)
    if found is None:
        found = stats.national_totals(year=year, revision=number)
        cache.set(key, found, _ROWS_SECONDS)
    return found


def small_number_threshold(year: str) -> int | None:
    """The small-number threshold the published revision was computed with."""
    number = revision(year)
    if number is None:
        return None
    return stats.revision_info(year=year, revision=number).small_number_threshold


def stored_figures(year: str) -> dict[str, Row]:
    """Every authority's stored figures of a published year, by GSS code: ``figures``
    (intervals, funnel limits, comparison labels) and ``by_service_area``, as the engine
    stored them. One query per revision (``authority_figures`` would take one per
    authority), read from the revision's own rows and cached like the export."""
    from councilperf.statistics.models import AuthorityStatistics

    number = revision(year)
    if number is None:
        return {}
    key = f"public:stored:{year}:{number}"
    found: dict[str, Row] | None = cache.get(key)
    if found is None:
        found = {
            str(code): {"figures": parts, "by_service_area": areas}
            for code, parts, areas in AuthorityStatistics.objects.filter(
                revision__review_year__year=year, revision__number=number
            ).values_list("authority__gss_code", "figures", "by_service_area")
        }
        cache.set(key, found, _ROWS_SECONDS)
    return found
