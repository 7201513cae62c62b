"""Query parameters are checked before any view sees them: a NUL or another control
character, a hidden text-direction control, or a value longer than ``MAX_QUERY_VALUE``
characters is answered with 400 Bad Request (never a 500 from the database)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from councilperf.text import bad_character

# Longer than any search, code or choice the site takes.
MAX_QUERY_VALUE = 200
MAX_QUERY_STRING = 2000
# The JSON API validates its own parameters against its OpenAPI schema (choices, lengths) and
# answers a bad one with a documented 422 problem: it is not checked here twice.
EXEMPT_PREFIXES = ("/api/v1/",)


def query_problem(request: HttpRequest) -> str | None:
    """Why the request's query cannot be answered, or None."""
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return f"the web address is longer than {MAX_QUERY_STRING:,} characters"
    for key, values in request.GET.lists():
        for text in (key, *values):
            if len(text) > MAX_QUERY_VALUE:
                return f"a search or choice is longer than {MAX_QUERY_VALUE} characters"
            wrong = bad_character(text, free_text=True)
            if wrong is not None:
                return f"the web address {wrong.split(':', 1)[0]}"
    return None


class QueryCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = None if request.path.startswith(EXEMPT_PREFIXES) else query_problem(request)
        if problem is None:
            return self.get_response(request)
        body = render_to_string("400.html", {"problem": problem}, request=request)
        return HttpResponse(body, status=400, content_type="text/html; charset=utf-8")
