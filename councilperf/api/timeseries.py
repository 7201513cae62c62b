"""The time-series operations: a council's every published year, and a measure across
councils and years (``api.series`` reads them)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query

from councilperf.api import choices, params, records, schemas, series
from councilperf.published.years import published_years
from councilperf.years import ReportingYear

YEAR_BOUND = r"^(\d{4}-\d{2})?$"
FIRST = Query(
    "",
    alias="from",
    pattern=YEAR_BOUND,
    description="The first reporting year wanted (e.g. 2020-21); default the first published.",
)
LAST = Query(
    "",
    alias="to",
    pattern=YEAR_BOUND,
    description="The last reporting year wanted (e.g. 2023-24); default the last published.",
)
MEASURE = Query(
    "",
    description=(
        "A measure's code (upheld_rate), slug (upheld-rate) or label; empty for every measure."
    ),
)


def year_bound(parameter: str, value: str) -> ReportingYear | None:
    """A ``from`` or ``to`` year ("" for none); a 400 problem for text that is no year."""
    if not value:
        return None
    try:
        return ReportingYear.parse(value)
    except ValueError:
        allowed = [y.label for y in published_years()]
        raise choices.UnknownValue(parameter, value, allowed) from None


def register(api: NinjaAPI) -> None:
    @api.get(
        "/authorities/{code}/figures",
        response={200: schemas.AuthorityYearsPage, **params.ERRORS},
        tags=["figures"],
        summary="One authority's figures in every published year",
    )
    def authority_series(
        request: HttpRequest,
        response: HttpResponse,
        code: str = params.CODE,
        page: int = params.PAGE,
        per_page: int = params.PER_PAGE,
    ) -> dict[str, Any]:
        """One authority's figures in every published year, oldest first (its time series)."""
        found = records.authority_or_404(code)
        return params.page(
            request, response, series.authority_years(code, found.slug), page, per_page
        )

    @api.get(
        "/figures",
        response={200: schemas.FigureRowPage, **params.ERRORS},
        tags=["figures"],
        summary="A measure across councils and published years",
    )
    def measure_series(
        request: HttpRequest,
        response: HttpResponse,
        measure: str = MEASURE,
        first: str = FIRST,
        last: str = LAST,
        region: str = params.REGION,
        group: str = params.GROUP,
        authority: str = params.AUTHORITY,
        page: int = params.PAGE,
        per_page: int = params.PER_PAGE,
    ) -> dict[str, Any]:
        """A measure across councils and published years: one row per council, year and
        measure, by year, then official name (tidy data; filters combine)."""
        wanted = series.Wanted(
            measure=choices.measure(measure),
            first=year_bound("from", first),
            last=year_bound("to", last),
            region=choices.region(region),
            group=choices.group(group),
            authority=authority,
        )
        if wanted.first and wanted.last and wanted.first > wanted.last:
            raise choices.UnknownValue("to", last, [f"{wanted.first} or later"])
        return params.page(request, response, series.rows(wanted), page, per_page)
