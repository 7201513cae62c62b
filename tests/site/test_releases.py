"""The release calendar (issue 29, point 1): each announced year's release with its date and
time and its status — announced, changed (with the reason), published (with a link to the
year's review) or delayed (its time passed, not approved) — the named contact, "Next release"
on the home and methods pages, and the iCalendar file of the releases to come, parsed with
the icalendar library. The year is public from its moment: 09:29 no, 09:30 yes."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from councilperf.distribution import dates
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.models import ReleaseChange, YearCycle
from councilperf.published.years import snapshot
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear
from tests.site.conftest import World

LONDON = ZoneInfo("Europe/London")
UPCOMING = ReportingYear.parse("2020-21")  # the world's frozen year, due in 2999
DAY = dt.date(2030, 7, 29)  # a summer day (British Summer Time: 09:30 is 08:30 UTC)


def status_of(html: str, year: str) -> str:
    found = re.search(rf'data-release="{year}" data-status="(\w+)"', html)
    assert found, f"no release of {year} on the calendar"
    return found.group(1)


def release_card(html: str, year: str) -> str:
    start = html.index(f'id="release-{year}"')
    return html[start : html.index("</dl>", start)]


def move(*, to: dt.date, reason: str, time: dt.time | None = None) -> ReviewYear:
    return dates.set_year_dates(
        year=UPCOMING,
        user=None,
        letter_date=to - dt.timedelta(days=7),
        publication_date=to,
        publication_time=time,
        reason=reason,
    )


def test_the_calendar_shows_each_release_with_its_status(client: Client, world: World) -> None:
    html = client.get("/releases/").content.decode()
    assert status_of(html, "2019-20") == "published"
    assert status_of(html, "2020-21") == "announced"
    assert "2021-22" not in html  # a draft: no release announced
    assert "29 July 2999 at 09:30" in html
    assert "29 July 2020 at 09:30" in html and 'href="/review/2019-20/"' in html
    # Nothing of the announced year but its release: no link to its pages.
    assert "/review/2020-21/" not in html and "/councils/" not in html
    assert "Alex Morgan (demonstration)" in html
    assert 'href="mailto:statistics@ombudsman.example"' in html


def test_a_moved_release_is_changed_with_its_reason(client: Client, world: World) -> None:
    with pytest.raises(CycleError, match="give the reason"):
        move(to=dt.date(2999, 8, 5), reason="  ")
    assert not ReleaseChange.objects.exists()
    move(to=dt.date(2999, 8, 5), reason="A late correction of a council's casework.")
    (change,) = ReleaseChange.objects.all()
    assert (change.old_date, change.new_date) == (dt.date(2999, 7, 29), dt.date(2999, 8, 5))
    assert change.old_time == change.new_time == dt.time(9, 30)
    assert change.changed_by == dates.COMMAND_LINE
    html = client.get("/releases/").content.decode()
    card = release_card(html, "2020-21")
    assert status_of(html, "2020-21") == "changed"
    assert "5 August 2999 at 09:30" in card
    assert "from 29 July 2999 at 09:30 to 5 August 2999 at 09:30" in card
    assert "A late correction of a council&#x27;s casework." in card


def test_a_release_time_alone_moves_too_and_is_recorded(world: World) -> None:
    move(to=dt.date(2999, 7, 29), time=dt.time(11, 0), reason="Clashes with another release.")
    (change,) = ReleaseChange.objects.all()
    assert (change.old_time, change.new_time) == (dt.time(9, 30), dt.time(11, 0))
    assert ReviewYear.objects.get(year="2020-21").publication_time == dt.time(11, 0)


def test_the_command_needs_a_reason_and_takes_a_time(world: World) -> None:
    args = ["set_year_dates", "--year", "2020-21", "--letter-date", "2999-07-20"]
    with pytest.raises(CommandError, match="give the reason"):
        call_command(*args, "--publication-date", "2999-07-30", stdout=io.StringIO())
    with pytest.raises(CommandError, match="HH:MM"):
        call_command(*args, "--publication-date", "2999-07-30", "--publication-time", "9.30")
    out = io.StringIO()
    call_command(
        *args,
        "--publication-date",
        "2999-07-30",
        "--publication-time",
        "10:15",
        "--reason",
        "Moved for the test.",
        stdout=out,
    )
    assert "publication date 2999-07-30 at 10:15" in out.getvalue()
    assert ReleaseChange.objects.get().reason == "Moved for the test."


def test_a_year_due_at_0930_is_public_at_0930_not_0929(client: Client, world: World) -> None:
    ReviewYear.objects.filter(year="2020-21").update(publication_date=DAY)
    with time_machine.travel(dt.datetime(2030, 7, 29, 9, 29, 59, tzinfo=LONDON), tick=False):
        assert snapshot().labels == ["2019-20"]
        assert client.get("/review/2020-21/").status_code == 404
        assert status_of(client.get("/releases/").content.decode(), "2020-21") == "announced"
    with time_machine.travel(dt.datetime(2030, 7, 29, 9, 30, tzinfo=LONDON), tick=False):
        assert snapshot().labels == ["2019-20", "2020-21"]
        assert client.get("/review/2020-21/").status_code == 200
        assert status_of(client.get("/releases/").content.decode(), "2020-21") == "published"


def test_a_release_past_its_time_and_not_approved_is_delayed(client: Client, world: World) -> None:
    ReviewYear.objects.filter(year="2020-21").update(publication_date=DAY)
    YearCycle.objects.filter(review_year__year="2020-21").update(approved_revision=None)
    with time_machine.travel(dt.datetime(2030, 7, 29, 9, 0, tzinfo=LONDON), tick=False):
        assert status_of(client.get("/releases/").content.decode(), "2020-21") == "announced"
    with time_machine.travel(dt.datetime(2030, 7, 29, 9, 35, tzinfo=LONDON), tick=False):
        html = client.get("/releases/").content.decode()
        assert status_of(html, "2020-21") == "delayed"
        assert "/review/2020-21/" not in html
        assert client.get("/review/2020-21/").status_code == 404


def test_next_release_on_the_home_and_methods_pages(client: Client, world: World) -> None:
    for address in ("/", "/about/"):
        html = client.get(address).content.decode()
        assert "Next release:</strong> 29 July 2999 at 09:30 (UK time)" in html, address
        assert 'href="/releases/"' in html
    upcoming = ReviewYear.objects.get(year="2020-21")
    upcoming.publication_time = dt.time(7, 0)
    upcoming.save()  # a saved row: a new cache generation
    assert "29 July 2999 at 07:00" in client.get("/about/").content.decode()


def test_the_icalendar_file_lists_the_releases_to_come(client: Client, world: World) -> None:
    response = client.get("/releases.ics")
    assert response["Content-Type"].startswith("text/calendar")
    parsed = icalendar.Calendar.from_ical(response.content)
    events = parsed.walk("VEVENT")
    assert len(events) == 1  # 2020-21; 2019-20 is published, 2021-22 not announced
    (event,) = events
    start = event.decoded("DTSTART")
    assert start == dt.datetime(2999, 7, 29, 9, 30, tzinfo=LONDON)
    assert str(event["DTSTART"].params["TZID"]) == "Europe/London"
    assert parsed.walk("VTIMEZONE"), "the zone the times refer to is in the file"
    assert event.decoded("DTSTAMP").utcoffset() == dt.timedelta(0)
    assert "2020-21" in str(event["SUMMARY"])
    uid = str(event["UID"])
    assert event.decoded("SEQUENCE") == 0
    move(to=dt.date(2999, 8, 5), reason="Moved for the test.")
    (moved,) = icalendar.Calendar.from_ical(client.get("/releases.ics").content).walk("VEVENT")
    assert str(moved["UID"]) == uid  # the same release, updated in the reader's calendar
    assert moved.decoded("SEQUENCE") == 1
    assert moved.decoded("DTSTART") == dt.datetime(2999, 8, 5, 9, 30, tzinfo=LONDON)
    assert "Moved for the test." in str(moved["DESCRIPTION"])


def test_the_icalendar_file_of_demo_data_says_so(client: Client, demo_world: World) -> None:
    body = client.get("/releases.ics").content.decode()
    assert "Demonstration data" in body


def test_the_calendar_pages_are_cached_and_never_write(client: Client, world: World) -> None:
    addresses = ["/releases/", "/releases.ics", "/releases.atom", "/accessibility/", "/robots.txt"]
    for address in addresses:
        with CaptureQueriesContext(connection) as queries:
            first = client.get(address)
        assert first.status_code == 200, address
        writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
        assert writes == [], address
        assert first["X-Page-Cache"] == "miss", address
        assert client.get(address)["X-Page-Cache"] == "hit", address
