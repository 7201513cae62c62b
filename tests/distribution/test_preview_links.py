"""A council's preview link opens until the publication day, by the clock (time-machine
moves it; the year's dates stay as they are), and never for a tampered, reshaped or stale
token, nor for a year that is not frozen."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from councilperf.distribution import preview
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear
from tests.factories import make_review_year

pytestmark = pytest.mark.django_db

PUBLISHED = dt.date(2020, 7, 29)
LONDON = timezone.get_fixed_timezone(60)  # British Summer Time, as on the publication day


def frozen_year() -> ReviewYear:
    year = make_review_year(publication_date=PUBLISHED)
    ReviewYear.objects.filter(pk=year.pk).update(status=ReviewYear.Status.FROZEN)
    year.refresh_from_db()
    return year


def at(day: dt.date, hour: int, minute: int = 0) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour, minute), LONDON), tick=False)


def test_the_link_opens_until_midnight_before_publication_and_never_after():
    year = frozen_year()
    token = preview.make_token(code="E07000001", review_year=year)
    eve = PUBLISHED - dt.timedelta(days=1)
    with at(eve, 23, 59):
        assert preview.read_token(token) == preview.Preview(
            code="E07000001", year=ReportingYear.parse("2019-20")
        )
    with at(PUBLISHED, 0, 0):
        assert preview.read_token(token) is None
    with at(PUBLISHED + dt.timedelta(days=30), 12):
        assert preview.read_token(token) is None
    year.refresh_from_db()
    assert year.publication_date == PUBLISHED  # the clock moved, not the year's date


def test_a_link_for_a_moved_date_or_a_year_no_longer_frozen_is_worth_nothing():
    year = frozen_year()
    token = preview.make_token(code="E07000001", review_year=year)
    with at(PUBLISHED - dt.timedelta(days=3), 9):
        assert preview.read_token(token) is not None
        ReviewYear.objects.filter(pk=year.pk).update(publication_date=dt.date(2020, 8, 5))
        assert preview.read_token(token) is None  # made for the 29th; the year now says the 5th
        ReviewYear.objects.filter(pk=year.pk).update(publication_date=PUBLISHED)
        assert preview.read_token(token) is not None
        ReviewYear.objects.filter(pk=year.pk).update(status=ReviewYear.Status.DRAFT)
        assert preview.read_token(token) is None


def test_the_token_is_read_against_its_own_year():
    earlier = make_review_year(year="2018-19", publication_date=dt.date(2019, 7, 31))
    ReviewYear.objects.filter(pk=earlier.pk).update(status=ReviewYear.Status.FROZEN)
    year = frozen_year()
    token = preview.make_token(code="E07000001", review_year=year)
    with at(PUBLISHED - dt.timedelta(days=3), 9):
        found = preview.read_token(token)
    assert found is not None and found.year == ReportingYear.parse("2019-20")


def test_tampered_or_reshaped_tokens_are_refused():
    year = frozen_year()
    token = preview.make_token(code="E07000001", review_year=year)
    with at(PUBLISHED - dt.timedelta(days=3), 9):
        assert preview.read_token(token[:-2] + "xx") is None
        assert preview.read_token(signing.dumps({"a": "E07000001"}, salt="other")) is None
        for payload in (["E07000001", "2019-20"], {"a": "E07000001", "y": "2019-20"}):
            assert preview.read_token(signing.dumps(payload, salt=preview.SALT)) is None
        full = {"a": "E07000001", "y": "2019-20", "p": PUBLISHED.isoformat()}
        assert preview.read_token(signing.dumps(full, salt=preview.SALT)) is not None


def test_no_token_for_a_year_without_a_publication_date():
    year = make_review_year(publication_date=None)
    with pytest.raises(ValueError, match="2019-20 has no publication date"):
        preview.make_token(code="E07000001", review_year=year)


def test_the_link_is_the_site_address_of_the_preview_page(settings):
    settings.SITE_URL = "https://ombudsman.example"
    year = frozen_year()
    url = preview.preview_url(code="E07000001", review_year=year)
    token = url.removeprefix("https://ombudsman.example/preview/").removesuffix("/")
    assert url.startswith("https://ombudsman.example/") and token
    assert signing.loads(token, salt=preview.SALT) == {
        "a": "E07000001",
        "y": "2019-20",
        "p": "2020-07-29",
    }
