"""The sitemap: every public address of every published year; the 404 page's suggestions
(the nearest council names, or a known council's own published years)."""

from __future__ import annotations

import re

from django.urls import reverse

from councilperf.authorities.models import Authority, AuthorityYear
from councilperf.groups import GROUP_CODES
from councilperf.published import authorities, figures
from councilperf.years import ReportingYear

_COUNCIL_PATH = re.compile(r"^/(?:embed/)?councils/([^/]{1,100})/")


def published_groups(year: ReportingYear) -> list[str]:
    """Comparison groups with at least one authority in a published year, in display order."""
    present = {f.group for f in figures.authorities(year).values()}
    return [g for g in GROUP_CODES if g in present]


def sitemap_councils() -> list[tuple[str, list[str]]]:
    published = figures.published_years()
    by_slug: dict[str, list[str]] = {}
    for slug, year in (
        AuthorityYear.objects.filter(year__in=published)
        .order_by("authority__slug", "year")
        .values_list("authority__slug", "year")
    ):
        by_slug.setdefault(slug, []).append(year)
    return list(by_slug.items())


def sitemap_paths() -> list[str]:
    paths = [reverse(name) for name in ("site:home", "site:methods", "opendata:downloads")]
    paths += [reverse("site:releases"), reverse("site:accessibility")]
    for year in figures.published_years():
        paths.append(reverse("site:review", args=[year]))
        paths += [reverse("site:compare", args=[year, g]) for g in published_groups(year)]
    for slug, years in sitemap_councils():
        paths.append(reverse("site:council", args=[slug]))
        paths += [reverse("site:council_year", args=[slug, y]) for y in years]
    return paths


def nearest_councils(path: str, *, limit: int = 6) -> list[Authority]:
    """For an address of a council that does not exist (``/councils/derbyshre/``), the
    published councils whose names are nearest its slug; none for any other address."""
    found = _COUNCIL_PATH.match(path)
    if found is None:
        return []
    return authorities.search(found.group(1).replace("-", " "), limit=limit)


def council_of_path(path: str) -> tuple[Authority, list[ReportingYear]] | None:
    """For an address under a council with published figures (``/councils/leeds/2030-31/``:
    a year it has none for), that council and its published years, newest first; None for
    any other address."""
    found = _COUNCIL_PATH.match(path)
    if found is None:
        return None
    slug = authorities.current_slug(found.group(1))
    authority = authorities.public_authorities().filter(slug=slug).first()
    if authority is None:
        return None
    years = authorities.authority_years(authority)
    return (authority, years[::-1]) if years else None
