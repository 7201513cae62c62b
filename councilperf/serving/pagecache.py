"""Whole-response cache for the public pages of published years.

A published year's pages, map figures, downloads, letters and review PDF never change for a
given revision, so the whole response (body and headers, compressed as served) is kept in the
cache under a key made of:

- the path, and only the query parameters the route is known to read (any other parameter,
  or any parameter on a route that reads none, means no caching);
- the year in the URL and its revision, and the list of every published year with its
  revision and fingerprint (a new revision, a correction, an approval or a publication date
  passing changes the key);
- the cache generation (``invalidation.py``: any saved row starts a new one);
- the response encoding the client accepts (gzip or none).

Only anonymous ``GET``/``HEAD`` requests are served or stored: a request carrying a session
cookie (staff, anyone logged in) or credentials bypasses the cache entirely, and only ``200``
responses that the view marked ``Cache-Control: public`` and that set no cookie are stored.
Every cached response carries a strong ``ETag`` of its bytes, so a repeat view is a ``304``.

The key and the body come from one published state (``published.years.snapshot``): the
middleware takes it once per request, keys the response by it and lets the views read that
same state (``published.years.reading``; also ``request.published``), so no response is
stored under the key of another state.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response

from councilperf.published import years as public
from councilperf.serving import invalidation
from councilperf.years import ReportingYear

KEY_VERSION = "page:1"

# Public routes that are cached, with the query parameters each reads.
ROUTES: dict[str, frozenset[str]] = {
    "home": frozenset({"year", "tier", "metric", "sort", "order"}),  # sort: read by the script
    "councils_json": frozenset(),  # the whole list; a type-ahead query is never cached
    "councils": frozenset(),  # the A-Z list
    "council": frozenset(),
    "council_year": frozenset(),
    "letter": frozenset(),
    "letter_pdf": frozenset({"download"}),
    "methods": frozenset(),
    "search": frozenset(),  # the empty search page; a query is never cached
    "map_figures": frozenset(),
    "map_shapes": frozenset(),
    "compare": frozenset({"council", "sort", "order"}),  # the council highlighted
    "side_by_side": frozenset({"councils"}),  # a search to add one ("add") is never cached
    "review_latest": frozenset(),
    "review": frozenset(),
    "review_pdf": frozenset({"download"}),
    "releases": frozenset(),  # the release calendar, its iCalendar file and Atom feed
    "releases_ics": frozenset(),
    "releases_atom": frozenset(),
    "accessibility": frozenset(),
    "robots": frozenset(),
    # Each chart's figures and drawing (site.dataviews); the funnel's highlighted council.
    "council_chart": frozenset(),
    "compare_chart": frozenset({"council"}),
    "review_chart": frozenset(),
    "side_by_side_chart": frozenset({"councils"}),
    "map_chart": frozenset({"colour"}),
}
# The open data's routes (councilperf/api): the JSON API, the built downloads, the embed card.
_PAGES = frozenset({"page", "per_page"})
OPEN_DATA_ROUTES: dict[tuple[str, str], frozenset[str]] = {
    ("api-v1", "api-root"): frozenset(),
    ("api-v1", "openapi-json"): frozenset(),
    ("api-v1", "years"): frozenset(),
    ("api-v1", "year"): frozenset(),
    ("api-v1", "authorities"): _PAGES | {"year", "group", "region"},
    ("api-v1", "authority"): frozenset(),
    ("api-v1", "year_figures"): _PAGES | {"group", "region", "authority"},
    ("api-v1", "authority_figures"): frozenset(),
    ("api-v1", "authority_series"): _PAGES,
    ("api-v1", "measure_series"): _PAGES
    | {"measure", "from", "to", "region", "group", "authority"},
    ("api-v1", "groups"): frozenset(),
    ("api-v1", "decisions"): _PAGES | {"authority", "service_area", "outcome"},
    ("api-v1", "improvements"): _PAGES | {"authority", "service_area"},
    ("api-v1", "letter"): frozenset(),
    ("opendata", "downloads"): frozenset(),
    ("opendata", "statistics"): frozenset(),
    ("opendata", "file"): frozenset({"download"}),
    ("opendata", "revision_file"): frozenset({"download"}),
    ("opendata", "all_years_file"): frozenset({"download"}),
    ("embed", "card"): frozenset(),
    ("embed", "card_year"): frozenset(),
}
MAX_BODY_BYTES = 8 * 1024 * 1024
KEPT_ON_304 = ("Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "X-Page-Cache")
STORED_VARY = frozenset({"accept-encoding"})

Published = tuple[tuple[str, int], ...]


# --- Pure parts -------------------------------------------------------------------------


def encoding_class(accept_encoding: str) -> str:
    """``gzip`` when the client takes gzip (every browser), else ``identity``."""
    for part in accept_encoding.split(","):
        name, _, params = part.partition(";")
        if name.strip().lower() == "gzip" and params.replace(" ", "") not in ("q=0", "q=0.0"):
            return "gzip"
    return "identity"


def cache_key(
    *,
    path: str,
    query: Mapping[str, list[str]],
    allowed: frozenset[str],
    year: str | None,
    published: Published,
    generation: str,
    encoding: str,
) -> str | None:
    """The key of one response, or None when it must not be cached."""
    if any(name not in allowed for name in query):
        return None
    if year is not None and year not in dict(published):
        return None  # not a published year: never cached
    # JSON: no value can pass for another part (a query value holding "&" or "="). The
    # revision of the address's year is among ``published``; the year is in the path.
    parts = [
        path,
        [[name, value] for name in sorted(query) for value in query[name]],
        published,
        generation,
        encoding,
    ]
    digest = hashlib.blake2b(json.dumps(parts).encode(), digest_size=20).hexdigest()
    return f"{KEY_VERSION}:{digest}"


def strong_etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def storable_headers(headers: Mapping[str, str]) -> bool:
    """A response may be shared when its view says ``public`` and it varies only by encoding."""
    control = {d.strip().split("=")[0].lower() for d in headers.get("Cache-Control", "").split(",")}
    if "public" not in control or control & {"private", "no-store", "no-cache"}:
        return False
    vary = {v.strip().lower() for v in headers.get("Vary", "").split(",") if v.strip()}
    return vary <= STORED_VARY


# --- The state the key depends on -------------------------------------------------------

_published_memo: dict[str, public.PublishedState] = {}
_memo_lock = threading.Lock()


def published_state(generation: str) -> public.PublishedState:
    """What is public now: one snapshot per generation in each process (the generation
    changes whenever a row does, an approval or a correction included), kept until the next
    year's publication moment comes (``PublishedState.holds_at``)."""
    now = timezone.now()
    with _memo_lock:
        found = _published_memo.get(generation)
    if found is None or not found.holds_at(now):
        found = public.snapshot(now)
        with _memo_lock:
            _published_memo.clear()
            _published_memo[generation] = found
    return found


# --- The middleware ---------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    streaming: bool = False  # a file (a letter PDF) is passed on as a stream, as the view did

    def response(self) -> HttpResponseBase:
        response: HttpResponseBase
        if self.streaming:
            response = StreamingHttpResponse([self.body], status=self.status)
        else:
            response = HttpResponse(self.body, status=self.status)
        for name, value in self.headers:
            response[name] = value
        return response


LOCAL_ENTRIES = 256  # per process: the hottest pages without a trip to the shared cache
_local: OrderedDict[str, Entry] = OrderedDict()
_local_lock = threading.Lock()


def local_get(key: str) -> Entry | None:
    """An entry this process has already served: its key names its content exactly (the
    generation is part of it), so keeping it is never stale."""
    with _local_lock:
        entry = _local.get(key)
        if entry is not None:
            _local.move_to_end(key)
        return entry


def local_put(key: str, entry: Entry) -> None:
    with _local_lock:
        _local[key] = entry
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def cached_parameters(namespace: str, name: str) -> frozenset[str] | None:
    """The query parameters a cached route reads, or None for a route never cached."""
    if namespace == "site":
        return ROUTES.get(name)
    return OPEN_DATA_ROUTES.get((namespace, name))


@functools.lru_cache(maxsize=4096)
def route(urlconf: str, path_info: str) -> tuple[frozenset[str], str | None] | None:
    """The query parameters a cached route reads and the year in its address, or None when
    the address is not a cached route. Kept per process (the URL patterns never change while
    it runs; ``urlconf`` is part of the key for tests that swap them), so a hit from the
    cache does not walk the URL patterns again."""
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return None
    allowed = cached_parameters(match.namespace, match.url_name or "")
    if allowed is None:
        return None
    year = match.kwargs.get("year")
    if isinstance(year, ReportingYear):  # the site's and the downloads' year converter
        return allowed, year.label
    return allowed, year if isinstance(year, str) else None  # the API's text parameter


def request_key(
    request: HttpRequest,
    state: public.PublishedState | None = None,
    generation: str | None = None,
) -> str | None:
    """The request's cache key under ``state`` and ``generation`` (default: now's)."""
    if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return None
    found = route(
        str(getattr(request, "urlconf", None) or settings.ROOT_URLCONF), request.path_info
    )
    if found is None:
        return None
    allowed, year = found
    generation = generation or invalidation.generation()
    state = state or published_state(generation)
    return cache_key(
        path=request.path,
        query={name: request.GET.getlist(name) for name in request.GET},
        allowed=allowed,
        year=year,
        published=state.pairs,
        generation=f"{generation}:{state.token}",
        encoding=encoding_class(request.headers.get("Accept-Encoding", "")),
    )


def materialise(response: HttpResponseBase) -> HttpResponse:
    """A streaming response (a letter PDF from its file) read into memory, headers kept."""
    if isinstance(response, HttpResponse):
        return response
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    whole = HttpResponse(body, status=response.status_code)
    for name, value in response.headers.items():
        whole[name] = value
    # The file is read: close it now, but not through response.close(), which would also send
    # request_finished in the middle of the request (and so close the database connection).
    for close in response._resource_closers:  # type: ignore[attr-defined]
        close()
    response._resource_closers.clear()  # type: ignore[attr-defined]
    return whole


def freeze(response: HttpResponse, *, streaming: bool) -> Entry | None:
    """The response as a cache entry, or None if it is too big to keep."""
    body = response.content
    if len(body) > MAX_BODY_BYTES:
        return None
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("date", "etag")}
    headers["ETag"] = strong_etag(body)
    headers["Content-Length"] = str(len(body))
    return Entry(response.status_code, tuple(headers.items()), body, streaming)


def shareable(response: HttpResponseBase) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and storable_headers(response.headers)
        and int(response.headers.get("Content-Length") or 0) <= MAX_BODY_BYTES
    )


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # The Host checked first (a disallowed one raises DisallowedHost: a 400), as the
        # views' middleware would: a cached page is never the answer to another site's name.
        request.get_host()
        generation = invalidation.generation()
        state = published_state(generation)
        request.published = state  # type: ignore[attr-defined]
        with public.reading(state):
            return self.respond(request, request_key(request, state, generation))

    def respond(self, request: HttpRequest, key: str | None) -> HttpResponseBase:
        if key is None:
            return self.get_response(request)
        entry = local_get(key)
        if entry is None:
            entry = cache.get(key)
            if entry is not None:
                local_put(key, entry)
        state = "hit"
        if entry is None:
            state = "miss"
            response = self.get_response(request)
            if not shareable(response):
                return response
            whole = materialise(response)
            entry = freeze(whole, streaming=response.streaming)
            if entry is None:
                return whole
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            local_put(key, entry)
        response = entry.response()
        response["X-Page-Cache"] = state
        # Only the headers are read (to copy the validators onto a 304).
        not_modified = get_conditional_response(
            request, etag=response["ETag"], response=cast(HttpResponse, response)
        )
        if not_modified is None:
            return response
        for name in KEPT_ON_304:  # the open data's CORS headers, as its own 304s carry them
            if response.has_header(name):
                not_modified[name] = response[name]
        return not_modified
