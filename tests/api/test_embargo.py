"""Embargo: no API answer and no download of a year that is not published, whatever the
address; a year taken back before publication (its date moved on) disappears at once."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from councilperf.statistics.models import ReviewYear
from tests.site.conftest import World

pytestmark = pytest.mark.django_db


def api_addresses(client: Client, year: str, code: str) -> list[str]:
    """Every operation of the schema that takes a year, for ``year``."""
    schema = client.get("/api/v1/openapi.json").json()
    found = []
    for route in schema["paths"]:
        if "{year}" in route:
            found.append(re.sub(r"\{code\}", code, route.replace("{year}", year)))
    found.append(f"/api/v1/authorities?year={year}")
    return found


def downloads(built: Path, year: str, published: str) -> list[str]:
    manifest = json.loads((built / published / "manifest.json").read_text())
    names = [n.replace(published, year) for n in manifest["files"]]
    return [f"/downloads/{year}/{n}" for n in names] + [
        f"/downloads/{year}/revisions/1/{n}" for n in names
    ]


@pytest.fixture
def built(settings: Any, tmp_path: Path, world: World) -> Path:
    settings.BUILD_DIR = tmp_path / "build"
    call_command("build_open_data", stdout=io.StringIO(), stderr=io.StringIO())
    return Path(settings.BUILD_DIR) / "opendata"


@pytest.mark.parametrize("year", ["2020-21", "2021-22", "2030-31"])
def test_no_answer_for_a_year_not_published(
    client: Client, world: World, built: Path, year: str
) -> None:
    addresses = api_addresses(client, year, world.south.gss_code) + downloads(
        built, year, "2019-20"
    )
    assert len(addresses) >= 15
    for url in addresses:
        assert client.get(url).status_code == 404, url


def test_a_year_taken_back_disappears_from_the_api_and_downloads(
    client: Client, world: World, built: Path
) -> None:
    addresses = (
        api_addresses(client, "2019-20", world.south.gss_code)
        + downloads(built, "2019-20", "2019-20")[:9]
    )
    reachable = [u for u in addresses if client.get(u).status_code == 200]
    assert len(reachable) >= 12
    ReviewYear.objects.filter(year="2019-20").update(publication_date="2999-01-01")
    cache.clear()
    for url in reachable:
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/years").json() == []
    assert client.get("/api/v1/authorities").json()["count"] == 0
