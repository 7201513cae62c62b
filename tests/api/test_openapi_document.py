"""The OpenAPI document says what the API really does: the data's licence and the
statistics contact, 304 and 405 on every operation, the headers of every answer (``Link`` on
pages), the 400 of an unknown filter value, and an example of every parameter — each
checked against a real answer where it can be."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from councilperf.api.tables import OGL
from tests.site.conftest import World

pytestmark = pytest.mark.django_db


def schema(client: Client) -> dict[str, Any]:
    found: dict[str, Any] = client.get("/api/v1/openapi.json").json()
    return found


def operations(found: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(route, methods["get"]) for route, methods in found["paths"].items()]


def test_licence_and_contact(client: Client, world: World, settings: Any) -> None:
    settings.STATISTICS_CONTACT_NAME = "Ada Lovelace, head of statistics"
    settings.STATISTICS_CONTACT_EMAIL = "statistics@ombudsman.example"
    settings.SITE_URL = "https://ombudsman.example"
    info = schema(client)["info"]
    assert info["license"] == {"name": OGL["title"], "url": OGL["path"]}
    assert info["contact"] == {
        "name": "Ada Lovelace, head of statistics",
        "email": "statistics@ombudsman.example",
        "url": "https://ombudsman.example/api/",
    }


def test_without_the_contact_settings_a_team_is_named(client: Client, world: World) -> None:
    contact = schema(client)["info"]["contact"]
    assert contact["name"] and contact["url"].endswith("/api/")


def test_every_operation_documents_304_405_headers_and_examples(
    client: Client, world: World
) -> None:
    found = schema(client)
    assert len(found["paths"]) == 14
    for route, op in operations(found):
        responses = op["responses"]
        assert "ETag" in responses["304"]["headers"], route
        assert responses["405"]["headers"]["Allow"]["description"] == "GET, HEAD, OPTIONS"
        assert "application/problem+json" in responses["405"]["content"], route
        assert {"ETag", "Access-Control-Allow-Origin"} <= set(responses["200"]["headers"])
        paged = "results" in str(responses["200"]["content"]) or "Page" in str(
            responses["200"]["content"]
        )
        assert ("Link" in responses["200"]["headers"]) == paged, route
        for parameter in op.get("parameters", []):
            assert "example" in parameter or "examples" in parameter, (route, parameter)


def test_the_documented_404_304_405_400_and_link_are_what_the_api_answers(
    client: Client, world: World
) -> None:
    found = schema(client)
    paged = [
        route for route, op in operations(found) if "Link" in op["responses"]["200"]["headers"]
    ]
    assert "/api/v1/figures" in paged and "/api/v1/authorities/{code}/figures" in paged
    code = world.south.gss_code
    for route in paged:
        url = route.replace("{year}", "2019-20").replace("{code}", code)
        answer = client.get(url)
        assert answer.status_code == 200 and 'rel="first"' in answer["Link"], url
        again = client.get(url, HTTP_IF_NONE_MATCH=answer["ETag"])
        assert again.status_code == 304, url
        assert client.delete(url).status_code == 405
    bad = found["paths"]["/api/v1/figures"]["get"]["responses"]["400"]
    documented = bad["content"]["application/problem+json"]
    assert documented["schema"]["$ref"].endswith("/BadParameter")
    answer = client.get("/api/v1/figures?region=North+Wast").json()
    assert set(documented["example"]) == set(answer)
    parts = found["components"]["schemas"]["BadParameter"]["properties"]
    assert {"parameter", "value", "allowed"} <= set(parts)
