"""Public views of what a page is made of: each chart's figures (CSV) and drawing (SVG), and
the link-preview cards (PNG). Anonymous reads only: the charts go through the page cache; the
cards are files the publication job built (``site.builds.build_cards``), read from disk."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from councilperf import tables
from councilperf.published import authorities as councils
from councilperf.published.renames import follows_renames
from councilperf.published.years import require_published
from councilperf.serving.http import file_response, published_page
from councilperf.site import sharing
from councilperf.site.pages import chartdata, compare, mapchart
from councilperf.years import ReportingYear

log = logging.getLogger(__name__)

FORMATS = ("csv", "svg")


def _chart_response(request: HttpRequest, data: chartdata.ChartData, fmt: str) -> HttpResponse:
    filename = f"{data.name}.{fmt}"
    if fmt == "csv":
        body = tables.csv_text(data.csv_header, data.csv_rows)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        context = {
            **data.context,
            "template": data.template,
            "width": data.width,
            "height": data.height,
            "synthetic": data.synthetic,
            "standalone": True,
            "address": sharing.absolute(request.path),
        }
        body = render_to_string("site/chart.svg", context).lstrip()
        response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404("Charts are served as CSV or SVG")
    return fmt


@require_safe
@follows_renames
@published_page()
def council_chart(request: HttpRequest, slug: str, year: ReportingYear, fmt: str) -> HttpResponse:
    """The council page's chart over the years (``/councils/x/2019-20/chart.csv``)."""
    fmt = _format(fmt)
    authority = councils.authority_or_404(slug)
    year = require_published(year)
    if year not in councils.authority_years(authority):
        raise Http404("This council has no figures in that year")
    return _chart_response(request, chartdata.council_trend(authority, year), fmt)


@require_safe
@published_page()
def review_chart(request: HttpRequest, year: ReportingYear, chart: str, fmt: str) -> HttpResponse:
    """A chart of the national review (``/review/2019-20/chart-rates.svg``)."""
    fmt = _format(fmt)
    year = require_published(year)
    return _chart_response(request, chartdata.review_chart(year, chart), fmt)


@require_safe
@published_page()
def compare_chart(
    request: HttpRequest, year: ReportingYear, group: str, metric: str, fmt: str
) -> HttpResponse:
    """A compare page's funnel plot (``/compare/2019-20/district/funnel-upheld.csv``); the
    council highlighted on the page (``?council=``) is highlighted in the SVG too."""
    fmt = _format(fmt)
    year = require_published(year)
    group = compare.require_group(group)
    highlight = request.GET.get("council", "")[:100]
    data = chartdata.funnel_chart(year, group, metric, highlight)
    return _chart_response(request, data, fmt)


@require_safe
@published_page()
def side_by_side_chart(request: HttpRequest, measure: str, fmt: str) -> HttpResponse:
    """A chart of councils side by side (``/compare/chart-upheld_rate.csv?councils=a,b``)."""
    fmt = _format(fmt)
    data = chartdata.side_by_side_chart(request.GET.get("councils", ""), measure)
    return _chart_response(request, data, fmt)


@require_safe
@published_page()
def map_chart(
    request: HttpRequest, year: ReportingYear, tier: str, metric: str, fmt: str
) -> HttpResponse:
    """The home page's map (``/map-data/2019-20/map-upper-upheld_rate.svg?colour=value``)."""
    fmt = _format(fmt)
    year = require_published(year)
    data = mapchart.map_chart(year, tier, metric, request.GET.get("colour", "compared"))
    return _chart_response(request, data, fmt)


def _png(request: HttpRequest, path: Path) -> HttpResponseBase:
    etag = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    return file_response(request, path, etag=etag, filename=path.name, content_type="image/png")


@require_safe
def site_card(request: HttpRequest) -> HttpResponseBase:
    """The site's own card (built with the year's files; a missing one is a logged 404)."""
    path = sharing.site_card_path()
    if not path.is_file():
        log.error("site card missing at %s: run manage.py publish_due", path)
        raise Http404("No card built yet")
    return _png(request, path)


@require_safe
@follows_renames
def council_card(request: HttpRequest, slug: str, year: ReportingYear) -> HttpResponseBase:
    """A council's card of a year, or the site's card when that one was not built."""
    authority = councils.authority_or_404(slug)
    year = require_published(year)
    path = sharing.card_path(year, authority.slug)
    if not path.is_file():
        return site_card(request)
    return _png(request, path)
