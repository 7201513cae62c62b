"""Public views of the release calendar (page, iCalendar file, Atom feed), the accessibility
statement and ``robots.txt``: parse nothing, call one builder, render. Cached like every
published page (``serving/pagecache.py``); nothing here writes."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from councilperf.serving.http import published_page
from councilperf.site import releasefiles
from councilperf.site.pages import releases as release_pages

# Private addresses a crawler has no business in: staff pages, the councils' portal, the API
# (its data is in the downloads), the councils' preview links and the admin.
DISALLOWED = ("/staff/", "/council/", "/api/", "/preview/", "/admin/")


@require_safe
@published_page()
def releases(request: HttpRequest) -> HttpResponse:
    page = release_pages.releases_page()
    context = {f.name: getattr(page, f.name) for f in dataclasses.fields(page)}
    return render(request, "site/releases.html", context)


@require_safe
@published_page()
def releases_ics(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        releasefiles.calendar_ics(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="releases.ics"'
    return response


@require_safe
@published_page()
def releases_atom(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        releasefiles.releases_atom(), content_type="application/atom+xml; charset=utf-8"
    )


@require_safe
@published_page()
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "site/accessibility.html", {"contact": release_pages.contact()})


def robots_lines() -> list[str]:
    sitemap = settings.SITE_URL + reverse("site:sitemap")
    return ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), f"Sitemap: {sitemap}"]


@require_safe
@published_page(max_age=3600)
def robots(request: HttpRequest) -> HttpResponse:
    return HttpResponse("\n".join(robots_lines()) + "\n", content_type="text/plain; charset=utf-8")
