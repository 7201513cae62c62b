"""Public views: parse the request, call one page builder, render. Nothing here queries,
formats a figure or writes (``pages/`` build, ``presentation/`` formats)."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from councilperf.groups import GROUP_PLURAL, TIERS
from councilperf.published import authorities as councils
from councilperf.published import downloads, places, sources
from councilperf.published.letters import (
    PublicLetter,
    letter_body,
    letter_or_404,
)
from councilperf.published.place_filter import BadFilter
from councilperf.published.renames import follows_renames
from councilperf.published.years import (
    latest_published_year,
    published_years,
    require_published,
)
from councilperf.serving import health
from councilperf.serving.http import FOREVER, bad_request, file_response, published_page
from councilperf.site import mapdata, sharing
from councilperf.site.pages import compare as compare_pages
from councilperf.site.pages import council as council_pages
from councilperf.site.pages import home as home_pages
from councilperf.site.pages import releases as release_pages
from councilperf.site.pages import review, site
from councilperf.site.pages import revisions as revision_pages
from councilperf.site.pages import side_by_side as side_by_side_pages
from councilperf.site.pages.compare_table import BadSort
from councilperf.statistics.measures import METRIC
from councilperf.years import ReportingYear

log = logging.getLogger(__name__)


def _context(page: Any, **extra: Any) -> dict[str, Any]:
    """A page dataclass as a template context (its fields, shallowly), plus ``extra``."""
    found = {f.name: getattr(page, f.name) for f in dataclasses.fields(page)}
    return {**found, **extra}


def _choice(value: str | None, options: Any, default: str) -> str:
    return value if value is not None and value in options else default


def _groups() -> list[tuple[str, str]]:
    return [(g, GROUP_PLURAL[g]) for g in compare_pages.GROUPS]


@require_safe
@published_page()
def home(request: HttpRequest) -> HttpResponse:
    years = published_years()
    asked = request.GET.get("year", "")
    # A year with no published figures (a typo, an old bookmark, a year to come) shows the
    # latest year with a notice rather than an error: the same words for any such year.
    year = next((y for y in years if y.label == asked), None) or latest_published_year()
    tier = _choice(request.GET.get("tier"), TIERS, "upper")
    metric = METRIC[_choice(request.GET.get("metric"), METRIC, "upheld_rate")]
    try:
        chosen = places.read_filter(request.GET)
    except BadFilter as problem:
        return bad_request(request, str(problem))
    colour = _choice(request.GET.get("colour"), home_pages.COLOUR_BY, "compared")
    page = home_pages.home_page(years, year, tier, metric, chosen=chosen, colour=colour)
    notice = bool(asked) and (year is None or asked != year.label)
    extra = {"year_notice": notice, "next_release": release_pages.next_release_text()}
    return render(request, "site/home.html", _context(page, **extra))


@require_safe
@published_page()
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = councils.search(query) if query else []
    if len(results) == 1 and request.GET.get("go"):
        return HttpResponseRedirect(reverse("site:council", args=[results[0].slug]))
    return render(
        request, "site/search.html", {"query": query, "results": results, "searched": bool(query)}
    )


@require_safe
@published_page()
def councils_json(request: HttpRequest) -> JsonResponse:
    """Names for the type-ahead: ``?q=`` the search's own matches, else every council."""
    query = request.GET.get("q", "").strip()[:100]
    return JsonResponse({"councils": councils.suggestions(query)})


@require_safe
@published_page()
def councils_a_to_z(request: HttpRequest) -> HttpResponse:
    return render(request, "site/councils.html", {"letters": councils.a_to_z()})


@require_safe
@follows_renames
@published_page()
def council(request: HttpRequest, slug: str, year: ReportingYear | None = None) -> HttpResponse:
    authority = councils.authority_or_404(slug)
    years = councils.authority_years(authority)
    if year is None:
        if not years:
            raise Http404("No published figures")
        year = years[-1]
    year = require_published(year)
    if year not in years:
        successor = councils.successor_in(authority, year)
        if successor is None:
            raise Http404("This council did not exist in that year")
        # A stable link: an abolished council's address leads to its successor's page.
        return HttpResponseRedirect(reverse("site:council_year", args=[successor.slug, year]))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("improvements_page", None)
    page = council_pages.council_page(
        authority,
        year,
        years,
        filters=council_pages.Filters.read(request.GET, years, year),
        page_number=request.GET.get("page"),
        page_query=query.urlencode(),
        improvements_page=request.GET.get("improvements_page"),
    )
    shared = sharing.page_context(
        title=f"{authority.official_name}: complaint decisions {year}",
        path=reverse("site:council_year", args=[authority.slug, year]),
        year=year,
        key=authority.slug,
        image=reverse("site:council_card", args=[authority.slug, year]),
    )
    return render(
        request,
        "site/council.html",
        _context(page, revisions=revision_pages.revisions(year), **shared),
    )


def _letter_for(slug: str, year: ReportingYear) -> tuple[Any, PublicLetter]:
    authority = councils.authority_or_404(slug)
    year = require_published(year)
    return authority, letter_or_404(authority, year)


@require_safe
@follows_renames
@published_page()
def letter(request: HttpRequest, slug: str, year: ReportingYear) -> HttpResponse:
    """The annual review letter as sent, inside the site's own page."""
    authority, found = _letter_for(slug, year)
    return render(
        request,
        "site/letter.html",
        {
            "authority": authority,
            "year": found.year,
            "letter": found,
            # The letter file is our own generated HTML (letters app), cut to an allow-list.
            "body": mark_safe(letter_body(found)),
            "synthetic": found.synthetic,
        },
    )


@require_safe
@follows_renames
def letter_pdf(request: HttpRequest, slug: str, year: ReportingYear) -> HttpResponseBase:
    authority, found = _letter_for(slug, year)
    return file_response(
        request,
        found.pdf_path,
        etag=found.content_hash[:32],
        filename=f"annual-review-letter-{found.year}-{authority.slug}.pdf",
    )


@require_safe
@published_page()
def methods(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "site/methods.html",
        {
            "small_number_threshold": settings.SMALL_NUMBER_THRESHOLD,
            "year_sources": sources.published_sources(),
            "next_release": release_pages.next_release_text(),
        },
    )


@require_safe
def map_shapes(request: HttpRequest, year: ReportingYear, tier: str, digest: str) -> HttpResponse:
    """A year's boundary file for one tier; its address changes whenever its content does."""
    year = require_published(year)
    entry = mapdata.read_manifest().get(year.label, {}).get(tier)
    if entry is None:
        raise Http404("No map data for this year and tier")
    if entry["hash"] != digest:
        return HttpResponseRedirect(reverse("site:map_shapes", args=[year, tier, entry["hash"]]))
    path = mapdata.map_dir() / entry["file"]
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    response = HttpResponse(
        (path.with_suffix(".json.gz") if gzipped else path).read_bytes(),
        content_type="application/json",
    )
    if gzipped:
        response["Content-Encoding"] = "gzip"
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = f"public, max-age={FOREVER}, immutable"
    response["ETag"] = f'"{entry["hash"]}"'
    return response


@require_safe
@published_page()
def map_figures(request: HttpRequest, year: ReportingYear) -> JsonResponse:
    year = require_published(year)
    return JsonResponse(home_pages.map_figures(year))


@require_safe
@published_page(max_age=3600)
def sitemap(request: HttpRequest) -> HttpResponse:
    urls = [sharing.absolute(u) for u in site.sitemap_paths()]
    body = render(request, "site/sitemap.xml", {"urls": urls})
    body["Content-Type"] = "application/xml"
    return body


healthz = health.healthz  # checks the database: 200 or 503 (councilperf/serving/health.py)


@require_safe
@published_page()
def compare(request: HttpRequest, year: ReportingYear, group: str) -> HttpResponse:
    year = require_published(year)
    group = compare_pages.require_group(group)
    highlight = request.GET.get("council", "")[:100]
    current = councils.current_slug(highlight) if highlight else ""
    if current != highlight:  # a renamed council's former address: the same table
        query = request.GET.copy()
        query["council"] = current
        return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")
    try:
        chosen = places.read_filter(request.GET)
        page = compare_pages.compare_page(
            year, group, highlight, chosen=chosen, sort=request.GET.get("sort", "")
        )
    except (BadFilter, BadSort) as problem:
        return bad_request(request, str(problem))
    extra = {
        "year": year,
        "years": published_years(),
        "groups": _groups(),
        "downloads": downloads.links(year, chosen),
        **sharing.page_context(
            title=f"{page.group_label} compared, {year}",
            path=reverse("site:compare", args=[year, group]),
            share_path=request.get_full_path(),
            year=year,
            key=group,
        ),
    }
    return render(request, "site/compare.html", _context(page, **extra))


@require_safe
@published_page()
def side_by_side(request: HttpRequest) -> HttpResponse:
    """Two to six councils side by side; a helpful page (400) for an address that names
    councils that cannot be compared."""
    slugs = side_by_side_pages.read_slugs(request.GET.get("councils", ""))
    query = request.GET.get("add", "").strip()[:100]
    try:
        chosen, problem = side_by_side_pages.choose(slugs), ""
    except side_by_side_pages.ChoiceError as error:
        chosen, problem = error.kept, str(error)
    page = side_by_side_pages.side_by_side_page(chosen=chosen, problem=problem, query=query)
    if query and not problem and len(page.matches) == 1:
        return HttpResponseRedirect(page.matches[0][1])
    status = 400 if problem else 200
    return render(request, "site/side_by_side.html", _context(page), status=status)


@require_safe
def review_latest(request: HttpRequest) -> HttpResponse:
    latest = latest_published_year()
    if latest is None:
        raise Http404("No published review yet")
    return HttpResponseRedirect(reverse("site:review", args=[latest]))


@require_safe
@published_page()
def review_page(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    year = require_published(year)
    page = review.review_page(year)
    extra = {
        "year": year,
        "years": published_years(),
        "downloads": downloads.links(year),
        "groups": _groups(),
        "revisions": revision_pages.revisions(year),
        **sharing.page_context(
            title=f"Review of Local Government Complaints {year}",
            path=reverse("site:review", args=[year]),
            year=year,
            key="review",
        ),
    }
    return render(request, "site/review.html", _context(page, **extra))


@require_safe
@published_page()
def revision(request: HttpRequest, year: ReportingYear, number: int) -> HttpResponse:
    """An earlier revision's figures, read-only and kept out of search engines."""
    year = require_published(year)
    page = revision_pages.revision_page(year, number)
    if page is None:
        raise Http404("No earlier revision with that number")
    response = render(request, "site/revision.html", _context(page))
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def review_pdf(request: HttpRequest, year: ReportingYear) -> HttpResponseBase:
    """The review as a PDF built ahead (``manage.py build_review_pdfs``), served from disk.

    A missing file is a logged 404: a public request never renders a PDF."""
    year = require_published(year)
    path = review.pdf_path(year)
    if not path.is_file():
        log.error("review PDF missing for %s at %s: run manage.py build_review_pdfs", year, path)
        raise Http404("The review of this year is not available as a PDF yet")
    return file_response(
        request,
        path,
        etag=review.pdf_etag(path),
        filename=f"review-of-local-government-complaints-{year}.pdf",
    )
