"""The council page links to its alerts form, with the council chosen."""

from __future__ import annotations

from django.test import Client

from tests.site.conftest import World


def test_the_council_page_offers_alerts_for_that_council(world: World) -> None:
    page = Client().get(f"/councils/{world.north.slug}/2019-20/").content.decode()
    href = f"/alerts/?council={world.north.slug}"
    assert f'<a class="govuk-link" href="{href}">Get alerts for this council</a>' in page
    form = Client().get(href).content.decode()
    assert f'<option value="{world.north.slug}" selected>' in form
