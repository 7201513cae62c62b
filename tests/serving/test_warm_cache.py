"""warm_cache: every cacheable page of the published years is in the cache afterwards."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from councilperf.serving.warm import links, wanted, warm
from councilperf.years import ReportingYear
from tests.site.conftest import World


@pytest.fixture
def published(world: World, settings, tmp_path) -> World:
    """The world with what the publish step builds ahead: the review PDF of each year."""
    settings.BUILD_DIR = tmp_path / "build"
    call_command("build_review_pdfs", stdout=io.StringIO())
    return world


def test_warming_fills_the_cache_for_browsers_and_plain_clients(
    client: Client, published: World
) -> None:
    world = published
    out = io.StringIO()
    call_command("warm_cache", stdout=out)
    assert "pages of 2019-20" in out.getvalue()
    for url in (
        "/",
        "/?year=2019-20",
        f"/councils/{world.south.slug}/",
        f"/councils/{world.south.slug}/2019-20/",
        "/compare/2019-20/district/",
        "/review/2019-20/",
        "/review/2019-20/review.pdf",
        "/downloads/2019-20/statistics.csv",
        "/map-data/2019-20/figures.json",
    ):
        assert client.get(url)["X-Page-Cache"] == "hit", url
        assert client.get(url, HTTP_ACCEPT_ENCODING="gzip")["X-Page-Cache"] == "hit", url


def test_warming_starts_a_new_generation(client: Client, published: World) -> None:
    call_command("warm_cache", stdout=io.StringIO())
    first = client.get("/about/")
    call_command("warm_cache", year="2019-20", stdout=io.StringIO())
    again = client.get("/about/")
    assert again["X-Page-Cache"] == "hit" and again.content == first.content


def test_nothing_to_warm_and_bad_years(world: World) -> None:
    out = io.StringIO()
    call_command("warm_cache", year="2020-21", stdout=out)  # frozen but not yet published
    assert "No published year" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("warm_cache", year="2019", stdout=io.StringIO())


def test_which_links_are_followed(world: World) -> None:
    years = frozenset({ReportingYear(2019)})
    assert wanted("/councils/x/2019-20/", years)
    assert not wanted("/councils/x/2018-19/", years)
    assert wanted("/councils/x/", years)
    assert not wanted("/councils/x/2019-20/letter.pdf", years)  # cached on first view
    assert not wanted("/admin/", years) and not wanted("/sitemap.xml", years)
    body = b'<a href="/about/">a</a> <a href="/?year=2019-20">b</a> <a href="https://x.org/">c</a>'
    assert links(body) == ["/about/"]


def test_a_missing_built_file_fails_the_warming(world: World, settings, tmp_path) -> None:
    settings.BUILD_DIR = tmp_path / "nothing-built"
    with pytest.raises(CommandError, match="failed"):
        call_command("warm_cache", stdout=io.StringIO(), stderr=io.StringIO())


def test_every_cached_page_names_the_site_url_not_the_warming_host(
    client: Client, published: World, settings
) -> None:
    """The warmer renders over http with the first allowed host (127.0.0.1): no cached page
    may carry that in its canonical link, og:url, og:image or oEmbed link."""
    settings.SITE_URL = "https://councils.example.org"
    report = warm()
    assert not report.failed
    pages = 0
    for url in report.warmed:
        response = client.get(url)
        assert response["X-Page-Cache"] == "hit", url
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        pages += 1
        canonical = re.findall(r'<link rel="canonical" href="([^"]*)"', html)
        og_url = re.findall(r'<meta property="og:url" content="([^"]*)"', html)
        og_image = re.findall(r'<meta property="og:image" content="([^"]*)"', html)
        assert len(canonical) == len(og_url) == len(og_image) == 1, url
        assert og_url == canonical, url
        for address in (canonical[0], og_image[0]):
            assert address.startswith("https://councils.example.org/"), (url, address)
        assert "http://127.0.0.1" not in html and "//testserver" not in html, url
    assert pages >= 8  # the home page, the review, the compare pages, the council pages…
    council = f"/councils/{published.south.slug}/2019-20/"
    assert council in report.warmed and f"/councils/{published.south.slug}/" in report.warmed
