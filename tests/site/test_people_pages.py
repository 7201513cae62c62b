"""Pages that fit people: a letter named by its reporting year and saved as a file, and the
404 of a known council's unknown year listing that council's years."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from councilperf.letters.batch import ensure_letter
from councilperf.published.letters import letter_title
from councilperf.years import ReportingYear
from tests.factories import make_contact
from tests.site.conftest import World, get_page


@pytest.fixture
def letter_world(world: World, tmp_path: Path) -> World:
    make_contact(authority=world.north, name="Mr Hickin", job_title="Director")
    ensure_letter(authority=world.north, year=ReportingYear(2019), out=tmp_path / "letters")
    return world


def test_letter_title_names_the_reporting_year_and_when_it_was_sent() -> None:
    import datetime as dt

    sent = dt.date(2020, 7, 22)
    assert letter_title(ReportingYear(2019), sent) == (
        "2019-20 annual review letter (sent July 2020)"
    )
    assert letter_title(ReportingYear(2023), None) == "2023-24 annual review letter"


def test_letters_are_listed_by_reporting_year_and_download_as_files(
    client: Client, letter_world: World
) -> None:
    slug = letter_world.north.slug
    html = client.get(f"/councils/{slug}/2019-20/").content.decode()
    assert "2019-20 annual review letter (sent July 2020)" in html
    assert "Annual review letter 2020" not in html
    download = (
        f'href="/councils/{slug}/2019-20/letter.pdf" '
        f'download="{slug}-2019-20-annual-review-letter.pdf"'
    )
    assert download in html
    letter = client.get(f"/councils/{slug}/2019-20/letter/").content.decode()
    assert download in letter
    page = get_page(client, f"/councils/{slug}/2019-20/letter/")
    assert page.title.startswith("2019-20 annual review letter (sent July 2020)")


def test_a_known_councils_unknown_year_lists_its_years(client: Client, world: World) -> None:
    slug = world.south.slug
    for address in (f"/councils/{slug}/2030-31/", f"/councils/{slug}/2020-21/"):
        response = client.get(address)
        assert response.status_code == 404
        html = response.content.decode()
        assert 'id="council-years"' in html
        assert f'href="/councils/{slug}/2019-20/"' in html
        assert "South Borsetshire Council" in html
        assert "2020-21" not in html.split('id="council-years"')[1].split("</ul>")[0]
        assert 'id="nearest-councils"' not in html  # no "did you mean" another council
    # An unknown council still gets the nearest names.
    response = client.get("/councils/south-borsetshre/2030-31/")
    assert 'id="nearest-councils"' in response.content.decode()
    assert 'id="council-years"' not in response.content.decode()
