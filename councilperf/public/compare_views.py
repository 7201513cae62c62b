"""Views of the comparisons, the national review and the downloads. Published years only."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from councilperf.public import compare as cmp
from councilperf.public import downloads, review
from councilperf.public import selectors as sel
from councilperf.public.http import PAGE_MAX_AGE, published_page


def _downloads(year: str) -> list[dict[str, str]]:
    return [
        {
            "format": fmt.upper(),
            "url": reverse("public:download", args=[year, fmt]),
            "name": downloads.file_name(year, fmt),
        }
        for fmt in downloads.FORMATS
    ]


@require_safe
@published_page()
def compare(request: HttpRequest, year: str, group: str) -> HttpResponse:
    year = sel.require_published(year)
    group = cmp.require_group(group)
    highlight = request.GET.get("council", "")[:100]
    context = cmp.compare_page(year, group, highlight)
    context.update(
        {
            "year": year,
            "years": sel.published_years(),
            "groups": [(g, sel.GROUP_PLURAL[g]) for g in cmp.GROUPS],
            "downloads": _downloads(year),
        }
    )
    return render(request, "public/compare.html", context)


@require_safe
def review_latest(request: HttpRequest) -> HttpResponse:
    latest = sel.latest_published_year()
    if latest is None:
        raise Http404("No published review yet")
    return HttpResponseRedirect(reverse("public:review", args=[latest]))


@require_safe
@published_page()
def review_page(request: HttpRequest, year: str) -> HttpResponse:
    year = sel.require_published(year)
    context = review.review_page(year)
    context.update(
        {
            "year": year,
            "years": sel.published_years(),
            "downloads": _downloads(year),
            "groups": [(g, sel.GROUP_PLURAL[g]) for g in cmp.GROUPS],
        }
    )
    return render(request, "public/review.html", context)


def review_document(year: str) -> str:
    """The review as one HTML document for the letters' PDF pipeline."""
    context = review.review_page(year)
    context["year"] = year
    return render_to_string("public/review_document.html", context)


@require_safe
def review_pdf(request: HttpRequest, year: str) -> HttpResponse:
    """The review as a PDF, made by the letters' WeasyPrint renderer from the review's HTML.

    The ETag is a hash of that HTML, so a repeat request is answered without rendering."""
    from councilperf.letters.pdf import shared_renderer

    year = sel.require_published(year)
    html = review_document(year)
    digest = hashlib.blake2b(html.encode(), digest_size=16).hexdigest()
    etag = f'"{digest}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    key = f"public:review-pdf:{digest}"
    pdf: bytes | None = cache.get(key)
    if pdf is None:
        pdf = shared_renderer().render(html)
        cache.set(key, pdf, 3600)
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if "download" in request.GET else "inline"
    response["Content-Disposition"] = (
        f'{disposition}; filename="review-of-local-government-complaints-{year}.pdf"'
    )
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=PAGE_MAX_AGE)
    return response


@require_safe
@published_page()
def downloads_page(request: HttpRequest) -> HttpResponse:
    years = sel.published_years()
    return render(
        request,
        "public/downloads.html",
        {
            "years": [(y, _downloads(y)) for y in reversed(years)],
            "dictionary": downloads.DICTIONARY,
        },
    )


@require_safe
@published_page()
def download(request: HttpRequest, year: str, fmt: str) -> HttpResponse:
    year = sel.require_published(year)
    if fmt not in downloads.FORMATS:
        raise Http404("No such format")
    response = HttpResponse(downloads.export_file(year, fmt), content_type=downloads.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{downloads.file_name(year, fmt)}"'
    return response
