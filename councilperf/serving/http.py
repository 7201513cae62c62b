"""Caching headers for published pages: an ETag of the body and a short public lifetime.

Published figures are frozen, so a repeat view is answered with 304 Not Modified when the
page has not changed (a new revision or a new decision changes the body, and so the ETag).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
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


def bad_request(request: HttpRequest, problem: str) -> HttpResponse:
    """400 Bad Request saying what is wrong with the address (a filter or order it lacks)."""
    body = render_to_string("400.html", {"problem": problem}, request=request)
    return HttpResponse(body, status=400, content_type="text/html; charset=utf-8")
