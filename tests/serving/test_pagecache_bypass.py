"""What the page cache never shares: an answer to a request with credentials (a session cookie
or an ``Authorization`` header) is neither served from the cache nor stored in it, and a
response that sets a cookie, answers anything but 200 or is too big is never stored."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory

from councilperf.serving import pagecache
from tests.site.conftest import World

PUBLIC = {"Cache-Control": "public, max-age=300", "Vary": "Accept-Encoding"}


def response(
    status: int = 200, body: bytes = b"page", headers: dict[str, str] | None = None
) -> HttpResponse:
    answer = HttpResponse(body, status=status)
    for name, value in {**PUBLIC, **(headers or {})}.items():
        answer[name] = value
    return answer


@pytest.mark.parametrize(
    "credentials",
    [{"HTTP_AUTHORIZATION": "Bearer secret"}, {"HTTP_AUTHORIZATION": ""}],
)
def test_a_request_with_an_authorization_header_bypasses_the_cache(
    client: Client, world: World, credentials: dict[str, str]
) -> None:
    assert client.get("/about/")["X-Page-Cache"] == "miss"
    assert client.get("/about/")["X-Page-Cache"] == "hit"
    answer = client.get("/about/", **credentials)  # type: ignore[arg-type]
    assert answer.status_code == 200 and not answer.has_header("X-Page-Cache")


def test_a_session_cookie_bypasses_the_cache_even_without_a_login(
    client: Client, world: World
) -> None:
    client.get("/about/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"
    answer = client.get("/about/")
    assert answer.status_code == 200 and not answer.has_header("X-Page-Cache")
    other = Client()
    other.cookies["analytics"] = "1"  # any other cookie is no credential
    assert other.get("/about/")["X-Page-Cache"] == "hit"


def test_a_first_request_with_credentials_stores_nothing(client: Client, world: World) -> None:
    client.get("/about/", HTTP_AUTHORIZATION="Bearer secret")
    assert Client().get("/about/")["X-Page-Cache"] == "miss"


def test_request_keys_only_for_anonymous_gets_and_heads(world: World, settings) -> None:
    factory = RequestFactory()
    assert pagecache.request_key(factory.get("/about/"))
    assert pagecache.request_key(factory.head("/about/"))
    assert pagecache.request_key(factory.post("/about/")) is None
    assert pagecache.request_key(factory.get("/about/", HTTP_AUTHORIZATION="Basic x")) is None
    with_session = factory.get("/about/")
    with_session.COOKIES[settings.SESSION_COOKIE_NAME] = "x"
    assert pagecache.request_key(with_session) is None
    settings.PAGE_CACHE_ENABLED = False
    assert pagecache.request_key(factory.get("/about/")) is None


def test_only_a_public_200_without_cookies_within_the_size_limit_is_shared() -> None:
    assert pagecache.shareable(response())
    cookie = response()
    cookie.set_cookie("csrftoken", "abc")
    assert not pagecache.shareable(cookie)
    assert not pagecache.shareable(response(status=404))
    assert not pagecache.shareable(response(status=301))
    assert not pagecache.shareable(response(headers={"Cache-Control": "private"}))
    limit = pagecache.MAX_BODY_BYTES
    assert pagecache.shareable(response(headers={"Content-Length": str(limit)}))
    assert not pagecache.shareable(response(headers={"Content-Length": str(limit + 1)}))
    stream = StreamingHttpResponse(iter([b"a"]))
    for name, value in PUBLIC.items():
        stream[name] = value
    assert pagecache.shareable(stream)  # no Content-Length: read, then measured by freeze


def test_freeze_keeps_the_body_and_headers_but_not_the_date_and_refuses_a_big_body() -> None:
    page = response(body=b"hello", headers={"Date": "Mon, 07 Dec 2026 06:00:00 GMT", "ETag": '"x"'})
    entry = pagecache.freeze(page, streaming=False)
    assert entry is not None
    headers = dict(entry.headers)
    assert entry.body == b"hello" and entry.status == 200 and entry.streaming is False
    assert "Date" not in headers and headers["ETag"] == pagecache.strong_etag(b"hello")
    assert headers["Content-Length"] == "5" and headers["Cache-Control"] == PUBLIC["Cache-Control"]
    big = response(body=b"x" * (pagecache.MAX_BODY_BYTES + 1))
    assert pagecache.freeze(big, streaming=False) is None
    assert pagecache.freeze(response(body=b"x" * pagecache.MAX_BODY_BYTES), streaming=True)
