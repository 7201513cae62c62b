"""Annual review letters on the public site: an HTML page inside the site, and the PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from councilperf.letters.batch import ensure_letter
from councilperf.letters.models import Letter
from councilperf.years import ReportingYear
from tests.factories import make_contact
from tests.site.conftest import World, get_page


@pytest.fixture
def letter_world(world: World, tmp_path: Path) -> World:
    make_contact(authority=world.north, name="Mr Hickin", job_title="Director")
    ensure_letter(authority=world.north, year=ReportingYear(2019), out=tmp_path / "letters")
    return world


def test_council_page_links_to_the_letter_and_its_pdf(client: Client, letter_world: World) -> None:
    slug = letter_world.north.slug
    page = get_page(client, f"/councils/{slug}/2019-20/")
    assert "2019-20 annual review letter (sent July 2020)" in page.text
    assert f"/councils/{slug}/2019-20/letter/" in page.links
    assert f"/councils/{slug}/2019-20/letter.pdf" in page.links


def test_letter_page_shows_the_letter_as_sent(client: Client, letter_world: World) -> None:
    page = get_page(client, f"/councils/{letter_world.north.slug}/2019-20/letter/")
    assert "Dear Mr Hickin" in page.text
    assert "2 detailed investigations" in page.text
    assert "Office for National Statistics" in page.text  # the site's footer


def test_letter_pdf_is_served(client: Client, letter_world: World) -> None:
    response = client.get(f"/councils/{letter_world.north.slug}/2019-20/letter.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"%PDF")
    again = client.get(
        f"/councils/{letter_world.north.slug}/2019-20/letter.pdf",
        HTTP_IF_NONE_MATCH=response["ETag"],
    )
    assert again.status_code == 304


def test_no_letter_for_unpublished_years(client: Client, letter_world: World) -> None:
    slug = letter_world.north.slug
    assert client.get(f"/councils/{slug}/2020-21/letter/").status_code == 404
    assert client.get(f"/councils/{slug}/2020-21/letter.pdf").status_code == 404


def test_a_published_letter_without_its_file_is_a_logged_404_and_nothing_is_made(
    client: Client, letter_world: World, settings: Any, tmp_path: Path, caplog: Any
) -> None:
    settings.LETTERS_DIR = tmp_path / "lazy"
    south = letter_world.south
    assert not Letter.objects.filter(authority=south).exists()
    for address in ("letter.pdf", "letter/"):
        response = client.get(f"/councils/{south.slug}/2019-20/{address}")
        assert response.status_code == 404
    assert "letter file missing" in caplog.text
    assert not Letter.objects.filter(authority=south).exists()  # reads never write
    assert not (tmp_path / "lazy").exists()


def test_script_in_a_stored_letter_never_reaches_the_public_page(
    client: Client, letter_world: World
) -> None:
    # A letter file made before template bodies were cleaned (or edited on disk).
    letter = Letter.objects.get(authority=letter_world.north, review_year__year="2019-20")
    path = Path(letter.html_path)
    hostile = '<p onclick="x()">Hello</p><img src="x" onerror="alert(1)"><script>alert(2)</script>'
    path.write_text(path.read_text().replace("<main>", f"<main>{hostile}"))
    response = client.get(f"/councils/{letter_world.north.slug}/2019-20/letter/")
    page = response.content.decode()
    main = page[page.index("Hello") - 200 :]
    for absent in ("onerror", "onclick", "alert(", "<img"):
        assert absent not in main
    assert "Dear Mr Hickin" in page
