"""The letter email carries the letter and a link to the council's year in its portal, not
the case-level spreadsheet — unless the year's cycle says ``attach_case_spreadsheet``, when
the spreadsheet is attached as before (and no portal link is given). The preview link for
the chief executive stays, as a fallback. The email is stored as composed, once."""

from __future__ import annotations

import email
import io
from email.message import Message
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook

from councilperf.distribution import lifecycle, messages, record, roles
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.models import SentLetter, YearCycle
from councilperf.distribution.spreadsheet import SHEETS
from councilperf.letters.models import Letter
from councilperf.statistics.models import ReviewYear
from tests.distribution.conftest import approve, authorities, make_user

pytestmark = pytest.mark.django_db


def send_first(year: ReviewYear) -> SentLetter:
    authority = authorities()[0]
    return record.record_sent_letter(
        authority=authority,
        review_year=year,
        letter=Letter.objects.get(authority=authority, review_year=year),
        corrected=False,
        everyone=messages.recipients(authority=authority, monitoring_officer=False),
    )


def stored(letter: SentLetter) -> Message:
    data = record.read_checked(letter.email_path, letter.email_sha256)
    return email.message_from_bytes(data)


def files_of(message: Message) -> dict[str, bytes]:
    return {
        str(p.get_filename()): bytes(p.get_payload(decode=True))
        for p in message.walk()
        if p.get_filename()
    }


def body_of(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return bytes(part.get_payload(decode=True)).decode()


def portal_address(slug: str) -> str:
    return f"{settings.SITE_URL}/council/{slug}/2019-20/"


def test_by_default_the_email_links_to_the_portal_and_attaches_no_spreadsheet(
    year: ReviewYear,
) -> None:
    assert not lifecycle.cycle_of(year).attach_case_spreadsheet  # the default
    letter = send_first(year)
    message = stored(letter)
    names = sorted(files_of(message))
    assert names == [f"annual-review-letter-2020-{letter.authority.gss_code}.pdf"]
    assert not any(name.endswith(".xlsx") for name in names)
    body = body_of(message)
    assert portal_address(letter.authority.slug) in body
    assert "/preview/" in body  # the chief executive's fallback stays
    assert "Each download is recorded" in body
    assert "Without a portal account, until then you can see the council's page" in body
    assert letter.xlsx_sha256 == ""  # nothing attached, nothing to hash


def test_a_year_that_keeps_the_attachment_attaches_the_spreadsheet_and_no_portal_link(
    year: ReviewYear,
) -> None:
    YearCycle.objects.update_or_create(review_year=year, defaults={"attach_case_spreadsheet": True})
    letter = send_first(year)
    message = stored(letter)
    files = files_of(message)
    xlsx = files[f"complaints-2019-20-{letter.authority.gss_code}.xlsx"]
    assert load_workbook(io.BytesIO(xlsx)).sheetnames == list(SHEETS)
    assert record.sha256(xlsx) == letter.xlsx_sha256
    body = body_of(message)
    assert "/council/" not in body
    assert "a spreadsheet of the council's complaints" in body and "/preview/" in body
    assert "Until then you can see the council's page" in body and "portal" not in body


def test_the_email_as_sent_stays_the_record_when_the_setting_changes_later(
    year: ReviewYear,
) -> None:
    letter = send_first(year)
    kept = Path(letter.email_path).read_bytes()
    YearCycle.objects.filter(review_year=year).update(attach_case_spreadsheet=True)
    again = send_first(year)  # the same revision: the recorded letter, not a new email
    assert again.pk == letter.pk and Path(again.email_path).read_bytes() == kept


def signed_in(role: str) -> Client:
    client = Client()
    client.force_login(make_user(role, username=f"{role}-client"))
    return client


def test_a_publisher_chooses_on_the_send_page_before_sending_and_not_after(
    year: ReviewYear,
) -> None:
    approve(year, make_user("publisher", username="approver"))  # the dry run lists the plan
    client = signed_in("publisher")
    page = client.get("/staff/2019-20/send/").content.decode()
    assert 'id="send-options"' in page and "in its portal, where its people download" in page
    response = client.post("/staff/2019-20/send/options/", {"case_spreadsheet": "attach"})
    assert response.status_code == 302 and response["Location"] == "/staff/2019-20/send/"
    assert YearCycle.objects.get(review_year=year).attach_case_spreadsheet
    page = client.get("/staff/2019-20/send/").content.decode()
    assert "case-level spreadsheet attached" in page
    client.post("/staff/2019-20/send/options/", {"case_spreadsheet": "portal"})
    assert not YearCycle.objects.get(review_year=year).attach_case_spreadsheet
    client.post("/staff/2019-20/send/options/", {"case_spreadsheet": "sometimes"})
    assert not YearCycle.objects.get(review_year=year).attach_case_spreadsheet
    send_first(year)  # a letter is recorded as sent: its email is written
    assert 'id="send-options"' not in client.get("/staff/2019-20/send/").content.decode()
    client.post("/staff/2019-20/send/options/", {"case_spreadsheet": "attach"})
    assert not YearCycle.objects.get(review_year=year).attach_case_spreadsheet


def test_only_a_sender_may_choose(year: ReviewYear) -> None:
    response = signed_in("analyst").post(
        "/staff/2019-20/send/options/", {"case_spreadsheet": "attach"}
    )
    assert response.status_code == 403
    assert Client().post("/staff/2019-20/send/options/", {}).status_code == 302  # sign in
    assert not YearCycle.objects.filter(review_year=year, attach_case_spreadsheet=True).exists()
    with pytest.raises(roles.NotAllowed):
        lifecycle.set_case_spreadsheet(year=year.reporting_year, user=None, attach=True)
    with pytest.raises(CycleError, match="have been sent"):
        send_first(year)
        lifecycle.set_case_spreadsheet(
            year=year.reporting_year, user=make_user("publisher"), attach=True
        )
