"""Only published review years exist on the public site: everything else is a 404."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.site.conftest import World


@pytest.mark.parametrize("year", ["2020-21", "2021-22", "2022-23", "2019-2"])
def test_unpublished_years_are_not_found(client: Client, world: World, year: str) -> None:
    for url in (
        f"/councils/{world.north.slug}/{year}/",
        f"/map-data/{year}/figures.json",
        f"/map-data/{year}/upper-abc.json",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("year", ["2020-21", "2021-22", "2017-18", "2019-2", "nonsense"])
def test_the_home_page_shows_the_latest_year_for_any_other(
    client: Client, world: World, year: str
) -> None:
    """A year with no published figures (to come, a draft, never computed, not a year) gets
    the latest published year and one notice, the same words for each: nothing says whether
    an unpublished year exists, and none of its figures shows."""
    response = client.get(f"/?year={year}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "There are no published figures for the year in the address" in body
    assert 'id="map-year"' in body and '<option value="2019-20" selected>' in body
    assert "2020-21" not in body and world.newtown.short_name not in body
    assert "published figures for the year" not in client.get("/?year=2019-20").content.decode()


def test_council_of_an_unpublished_year_only_is_not_found(client: Client, world: World) -> None:
    assert client.get(f"/councils/{world.newtown.slug}/").status_code == 404


def test_year_the_council_did_not_exist_in_is_not_found(client: Client, world: World) -> None:
    world.north.years.filter(year="2019-20").delete()
    assert client.get(f"/councils/{world.north.slug}/2019-20/").status_code == 404


def test_nothing_is_public_before_the_publication_date(client: Client, world: World) -> None:
    from councilperf.statistics.models import ReviewYear

    ReviewYear.objects.filter(year="2019-20").update(publication_date="2999-01-01")
    assert client.get(f"/councils/{world.north.slug}/").status_code == 404
    assert client.get("/map-data/2019-20/figures.json").status_code == 404
    home = client.get("/").content.decode()
    assert "No figures published yet" in home
    assert "Borsetshire" not in client.get("/search/?q=borsetshire").content.decode()
    assert world.north.slug not in client.get("/sitemap.xml").content.decode()


def test_sitemap_lists_published_pages_only(client: Client, world: World) -> None:
    body = client.get("/sitemap.xml").content.decode()
    assert f"/councils/{world.north.slug}/2019-20/" in body
    assert "2020-21" not in body
    assert world.newtown.slug not in body


def test_map_figures_are_the_published_revision(client: Client, world: World) -> None:
    data = client.get("/map-data/2019-20/figures.json").json()
    north = data["authorities"][world.north.gss_code]
    assert north["display"]["upheld_rate"] == "0%"
    assert north["denominators"]["upheld_rate"] == 2
    assert world.newtown.gss_code not in data["authorities"]
    assert world.county.gss_code in data["tiers"]["upper"]
    assert world.county.gss_code not in data["tiers"]["lower"]
    assert world.unitary.gss_code in data["tiers"]["lower"]


def test_decisions_of_unpublished_years_are_not_listed(client: Client, world: World) -> None:
    body = client.get(f"/councils/{world.north.slug}/?decision_year=2020-21").content.decode()
    assert "Secret 2020-21 decision" not in body
