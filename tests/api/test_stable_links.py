"""Stable links: each key figure has an anchor on its council page, and an abolished
council's address for a later year leads to its successor's page for that year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client

from councilperf.statistics.measures import METRICS
from councilperf.statistics.models import ReviewYear
from tests.public.conftest import Page, World

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
