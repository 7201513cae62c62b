"""Sending, step by step, against a transport the test scripts: the plan (who, which
revision, in what order, what it refuses), the rows recorded once, the lock a run holds and
its lease, progress, a stopped run's message and resume, the dry run's count and "send
again" for one copy or many."""

from __future__ import annotations

import datetime as dt
import os
import socket
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.distribution import lifecycle, messages, sending
from councilperf.distribution.lifecycle import CycleError, Stage
from councilperf.distribution.models import Delivery, SentLetter, YearCycle
from councilperf.distribution.roles import NotAllowed
from councilperf.distribution.smtp import Outcome, Result, Transport
from councilperf.letters import batch
from councilperf.letters.models import Letter
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.distribution.conftest import approve, authorities, build_year
from tests.factories import make_case, make_review_year

pytestmark = pytest.mark.django_db

Status = Delivery.Status
Y = ReportingYear(2019)


class Scripted(Transport):
    """Accepts every copy, except those to the recipients named, answered as given."""

    def __init__(self, **answers: Result) -> None:  # no connection: nothing to set up
        self.answers = answers
        self.sent: list[str] = []
        self.locks: list[str] = []

    def send(self, *, sender: str, recipient: str, data: bytes) -> Result:
        self.sent.append(recipient)
        cycle = YearCycle.objects.get(review_year__year=Y.label)
        self.locks.append(cycle.send_lock)
        return self.answers.get(recipient.partition("@")[0], Result(Outcome.SENT, "250 ok"))

    @property
    def address(self) -> str:
        return "mail.example.test:25"

    def close(self) -> None:
        pass


DEFER = Result(Outcome.TEMPORARY, "451 later")
DOUBT = Result(Outcome.IN_DOUBT, "no reply after the final dot")


def sent_then_corrected(year: ReviewYear, users: dict[str, Any], council: Authority) -> None:
    """Every letter sent; then a decision of ``council`` is found: revision 2 computed, its
    letters made and approved."""
    approve(year, users["publisher"])
    sending.send_letters(year=Y, user=None, transport=Scripted())
    make_case(authority=council, decision_date=dt.date(2019, 7, 1), outcome="upheld")
    correct_statistics(year=Y, reason="a decision was missed")
    batch.generate_letters(year=Y, processes=1)
    approve(year, users["publisher"])


def test_the_plan_is_every_council_in_name_order_with_its_recipients(year, users) -> None:
    approve(year, users["publisher"])
    planned = sending.plan(year=Y)
    names = [a.official_name for a in authorities()]
    assert [p.name for p in planned] == names == sorted(names)
    assert [p.code for p in planned] == [a.gss_code for a in authorities()]
    assert {(p.revision, p.corrected, p.sent_before) for p in planned} == {(1, False, False)}
    first = planned[0]
    assert [r.role for r in first.recipients if not r.copy] == ["chief_executive"]
    assert len(first.recipients) == 4
    assert "monitoring_officer" not in {r.role for r in first.recipients}


def test_the_plan_for_some_councils_and_its_refusals(year, users) -> None:
    approve(year, users["publisher"])
    wanted = authorities()[1]
    assert [p.code for p in sending.plan(year=Y, authority_codes=[wanted.gss_code])] == [
        wanted.gss_code
    ]
    with pytest.raises(CycleError, match=r"^no 2019-20 letter for E07000001, E07000002$"):
        sending.plan(year=Y, authority_codes=["E07000002", wanted.gss_code, "E07000001"])
    Letter.objects.filter(authority=wanted).delete()
    with pytest.raises(
        CycleError,
        match=rf"^1 letter\(s\) missing or out of date \({wanted.gss_code}…\): generate the",
    ):
        sending.plan(year=Y)
    assert [p.code for p in sending.plan(year=Y, authority_codes=[authorities()[0].gss_code])]
    Letter.objects.all().delete()
    with pytest.raises(CycleError, match=r"^3 letter\(s\) missing") as missing:
        sending.plan(year=Y)
    named = str(missing.value).partition(" (")[2].partition("…")[0]
    assert sorted(named.split(", ")) == sorted(a.gss_code for a in authorities())


def test_a_refusal_names_at_most_five_of_the_missing_letters(files, users) -> None:
    build_year(6)
    approve(ReviewYear.objects.get(year=Y.label), users["publisher"])
    Letter.objects.all().delete()
    with pytest.raises(CycleError, match=r"^6 letter\(s\) missing or out of date \(") as missing:
        sending.plan(year=Y)
    named = str(missing.value).partition(" (")[2].partition("…")[0].split(", ")
    assert len(named) == 5
    assert set(named) < {a.gss_code for a in authorities()}


def test_a_run_records_each_letter_and_row_once_and_holds_the_lock(year, users) -> None:
    approve(year, users["publisher"])
    transport = Scripted()
    counts: list[int] = []
    ticks: list[str] = []

    def progress(total: int):
        counts.append(total)
        return ticks.append

    letters: list[int] = []
    recorded: list[str] = []

    def preparing(total: int):
        letters.append(total)
        return recorded.append

    tally = sending.send_letters(
        year=Y,
        user=users["publisher"],
        transport=transport,
        progress=progress,
        preparing=preparing,
    )
    assert tally.sent == 12 and counts == [12] and ticks == [Status.SENT] * 12
    assert letters == [3] and recorded == [""] * 3  # one tick per letter recorded, no outcome
    me = f"{socket.gethostname()}:{os.getpid()}"
    assert set(transport.locks) == {me}
    cycle = YearCycle.objects.get(review_year=year)
    assert (cycle.send_lock, cycle.send_lock_until, cycle.send_problem) == ("", None, "")
    assert cycle.issued_revision == 1 and lifecycle.stage(year) is Stage.ISSUED
    assert SentLetter.objects.count() == 3 and Delivery.objects.count() == 12
    rows = Delivery.objects.select_related("letter__authority").order_by("pk")
    assert len({r.message_id for r in rows}) == 12
    # Each copy's Message-ID names its year, council, revision, recipient and attempt.
    assert [r.message_id for r in rows] == [
        messages.message_id(
            year=Y, code=r.letter.authority.gss_code, revision=1, email=r.email, attempt=1
        )
        for r in rows
    ]
    assert all(r.attempt == 1 and r.created_at is not None for r in rows)
    assert {r.role for r in rows if not r.copy} == {"chief_executive"}
    issued_at = YearCycle.objects.get(review_year=year).issued_at
    again = sending.send_letters(year=Y, user=None, transport=transport, progress=progress)
    assert again.sent == 0 and len(transport.sent) == 12 and Delivery.objects.count() == 12
    assert counts == [12, 0]  # a re-run has no copy to deliver
    assert YearCycle.objects.get(review_year=year).issued_at == issued_at  # issued once


def test_the_lock_is_held_for_its_lease_during_a_run(year, users) -> None:
    approve(year, users["publisher"])
    leases: list[Any] = []

    class Watching(Scripted):
        def send(self, *, sender: str, recipient: str, data: bytes) -> Result:
            leases.append(YearCycle.objects.get(review_year=year).send_lock_until)
            return super().send(sender=sender, recipient=recipient, data=data)

    before = timezone.now()
    sending.send_letters(
        year=Y,
        user=None,
        authority_codes=[authorities()[0].gss_code],
        transport=Watching(),
    )
    after = timezone.now()
    assert leases and all(
        before + dt.timedelta(seconds=sending.LOCK_SECONDS) <= lease
        and lease <= after + dt.timedelta(seconds=sending.LOCK_SECONDS)
        for lease in leases
    )
    assert sending.LOCK_SECONDS == 120


def test_this_process_may_send_under_its_own_lock_and_it_is_released_after(year, users) -> None:
    approve(year, users["publisher"])
    me = f"{socket.gethostname()}:{os.getpid()}"
    until = timezone.now() + dt.timedelta(minutes=10)
    YearCycle.objects.filter(review_year=year).update(send_lock=me, send_lock_until=until)
    assert sending.send_letters(year=Y, user=None, transport=Scripted()).sent == 12
    assert YearCycle.objects.get(review_year=year).send_lock == ""


def test_a_lock_taken_over_meanwhile_is_not_released_by_the_run(year, users) -> None:
    approve(year, users["publisher"])

    class TakenOver(Scripted):
        def send(self, *, sender: str, recipient: str, data: bytes) -> Result:
            YearCycle.objects.filter(review_year=year).update(send_lock="mail-2.example:77")
            return super().send(sender=sender, recipient=recipient, data=data)

    sending.send_letters(
        year=Y,
        user=None,
        authority_codes=[authorities()[0].gss_code],
        transport=TakenOver(),
    )
    assert YearCycle.objects.get(review_year=year).send_lock == "mail-2.example:77"


def test_a_lock_of_this_host_with_no_pid_waits_out_its_lease(year, users) -> None:
    approve(year, users["publisher"])
    holder = f"{socket.gethostname()}:worker"
    YearCycle.objects.filter(review_year=year).update(
        send_lock=holder, send_lock_until=timezone.now() + dt.timedelta(minutes=5)
    )
    with pytest.raises(CycleError, match=f"^2019-20 letters are being sent by {holder}$"):
        sending.send_letters(year=Y, user=None, transport=Scripted())
    YearCycle.objects.filter(review_year=year).update(
        send_lock_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert sending.send_letters(year=Y, user=None, transport=Scripted()).sent == 12


def test_a_process_of_another_user_on_this_host_keeps_its_lock(year, users, monkeypatch) -> None:
    approve(year, users["publisher"])

    def not_permitted(pid: int, signal: int) -> None:
        raise PermissionError(pid)

    monkeypatch.setattr(sending.os, "kill", not_permitted)
    holder = f"{socket.gethostname()}:12345"
    YearCycle.objects.filter(review_year=year).update(send_lock=holder, send_lock_until=None)
    with pytest.raises(CycleError, match="being sent by"):
        sending.send_letters(year=Y, user=None, transport=Scripted())


def test_sending_needs_the_role_unless_from_the_command_line(year, users) -> None:
    approve(year, users["publisher"])
    with pytest.raises(NotAllowed):
        sending.send_letters(year=Y, user=users["analyst"], transport=Scripted())
    assert not Delivery.objects.exists()


def test_a_stopped_run_says_how_many_copies_and_a_resume_sends_just_those(
    year, users, settings
) -> None:
    settings.SEND_MAX_TRIES = 2
    approve(year, users["publisher"])
    first = authorities()[0]
    with pytest.raises(sending.SendIncomplete) as stopped:
        sending.send_letters(
            year=Y,
            user=None,
            authority_codes=[first.gss_code],
            transport=Scripted(leader=DEFER),
        )
    message = str(stopped.value)
    assert message.startswith("1 copy of the 2019-20 letters not sent: the mail server at ")
    assert "send_letters --year 2019-20 --resume" in message
    assert stopped.value.tally.unsent == 1 and stopped.value.tally.sent == 3
    cycle = YearCycle.objects.get(review_year=year)
    assert message == f"{cycle.send_problem} ({stopped.value.tally})"
    assert cycle.send_problem.endswith("it sends exactly the copies never delivered.")
    assert lifecycle.stage(year) is Stage.SENDING
    assert sending.outstanding(year=Y).copies == 1 + 8  # the deferred copy, two letters unsent
    with pytest.raises(sending.SendIncomplete, match=r"^3 copies of the 2019-20 letters"):
        sending.resume_letters(
            year=Y,
            user=None,
            transport=Scripted(leader=DEFER),
        )
    transport = Scripted()
    with pytest.raises(NotAllowed):
        sending.resume_letters(year=Y, user=users["analyst"], transport=transport)
    assert transport.sent == []
    counts: list[int] = []

    def progress(total: int):
        counts.append(total)
        return lambda status: None

    tally = sending.resume_letters(
        year=Y, user=users["publisher"], transport=transport, progress=progress
    )
    assert counts == [3]
    assert tally.sent == 3 and sorted(transport.sent) == sorted(
        f"leader@{a.slug}.example.org" for a in authorities()
    )
    assert YearCycle.objects.get(review_year=year).send_problem == ""
    assert lifecycle.stage(year) is Stage.ISSUED


def test_a_resume_needs_a_send_to_resume(year, users) -> None:
    approve(year, users["publisher"])
    with pytest.raises(
        CycleError, match=r"^nothing to resume: no 2019-20 letter has been sent yet$"
    ):
        sending.resume_letters(year=Y, user=None, transport=Scripted())
    assert not Delivery.objects.exists()


def test_the_year_is_issued_only_when_every_letter_was_attempted(year, users) -> None:
    approve(year, users["publisher"])
    first = authorities()[0]
    sending.send_letters(year=Y, user=None, authority_codes=[first.gss_code], transport=Scripted())
    assert lifecycle.stage(year) is Stage.APPROVED
    assert not sending.plan_is_done(year, 1)
    sending.send_letters(year=Y, user=None, transport=Scripted())
    assert sending.plan_is_done(year, 1) and lifecycle.stage(year) is Stage.ISSUED
    assert sending.outstanding(year=Y).letters == []
    row = Delivery.objects.order_by("pk").first()
    assert row is not None
    for status in (Status.PENDING, Status.RETRY, Status.SENDING):
        Delivery.objects.filter(pk=row.pk).update(status=status)
        assert not sending.plan_is_done(year, 1)
    for status in (Status.FAILED, Status.IN_DOUBT):
        Delivery.objects.filter(pk=row.pk).update(status=status)
        assert sending.plan_is_done(year, 1)


def test_the_dry_run_counts_copies_still_to_go(year, users) -> None:
    approve(year, users["publisher"])
    assert sending.outstanding(year=Y).copies == 12
    first = authorities()[0]
    assert [
        (p.code, n)
        for p, n in sending.outstanding(year=Y, authority_codes=[first.gss_code]).letters
    ] == [(first.gss_code, 4)]
    sending.send_letters(year=Y, user=None, authority_codes=[first.gss_code], transport=Scripted())
    row = Delivery.objects.filter(letter__authority=first).order_by("pk")
    Delivery.objects.filter(pk=row[0].pk).update(status=Status.RETRY)
    Delivery.objects.filter(pk=row[1].pk).update(status=Status.PENDING)
    Delivery.objects.filter(pk=row[2].pk).update(status=Status.IN_DOUBT)
    waiting = sending.outstanding(year=Y)
    assert [(p.code, n) for p, n in waiting.letters] == [
        (a.gss_code, 2 if a == first else 4) for a in authorities()
    ]
    assert waiting.copies == 10


def test_send_again_makes_the_next_attempt_with_who_and_why(year, users) -> None:
    approve(year, users["publisher"])
    sending.send_letters(
        year=Y, user=None, transport=Scripted(leader=Result(Outcome.PERMANENT, "550 gone"))
    )
    refused = Delivery.objects.filter(status=Status.FAILED).order_by("pk").first()
    assert refused is not None
    with pytest.raises(NotAllowed):
        sending.send_again(delivery_id=refused.pk, user=users["analyst"], reason="fixed")
    with pytest.raises(CycleError, match=r"^say why the letter is being sent again$"):
        sending.send_again(delivery_id=refused.pk, user=users["publisher"], reason="  ")
    transport = Scripted()
    second = sending.send_again(
        delivery_id=refused.pk, user=users["publisher"], reason=" fixed ", transport=transport
    )
    assert transport.sent == [refused.email]
    assert (second.attempt, second.status, second.reason, second.requested_by) == (
        2,
        Status.SENT,
        "fixed",
        "publisher",
    )
    assert (second.role, second.name, second.copy, second.letter_id) == (
        refused.role,
        refused.name,
        refused.copy,
        refused.letter_id,
    )
    assert second.message_id not in {refused.message_id, ""}
    letter = refused.letter
    assert second.message_id == messages.message_id(
        year=Y, code=letter.authority.gss_code, revision=1, email=refused.email, attempt=2
    )
    third = sending.send_again(
        delivery_id=refused.pk, user=users["publisher"], reason="again", transport=Scripted()
    )
    assert (
        third.attempt == 3 and len({refused.message_id, second.message_id, third.message_id}) == 3
    )


def test_send_again_many_sends_the_refused_and_in_doubt_only(year, users) -> None:
    approve(year, users["publisher"])
    sending.send_letters(
        year=Y, user=None, transport=Scripted(leader=Result(Outcome.PERMANENT, "550 gone"))
    )
    refused = list(Delivery.objects.filter(status=Status.FAILED).order_by("pk"))
    assert len(refused) == 3
    doubt = Delivery.objects.filter(status=Status.SENT).order_by("pk").first()
    assert doubt is not None
    Delivery.objects.filter(pk=doubt.pk).update(status=Status.IN_DOUBT)
    ids = [r.pk for r in refused] + [doubt.pk]
    with pytest.raises(NotAllowed):
        sending.send_again_many(delivery_ids=ids, user=users["analyst"], reason="fixed")
    with pytest.raises(CycleError, match=r"^say why the letters are being sent again$"):
        sending.send_again_many(delivery_ids=ids, user=users["publisher"], reason=" ")
    with pytest.raises(CycleError, match=r"^select the copies to send again$"):
        sending.send_again_many(delivery_ids=[], user=users["publisher"], reason="fixed")
    waiting = Delivery.objects.filter(status=Status.SENT).order_by("pk").first()
    assert waiting is not None
    for status in (Status.PENDING, Status.SENT):
        Delivery.objects.filter(pk=waiting.pk).update(status=status)
        with pytest.raises(
            CycleError, match=f"still to be sent \\(resume instead\\): {waiting.email}$"
        ):
            sending.send_again_many(
                delivery_ids=[*ids, waiting.pk], user=users["publisher"], reason="fixed"
            )
    assert Delivery.objects.count() == 12
    transport = Scripted()
    again = sending.send_again_many(
        delivery_ids=ids, user=users["publisher"], reason=" fixed ", transport=transport
    )
    assert sorted(transport.sent) == sorted([r.email for r in refused] + [doubt.email])
    assert {(r.attempt, r.status, r.reason, r.requested_by) for r in again} == {
        (2, Status.SENT, "fixed", "publisher")
    }
    assert Delivery.objects.count() == 16


def test_send_again_many_names_at_most_five_copies_still_to_be_sent(year, users) -> None:
    approve(year, users["publisher"])
    sending.send_letters(year=Y, user=None, transport=Scripted())
    rows = list(Delivery.objects.order_by("pk")[:7])
    with pytest.raises(CycleError) as refused:
        sending.send_again_many(
            delivery_ids=[r.pk for r in rows], user=users["publisher"], reason="fixed"
        )
    named = str(refused.value).rsplit(": ", 1)[1].split(", ")
    assert len(named) == 5 and set(named) <= {r.email for r in rows}
    assert Delivery.objects.count() == 12


def test_a_correction_sent_in_two_runs_reaches_every_changed_council(year, users) -> None:
    """The second run compares the new revision with the one sent before it (not with
    itself): the letters of the correction not yet sent still go, marked corrected."""
    approve(year, users["publisher"])
    sending.send_letters(year=Y, user=None, transport=Scripted())
    assert {(p.corrected, p.sent_before) for p in sending.plan(year=Y)} == {(False, True)}
    first, second, unitary = authorities()
    make_case(authority=first, decision_date=dt.date(2019, 7, 1), outcome="upheld")
    correct_statistics(year=Y, reason="a decision was missed")
    batch.generate_letters(year=Y, processes=1)
    approve(year, users["publisher"])
    planned = sending.plan(year=Y)
    assert [(p.code, p.corrected, p.sent_before) for p in planned] == [
        (first.gss_code, True, False),
        (second.gss_code, True, False),
    ]
    transport = Scripted()
    sending.send_letters(year=Y, user=None, authority_codes=[first.gss_code], transport=transport)
    assert lifecycle.stage(year) is Stage.APPROVED  # one changed council still to write to
    sending.send_letters(year=Y, user=None, transport=transport)
    assert {r.partition("@")[2] for r in transport.sent} == {
        f"{first.slug}.example.org",
        f"{second.slug}.example.org",
    }
    assert len(transport.sent) == 8 and lifecycle.stage(year) is Stage.ISSUED
    corrected = SentLetter.objects.filter(statistics_revision=2)
    assert sorted(s.authority_id for s in corrected if s.corrected) == sorted([first.pk, second.pk])
    assert not SentLetter.objects.filter(authority=unitary, statistics_revision=2).exists()


def test_send_again_reads_the_copy_with_its_letter_council_and_year_at_once(year, users) -> None:
    approve(year, users["publisher"])
    sending.send_letters(year=Y, user=None, transport=Scripted(leader=DOUBT))
    doubtful = Delivery.objects.filter(status=Status.IN_DOUBT).order_by("pk").first()
    assert doubtful is not None
    with CaptureQueriesContext(connection) as queries:
        sending.send_again(
            delivery_id=doubtful.pk, user=users["publisher"], reason="lost", transport=Scripted()
        )
    tables = (Authority._meta.db_table, ReviewYear._meta.db_table)
    alone = [
        q["sql"] for q in queries.captured_queries if any(f'FROM "{t}"' in q["sql"] for t in tables)
    ]
    assert alone == []  # no query of its own for the council or the year


def test_another_hosts_lease_holds_up_to_its_last_instant(year, users) -> None:
    approve(year, users["publisher"])
    end = timezone.now().replace(microsecond=0) + dt.timedelta(minutes=5)
    YearCycle.objects.filter(review_year=year).update(
        send_lock="mail-2.example:4242", send_lock_until=end
    )
    with (
        time_machine.travel(end, tick=False),
        pytest.raises(CycleError, match=r"being sent by mail-2\.example:4242"),
    ):
        sending.send_letters(year=Y, user=None, transport=Scripted())
    with time_machine.travel(end + dt.timedelta(microseconds=1), tick=False):
        assert sending.send_letters(year=Y, user=None, transport=Scripted()).sent == 12


def test_the_dry_run_counts_only_this_years_copies(year, users) -> None:
    approve(year, users["publisher"])
    sending.send_letters(year=Y, user=None, transport=Scripted())
    first = authorities()[0]
    earlier = SentLetter.objects.create(
        authority=first,
        review_year=make_review_year(year="2018-19"),
        statistics_revision=1,
        created_at=timezone.now(),
    )
    Delivery.objects.create(
        letter=earlier,
        role="leader",
        name="Leader",
        email=f"leader@{first.slug}.example.org",
        message_id="<earlier@councilperf.test>",
        created_at=timezone.now(),
    )
    assert sending.outstanding(year=Y).letters == []


def test_send_again_many_reads_the_copies_with_their_council_and_year(year, users) -> None:
    approve(year, users["publisher"])
    sending.send_letters(year=Y, user=None, transport=Scripted(leader=DOUBT))
    ids = list(Delivery.objects.filter(status=Status.IN_DOUBT).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        sending.send_again_many(
            delivery_ids=ids, user=users["publisher"], reason="lost", transport=Scripted()
        )
    tables = (Authority._meta.db_table, ReviewYear._meta.db_table)
    alone = [
        q["sql"] for q in queries.captured_queries if any(f'FROM "{t}"' in q["sql"] for t in tables)
    ]
    assert alone == []
