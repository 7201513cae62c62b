"""Warming the page cache: every cacheable public page of the chosen published years is
requested once, in-process, as an anonymous browser would (gzip and plain), so the first
visitors on publication day are served from the cache.

The pages are found from the site's entry points and its sitemap, then by following the site's
own links, so whatever the site links to is warmed and nothing else. Letters are left out:
each is cached on its first view (a letter of an earlier year may not be rendered yet, and
rendering is the batch's job).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from councilperf.published import years as public
from councilperf.serving import invalidation, pagecache
from councilperf.years import ReportingYear

# Each chart's CSV and SVG are cached on their first request too (cheap, and rarely asked).
NOT_WARMED = frozenset(
    {"letter", "letter_pdf", "council_chart", "compare_chart", "review_chart"}
    | {"side_by_side_chart", "map_chart"}
)
# The downloads page and the statistics files made on request (the built files are served
# from disk, never rendered).
DOWNLOAD_PAGES = frozenset({("opendata", "downloads"), ("opendata", "statistics")})
ENCODINGS = ("gzip, deflate, br", "")
LINK = re.compile(rb'href="(/[^"#?]*)(?:\?([^"#]*))?"')
SITEMAP_LOC = re.compile(rb"<loc>https?://[^/<]+(/[^<?#]*)</loc>")


@dataclass
class WarmReport:
    years: list[ReportingYear]
    pages: int = 0
    bytes: int = 0
    failed: list[tuple[str, int]] = field(default_factory=list)  # an error, or a page missing
    missing: list[str] = field(default_factory=list)  # a linked page that is not there (404)
    warmed: list[str] = field(default_factory=list)  # every address now in the cache


def entry_points(years: Iterable[ReportingYear]) -> list[str]:
    urls = ["/", "/about/", "/downloads/", "/review/", "/councils.json", "/search/"]
    for year in years:
        urls += [
            f"/?year={year}",
            f"/?year={year}&tier=lower",
            f"/review/{year}/",
            f"/review/{year}/review.pdf",
            f"/map-data/{year}/figures.json",
            f"/downloads/{year}/statistics.csv",
            f"/downloads/{year}/statistics.xlsx",
        ]
    return urls


def wanted(url: str, years: frozenset[ReportingYear]) -> bool:
    """A link worth warming: a cached public route, of a chosen year or of none."""
    path = url.split("?", 1)[0]
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.namespace != "site" and (match.namespace, match.url_name) not in DOWNLOAD_PAGES:
        return False
    if pagecache.cached_parameters(match.namespace, match.url_name or "") is None:
        return False
    if match.url_name in NOT_WARMED:
        return False
    year = match.kwargs.get("year")
    return year is None or year in years


def links(body: bytes) -> list[str]:
    """Same-site links without a query string (a query is only cached on the home page)."""
    return [m.group(1).decode() for m in LINK.finditer(body) if not m.group(2)]


def default_host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host and not host.startswith((".", "*")):
            return host
    return "localhost"


def warm(
    *,
    years: list[ReportingYear] | None = None,
    host: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> WarmReport:
    """Warm the pages of ``years`` (default: every published year); a new cache generation
    is started first, so nothing cached before the publish step survives it."""
    published = public.snapshot().reporting_years
    chosen = [y for y in published if years is None or y in years]
    report = WarmReport(years=sorted(chosen))
    invalidation.bump()
    clients = [
        Client(HTTP_HOST=host or default_host(), HTTP_ACCEPT_ENCODING=encoding)
        for encoding in ENCODINGS
    ]
    for client in clients:
        client.raise_request_exception = False
    allowed = frozenset(chosen)
    queue = deque(u for u in entry_points(report.years) if wanted(u, allowed))
    sitemap = clients[-1].get("/sitemap.xml", secure=getattr(settings, "HTTPS", False))
    if sitemap.status_code == 200:
        listed = (m.group(1).decode() for m in SITEMAP_LOC.finditer(sitemap.getvalue()))
        queue.extend(u for u in dict.fromkeys(listed) if u not in queue and wanted(u, allowed))
    required = set(queue)
    seen = set(queue)
    while queue:
        url = queue.popleft()
        for index, client in enumerate(clients):
            response = client.get(url, secure=getattr(settings, "HTTPS", False))
            if response.status_code != 200:
                if index > 0 or response.status_code < 400:
                    continue
                if response.status_code == 404 and url not in required:
                    report.missing.append(url)
                else:
                    report.failed.append((url, response.status_code))
                continue
            body = response.getvalue()
            report.bytes += len(body)
            if index == len(clients) - 1:
                report.pages += 1
                report.warmed.append(url)
                if response["Content-Type"].startswith("text/html"):
                    for link in links(body):
                        if link not in seen and wanted(link, allowed):
                            seen.add(link)
                            queue.append(link)
        if progress:
            progress(report.pages + len(report.failed) + len(report.missing), len(seen))
    return report
