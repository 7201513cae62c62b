"""Whole published pages from the cache: hits, strong ETags, 304s; never for staff, logged-in
users, POSTs or unknown query strings; a new revision, a data change or a publication date
passing is never answered with the old page."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.site.conftest import World, decide

GZIP = "gzip, deflate, br"


def council_url(world: World) -> str:
    return f"/councils/{world.south.slug}/2019-20/"


@pytest.mark.parametrize(
    "path",
    ["/", "/about/", "/councils.json", "/map-data/2019-20/figures.json", "/review/2019-20/"],
)
def test_second_request_is_a_hit_with_a_strong_etag(
    client: Client, world: World, path: str
) -> None:
    first = client.get(path)
    again = client.get(path)
    assert (first.status_code, again.status_code) == (200, 200)
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    assert again.content == first.content
    assert again["ETag"] == first["ETag"] and not again["ETag"].startswith("W/")
    assert "public" in again["Cache-Control"]
    assert client.get(path, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_compressed_and_plain_are_cached_apart(client: Client, world: World) -> None:
    url = council_url(world)
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING=GZIP)
    assert packed["Content-Encoding"] == "gzip" and not plain.has_header("Content-Encoding")
    assert packed["X-Page-Cache"] == "miss"
    again = client.get(url, HTTP_ACCEPT_ENCODING=GZIP)
    assert again["X-Page-Cache"] == "hit" and again.content == packed.content
    assert again["ETag"] != plain["ETag"]  # a strong ETag names the bytes sent


def test_security_headers_are_added_to_cached_pages(client: Client, world: World) -> None:
    client.get("/")
    hit = client.get("/")
    assert hit["X-Page-Cache"] == "hit"
    assert "script-src 'self'" in hit["Content-Security-Policy"]
    assert hit["Referrer-Policy"] and hit["Permissions-Policy"]


def test_letter_pdf_is_cached_and_still_a_stream(client: Client, world: World, tmp_path) -> None:
    from councilperf.letters.batch import ensure_letter
    from tests.factories import make_contact

    make_contact(authority=world.north, name="Mr Hickin", job_title="Director")
    ensure_letter(authority=world.north, year=ReportingYear(2019), out=tmp_path / "letters")
    url = f"/councils/{world.north.slug}/2019-20/letter.pdf"
    first, again = client.get(url), client.get(url)
    assert again["X-Page-Cache"] == "hit" and again.streaming
    assert b"".join(again.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert b"".join(first.streaming_content) == b"".join(client.get(url).streaming_content)  # type: ignore[attr-defined]


def test_unknown_query_strings_are_not_cached(client: Client, world: World) -> None:
    url = council_url(world) + "?page=2"
    assert client.get(url).status_code == 200
    assert not client.get(url).has_header("X-Page-Cache")
    assert not client.get("/search/?q=north").has_header("X-Page-Cache")
    home = client.get("/?tier=lower")
    assert client.get("/?tier=lower")["X-Page-Cache"] == "hit"
    assert home.content != client.get("/").content


def test_logged_in_users_and_staff_bypass_the_cache(client: Client, world: World) -> None:
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    client.force_login(User.objects.create_user("staff", is_staff=True))
    response = client.get("/")
    assert response.status_code == 200 and not response.has_header("X-Page-Cache")


def test_posts_and_errors_are_not_cached(client: Client, world: World) -> None:
    assert client.post("/").status_code == 405
    assert not client.get("/councils/nowhere/").has_header("X-Page-Cache")
    assert not client.get("/councils/nowhere/").has_header("X-Page-Cache")
    assert not client.get("/review/2020-21/").has_header("X-Page-Cache")  # not yet published
    assert not client.get("/healthz").has_header("X-Page-Cache")


def test_a_new_revision_changes_the_key(client: Client, world: World) -> None:
    url = council_url(world)
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    correct_statistics(
        year=ReportingYear(2019), reason="A decision was recorded against the wrong council"
    )
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert fresh.status_code == 200


def test_any_saved_row_changes_the_key(client: Client, world: World) -> None:
    first = client.get(f"/councils/{world.south.slug}/")
    assert client.get(f"/councils/{world.south.slug}/")["X-Page-Cache"] == "hit"
    decide(world.south, "upheld", summary="A decision added after the page was cached")
    fresh = client.get(f"/councils/{world.south.slug}/")
    assert fresh["X-Page-Cache"] == "miss"
    assert fresh.content != first.content


def test_a_publication_moment_passing_changes_the_key(client: Client, world: World) -> None:
    """The page cached at 09:29 on the publication day is not the page at 09:30 (the
    year's publication time): the process's published state holds only until then."""
    ReviewYear.objects.filter(year="2020-21").update(publication_date=dt.date(2030, 7, 29))
    london = ZoneInfo("Europe/London")
    with time_machine.travel(dt.datetime(2030, 7, 29, 9, 29, tzinfo=london), tick=False):
        client.get("/")
        before = client.get("/")
        assert before["X-Page-Cache"] == "hit"
        assert "2020-21" not in before.content.decode()
    with time_machine.travel(dt.datetime(2030, 7, 29, 9, 30, tzinfo=london), tick=False):
        after = client.get("/")
        assert after["X-Page-Cache"] == "miss"
        assert "2020-21" in after.content.decode()


def test_the_cache_can_be_switched_off(client: Client, world: World, settings) -> None:
    settings.PAGE_CACHE_ENABLED = False  # DEBUG's default (make dev), or PAGE_CACHE=0
    client.get("/about/")
    assert not client.get("/about/").has_header("X-Page-Cache")


def test_a_disallowed_host_is_a_400_even_for_a_cached_page(client: Client, world: World) -> None:
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    refused = client.get("/", HTTP_HOST="attacker.example")
    assert refused.status_code == 400
    assert not refused.has_header("X-Page-Cache")


@pytest.mark.parametrize(
    ("path", "year"),
    [
        ("/review/2019-20/", "2019-20"),
        ("/councils/south-borsetshire/2018-19/", "2018-19"),
        ("/downloads/2019-20/decisions.csv", "2019-20"),
        ("/api/v1/years/2019-20/figures", "2019-20"),
        ("/about/", None),
    ],
)
def test_the_route_names_the_year_of_its_address(path: str, year: str | None) -> None:
    """The key holds the year's published revision: the year read from the address (a
    ReportingYear from the converter) is kept by its label, so a year's pages are keyed
    by that year's revision and an unpublished year's page is never cached."""
    from django.conf import settings

    from councilperf.serving.pagecache import route

    found = route(settings.ROOT_URLCONF, path)
    assert found is not None and found[1] == year
