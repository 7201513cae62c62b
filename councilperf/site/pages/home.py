"""The home page (map and its table) and the map script's figures JSON of a year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from councilperf.authorities.models import Authority, AuthorityYear
from councilperf.groups import GROUP_PLURAL, TIER_GROUPS, TIERS
from councilperf.published import figures, place_filter, places
from councilperf.published.place_filter import Option, PlaceFilter
from councilperf.site import mapdata
from councilperf.site.presentation import colours
from councilperf.statistics import format
from councilperf.statistics.figures import AuthorityFigures, Measure
from councilperf.statistics.measures import METRICS, Metric
from councilperf.years import ReportingYear


def _display(found: AuthorityFigures | None, metric: Metric) -> str:
    if found is None:
        return format.NONE
    measure = found.measures[metric.code]
    return format.figure(metric, measure.value)


def _small(measure: Measure | None, threshold: int) -> bool:
    """Under the small-number rule: fewer cases than the threshold (never ranked, never
    given a class or an extreme colour)."""
    return bool(measure and measure.denominator is not None and measure.denominator < threshold)


def map_rows(year: ReportingYear, tier: str, metric: Metric) -> list[dict[str, Any]]:
    """One row per authority drawn on the map of this year and tier, with its value."""
    found = figures.authorities(year)
    threshold = figures.small_number_threshold(year) or 0
    result = []
    for ay in (
        AuthorityYear.objects.filter(year=year.label, group__in=TIER_GROUPS[tier])
        .select_related("authority")
        .order_by("authority__short_name")
    ):
        authority = ay.authority
        data = found.get(authority.gss_code)
        measure = data.measures[metric.code] if data else None
        value = measure.rate if measure else None
        small = _small(measure, threshold)
        result.append(
            {
                "code": authority.gss_code,
                "name": authority.short_name,
                "slug": authority.slug,
                "group": GROUP_PLURAL.get(ay.group, ay.group),
                "value": value,
                "display": _display(data, metric),
                "denominator": measure.denominator if measure else None,
                "small": small,
                "comparison": measure.comparison if measure else None,
                "synthetic": bool(data and data.synthetic),
            }
        )
    return result


def _breaks(
    authorities: dict[str, Any], tiers: dict[str, list[str]]
) -> dict[str, dict[str, list[float]]]:
    """Each tier's and metric's class breaks: quintiles of the values of the councils shown
    on that tier with enough cases (:func:`colours.quantile_breaks`)."""
    return {
        tier: {
            m.code: list(
                colours.quantile_breaks(
                    authorities[code]["values"][m.code]
                    for code in codes
                    if authorities[code]["values"][m.code] is not None
                    and not authorities[code]["small"][m.code]
                )
            )
            for m in METRICS
        }
        for tier, codes in tiers.items()
    }


def _authority(
    a: Authority, group: str, data: AuthorityFigures | None, year: ReportingYear, threshold: int
) -> dict[str, Any]:
    measures = data.measures if data else {}
    return {
        "name": a.short_name,
        "url": f"/councils/{a.slug}/{year}/",
        "group": GROUP_PLURAL.get(group, group),
        "values": {m.code: measures[m.code].rate if data else None for m in METRICS},
        "display": {m.code: _display(data, m) for m in METRICS},
        "denominators": {m.code: measures[m.code].denominator if data else None for m in METRICS},
        "comparisons": {m.code: measures[m.code].comparison if data else None for m in METRICS},
        "small": {m.code: _small(measures.get(m.code), threshold) for m in METRICS},
    }


def map_figures(year: ReportingYear) -> dict[str, Any]:
    """A year's figures for the map script: who is on each tier, every metric's value, its
    comparison and whether it has too few cases, each tier's class breaks and the key of
    each, with England's figure."""
    found = figures.authorities(year)
    threshold = figures.small_number_threshold(year) or 0
    authorities: dict[str, Any] = {}
    tiers: dict[str, list[str]] = {tier: [] for tier in TIERS}
    for ay in AuthorityYear.objects.filter(year=year.label).select_related("authority"):
        a = ay.authority
        for tier in TIERS:
            if ay.group in TIER_GROUPS[tier]:
                tiers[tier].append(a.gss_code)
        authorities[a.gss_code] = _authority(a, ay.group, found.get(a.gss_code), year, threshold)
    breaks = _breaks(authorities, tiers)
    england = figures.national(year)
    return {
        "year": year.label,
        "tiers": tiers,
        "authorities": authorities,
        "breaks": breaks,
        "legends": {
            tier: {m.code: colours.value_legend(m, found_breaks[m.code]) for m in METRICS}
            for tier, found_breaks in breaks.items()
        },
        "national": {
            m.code: format.figure(m, england.averages.get(m.code) if england else None)
            for m in METRICS
        },
        "threshold": threshold,
        "synthetic": any(f.synthetic for f in found.values()),
    }


@dataclass(frozen=True)
class HomePage:
    years: list[ReportingYear]
    year: ReportingYear | None
    tier: str
    tiers: dict[str, str]
    tier_label: str
    map_shape_url: str
    metric: Metric
    metrics: tuple[Metric, ...]
    rows: list[dict[str, Any]]
    colour: str  # what the map colours by: "compared" (the default) or "value"
    colour_options: dict[str, str]
    legend: list[dict[str, str]]
    national_text: str  # England's figure of the metric, for the key
    threshold: int
    no_data_colour: str
    hatch_css: str
    map_config: dict[str, Any]
    synthetic: bool
    filter: PlaceFilter
    region_options: list[Option]
    county_options: list[Option]
    shown_of: int  # how many councils of the tier there are before the filter


def _map_config(
    years: list[ReportingYear], year: ReportingYear | None, tier: str, metric: Metric
) -> dict[str, Any]:
    """What the map script needs: where each year's shapes and figures are, each metric's
    classes and colours."""
    manifest = mapdata.read_manifest()
    shapes = {
        y.label: {
            t: reverse("site:map_shapes", args=[y, t, entry["hash"]])
            for t, entry in manifest.get(y.label, {}).items()
        }
        for y in years
    }
    config: dict[str, Any] = {
        "year": year.label if year else None,
        "tier": tier,
        "metric": metric.code,
        "shapes": shapes,
        "figures": {y.label: reverse("site:map_figures", args=[y]) for y in years},
        "metrics": {
            m.code: {
                "label": m.label,
                "percent": m.percent,
                "breaks": m.breaks,
                "legend": colours.legend(m),
            }
            for m in METRICS
        },
        "colours": colours.CLASS_COLOURS,
        "comparisonColours": colours.COMPARISON_COLOURS,
        "comparisonLegend": colours.comparison_legend(),
        "hatch": colours.HATCH,
        "hatchCss": colours.HATCH_CSS,
        "noData": colours.NO_DATA_COLOUR,
        "tiers": TIERS,
    }
    return config


UNFILTERED = PlaceFilter()
COLOUR_BY = {
    "compared": "How each council compares with similar councils",
    "value": "The figure itself",
}


def _legend(colour: str, metric: Metric, every: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The key the page starts with (the script redraws it on a change)."""
    if colour == "compared":
        return colours.comparison_legend()
    values = (r["value"] for r in every if r["value"] is not None and not r["small"])
    return colours.value_legend(metric, colours.quantile_breaks(values))


def home_page(
    years: list[ReportingYear],
    year: ReportingYear | None,
    tier: str,
    metric: Metric,
    *,
    chosen: PlaceFilter = UNFILTERED,
    colour: str = "compared",
) -> HomePage:
    """The map page of a published year (``year`` checked; None when nothing is published),
    its table and map kept to ``chosen``'s region and county (the name is the search's)."""
    chosen = PlaceFilter(region=chosen.region, county=chosen.county)
    every = map_rows(year, tier, metric) if year else []
    where = places.places()
    kept = {code for code, place in where.items() if chosen.keeps(place, "")}
    rows = [r for r in every if r["code"] in kept]
    config = _map_config(years, year, tier, metric)
    config["only"] = sorted(kept) if chosen.active else None
    config["colourBy"] = colour
    england = figures.national(year) if year else None
    config["filter"] = dict(chosen.pairs())
    return HomePage(
        years=years,
        year=year,
        tier=tier,
        tiers=TIERS,
        tier_label=TIERS[tier],
        map_shape_url=config["shapes"].get(year or "", {}).get(tier, ""),
        metric=metric,
        metrics=METRICS,
        rows=rows,
        colour=colour,
        colour_options=COLOUR_BY,
        legend=_legend(colour, metric, every),
        national_text=format.figure(metric, england.averages.get(metric.code) if england else None),
        threshold=(figures.small_number_threshold(year) or 0) if year else 0,
        no_data_colour=colours.NO_DATA_COLOUR,
        hatch_css=colours.HATCH_CSS,
        map_config=config,
        synthetic=any(r["synthetic"] for r in every),
        filter=chosen,
        region_options=place_filter.region_options((p.region for p in where.values()), chosen),
        county_options=place_filter.county_options(where.values(), chosen),
        shown_of=len(every),
    )
