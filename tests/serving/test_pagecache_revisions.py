"""A page cache that cannot mix revisions: the key and the body come from one published state,
read once per request. Right after a correction (well inside the minute the list of published
years used to be cached for) every cached address — pages, API, downloads, embed card, review,
map figures — shows the new revision's figures, byte for byte what a fresh render shows; the
same right after a year is approved."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from councilperf.distribution.models import YearCycle
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.factories import publish_year
from tests.site.conftest import World, decide

pytestmark = pytest.mark.django_db

NONCE = re.compile(rb'nonce="[^"]*"')


def addresses(world: World, year: str = "2019-20") -> list[str]:
    south, code = world.south.slug, world.south.gss_code
    return [
        f"/councils/{south}/",
        f"/councils/{south}/{year}/",
        f"/compare/{year}/district/",
        f"/review/{year}/",
        f"/map-data/{year}/figures.json",
        f"/downloads/{year}/statistics.csv",
        f"/downloads/{year}/statistics.xlsx",
        "/api/v1/years",
        f"/api/v1/years/{year}",
        f"/api/v1/years/{year}/figures",
        f"/api/v1/years/{year}/figures/{code}",
        f"/api/v1/years/{year}/groups",
        f"/embed/councils/{south}/",
        f"/embed/councils/{south}/{year}/",
    ]


# Cached addresses that show no figure of South Borsetshire or its group (the home page's
# table is drawn from the map figures): after a correction they must still be what a fresh
# render gives.
UNCHANGED = ["/", "/?year=2019-20", "/about/"]


def shown(url: str, body: bytes) -> object:
    """What an address shows: the cells of a workbook (its zip carries a timestamp), a page
    without its per-response CSP nonce, or the bytes."""
    if url.endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]
    return NONCE.sub(b'nonce=""', body)


def cached(client: Client, url: str) -> tuple[str, object]:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get("X-Page-Cache", ""), shown(url, response.getvalue())


def fresh(url: str) -> object:
    """The address rendered now, past the page cache (a session cookie bypasses it)."""
    client = Client()
    client.cookies["sessionid"] = "none"
    response = client.get(url)
    assert response.status_code == 200 and not response.has_header("X-Page-Cache"), url
    return shown(url, response.getvalue())


def test_a_correction_shows_on_every_cached_address_in_the_next_request(
    client: Client, world: World
) -> None:
    urls = addresses(world)
    before = {}
    for url in urls + UNCHANGED:
        cached(client, url)
        state, before[url] = cached(client, url)
        assert state == "hit", url  # each address is in the cache, old list of years too
    for _ in range(6):  # the correction: six more upheld complaints about South Borsetshire
        decide(world.south, "upheld", service_area="housing")
    correct_statistics(year=ReportingYear(2019), reason="Six decisions were missing.")
    stale = []
    for url in urls:
        state, after = cached(client, url)
        if after == before[url] or after != fresh(url):
            stale.append((url, state))
    for url in UNCHANGED:
        state, after = cached(client, url)
        if after != fresh(url):
            stale.append((url, state))
    assert not stale, stale
    assert all(cached(client, url)[0] == "hit" for url in urls + UNCHANGED)  # cached again


def test_an_approval_shows_on_every_cached_address_in_the_next_request(
    client: Client, world: World
) -> None:
    """2020-21 frozen, its publication date past, not approved: not public. Its approval is
    shown by every cached address in the very next request."""
    ReviewYear.objects.filter(year="2020-21").update(publication_date="2021-07-28")
    YearCycle.objects.filter(review_year__year="2020-21").delete()
    urls = ["/", "/downloads/", "/api/v1/years", f"/councils/{world.south.slug}/"]
    for url in urls:
        cached(client, url)
        state, body = cached(client, url)
        assert state == "hit" and b"2020-21" not in str(body).encode(), url
    assert client.get("/api/v1/years/2020-21").status_code == 404
    publish_year("2020-21")
    for url in urls:
        _, after = cached(client, url)
        assert b"2020-21" in str(after).encode() and after == fresh(url), url
    assert client.get("/api/v1/years/2020-21").status_code == 200
