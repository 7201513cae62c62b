"""The site's error pages (``handler404``, ``handler500`` in ``councilperf/urls.py``)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from councilperf.site.pages import site

log = logging.getLogger(__name__)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 page in the site's layout; under a known council's address (a year it has no
    figures for), that council's published years; for an unknown council, the nearest
    names. It only reads, and says nothing about whether an unpublished year exists."""
    known = site.council_of_path(request.path)
    suggestions = [] if known else site.nearest_councils(request.path)
    context = {"suggestions": suggestions, "query": "", "known": known}
    body = render(request, "404.html", context)
    body.status_code = 404
    return body


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the site's layout; if even that cannot be drawn (a missing static file,
    a database down), the self-contained page of ``councilperf/serving/templates/500.html``."""
    try:
        body = render_to_string("site/500.html", {}, request=request)
    except Exception:  # anything broken falls back to the plain page
        log.exception("the 500 page in the site's layout could not be drawn")
        body = render_to_string("500.html")
    return HttpResponse(body, status=500, content_type="text/html; charset=utf-8")
