"""Stable links: each key figure has an anchor on its council page, and an abolished
council's address for a later year leads to its successor's page for that year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client

from councilperf.authorities.models import AuthoritySlug
from councilperf.statistics.measures import METRICS
from councilperf.statistics.models import ReviewYear
from tests.site.conftest import Page, World

pytestmark = pytest.mark.django_db


def test_every_measure_has_an_anchor_and_the_api_links_to_it(client: Client, world: World) -> None:
    page = Page(client.get(f"/councils/{world.south.slug}/2019-20/").content.decode())
    for metric in METRICS:
        assert metric.code in page.ids
    body = client.get(f"/api/v1/years/2019-20/figures/{world.south.gss_code}").json()
    for measure in body["measures"]:
        assert measure["page"] == f"/councils/{world.south.slug}/2019-20/#{measure['code']}"


def test_an_abolished_councils_address_leads_to_its_successor(client: Client, world: World) -> None:
    ReviewYear.objects.filter(year="2020-21").update(publication_date=dt.date(2021, 7, 28))
    world.north.years.filter(year="2020-21").delete()
    world.north.successors.add(world.newtown)
    cache.clear()
    response = client.get(f"/councils/{world.north.slug}/2020-21/")
    assert response.status_code == 302
    assert response["Location"] == f"/councils/{world.newtown.slug}/2020-21/"
    assert client.get(response["Location"]).status_code == 200
    # Its own years still show its own page; a year nobody covers is still a 404.
    assert client.get(f"/councils/{world.north.slug}/2019-20/").status_code == 200
    assert client.get(f"/councils/{world.north.slug}/2021-22/").status_code == 404


def test_a_council_split_in_two_is_not_guessed(client: Client, world: World) -> None:
    ReviewYear.objects.filter(year="2020-21").update(publication_date=dt.date(2021, 7, 28))
    world.north.years.filter(year="2020-21").delete()
    world.north.successors.add(world.newtown, world.south)
    cache.clear()
    assert client.get(f"/councils/{world.north.slug}/2020-21/").status_code == 404


def test_a_renamed_councils_former_address_redirects_permanently(
    client: Client, world: World
) -> None:
    AuthoritySlug.objects.create(slug="old-borsetshire", authority=world.south, name="Old")
    now = world.south.slug
    moves = {
        "/councils/old-borsetshire/": f"/councils/{now}/",
        "/councils/old-borsetshire/2019-20/": f"/councils/{now}/2019-20/",
        "/councils/old-borsetshire/2019-20/?service_area=housing": (
            f"/councils/{now}/2019-20/?service_area=housing"
        ),
        "/councils/old-borsetshire/2019-20/letter/": f"/councils/{now}/2019-20/letter/",
        "/councils/old-borsetshire/2019-20/letter.pdf?download=1": (
            f"/councils/{now}/2019-20/letter.pdf?download=1"
        ),
        "/embed/councils/old-borsetshire/": f"/embed/councils/{now}/",
        "/embed/councils/old-borsetshire/2019-20/": f"/embed/councils/{now}/2019-20/",
        "/compare/2019-20/district/?council=old-borsetshire": (
            f"/compare/2019-20/district/?council={now}"
        ),
    }
    for old, new in moves.items():
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    assert client.get(f"/councils/{now}/2019-20/").status_code == 200
    # oEmbed takes the former address of a council page for its current one.
    answer = client.get("/api/oembed", {"url": "http://testserver/councils/old-borsetshire/"})
    assert answer.status_code == 200
    assert f"/embed/councils/{now}/2019-20/" in answer.json()["html"]
    # An unpublished year, or no such address, stays a 404, as at the current address.
    for missing in (
        "/councils/old-borsetshire/2020-21/",
        "/embed/councils/old-borsetshire/2021-22/",
    ):
        assert client.get(missing).status_code == 404, missing
    assert client.get("/councils/never-a-council/").status_code == 404


def test_a_current_address_wins_and_unpublished_councils_stay_hidden(
    client: Client, world: World
) -> None:
    # North's address as somebody's former one: North's own page is still what it shows.
    AuthoritySlug.objects.create(slug=world.north.slug, authority=world.south, name="North")
    response = client.get(f"/councils/{world.north.slug}/2019-20/")
    assert response.status_code == 200 and world.north.official_name in response.content.decode()
    # Newtown has figures only in the unpublished 2020-21: its former address tells nothing.
    AuthoritySlug.objects.create(slug="old-newtown", authority=world.newtown, name="Old")
    for address in ("/councils/old-newtown/", "/councils/old-newtown/2019-20/"):
        assert client.get(address).status_code == 404
    answer = client.get("/api/oembed", {"url": "http://testserver/councils/old-newtown/"})
    assert answer.status_code == 404
