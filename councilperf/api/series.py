"""Time series of the published figures: a council's every published year, and a measure
across councils and years as tidy rows (one row per council, year and measure).

Only published years are read (``published.figures``, which reads ``published.years``), each
at the revision the site shows; the tidy rows are also the all-years open data file
(``api.all_years``), so the file and the API cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from councilperf.api import shape
from councilperf.authorities.models import Authority
from councilperf.published import figures, sources
from councilperf.statistics.figures import AuthorityFigures
from councilperf.statistics.measures import METRICS
from councilperf.years import ReportingYear

Row = dict[str, Any]


@dataclass(frozen=True)
class Wanted:
    """Which rows: the filters, already resolved to canonical values ("" for any)."""

    measure: str = ""
    first: ReportingYear | None = None
    last: ReportingYear | None = None
    region: str = ""  # the register's name, "North East"
    group: str = ""  # a group code
    authority: str = ""  # a GSS code

    def has_year(self, year: ReportingYear) -> bool:
        return (self.first is None or year >= self.first) and (
            self.last is None or year <= self.last
        )

    def keeps(self, found: AuthorityFigures, region: str) -> bool:
        return (
            (not self.group or found.group == self.group)
            and (not self.region or region == self.region)
            and (not self.authority or found.code == self.authority)
        )


def authority_years(code: str, slug: str) -> list[Row]:
    """A council's figures in every published year it has them, oldest first."""
    found = (figures.authority(year, code) for year in figures.published_years())
    return [shape.authority_figures(f, slug=slug) for f in found if f is not None]


def _places() -> dict[str, tuple[str, str]]:
    """(slug, region) of every council by GSS code."""
    rows = Authority.objects.values_list("gss_code", "slug", "region")
    return {code: (slug, region) for code, slug, region in rows}


def rows(wanted: Wanted) -> list[Row]:
    """Tidy rows, by year (oldest first), then official name, then the registry's order of
    measures; only published years."""
    places = _places()
    metrics = [m for m in METRICS if not wanted.measure or m.code == wanted.measure]
    found: list[Row] = []
    for year in figures.published_years():
        if not wanted.has_year(year):
            continue
        used = sources.council_sources(year)
        for code, council in figures.authorities(year).items():
            slug, region = places.get(code, ("", ""))
            if not wanted.keeps(council, region):
                continue
            estimate, file = used.get(code, (None, ""))
            common = {
                "year": year.label,
                "revision": council.revision,
                "authority_code": code,
                "authority_name": council.name,
                "slug": slug,
                "comparison_group": council.group,
                "region": region,
            }
            for metric in metrics:
                measure = shape.measure(council.measures[metric.code])
                found.append(
                    {
                        **common,
                        "measure": measure.pop("code"),
                        **measure,
                        "population": council.population,
                        "population_estimate": estimate if council.population else None,
                        "population_file": file if council.population else "",
                        "synthetic": council.synthetic,
                        "page": f"/councils/{slug}/{year}/#{metric.code}",
                    }
                )
    return found
