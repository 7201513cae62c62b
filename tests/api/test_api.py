"""The JSON API on the small Borsetshire world (tests/site/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.site.conftest import World

pytestmark = pytest.mark.django_db


def get(client: Client, url: str, **headers: Any) -> Any:
    return client.get(url, headers=headers)


def test_years_lists_only_the_published_year(client: Client, world: World) -> None:
    response = get(client, "/api/v1/years")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert [y["year"] for y in response.json()] == ["2019-20"]
    assert response.json()[0]["revision"] == 1


def test_a_year_carries_its_method_notes_and_never_an_unpublished_years(
    client: Client, world: World
) -> None:
    from councilperf.statistics.models import MethodNote

    MethodNote.objects.create(year="2019-20", measure="upheld_rate", text="Triage changed.")
    MethodNote.objects.create(year="2020-21", text="Not yet public.")
    notes = get(client, "/api/v1/years/2019-20").json()["method_notes"]
    assert notes == [{"measure": "upheld_rate", "group": "", "text": "Triage changed."}]
    assert "Not yet public." not in get(client, "/api/v1/years").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/years/2020-21",
        "/api/v1/years/2021-22",
        "/api/v1/years/2020-21/figures",
        "/api/v1/years/2021-22/groups",
        "/api/v1/years/2020-21/decisions",
        "/api/v1/years/2020-21/service-improvements",
    ],
)
def test_unpublished_years_are_404_problems(client: Client, world: World, url: str) -> None:
    response = get(client, url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_authority_figures_carry_exact_rates(client: Client, world: World) -> None:
    code = world.south.gss_code
    body = get(client, f"/api/v1/years/2019-20/figures/{code}").json()
    upheld = next(m for m in body["measures"] if m["code"] == "upheld_rate")
    assert (upheld["numerator"], upheld["denominator"]) == (9, 18)
    assert upheld["rate_fraction"] == "1/2"
    assert upheld["rate"] == 0.5
    assert body["slug"] == world.south.slug


def test_newtown_is_nowhere(client: Client, world: World) -> None:
    code = world.newtown.gss_code
    assert get(client, f"/api/v1/authorities/{code}").status_code == 404
    listed = get(client, "/api/v1/authorities").json()["results"]
    assert code not in {a["code"] for a in listed}
    assert get(client, f"/api/v1/years/2019-20/figures/{code}").status_code == 404


def test_decisions_never_show_an_unpublished_year(client: Client, world: World) -> None:
    body = get(client, "/api/v1/years/2019-20/decisions?per_page=500").json()
    assert body["count"] == 3 + 18 + 6 + 1
    assert all("Secret" not in d["summary"] for d in body["results"])
    assert all(d["decision_date"].startswith("2019") for d in body["results"])


def test_filters_and_pages(client: Client, world: World, settings: Any) -> None:
    settings.SITE_URL = "https://ombudsman.example"
    body = get(client, "/api/v1/years/2019-20/figures?group=district&per_page=1").json()
    assert body["count"] == 2 and body["pages"] == 2
    assert body["next"] == (
        "https://ombudsman.example/api/v1/years/2019-20/figures?group=district&page=2&per_page=1"
    )
    second = get(client, body["next"].removeprefix(settings.SITE_URL)).json()
    names = [body["results"][0]["authority_name"], second["results"][0]["authority_name"]]
    assert names == sorted(names)
    bad = get(client, "/api/v1/years/2019-20/figures?group=parish")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert (bad.json()["parameter"], bad.json()["value"]) == ("group", "parish")
    one = get(
        client, f"/api/v1/years/2019-20/service-improvements?authority={world.south.gss_code}"
    )
    assert one.json()["count"] == 2
    assert {r["compliance"] for r in one.json()["results"]} == {"complied"}


def test_etag_304_and_cors(client: Client, world: World) -> None:
    first = get(client, "/api/v1/years/2019-20/groups")
    assert first["Access-Control-Allow-Origin"] == "*"
    again = get(client, "/api/v1/years/2019-20/groups", If_None_Match=first["ETag"])
    assert again.status_code == 304
    assert client.post("/api/v1/years").status_code == 405
    head = client.head("/api/v1/years/2019-20/groups")
    assert head.status_code == 200 and head["ETag"] == first["ETag"] and head.content == b""
    assert client.options("/api/v1/years").status_code == 204


def test_schema_is_openapi_3_1_and_the_docs_list_every_path(client: Client, world: World) -> None:
    schema = get(client, "/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    page = get(client, "/api/").content.decode()
    for route in schema["paths"]:
        assert route.startswith("/api/v1/") and route in page


def test_the_index_and_unknown_addresses(client: Client, world: World) -> None:
    index = client.get("/api/v1/")
    assert index.status_code == 200 and index.json()["openapi"] == "/api/v1/openapi.json"
    assert "GET /api/v1/years/{year}/figures/{code}" in index.json()["operations"]
    missing = client.get("/api/v1/nothing/here")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


def test_published_answers_come_from_the_page_cache(client: Client, world: World) -> None:
    url = f"/api/v1/years/2019-20/figures/{world.south.gss_code}"
    first, again = client.get(url), client.get(url)
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    assert again.content == first.content and again["Access-Control-Allow-Origin"] == "*"
    assert "X-Page-Cache" not in client.get("/api/v1/years/2020-21/figures")  # never cached
    assert "X-Page-Cache" not in client.get(url + "?unknown=1")


def test_a_cached_answer_keeps_a_strong_etag_its_304_and_cors(client: Client, world: World) -> None:
    url = f"/api/v1/years/2019-20/figures/{world.south.gss_code}"
    for encoding in ("gzip, deflate, br", ""):
        first = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
        hit = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
        assert (first["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
        assert hit["ETag"] == first["ETag"] and hit["ETag"].startswith('"')
        again = client.get(url, HTTP_ACCEPT_ENCODING=encoding, HTTP_IF_NONE_MATCH=hit["ETag"])
        assert (again.status_code, again.content) == (304, b"")
        assert again["ETag"] == hit["ETag"] and again["X-Page-Cache"] == "hit"
        assert again["Access-Control-Allow-Origin"] == "*"
        stale = client.get(url, HTTP_ACCEPT_ENCODING=encoding, HTTP_IF_NONE_MATCH='"other"')
        assert stale.status_code == 200 and stale.content == hit.content
    # The compressed and the plain answer are different bytes, so different ETags.
    gzipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["Content-Encoding"] == "gzip" and gzipped["ETag"] != client.get(url)["ETag"]


def test_a_refused_method_says_what_is_allowed_and_an_unknown_address_is_problem_json(
    world: World,
) -> None:
    strict = Client(enforce_csrf_checks=True)  # as a browser or a fuzzer without a token
    for send in (strict.post, strict.put, strict.delete, strict.patch):
        known = send("/api/v1/years")
        assert known.status_code == 405, send
        assert known["Allow"] == "GET, HEAD, OPTIONS"  # RFC 9110
        assert known["Content-Type"] == "application/problem+json"
        unknown = send("/api/v1/no/such/address")
        assert unknown.status_code == 404, send
        assert unknown["Content-Type"] == "application/problem+json"
        assert unknown.json()["status"] == 404
