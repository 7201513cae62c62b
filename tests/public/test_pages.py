"""Every public page, parsed: a title, one h1, unique ids, and what it must say."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.public.conftest import World, get_page


@pytest.fixture
def client() -> Client:
    return Client()


def test_home_lists_the_published_year_and_its_councils(client: Client, world: World) -> None:
    page = get_page(client, "/")
    assert page.h1 == ["Your council's performance"]
    assert "2019-20" in page.text
    assert "2020-21" not in page.text
    assert "Borsetshire" in page.text
    assert "Newtown" not in page.text


def test_home_lower_tier_table(client: Client, world: World) -> None:
    page = get_page(client, "/?tier=lower&metric=upheld_rate&year=2019-20")
    assert "North Borsetshire" in page.text
    assert "0%" in page.text  # 0 of 2
    assert "50%" in page.text  # 9 of 18


def test_council_page_says_what_the_letter_says(client: Client, world: World) -> None:
    page = get_page(client, f"/councils/{world.north.slug}/2019-20/")
    assert page.h1 == ["North Borsetshire Council"]
    assert "0%" in page.text
    assert "45%" in page.text  # (0 + 9) / (2 + 18), the district average
    assert "2 detailed investigations" in page.text
    assert "No recommendations were due for compliance in this period" in page.text
    assert "The Ombudsman did not uphold any detailed investigations during this period" in (
        page.text
    )
    assert "Secret 2020-21 decision" not in page.text
    assert "population 100,000" in page.text  # thousands separated


def test_council_page_default_year_and_sections(client: Client, world: World) -> None:
    page = get_page(client, f"/councils/{world.south.slug}/")
    assert "Key statistics, 2019-20" in page.text
    assert "50%" in page.text
    assert "Similar to district councils" in page.text
    assert "Review how noise complaints are handled" in page.text
    assert "Housing" in page.text
    assert "18 decisions" in page.text


def test_county_public_report_and_late_compliance(client: Client, world: World) -> None:
    page = get_page(client, f"/councils/{world.county.slug}/")
    assert "Public reports" in page.text
    assert "1 December 2019" in page.text
    assert "Complied late" in page.text
    assert "Train staff" in page.text


def test_decisions_filter_and_pagination(client: Client, world: World) -> None:
    url = f"/councils/{world.south.slug}/?outcome=upheld&service_area=housing"
    page = get_page(client, url)
    assert "4 decisions match the filters" in page.text
    page = get_page(client, f"/councils/{world.south.slug}/?page=2")
    assert "Page 1 of 1" not in page.text


def test_methods_page_has_definitions_and_attributions(client: Client, world: World) -> None:
    page = get_page(client, "/about/")
    for words in (
        "Detailed investigation",
        "Wilson",
        "small-number rule",
        "Open Government Licence v3.0",
        "contains OS data © Crown copyright and database right",
        "CC BY 4.0",
    ):
        assert words in page.text or words in client.get("/about/").content.decode(), words


def test_every_page_footer_carries_the_licences(client: Client, world: World) -> None:
    for url in ("/", "/search/", f"/councils/{world.north.slug}/", "/about/"):
        page = get_page(client, url)
        assert "Office for National Statistics" in page.text, url
        assert "mySociety" in page.text, url
        assert "CC BY 4.0" in page.text, url


def test_search_plain_form(client: Client, world: World) -> None:
    page = get_page(client, "/search/?q=borsetshire")
    assert "North Borsetshire Council" in page.text
    assert "Newtown" not in page.text
    response = client.get("/search/?q=north+borsetshire&go=1")
    assert response.status_code == 302
    assert response["Location"] == f"/councils/{world.north.slug}/"
    assert "Newtown" not in get_page(client, "/search/?q=newtown").text


def test_type_ahead_list_only_has_published_councils(client: Client, world: World) -> None:
    names = [c["name"] for c in client.get("/councils.json").json()["councils"]]
    assert "North Borsetshire" in names
    assert "Newtown" not in names


def test_demonstration_data_is_labelled(client: Client, demo_world: World) -> None:
    label = "Demonstration data — not real ombudsman decisions"
    for url in ("/", f"/councils/{demo_world.north.slug}/"):
        assert label in get_page(client, url).text, url


def test_real_data_is_not_labelled_as_demonstration(client: Client, world: World) -> None:
    assert "Demonstration data" not in get_page(client, f"/councils/{world.north.slug}/").text


def test_not_found_page_is_a_proper_page(client: Client, world: World) -> None:
    page = get_page(client, "/councils/nowhere/", status=404)
    assert page.h1 == ["Page not found"]
