"""The API's filters of decisions and service improvements on the Borsetshire world
(tests/site/conftest.py): each narrows to exactly its rows, together they combine, and an
unknown value is a 400 problem naming it, never an unfiltered list."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.test import Client

from tests.site.conftest import World

pytestmark = pytest.mark.django_db

DECISIONS = "/api/v1/years/2019-20/decisions?per_page=500"
IMPROVEMENTS = "/api/v1/years/2019-20/service-improvements?per_page=500"


def results(client: Client, url: str) -> list[dict[str, Any]]:
    answer = client.get(url)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["count"] == len(body["results"])
    return list(body["results"])


def test_decisions_by_service_area(client: Client, world: World) -> None:
    everything = results(client, DECISIONS)
    assert Counter(d["service_area"] for d in everything) == {
        "housing": 10,
        "environment_and_regulation": 9,
        "adult_care": 6,
        "planning_and_development": 1,
        "benefits_and_tax": 1,
        "highways_and_transport": 1,
    }
    housing = results(client, f"{DECISIONS}&service_area=housing")
    assert len(housing) == 10 and {d["service_area"] for d in housing} == {"housing"}


def test_decision_filters_combine(client: Client, world: World) -> None:
    upheld_care = results(client, f"{DECISIONS}&service_area=adult_care&outcome=upheld")
    assert len(upheld_care) == 4
    assert {(d["service_area"], d["outcome"]) for d in upheld_care} == {("adult_care", "upheld")}
    north = world.north.gss_code
    one = results(client, f"{DECISIONS}&authority={north}&service_area=benefits_and_tax")
    assert [(d["authority_code"], d["outcome"]) for d in one] == [(north, "advice_given")]
    assert results(client, f"{DECISIONS}&authority={north}&service_area=adult_care") == []


def test_improvements_by_service_area(client: Client, world: World) -> None:
    everything = results(client, IMPROVEMENTS)
    assert sorted(r["service_area"] for r in everything) == [
        "adult_care",
        "environment_and_regulation",
        "housing",
    ]
    for area in ("housing", "adult_care", "environment_and_regulation"):
        found = results(client, f"{IMPROVEMENTS}&service_area={area}")
        assert [r["service_area"] for r in found] == [area]
    south = world.south.gss_code
    assert len(results(client, f"{IMPROVEMENTS}&authority={south}&service_area=housing")) == 1
    assert results(client, f"{IMPROVEMENTS}&authority={south}&service_area=adult_care") == []


@pytest.mark.parametrize(
    "url",
    [
        f"{DECISIONS}&service_area=flying",
        f"{DECISIONS}&outcome=maybe",
        f"{IMPROVEMENTS}&service_area=flying",
    ],
)
def test_an_unknown_filter_value_is_a_problem(client: Client, world: World, url: str) -> None:
    answer = client.get(url)
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    body = answer.json()
    assert body["value"] in ("flying", "maybe") and body["value"] in body["detail"]
    known = {"service_area": "housing", "outcome": "upheld"}
    assert known[body["parameter"]] in body["allowed"]
