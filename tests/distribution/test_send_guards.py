"""The guards of exactly-once sending, each where one missing line would send a letter twice or
send the wrong one: a row another run has claimed is never sent, "send again" is refused on a
copy still to be sent (or being sent), another host's live send lock is never taken over, and
no letter of the old revision is sendable between a correction and its approval."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess

import pytest
from django.utils import timezone

from councilperf.distribution import delivering, lifecycle, sending
from councilperf.distribution.lifecycle import CycleError, Stage
from councilperf.distribution.models import Delivery, YearCycle
from councilperf.distribution.smtp import Outcome, Result
from councilperf.letters import batch
from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.distribution.conftest import approve, authorities
from tests.factories import make_case

pytestmark = pytest.mark.django_db

Status = Delivery.Status
Y = ReportingYear(2019)


class Recorder:
    """A transport that accepts everything and remembers to whom."""

    address = "recorder:25"

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, *, sender: str, recipient: str, data: bytes) -> Result:
        self.sent.append(recipient)
        return Result(Outcome.SENT, "250 ok")

    def close(self) -> None:
        pass


@pytest.mark.parametrize("status", [Status.SENDING, Status.SENT, Status.IN_DOUBT])
def test_a_row_claimed_or_settled_by_another_run_is_never_sent(year, users, sink, status):
    """The claim (pending or deferred → sending) is the only way to the SMTP transaction: a row
    another run has meanwhile claimed or settled is left alone, untouched."""
    approve(year, users["publisher"])
    planned = sending.plan(year=Y, authority_codes=[authorities()[0].gss_code])
    ids = sending._prepare(year, planned)
    taken, free = ids[0], ids[1:]
    Delivery.objects.filter(pk=taken).update(status=status, tries=7)
    recorder = Recorder()
    tally = delivering.deliver(ids=ids, transport=recorder)  # type: ignore[arg-type]
    row = Delivery.objects.get(pk=taken)
    assert row.email not in recorder.sent and (row.status, row.tries) == (status, 7)
    assert len(recorder.sent) == len(free) == tally.sent
    assert set(Delivery.objects.filter(pk__in=free).values_list("status", flat=True)) == {
        Status.SENT
    }


@pytest.mark.parametrize("status", [Status.PENDING, Status.SENDING, Status.RETRY])
def test_send_again_is_refused_on_a_copy_still_to_be_sent(year, users, sink, status):
    approve(year, users["publisher"])
    sending.send_letters(year=Y, user=None, authority_codes=[authorities()[0].gss_code])
    row = Delivery.objects.order_by("pk").first()
    assert row is not None
    Delivery.objects.filter(pk=row.pk).update(status=status)
    before, rows = len(sink.received), Delivery.objects.count()
    with pytest.raises(
        CycleError, match=r"^this copy is still to be sent: send or resume the year.s letters$"
    ):
        sending.send_again(delivery_id=row.pk, user=users["publisher"], reason="lost")
    assert Delivery.objects.count() == rows and len(sink.received) == before


def lock(year, holder: str, *, until: dt.datetime | None) -> None:
    YearCycle.objects.filter(review_year=year).update(send_lock=holder, send_lock_until=until)


def test_another_hosts_live_lock_is_never_taken_over(year, users, sink):
    approve(year, users["publisher"])
    until = timezone.now() + dt.timedelta(minutes=10)
    lock(year, "mail-2.example:4242", until=until)
    with pytest.raises(CycleError, match=r"being sent by mail-2\.example:4242"):
        sending.send_letters(year=Y, user=None)
    assert not sink.received and not Delivery.objects.exists()
    cycle = YearCycle.objects.get(review_year=year)
    assert (cycle.send_lock, cycle.send_lock_until) == ("mail-2.example:4242", until)


def test_a_live_process_on_this_host_keeps_its_lock_whatever_its_lease(year, users, sink):
    """The holder is a process this test starts (not one that runs the tests): the check that
    it lives must only look (signal 0), never signal it."""
    approve(year, users["publisher"])
    with subprocess.Popen(["sleep", "60"]) as holder:
        try:
            expired = timezone.now() - dt.timedelta(hours=1)
            lock(year, f"{socket.gethostname()}:{holder.pid}", until=expired)
            with pytest.raises(CycleError, match="being sent by"):
                sending.send_letters(year=Y, user=None)
            with pytest.raises(subprocess.TimeoutExpired):  # still alive: not signalled
                holder.wait(timeout=0.5)
        finally:
            holder.kill()
    assert not sink.received


@pytest.mark.parametrize("holder", ["elsewhere", "this host, a process that is gone"])
def test_an_expired_lease_or_a_dead_process_is_taken_over_and_released(year, users, sink, holder):
    approve(year, users["publisher"])
    if holder == "elsewhere":
        lock(year, "mail-2.example:4242", until=timezone.now() - dt.timedelta(seconds=1))
    else:
        lock(year, f"{socket.gethostname()}:{2**22 + 1}", until=None)  # above pid_max
    tally = sending.send_letters(year=Y, user=None)
    assert tally.sent == 12
    cycle = YearCycle.objects.get(review_year=year)
    assert (cycle.send_lock, cycle.send_lock_until) == ("", None)


def test_the_old_revision_is_not_sendable_between_a_correction_and_its_approval(year, users, sink):
    approve(year, users["publisher"])
    first = authorities()[0]
    sending.send_letters(year=Y, user=None, authority_codes=[first.gss_code])
    make_case(authority=first, decision_date=dt.date(2019, 7, 1), outcome="upheld")
    correct_statistics(year=Y, reason="a decision was missed")
    batch.generate_letters(year=Y, processes=1)
    before = len(sink.received)
    with pytest.raises(CycleError, match="2019-20 revision 2 is not approved"):
        sending.send_letters(year=Y, user=None)
    with pytest.raises(CycleError, match="revision 2 is not approved"):
        sending.outstanding(year=Y)
    assert len(sink.received) == before and lifecycle.stage(year) is Stage.FROZEN
    approve(year, users["publisher"])
    sending.send_letters(year=Y, user=None)
    to_first = [
        i
        for i in sink.received[before:]
        if i.message["To"] == f"chief_executive@{first.slug}.example.org"
    ]
    assert to_first and all(i.message["Subject"].startswith("Corrected: ") for i in to_first)
