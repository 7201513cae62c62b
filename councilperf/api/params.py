"""The operations' shared parameters, error answers and paging (every list is a page).

A page's ``next`` and ``previous`` are absolute addresses on the site (``SITE_URL``), and its
response carries the same links as a ``Link`` header (RFC 8288: ``first``, ``prev``,
``next``, ``last``), so a client can follow either.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query

from councilperf.api import schemas, shape

YEAR = Path(
    ...,
    pattern=r"^\d{4}-\d{2}$",
    description='A reporting year, e.g. "2023-24".',
    openapi_examples={"published": {"value": "2023-24"}},
)
CODE = Path(
    ...,
    pattern=r"^E\d{8}$",
    description='A GSS code, e.g. "E06000060".',
    openapi_examples={"unitary": {"value": "E06000060"}},
)
PAGE = Query(1, ge=1, le=100_000, description="Page number, from 1.")
PER_PAGE = Query(100, ge=1, le=500, description="Results per page (at most 500).")
ERRORS: dict[int, Any] = {
    400: schemas.BadParameter,
    404: schemas.Problem,
    422: schemas.Problem,
}


GROUP = Query(
    "",
    description="Comparison group: its code or slug (district) or its name (District Councils).",
)
REGION = Query(
    "",
    description="Region of England: the site's slug (north-east) or its name (North East).",
)


SERVICE_AREA = Query(
    "", description="Service area: its code (adult_care), slug (adult-care) or name."
)
OUTCOME = Query("", description="Outcome: its code (upheld), slug or name.")
AUTHORITY = Query("", pattern=r"^(E\d{8})?$", description="A GSS code, e.g. E07000223.")


def site() -> str:
    return str(getattr(settings, "SITE_URL", "")).rstrip("/")


def page(
    request: HttpRequest, response: HttpResponse, items: list[Any], number: int, per_page: int
) -> dict[str, Any]:
    """Page ``number`` of ``items``: the body (absolute next/previous) and the ``Link``
    header on ``response`` (ninja's temporal response), the request's filters kept."""
    query = urlencode(
        [(k, v) for k, v in request.GET.items() if k not in ("page", "per_page") and v]
    )
    base = site()
    links = shape.page_links(
        count=len(items), page=number, per_page=per_page, path=request.path, query=query, base=base
    )
    response["Link"] = shape.link_header(links)
    return shape.page_of(
        items, page=number, per_page=per_page, path=request.path, query=query, base=base
    )
