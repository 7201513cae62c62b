"""The embeddable council card and the oEmbed answer for council pages.

``/embed/councils/<slug>/[<year>/]``: a small page with a council's three key statistics
against similar councils and a link back, allowed in frames on any site (its own
``Content-Security-Policy`` with ``frame-ancestors *``; every other address keeps the site's
policy and ``X-Frame-Options``). ``/api/oembed?url=…``: the card as oEmbed "rich" JSON.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from urllib.parse import urlsplit

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from councilperf.api.http import problem
from councilperf.published import authorities as councils
from councilperf.published import figures
from councilperf.published.renames import follows_renames
from councilperf.published.years import require_published
from councilperf.serving.http import absolute_url, published_page
from councilperf.statistics.cards import key_statistics
from councilperf.years import ReportingYear

WIDTH, HEIGHT = 360, 420
STYLE = render_to_string("api/embed.css")
STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
POLICY = (
    f"default-src 'none'; style-src 'sha256-{STYLE_HASH}'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors *"
)


THREE_KEY_STATISTICS = ("upheld_rate", "compliance_rate", "satisfactory_remedy_rate")


def card_context(slug: str, year: ReportingYear | None) -> dict[str, Any]:
    authority = councils.authority_or_404(slug)
    years = councils.authority_years(authority)
    if year is None:
        if not years:
            raise Http404("No published figures")
        year = years[-1]
    year = require_published(year)
    data = figures.authority(year, authority.gss_code)
    if data is None:
        raise Http404("This council has no published figures in that year")
    return {
        "authority": authority,
        "year": year,
        # The three key statistics (the council page adds the late share beside them).
        "stats": [s for s in key_statistics(data) if s.code in THREE_KEY_STATISTICS],
        "synthetic": data.synthetic,
        "group": data.comparison_label,
        "page": f"/councils/{authority.slug}/{year}/",
        "style": STYLE,
    }


@require_safe
@xframe_options_exempt
@follows_renames
@published_page()
def card(request: HttpRequest, slug: str, year: ReportingYear | None = None) -> HttpResponse:
    response = render(request, "api/embed_card.html", card_context(slug, year))
    response["Content-Security-Policy"] = POLICY
    return response


def snippet(request: HttpRequest, slug: str, year: ReportingYear, title: str) -> str:
    src = absolute_url(f"/embed/councils/{slug}/{year}/")
    return (
        f'<iframe src="{src}" title="{title}" width="{WIDTH}" height="{HEIGHT}" '
        'loading="lazy"></iframe>'
    )


def _council_of(url: str) -> tuple[str, ReportingYear | None]:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        raise Http404("Not a council page of this site") from None
    if match.view_name not in ("site:council", "site:council_year"):
        raise Http404("Not a council page of this site")
    # A former address (a council renamed) stands for the council's current page.
    return councils.current_slug(match.kwargs["slug"]), match.kwargs.get("year")


@require_safe
@published_page()
def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed 1.0 for council pages: ``?url=<council page>[&maxwidth=][&format=json]``."""
    if request.GET.get("format", "json") != "json":
        return problem(501, "Only format=json is offered")
    url = request.GET.get("url", "")
    try:
        slug, year = _council_of(url)
        found = card_context(slug, year)
    except Http404 as error:
        return problem(404, str(error))
    title = f"{found['authority'].official_name}: complaint decisions {found['year']}"
    width = (
        min(WIDTH, int(request.GET["maxwidth"]))
        if request.GET.get("maxwidth", "").isdigit()
        else WIDTH
    )
    body = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": "Your council's performance",
        "provider_url": absolute_url("/"),
        "width": width,
        "height": HEIGHT,
        "html": snippet(request, slug, found["year"], title).replace(
            f'width="{WIDTH}"', f'width="{width}"'
        ),
    }
    response = HttpResponse(json.dumps(body), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response
