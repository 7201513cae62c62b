"""The public site's one doorway to the statistics: the typed read model of published years.

Everything the site shows about a year's figures comes through here, and reads the one
published state of the request (``years.current``: frozen, approved and its publication date
come, decided by ``years.snapshot``); the site always shows that year's latest frozen
revision. There is no cache of the list of published years: the page cache middleware takes
one snapshot per request, so a correction or a publication shows in the next request.

A frozen revision never changes, so its figures are kept in this process under the year,
the revision number and the time it was computed (a few revisions at most, read once per
process rather than unpickled on every request).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.cache import cache

from councilperf.statistics import selectors as stats
from councilperf.statistics.figures import NATIONAL, AuthorityFigures, GroupFigures
from councilperf.years import ReportingYear

from . import years as public

_REVISIONS_SECONDS = 60

Figures = tuple[dict[str, AuthorityFigures], dict[str, GroupFigures]]


def published() -> dict[ReportingYear, stats.PublishedYear]:
    """Published review years, oldest first (the request's published state)."""
    return {p.year: p for p in public.current().years}


def published_years() -> list[ReportingYear]:
    return public.published_years()


def is_published(year: ReportingYear) -> bool:
    return public.is_published(year)


def revision(year: ReportingYear) -> int | None:
    found = public.current().get(year)
    return found.revision if found else None


_KEPT: dict[tuple[ReportingYear, int, str], Figures] = {}
_KEEP = 16  # revisions kept in memory (seven published years, and their corrections)


def _figures(year: ReportingYear) -> Figures:
    found = public.current().get(year)
    if found is None:
        return {}, {}
    key = (year, found.revision, found.computed_at.isoformat() if found.computed_at else "")
    kept = _KEPT.get(key)
    if kept is None:
        kept = stats.figures(year=year, revision=found.revision)
        if len(_KEPT) >= _KEEP:
            _KEPT.pop(next(iter(_KEPT)))
        _KEPT[key] = kept
    return kept


def authorities(year: ReportingYear) -> dict[str, AuthorityFigures]:
    """Every authority's figures of a published year by GSS code, ordered by official name;
    {} for a year that is not published."""
    return _figures(year)[0]


def authority(year: ReportingYear, code: str) -> AuthorityFigures | None:
    return authorities(year).get(code)


def groups(year: ReportingYear) -> dict[str, GroupFigures]:
    """The comparison groups' figures of a published year (England not included)."""
    return {k: v for k, v in _figures(year)[1].items() if k != NATIONAL}


def national(year: ReportingYear) -> GroupFigures | None:
    """England's totals of a published year."""
    return _figures(year)[1].get(NATIONAL)


def small_number_threshold(year: ReportingYear) -> int | None:
    """The small-number threshold the published revision was computed with."""
    number = revision(year)
    if number is None:
        return None
    return stats.revision_info(year=year, revision=number).small_number_threshold


def method_notes(years: Sequence[ReportingYear]) -> list[stats.Note]:
    """Method notes of the published years among ``years``."""
    public = published()
    return stats.method_notes(years=[y for y in years if y in public])


def revision_history(year: ReportingYear) -> list[stats.RevisionInfo]:
    """The frozen revisions of a published year, oldest first, up to the one the site shows
    ([] for a year that is not published)."""
    latest = revision(year)
    if latest is None:
        return []
    key = f"public:revisions:{year}:{latest}"
    found: list[stats.RevisionInfo] | None = cache.get(key)
    if found is None:
        found = [
            info
            for info in stats.revisions(year=year)
            if info.revision is not None and info.revision <= latest
        ]
        cache.set(key, found, _REVISIONS_SECONDS)
    return found


def earlier_revision(year: ReportingYear, number: int) -> Figures | None:
    """The figures of an earlier frozen revision of a published year (read-only history);
    None unless the year is published and ``number`` is before the revision it shows."""
    latest = revision(year)
    if latest is None or not 1 <= number < latest:
        return None
    return stats.figures(year=year, revision=number)
