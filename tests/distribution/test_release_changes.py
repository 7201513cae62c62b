"""Moving an announced release (issue 29): the staff page takes the publication time and,
when the date or time of a frozen year's release changes, a reason — recorded (who, when, old,
new, why) by ``dates.set_year_dates`` alone; the covering email gives the time with the date;
freezing sets the time too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.distribution import composing, messages
from councilperf.distribution.models import ReleaseChange
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear

pytestmark = pytest.mark.django_db


def post_dates(client: Client, year: ReviewYear, **fields: str) -> str:
    assert year.letter_date is not None
    data = {"letter_date": year.letter_date.isoformat(), **fields}
    response = client.post(f"/staff/{year.year}/dates/", data, follow=True)
    return response.content.decode()


def test_the_staff_form_moves_a_release_only_with_a_reason(year: ReviewYear, users, client):
    client.force_login(users["analyst"])
    page = client.get(f"/staff/{year.year}/").content.decode()
    assert 'id="dates_publication_time" name="publication_time" type="time" value="09:30"' in page
    assert 'id="dates_reason" name="reason"' in page
    later = (timezone.localdate() + dt.timedelta(days=21)).isoformat()
    refused = post_dates(client, year, publication_date=later, publication_time="10:00")
    assert "give the reason for moving it" in refused
    assert not ReleaseChange.objects.exists()
    done = post_dates(
        client,
        year,
        publication_date=later,
        publication_time="10:00",
        reason="The figures need another week of checks.",
    )
    assert "at 10:00" in done
    year.refresh_from_db()
    assert year.publication_date == dt.date.fromisoformat(later)
    assert year.publication_time == dt.time(10)
    (change,) = ReleaseChange.objects.all()
    assert change.changed_by == "analyst"
    assert change.old_time == dt.time(9, 30) and change.new_time == dt.time(10)
    assert change.reason == "The figures need another week of checks."
    page = client.get(f"/staff/{year.year}/").content.decode()
    assert "Reason: The figures need another week of checks." in page
    assert "at 10:00 (UK time)" in page


def test_a_letter_date_alone_needs_no_reason(year: ReviewYear, users, client):
    client.force_login(users["analyst"])
    assert year.letter_date is not None and year.publication_date is not None
    new_letter = year.letter_date + dt.timedelta(days=1)
    post_dates(
        client,
        year,
        letter_date=new_letter.isoformat(),
        publication_date=year.publication_date.isoformat(),
    )
    year.refresh_from_db()
    assert year.letter_date == new_letter
    assert not ReleaseChange.objects.exists()


def test_a_bad_time_is_refused(year: ReviewYear, users, client):
    client.force_login(users["analyst"])
    assert year.publication_date is not None
    page = post_dates(
        client,
        year,
        publication_date=year.publication_date.isoformat(),
        publication_time="half nine",
        reason="x",
    )
    assert "give the publication time as HH:MM" in page
    year.refresh_from_db()
    assert year.publication_time == dt.time(9, 30)


def test_the_covering_email_gives_the_time(year: ReviewYear):
    ReviewYear.objects.filter(pk=year.pk).update(publication_time=dt.time(11, 15))
    year.refresh_from_db()
    authority = Authority.objects.order_by("pk").first()
    assert authority is not None
    letter = composing.describe(
        authority=authority,
        review_year=year,
        revision=1,
        corrected=False,
        synthetic=False,
    )
    text = messages.body(letter, name="Chief executive")
    assert year.publication_date is not None
    assert "at 11:15 (UK time)" in text
    assert ReportingYear.parse(year.year) == letter.year
