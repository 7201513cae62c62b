"""Revisions on the site: after a correction, the year's pages say "Revised on …: reason" and
link to the earlier revision's figures, read-only and not indexed; nothing else changes."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.site.conftest import World, decide

REASON = "Two decisions were recorded against the wrong council."


@pytest.fixture
def corrected(world: World) -> World:
    decide(world.north, "upheld", summary="A late-recorded decision")
    decide(world.north, "upheld", summary="Another late-recorded decision")
    correct_statistics(year=ReportingYear(2019), reason=REASON)
    cache.clear()
    return world


def _england_decisions(body: str) -> str:
    found = re.search(r">England</th><td[^>]*>([^<]*)</td>", body)
    assert found, body[:500]
    return found.group(1)


def test_pages_say_when_and_why_the_figures_were_revised(client: Client, corrected: World) -> None:
    today = f"{timezone.localdate():%-d %B %Y}"
    for url in ("/review/2019-20/", f"/councils/{corrected.north.slug}/2019-20/"):
        body = client.get(url).content.decode()
        assert f"Revised on {today}</strong>: {REASON}" in body, url
        assert 'href="/review/2019-20/revisions/1/"' in body, url


def test_an_earlier_revision_is_readable_and_not_indexed(client: Client, corrected: World) -> None:
    response = client.get("/review/2019-20/revisions/1/")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in body
    assert "These figures were replaced" in body
    north = re.search(r">North Borsetshire Council</th><td[^>]*>([^<]*)</td>", body)
    assert north and north.group(1) == "3"  # as first published, before the correction
    assert int(_england_decisions(body)) + 2 == _current_england_decisions(client)


def _current_england_decisions(client: Client) -> int:
    from councilperf.published import figures

    national = figures.national(ReportingYear(2019))
    assert national is not None
    return national.counts["decisions_made"]


@pytest.mark.parametrize(
    "url",
    [
        "/review/2019-20/revisions/2/",  # the current one: its page is the review itself
        "/review/2019-20/revisions/3/",
        "/review/2019-20/revisions/0/",
        "/review/2020-21/revisions/1/",  # not published
    ],
)
def test_only_earlier_revisions_of_published_years_have_pages(
    client: Client, corrected: World, url: str
) -> None:
    assert client.get(url).status_code == 404


def test_a_year_never_corrected_says_nothing(client: Client, world: World) -> None:
    body = client.get("/review/2019-20/").content.decode()
    assert "Revised on" not in body and "/revisions/" not in body
    assert client.get("/review/2019-20/revisions/1/").status_code == 404
