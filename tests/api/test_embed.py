"""The embeddable council card, the "Use these figures on your site" box and oEmbed."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from tests.site.conftest import World

pytestmark = pytest.mark.django_db


def test_card_shows_the_three_key_statistics_and_may_be_framed_anywhere(
    client: Client, demo_world: World
) -> None:
    response = client.get(f"/embed/councils/{demo_world.south.slug}/2019-20/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "50%" in html  # 9 of 18 upheld
    assert html.count('class="stat"') == 3
    assert "Synthetic demonstration data" in html
    assert f"/councils/{demo_world.south.slug}/2019-20/" in html
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    latest = client.get(f"/embed/councils/{demo_world.south.slug}/")
    assert latest.status_code == 200 and "2019-20" in latest.content.decode()


def test_other_pages_still_refuse_frames(client: Client, world: World) -> None:
    page = client.get(f"/councils/{world.south.slug}/2019-20/")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors *" not in page.get("Content-Security-Policy", "")


@pytest.mark.parametrize("year", ["2020-21", "2021-22"])
def test_no_card_for_an_unpublished_year_or_council(
    client: Client, world: World, year: str
) -> None:
    assert client.get(f"/embed/councils/{world.south.slug}/{year}/").status_code == 404
    assert client.get(f"/embed/councils/{world.newtown.slug}/").status_code == 404


def test_council_page_offers_the_snippet_and_oembed_discovery(
    client: Client, world: World, settings: Any
) -> None:
    settings.SITE_URL = "https://councils.example.org"  # the snippet names it, not the request
    html = client.get(f"/councils/{world.south.slug}/2019-20/").content.decode()
    assert "Use these figures on your site" in html
    src = f"https://councils.example.org/embed/councils/{world.south.slug}/2019-20/"
    assert f"&lt;iframe src=&quot;{src}&quot;" in html or f'&lt;iframe src="{src}"' in html
    assert 'type="application/json+oembed"' in html


def test_oembed_answers_for_council_pages_only(client: Client, world: World) -> None:
    page = f"http://testserver/councils/{world.south.slug}/2019-20/"
    body = client.get(f"/api/oembed?url={quote(page)}&maxwidth=300").json()
    assert body["type"] == "rich" and body["version"] == "1.0"
    assert body["width"] == 300
    assert f"/embed/councils/{world.south.slug}/2019-20/" in body["html"]
    assert 'width="300"' in body["html"]
    for url in ("http://testserver/about/", f"http://testserver/councils/{world.newtown.slug}/"):
        answer = client.get(f"/api/oembed?url={quote(url)}")
        assert answer.status_code == 404 and answer["Content-Type"] == "application/problem+json"
    assert client.get(f"/api/oembed?url={quote(page)}&format=xml").status_code == 501
