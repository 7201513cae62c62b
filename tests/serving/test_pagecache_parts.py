"""The page cache piece by piece: a query value cannot pass for another query, the encodings a
client refuses, which headers forbid sharing, the per-process entries (the hottest kept, the
oldest dropped), one published state per generation, how long the shared cache keeps a page,
a key computed outside a request finding the page a request stored, and what a 304 keeps."""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory

from councilperf.published import years as public
from councilperf.serving import invalidation, pagecache
from councilperf.serving.pagecache import Entry
from tests.site.conftest import World

HOME: dict[str, Any] = {
    "path": "/",
    "allowed": frozenset({"year", "tier"}),
    "year": None,
    "published": (("2019-20", 1),),
    "generation": "g1",
    "encoding": "gzip",
}


def test_a_query_value_holding_an_ampersand_is_not_another_query() -> None:
    """``?tier=lower%26year%3D2019-20`` (one odd value) must not share the page of
    ``?tier=lower&year=2019-20`` (two parameters): each is its own entry."""
    one_value = pagecache.cache_key(query={"tier": ["lower&year=2019-20"]}, **HOME)
    two = pagecache.cache_key(query={"year": ["2019-20"], "tier": ["lower"]}, **HOME)
    assert None not in (one_value, two) and one_value != two
    repeated = pagecache.cache_key(query={"tier": ["lower", "upper"]}, **HOME)
    assert repeated != pagecache.cache_key(query={"tier": ["lower&tier=upper"]}, **HOME)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip; q=0", "identity"),
        ("gzip;q=0.0", "identity"),
        ("gzip ;q=0", "identity"),
        ("br, gzip ;q=0.5", "gzip"),
        ("deflate,gzip", "gzip"),
        ("br,  gzip", "gzip"),
        ("gzip;q=1;ext=y", "gzip"),
    ],
)
def test_the_encoding_refused_or_taken_with_spaces(header: str, expected: str) -> None:
    assert pagecache.encoding_class(header) == expected


@pytest.mark.parametrize(
    ("control", "expected"),
    [
        ('public, no-cache="Set-Cookie"', False),
        ("Public, Max-Age=60", True),
        ("public,private", False),
        ("PUBLIC, NO-STORE", False),
    ],
)
def test_directives_are_read_without_their_values_or_case(control: str, expected: bool) -> None:
    assert pagecache.storable_headers({"Cache-Control": control}) is expected
    assert pagecache.storable_headers({"Cache-Control": control, "Vary": ""}) is expected
    assert pagecache.storable_headers({"Cache-Control": control, "Vary": "Accept-Encoding,"}) is (
        expected
    )


@pytest.fixture
def local(monkeypatch: pytest.MonkeyPatch) -> OrderedDict[str, Entry]:
    """The process's own entries, empty for the test."""
    entries: OrderedDict[str, Entry] = OrderedDict()
    monkeypatch.setattr(pagecache, "_local", entries)
    return entries


def entry(n: int) -> Entry:
    return Entry(200, (("Content-Type", "text/plain"),), str(n).encode())


def test_the_process_keeps_its_256_most_recently_used_entries(
    local: OrderedDict[str, Entry],
) -> None:
    for n in range(256):
        pagecache.local_put(f"k{n}", entry(n))
    assert len(local) == 256 and pagecache.local_get("k0") == entry(0)  # used: now the newest
    pagecache.local_put("k256", entry(256))
    assert len(local) == 256
    assert pagecache.local_get("k1") is None  # the least recently used went
    assert pagecache.local_get("k0") == entry(0) and pagecache.local_get("k256") == entry(256)
    pagecache.local_put("k2", entry(-2))  # stored again: replaced, and the newest
    pagecache.local_put("k257", entry(257))
    assert list(local)[-2:] == ["k2", "k257"]
    assert pagecache.local_get("k3") is None and pagecache.local_get("k2") == entry(-2)


@pytest.mark.django_db
def test_one_published_state_per_generation_and_only_the_latest_kept(world: World) -> None:
    first = pagecache.published_state("g-one")
    assert pagecache.published_state("g-one") is first
    second = pagecache.published_state("g-two")
    assert second is not first and second.pairs == first.pairs
    assert list(pagecache._published_memo) == ["g-two"]  # only the latest generation kept
    assert pagecache.published_state("g-one") is not first  # forgotten: taken again


def test_a_streamed_file_is_read_whole_with_its_headers_and_closed(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(b"%PDF-1.7 a letter")
    stream = path.open("rb")
    response = FileResponse(stream, content_type="application/pdf")
    response["Cache-Control"] = "public, max-age=60"
    whole = pagecache.materialise(response)
    assert isinstance(whole, HttpResponse) and whole.content == b"%PDF-1.7 a letter"
    assert whole["Content-Type"] == "application/pdf"
    assert whole["Cache-Control"] == "public, max-age=60" and whole.status_code == 200
    assert stream.closed and response._resource_closers == []  # type: ignore[attr-defined]
    plain = HttpResponse(b"page")
    assert pagecache.materialise(plain) is plain
    chunks = StreamingHttpResponse(iter([b"%PDF", b"-1.7", b" end"]), status=203)
    read = pagecache.materialise(chunks)
    assert (read.status_code, read.content) == (203, b"%PDF-1.7 end")


def test_an_entry_answers_with_its_status_headers_and_body() -> None:
    stored = Entry(203, (("Content-Type", "text/csv"), ("X-Extra", "1")), b"a,b")
    answer = stored.response()
    assert isinstance(answer, HttpResponse) and not answer.streaming
    assert (answer.status_code, answer.content) == (203, b"a,b")
    assert (answer["Content-Type"], answer["X-Extra"]) == ("text/csv", "1")
    streamed = Entry(203, (), b"%PDF", streaming=True).response()
    assert streamed.status_code == 203
    assert streamed.streaming and b"".join(streamed.streaming_content) == b"%PDF"  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_key_computed_outside_a_request_finds_the_page_a_request_stored(
    client: Client, world: World
) -> None:
    assert client.get("/about/")["X-Page-Cache"] == "miss"
    key = pagecache.request_key(RequestFactory().get("/about/"))
    assert key is not None and isinstance(cache.get(key), Entry)
    state = pagecache.published_state(invalidation.generation())
    assert pagecache.request_key(RequestFactory().get("/about/"), state) == key
    pagecache.request_key(RequestFactory().get("/about/"))  # memoises the current generation
    memo = [invalidation.generation()]
    assert list(pagecache._published_memo) == memo
    gzip = RequestFactory().get("/about/", HTTP_ACCEPT_ENCODING="gzip")
    assert pagecache.request_key(gzip) not in (None, key)


@pytest.mark.django_db
def test_a_request_under_another_urlconf_is_keyed_by_its_routes(world: World) -> None:
    request = RequestFactory().get("/boom/")
    assert pagecache.request_key(request) is None  # not a route of the project
    request.urlconf = "tests.serving.urls"
    assert pagecache.request_key(request) is None  # a route, but not a cached one
    about = RequestFactory().get("/about/")
    about.urlconf = "tests.serving.urls"
    assert pagecache.request_key(about) == pagecache.request_key(RequestFactory().get("/about/"))
    elsewhere = RequestFactory().get("/about/")
    elsewhere.urlconf = "councilperf.api.embed_urls"  # routes without /about/
    assert pagecache.request_key(elsewhere) is None


@pytest.mark.django_db
def test_the_shared_cache_keeps_a_page_for_page_cache_seconds(
    client: Client, world: World, local: OrderedDict[str, Entry], settings: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = 600  # not the cache's default timeout (a day)
    # A cache in this process's memory: Redis (the CI pass) expires keys by its own clock,
    # which time-machine does not move.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    start = dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert client.get("/about/")["X-Page-Cache"] == "miss"
        key = pagecache.request_key(RequestFactory().get("/about/"))
        assert list(local) == [key] and local[key].body  # type: ignore[index]
        local.clear()  # another process: only the shared cache has the page
        clock.shift(settings.PAGE_CACHE_SECONDS - 1)
        assert client.get("/about/")["X-Page-Cache"] == "hit"
        assert list(local) == [key] and local[key].body  # type: ignore[index]  # kept here now
        local.clear()
        clock.shift(2)
        assert client.get("/about/")["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_a_304_from_the_cache_keeps_the_open_datas_cors_headers(
    client: Client, world: World
) -> None:
    url = "/api/v1/years/2019-20/groups"
    stored = client.get(url)
    assert stored["Access-Control-Expose-Headers"] == "ETag, Link"  # Link: the pages of a list
    again = client.get(url, HTTP_IF_NONE_MATCH=stored["ETag"])
    assert (again.status_code, again["X-Page-Cache"]) == (304, "hit")
    assert again["Access-Control-Expose-Headers"] == "ETag, Link"
    assert again["Access-Control-Allow-Origin"] == "*" and again["ETag"] == stored["ETag"]
    page = client.get("/about/")
    not_modified = client.get("/about/", HTTP_IF_NONE_MATCH=page["ETag"])
    assert not_modified.status_code == 304 and not not_modified.has_header(
        "Access-Control-Allow-Origin"
    )


@pytest.mark.django_db
def test_the_view_reads_the_state_the_key_was_made_from(world: World) -> None:
    seen: dict[str, Any] = {}

    def view(request: Any) -> HttpResponse:
        seen["current"], seen["attribute"] = public.current(), request.published
        return HttpResponse(b"not public")

    answer = pagecache.PageCacheMiddleware(view)(RequestFactory().get("/about/"))
    assert isinstance(answer, HttpResponse) and answer.content == b"not public"
    assert not answer.has_header("X-Page-Cache")
    state = pagecache.published_state(invalidation.generation())
    assert seen["current"] is state and seen["attribute"] is state


def test_a_body_of_8_mib_is_kept_and_one_byte_more_is_not() -> None:
    public_page = {"Cache-Control": "public"}
    limit = 8 * 1024 * 1024
    kept = HttpResponse(b"x" * limit, headers=public_page)
    assert pagecache.freeze(kept, streaming=False) is not None
    assert pagecache.freeze(HttpResponse(b"x" * (limit + 1)), streaming=False) is None
    assert pagecache.shareable(HttpResponse(headers={**public_page, "Content-Length": str(limit)}))
    too_big = HttpResponse(headers={**public_page, "Content-Length": str(limit + 1)})
    assert not pagecache.shareable(too_big)


@pytest.mark.django_db
def test_one_read_of_the_generation_and_the_published_state_per_request(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key and the body come from one state: a second read in the same request could see
    a write made in between and key the old body by the new state."""
    calls: list[str] = []
    generation, published_state = invalidation.generation, pagecache.published_state

    def counted_generation() -> str:
        calls.append("generation")
        return generation()

    def counted_state(found: str) -> public.PublishedState:
        calls.append("state")
        return published_state(found)

    monkeypatch.setattr(invalidation, "generation", counted_generation)
    monkeypatch.setattr(pagecache, "published_state", counted_state)
    for expected in ("miss", "hit"):
        calls.clear()
        assert client.get("/about/")["X-Page-Cache"] == expected
        assert sorted(calls) == ["generation", "state"]


@pytest.mark.django_db
def test_the_process_serves_its_own_entry_when_the_shared_cache_lost_it(
    client: Client, world: World, local: OrderedDict[str, Entry]
) -> None:
    first = client.get("/about/")
    key = pagecache.request_key(RequestFactory().get("/about/"))
    cache.delete(key)  # evicted from the shared cache
    again = client.get("/about/")
    assert again["X-Page-Cache"] == "hit" and again.content == first.content


@pytest.mark.django_db
def test_no_key_for_an_address_of_a_year_not_published(world: World) -> None:
    assert pagecache.request_key(RequestFactory().get("/review/2020-21/")) is None
    assert pagecache.request_key(RequestFactory().get("/review/2019-20/")) is not None


def test_a_strong_etag_is_32_hex_digits_in_quotes() -> None:
    assert re.fullmatch(r'"[0-9a-f]{32}"', pagecache.strong_etag(b"a"))
