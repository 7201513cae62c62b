"""The API object: django-ninja with problem-details errors, ETags, 304s and open CORS.

Every response of ``/api/v1/`` goes through :func:`conditional`: a strong ETag of the body,
``Cache-Control: public``, ``Access-Control-Allow-Origin: *`` and 304 Not Modified for a
matching ``If-None-Match``. Errors are ``application/problem+json`` (RFC 9457).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from councilperf.api import openapi
from councilperf.api.choices import UnknownValue
from councilperf.serving.http import PAGE_MAX_AGE

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


def problem(status: int, detail: str = "", **extra: Any) -> HttpResponse:
    """An RFC 9457 problem; ``extra`` are its extension members (``parameter``, …)."""
    body: dict[str, Any] = {"type": "about:blank", "title": HTTPStatus(status).phrase}
    body.update(status=status, detail=detail, **extra)
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _validation(errors: list[Any]) -> str:
    parts = []
    for error in errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path"))
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "Invalid request"


class OpenDataAPI(NinjaAPI):
    """NinjaAPI whose schema says what the errors really are (problem+json), and what every
    answer carries: licence, contact, ETag and 304, 405, ``Link`` on pages (``openapi``)."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if str(status).startswith(("4", "5")) and "application/json" in content:
                        content[PROBLEM] = content.pop("application/json")
        return openapi.complete(schema)


def build_api() -> NinjaAPI:
    api = OpenDataAPI(
        title="Council Performance open data",
        version="1",
        description=(
            "Published figures of the councils in England that the ombudsman reports on: "
            "years, authorities, each authority's measures per year, group averages, "
            "decisions, service improvements and letters. Read-only; published years only. "
            "See /api/ for the documentation and the stability promise."
        ),
        docs_url=None,
        urls_namespace="api-v1",
    )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(404, str(exc) or "Not found")

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return problem(422, _validation(list(exc.errors)))

    @api.exception_handler(UnknownValue)
    def unknown_value(request: HttpRequest, exc: UnknownValue) -> HttpResponse:
        return problem(400, str(exc), parameter=exc.parameter, value=exc.value, allowed=exc.allowed)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(exc.status_code, str(exc))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("API error on %s", request.path)
        return problem(500, "The server could not answer this request")

    return api


View = Callable[..., HttpResponseBase]


READ_ONLY = "GET, HEAD, OPTIONS"


def not_allowed() -> HttpResponse:
    """405 with the methods the API takes (``Allow``, RFC 9110)."""
    response = problem(405, "The API is read-only: use GET")
    response["Allow"] = READ_ONLY
    return response


def conditional(view: View) -> View:
    """ETag, public caching, open CORS and 304 for the API's GET responses. Exempt from CSRF:
    the API is read-only, so a POST or DELETE is a problem+json 405, never a 403 page."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return not_allowed()
        if request.method == "OPTIONS":
            preflight = HttpResponse(status=204)
            preflight["Access-Control-Allow-Origin"] = "*"
            preflight["Access-Control-Allow-Methods"] = READ_ONLY
            preflight["Access-Control-Allow-Headers"] = "If-None-Match"
            preflight["Access-Control-Max-Age"] = "86400"
            return preflight
        if request.method == "HEAD":  # answered as the GET; the server sends no body
            request.method = "GET"
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Link"
        if response.status_code != 200 or not isinstance(response, HttpResponse):
            return response
        digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
        response["ETag"] = f'"{digest}"'
        patch_cache_control(response, public=True, max_age=PAGE_MAX_AGE)
        found = get_conditional_response(request, etag=response["ETag"], response=response)
        if found is not None and found.status_code == 304:
            found["Access-Control-Allow-Origin"] = "*"
            return found
        return response

    return wrapper
