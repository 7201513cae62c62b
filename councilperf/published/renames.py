"""Stable links for renamed councils: an address made from a council's former name answers
with a permanent redirect to the same page at its current address (query string kept)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse

from councilperf.published import authorities as councils
from councilperf.published.years import require_published

View = Callable[..., HttpResponseBase]


def follows_renames(view: View) -> View:
    """Wrap a view taking ``slug`` (and maybe ``year``): when it finds no council at ``slug``
    and ``slug`` is a council's former address, redirect (301) to the current one. A year that
    is not published stays a 404, as at the current address."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            found = councils.renamed(kwargs.get("slug", ""))
            if found is None or request.resolver_match is None:
                raise
            if kwargs.get("year"):
                require_published(kwargs["year"])
            address = reverse(
                request.resolver_match.view_name, kwargs={**kwargs, "slug": found.slug}
            )
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(f"{address}?{query}" if query else address)

    return wrapper
