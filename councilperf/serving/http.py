"""Caching headers for published pages: an ETag of the body and a short public lifetime.

Published figures are frozen, so a repeat view is answered with 304 Not Modified when the
page has not changed (a new revision or a new decision changes the body, and so the ETag).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control

PAGE_MAX_AGE = 300
FOREVER = 365 * 24 * 3600

View = Callable[..., HttpResponseBase]


def published_page(max_age: int = PAGE_MAX_AGE) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            if (
                request.method not in ("GET", "HEAD")
                or response.status_code != 200
                or not isinstance(response, HttpResponse)
            ):
                return response
            if not response.has_header("ETag"):
                digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
                response["ETag"] = f'"{digest}"'
            patch_cache_control(response, public=True, max_age=max_age)
            conditional = get_conditional_response(
                request, etag=response.get("ETag"), response=response
            )
            return conditional or response

        return wrapper

    return decorator


def file_response(
    request: HttpRequest,
    path: Path,
    *,
    etag: str,
    filename: str,
    content_type: str = "application/pdf",
) -> HttpResponseBase:
    """A file built ahead (a letter or review PDF), served from disk with the strong ETag
    ``"etag"`` and a short public lifetime: 304 Not Modified when the client has it already,
    and a download rather than a view when the address asks (``?download``)."""
    quoted = f'"{etag}"'
    not_modified = get_conditional_response(request, etag=quoted)
    if not_modified is not None:
        return not_modified
    response = FileResponse(
        path.open("rb"),
        content_type=content_type,
        as_attachment="download" in request.GET,
        filename=filename,
    )
    response["ETag"] = quoted
    response["Cache-Control"] = f"public, max-age={PAGE_MAX_AGE}"
    return response


def bad_request(request: HttpRequest, problem: str) -> HttpResponse:
    """400 Bad Request saying what is wrong with the address (a filter or order it lacks)."""
    body = render_to_string("400.html", {"problem": problem}, request=request)
    return HttpResponse(body, status=400, content_type="text/html; charset=utf-8")


def absolute_url(path: str) -> str:
    """``path`` (``/councils/leeds/2019-20/``) as an address on the public site: SITE_URL and
    the path, never the request's host or scheme (the cache warmer renders pages over http
    with the first allowed host, and a cached page must name the site's own address)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")
