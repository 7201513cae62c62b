"""Delivering rows exactly once, against a scripted transport (each reply chosen by the test):
what each SMTP outcome leaves on the row and in the tally, the doubling pauses, the cap on
tries, an outage stopping the run, a missing letter file, and rows another run holds. No
letters are rendered: a sent letter here is an email file with its Message-ID slot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from councilperf.distribution import delivering, messages
from councilperf.distribution.delivering import Tally
from councilperf.distribution.models import Delivery, SentLetter
from councilperf.distribution.record import sha256
from councilperf.distribution.smtp import Outcome, Result
from councilperf.years import ReportingYear
from tests.factories import make_authority, make_review_year

pytestmark = pytest.mark.django_db

Status = Delivery.Status
SENT = Result(Outcome.SENT, "250 ok")
DEFER = Result(Outcome.TEMPORARY, "451 try later")
REFUSE = Result(Outcome.PERMANENT, "550 no such user")
DOUBT = Result(Outcome.IN_DOUBT, "no reply after the final dot")
DOWN = Result(Outcome.TEMPORARY, "connection refused", unreachable=True)
EMAIL = f"Subject: Annual letter\r\nMessage-ID: {messages.MESSAGE_ID_SLOT}\r\n\r\nDear council\r\n"


class Scripted:
    """A transport answering each recipient from a script (the last answer repeats)."""

    address = "mail.example.test:25"

    def __init__(self, **script: Iterable[Result]) -> None:
        self.script = {name: list(answers) for name, answers in script.items()}
        self.sent: list[tuple[str, str, bytes]] = []
        self.closed = 0

    def send(self, *, sender: str, recipient: str, data: bytes) -> Result:
        self.sent.append((sender, recipient, data))
        answers = self.script.get(recipient.partition("@")[0], [SENT])
        return answers.pop(0) if len(answers) > 1 else answers[0]

    def close(self) -> None:
        self.closed += 1

    def to(self, name: str) -> int:
        return sum(1 for _, recipient, _ in self.sent if recipient.startswith(f"{name}@"))


@pytest.fixture
def letter(tmp_path: Path, settings: Any) -> SentLetter:
    settings.SEND_MAX_TRIES = 3
    settings.SEND_BACKOFF_SECONDS = 5
    settings.DEFAULT_FROM_EMAIL = "letters@ombudsman.example.test"
    path = tmp_path / "email.eml"
    path.write_bytes(EMAIL.encode())
    return SentLetter.objects.create(
        authority=make_authority(name="Borsetshire"),
        review_year=make_review_year(year="2019-20"),
        statistics_revision=1,
        email_path=str(path),
        email_sha256=sha256(EMAIL.encode()),
        created_at=timezone.now(),
    )


def rows(letter: SentLetter, *names: str, **fields: Any) -> list[int]:
    return [
        Delivery.objects.create(
            letter=letter,
            role="link_officer",
            name=name,
            email=f"{name}@council.example.org",
            message_id=f"<{name}.{letter.pk}@councilperf.test>",
            created_at=timezone.now(),
            **fields,
        ).pk
        for name in names
    ]


def run(ids: list[int], transport: Scripted, **kwargs: Any) -> tuple[Tally, list[float]]:
    pauses: list[float] = []
    tally = delivering.deliver(
        ids=ids,
        transport=transport,  # type: ignore[arg-type]
        sleep=pauses.append,
        **kwargs,
    )
    return tally, pauses


def row(pk: int) -> Delivery:
    return Delivery.objects.get(pk=pk)


def test_each_copy_is_sent_once_with_its_own_message_id_and_the_sender(letter) -> None:
    ids = rows(letter, "ann", "bob")
    transport = Scripted()
    ticks: list[str] = []
    tally, pauses = run(ids, transport, tick=ticks.append)
    assert (tally.sent, tally.failed, tally.in_doubt, tally.retried, tally.unsent) == (
        2,
        0,
        0,
        0,
        0,
    )
    assert tally.problems == [] and tally.cause == "" and pauses == []
    assert ticks == [Status.SENT, Status.SENT]
    assert [(s, r) for s, r, _ in transport.sent] == [
        ("letters@ombudsman.example.test", "ann@council.example.org"),
        ("letters@ombudsman.example.test", "bob@council.example.org"),
    ]
    for pk, (_, _, data) in zip(ids, transport.sent, strict=True):
        assert f"Message-ID: {row(pk).message_id}".encode() in data
        assert messages.MESSAGE_ID_SLOT.encode() not in data
        assert row(pk).status == Status.SENT and row(pk).tries == 1
        assert row(pk).last_error == "" and row(pk).started_at is not None
        assert row(pk).finished_at is not None
    assert transport.closed == 1
    assert str(tally) == "2 sent, 0 refused, 0 in doubt, 0 temporary failure(s) retried"


def test_a_refusal_is_failed_with_the_reply_and_never_retried(letter) -> None:
    ids = rows(letter, "ann", "bob")
    transport = Scripted(ann=[REFUSE])
    ticks: list[str] = []
    tally, pauses = run(ids, transport, tick=ticks.append)
    assert (tally.sent, tally.failed, tally.retried, tally.unsent) == (1, 1, 0, 0)
    assert tally.problems == ["ann@council.example.org: 550 no such user"]
    assert transport.to("ann") == 1 and pauses == []
    refused = row(ids[0])
    assert (refused.status, refused.last_error, refused.tries) == (
        Status.FAILED,
        "550 no such user",
        1,
    )
    assert refused.finished_at is not None
    assert ticks == [Status.FAILED, Status.SENT]


def test_in_doubt_is_recorded_never_retried_and_named(letter) -> None:
    ids = rows(letter, "ann")
    transport = Scripted(ann=[DOUBT, SENT])
    tally, pauses = run(ids, transport)
    assert (tally.sent, tally.in_doubt, tally.failed, tally.unsent) == (0, 1, 0, 0)
    assert tally.problems == ["ann@council.example.org: in doubt (no reply after the final dot)"]
    assert transport.to("ann") == 1 and pauses == []
    assert (row(ids[0]).status, row(ids[0]).last_error) == (
        Status.IN_DOUBT,
        "no reply after the final dot",
    )


def test_a_deferral_is_retried_in_rounds_with_a_doubling_pause(letter) -> None:
    ids = rows(letter, "ann", "bob", "cat")
    transport = Scripted(ann=[DEFER, DEFER, SENT], bob=[DEFER, SENT])
    ticks: list[str] = []
    tally, pauses = run(ids, transport, tick=ticks.append)
    assert pauses == [5.0, 10.0]  # one pause per round, doubling
    assert (tally.sent, tally.retried, tally.unsent, tally.cause) == (3, 3, 0, "")
    assert [r for _, r, _ in transport.sent] == [
        "ann@council.example.org",
        "bob@council.example.org",
        "cat@council.example.org",
        "ann@council.example.org",
        "bob@council.example.org",
        "ann@council.example.org",
    ]
    assert ticks == [Status.SENT, Status.SENT, Status.SENT]  # a deferral is not settled
    assert (row(ids[0]).tries, row(ids[1]).tries, row(ids[2]).tries) == (3, 2, 1)
    assert row(ids[0]).last_error == ""


def test_a_server_that_keeps_deferring_is_tried_up_to_the_cap_and_left_to_resume(
    letter,
) -> None:
    ids = rows(letter, "ann", "bob")
    transport = Scripted(ann=[DEFER])
    tally, pauses = run(ids, transport)
    assert transport.to("ann") == 3 and transport.to("bob") == 1
    assert pauses == [5.0, 10.0]
    assert (tally.sent, tally.failed, tally.retried, tally.unsent) == (1, 0, 2, 1)
    assert tally.cause == (
        "the mail server at mail.example.test:25 deferred ann@council.example.org 3 times "
        "(451 try later)"
    )
    deferred = row(ids[0])
    assert (deferred.status, deferred.last_error, deferred.tries) == (
        Status.RETRY,
        "451 try later",
        3,
    )
    assert str(tally).endswith(f", 1 not sent yet: {tally.cause}")


def test_a_resumed_row_gets_the_full_number_of_tries_again(letter) -> None:
    ids = rows(letter, "ann", status=Status.RETRY, tries=3)
    transport = Scripted(ann=[DEFER, DEFER, SENT])
    tally, _ = run(ids, transport)
    assert transport.to("ann") == 3 and tally.sent == 1
    assert row(ids[0]).tries == 6  # the row counts every try, over all runs


def test_an_outage_retries_the_same_row_then_stops_the_run_leaving_rows_as_they_were(
    letter,
) -> None:
    ids = rows(letter, "ann", "bob")
    transport = Scripted(ann=[DOWN])
    tally, pauses = run(ids, transport)
    assert transport.to("ann") == 3 and transport.to("bob") == 0
    assert pauses == [5.0, 10.0]
    assert tally.cause == (
        "the mail server at mail.example.test:25 did not answer (3 tries; last: connection refused)"
    )
    assert (tally.sent, tally.unsent, tally.retried) == (0, 2, 0)
    assert row(ids[0]).status == Status.RETRY and row(ids[1]).status == Status.PENDING
    assert transport.closed == 1


def test_an_outage_that_ends_sends_the_row_after_a_doubling_wait(letter) -> None:
    ids = rows(letter, "ann", "bob")
    transport = Scripted(ann=[DOWN, DOWN, SENT])
    ticks: list[str] = []
    tally, pauses = run(ids, transport, tick=ticks.append)
    assert pauses == [5.0, 10.0] and transport.to("ann") == 3
    assert (tally.sent, tally.unsent, tally.retried, tally.cause) == (2, 0, 0, "")
    assert ticks == [Status.SENT, Status.SENT]


def test_a_row_claimed_or_settled_elsewhere_is_not_sent(letter) -> None:
    sending, sent, in_doubt, failed = (
        rows(letter, "ann", status=Status.SENDING, tries=1)
        + rows(letter, "bob", status=Status.SENT, tries=1)
        + rows(letter, "cat", status=Status.IN_DOUBT, tries=1)
        + rows(letter, "dan", status=Status.FAILED, tries=1)
    )
    ticks: list[str] = []
    transport = Scripted()
    tally, _ = run([sending, sent, in_doubt, failed], transport, tick=ticks.append)
    assert transport.sent == [] and ticks == [] and tally.sent == 0 and tally.unsent == 0
    assert [row(pk).tries for pk in (sending, sent, in_doubt, failed)] == [1, 1, 1, 1]


def test_a_claimed_row_is_sending_during_the_smtp_transaction(letter) -> None:
    ids = rows(letter, "ann", status=Status.RETRY)
    seen: list[tuple[str, int]] = []

    class Watching(Scripted):
        def send(self, *, sender: str, recipient: str, data: bytes) -> Result:
            found = row(ids[0])
            seen.append((found.status, found.tries))
            return super().send(sender=sender, recipient=recipient, data=data)

    run(ids, Watching())
    assert seen == [(Status.SENDING, 1)]


def test_the_result_is_not_recorded_over_a_row_settled_meanwhile(letter) -> None:
    """The finish only settles a row still ``sending`` (one another process marked in doubt
    stays in doubt)."""
    ids = rows(letter, "ann")

    class Interrupted(Scripted):
        def send(self, *, sender: str, recipient: str, data: bytes) -> Result:
            Delivery.objects.filter(pk=ids[0]).update(status=Status.IN_DOUBT)
            return SENT

    run(ids, Interrupted())
    assert row(ids[0]).status == Status.IN_DOUBT and row(ids[0]).finished_at is None


@pytest.mark.parametrize("damage", ["missing", "altered"])
def test_a_letter_file_missing_or_altered_fails_its_rows_and_sends_nothing(letter, damage) -> None:
    path = Path(letter.email_path)
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes(EMAIL.encode() + b"altered\r\n")
    ids = rows(letter, "ann") + rows(letter, "bob", status=Status.RETRY)
    settled = rows(letter, "cat", status=Status.SENT)
    other_run = rows(letter, "dan")  # pending, but not given to this run
    transport = Scripted()
    ticks: list[str] = []
    tally, _ = run(ids, transport, tick=ticks.append)
    assert transport.sent == [] and tally.failed == 2 and tally.sent == 0
    assert ticks == [Status.FAILED, Status.FAILED]
    for pk in ids:
        assert row(pk).status == Status.FAILED
        assert row(pk).last_error == f"letter file missing or altered: {letter.email_path}"
    assert row(other_run[0]).status == Status.PENDING
    run(settled, transport)
    assert row(settled[0]).status == Status.SENT  # a settled row is left as it was


def test_a_letter_is_read_once_for_all_its_copies(letter, monkeypatch) -> None:
    reads: list[str] = []
    real = delivering.record.read_checked

    def counted(path: str, expected: str) -> bytes:
        reads.append(path)
        return real(path, expected)

    monkeypatch.setattr(delivering.record, "read_checked", counted)
    ids = rows(letter, "ann", "bob", "cat")
    tally, _ = run(ids, Scripted())
    assert tally.sent == 3 and reads == [letter.email_path]


def test_interrupted_rows_of_the_year_become_in_doubt(letter) -> None:
    other_year = SentLetter.objects.create(
        authority=letter.authority,
        review_year=make_review_year(year="2018-19"),
        statistics_revision=1,
        created_at=timezone.now(),
    )
    left, done = rows(letter, "ann", status=Status.SENDING) + rows(letter, "bob")
    elsewhere = rows(other_year, "cat", status=Status.SENDING)[0]
    assert delivering.mark_interrupted(year=ReportingYear(2019)) == 1
    marked = row(left)
    assert marked.status == Status.IN_DOUBT
    assert marked.last_error == "interrupted between the SMTP transaction and its confirmation"
    assert marked.finished_at is not None
    assert marked.finished_at > timezone.now() - dt.timedelta(minutes=5)
    assert row(done).status == Status.PENDING and row(elsewhere).status == Status.SENDING


def test_the_tally_names_what_is_left_only_when_something_is() -> None:
    assert str(Tally(sent=1, failed=2, in_doubt=3, retried=4)) == (
        "1 sent, 2 refused, 3 in doubt, 4 temporary failure(s) retried"
    )
    assert str(Tally(unsent=2, cause="the server kept deferring")) == (
        "0 sent, 0 refused, 0 in doubt, 0 temporary failure(s) retried, "
        "2 not sent yet: the server kept deferring"
    )


def test_only_the_rows_given_are_read_sent_and_counted(letter) -> None:
    given, other = rows(letter, "ann", "bob")
    transport = Scripted(ann=[DEFER])
    with CaptureQueriesContext(connection) as queries:
        tally, _ = run([given], transport)
    assert transport.to("bob") == 0 and row(other).status == Status.PENDING
    assert tally.unsent == 1  # ann, deferred; bob was not part of this run
    # The letters come with their rows (one query), not one query per letter.
    table = SentLetter._meta.db_table
    assert not [q for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]


def test_every_refusal_and_every_copy_in_doubt_is_counted(letter) -> None:
    ids = rows(letter, "ann", "bob", "cat", "dan", "eve")
    transport = Scripted(ann=[REFUSE], bob=[DOUBT], cat=[REFUSE], dan=[DOUBT])
    tally, _ = run(ids, transport)
    assert (tally.sent, tally.failed, tally.in_doubt) == (1, 2, 2)
    assert [p.partition("@")[0] for p in tally.problems] == ["ann", "bob", "cat", "dan"]
