"""The councils' own complaint handling beside the ombudsman's figures on the group page and
side by side: labelled as the councils', "Not reported" never zero, public years only."""

from __future__ import annotations

import pytest
from django.test import Client

from councilperf.portal.models import ComplaintReturn
from tests.portal.factories_public import make_return, open_returns
from tests.site.conftest import Page, World

pytestmark = pytest.mark.django_db
NOT_VERIFIED = "Reported by the council; not verified by the ombudsman"


def rows(html: str, table: str) -> dict[str, str]:
    """Each council's row of the table ``table`` as text, by GSS code."""
    start = html.index(f'id="{table}"')
    body = html[start : html.index("</table>", start)]
    found = {}
    for part in body.split('data-code="')[1:]:
        code, rest = part.split('"', 1)
        found[code] = Page(rest.split("</tr>", 1)[0]).text.lstrip("> ")
    return found


def test_the_group_page_shows_each_councils_own_measures(client: Client, world: World) -> None:
    make_return(world.south)
    make_return(world.north, status=ComplaintReturn.Status.DRAFT)
    html = client.get("/compare/2019-20/district/").content.decode()
    assert NOT_VERIFIED in Page(html).text
    found = rows(html, "compare-own")
    assert found[world.north.gss_code].endswith("Not reported")
    assert "0" not in found[world.north.gss_code]
    assert "80% 30%" in found[world.south.gss_code]  # in time, upheld at stage 1
    assert found[world.south.gss_code].endswith("75% 25% 15%")


def test_the_group_page_has_no_such_table_for_a_year_never_opened(
    client: Client, world: World
) -> None:
    html = client.get("/compare/2019-20/district/").content.decode()
    assert 'id="compare-own"' not in html


def test_side_by_side_shows_the_chosen_councils_own_handling(client: Client, world: World) -> None:
    open_returns()
    make_return(world.unitary)
    make_return(world.north, "2020-21")  # embargoed: never shown
    url = f"/compare/?councils={world.unitary.slug},{world.north.slug}"
    html = client.get(url).content.decode()
    found = rows(html, "own-2019-20")
    assert found[world.unitary.gss_code].startswith("Felpersham 20.0 80% 30% 2.7 75% 25% 15%")
    assert found[world.north.gss_code].endswith("Not reported")
    assert 'id="own-2020-21"' not in html
