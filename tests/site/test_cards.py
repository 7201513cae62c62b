"""Link cards (og:image): PNG images of a council's three key figures, built by the
publication job's step (``site.builds.build_cards``) and only read by the pages."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from councilperf.site import sharing
from councilperf.site.builds import build_cards
from councilperf.site.presentation.card import DEMO, HEIGHT, WIDTH, draw_card
from councilperf.years import ReportingYear
from tests.site.conftest import World, build_world

YEAR = ReportingYear(2019)


@pytest.fixture
def build(settings: Any, tmp_path: Path) -> Path:
    settings.BUILD_DIR = tmp_path / "build"
    settings.SITE_URL = "https://councils.example.org"
    return Path(settings.BUILD_DIR)


def files(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` with its modification time."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def image(data: bytes) -> Image.Image:
    found = Image.open(io.BytesIO(data))
    found.load()
    return found


def test_the_build_step_draws_a_card_per_council_and_the_site_card(db: None, build: Path) -> None:
    world = build_world()
    written = build_cards(years=[YEAR])
    cards = sorted(p.name for p in (build / "cards" / "2019-20").glob("*.png"))
    expected = sorted(f"{a.slug}.png" for a in (world.north, world.south, world.county))
    assert set(expected) <= set(cards) and f"{world.newtown.slug}.png" not in cards
    assert sharing.site_card_path().is_file()
    assert written == len(cards) + 1
    card = image(sharing.card_path(YEAR, world.south.slug).read_bytes())
    assert card.format == "PNG" and card.size == (WIDTH, HEIGHT)
    # Built again with nothing changed: no file is rewritten.
    before = files(build)
    assert build_cards(years=[YEAR]) == 0
    assert files(build) == before


def test_demonstration_data_is_labelled_on_the_card() -> None:
    figures = [("Complaints upheld", "50%"), ("Compliance", "100%"), ("Remedies", "–")]
    demo = image(draw_card(heading="South", subheading="2019-20", figures=figures, demo=True))
    real = image(draw_card(heading="South", subheading="2019-20", figures=figures, demo=False))
    red = Image.new("RGB", (1, 1), DEMO).getpixel((0, 0))
    assert demo.convert("RGB").getpixel((5, HEIGHT - 5)) == red
    assert real.convert("RGB").getpixel((5, HEIGHT - 5)) != red
    # Different figures draw a different card (the figures are on it).
    other = [("Complaints upheld", "51%"), *figures[1:]]
    assert draw_card(heading="South", subheading="2019-20", figures=other, demo=False) != (
        draw_card(heading="South", subheading="2019-20", figures=figures, demo=False)
    )


def test_the_pages_og_image_answers_with_the_png(client: Client, db: None, build: Path) -> None:
    world = build_world()
    build_cards(years=[YEAR])
    html = client.get(f"/councils/{world.south.slug}/").content.decode()
    (address,) = re.findall(r'<meta property="og:image" content="([^"]*)"', html)
    assert address == f"https://councils.example.org/councils/{world.south.slug}/2019-20/card.png"
    response = client.get(address.removeprefix("https://councils.example.org"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body == sharing.card_path(YEAR, world.south.slug).read_bytes()
    again = client.get(address, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    # Pages without a card of their own show the site's card.
    about = client.get("/about/").content.decode()
    assert '<meta property="og:image" content="https://councils.example.org/card.png">' in about
    site = client.get("/card.png")
    assert site.status_code == 200 and site["Content-Type"] == "image/png"


def test_a_missing_card_falls_back_to_the_site_card_and_nothing_is_drawn_on_request(
    client: Client, world: World, build: Path
) -> None:
    # Nothing built: the card addresses are 404s (logged), and no request builds one.
    assert client.get(f"/councils/{world.south.slug}/2019-20/card.png").status_code == 404
    assert client.get("/card.png").status_code == 404
    assert not (build / "cards").exists()
    # Only the site card built: a council's card address answers with it.
    sharing.site_card_path().parent.mkdir(parents=True)
    site_png = draw_card(heading="Site", subheading="", figures=(), demo=False)
    sharing.site_card_path().write_bytes(site_png)
    response = client.get(f"/councils/{world.south.slug}/2019-20/card.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == site_png  # type: ignore[attr-defined]


def test_anonymous_reads_write_nothing(client: Client, db: None, build: Path) -> None:
    world = build_world()
    build_cards(years=[YEAR])
    before = files(build)
    south = f"/councils/{world.south.slug}/2019-20/"
    for url in (
        f"/councils/{world.south.slug}/",
        south,
        south + "card.png",
        south + "chart.csv",
        south + "chart.svg",
        "/compare/2019-20/district/funnel-upheld.svg",
        "/review/2019-20/chart-rates.csv",
        "/card.png",
    ):
        assert client.get(url).status_code == 200, url
    assert files(build) == before
