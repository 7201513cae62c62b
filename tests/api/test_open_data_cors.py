"""CORS on every open data address: each built file of a year and of its earlier revisions,
the all-years files, the statistics downloads made on request (``statistics.csv`` and
``statistics.xlsx``, filtered or not; their 304 and 400 too) and the API — so a browser script
on another site can read every resource of the data package."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from councilperf.authorities.models import Authority
from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.site.conftest import World, decide

pytestmark = pytest.mark.django_db
ORIGIN = {"Origin": "https://researcher.example"}


@pytest.fixture
def built(settings: Any, tmp_path: Path, world: World) -> Path:
    settings.BUILD_DIR = tmp_path / "build"
    decide(world.north, "upheld")  # a correction: revision 1 becomes an earlier revision
    correct_statistics(year=ReportingYear(2019), reason="A decision recorded late")
    Authority.objects.filter(pk=world.north.pk).update(region="North East")
    cache.clear()
    call_command("build_open_data", stdout=io.StringIO(), stderr=io.StringIO())
    return Path(settings.BUILD_DIR) / "opendata"


def addresses(built: Path) -> list[str]:
    """Every open data address of the built files and the statistics downloads."""
    manifest = json.loads((built / "2019-20" / "manifest.json").read_text())
    found = [f"/downloads/2019-20/{name}" for name in manifest["files"]]
    for number, files in manifest["revisions"].items():
        found += [f"/downloads/2019-20/revisions/{number}/{name}" for name in files]
    every = json.loads((built / "all-years" / "manifest.json").read_text())
    found += [f"/downloads/all-years/{name}" for name in every["files"]]
    found += [
        "/downloads/2019-20/statistics.csv",
        "/downloads/2019-20/statistics.xlsx",
        "/downloads/2019-20/statistics.csv?region=north-east",
        "/downloads/2019-20/statistics.xlsx?region=north-east",
        "/api/v1/openapi.json",
        "/api/v1/figures",
    ]
    return found


def test_every_open_data_address_may_be_read_from_any_site(client: Client, built: Path) -> None:
    found = addresses(built)
    assert len(found) >= 6 * 3 + 2 + 3 + 4 + 4  # resources × formats, zip, revision 1, …
    assert "/downloads/2019-20/revisions/1/statistics.csv" in found
    for url in found:
        for attempt in ("miss", "hit"):  # served, then from the page cache
            answer = client.get(url, headers=ORIGIN)
            assert answer.status_code == 200, (url, attempt)
            assert answer["Access-Control-Allow-Origin"] == "*", (url, attempt)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_statistics_downloads_304_and_400_carry_cors_too(
    client: Client, built: Path, fmt: str
) -> None:
    url = f"/downloads/2019-20/statistics.{fmt}"
    first = client.get(url, headers=ORIGIN)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], headers=ORIGIN)
    assert again.status_code == 304 and again["Access-Control-Allow-Origin"] == "*"
    cache.clear()
    fresh = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], headers=ORIGIN)
    # The view's own 304 (a workbook made again carries the time it was made: in a new second,
    # a new ETag and a 200), with CORS either way.
    assert fresh.status_code == 304 if fmt == "csv" else fresh.status_code in (200, 304)
    assert fresh["Access-Control-Allow-Origin"] == "*"
    bad = client.get(f"{url}?region=atlantis", headers=ORIGIN)
    assert bad.status_code == 400 and bad["Access-Control-Allow-Origin"] == "*"


def test_the_statistics_download_takes_a_regions_name_as_its_slug(
    client: Client, built: Path
) -> None:
    by_slug = client.get("/downloads/2019-20/statistics.csv?region=north-east")
    by_name = client.get("/downloads/2019-20/statistics.csv?region=North+East")
    assert by_slug.status_code == by_name.status_code == 200
    assert by_slug.content == by_name.content and by_slug.content.count(b"\r\n") == 2
