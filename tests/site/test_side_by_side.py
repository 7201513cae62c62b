"""The side-by-side page and the council page's neighbours, on the small published world:
figures equal each council's own page, bad addresses get a helpful 400, the search box adds
a council without JavaScript, and nothing of an unpublished year appears."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.test import Client

from councilperf.authorities.models import Border
from councilperf.site.pages.side_by_side import link, read_slugs
from tests.site.conftest import World, get_page
from tests.site.test_figures_everywhere import by_class, dom

FIGURE = re.compile(r"^\d{4}-\d{2}:E\d{8}:[a-z_0-9]+$")


@pytest.fixture
def client() -> Client:
    return Client()


def side_by_side_figures(html: str) -> dict[tuple[str, str, str], str]:
    found = {}
    for span in dom(html).find(by_class("cp-side-figure")):
        key = span.attrs["data-figure"]
        assert FIGURE.match(key), key
        year, code, measure = key.split(":")
        found[(year, code, measure)] = span.find(by_class("cp-side-figure__value"))[0].text
    return found


def own_page_figures(html: str, code: str) -> dict[tuple[str, str, str], str]:
    """The council page's trend table, (year, code, measure) → text (no predecessors here)."""
    table = next(
        t
        for t in dom(html).find(lambda n: n.tag == "table")
        if t.find(lambda n: n.tag == "caption")[0].text.startswith("Key statistics by year")
    )
    columns = {2: "upheld_rate", 4: "compliance_rate", 5: "satisfactory_remedy_rate"}
    columns[6] = "upheld_per_100k"
    found = {}
    for row in table.find(lambda n: n.tag == "tr")[1:]:
        cells = [c.text for c in row.cells()]
        for index, measure in columns.items():
            found[(cells[0].split(" ")[0], code, measure)] = cells[index]
    return found


def test_three_councils_of_two_types_read_as_on_their_own_pages(
    client: Client, world: World
) -> None:
    chosen = (world.north, world.south, world.county)
    url = link([a.slug for a in chosen])
    assert url == f"/compare/?councils={world.north.slug},{world.south.slug},{world.county.slug}"
    page = get_page(client, url)
    assert page.h1 == ["North Borsetshire, South Borsetshire and Borsetshire side by side"]
    html = client.get(url).content.decode()
    shown = side_by_side_figures(html)
    expected: dict[tuple[str, str, str], str] = {}
    for authority in chosen:
        own = client.get(f"/councils/{authority.slug}/2019-20/").content.decode()
        expected |= own_page_figures(own, authority.gss_code)
    assert shown == expected
    assert shown[("2019-20", world.south.gss_code, "upheld_rate")] == "50%"  # 9 of 18
    assert shown[("2019-20", world.county.gss_code, "upheld_rate")] == "67%"  # 4 of 6
    # Every figure string in the tables is one of those checked.
    values = dom(html).find(lambda n: n.tag == "td" and "govuk-table__cell--numeric" in n.classes())
    assert len(values) == len(shown) == 3 * 4
    # One chart per measure, one line per council, with a key naming each.
    assert html.count('<svg class="cp-chart"') == 4
    assert [
        k.text for k in dom(html).find(by_class("cp-chart-key"))[0].find(lambda n: n.tag == "li")
    ] == ["North Borsetshire", "South Borsetshire", "Borsetshire"]
    # Nothing of the unpublished 2020-21: no year, no council that exists only then.
    assert "2020-21" not in page.text and "Newtown" not in page.text
    # Each council can be removed by a link that keeps the others.
    assert f"/compare/?councils={world.south.slug},{world.county.slug}" in page.links


def test_each_figure_has_its_interval_and_group_average(client: Client, world: World) -> None:
    """South Borsetshire, 9 of 18 upheld: Wilson 95 % interval 29% to 71%, so "50% (29%–71%)";
    the district average that year (0 + 9) / (2 + 18) = 45% beneath it; in the chart each dot
    has an error bar across its interval."""
    url = link([world.north.slug, world.south.slug, world.county.slug])
    html = client.get(url).content.decode()
    table = html.split('data-measure="upheld_rate"', 1)[1].split("</table>", 1)[0]
    south = table.split(f'data-figure="2019-20:{world.south.gss_code}:upheld_rate">', 1)[1]
    south = re.sub(r"<[^>]+>", " ", south.split("</td>", 1)[0])
    assert " ".join(south.split()) == "50% (29%–71%) Average of district councils: 45%"
    # One error bar per dot with an interval: 3 councils' upheld rates in 2019-20.
    chart = html.split('id="chart-upheld_rate-title"', 1)[1].split("</svg>", 1)[0]
    assert chart.count('class="cp-chart__error"') == 3
    assert chart.count("<circle") == 3


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("?councils=no-such-council,{north}", "No council with published figures is called"),
        ("?councils={newtown},{north}", "No council with published figures is called"),
        ("?councils=a,b,c,d,e,f,g", "Choose at most 6 councils"),
        ("?councils=%3Cscript%3E,{north}", "is not a council's address name"),
        ("?councils=-,{north}", "is not a council's address name"),
    ],
)
def test_addresses_that_cannot_be_compared_are_a_helpful_400(
    client: Client, world: World, query: str, problem: str
) -> None:
    url = "/compare/" + query.format(north=world.north.slug, newtown=world.newtown.slug)
    page = get_page(client, url, status=400)
    assert problem in page.text
    assert "Add a council" in page.text  # the way on: search for one
    assert "Newtown" not in page.text.replace("“" + world.newtown.slug + "”", "")
    assert "<script>" not in client.get(url).content.decode().split("<main", 1)[1]


@pytest.mark.parametrize(
    "query",
    ["?councils=north%00", "?councils=" + "a," * 120, "?add=" + "x" * 300, "?councils=a%0Ab"],
)
def test_control_characters_and_overlong_addresses_are_400(
    client: Client, db: None, query: str
) -> None:
    assert client.get("/compare/" + query).status_code == 400


def test_fewer_than_two_councils_asks_for_more(client: Client, world: World) -> None:
    page = get_page(client, f"/compare/?councils={world.north.slug}")
    assert "Add at least one more council to compare." in page.text
    assert "Complaints upheld by year" not in page.text
    empty = get_page(client, "/compare/")
    assert "Add two councils or more to compare." in empty.text
    # Written twice, or in capitals, a council counts once.
    twice = get_page(client, f"/compare/?councils={world.north.slug},{world.north.slug.upper()}")
    assert "Add at least one more council to compare." in twice.text


def test_the_search_box_adds_a_council_without_javascript(client: Client, world: World) -> None:
    one = client.get(f"/compare/?councils={world.north.slug}&add=south")
    assert one.status_code == 302
    assert one["Location"] == f"/compare/?councils={world.north.slug},{world.south.slug}"
    several = get_page(client, f"/compare/?councils={world.north.slug}&add=borsetshire")
    assert "Councils matching “borsetshire”" in several.text
    added = {unquote(h) for h in several.links if h.startswith("/compare/?councils=")}
    assert f"/compare/?councils={world.north.slug},{world.south.slug}" in added
    assert f"/compare/?councils={world.north.slug},{world.county.slug}" in added
    assert not any(world.newtown.slug in h for h in added)
    none = get_page(client, f"/compare/?councils={world.north.slug}&add=newtown")
    assert "No other council with published figures matches “newtown”." in none.text
    html = client.get(f"/compare/?councils={world.north.slug}").content.decode()
    form = html.split('aria-label="Add a council"', 1)[1].split("</form>", 1)[0]
    assert f'name="councils" value="{world.north.slug}"' in form and 'name="add"' in form


def test_read_slugs_and_link() -> None:
    assert read_slugs(" A ,b,,a, c-d ") == ["a", "b", "c-d"]
    assert read_slugs("") == []
    assert link([]) == "/compare/"
    assert link(["a", "b"]) == "/compare/?councils=a,b"
    assert link(["a"], add="x y") == "/compare/?councils=a&add=x+y"


def test_council_page_shows_neighbours_and_similar_sized_councils(
    client: Client, world: World
) -> None:
    for a, b in ((world.north, world.south), (world.north, world.newtown)):
        Border.objects.create(vintage="lower-test", tier="lower", authority=a, neighbour=b)
        Border.objects.create(vintage="lower-test", tier="lower", authority=b, neighbour=a)
    url = f"/councils/{world.north.slug}/2019-20/"
    page = get_page(client, url)
    html = client.get(url).content.decode()
    assert "Additional views beside the headline comparison" in page.text
    assert "councils are never ranked" in page.text
    tables = {
        t.attrs["data-neighbours"]: t
        for t in dom(html).find(lambda n: "data-neighbours" in n.attrs)
    }
    assert set(tables) == {"bordering", "similar"}
    rows = [r.attrs.get("data-code") for r in tables["bordering"].find(lambda n: n.tag == "tr")]
    assert rows == [None, None, world.south.gss_code]  # header, the council itself, South
    south = tables["bordering"].find(lambda n: n.attrs.get("data-code") == world.south.gss_code)[0]
    cells = south.cells()[2:]
    values = [c.find(by_class("cp-neighbour-value"))[0].text for c in cells]
    assert values == ["50%", "100%", "11%"]  # South's own figures
    # North has 2 detailed investigations and no compliance outcomes: never compared.
    words = [c.find(lambda n: n.tag == "strong")[0].text for c in cells]
    assert words == ["Too few cases to compare"] * 3
    # The similar-sized district councils of 2019-20: South only (Newtown is not published).
    similar = [
        r.attrs["data-code"] for r in tables["similar"].find(lambda n: "data-code" in n.attrs)
    ]
    assert similar == [world.south.gss_code]
    assert "Newtown" not in page.text
    assert f"/compare/?councils={world.north.slug}" in page.links  # add to comparison
    assert f"/compare/?councils={world.north.slug},{world.south.slug}" in page.links
    # A county borders on the upper tier only: here, nobody.
    county = get_page(client, f"/councils/{world.county.slug}/2019-20/")
    assert "No council borders Borsetshire on the map of 2019-20." in county.text
