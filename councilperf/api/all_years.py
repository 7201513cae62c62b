"""The all-years file: every published year's figures as one tidy table (one row per council,
year and measure), in CSV, XLSX and JSON, with its Data Package descriptor. What it is and
where; reads only (``builds.build_all_years`` writes it).

Built ahead by the open data build (``build_open_data`` and the publication job) under
``BUILD_DIR/opendata/all-years/``, with a ``manifest.json`` naming the published years and
revisions it holds; the site serves it only while exactly those are the published ones
(:func:`path_or_404`), so a correction or a new year never shows a stale file as current,
and nothing is written on a request. The rows are the time-series API's (``api.series``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404

from councilperf.api import tables
from councilperf.api.files import File
from councilperf.api.tables import Field, Resource
from councilperf.groups import GROUP_CODES
from councilperf.published import years as public
from councilperf.statistics.measures import METRIC

FOLDER = "all-years"
YEAR = r"^\d{4}-\d{2}$"
RESOURCE = Resource(
    "figures",
    "Every council's figures in every published year",
    "Tidy data: one row per council, published year and measure, at the revision the site "
    "shows; the same figures as each year's statistics file.",
    (
        Field("year", "string", "The reporting year.", required=True, pattern=YEAR),
        Field("revision", "integer", "The year's published revision.", minimum=1),
        Field("authority_code", "string", "GSS code.", required=True, pattern=tables.CODE),
        Field("authority_name", "string", "Official name.", required=True),
        Field("comparison_group", "string", "Comparison group.", enum=GROUP_CODES),
        Field("region", "string", "Region of England."),
        Field("measure", "string", "The measure's code.", required=True, enum=tuple(METRIC)),
        Field("measure_label", "string", "What the measure is."),
        Field("count", "integer", "The measure's numerator (a count).", minimum=0, unit="count"),
        Field("denominator", "integer", "Its denominator: a count, or the population."),
        Field("rate", "number", "count ÷ denominator (× 100,000 for a rate per residents)."),
        Field("rate_fraction", "string", 'The rate exactly, as a reduced fraction ("1/2").'),
        Field("interval_lower", "number", "Lower end of the rate's 95% Wilson interval."),
        Field("interval_upper", "number", "Upper end of the rate's 95% Wilson interval."),
        Field("group_average", "number", "The comparison group's average of the measure."),
        Field("group_average_fraction", "string", "The group average exactly, as a fraction."),
        Field("comparison", "string", "lower, similar, higher or not_compared (small number)."),
        Field("population", "integer", "Residents (the population used).", minimum=0),
        Field("population_estimate", "integer", "The ONS mid-year estimate used (its year)."),
        Field("population_file", "string", "The reference file the population was read from."),
        Field("synthetic", "boolean", "true when made from synthetic demonstration data."),
    ),
    ("year", "authority_code", "measure"),
)


def folder() -> Path:
    return Path(settings.BUILD_DIR) / "opendata" / FOLDER


def flat(row: dict[str, Any]) -> dict[str, Any]:
    """A time-series row (``api.series``) as a row of the file."""
    interval = row["interval"] or {}
    return {
        "year": row["year"],
        "revision": row["revision"],
        "authority_code": row["authority_code"],
        "authority_name": row["authority_name"],
        "comparison_group": row["comparison_group"],
        "region": row["region"],
        "measure": row["measure"],
        "measure_label": row["label"],
        "count": row["numerator"],
        "denominator": row["denominator"],
        "rate": row["rate"],
        "rate_fraction": row["rate_fraction"],
        "interval_lower": interval.get("lower"),
        "interval_upper": interval.get("upper"),
        "group_average": row["peer_average"],
        "group_average_fraction": row["peer_average_fraction"],
        "comparison": row["comparison"],
        "population": row["population"],
        "population_estimate": row["population_estimate"],
        "population_file": row["population_file"],
        "synthetic": row["synthetic"],
    }


def descriptor(pairs: tuple[tuple[str, int], ...], synthetic: bool) -> dict[str, Any]:
    site = str(getattr(settings, "SITE_URL", "")).rstrip("/")
    years = ", ".join(f"{year} (revision {revision})" for year, revision in pairs)
    found: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "council-performance-all-years",
        "title": "Council performance, every published year: complaints decided about councils",
        "description": (
            f"The ombudsman's published figures of {years}, one row per council, year and "
            "measure. "
            + ("Synthetic demonstration data, not real figures. " if synthetic else "")
            + "The same file as CSV, XLSX and JSON is on the downloads page."
        ),
        "version": "+".join(f"{year}.{revision}" for year, revision in pairs),
        "keywords": ["local government", "complaints", "ombudsman", "England", "time series"],
        "synthetic": synthetic,
        "years": [{"year": year, "revision": revision} for year, revision in pairs],
        "licenses": [dict(getattr(settings, "OPEN_DATA_LICENCE", tables.OGL))],
        "resources": [tables.resource_descriptor(RESOURCE, f"{RESOURCE.name}.csv")],
    }
    if site:
        found["homepage"] = f"{site}/downloads/"
    return found


def manifest() -> dict[str, Any] | None:
    """The built files' manifest while they hold exactly the published years and revisions
    (None before the first build, or once a year is published or corrected since)."""
    path = folder() / "manifest.json"
    if not path.is_file():
        return None
    found: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    published = [list(pair) for pair in public.current().pairs]
    return found if found.get("published") == published and published else None


def path_or_404(name: str) -> Path:
    found = manifest()
    if found is None:
        raise Http404("The all-years file is being prepared")
    if name not in found["files"] or name == "manifest.json":
        raise Http404("No such all-years file")
    return folder() / name


TITLES = {"datapackage.json": "Data Package (JSON)"}


def files() -> list[File]:
    """The all-years files for the downloads page ([] until built for the years public now)."""
    found = manifest()
    sizes: dict[str, int] = dict(found["files"]) if found else {}
    return [
        File(
            name,
            f"/downloads/{FOLDER}/{name}",
            size,
            TITLES.get(name, f"{RESOURCE.title} ({name.rpartition('.')[2].upper()})"),
            name.rpartition(".")[2],
        )
        for name, size in sizes.items()
    ]
