"""Embargo: before publication an anonymous crawl of every public address — pages, search,
type-ahead, map data, downloads, sitemap, review and its PDF, letters — finds no figure and
no letter of the year, even though its letters have been sent: not its label, no date from
its first day to the end of the next year (ISO, "1 May 2022" or 01/05/2022), no council's
key statistic of the year, no letter.

One thing of the year is public by design: its release — the label, date and time, status
and any change's reason — on the release calendar (``/releases/``, ``/releases.ics``): the
Code of Practice for Statistics asks for release dates announced ahead. The crawl cuts exactly
that announcement (the year's card, the year's calendar event), checks it links to nothing,
and checks all the rest as before."""

from __future__ import annotations

import contextlib
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
from councilperf.statistics import cards
from councilperf.statistics import selectors as stats
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
CUT_OFF = ReportingYear.parse(YEAR).start  # nothing of a later year is published
# A date of the year's records: a decision in it, a compliance outcome or public report up to
# the end of the next year (pages' fixed text names later dates: a method change, say).
RECORDED_BY = ReportingYear.parse(YEAR).end.replace(year=ReportingYear.parse(YEAR).end.year + 1)
MONTHS = "January February March April May June July August September October November December"
DATES = (
    (re.compile(rb"\b(\d{4})-(\d{2})-(\d{2})\b"), (1, 2, 3)),
    (re.compile(rb"\b(\d{1,2})/(\d{2})/(\d{4})\b"), (3, 2, 1)),
    (
        re.compile(rb"\b(\d{1,2}) (" + "|".join(MONTHS.split()).encode() + rb") (\d{4})\b"),
        (3, 2, 1),
    ),
)


def dates_in(body: bytes) -> set[dt.date]:
    found = set()
    for pattern, (y, m, d) in DATES:
        for match in pattern.finditer(body):
            month = match.group(m)
            number = MONTHS.split().index(month.decode()) + 1 if month.isalpha() else int(month)
            with contextlib.suppress(ValueError):
                found.add(dt.date(int(match.group(y)), number, int(match.group(d))))
    return found


def key_statistics() -> list[re.Pattern[bytes]]:
    """Each council's key statistics of the year, as its page would show them."""
    shown = []
    for figures in stats.figures(year=ReportingYear.parse(YEAR), revision=1)[0].values():
        for s in cards.key_statistics(figures):
            if s.denominator:
                title, value = re.escape(s.title), re.escape(s.value)
                markup = rf"{title}</(?:h3|dt)>.{{0,400}}?>{value}</(?:span|strong)>"
                shown.append(re.compile(markup.encode(), re.DOTALL))
    return shown


_CARD = re.compile(
    rb'<div class="govuk-summary-card cp-release" id="release-' + YEAR.encode() + rb'".*?</dl>'
    rb"\s*</div>\s*</div>",
    re.DOTALL,
)
_EVENT = re.compile(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", re.DOTALL)


def without_announcement(body: bytes) -> bytes:
    """``body`` without the release calendar's announcement of the year (its card on
    ``/releases/``, its event in ``/releases.ics``), which must link to nothing of the year."""
    cut = _CARD.findall(body) + [
        e for e in _EVENT.findall(body) if f"UID:release-{YEAR}@".encode() in e
    ]
    for announcement in cut:
        assert b"href" not in announcement and b"/review/" not in announcement
        body = body.replace(announcement, b"")
    return body


def leaks(body: bytes, figures: list[re.Pattern[bytes]]) -> list[str]:
    """What of the embargoed year the body shows."""
    found = [YEAR] if YEAR.encode() in body else []
    found += [f"{d:%d %B %Y}" for d in dates_in(body) if CUT_OFF <= d <= RECORDED_BY]
    found += [f"the figure {p.pattern.decode()[:60]}" for p in figures if p.search(body)]
    return found


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
    figures = key_statistics()
    assert figures
    for address, body in pages.items():
        assert not leaks(without_announcement(body), figures), f"{address} shows the year"
        assert b"2022-23 annual review letter" not in body, f"{address} shows its letter"
        assert not body.startswith(b"%PDF") or all(body[:2000] != pdf for pdf in sent), address


def test_the_same_crawl_finds_the_year_and_its_letters_once_published(files, users, sink, settings):
    """The crawler can see the year: after publication it finds figures and letters."""
    settings.BUILD_DIR = files / "build"
    year = build_year(label=YEAR)
    approve(year, users["publisher"])
    sending.send_letters(year=ReportingYear.parse(YEAR), user=None)
    year.publication_date = timezone.localdate()
    year.publication_time = dt.time(0, 0)  # the moment has come (09:30 unless set)
    year.save()
    call_command("build_open_data", stdout=io.StringIO(), stderr=io.StringIO())
    cache.clear()
    pages = crawl(Client())
    showing = [address for address, body in pages.items() if YEAR.encode() in body]
    assert len(showing) > 10
    # The same checks see its dates and figures once they are public.
    figures = key_statistics()
    seen = [leak for body in pages.values() for leak in leaks(body, figures)]
    assert any(leak.startswith("the figure") for leak in seen)
    assert any(leak[0].isdigit() and leak.endswith(("2022", "2023")) for leak in seen)
    # The same crawl reaches the year's API answers and open data files once published.
    assert f"/api/v1/years/{YEAR}" in showing
    assert f"/downloads/{YEAR}/datapackage.json" in showing
    assert any(b"2022-23 annual review letter" in body for body in pages.values())
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
        assert YEAR.encode() not in without_announcement(body), f"{address} shows the year"
    assert YEAR.encode() in pages["/releases/"]  # announced, and delayed: not approved
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
