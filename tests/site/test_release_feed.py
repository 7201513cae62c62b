"""The Atom feed of releases and corrections (parsed with feedparser), linked from every page's
head; the accessibility statement (the GOV.UK model's sections, linked from the footer); and
robots.txt (the sitemap as an absolute address, private paths disallowed)."""

from __future__ import annotations

import datetime as dt

import feedparser
from django.conf import settings
from django.test import Client

from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.site.conftest import Page, World

FEED_LINK = '<link rel="alternate" type="application/atom+xml"'


def parse(client: Client) -> feedparser.FeedParserDict:
    response = client.get("/releases.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    found = feedparser.parse(response.content)
    assert not found.bozo, found.get("bozo_exception")
    assert found.version == "atom10"
    return found


def test_the_feed_has_an_entry_per_published_release(
    client: Client, world: World, settings
) -> None:
    settings.SITE_URL = "http://testserver.example"
    feed = parse(client)
    (entry,) = feed.entries  # 2019-20; 2020-21 is only announced
    assert entry.title == "2019-20 figures published"
    assert entry.link == "http://testserver.example/review/2019-20/"
    assert entry.id == "http://testserver.example/review/2019-20/#release"
    assert "29 July 2020 at 09:30" in entry.summary
    # 09:30 British Summer Time is 08:30 UTC.
    assert entry.updated_parsed[:5] == (2020, 7, 29, 8, 30)
    assert feed.feed.link == "http://testserver.example/releases/"
    assert feed.feed.author_detail.email == "statistics@ombudsman.example"
    assert "2020-21" not in client.get("/releases.atom").content.decode()


def test_each_correction_is_an_entry_with_its_reason(client: Client, world: World) -> None:
    correct_statistics(year=ReportingYear(2019), reason="A Felpersham decision was missing.")
    feed = parse(client)
    titles = [e.title for e in feed.entries]
    assert titles == ["2019-20 figures corrected: revision 2", "2019-20 figures published"]
    correction = feed.entries[0]
    assert correction.summary == "Reason: A Felpersham decision was missing."
    assert correction.id.endswith("/review/2019-20/#revision-2")
    assert dt.date(*correction.updated_parsed[:3]) >= dt.date(2026, 1, 1)  # when it was made


def test_the_feed_of_demo_data_says_so(client: Client, demo_world: World) -> None:
    feed = parse(client)
    assert "Demonstration data" in feed.feed.subtitle
    assert all("Demonstration data" in e.summary for e in feed.entries)


def test_every_page_links_the_feed_and_the_footer_the_statement(
    client: Client, world: World
) -> None:
    for address in ("/", "/about/", "/councils/", "/review/2019-20/", "/releases/"):
        html = client.get(address).content.decode()
        feed = f"{settings.SITE_URL}/releases.atom"  # absolute, from SITE_URL
        assert f'{FEED_LINK} title="Releases and corrections" href="{feed}">' in html
        assert 'class="govuk-footer__link" href="/accessibility/"' in html, address


def test_the_accessibility_statement_has_the_model_sections(client: Client, world: World) -> None:
    page = Page(client.get("/accessibility/").content.decode())
    assert page.h1 == ["Accessibility statement for Your council's performance"]
    for section in (
        "compliance-status",
        "known-issues",
        "reporting",
        "enforcement",
        "preparation",
    ):
        assert section in page.ids, section
    assert "partially compliant with the Web Content Accessibility Guidelines" in page.text
    assert "Equality and Human Rights Commission (EHRC)" in page.text
    assert "Equality Commission for Northern Ireland (ECNI)" in page.text
    assert "This statement was prepared on 7 December 2026" in page.text
    assert "mailto:statistics@ombudsman.example" in page.links
    # Known issues found by the validators (issue 29), each with the criterion it fails.
    for issue in ("artifacts", "alternative text", "1.4.10 (Reflow)", "2.4.11"):
        assert issue in page.text, issue


def test_robots_txt(client: Client, world: World, settings) -> None:
    settings.SITE_URL = "https://councils.ombudsman.example"
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/staff/", "/council/", "/api/", "/preview/", "/admin/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: https://councils.ombudsman.example/sitemap.xml" in lines
    assert not any(line == "Disallow: /" for line in lines)
