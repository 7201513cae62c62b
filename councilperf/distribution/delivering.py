"""Deliver prepared :class:`Delivery` rows over one SMTP connection, each exactly once.

For each row: claim it (``pending``/``retry`` → ``sending``, committed) *before* the SMTP
transaction, then record what the server said (``sent``, ``retry``, ``failed`` or
``in_doubt``) after it. A process killed between the two leaves the row ``sending``; the next
run marks it ``in_doubt`` (:func:`mark_interrupted`) and never sends it again by itself — a
publisher decides ("send again", with a reason).

Only a 5xx reply for a recipient is a refusal (``failed``). Everything temporary stays
``retry`` — never "refused" — and is sent by the next run (``send_letters --resume``):

- a 4xx reply is retried in rounds with a doubling pause, up to ``SEND_MAX_TRIES`` tries in
  a run; then the row waits, still ``retry``;
- no answer at all (a refused connection, a timeout, a connection dropped before the final
  dot) is an outage: the same row is tried again after a doubling pause, and when
  ``SEND_MAX_TRIES`` tries in a row found no server the run stops, every row not yet sent
  left as it was, and the tally names the cause.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings

from councilperf.distribution import claims, composing, record
from councilperf.distribution.models import Delivery, SentLetter
from councilperf.distribution.smtp import Result, Transport
from councilperf.years import ReportingYear

Status = Delivery.Status


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0
    in_doubt: int = 0
    retried: int = 0
    problems: list[str] = field(default_factory=list)
    unsent: int = 0  # copies left to send (temporary failures, or not reached in an outage)
    cause: str = ""  # why they were left: the mail server did not answer, or kept deferring

    def __str__(self) -> str:
        text = (
            f"{self.sent} sent, {self.failed} refused, {self.in_doubt} in doubt, "
            f"{self.retried} temporary failure(s) retried"
        )
        if self.unsent:
            text += f", {self.unsent} not sent yet: {self.cause}"
        return text


class _Outage(Exception):
    """The mail server did not answer ``SEND_MAX_TRIES`` times in a row: stop the run."""


def mark_interrupted(*, year: ReportingYear) -> int:
    """Rows left ``sending`` by an interrupted run become ``in_doubt`` (never re-sent)."""
    return claims.settle_interrupted(Delivery.objects.filter(letter__review_year__year=year))


class _Prepared:
    """A sent letter's composed email (read and checked once per letter in a run)."""

    def __init__(self, letter: SentLetter) -> None:
        self.email = record.read_checked(letter.email_path, letter.email_sha256)

    def data(self, delivery: Delivery) -> bytes:
        return composing.copy_for(self.email, delivery.message_id)


_CLAIMS = claims.Claims(Delivery._meta.db_table)


def deliver(
    *,
    ids: Iterable[int],
    transport: Transport | None = None,
    tick: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Tally:
    """Send every given row still to be sent; ``tick(status)`` after each row is settled.
    Rows a temporary failure left unsent are counted in ``unsent``, with the ``cause``."""
    run = _Run(transport or Transport(), sleep)
    pending = list(ids)
    rows = Delivery.objects.select_related("letter").in_bulk(pending)  # one query for all
    for row in rows.values():
        row.tries = 0  # this run's tries: a resumed row gets SEND_MAX_TRIES again
    pause = run.pause
    try:
        while pending:
            again: list[int] = []
            for pk in pending:
                status = run.until_answered(rows[pk])
                if status == Status.RETRY and rows[pk].tries < run.max_tries:
                    again.append(pk)
                elif status == Status.RETRY:
                    run.tally.cause = run.deferred(rows[pk])
                elif status is not None and tick:
                    tick(status)
            if again:
                run.tally.retried += len(again)
                sleep(pause)
                pause *= 2
            pending = again
    except _Outage as outage:
        run.tally.cause = str(outage)
    finally:
        run.transport.close()
    run.tally.unsent = Delivery.objects.filter(
        pk__in=list(rows), status__in=[Status.PENDING, Status.RETRY]
    ).count()
    return run.tally


class _Run:
    """One delivery run: its transport, settings, tally and the letters read so far."""

    def __init__(self, transport: Transport, sleep: Callable[[float], None]) -> None:
        self.transport = transport
        self.sleep = sleep
        self.max_tries = int(settings.SEND_MAX_TRIES)
        self.pause = float(settings.SEND_BACKOFF_SECONDS)
        self.prepared: dict[int, _Prepared] = {}
        self.tally = Tally()

    def until_answered(self, delivery: Delivery) -> str | None:
        """Try ``delivery``; while the server does not answer, wait and try it again.
        Counts the tries of this run on the row (``delivery.tries`` from 0)."""
        pause = self.pause
        for attempt in range(1, self.max_tries + 1):
            status, result = _one(delivery, self)
            if result is None or not result.unreachable:
                return status
            if attempt == self.max_tries:
                raise _Outage(
                    f"the mail server at {self.transport.address} did not answer "
                    f"({attempt} tries; last: {result.detail})"
                )
            self.sleep(pause)
            pause *= 2
        return None  # pragma: no cover (the loop returns or raises)

    def deferred(self, delivery: Delivery) -> str:
        return (
            f"the mail server at {self.transport.address} deferred {delivery.email} "
            f"{delivery.tries} times ({delivery.last_error})"
        )


def _one(delivery: Delivery, run: _Run) -> tuple[str | None, Result | None]:
    pk = delivery.pk
    try:
        if delivery.letter_id not in run.prepared:
            run.prepared[delivery.letter_id] = _Prepared(delivery.letter)
    except record.LetterFileMissing as error:
        Delivery.objects.filter(pk=pk, status__in=[Status.PENDING, Status.RETRY]).update(
            status=Status.FAILED, last_error=f"letter file missing or altered: {error}"
        )
        run.tally.failed += 1
        return Status.FAILED, None
    data = run.prepared[delivery.letter_id].data(delivery)
    # The row says "sending" (committed) before the SMTP transaction begins; a row settled
    # or claimed meanwhile (by another run) is left alone.
    status, result = claims.transmit(
        claims=_CLAIMS, pk=pk, transport=run.transport, recipient=delivery.email, data=data
    )
    if status is None or result is None:
        return None, None
    delivery.tries += 1
    delivery.last_error = "" if status == Status.SENT else result.detail
    if status == Status.FAILED:
        run.tally.failed += 1
        run.tally.problems.append(f"{delivery.email}: {result.detail}")
    elif status == Status.SENT:
        run.tally.sent += 1
    elif status == Status.IN_DOUBT:
        run.tally.in_doubt += 1
        run.tally.problems.append(f"{delivery.email}: in doubt ({result.detail})")
    return status, result
