"""Staff's returns page: who may open a year for returns, every council of the year with its
status (counts, filter), reopening a submitted return."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from councilperf.portal.models import ComplaintReturn, ReturnPeriod
from tests.factories import make_authority, make_review_year
from tests.portal.factories_returns import YEAR, make_period, make_staff

pytestmark = pytest.mark.django_db
LIST = f"/staff/{YEAR}/returns/"


def as_staff(role: str) -> Client:
    client = Client()
    client.force_login(make_staff(role))
    return client


def make_return(council: Any, period: ReturnPeriod, status: str, **fields: Any) -> None:
    ComplaintReturn.objects.create(
        authority=council,
        review_year=period.review_year,
        status=status,
        updated_at=timezone.now(),
        **fields,
    )


@pytest.mark.parametrize("role", ["analyst", "publisher", "administrator"])
def test_staff_open_a_year_for_returns_with_a_deadline(role: str) -> None:
    make_review_year(year=YEAR)
    client = as_staff(role)
    assert "not open for councils" in client.get(LIST).content.decode()
    assert ReturnPeriod.objects.count() == 0  # reading wrote nothing
    answer = client.post(LIST, {"deadline": "30/06/2027"})
    assert answer.status_code == 302
    period = ReturnPeriod.objects.get()
    assert period.deadline == dt.date(2027, 6, 30) and period.review_year.year == YEAR
    client.post(LIST, {"deadline": "2027-07-31"})
    assert ReturnPeriod.objects.get().deadline == dt.date(2027, 7, 31)


def test_a_bad_deadline_is_named_and_kept_as_typed() -> None:
    make_review_year(year=YEAR)
    answer = as_staff("analyst").post(LIST, {"deadline": "31/02/2027"})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "The deadline must be a real date" in page and 'value="31/02/2027"' in page
    before = as_staff("analyst").post(LIST, {"deadline": "01/01/2026"})
    assert "on or after 1 April 2026" in before.content.decode()
    assert ReturnPeriod.objects.count() == 0


def test_people_without_a_staff_role_are_refused() -> None:
    make_period()
    client = Client()
    client.force_login(make_staff("publisher").__class__.objects.create_user(username="nobody"))
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {"deadline": "30/06/2027"}).status_code == 403
    assert Client().get(LIST).status_code == 302


def test_every_council_of_the_year_with_its_status_counts_and_filter() -> None:
    period = make_period()
    today = timezone.localdate()
    ReturnPeriod.objects.update(deadline=today + dt.timedelta(days=10))
    period.refresh_from_db()
    names = ["Ambridge", "Borchester", "Churchford", "Darrington", "Edgeley"]
    councils = {n: make_authority(name=n, years=(YEAR,)) for n in names}
    make_authority(name="Gone", years=(YEAR,), end_date=dt.date(2026, 12, 31))
    make_authority(name="Elsewhen", years=("2025-26",))
    make_return(councils["Borchester"], period, "draft")
    make_return(councils["Churchford"], period, "ready")
    make_return(councils["Darrington"], period, "submitted", signed_off_at=timezone.now())
    page = as_staff("analyst").get(LIST).content.decode()
    for name in names:
        assert name in page
    assert "Gone" not in page and "Elsewhen" not in page
    assert 'data-status="not_started">Not started' in page
    assert 'data-status="draft">Draft' in page
    assert 'data-status="ready">Waiting for sign-off' in page
    assert 'data-status="submitted">Submitted' in page
    assert "Councils (5)" in page
    assert '<a class="govuk-link" href="?status=not_started">Not started</a>: 2' in page
    drafts = as_staff("analyst").get(LIST, {"status": "draft"}).content.decode()
    assert "Borchester" in drafts and "Ambridge" not in drafts and "Darrington" not in drafts


def test_after_the_deadline_councils_not_submitted_are_late() -> None:
    period = make_period(deadline=dt.date(2026, 5, 1))
    late, on_time, after = (make_authority(name=n, years=(YEAR,)) for n in ("Ay", "Be", "Ce"))
    make_return(late, period, "ready")
    make_return(
        on_time, period, "submitted", signed_off_at=dt.datetime(2026, 4, 30, 12, tzinfo=dt.UTC)
    )
    make_return(after, period, "submitted", signed_off_at=dt.datetime(2026, 5, 2, tzinfo=dt.UTC))
    page = as_staff("publisher").get(LIST).content.decode()
    assert 'data-status="late">Late' in page
    assert 'data-status="submitted">Submitted<' in page
    assert 'data-status="submitted_late">Submitted late' in page


def test_a_publisher_reopens_a_submitted_return_an_analyst_may_not() -> None:
    period = make_period()
    council = make_authority(name="Ay", years=(YEAR,))
    make_return(council, period, "submitted", signed_off_at=timezone.now())
    address = f"/staff/{YEAR}/returns/{council.slug}/reopen/"
    assert as_staff("analyst").post(address).status_code == 403
    assert as_staff("publisher").get(address).status_code == 405
    assert ComplaintReturn.objects.get().status == "submitted"
    assert as_staff("publisher").post(address).status_code == 302
    row = ComplaintReturn.objects.get()
    assert row.status == "draft" and row.signed_off_at is None


def test_staff_read_a_councils_return_and_a_publisher_may_reopen_it_from_there() -> None:
    period = make_period()
    council = make_authority(name="Ay", years=(YEAR,))
    make_return(council, period, "submitted", stage1_received=412, signed_off_at=timezone.now())
    address = f"/staff/{YEAR}/returns/{council.slug}/"
    listed = as_staff("analyst").get(LIST).content.decode()
    assert f'href="{address}">Ay</a>' in listed
    analyst_view = as_staff("analyst").get(address).content.decode()
    assert "412" in analyst_view and "not verified by the ombudsman" in analyst_view
    assert "Reopen" not in analyst_view
    assert "Reopen Ay" in as_staff("publisher").get(address).content.decode()
    assert as_staff("analyst").get(f"/staff/{YEAR}/returns/nowhere/").status_code == 404
