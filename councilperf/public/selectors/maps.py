"""The map and its table: a year's figures by tier and metric, groups and the sitemap."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from councilperf.authorities.models import TIER_GROUPS, AuthorityYear
from councilperf.public import figures
from councilperf.public.figures import Row

from .formatting import as_float, display, metric_class, metric_value
from .metrics import GROUP_PLURAL, METRICS, TIERS, Metric
from .years import published_years


def rows_by_code(year: str) -> dict[str, Row]:
    return {str(r["authority_code"]): r for r in figures.export_rows(year)}


def map_rows(year: str, tier: str, metric: Metric) -> list[dict[str, Any]]:
    """One row per authority drawn on the map of this year and tier, with its value."""
    groups = TIER_GROUPS[tier]
    rows = rows_by_code(year)
    result = []
    for ay in (
        AuthorityYear.objects.filter(year=year, group__in=groups)
        .select_related("authority")
        .order_by("authority__short_name")
    ):
        authority = ay.authority
        row = rows.get(authority.gss_code, {})
        value = metric_value(row, metric)
        denominator = row.get(metric.denominator)
        result.append(
            {
                "code": authority.gss_code,
                "name": authority.short_name,
                "slug": authority.slug,
                "group": GROUP_PLURAL.get(ay.group, ay.group),
                "value": value,
                "display": display(row, metric) if row else "–",
                "denominator": denominator,
                "class": metric_class(metric, value),
                "comparison": row.get(metric.key.replace("_rate", "") + "_comparison")
                if metric.key == "upheld_rate"
                else None,
                "synthetic": bool(row.get("synthetic")),
            }
        )
    return result


def map_figures(year: str) -> dict[str, Any]:
    """A year's figures for the map script: who is on each tier, and every metric's value."""
    rows = rows_by_code(year)
    authorities: dict[str, Any] = {}
    tiers: dict[str, list[str]] = {tier: [] for tier in TIERS}
    for ay in AuthorityYear.objects.filter(year=year).select_related("authority"):
        a = ay.authority
        row = rows.get(a.gss_code, {})
        for tier in TIERS:
            if ay.group in TIER_GROUPS[tier]:
                tiers[tier].append(a.gss_code)
        authorities[a.gss_code] = {
            "name": a.short_name,
            "url": f"/councils/{a.slug}/{year}/",
            "group": GROUP_PLURAL.get(ay.group, ay.group),
            "values": {key: as_float(row.get(key)) for key in METRICS},
            "display": {m.key: display(row, m) if row else "–" for m in METRICS.values()},
            "denominators": {m.key: row.get(m.denominator) for m in METRICS.values()},
        }
    return {
        "year": year,
        "tiers": tiers,
        "authorities": authorities,
        "synthetic": is_synthetic(rows.values()),
    }


def published_groups(year: str) -> list[str]:
    """Comparison groups with at least one authority in a published year, in display order."""
    present = {str(r.get("comparison_group")) for r in figures.export_rows(year)}
    return [g for g in GROUP_PLURAL if g in present]


def sitemap_councils() -> list[tuple[str, list[str]]]:
    published = published_years()
    by_slug: dict[str, list[str]] = {}
    for slug, year in (
        AuthorityYear.objects.filter(year__in=published)
        .order_by("authority__slug", "year")
        .values_list("authority__slug", "year")
    ):
        by_slug.setdefault(slug, []).append(year)
    return list(by_slug.items())


def is_synthetic(rows: Iterable[Row]) -> bool:
    return any(bool(r.get("synthetic")) for r in rows)
