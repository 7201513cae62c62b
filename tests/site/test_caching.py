"""Published pages carry an ETag and a public cache lifetime; a repeat view is a 304."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.site.conftest import World


@pytest.mark.parametrize(
    "path", ["/", "/about/", "/councils.json", "/map-data/2019-20/figures.json"]
)
def test_etag_and_not_modified(client: Client, world: World, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200
    assert first["ETag"]
    assert "public" in first["Cache-Control"]
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_council_page_etag(client: Client, world: World) -> None:
    url = f"/councils/{world.north.slug}/2019-20/"
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_not_found_is_not_cached_as_published(client: Client, world: World) -> None:
    response = client.get("/councils/nowhere/")
    assert response.status_code == 404
    assert not response.has_header("ETag")
