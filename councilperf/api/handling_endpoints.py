"""The API's operations on councils' own words: their complaint handling and their replies.

Only published years are read (``published_year``: any other year is the same 404 problem
as every other year endpoint); the records come from ``handling_rows``, which the year's
open data files use too.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from councilperf.api import handling_rows, handling_schemas, params
from councilperf.published.years import published_year


def register(api: NinjaAPI) -> None:
    @api.get(
        "/years/{year}/complaint-handling",
        response={200: handling_schemas.ComplaintHandlingPage, **params.ERRORS},
        tags=["councils"],
    )
    def complaint_handling(
        request: HttpRequest,
        response: HttpResponse,
        year: str = params.YEAR,
        authority: str = params.AUTHORITY,
        page: int = params.PAGE,
        per_page: int = params.PER_PAGE,
    ) -> dict[str, Any]:
        """Each council's own complaint handling in a published year (reported by the council;
        not verified by the ombudsman), by official name; councils that did not report are
        listed with ``reported`` false and null figures."""
        found = handling_rows.handling_records(published_year(year), authority)
        return params.page(request, response, found, page, per_page)

    @api.get(
        "/years/{year}/replies",
        response={200: handling_schemas.ReplyPage, **params.ERRORS},
        tags=["councils"],
    )
    def replies(
        request: HttpRequest,
        response: HttpResponse,
        year: str = params.YEAR,
        authority: str = params.AUTHORITY,
        page: int = params.PAGE,
        per_page: int = params.PER_PAGE,
    ) -> dict[str, Any]:
        """Councils' replies to their letters of a published year, as accepted for publication
        (the council's own words), with earlier accepted versions."""
        found = handling_rows.reply_records(published_year(year), authority)
        return params.page(request, response, found, page, per_page)
