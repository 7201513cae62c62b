"""Finding a council and getting back on track: forgiving search and type-ahead, the A–Z list,
the 404 and 500 pages in the site's layout, the home page's notice for a year without figures,
and the council page's lists of the page's year, paginated."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client, RequestFactory

from councilperf.site import errors
from tests.factories import make_recommendation
from tests.site.conftest import IN_2019, World, decide, get_page

BANNER = "Demonstration data — not real ombudsman decisions"


def test_search_forgives_spelling_and_abbreviations(client: Client, world: World) -> None:
    page = get_page(client, "/search/?q=Borsetshre")
    for name in ("North Borsetshire Council", "South Borsetshire Council", "Borsetshire Council"):
        assert name in page.text
    assert "3 councils matching" in page.text
    page = get_page(client, "/search/?q=N+Borsetshire")
    assert "1 council matching" in page.text and "North Borsetshire Council" in page.text
    jump = client.get("/search/?q=Felpresham&go=1")
    assert jump["Location"] == f"/councils/{world.unitary.slug}/"
    assert "Newtown" not in get_page(client, "/search/?q=Newtwon").text  # unpublished only


def test_type_ahead_asks_the_same_matching(client: Client, world: World) -> None:
    found = client.get("/councils.json?q=S+Borsetshre").json()["councils"]
    assert [c["name"] for c in found] == ["South Borsetshire"]
    assert found[0]["url"] == f"/councils/{world.south.slug}/"
    assert client.get("/councils.json?q=Newtown").json()["councils"] == []
    everyone = client.get("/councils.json").json()["councils"]
    assert len(everyone) == 4  # without a query: every published council


def test_a_to_z_lists_every_published_council_by_letter(client: Client, demo_world: World) -> None:
    page = get_page(client, "/councils/")
    assert page.h1 == ["Councils from A to Z"]
    html = client.get("/councils/").content.decode()
    for a in (demo_world.north, demo_world.south, demo_world.county, demo_world.unitary):
        assert f'href="/councils/{a.slug}/"' in html
    assert "Newtown" not in html
    assert 'id="letter-B"' in html and 'id="letter-F"' in html and 'id="letter-N"' in html
    assert BANNER in page.text


def test_unknown_council_is_a_404_in_the_layout_with_the_nearest_names(
    client: Client, demo_world: World
) -> None:
    page = get_page(client, "/councils/north-borsetshre/", status=404)
    html = client.get("/councils/north-borsetshre/").content.decode()
    assert page.h1 == ["Page not found"]
    assert "Did you mean" in page.text
    assert f'href="/councils/{demo_world.north.slug}/"' in html
    assert 'aria-label="Site menu"' in html and 'role="search"' in html  # nav, search box
    assert 'href="/downloads/"' in html and BANNER in page.text
    other = client.get("/no-such-page/").content.decode()
    assert "Did you mean" not in other and 'role="search"' in other


def test_the_404_page_writes_nothing(client: Client, world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/councils/borsetshre/2019-20/").status_code == 404
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


def test_the_500_page_is_in_the_layout_or_falls_back_to_the_plain_page(
    world: World, settings: Any
) -> None:
    request = RequestFactory().get("/about/")
    body = errors.server_error(request).content.decode()
    assert "Sorry, there is a problem with the service" in body
    assert 'aria-label="Site menu"' in body and 'role="search"' in body
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = settings.BASE_DIR / "var" / "no-such-static-root"
    plain = errors.server_error(request)
    assert plain.status_code == 500
    html = plain.content.decode()
    assert "Sorry, there is a problem with the service" in html and "Site menu" not in html


def test_every_kind_of_page_carries_the_banner_and_the_downloads_link(
    client: Client, demo_world: World
) -> None:
    for url in ("/search/", "/search/?q=borsetshire", "/about/", "/downloads/", "/councils/"):
        page = get_page(client, url)
        assert BANNER in page.text, url
        assert 'class="govuk-service-navigation__link" href="/downloads/"' in (
            client.get(url).content.decode()
        ), url


@pytest.fixture
def many_improvements(world: World) -> World:
    """South Borsetshire agrees 23 more improvements in 2019-20 (25 in all: five pages of
    five), and one in the unpublished 2020-21."""
    for i in range(23):
        case = decide(
            world.south,
            "upheld",
            day=IN_2019 + dt.timedelta(days=i),
            statement_url="" if i == 0 else f"https://www.example.org/decisions/{i}",
        )
        make_recommendation(case=case, service_improvement=True, description=f"Improvement {i}")
    secret = decide(world.south, "upheld", day=dt.date(2020, 10, 1))
    make_recommendation(case=secret, service_improvement=True, description="Secret improvement")
    return world


def test_service_improvements_are_the_years_and_paginated(
    client: Client, many_improvements: World
) -> None:
    url = f"/councils/{many_improvements.south.slug}/2019-20/"
    first = client.get(url).content.decode()
    assert "25 service improvements agreed in decisions of 2019-20, 1 to 5 shown" in first
    assert "Page 1 of 5" in first and "improvements_page=2#service-improvements" in first
    assert first.count('id="improvement-') == 5
    assert 'href="#service-improvements"' in first  # the count in the summary links to them
    assert "Secret improvement" not in first
    second = client.get(url + "?improvements_page=5").content.decode()
    assert second.count('id="improvement-') == 5 and "Page 5 of 5" in second
    # A decision reference links to its statement, or else to its own row.
    every = "".join(
        client.get(url + f"?improvements_page={n}").content.decode() for n in range(1, 6)
    )
    assert 'href="https://www.example.org/decisions/5">' in every
    rows = every.split('<tr class="govuk-table__row" id="improvement-')[1:]
    without = [r for r in rows if "decisions/" not in r.split("</th>")[0]]
    assert without and all('href="#improvement-' in r.split("</th>")[0] for r in without)
    assert client.get(url + "?improvements_page=zz").status_code == 200  # the first page


def test_decisions_default_to_the_pages_year(client: Client, world: World) -> None:
    base = f"/councils/{world.south.slug}/2019-20/"
    page = get_page(client, base)
    assert "Decisions, 2019-20" in page.text and "18 decisions" in page.text
    html = client.get(base + "?decision_year=all").content.decode()
    assert '<option value="all" selected>All years</option>' in html


def test_council_pages_have_sharing_tags(client: Client, world: World, settings: Any) -> None:
    settings.SITE_URL = "https://councils.example.org"  # the site's address, not the request's
    html = client.get(f"/councils/{world.south.slug}/").content.decode()
    assert '<meta property="og:title" content="South Borsetshire Council: complaint' in html
    page = f"https://councils.example.org/councils/{world.south.slug}/2019-20/"
    assert f'<meta property="og:url" content="{page}">' in html
    assert 'property="og:description"' in html and 'property="og:type"' in html


def test_the_trend_charts_year_labels_are_drawn_whole(world: World) -> None:
    from councilperf.site.pages.council import trend, trend_chart
    from councilperf.site.presentation.charts import line_chart

    chart = trend_chart(trend(world.south))
    assert chart is not None
    half = 26  # half of "2024-25" at the chart's 14 px type
    for label in chart["labels"]:
        assert half <= float(label["x"]) <= chart["width"] - half, label
    # Seven years, as on a council page with every year: the first and last labels fit too.
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(2018, 2025)]
    wide = line_chart(
        years,
        [("own", [0.5] * 7)],
        y_ticks=(0, 1),
        width=640,
        height=240,
        margins=(48, 12, 16, 36),
        inset=28,
    )
    assert wide.x_labels[0].position - half >= 48 - 8  # clear of the axis labels' edge
    assert wide.x_labels[-1].position + half <= 640
