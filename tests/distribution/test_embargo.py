"""Embargo: before publication an anonymous crawl of every public address — pages, search,
type-ahead, map data, downloads, sitemap, review and its PDF, letters — finds no figure and
no letter of the year, even though its letters have been sent."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections import deque
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from councilperf.distribution import sending
from councilperf.distribution.models import SentLetter
from councilperf.letters import batch
from councilperf.years import ReportingYear
from tests.distribution.conftest import approve, authorities, build_year

pytestmark = pytest.mark.django_db

SAVED = Path(__file__).parent.parent / "site" / "public_urls.txt"
LIMIT = 600  # pages crawled at most
OPEN_DATA = ("authorities", "statistics", "decisions", "service-improvements", "compliance")


def seeds() -> list[str]:
    """Every saved public pattern, filled in with each council, the year, each group…"""
    fills = {
        "<slug:slug>": [a.slug for a in authorities()],
        "<year:year>": [YEAR],
        "<tier:tier>": ["upper", "lower"],
        "<slug:digest>": ["0" * 12],
        "<group:group>": ["county", "district", "metropolitan", "unitary", "london"],
        "<format:fmt>": ["csv", "xlsx", "json"],
        # The open data: the API's operations, the built downloads, the embed card.
        "<year>": [YEAR],
        "<code>": [a.gss_code for a in authorities()],
        "<open_file:name>": [
            *(f"{r}.{f}" for r in OPEN_DATA for f in ("csv", "xlsx", "json")),
            "datapackage.json",
            f"council-performance-{YEAR}.zip",
        ],
        "<revision:revision>": ["1"],
        "<path:rest>": ["nothing"],
    }
    found = []
    for line in SAVED.read_text().splitlines():
        if not line.startswith("/"):
            continue
        addresses = [line]
        for token, values in fills.items():
            addresses = (
                [a.replace(token, v) for a in addresses for v in values]
                if any(token in a for a in addresses)
                else addresses
            )
        found += addresses
    names = [a.short_name for a in authorities()]
    found += [f"/search/?q={n}" for n in names] + [f"/councils.json?q={n[:4]}" for n in names]
    return found


def crawl(client: Client) -> dict[str, bytes]:
    seen: dict[str, bytes] = {}
    queue = deque(seeds())
    while queue and len(seen) < LIMIT:
        address = queue.popleft()
        if address in seen:
            continue
        response = client.get(address)
        body = (
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
            if response.streaming
            else response.content
        )
        seen[address] = body
        for link in re.findall(rb'href="(/[^"#]*)"', body):
            target = link.decode().replace("&amp;", "&")
            if not target.startswith(("/static/", "/staff/", "/admin/")):
                queue.append(target)
    return seen


YEAR = "2022-23"  # a year no page's example text mentions


def test_nothing_of_the_year_is_public_before_publication(files, users, sink, settings):
    settings.BUILD_DIR = files / "build"
    year = build_year(label=YEAR)
    approve(year, users["publisher"])
    sending.send_letters(year=ReportingYear.parse(YEAR), user=None)
    assert SentLetter.objects.count() == 3
    call_command("build_open_data", stdout=io.StringIO(), stderr=io.StringIO())
    cache.clear()
    pages = crawl(Client())
    assert len(pages) > 20
    sent = [Path(s.pdf_path).read_bytes()[:2000] for s in SentLetter.objects.all()]
    for address, body in pages.items():
        assert YEAR.encode() not in body, f"{address} shows the embargoed year"
        assert b"Annual review letter 2023" not in body, f"{address} shows its letter"
        assert not body.startswith(b"%PDF") or all(body[:2000] != pdf for pdf in sent), address


def test_the_same_crawl_finds_the_year_and_its_letters_once_published(files, users, sink, settings):
    """The crawler can see the year: after publication it finds figures and letters."""
    settings.BUILD_DIR = files / "build"
    year = build_year(label=YEAR)
    approve(year, users["publisher"])
    sending.send_letters(year=ReportingYear.parse(YEAR), user=None)
    year.publication_date = timezone.localdate()
    year.save()
    call_command("build_open_data", stdout=io.StringIO(), stderr=io.StringIO())
    cache.clear()
    pages = crawl(Client())
    showing = [address for address, body in pages.items() if YEAR.encode() in body]
    assert len(showing) > 10
    # The same crawl reaches the year's API answers and open data files once published.
    assert f"/api/v1/years/{YEAR}" in showing
    assert f"/downloads/{YEAR}/datapackage.json" in showing
    sent = {s.pdf_sha256 for s in SentLetter.objects.all()}
    served = {hashlib.sha256(b).hexdigest() for b in pages.values() if b.startswith(b"%PDF")}
    assert sent <= served


def test_a_year_past_its_date_is_not_public_until_approved(files, users, settings):
    """Published means approved: frozen, with a publication date already past, but not yet
    approved by a publisher, the year is nowhere — every saved public address, the API and
    the open data (each address naming the year is a 404). Approval makes it public at once."""
    settings.BUILD_DIR = files / "build"
    year = build_year(label=YEAR)
    year.publication_date = timezone.localdate() - dt.timedelta(days=1)
    year.save()
    batch.generate_letters(
        year=ReportingYear.parse(YEAR), processes=1
    )  # the letters carry the year's dates
    call_command("build_open_data", stdout=io.StringIO(), stderr=io.StringIO())
    cache.clear()
    client = Client()
    pages = crawl(client)
    assert len(pages) > 20
    for address, body in pages.items():
        assert YEAR.encode() not in body, f"{address} shows the unapproved year"
    naming = [a for a in seeds() if YEAR in a]
    assert len(naming) > 30
    for address in naming:
        assert client.get(address).status_code == 404, address
    assert not (files / "build" / "opendata" / YEAR).exists()

    approve(year, users["publisher"])
    call_command("build_open_data", stdout=io.StringIO(), stderr=io.StringIO())
    pages = crawl(Client())
    showing = [address for address, body in pages.items() if YEAR.encode() in body]
    assert f"/api/v1/years/{YEAR}" in showing
    assert f"/downloads/{YEAR}/datapackage.json" in showing
    assert f"/review/{YEAR}/" in showing
