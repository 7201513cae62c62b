"""The API's councils' own words: /years/{year}/complaint-handling and /years/{year}/replies —
published years only (the same 404 as every year endpoint), "not reported" as null, never
zero, and both in the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.test import Client

from councilperf.portal.models import ComplaintReturn, ReplyVersion
from tests.portal.factories_public import make_reply, make_return
from tests.site.conftest import World

pytestmark = pytest.mark.django_db
ACCEPTED = ReplyVersion.Status.ACCEPTED
NOT_VERIFIED = "Reported by the council; not verified by the ombudsman"


@pytest.mark.parametrize("year", ["2020-21", "2021-22", "2031-32"])
@pytest.mark.parametrize("what", ["complaint-handling", "replies"])
def test_an_unpublished_year_is_the_same_404_as_other_year_endpoints(
    client: Client, world: World, year: str, what: str
) -> None:
    if year == "2020-21":  # signed off and accepted, but not yet published
        make_return(world.unitary, year)
        make_reply(world.unitary, year, ("Embargoed", ACCEPTED))
    found = client.get(f"/api/v1/years/{year}/{what}")
    other = client.get(f"/api/v1/years/{year}/groups")
    assert found.status_code == other.status_code == 404
    assert found["Content-Type"] == other["Content-Type"] == "application/problem+json"
    assert found.json() == other.json()
    assert b"Embargoed" not in found.content


def test_complaint_handling_of_a_published_year(client: Client, world: World) -> None:
    make_return(world.unitary, ratings={"learning": ("partly", "Quarterly to members.")})
    make_return(world.south, status=ComplaintReturn.Status.READY)
    body = client.get("/api/v1/years/2019-20/complaint-handling").json()
    assert body["count"] == 4
    by_code = {r["authority_code"]: r for r in body["results"]}
    own = by_code[world.unitary.gss_code]
    assert own["reported"] is True and own["source"] == NOT_VERIFIED
    assert own["stage1_received"] == 300 and own["stage1_per_10k"] == 20.0
    assert own["stage1_in_time_rate"] == 0.8 and own["escalated_share"] == 0.15
    assert own["self_assessment"] == [
        {
            "section": "learning",
            "heading": "Scrutiny and oversight: continuous learning and improvement",
            "rating": "partly",
            "comment": "Quarterly to members.",
        }
    ]
    for code in (world.south.gss_code, world.north.gss_code):  # ready, and none at all
        row = by_code[code]
        assert row["reported"] is False and row["stage1_received"] is None
        assert row["stage1_in_time_rate"] is None and row["escalated"] is None


def test_one_councils_complaint_handling(client: Client, world: World) -> None:
    make_return(world.unitary)
    url = f"/api/v1/years/2019-20/complaint-handling?authority={world.unitary.gss_code}"
    body = client.get(url).json()
    assert [r["authority_code"] for r in body["results"]] == [world.unitary.gss_code]


def test_replies_of_a_published_year(client: Client, world: World) -> None:
    make_reply(
        world.south,
        "2019-20",
        ("First.", ACCEPTED),
        ("Not this one.", ReplyVersion.Status.RETURNED),
        ("Second.\n\nTwo paragraphs.", ACCEPTED),
    )
    make_reply(world.north, "2019-20", ("Waiting.", ReplyVersion.Status.SUBMITTED))
    body = client.get("/api/v1/years/2019-20/replies").json()
    assert body["count"] == 1
    (found,) = body["results"]
    assert found["authority_code"] == world.south.gss_code
    assert found["source"] == "The council's own words"
    assert found["version"] == 3 and found["text"] == "Second.\n\nTwo paragraphs."
    assert found["accepted_date"] == "2020-08-04"
    assert found["earlier_versions"] == [
        {"version": 1, "accepted_date": "2020-08-02", "text": "First."}
    ]


def test_the_openapi_schema_lists_both_operations(client: Client, world: World) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/years/{year}/complaint-handling", "/api/v1/years/{year}/replies"):
        op = schema["paths"][path]["get"]
        assert op["responses"]["404"] and "Link" in op["responses"]["200"]["headers"]
    fields = schema["components"]["schemas"]["ComplaintHandling"]["properties"]
    assert NOT_VERIFIED in fields["stage1_received"]["description"]
    assert "own words" in schema["components"]["schemas"]["ReplyOut"]["description"]
