"""The time-series API on the Borsetshire world: a council's every published year
(``/authorities/{code}/figures``) and a measure across councils and years (``/figures``),
published years only; pages with absolute next/previous and RFC 8288 ``Link`` headers; filters
that take the site's slugs and the names alike, and a 400 naming an unknown value."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from councilperf.authorities.models import Authority
from councilperf.statistics.measures import METRICS
from councilperf.statistics.models import ReviewYear
from tests.site.conftest import World

pytestmark = pytest.mark.django_db
SITE = "https://ombudsman.example"
LINK = re.compile(r'<(?P<url>[^>]+)>; rel="(?P<rel>[a-z]+)"')


@pytest.fixture(autouse=True)
def site(settings: Any) -> None:
    settings.SITE_URL = SITE


@pytest.fixture
def regions(world: World) -> World:
    """North and South Borsetshire in the North East; the county and Felpersham elsewhere."""
    Authority.objects.filter(pk__in=[world.north.pk, world.south.pk]).update(region="North East")
    Authority.objects.filter(pk__in=[world.county.pk, world.unitary.pk]).update(
        region="West Midlands"
    )
    cache.clear()
    return world


def ok(client: Client, url: str) -> Any:
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.content[:300])
    return answer


def links(answer: Any) -> dict[str, str]:
    return {m["rel"]: m["url"] for m in LINK.finditer(answer["Link"])}


def publish_2020_21() -> None:
    ReviewYear.objects.filter(year="2020-21").update(publication_date="2020-12-01")
    cache.clear()


def test_a_councils_every_published_year(client: Client, world: World) -> None:
    url = f"/api/v1/authorities/{world.south.gss_code}/figures"
    body = ok(client, url).json()
    assert [r["year"] for r in body["results"]] == ["2019-20"]  # 2020-21 still embargoed
    upheld = next(m for m in body["results"][0]["measures"] if m["code"] == "upheld_rate")
    assert upheld["rate_fraction"] == "1/2"
    publish_2020_21()
    body = ok(client, url).json()
    assert [r["year"] for r in body["results"]] == ["2019-20", "2020-21"]  # 2021-22 never
    for row in body["results"]:
        single = ok(client, f"/api/v1/years/{row['year']}/figures/{world.south.gss_code}")
        assert row == single.json()
    assert client.get("/api/v1/authorities/E09999999/figures").status_code == 404


def test_newtown_appears_only_once_its_year_is_published(client: Client, world: World) -> None:
    url = f"/api/v1/authorities/{world.newtown.gss_code}/figures"
    assert client.get(url).status_code == 404  # no published figures: nowhere, as elsewhere
    publish_2020_21()
    assert [r["year"] for r in ok(client, url).json()["results"]] == ["2020-21"]


def test_a_measure_across_councils_and_years(client: Client, world: World) -> None:
    body = ok(client, "/api/v1/figures?measure=upheld_rate&per_page=500").json()
    councils = ok(client, "/api/v1/years/2019-20/figures?per_page=500").json()["count"]
    assert body["count"] == councils == 4
    assert {r["year"] for r in body["results"]} == {"2019-20"}
    south = next(r for r in body["results"] if r["authority_code"] == world.south.gss_code)
    assert (south["numerator"], south["denominator"], south["rate_fraction"]) == (9, 18, "1/2")
    assert south["measure"] == "upheld_rate" and south["page"].endswith("#upheld_rate")
    every = ok(client, "/api/v1/figures?per_page=500").json()
    assert every["count"] == councils * len(METRICS)
    publish_2020_21()
    both = ok(client, "/api/v1/figures?measure=upheld-rate&per_page=500").json()
    assert [r["year"] for r in both["results"]] == ["2019-20"] * 4 + ["2020-21"] * 5
    later = ok(client, "/api/v1/figures?measure=upheld_rate&from=2020-21&per_page=500").json()
    assert {r["year"] for r in later["results"]} == {"2020-21"}
    earlier = ok(client, "/api/v1/figures?measure=upheld_rate&to=2019-20&per_page=500").json()
    assert {r["year"] for r in earlier["results"]} == {"2019-20"}
    label = "Complaints upheld (% of detailed investigations)"
    named = ok(client, f"/api/v1/figures?measure={label}&per_page=500").json()
    assert named["count"] == both["count"]


def test_each_row_equals_the_years_own_figures(client: Client, world: World) -> None:
    rows = ok(client, "/api/v1/figures?per_page=500").json()["results"]
    for row in rows:
        own = ok(client, f"/api/v1/years/{row['year']}/figures/{row['authority_code']}").json()
        measure = next(m for m in own["measures"] if m["code"] == row["measure"])
        for key in ("numerator", "denominator", "rate", "interval", "peer_average"):
            assert row[key] == measure[key], (row["authority_code"], row["measure"], key)
        assert row["revision"] == own["revision"] and row["population"] == own["population"]


def test_pages_carry_link_headers_and_absolute_next_and_previous(
    client: Client, world: World
) -> None:
    first = ok(client, "/api/v1/figures?measure=upheld_rate&per_page=1")
    body = first.json()
    assert body["pages"] == 4
    base = f"{SITE}/api/v1/figures?measure=upheld_rate"
    assert body["next"] == f"{base}&page=2&per_page=1" and body["previous"] is None
    assert links(first) == {
        "first": f"{base}&page=1&per_page=1",
        "next": f"{base}&page=2&per_page=1",
        "last": f"{base}&page=4&per_page=1",
    }
    second = ok(client, body["next"].removeprefix(SITE))
    assert second.json()["previous"] == f"{base}&page=1&per_page=1"
    assert set(links(second)) == {"first", "prev", "next", "last"}
    assert links(second)["prev"] == second.json()["previous"]
    last = ok(client, links(first)["last"].removeprefix(SITE))
    assert last.json()["next"] is None and "next" not in links(last)
    assert "Link" in first["Access-Control-Expose-Headers"]
    cached = ok(client, "/api/v1/figures?measure=upheld_rate&per_page=1")
    assert cached["X-Page-Cache"] == "hit" and cached["Link"] == first["Link"]
    for url in ("/api/v1/authorities?per_page=1", "/api/v1/years/2019-20/decisions?per_page=1"):
        assert links(ok(client, url))["next"].startswith(SITE + url.split("?")[0])


@pytest.mark.parametrize(
    "endpoint",
    ["/api/v1/years/2019-20/figures", "/api/v1/authorities", "/api/v1/figures"],
)
def test_the_site_slug_and_the_name_of_a_region_find_the_same_councils(
    client: Client, regions: World, endpoint: str
) -> None:
    def codes(query: str) -> set[str]:
        body = ok(client, f"{endpoint}?{query}&per_page=500").json()
        return {r.get("authority_code") or r.get("code") for r in body["results"]}

    north_east = {regions.north.gss_code, regions.south.gss_code}
    assert codes("region=north-east") == north_east  # the issue: the slug found nothing
    assert codes("region=North+East") == north_east
    assert codes("region=north+east") == codes("region=NORTH-EAST") == north_east
    assert codes("region=west-midlands") == {regions.county.gss_code, regions.unitary.gss_code}
    districts = {regions.north.gss_code, regions.south.gss_code}
    assert codes("group=district") == codes("group=District+Councils") == districts
    assert codes("group=district-councils") == codes("group=District+council") == districts
    assert codes("group=district&region=north-east") == districts
    assert codes("group=unitary&region=north-east") == set()


@pytest.mark.parametrize(
    ("url", "parameter", "value", "allowed"),
    [
        ("/api/v1/years/2019-20/figures?region=north-wast", "region", "north-wast", "North East"),
        ("/api/v1/authorities?region=Atlantis", "region", "Atlantis", "West Midlands"),
        ("/api/v1/figures?region=north-wast", "region", "north-wast", "North East"),
        ("/api/v1/figures?group=parish", "group", "parish", "district"),
        ("/api/v1/authorities?group=parish", "group", "parish", "london"),
        ("/api/v1/figures?measure=happiness", "measure", "happiness", "upheld_rate"),
        ("/api/v1/figures?from=2019-21", "from", "2019-21", "2019-20"),
        ("/api/v1/years/2019-20/decisions?outcome=Maybe", "outcome", "Maybe", "upheld"),
    ],
)
def test_an_unknown_value_is_a_400_naming_it(
    client: Client, regions: World, url: str, parameter: str, value: str, allowed: str
) -> None:
    answer = client.get(url)
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    body = answer.json()
    assert (body["status"], body["parameter"], body["value"]) == (400, parameter, value)
    assert allowed in body["allowed"] and value in body["detail"]
    assert answer["Access-Control-Allow-Origin"] == "*"


def test_from_after_to_is_a_400(client: Client, world: World) -> None:
    answer = client.get("/api/v1/figures?from=2020-21&to=2019-20")
    assert answer.status_code == 400 and answer.json()["parameter"] == "to"


def test_service_areas_and_outcomes_by_slug_or_name(client: Client, world: World) -> None:
    base = "/api/v1/years/2019-20/decisions?per_page=500"
    by_code = ok(client, f"{base}&service_area=adult_care&outcome=upheld").json()["count"]
    by_slug = ok(client, f"{base}&service_area=adult-care&outcome=Upheld").json()["count"]
    named = ok(client, f"{base}&service_area=Adult+care+services").json()["results"]
    assert by_code == by_slug == 4 and {d["service_area"] for d in named} == {"adult_care"}
