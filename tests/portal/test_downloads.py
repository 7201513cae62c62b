"""The case-level spreadsheet in the portal: the letter email's spreadsheet (one builder),
only after the letter was sent, each download logged once with who and when — never for
someone else's request — and listed on the year page for colleagues."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone
from openpyxl import load_workbook

from councilperf.distribution.spreadsheet import SHEETS, casework_xlsx
from councilperf.portal.models import AccessEvent
from councilperf.years import ReportingYear
from tests.distribution.conftest import _pdfs_rendered_once, files  # noqa: F401
from tests.portal.factories_year import YearWorld, member, year_world

pytestmark = [pytest.mark.django_db]
YEAR = ReportingYear(2019)


@pytest.fixture
def world(files: Path) -> YearWorld:  # noqa: F811
    return year_world()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cases_of(world: YearWorld) -> str:
    return reverse("portal:cases", args=[world.sent.slug, YEAR])


def test_the_download_is_the_letters_spreadsheet_private_and_an_attachment(
    world: YearWorld,
) -> None:
    response = signed_in(world.officer).get(cases_of(world))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        f'attachment; filename="complaints-2019-20-{world.sent.gss_code}.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    same = load_workbook(
        io.BytesIO(casework_xlsx(authority=world.sent, year=YEAR, synthetic=False))
    )  # the same builder (compared cell by cell: a workbook's bytes carry when it was made)
    assert book.sheetnames == same.sheetnames == list(SHEETS)
    for name in SHEETS:
        assert list(book[name].values) == list(same[name].values)
    assert book[SHEETS[1]].max_row == 2 + world.sent.cases.count()


def test_each_download_is_logged_once_with_who_which_council_and_year(world: YearWorld) -> None:
    client = signed_in(world.officer)
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.DOWNLOAD).count() == 0
    client.get(cases_of(world))
    client.get(cases_of(world))
    events = list(AccessEvent.objects.filter(kind=AccessEvent.Kind.DOWNLOAD).order_by("id"))
    assert len(events) == 2  # one per request
    for event in events:
        assert (event.user, event.username) == (world.officer, "officer")
        assert (event.authority, event.review_year) == (world.sent, world.review_year)
        assert event.detail == "cases.xlsx"


def test_a_head_request_downloads_nothing_and_logs_nothing(world: YearWorld) -> None:
    client = signed_in(world.officer)
    assert client.head(cases_of(world)).status_code == 200
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.DOWNLOAD).exists()


def test_no_download_and_no_log_for_another_council_or_anyone_signed_out(
    world: YearWorld,
) -> None:
    assert signed_in(world.other).get(cases_of(world)).status_code == 404
    assert Client().get(cases_of(world)).status_code == 302
    before_sent = reverse("portal:cases", args=[world.unsent.slug, YEAR])
    member(world.officer, world.unsent)  # a member of a council whose letter is not sent
    assert signed_in(world.officer).get(before_sent).status_code == 404
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.DOWNLOAD).exists()


def test_a_post_is_refused_and_not_logged(world: YearWorld) -> None:
    assert signed_in(world.officer).post(cases_of(world)).status_code == 405
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.DOWNLOAD).exists()


def test_the_year_page_lists_earlier_downloads_for_colleagues(world: YearWorld) -> None:
    signed_in(world.officer).get(cases_of(world))
    colleague = User.objects.create_user(username="colleague", password="pw")
    member(colleague, world.sent)
    page = signed_in(colleague).get(reverse("portal:year", args=[world.sent.slug, YEAR]))
    text = page.content.decode()
    assert 'id="downloads"' in text and "Olive" in text  # the officer's name
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.DOWNLOAD)
    assert dateformat.format(timezone.localtime(event.at), "j F Y, H:i") in text  # when
    other_page = signed_in(world.other).get(reverse("portal:year", args=[world.sent.slug, YEAR]))
    assert other_page.status_code == 404
