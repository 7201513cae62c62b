"""The API's operations: parse the filters, read the published figures, shape them.

Statistics come from the public site's doorway to the typed read model
(``public.selectors.figures``); decisions and service improvements from its doorway for
case-level data (``public.selectors.cases``). Only published years are ever read: any other
year is a 404, whatever the endpoint.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Query

from councilperf.api import choices, params, records, schemas, shape, timeseries
from councilperf.published import figures
from councilperf.published.years import published_year

YEAR, CODE, PAGE, PER_PAGE, ERRORS = (
    params.YEAR,
    params.CODE,
    params.PAGE,
    params.PER_PAGE,
    params.ERRORS,
)
GROUP, REGION, AUTHORITY = params.GROUP, params.REGION, params.AUTHORITY


def register(api: NinjaAPI) -> None:
    """Add every operation to ``api`` (in the order the schema lists them)."""
    for add in (_years, _authorities, _figures, timeseries.register, _groups, _cases, _letters):
        add(api)


def _years(api: NinjaAPI) -> None:
    @api.get("/years", response={200: list[schemas.Year]}, tags=["years"])
    def years(request: HttpRequest) -> list[dict[str, Any]]:
        """Published reporting years, oldest first, each with its latest revision."""
        return [records.year(y) for y in figures.published_years()]

    @api.get("/years/{year}", response={200: schemas.Year, **ERRORS}, tags=["years"])
    def year(request: HttpRequest, year: str = YEAR) -> dict[str, Any]:
        """One published year: status, revision, publication date and method notes."""
        return records.year(published_year(year))


def _authorities(api: NinjaAPI) -> None:
    @api.get("/authorities", response={200: schemas.AuthorityPage, **ERRORS}, tags=["authorities"])
    def authorities(
        request: HttpRequest,
        response: HttpResponse,
        year: str = Query(
            "", pattern=r"^(\d{4}-\d{2})?$", description="Only authorities of this year."
        ),
        group: str = GROUP,
        region: str = REGION,
        page: int = PAGE,
        per_page: int = PER_PAGE,
    ) -> dict[str, Any]:
        """Authorities with published figures, by name (stable order)."""
        chosen = published_year(year) if year else None
        found = records.authorities(
            year=chosen, group=choices.group(group), region=choices.region(region)
        )
        return params.page(request, response, found, page, per_page)

    @api.get(
        "/authorities/{code}",
        response={200: schemas.AuthorityDetail, **ERRORS},
        tags=["authorities"],
    )
    def authority(request: HttpRequest, code: str = CODE) -> dict[str, Any]:
        """One authority: names, address, group, region, dates, predecessors, successors."""
        return records.authority(code)


def _figures(api: NinjaAPI) -> None:
    @api.get(
        "/years/{year}/figures", response={200: schemas.FiguresPage, **ERRORS}, tags=["figures"]
    )
    def year_figures(
        request: HttpRequest,
        response: HttpResponse,
        year: str = YEAR,
        group: str = GROUP,
        region: str = REGION,
        authority: str = AUTHORITY,
        page: int = PAGE,
        per_page: int = PER_PAGE,
    ) -> dict[str, Any]:
        """Every authority's figures in a published year, by official name."""
        chosen = published_year(year)
        found = records.figures_of(
            chosen,
            group=choices.group(group),
            region=choices.region(region),
            authority=authority,
        )
        return params.page(request, response, found, page, per_page)

    @api.get(
        "/years/{year}/figures/{code}",
        response={200: schemas.AuthorityFiguresOut, **ERRORS},
        tags=["figures"],
    )
    def authority_figures(
        request: HttpRequest, year: str = YEAR, code: str = CODE
    ) -> dict[str, Any]:
        """One authority's figures in a published year: every measure of the registry."""
        chosen = published_year(year)
        found = figures.authority(chosen, code)
        if found is None:
            raise Http404("No published figures for this authority in this year")
        return shape.authority_figures(found, slug=records.slug(code))


def _groups(api: NinjaAPI) -> None:
    @api.get(
        "/years/{year}/groups",
        response={200: list[schemas.GroupFiguresOut], **ERRORS},
        tags=["figures"],
    )
    def groups(request: HttpRequest, year: str = YEAR) -> list[dict[str, Any]]:
        """The comparison groups' summed counts and averages, then England's."""
        chosen = published_year(year)
        found = [shape.group_figures(g) for _, g in sorted(figures.groups(chosen).items())]
        national = figures.national(chosen)
        return found + ([shape.group_figures(national)] if national else [])


def _cases(api: NinjaAPI) -> None:
    @api.get(
        "/years/{year}/decisions", response={200: schemas.DecisionPage, **ERRORS}, tags=["cases"]
    )
    def decisions(
        request: HttpRequest,
        response: HttpResponse,
        year: str = YEAR,
        authority: str = AUTHORITY,
        service_area: str = params.SERVICE_AREA,
        outcome: str = params.OUTCOME,
        page: int = PAGE,
        per_page: int = PER_PAGE,
    ) -> dict[str, Any]:
        """Decisions of a published year (public fields only), by date then reference."""
        chosen = published_year(year)
        found = records.decisions(
            chosen,
            authority=authority,
            service_area=choices.service_area(service_area),
            outcome=choices.outcome(outcome),
        )
        return params.page(request, response, found, page, per_page)

    @api.get(
        "/years/{year}/service-improvements",
        response={200: schemas.ImprovementPage, **ERRORS},
        tags=["cases"],
    )
    def improvements(
        request: HttpRequest,
        response: HttpResponse,
        year: str = YEAR,
        authority: str = AUTHORITY,
        service_area: str = params.SERVICE_AREA,
        page: int = PAGE,
        per_page: int = PER_PAGE,
    ) -> dict[str, Any]:
        """Service improvements recommended in a published year, with their compliance."""
        chosen = published_year(year)
        found = records.improvements(
            chosen, authority=authority, service_area=choices.service_area(service_area)
        )
        return params.page(request, response, found, page, per_page)


def _letters(api: NinjaAPI) -> None:
    @api.get(
        "/years/{year}/letters/{code}",
        response={200: schemas.LetterOut, **ERRORS},
        tags=["letters"],
    )
    def letter(request: HttpRequest, year: str = YEAR, code: str = CODE) -> dict[str, Any]:
        """The annual review letter as sent: links to its HTML and PDF, and its hash."""
        return records.letter(published_year(year), code)
