"""Every public page with DEBUG off and the static files as production serves them: collected
into a compressed manifest (gzip and brotli) and served by WhiteNoise under hashed names."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from councilperf.alerts import subscriptions
from councilperf.alerts.models import Subscription
from councilperf.letters.batch import ensure_letter
from councilperf.site import mapdata
from councilperf.site.builds import build_cards
from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.factories import make_contact
from tests.site.conftest import World, build_world, get_page
from tests.site.test_routes import SAVED

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
HASHED = re.compile(r"/static/([\w/.-]+\.[0-9a-f]{12}\.\w+)")


@pytest.fixture(scope="session")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=MANIFEST_STORAGE):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production(settings: Any, collected: Path, tmp_path: Path, db: None) -> World:
    settings.DEBUG = False
    settings.STATIC_ROOT = collected
    settings.STORAGES = MANIFEST_STORAGE
    settings.BUILD_DIR = tmp_path / "build"
    settings.LETTERS_DIR = tmp_path / "letters"
    world = build_world()
    correct_statistics(
        year=ReportingYear(2019), reason="A correction, so that revision 1 has a page."
    )
    call_command("build_map_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("build_review_pdfs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    build_cards(years=[ReportingYear(2019)])
    call_command("build_open_data", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))  # noqa: SIM115
    make_contact(authority=world.south, name="Ms Aldridge", job_title="Chief Executive")
    ensure_letter(authority=world.south, year=ReportingYear(2019))
    return world


def concrete_urls(world: World) -> dict[str, str]:
    """One real address for each saved public pattern."""
    shapes = mapdata.read_manifest()["2019-20"]["lower"]["hash"]
    slug = world.south.slug
    return {
        "/": "/",
        "/about/": "/about/",
        "/councils.json": "/councils.json",
        "/councils/": "/councils/",
        "/councils/<slug:slug>/": f"/councils/{slug}/",
        "/councils/<slug:slug>/<year:year>/": f"/councils/{slug}/2019-20/",
        "/councils/<slug:slug>/<year:year>/letter.pdf": f"/councils/{slug}/2019-20/letter.pdf",
        "/councils/<slug:slug>/<year:year>/letter/": f"/councils/{slug}/2019-20/letter/",
        "/healthz": "/healthz",
        "/map-data/<year:year>/<tier:tier>-<slug:digest>.json": (
            f"/map-data/2019-20/lower-{shapes}.json"
        ),
        "/map-data/<year:year>/figures.json": "/map-data/2019-20/figures.json",
        "/search/": "/search/?q=borsetshire",
        "/sitemap.xml": "/sitemap.xml",
        "/releases/": "/releases/",
        "/releases.ics": "/releases.ics",
        "/releases.atom": "/releases.atom",
        "/accessibility/": "/accessibility/",
        "/robots.txt": "/robots.txt",
        "/compare/<year:year>/<group:group>/": "/compare/2019-20/district/",
        "/compare/": f"/compare/?councils={world.north.slug},{slug},{world.county.slug}",
        "/downloads/": "/downloads/",
        "/downloads/<year:year>/statistics.<format:fmt>": "/downloads/2019-20/statistics.xlsx",
        "/review/": "/review/2019-20/",
        "/review/<year:year>/": "/review/2019-20/",
        "/review/<year:year>/review.pdf": "/review/2019-20/review.pdf",
        "/review/<year:year>/revisions/<int:number>/": "/review/2019-20/revisions/1/",
        **chart_urls(world),
        **open_data_urls(world),
        **alerts_urls(),
    }


def alerts_urls() -> dict[str, str]:
    """The alerts form and its two links (a confirmation pending, a subscription kept)."""
    now = timezone.now()
    pending = Subscription.objects.create(
        email="reader@example.org",
        scope="all",
        confirm_hash=subscriptions.digest("confirm-token"),
        confirm_expires=now + dt.timedelta(hours=1),
        unsubscribe_token="unsubscribe-token",
        created_at=now,
    )
    assert subscriptions.pending(token="confirm-token") == pending
    return {
        "/alerts/": "/alerts/",
        "/alerts/confirm/<str:token>/": "/alerts/confirm/confirm-token/",
        "/alerts/unsubscribe/<str:token>/": "/alerts/unsubscribe/unsubscribe-token/",
    }


def chart_urls(world: World) -> dict[str, str]:
    """The link cards and every chart's CSV and SVG (site.dataviews)."""
    slug = world.south.slug
    councils = f"{world.north.slug},{slug}"
    return {
        "/card.png": "/card.png",
        "/councils/<slug:slug>/<year:year>/card.png": f"/councils/{slug}/2019-20/card.png",
        "/councils/<slug:slug>/<year:year>/chart.<slug:fmt>": f"/councils/{slug}/2019-20/chart.svg",
        "/compare/<year:year>/<group:group>/funnel-<slug:metric>.<slug:fmt>": (
            f"/compare/2019-20/district/funnel-upheld.csv?council={slug}"
        ),
        "/compare/chart-<slug:measure>.<slug:fmt>": (
            f"/compare/chart-upheld_rate.svg?councils={councils}"
        ),
        "/review/<year:year>/chart-<slug:chart>.<slug:fmt>": "/review/2019-20/chart-rates.svg",
        "/map-data/<year:year>/map-<tier:tier>-<slug:metric>.<slug:fmt>": (
            "/map-data/2019-20/map-lower-upheld_rate.svg?colour=value"
        ),
    }


def open_data_urls(world: World) -> dict[str, str]:
    """The API, the open data downloads and the embed card (councilperf/api)."""
    code, slug = world.south.gss_code, world.south.slug
    page = f"/councils/{slug}/"
    return {
        "/api/": "/api/",
        "/api/oembed": f"/api/oembed?url=http://testserver{page}",
        "/api/v1/": "/api/v1/",
        "/api/v1/<path:rest>": "/api/v1/years",  # the 404 for unknown addresses: any known one
        "/api/v1/openapi.json": "/api/v1/openapi.json",
        "/api/v1/authorities": "/api/v1/authorities",
        "/api/v1/authorities/<code>": f"/api/v1/authorities/{code}",
        "/api/v1/authorities/<code>/figures": f"/api/v1/authorities/{code}/figures",
        "/api/v1/figures": "/api/v1/figures?measure=upheld_rate",
        "/api/v1/years": "/api/v1/years",
        "/api/v1/years/<year>": "/api/v1/years/2019-20",
        "/api/v1/years/<year>/complaint-handling": "/api/v1/years/2019-20/complaint-handling",
        "/api/v1/years/<year>/decisions": "/api/v1/years/2019-20/decisions",
        "/api/v1/years/<year>/replies": "/api/v1/years/2019-20/replies",
        "/api/v1/years/<year>/figures": "/api/v1/years/2019-20/figures",
        "/api/v1/years/<year>/figures/<code>": f"/api/v1/years/2019-20/figures/{code}",
        "/api/v1/years/<year>/groups": "/api/v1/years/2019-20/groups",
        "/api/v1/years/<year>/letters/<code>": f"/api/v1/years/2019-20/letters/{code}",
        "/api/v1/years/<year>/service-improvements": "/api/v1/years/2019-20/service-improvements",
        "/downloads/<year:year>/<open_file:name>": "/downloads/2019-20/datapackage.json",
        "/downloads/all-years/<open_file:name>": "/downloads/all-years/datapackage.json",
        "/downloads/<year:year>/revisions/<revision:revision>/<open_file:name>": (
            "/downloads/2019-20/decisions.json"  # no earlier revision here: the latest's file
        ),
        "/embed/councils/<slug:slug>/": f"/embed/councils/{slug}/",
        "/embed/councils/<slug:slug>/<year:year>/": f"/embed/councils/{slug}/2019-20/",
    }


def test_every_public_page_renders_with_debug_off(production: World) -> None:
    urls = concrete_urls(production)
    saved = {
        line.strip()
        for line in SAVED.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert set(urls) == saved, "a public address is not rendered here: add it"
    client = Client(raise_request_exception=True)
    static: set[str] = set()
    for pattern, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, f"{pattern}: {url} gave {response.status_code}"
        if response["Content-Type"].startswith("text/html"):
            get_page(client, url)  # a title, one h1, unique ids
            html = response.content.decode()
            assert 'href="/static/site/dist/site.css"' not in html  # hashed names only
            static.update(HASHED.findall(html))
    assert any(name.startswith("site/dist/site.") for name in static)
    for name in sorted(static):
        served = client.get(f"/static/{name}", HTTP_ACCEPT_ENCODING="br, gzip")
        assert served.status_code == 200, name
        assert "immutable" in served["Cache-Control"], name


def test_the_404_page_is_the_sites_own_with_debug_off(production: World) -> None:
    client = Client(raise_request_exception=True)
    for url in ("/councils/south-borsetshre/", "/councils/south-borsetshre/2019-20/", "/nowhere/"):
        page = get_page(client, url, status=404)
        assert page.h1 == ["Page not found"], url
        html = client.get(url).content.decode()
        assert HASHED.search(html) and 'aria-label="Site menu"' in html, url
        assert "URLconf" not in html and "Traceback" not in html, url
    html = client.get("/councils/south-borsetshre/").content.decode()
    assert f'href="/councils/{production.south.slug}/"' in html


def test_static_files_are_compressed_with_gzip_and_brotli(collected: Path) -> None:
    css = sorted(collected.glob("site/dist/site.*.css"))
    assert css, "no hashed stylesheet"
    for path in css:
        assert path.with_name(path.name + ".gz").is_file()
        assert path.with_name(path.name + ".br").is_file()


def test_a_missing_manifest_entry_is_a_500_not_a_debug_page(
    production: World, settings: Any
) -> None:
    settings.STATIC_ROOT = Path(settings.BUILD_DIR) / "empty"
    response = Client(raise_request_exception=False).get("/about/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
