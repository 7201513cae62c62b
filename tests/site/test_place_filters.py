"""Region and county filters (issue 17 point 2) on the home table and map, the group page and
the downloads: the address reproduces the view, an unknown value is a 400 in words, and an
unpublished year (2020-21, when Newtown joins Borsetshire) never shows through a filter."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.test import Client

from councilperf.published import place_filter
from councilperf.published.place_filter import BadFilter, Place, PlaceFilter
from tests.site.conftest import World, get_page


@pytest.fixture
def placed(world: World) -> World:
    """North Borsetshire and its county in the West Midlands; South Borsetshire, Newtown
    (unpublished year only) and Felpersham in the South West."""
    for council, region in (
        (world.north, "West Midlands"),
        (world.county, "West Midlands"),
        (world.south, "South West"),
        (world.newtown, "South West"),
        (world.unitary, "South West"),
    ):
        council.region = region
        council.save()
    return world


def table_names(html: str, table_id: str) -> list[str]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r'<th scope="row"[^>]*>(.*?)</th>', table, re.S)
    ]


def map_config(html: str) -> dict:
    return json.loads(
        html.split('<script id="map-config" type="application/json">', 1)[1].split("</script>", 1)[
            0
        ]
    )


def test_home_table_and_map_keep_to_the_region(client: Client, placed: World) -> None:
    html = client.get("/?year=2019-20&tier=lower&region=west-midlands").content.decode()
    assert table_names(html, "figures-table") == ["North Borsetshire"]
    config = map_config(html)
    assert config["filter"] == {"region": "west-midlands"}
    # The map is told which councils to draw: every one of the region, of either tier.
    assert config["only"] == sorted([placed.north.gss_code, placed.county.gss_code])
    assert '<option value="west-midlands" selected>West Midlands</option>' in html
    # The same address gives the same view; without the filter, every council.
    assert client.get("/?year=2019-20&tier=lower&region=west-midlands").content.decode() == html
    every = client.get("/?year=2019-20&tier=lower").content.decode()
    names = ["Felpersham", "North Borsetshire", "South Borsetshire"]  # a unitary is on both
    assert table_names(every, "figures-table") == names
    assert map_config(every)["only"] is None


def test_a_county_holds_its_districts_and_itself(client: Client, placed: World) -> None:
    county = placed.county.slug
    lower = client.get(f"/?year=2019-20&tier=lower&county={county}").content.decode()
    assert table_names(lower, "figures-table") == ["North Borsetshire", "South Borsetshire"]
    upper = client.get(f"/?year=2019-20&tier=upper&county={county}").content.decode()
    assert table_names(upper, "figures-table") == ["Borsetshire"]
    both = client.get(f"/?year=2019-20&tier=lower&county={county}&region=south-west")
    assert table_names(both.content.decode(), "figures-table") == ["South Borsetshire"]
    group = client.get(f"/compare/2019-20/district/?county={county}").content.decode()
    assert table_names(group, "compare-all") == ["North Borsetshire", "South Borsetshire"]
    assert f'href="/downloads/2019-20/statistics.csv?county={county}"' in group


def test_downloads_keep_to_the_filter(client: Client, placed: World) -> None:
    def names(query: str) -> list[str]:
        response = client.get("/downloads/2019-20/statistics.csv" + query)
        assert response.status_code == 200
        return sorted(
            r["authority_name"] for r in csv.DictReader(io.StringIO(response.content.decode()))
        )

    assert len(names("")) == 4
    west = names("?region=west-midlands")
    assert west == sorted([placed.north.official_name, placed.county.official_name])
    assert names("?region=west-midlands") == west  # the address reproduces the file
    response = client.get("/downloads/2019-20/statistics.xlsx?region=south-west")
    assert response.status_code == 200
    assert "statistics-2019-20-south-west.xlsx" in response["Content-Disposition"]
    # A name filter does not apply to the files (they are by place only).
    assert len(names("?name=north")) == 4


def test_an_unpublished_year_never_shows_through_a_filter(client: Client, placed: World) -> None:
    county = placed.county.slug
    for path in (
        f"/?tier=lower&county={county}",
        "/?tier=lower&region=south-west",
        f"/compare/2019-20/district/?county={county}",
        "/compare/2019-20/district/?region=south-west&sort=upheld_rate",
        f"/downloads/2019-20/statistics.csv?county={county}",
    ):
        body = client.get(path).content.decode()
        assert "Newtown" not in body, path
        assert "2020-21" not in body, path
    # The home page shows the latest published year instead, and says so.
    fallback = client.get(f"/?year=2020-21&tier=lower&county={county}")
    body = fallback.content.decode()
    assert fallback.status_code == 200 and 'id="year-notice"' in body
    assert "Newtown" not in body and "2020-21" not in body
    for path in (
        f"/compare/2020-21/district/?county={county}",
        f"/downloads/2020-21/statistics.csv?county={county}",
    ):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/?region=atlantis", "there is no region called “atlantis”"),
        ("/?county=nowhere", "there is no county council called “nowhere”"),
        ("/compare/2019-20/district/?region=West+Midlands", "there is no region called"),
        ("/downloads/2019-20/statistics.csv?county=north-borsetshire", "no county council"),
    ],
)
def test_unknown_filters_are_a_400_in_words(
    client: Client, placed: World, path: str, words: str
) -> None:
    page = get_page(client, path, status=400)
    assert words in page.text


def test_the_filter_itself() -> None:
    regions = ["East Midlands", "London", ""]
    counties = {"derbyshire": "Derbyshire"}
    chosen = place_filter.read(
        {"region": "east-midlands", "county": "derbyshire", "name": "  North   East "},
        regions=regions,
        counties=counties,
    )
    assert chosen == PlaceFilter("east-midlands", "derbyshire", "North East")
    assert chosen.active and not PlaceFilter().active
    assert chosen.query(("sort", "x"), ("council", "")) == (
        "?region=east-midlands&county=derbyshire&name=North+East&sort=x"
    )
    assert PlaceFilter().query() == ""
    ned = Place("East Midlands", "derbyshire", "Derbyshire")
    assert chosen.keeps(ned, "North East Derbyshire")
    assert not chosen.keeps(ned, "Bolsover")
    assert not chosen.keeps(Place("London", "derbyshire"), "North East Derbyshire")
    assert not chosen.keeps(Place("East Midlands", ""), "North East Derbyshire")
    assert PlaceFilter(name="north east").keeps(Place(), "NORTH EAST Derbyshire")
    assert place_filter.slug("  Yorkshire and The Humber ") == "yorkshire-and-the-humber"
    for params, words in (
        ({"region": "mars"}, "no region called “mars”"),
        ({"county": "mars"}, "no county council called “mars”"),
        ({"name": "x" * 101}, "never longer than 100"),
    ):
        with pytest.raises(BadFilter, match=words):
            place_filter.read(params, regions=regions, counties=counties)
    assert place_filter.read({"name": "x" * 100}, regions=(), counties={}).name == "x" * 100
    options = place_filter.region_options(["London", "East Midlands", "London", ""], chosen)
    assert [(o.value, o.label, o.selected) for o in options] == [
        ("east-midlands", "East Midlands", True),
        ("london", "London", False),
    ]
    counties_found = place_filter.county_options(
        [ned, Place("East Midlands", "", ""), Place("", "kent", "Kent"), ned], chosen
    )
    assert [(o.value, o.selected) for o in counties_found] == [
        ("derbyshire", True),
        ("kent", False),
    ]
