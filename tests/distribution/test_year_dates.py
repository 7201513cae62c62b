"""One source of each date: the review year's letter and publication dates are what every
letter (HTML and PDF), email and page says, whatever the template's year had by default;
staff change them until the letters are sent (``set_year_dates``)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from councilperf.distribution import dates, lifecycle, readiness, sending
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.models import YearCycle
from councilperf.letters import batch
from councilperf.letters.models import Letter
from councilperf.letters.wording import long_date
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear
from tests.distribution.conftest import approve, build_year
from tests.letters.pdftools import pdftotext

pytestmark = pytest.mark.django_db

YEAR = ReportingYear.parse("2024-25")  # its template starts from 2025's defaults (May dates)


@pytest.fixture
def year_2024(files: Path) -> ReviewYear:
    return build_year(label=YEAR.label)


def test_every_letter_and_email_shows_the_dates_staff_set(year_2024, users, sink):
    today = timezone.localdate()
    letter_date, publication = today + dt.timedelta(days=3), today + dt.timedelta(days=40)
    dates.set_year_dates(
        year=YEAR,
        user=users["analyst"],
        letter_date=letter_date,
        publication_date=publication,
        reason="The test moves it.",
    )
    batch.generate_letters(year=YEAR, processes=1)
    approve(year_2024, users["publisher"])
    sending.send_letters(year=YEAR, user=None)
    letters = list(Letter.objects.filter(review_year=year_2024))
    assert len(letters) == 3
    for letter in letters:
        for text in (Path(letter.html_path).read_text(), pdftotext(Path(letter.pdf_path))):
            flat = " ".join(text.split())
            assert long_date(letter_date) in flat and long_date(publication) in flat
            # 2025's own dates, which the template's defaults once put in every letter:
            assert "21 May 2025" not in flat and "16 July 2025" not in flat
    bodies = [
        item.message.get_payload()[0].get_payload(decode=True).decode() for item in sink.received
    ]
    assert bodies and all(f"published on {long_date(publication)}" in b for b in bodies)


def test_the_dates_rule_refuses_order_and_asks_to_confirm_a_past_date(year_2024, users):
    today = timezone.localdate()
    with pytest.raises(CycleError, match="must come after the letter date"):
        dates.set_year_dates(year=YEAR, user=None, letter_date=today, publication_date=today)
    past = today - dt.timedelta(days=1)
    with pytest.raises(CycleError, match="not in the future"):
        dates.set_year_dates(
            year=YEAR, user=None, letter_date=past - dt.timedelta(days=9), publication_date=past
        )
    changed = dates.set_year_dates(
        year=YEAR,
        user=None,
        letter_date=past - dt.timedelta(days=9),
        publication_date=past,
        reason="The test moves it.",
        confirm_past=True,
    )
    assert changed.publication_date == past
    with pytest.raises(CycleError, match="not in the future"):
        lifecycle.require_dates(letter_date=past, publication_date=today, confirm_past=False)


def test_changing_the_dates_outdates_the_letters_and_withdraws_approval(year_2024, users):
    approve(year_2024, users["publisher"])
    assert lifecycle.stage(year_2024) is lifecycle.Stage.APPROVED
    today = timezone.localdate()
    dates.set_year_dates(
        year=YEAR,
        user=users["analyst"],
        letter_date=today + dt.timedelta(days=5),
        publication_date=today + dt.timedelta(days=50),
        reason="The test moves it.",
    )
    year_2024.refresh_from_db()
    assert YearCycle.objects.get(review_year=year_2024).approved_revision is None
    report = readiness.readiness(review_year=year_2024)
    letters = next(check for check in report.checks if check.key == "letters")
    assert letters.problems and "3 letter(s) missing or out of date" in letters.problems[0]


def test_the_dates_cannot_change_once_letters_are_sent(year_2024, users, sink):
    approve(year_2024, users["publisher"])
    sending.send_letters(year=YEAR, user=None)
    today = timezone.localdate()
    with pytest.raises(CycleError, match="have been sent"):
        dates.set_year_dates(
            year=YEAR,
            user=None,
            letter_date=today + dt.timedelta(days=1),
            publication_date=today + dt.timedelta(days=9),
        )


def test_set_year_dates_command_and_the_staff_form(year_2024, users, client):
    today = timezone.localdate()
    out = io.StringIO()
    first, second = today + dt.timedelta(days=2), today + dt.timedelta(days=20)
    call_command(
        "set_year_dates",
        "--year",
        YEAR.label,
        "--letter-date",
        first.isoformat(),
        "--publication-date",
        second.isoformat(),
        "--reason",
        "The test moves it.",
        stdout=out,
    )
    assert f"letter date {first}, publication date {second} at 09:30" in out.getvalue()
    with pytest.raises(CommandError, match="must come after"):
        call_command(
            "set_year_dates",
            "--year",
            YEAR.label,
            "--letter-date",
            second.isoformat(),
            "--publication-date",
            first.isoformat(),
        )
    client.force_login(users["analyst"])
    page = client.get(f"/staff/{YEAR.label}/").content.decode()
    assert f'action="/staff/{YEAR.label}/dates/"' in page
    later = today + dt.timedelta(days=30)
    client.post(
        f"/staff/{YEAR.label}/dates/",
        {
            "letter_date": first.isoformat(),
            "publication_date": later.isoformat(),
            "reason": "Moved by the test.",
        },
    )
    year_2024.refresh_from_db()
    assert year_2024.publication_date == later
    client.force_login(users["publisher"])
    client.post(
        f"/staff/{YEAR.label}/dates/",
        {
            "letter_date": first.isoformat(),
            "publication_date": second.isoformat(),
            "reason": "Moved by the test.",
        },
    )
    year_2024.refresh_from_db()
    assert year_2024.publication_date == later  # the publisher's role may not
