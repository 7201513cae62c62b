"""The API's documentation page, rendered from its own OpenAPI schema."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from councilperf.api import all_years, choices, files
from councilperf.api.http import problem
from councilperf.api.instance import API
from councilperf.published import downloads, places
from councilperf.published.place_filter import BadFilter, PlaceFilter, slug
from councilperf.published.years import published_years, require_published
from councilperf.serving.http import PAGE_MAX_AGE, bad_request, published_page
from councilperf.years import ReportingYear


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation of the schema as the page lists it: path, summary, parameters."""
    found = []
    for route, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            found.append(
                {
                    "method": method.upper(),
                    "path": route,
                    "anchor": op.get("operationId", route),
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "tag": (op.get("tags") or [""])[0],
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                }
            )
    return found


def index(request: HttpRequest) -> HttpResponse:
    """/api/v1/: where the schema, the documentation and each operation are."""
    schema = API.get_openapi_schema(path_prefix="/api/v1/")
    body = {
        "title": schema["info"]["title"],
        "version": schema["info"]["version"],
        "openapi": "/api/v1/openapi.json",
        "documentation": "/api/",
        "operations": [f"{op['method']} {op['path']}" for op in operations(schema)],
    }
    return HttpResponse(json.dumps(body), content_type="application/json")


def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    return problem(404, "No such address in the API: see /api/v1/openapi.json")


@require_safe
@published_page()
def docs(request: HttpRequest) -> HttpResponse:
    schema = API.get_openapi_schema(path_prefix="/api/v1/")
    context = {
        "info": schema["info"],
        "operations": operations(schema),
        "site": str(settings.SITE_URL).rstrip("/"),
        "licence": schema["info"]["license"],
        "contact": schema["info"]["contact"],
    }
    return render(request, "api/docs.html", context)


@require_safe
def download(
    request: HttpRequest, year: ReportingYear, name: str, revision: str | None = None
) -> Any:
    """A built open data file of a published year (404 for any other year, or until built)."""
    number = int(revision) if revision else None
    path = files.path_or_404(require_published(year), name, number)
    return _built_file(request, path, f"{year}-{name}")


@require_safe
def all_years_download(request: HttpRequest, name: str) -> Any:
    """A built all-years file (404 until built for the years published now)."""
    return _built_file(
        request, all_years.path_or_404(name), f"council-performance-all-years-{name}"
    )


def _built_file(request: HttpRequest, path: Path, filename: str) -> FileResponse:
    fmt = path.name.rpartition(".")[2]
    response = FileResponse(path.open("rb"), content_type=files.TYPES[fmt])
    if fmt in ("xlsx", "zip") or "download" in request.GET:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=PAGE_MAX_AGE)
    return response


@require_safe
@published_page()
def downloads_page(request: HttpRequest) -> HttpResponse:
    years = published_years()
    return render(
        request,
        "api/downloads.html",
        {
            "years": [(y, downloads.links(y)) for y in reversed(years)],
            "dictionary": downloads.DICTIONARY,
            "all_years": all_years.files(),
            **files.page_context(years),
        },
    )


def open_cors(view: Any) -> Any:
    """Open data: any site may read the answer, its 304 and its 400 too (CORS)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


@open_cors
@require_safe
@published_page()
def statistics_download(request: HttpRequest, year: ReportingYear, fmt: str) -> HttpResponse:
    year = require_published(year)
    if fmt not in downloads.FORMATS:
        raise Http404("No such format")
    try:
        chosen = places.read_filter(_region_as_slug(request.GET))
    except BadFilter as error:
        return bad_request(request, str(error))
    body = downloads.export_file(year, fmt, chosen)
    response = HttpResponse(body, content_type=downloads.FORMATS[fmt])
    name = downloads.file_name(year, fmt, PlaceFilter(region=chosen.region, county=chosen.county))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _region_as_slug(query: QueryDict) -> dict[str, str]:
    """The download's filter with a region's name ("North East") read as its slug, as the
    API takes both (an unknown region is left for the filter to refuse in words)."""
    found = {key: query.get(key, "") or "" for key in query}
    try:
        name = choices.region(found.get("region", ""))
    except choices.UnknownValue:
        return found
    if name:
        found["region"] = slug(name)
    return found
