"""The map as data: the figures the home page's map colours each council by (CSV) and the
map itself drawn as SVG from the year's built boundary file (``mapdata``), for the view the
page's address names (year, tier, measure and what the colours show)."""

from __future__ import annotations

import json
import math
from typing import Any

from django.http import Http404

from councilperf.site import mapdata
from councilperf.site.pages import home
from councilperf.site.pages.chartdata import ChartData, Row
from councilperf.site.presentation import colours
from councilperf.statistics.measures import METRIC
from councilperf.years import ReportingYear

WIDTH = 600
MARGIN = 8


def _rings(shape: dict[str, Any], scale: list[float], translate: list[float]) -> list[list]:
    """Each ring of a built shape as (longitude, latitude) points (mapdata's format)."""
    rings = []
    for polygon in shape["polygons"]:
        for flat in polygon:
            x, y = flat[0], flat[1]
            points = [(x, y)]
            for dx, dy in zip(flat[2::2], flat[3::2], strict=True):
                x, y = x + dx, y + dy
                points.append((x, y))
            rings.append(
                [(px * scale[0] + translate[0], py * scale[1] + translate[1]) for px, py in points]
            )
    return rings


def _shapes(year: ReportingYear, tier: str) -> dict[str, Any]:
    entry = mapdata.read_manifest().get(year.label, {}).get(tier)
    if entry is None:
        raise Http404("No map data for this year and tier")
    data: dict[str, Any] = json.loads((mapdata.map_dir() / entry["file"]).read_text())
    return data


def _drawing(year: ReportingYear, tier: str, fills: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """Every council's outline as an SVG path, projected plainly (longitude shrunk by the
    cosine of England's latitude), with its fill and its words."""
    data = _shapes(year, tier)
    rings = {s["code"]: _rings(s, data["scale"], data["translate"]) for s in data["shapes"]}
    points = [p for found in rings.values() for ring in found for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    squash = math.cos(math.radians(mapdata.LAT_REF))
    k = (WIDTH - 2 * MARGIN) / ((east - west) * squash or 1)
    height = round((north - south) * k + 2 * MARGIN)
    shapes = []
    for code, found in rings.items():
        d = " ".join(
            "M"
            + " L".join(
                f"{MARGIN + (x - west) * squash * k:.1f},{MARGIN + (north - y) * k:.1f}"
                for x, y in ring
            )
            + " Z"
            for ring in found
        )
        fill, words = fills.get(code, (colours.NO_DATA_COLOUR, code))
        shapes.append({"code": code, "d": d, "fill": fill, "words": words})
    return {"width": WIDTH, "height": height, "shapes": shapes}


def map_chart(year: ReportingYear, tier: str, metric: str, colour_by: str) -> ChartData:
    """The map of ``year`` and ``tier`` coloured by ``metric`` (``colour_by``: "compared" or
    "value"), with one row per council it draws."""
    found = METRIC.get(metric)
    if found is None:
        raise Http404("No such measure on the map")
    colour_by = colour_by if colour_by in home.COLOUR_BY else "compared"
    every = home.map_rows(year, tier, found)
    breaks = colours.quantile_breaks(
        r["value"] for r in every if r["value"] is not None and not r["small"]
    )
    rows: list[Row] = []
    fills: dict[str, tuple[str, str]] = {}
    for r in every:
        fill = colours.map_fill(
            value=r["value"],
            small=r["small"],
            comparison=r["comparison"],
            colour_by=colour_by,
            breaks=breaks,
        )
        fills[r["code"]] = (fill, f"{r['name']}: {r['display']}")
        value = None if r["value"] is None else float(r["value"])
        rows.append(
            (
                r["code"],
                r["name"],
                r["group"],
                value,
                r["denominator"],
                r["small"],
                r["comparison"] or "",
                fill,
            )
        )
    drawing = _drawing(year, tier, fills)
    title = f"{found.title}, {home.TIERS[tier].lower()}, {year}"
    return ChartData(
        name=f"map-{tier}-{metric}",
        title=title,
        header=("code", "council", "group", metric, "denominator", "too_few", "comparison", "fill"),
        rows=rows,
        template="site/includes/map_svg.html",
        width=drawing["width"],
        height=drawing["height"],
        synthetic=any(r["synthetic"] for r in every),
        context={"drawing": drawing, "title": title},
    )
