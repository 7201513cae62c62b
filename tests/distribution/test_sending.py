"""Sending against a real SMTP server (aiosmtpd): To/Cc, attachments, exactly once, 421
then recovery, a 550 recipient, in-doubt rows, corrections, and the commands' refusals."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from councilperf.distribution import lifecycle, sending
from councilperf.distribution.lifecycle import CycleError, Stage
from councilperf.distribution.models import Delivery, SentLetter, YearCycle
from councilperf.distribution.record import sha256
from councilperf.distribution.spreadsheet import SHEETS
from councilperf.years import ReportingYear
from tests.distribution.conftest import approve, authorities, mark_reviewed

pytestmark = pytest.mark.django_db


def attachments(message):
    return {
        p.get_filename(): p.get_payload(decode=True) for p in message.walk() if p.get_filename()
    }


@pytest.mark.parametrize("attach", [False, True])
def test_one_message_per_recipient_with_to_cc_pdf_and_portal_link_or_xlsx(
    year, users, sink, attach
):
    # The email links to the council's portal instead of attaching the case-level
    # spreadsheet, unless the year keeps the attachment (YearCycle.attach_case_spreadsheet).
    YearCycle.objects.update_or_create(
        review_year=year, defaults={"attach_case_spreadsheet": attach}
    )
    approve(year, users["publisher"])
    assert lifecycle.stage(year) is Stage.APPROVED
    tally = sending.send_letters(year=ReportingYear(2019), user=users["publisher"])
    assert (tally.sent, tally.failed, tally.in_doubt) == (12, 0, 0)  # 3 councils × 4 contacts
    assert lifecycle.stage(year) is Stage.ISSUED
    by_council: dict[str, list] = {}
    for item in sink.received:
        by_council.setdefault(item.message["To"], []).append(item)
    assert len(by_council) == 3
    for authority in authorities():
        chief = f"chief_executive@{authority.slug}.example.org"
        copies = by_council[chief]
        assert sorted(r for c in copies for r in c.recipients) == sorted(
            f"{role}@{authority.slug}.example.org"
            for role in ("chief_executive", "link_officer", "leader", "scrutiny_chair")
        )
        message = copies[0].message
        assert "monitoring_officer" not in message["Cc"]
        assert len({c.message["Message-ID"] for c in copies}) == 4
        files = attachments(message)
        sent = SentLetter.objects.get(authority=authority)
        pdf = next(v for k, v in files.items() if k.endswith(".pdf"))
        assert sha256(pdf) == sent.pdf_sha256
        body = message.get_payload()[0].get_payload(decode=True).decode()
        assert "/preview/" in body and "will be published on" in body
        portal = f"{settings.SITE_URL}/council/{authority.slug}/2019-20/"
        xlsx = next((v for k, v in files.items() if k.endswith(".xlsx")), None)
        if not attach:
            assert xlsx is None and len(files) == 1
            assert portal in body
            continue
        assert portal not in body
        assert xlsx is not None
        book = load_workbook(io.BytesIO(xlsx))
        assert book.sheetnames == list(SHEETS)
        assert book[SHEETS[1]].max_row == 2 + authority.cases.count()


def test_a_rerun_sends_nothing_again(year, users, sink):
    approve(year, users["publisher"])
    sending.send_letters(year=ReportingYear(2019), user=None)
    tally = sending.send_letters(year=ReportingYear(2019), user=None)
    assert tally.sent == 0 and len(sink.received) == 12


def test_421_then_recovery_is_retried_and_sent_once(year, users, settings):
    from councilperf.distribution.sink import Sink

    approve(year, users["publisher"])
    with Sink(fail_first=3) as server:
        settings.EMAIL_PORT = server.port
        tally = sending.send_letters(year=ReportingYear(2019), user=None)
    assert tally.sent == 12 and tally.retried == 3 and server.handler.failed == 3
    recipients = [r for item in server.received for r in item.recipients]
    assert len(recipients) == len(set(recipients)) == 12


def test_550_recipient_is_recorded_and_not_retried(year, users, settings):
    from councilperf.distribution.sink import Sink

    approve(year, users["publisher"])
    refused = f"leader@{authorities()[0].slug}.example.org"
    with Sink(refuse={refused}) as server:
        settings.EMAIL_PORT = server.port
        tally = sending.send_letters(year=ReportingYear(2019), user=None)
    assert (tally.sent, tally.failed) == (11, 1)
    row = Delivery.objects.get(email=refused)
    assert row.status == Delivery.Status.FAILED and row.tries == 1 and "550" in row.last_error


def test_a_row_left_sending_is_in_doubt_and_never_resent(year, users, sink):
    approve(year, users["publisher"])
    sending.send_letters(
        year=ReportingYear(2019), user=None, authority_codes=[authorities()[0].gss_code]
    )
    row = Delivery.objects.first()
    assert row is not None
    Delivery.objects.filter(pk=row.pk).update(status=Delivery.Status.PENDING)
    Delivery.objects.filter(pk=row.pk).update(status=Delivery.Status.SENDING)
    before = len(sink.received)
    tally = sending.send_letters(year=ReportingYear(2019), user=None)
    row.refresh_from_db()
    assert row.status == Delivery.Status.IN_DOUBT and tally.in_doubt == 1
    assert [r for i in sink.received[before:] for r in i.recipients].count(row.email) == 0


def test_send_again_records_who_and_why(year, users, sink):
    approve(year, users["publisher"])
    sending.send_letters(year=ReportingYear(2019), user=None)
    first = Delivery.objects.first()
    assert first is not None
    with pytest.raises(CycleError):
        sending.send_again(delivery_id=first.pk, user=users["publisher"], reason=" ")
    again = sending.send_again(delivery_id=first.pk, user=users["publisher"], reason="bounced")
    assert again.attempt == 2 and again.status == Delivery.Status.SENT
    assert again.reason == "bounced" and again.requested_by == "publisher"
    assert again.message_id != first.message_id and len(sink.received) == 13


def test_refusals_have_clear_messages_and_a_non_zero_exit(year, users, sink):
    with pytest.raises(CommandError, match="not approved"):
        call_command("send_letters", "--year", "2019-20")
    with pytest.raises(CommandError, match="may not approve"):
        call_command("approve_year", "--year", "2019-20", "--as", "analyst")
    with pytest.raises(CommandError, match="no review year 2030-31"):
        call_command("approve_year", "--year", "2030-31", "--as", "publisher")
    out = io.StringIO()
    call_command("approve_year", "--year", "2019-20", "--as", "publisher", stdout=out)
    assert "approved by publisher" in out.getvalue()
    with pytest.raises(CommandError, match="already approved"):
        call_command("approve_year", "--year", "2019-20", "--as", "publisher")
    out = io.StringIO()
    call_command("send_letters", "--year", "2019-20", "--dry-run", stdout=out)
    assert "3 letter(s) would be sent" in out.getvalue() and not sink.received


def test_readiness_blocks_approval(year, users):
    from councilperf.authorities.models import Contact

    Contact.objects.filter(authority=authorities()[1], role="chief_executive").delete()
    with pytest.raises(CycleError, match="Chief executive email"):
        approve(year, users["publisher"])
    assert lifecycle.stage(year) is Stage.FROZEN


def test_a_correction_sends_corrected_letters_only_where_figures_changed(year, users, sink):
    import datetime as dt

    from councilperf.letters import batch
    from councilperf.statistics.services import correct_statistics
    from tests.factories import make_case

    approve(year, users["publisher"])
    sending.send_letters(year=ReportingYear(2019), user=None)
    changed = authorities()[0]
    make_case(authority=changed, decision_date=dt.date(2019, 7, 1), outcome="upheld")
    correct_statistics(year=ReportingYear(2019), reason="a decision was missed")
    assert lifecycle.stage(year) is Stage.FROZEN
    batch.generate_letters(year=ReportingYear(2019), processes=1)
    approve(year, users["publisher"])
    before = len(sink.received)
    tally = sending.send_letters(year=ReportingYear(2019), user=None)
    # The two districts' letters changed (one's figures, both peer averages); the unitary's not.
    districts = [a for a in authorities() if a.group == "district"]
    assert tally.sent == 8
    new = sink.received[before:]
    assert {i.message["To"] for i in new} == {
        f"chief_executive@{a.slug}.example.org" for a in districts
    }
    assert all(i.message["Subject"].startswith("Corrected: ") for i in new)
    assert SentLetter.objects.filter(corrected=True).count() == 2
    assert lifecycle.stage(year) is Stage.ISSUED


def test_the_monitoring_officer_is_copied_when_the_year_asks(year, users, sink):
    from councilperf.distribution.models import YearCycle

    approve(year, users["publisher"])
    YearCycle.objects.filter(review_year=year).update(copy_monitoring_officer=True)
    tally = sending.send_letters(year=ReportingYear(2019), user=None)
    assert tally.sent == 15  # 3 councils × 5 contacts
    first = authorities()[0]
    message = next(
        i.message for i in sink.received if i.message["To"].endswith(f"@{first.slug}.example.org")
    )
    assert f"monitoring_officer@{first.slug}.example.org" in message["Cc"]


def test_the_monitoring_officer_is_copied_when_the_years_letter_says_so(year, users, sink):
    from councilperf.letters import batch, services

    template = services.template_for_year(year)
    template.copies = "link_officer,leader,scrutiny_chair,monitoring_officer"
    template.save()
    batch.generate_letters(year=ReportingYear(2019), processes=1)  # the letters follow the template
    mark_reviewed(year)  # the edited template, reviewed again
    approve(year, users["publisher"])
    planned = sending.plan(year=ReportingYear(2019))
    assert planned
    assert all("monitoring_officer" in {r.role for r in item.recipients} for item in planned)
