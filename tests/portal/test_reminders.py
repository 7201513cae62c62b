"""Reminder rounds: only councils not submitted, their live members and link officer, one
email per address per round, sent once through the letters' delivery rules (a real SMTP
server, aiosmtpd): a re-run sends nothing again, a temporary refusal is sent by the next run,
a reminder in doubt is never sent again unless an operator says why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from councilperf.distribution.sink import Sink
from councilperf.portal import reminders
from councilperf.portal.models import ComplaintReturn, CouncilRole, Membership, Reminder
from tests.factories import make_authority
from tests.portal.factories_returns import (
    YEAR,
    link_officer,
    make_member,
    make_period,
    make_staff,
)

pytestmark = pytest.mark.django_db
REMIND = f"/staff/{YEAR}/returns/remind/"


@pytest.fixture
def sink(settings: Any) -> Iterator[Sink]:
    settings.SITE_URL = "https://cp.example"
    with Sink() as server:
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        yield server


@pytest.fixture
def world() -> dict[str, Any]:
    period = make_period()
    ambridge = make_authority(name="Ambridge", years=(YEAR,))
    borchester = make_authority(name="Borchester", years=(YEAR,))
    done = make_authority(name="Churchford", years=(YEAR,))
    nobody = make_authority(name="Darrington", years=(YEAR,))
    officer = make_member(ambridge, email="ann@ambridge.example.org")
    approver = make_member(ambridge, CouncilRole.APPROVER, email="bob@ambridge.example.org")
    link_officer(ambridge, email="ANN@ambridge.example.org")  # the officer again
    left = make_member(borchester, email="gone@borchester.example.org")
    Membership.objects.filter(user=left).update(ended_at=timezone.now())
    link_officer(borchester, email="links@borchester.example.org")
    make_member(done, email="done@churchford.example.org")
    ComplaintReturn.objects.create(
        authority=done,
        review_year=period.review_year,
        status="submitted",
        updated_at=timezone.now(),
        signed_off_at=timezone.now(),
    )
    return {
        "period": period,
        "review_year": period.review_year,
        "ambridge": ambridge,
        "nobody": nobody,
        "officer": officer,
        "approver": approver,
        "publisher": make_staff("publisher"),
    }


def received(sink: Sink) -> Counter[str]:
    return Counter(r.lower() for item in sink.received for r in item.recipients)


EXPECTED = {
    "ann@ambridge.example.org",
    "bob@ambridge.example.org",
    "links@borchester.example.org",
}


def test_recipients_are_live_members_and_the_link_officer_once_per_address(
    world: dict[str, Any],
) -> None:
    assert sorted(email for _, email in reminders.recipients(world["ambridge"])) == [
        "ann@ambridge.example.org",
        "bob@ambridge.example.org",
    ]
    made = reminders.create_round(review_year=world["review_year"], user=world["publisher"])
    rows = Reminder.objects.filter(round=made)
    assert {r.email.lower() for r in rows} == EXPECTED
    assert all(r.status == "pending" for r in rows)
    assert reminders.unreachable(world["review_year"]) == [world["nobody"]]


def test_the_confirmation_page_writes_nothing_and_only_publishers_send(
    world: dict[str, Any], sink: Sink
) -> None:
    analyst = Client()
    analyst.force_login(make_staff("analyst"))
    assert analyst.get(REMIND).status_code == 403
    assert analyst.post(REMIND).status_code == 403
    publisher = Client()
    publisher.force_login(world["publisher"])
    page = publisher.get(REMIND).content.decode()
    assert "Nothing has been sent. 3 reminders would go to 3 councils" in page
    assert "Darrington" in page and "cannot be reached" in page
    assert "Churchford" not in page
    assert Reminder.objects.count() == 0 and sink.received == []


def test_each_round_goes_exactly_once_to_each_recipient(world: dict[str, Any], sink: Sink) -> None:
    publisher = Client()
    publisher.force_login(world["publisher"])
    assert 'name="after" value="0"' in publisher.get(REMIND).content.decode()
    assert publisher.post(REMIND, {"after": "0"}).status_code == 302
    assert received(sink) == Counter(EXPECTED)
    message = next(r.message for r in sink.received if "bob@" in r.recipients[0])
    text = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "30 June 2027" in text
    assert f"https://cp.example/council/{world['ambridge'].slug}/{YEAR}/return/" in text
    assert "Ambridge Council" in str(message["Subject"])
    assert message["Message-ID"] == Reminder.objects.get(email__startswith="bob@").message_id
    # Sending again sends nothing; a second round reaches everyone once more.
    assert str(reminders.send_round(review_year=world["review_year"])).startswith("0 sent")
    assert received(sink) == Counter(EXPECTED)
    publisher.post(REMIND, {"after": "1"})
    assert received(sink) == Counter({e: 2 for e in EXPECTED})
    assert sorted(Reminder.objects.values_list("round__number", flat=True)) == [1] * 3 + [2] * 3
    page = publisher.get(f"/staff/{YEAR}/returns/").content.decode()
    assert "Round 2" in page and "3 reminders to 2 councils (3 sent)" in page


def test_a_second_click_or_a_colleagues_round_makes_no_second_round(
    world: dict[str, Any], sink: Sink
) -> None:
    publisher = Client()
    publisher.force_login(world["publisher"])
    publisher.post(REMIND, {"after": "0"})
    again = publisher.post(REMIND, {"after": "0"}, follow=True)
    assert "Round 1 was made after you opened the confirmation" in again.content.decode()
    publisher.post(REMIND)  # not from the confirmation page
    assert Reminder.objects.filter(round__number__gt=1).count() == 0
    assert received(sink) == Counter(EXPECTED)


def test_no_round_is_made_when_no_one_can_be_reminded(world: dict[str, Any]) -> None:
    ComplaintReturn.objects.exclude(status="submitted").delete()
    for council in reminders.not_submitted(world["review_year"]):
        if council != world["nobody"]:
            ComplaintReturn.objects.create(
                authority=council,
                review_year=world["review_year"],
                status="submitted",
                updated_at=timezone.now(),
            )
    publisher = Client()
    publisher.force_login(world["publisher"])
    page = publisher.get(REMIND).content.decode()
    assert "There is no one to remind" in page and "Darrington" in page
    with pytest.raises(reminders.NoRound, match="can be reached"):
        reminders.create_round(review_year=world["review_year"], user=world["publisher"])
    assert Reminder.objects.count() == 0


def test_a_council_that_submits_is_not_in_the_next_round(world: dict[str, Any]) -> None:
    ComplaintReturn.objects.create(
        authority=world["ambridge"],
        review_year=world["review_year"],
        status="submitted",
        updated_at=timezone.now(),
    )
    made = reminders.create_round(review_year=world["review_year"], user=world["publisher"])
    assert {r.email for r in Reminder.objects.filter(round=made)} == {
        "links@borchester.example.org"
    }


def test_a_temporary_refusal_is_sent_by_the_next_run(world: dict[str, Any], sink: Sink) -> None:
    sink.handler.fail_first = 1
    reminders.create_round(review_year=world["review_year"], user=world["publisher"])
    first = reminders.send_round(review_year=world["review_year"])
    assert (first.sent, first.unsent) == (2, 1)
    second = reminders.send_round(review_year=world["review_year"])
    assert (second.sent, second.unsent) == (1, 0)
    assert received(sink) == Counter(EXPECTED)


def test_a_reminder_in_doubt_is_never_sent_again_by_itself(
    world: dict[str, Any], sink: Sink
) -> None:
    sink.handler.drop_first = 1
    reminders.create_round(review_year=world["review_year"], user=world["publisher"])
    first = reminders.send_round(review_year=world["review_year"])
    assert first.in_doubt == 1 and first.sent == 2
    assert reminders.send_round(review_year=world["review_year"]).sent == 0
    (doubtful,) = Reminder.objects.filter(status="in_doubt")
    with pytest.raises(ValueError):
        reminders.send_again(review_year=world["review_year"], reason=" ")
    again = reminders.send_again(review_year=world["review_year"], reason="Checked the log.")
    assert again.sent == 1
    assert received(sink)[doubtful.email.lower()] == 1
    assert Reminder.objects.get(pk=doubtful.pk).tries == 2


def test_a_reminder_left_sending_by_a_killed_run_becomes_in_doubt(
    world: dict[str, Any], sink: Sink
) -> None:
    made = reminders.create_round(review_year=world["review_year"], user=world["publisher"])
    first = Reminder.objects.filter(round=made).order_by("pk").first()
    assert first is not None
    Reminder.objects.filter(pk=first.pk).update(status="sending", tries=1)
    result = reminders.send_round(review_year=world["review_year"])
    assert (result.sent, result.in_doubt) == (2, 1)
    assert first.email.lower() not in received(sink)


def test_the_command_makes_a_round_resumes_and_lists_those_in_doubt(
    world: dict[str, Any], sink: Sink
) -> None:
    out = StringIO()
    by = world["publisher"].username
    call_command("send_reminders", "--year", YEAR, "--new-round", "--by", by, stdout=out)
    assert "round 1 made" in out.getvalue() and "3 sent, 0 refused" in out.getvalue()
    out = StringIO()
    call_command("send_reminders", "--year", YEAR, "--in-doubt", stdout=out)
    assert "No reminder is in doubt." in out.getvalue()
    with pytest.raises(CommandError, match="publisher or administrator"):
        call_command("send_reminders", "--year", YEAR, "--new-round", "--by", "nobody")
    with pytest.raises(CommandError, match="not open for returns"):
        call_command("send_reminders", "--year", "2019-20")
    assert received(sink) == Counter(EXPECTED)


def test_a_demonstration_year_says_so(world: dict[str, Any], sink: Sink) -> None:
    from councilperf.statistics.models import StatisticsRevision

    StatisticsRevision.objects.create(
        review_year=world["review_year"],
        computed_at=timezone.now(),
        peer_method="pooled",
        small_number_threshold=10,
        synthetic=True,
    )
    reminders.create_round(review_year=world["review_year"], user=world["publisher"])
    reminders.send_round(review_year=world["review_year"])
    message = sink.received[0].message
    assert str(message["Subject"]).startswith("[Demonstration data]")
    assert (message.get_payload(decode=True) or b"").startswith(b"Demonstration data")  # type: ignore[union-attr]
