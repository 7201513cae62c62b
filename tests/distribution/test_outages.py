"""Outages are temporary, and recovery is one action: on a real SMTP server (aiosmtpd), a
server stopped mid-send leaves no copy "refused", stops the run with the cause on the
dashboard, and one resume delivers every remaining copy exactly once; a 450 is retried, a 550
or a 500 refused and never retried, a drop after the final dot in doubt; the delivery log
sends selected copies again."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from councilperf.distribution import lifecycle, sending
from councilperf.distribution.lifecycle import CycleError, Stage
from councilperf.distribution.models import Delivery, YearCycle
from councilperf.distribution.sending import SendIncomplete
from councilperf.distribution.sink import Sink, free_port
from councilperf.years import ReportingYear
from tests.distribution.conftest import approve, authorities, make_user

pytestmark = pytest.mark.django_db

YEAR = ReportingYear.parse("2019-20")
Status = Delivery.Status


@pytest.fixture(autouse=True)
def quick(settings):
    settings.SEND_MAX_TRIES = 3
    settings.SEND_BACKOFF_SECONDS = 0


def stop_after(server: Sink, count: int) -> Callable[[int], Callable[[str], None]]:
    """A progress callback that stops the server once it has ``count`` messages."""

    def start(total: int) -> Callable[[str], None]:
        def tick(status: str) -> None:
            if len(server.received) == count and server.controller.loop.is_running():
                server.controller.stop()

        return tick

    return start


def recipients(*servers: Sink) -> Counter[str]:
    return Counter(r for server in servers for item in server.received for r in item.recipients)


def test_a_server_stopped_mid_send_then_one_resume_sends_each_copy_once(year, users, settings):
    approve(year, users["publisher"])
    first = Sink()
    settings.EMAIL_HOST, settings.EMAIL_PORT = first.host, first.port
    first.__enter__()
    with pytest.raises(SendIncomplete) as stopped:
        sending.send_letters(year=YEAR, user=None, progress=stop_after(first, 5))
    cause = f"the mail server at 127.0.0.1:{first.port} did not answer"
    assert cause in str(stopped.value)
    assert (stopped.value.tally.sent, stopped.value.tally.unsent) == (5, 7)
    assert not Delivery.objects.filter(status=Status.FAILED).exists()  # nothing "refused"
    assert lifecycle.stage(year) is Stage.SENDING
    client = Client()
    client.force_login(users["publisher"])
    page = client.get(f"/staff/{YEAR.label}/").content.decode()
    assert cause in page and f'action="/staff/{YEAR.label}/send/resume/"' in page
    out = io.StringIO()
    call_command("send_letters", "--year", YEAR.label, "--dry-run", stdout=out)
    assert "(7 message(s))" in out.getvalue()
    with Sink(port=first.port) as second:
        call_command("send_letters", "--year", YEAR.label, "--resume", stdout=io.StringIO())
    counts = recipients(first, second)
    assert len(counts) == 12 and set(counts.values()) == {1}  # every copy, exactly once
    assert len(first.received) == 5 and len(second.received) == 7
    assert lifecycle.stage(year) is Stage.ISSUED
    assert YearCycle.objects.get(review_year=year).send_problem == ""
    out = io.StringIO()
    call_command("send_letters", "--year", YEAR.label, "--dry-run", stdout=out)
    assert "0 letter(s) would be sent (0 message(s))" in out.getvalue()


def test_no_server_at_all_refuses_nothing_and_the_command_names_the_cause(year, users, settings):
    approve(year, users["publisher"])
    settings.EMAIL_PORT = free_port()
    with pytest.raises(CommandError, match=f"127.0.0.1:{settings.EMAIL_PORT} did not answer"):
        call_command("send_letters", "--year", YEAR.label, stdout=io.StringIO())
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses == {Status.PENDING: 11, Status.RETRY: 1}
    out = io.StringIO()
    call_command("send_letters", "--year", YEAR.label, "--dry-run", stdout=out)
    assert "3 letter(s) would be sent (12 message(s))" in out.getvalue()


def test_resume_needs_a_send_to_resume(year, users, sink):
    approve(year, users["publisher"])
    with pytest.raises(CycleError, match="nothing to resume"):
        sending.resume_letters(year=YEAR, user=None)


def test_a_450_is_retried_then_delivered(year, users, settings):
    approve(year, users["publisher"])
    with Sink(fail_first=2, fail_code=450) as server:
        settings.EMAIL_PORT = server.port
        tally = sending.send_letters(year=YEAR, user=None)
    assert (tally.sent, tally.failed, tally.retried) == (12, 0, 2)
    assert server.handler.failed == 2 and set(recipients(server).values()) == {1}


def test_a_server_that_keeps_deferring_leaves_copies_to_resume_not_refused(year, users, settings):
    approve(year, users["publisher"])
    with Sink(fail_first=1000, fail_code=450) as server:
        settings.EMAIL_PORT = server.port
        with pytest.raises(SendIncomplete, match="deferred") as stopped:
            sending.send_letters(year=YEAR, user=None)
    assert stopped.value.tally.unsent == 12
    assert set(Delivery.objects.values_list("status", flat=True)) == {Status.RETRY}
    with Sink(port=server.port) as back:
        sending.resume_letters(year=YEAR, user=None)
    assert set(recipients(back).values()) == {1} and len(recipients(back)) == 12


def test_a_550_is_refused_per_recipient(year, users, settings):
    approve(year, users["publisher"])
    refused = f"leader@{authorities()[0].slug}.example.org"
    with Sink(refuse={refused}) as server:
        settings.EMAIL_PORT = server.port
        tally = sending.send_letters(year=YEAR, user=None)
    assert (tally.sent, tally.failed, tally.unsent) == (11, 1, 0)
    assert Delivery.objects.get(email=refused).status == Status.FAILED


def test_a_500_after_the_data_is_refused_and_never_retried(year, users, settings):
    approve(year, users["publisher"])
    with Sink(fail_first=1, fail_code=500) as server:
        settings.EMAIL_PORT = server.port
        tally = sending.send_letters(year=YEAR, user=None)
    assert (tally.sent, tally.failed, tally.retried, tally.unsent) == (11, 1, 0, 0)
    refused = Delivery.objects.get(status=Status.FAILED)
    assert refused.tries == 1 and server.handler.started == 12


def test_a_drop_after_the_final_dot_is_in_doubt_and_never_retried(year, users, settings):
    approve(year, users["publisher"])
    with Sink(drop_first=1) as server:
        settings.EMAIL_PORT = server.port
        tally = sending.send_letters(year=YEAR, user=None)
    assert (tally.sent, tally.in_doubt, tally.retried) == (11, 1, 0)
    doubtful = Delivery.objects.get(status=Status.IN_DOUBT)
    assert doubtful.tries == 1 and server.handler.started == 12


def test_the_log_sends_selected_copies_again_and_keeps_its_filter(year, users, settings):
    approve(year, users["publisher"])
    first, second = authorities()[:2]
    refused = {f"leader@{first.slug}.example.org", f"leader@{second.slug}.example.org"}
    with Sink(refuse=refused) as server:
        settings.EMAIL_PORT = server.port
        sending.send_letters(year=YEAR, user=None)
    client = Client()
    client.force_login(make_user("publisher", username="resender"))
    log = client.get(f"/staff/{YEAR.label}/deliveries/", {"status": "failed"}).content.decode()
    assert log.count('name="delivery"') == 2
    ids = list(Delivery.objects.filter(status=Status.FAILED).values_list("pk", flat=True))
    sent = Delivery.objects.filter(status=Status.SENT).first()
    assert sent is not None
    with Sink() as fixed:
        settings.EMAIL_PORT = fixed.port
        refused_sent = client.post(
            f"/staff/{YEAR.label}/deliveries/again/",
            {"delivery": [sent.pk], "reason": "x", "status": "sent"},
        )
        assert refused_sent.status_code == 302 and not fixed.received
        answer = client.post(
            f"/staff/{YEAR.label}/deliveries/again/",
            {"delivery": ids, "reason": "address fixed", "status": "failed"},
        )
    assert answer.status_code == 302
    assert answer["Location"] == f"/staff/{YEAR.label}/deliveries/?status=failed"
    assert sorted(r for item in fixed.received for r in item.recipients) == sorted(refused)
    again = Delivery.objects.filter(attempt=2)
    assert again.count() == 2
    assert {(d.reason, d.requested_by, d.status) for d in again} == {
        ("address fixed", "resender", Status.SENT)
    }
