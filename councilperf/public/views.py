"""Public views: each reads through ``selectors`` and renders a template. No queries here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from councilperf.casework.models import Outcome, ServiceArea
from councilperf.public import mapdata
from councilperf.public import selectors as sel
from councilperf.public.http import FOREVER, PAGE_MAX_AGE, published_page
from councilperf.serving import health

DECISIONS_PER_PAGE = 20


def _choice(value: str | None, options: Any, default: str) -> str:
    return value if value is not None and value in options else default


@require_safe
@published_page()
def home(request: HttpRequest) -> HttpResponse:
    years = sel.published_years()
    year = request.GET.get("year") or sel.latest_published_year()
    if year:
        year = sel.require_published(year)
    tier = _choice(request.GET.get("tier"), sel.TIERS, "upper")
    metric = sel.METRICS[_choice(request.GET.get("metric"), sel.METRICS, "upheld_rate")]
    rows = sel.map_rows(year, tier, metric) if year else []
    manifest = mapdata.read_manifest()
    shapes = {
        y: {
            t: reverse("public:map_shapes", args=[y, t, entry["hash"]])
            for t, entry in manifest.get(y, {}).items()
        }
        for y in years
    }
    config = {
        "year": year,
        "tier": tier,
        "metric": metric.key,
        "shapes": shapes,
        "figures": {y: reverse("public:map_figures", args=[y]) for y in years},
        "metrics": {
            m.key: {"label": m.label, "percent": m.percent, "breaks": m.breaks}
            for m in sel.METRICS.values()
        },
        "colours": sel.CLASS_COLOURS,
        "noData": sel.NO_DATA_COLOUR,
        "tiers": sel.TIERS,
    }
    return render(
        request,
        "public/home.html",
        {
            "years": years,
            "year": year,
            "tier": tier,
            "tiers": sel.TIERS,
            "tier_label": sel.TIERS[tier],
            "map_shape_url": shapes.get(year or "", {}).get(tier, ""),
            "metric": metric,
            "metrics": sel.METRICS.values(),
            "rows": rows,
            "legend": sel.legend(metric),
            "no_data_colour": sel.NO_DATA_COLOUR,
            "map_config": config,
            "synthetic": any(r["synthetic"] for r in rows),
        },
    )


@require_safe
@published_page()
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = sel.search(query) if query else []
    if len(results) == 1 and request.GET.get("go"):
        return HttpResponseRedirect(reverse("public:council", args=[results[0].slug]))
    return render(
        request, "public/search.html", {"query": query, "results": results, "searched": bool(query)}
    )


@require_safe
@published_page()
def councils_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"councils": sel.suggestions()})


@require_safe
@published_page()
def council(request: HttpRequest, slug: str, year: str | None = None) -> HttpResponse:
    authority = sel.authority_or_404(slug)
    years = sel.authority_years(authority)
    if year is None:
        if not years:
            raise Http404("No published figures")
        year = years[-1]
    year = sel.require_published(year)
    if year not in years:
        raise Http404("This council did not exist in that year")
    data = sel.figures.authority_figures(year, authority.gss_code)
    group = str(data["comparison_group"]) if data else authority.group
    points = sel.trend(authority)

    filters = {
        "year": _choice(request.GET.get("decision_year"), years, ""),
        "service_area": _choice(request.GET.get("service_area"), ServiceArea.values, ""),
        "outcome": _choice(request.GET.get("outcome"), Outcome.values, ""),
    }
    page = Paginator(sel.decisions(authority, years, **filters), DECISIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "authority": authority,
        "year": year,
        "years": years,
        "row": data,
        "group": group,
        "group_name": sel.GROUP_SINGULAR.get(group, ""),
        "group_plural": sel.GROUP_PLURAL.get(group, "similar councils"),
        "stats": sel.key_statistics(data, group) if data else [],
        "rate": sel.per_100k_statistic(data) if data else None,
        "trend": points,
        "trend_rows": sel.trend_rows(points),
        "chart": sel.trend_chart(points),
        "areas": sel.service_areas(data) if data else [],
        "decisions": page,
        "filters": filters,
        "filtered": any(filters.values()),
        "page_query": query.urlencode(),
        "service_area_choices": ServiceArea.choices,
        "outcome_choices": Outcome.choices,
        "reports": sel.public_reports(authority, years),
        "improvements": sel.service_improvements(authority, years),
        "synthetic": bool(data and data.get("synthetic"))
        or sel.has_synthetic_cases(authority, years),
        "letters": sel.letters(authority),
        "successors": authority.successors.all(),
        "predecessors": authority.predecessors.all(),
    }
    return render(request, "public/council.html", context)


def _letter_for(slug: str, year: str) -> tuple[Any, sel.PublicLetter]:
    authority = sel.authority_or_404(slug)
    year = sel.require_published(year)
    return authority, sel.letter_or_404(authority, year)


@require_safe
@published_page()
def letter(request: HttpRequest, slug: str, year: str) -> HttpResponse:
    """The annual review letter as sent, inside the site's own page."""
    authority, found = _letter_for(slug, year)
    return render(
        request,
        "public/letter.html",
        {
            "authority": authority,
            "year": found.year,
            "letter": found,
            # The letter file is our own generated HTML (letters app), shown as sent.
            "body": mark_safe(sel.letter_body(found)),
            "synthetic": found.synthetic,
        },
    )


@require_safe
def letter_pdf(request: HttpRequest, slug: str, year: str) -> HttpResponseBase:
    authority, found = _letter_for(slug, year)
    etag = f'"{found.content_hash[:32]}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    response = FileResponse(
        found.pdf_path.open("rb"),
        content_type="application/pdf",
        as_attachment="download" in request.GET,
        filename=f"annual-review-letter-{found.year}-{authority.slug}.pdf",
    )
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={PAGE_MAX_AGE}"
    return response


@require_safe
@published_page()
def methods(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/methods.html",
        {"small_number_threshold": settings.SMALL_NUMBER_THRESHOLD},
    )


@require_safe
def map_shapes(request: HttpRequest, year: str, tier: str, digest: str) -> HttpResponse:
    """A year's boundary file for one tier; its address changes whenever its content does."""
    year = sel.require_published(year)
    entry = mapdata.read_manifest().get(year, {}).get(tier)
    if entry is None:
        raise Http404("No map data for this year and tier")
    if entry["hash"] != digest:
        return HttpResponseRedirect(reverse("public:map_shapes", args=[year, tier, entry["hash"]]))
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
def map_figures(request: HttpRequest, year: str) -> JsonResponse:
    year = sel.require_published(year)
    return JsonResponse(sel.map_figures(year))


@require_safe
@published_page(max_age=3600)
def sitemap(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/")[:-1]
    urls = [reverse("public:home"), reverse("public:methods"), reverse("public:downloads")]
    for year in sel.published_years():
        urls.append(reverse("public:review", args=[year]))
        urls += [reverse("public:compare", args=[year, g]) for g in sel.published_groups(year)]
    for slug, years in sel.sitemap_councils():
        urls.append(reverse("public:council", args=[slug]))
        urls += [reverse("public:council_year", args=[slug, y]) for y in years]
    body = render(request, "public/sitemap.xml", {"urls": [base + u for u in urls]})
    body["Content-Type"] = "application/xml"
    return body


healthz = health.healthz  # checks the database: 200 or 503 (councilperf/serving/health.py)
