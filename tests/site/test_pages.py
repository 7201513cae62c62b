"""Every public page, parsed: a title, one h1, unique ids, and what it must say."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from councilperf.site.pages.council import DECISIONS_PER_PAGE
from tests.site.conftest import World, decide, get_page


def _text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def table_rows(html: str, table_id: str) -> dict[str, list[str]]:
    """A table's body rows, by the text of their first cell: every cell's text, exactly."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody", 1)[1]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = [_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


def key_statistic(html: str, code: str) -> tuple[str, str]:
    """A council page's key statistic: its big figure and the similar councils' average."""
    section = html.split(f'<section class="cp-stat" id="{code}"', 1)[1].split("</section>")[0]
    big = re.search(r'<span class="cp-stat__big">(.*?)</span>', section, re.S)
    peer = re.search(r"Average of similar councils: <strong>(.*?)</strong>", section, re.S)
    return (_text(big.group(1)) if big else "", _text(peer.group(1)) if peer else "")


def decision_references(html: str) -> list[str]:
    return re.findall(r"Reference (\d\d \d+ \d+) · decided", _text(html))


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
    html = client.get("/?tier=lower&metric=upheld_rate&year=2019-20").content.decode()
    # Exact cells, council by council: a "0%" substring would also be found inside "50%".
    assert table_rows(html, "figures-table") == {
        # Under the small-number rule (fewer than 5): marked, and sorted last (data-sort-last).
        "Felpersham": ["Unitary Councils", "100% too few", "1"],
        "North Borsetshire": ["District Councils", "0% too few", "2"],  # 0 of 2
        "South Borsetshire": ["District Councils", "50%", "18"],  # 9 of 18
    }


def test_no_council_under_the_threshold_is_ranked_or_coloured(client: Client, world: World) -> None:
    """North Borsetshire (0 of 2) is under the small-number rule: its table cell says "too few"
    and sorts last whichever way (data-sort-last); the map's figures mark it small, so the
    script hatches it, and the year's class breaks are taken without it."""
    html = client.get("/?tier=lower&metric=upheld_rate&year=2019-20").content.decode()
    cells = re.findall(r"<td [^>]*data-sort-value[^>]*>[^<]*(?:<span[^>]*>[^<]*</span>)?", html)
    small = [c for c in cells if "too few" in c]
    assert len(small) == 2 and all("data-sort-last" in c for c in small)
    assert not any("data-sort-last" in c for c in cells if "too few" not in c)
    data = client.get("/map-data/2019-20/figures.json").json()
    north = data["authorities"][world.north.gss_code]
    assert north["small"]["upheld_rate"] is True
    assert data["authorities"][world.south.gss_code]["small"]["upheld_rate"] is False
    # Only South Borsetshire (9 of 18) counts on the lower tier: one class, no breaks.
    assert data["breaks"]["lower"]["upheld_rate"] == []
    assert data["threshold"] == 5
    assert "Too few cases to compare (fewer than 5)" in html


def test_council_page_says_what_the_letter_says(client: Client, world: World) -> None:
    page = get_page(client, f"/councils/{world.north.slug}/2019-20/")
    html = client.get(f"/councils/{world.north.slug}/2019-20/").content.decode()
    assert page.h1 == ["North Borsetshire Council"]
    # 0 of 2; the district average is (0 + 9) / (2 + 18)
    assert key_statistic(html, "upheld_rate") == ("0%", "45%")
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
    html = client.get(f"/councils/{world.south.slug}/").content.decode()
    assert key_statistic(html, "upheld_rate") == ("50%", "45%")
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


def test_decisions_filter(client: Client, world: World) -> None:
    url = f"/councils/{world.south.slug}/?outcome=upheld&service_area=housing"
    page = get_page(client, url)
    chosen = r"(^| )4 decisions in \d{4}-\d{2} match the service area and outcome chosen\."
    assert re.search(chosen, page.text)
    assert "Page 1 of" not in page.text  # one page: no pagination
    every_year = get_page(client, f"/councils/{world.south.slug}/?decision_year=all")
    assert re.search(r"(^| )\d+ decisions in all published years\.", every_year.text)


def test_decisions_pagination(client: Client, world: World) -> None:
    """More decisions than a page holds: page 2 shows the rest, none twice, none lost."""
    extra = DECISIONS_PER_PAGE + 3 - 1  # Felpersham has 1 decision in 2019-20 already
    for i in range(extra):
        decide(world.unitary, "not_upheld", day=dt.date(2019, 6, 1) + dt.timedelta(days=i))
    base = f"/councils/{world.unitary.slug}/2019-20/"  # a page lists its own year's decisions
    first, second = (client.get(f"{base}?page={n}").content.decode() for n in (1, 2))
    count = rf"(^| ){DECISIONS_PER_PAGE + 3} decisions in 2019-20\."
    assert re.search(count, _text(first))
    assert "Page 1 of 2" in _text(first) and "Page 2 of 2" in _text(second)
    on_first, on_second = decision_references(first), decision_references(second)
    assert (len(on_first), len(on_second)) == (DECISIONS_PER_PAGE, 3)
    assert not set(on_first) & set(on_second)
    assert 'rel="next"' in first and 'rel="prev"' in second and 'rel="next"' not in second
    get_page(client, f"{base}?page=2")  # a proper page too


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
