"""Deliver prepared :class:`Delivery` rows over one SMTP connection, each exactly once.

For each row: claim it (``pending``/``retry`` → ``sending``, committed) *before* the SMTP
transaction, then record what the server said (``sent``, ``retry``, ``failed`` or
``in_doubt``) after it. A process killed between the two leaves the row ``sending``; the next
run marks it ``in_doubt`` (:func:`mark_interrupted`) and never sends it again by itself — a
publisher decides ("send again", with a reason). Temporary failures are retried, in rounds
with a doubling pause, up to ``SEND_MAX_TRIES`` tries.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import timezone

from councilperf.distribution import composing, record
from councilperf.distribution.models import Delivery, SentLetter
from councilperf.distribution.smtp import Outcome, Transport
from councilperf.years import ReportingYear

Status = Delivery.Status


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0
    in_doubt: int = 0
    retried: int = 0
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.sent} sent, {self.failed} refused, {self.in_doubt} in doubt, "
            f"{self.retried} temporary failure(s) retried"
        )


def mark_interrupted(*, year: ReportingYear) -> int:
    """Rows left ``sending`` by an interrupted run become ``in_doubt`` (never re-sent)."""
    return Delivery.objects.filter(letter__review_year__year=year, status=Status.SENDING).update(
        status=Status.IN_DOUBT,
        last_error="interrupted between the SMTP transaction and its confirmation",
        finished_at=timezone.now(),
    )


class _Prepared:
    """A sent letter's composed email (read and checked once per letter in a run)."""

    def __init__(self, letter: SentLetter) -> None:
        self.email = record.read_checked(letter.email_path, letter.email_sha256)

    def data(self, delivery: Delivery) -> bytes:
        return composing.copy_for(self.email, delivery.message_id)


# The two writes around every SMTP transaction, as plain SQL: they are the price of
# exactly-once, paid per message, so they skip the ORM's per-query work.
_TABLE = Delivery._meta.db_table
_CLAIM = (
    f"UPDATE {_TABLE} SET status = %s, started_at = %s, tries = tries + 1 "
    "WHERE id = %s AND status IN (%s, %s)"
)
_FINISH = (
    f"UPDATE {_TABLE} SET status = %s, last_error = %s, finished_at = %s "
    "WHERE id = %s AND status = %s"
)


def _claim(pk: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM, [Status.SENDING, timezone.now(), pk, Status.PENDING, Status.RETRY])
        return bool(cursor.rowcount == 1)


def _finish(delivery: Delivery, status: str, detail: str) -> None:
    error = "" if status == Status.SENT else detail
    with connection.cursor() as cursor:
        cursor.execute(_FINISH, [status, error, timezone.now(), delivery.pk, Status.SENDING])


def deliver(
    *,
    ids: Iterable[int],
    transport: Transport | None = None,
    tick: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Tally:
    """Send every given row still to be sent; ``tick(status)`` after each row is settled."""
    transport = transport or Transport()
    max_tries = int(settings.SEND_MAX_TRIES)
    pause = float(settings.SEND_BACKOFF_SECONDS)
    prepared: dict[int, _Prepared] = {}
    tally = Tally()
    pending = list(ids)
    rows = Delivery.objects.select_related("letter").in_bulk(pending)  # one query for all
    try:
        while pending:
            again: list[int] = []
            for pk in pending:
                status = _one(rows[pk], transport, prepared, max_tries, tally)
                if status == Status.RETRY:
                    again.append(pk)
                elif status is not None and tick:
                    tick(status)
            if again:
                tally.retried += len(again)
                sleep(pause)
                pause *= 2
            pending = again
    finally:
        transport.close()
    return tally


def _one(
    delivery: Delivery,
    transport: Transport,
    prepared: dict[int, _Prepared],
    max_tries: int,
    tally: Tally,
) -> str | None:
    pk = delivery.pk
    try:
        if delivery.letter_id not in prepared:
            prepared[delivery.letter_id] = _Prepared(delivery.letter)
    except record.LetterFileMissing as error:
        Delivery.objects.filter(pk=pk, status__in=[Status.PENDING, Status.RETRY]).update(
            status=Status.FAILED, last_error=f"letter file missing or altered: {error}"
        )
        tally.failed += 1
        return Status.FAILED
    data = prepared[delivery.letter_id].data(delivery)
    # The row says "sending" (committed) before the SMTP transaction begins; a row settled
    # or claimed meanwhile (by another run) is left alone.
    if not _claim(pk):
        return None
    delivery.tries += 1
    result = transport.send(
        sender=settings.DEFAULT_FROM_EMAIL,
        recipient=delivery.email,
        data=data,
    )
    status = {
        Outcome.SENT: Status.SENT,
        Outcome.TEMPORARY: Status.RETRY,
        Outcome.PERMANENT: Status.FAILED,
        Outcome.IN_DOUBT: Status.IN_DOUBT,
    }[result.outcome]
    detail = result.detail
    if status == Status.RETRY and delivery.tries >= max_tries:
        status, detail = Status.FAILED, f"gave up after {delivery.tries} tries: {detail}"
    _finish(delivery, status, detail)
    if status == Status.SENT:
        tally.sent += 1
    elif status == Status.FAILED:
        tally.failed += 1
        tally.problems.append(f"{delivery.email}: {detail}")
    elif status == Status.IN_DOUBT:
        tally.in_doubt += 1
        tally.problems.append(f"{delivery.email}: in doubt ({detail})")
    return status
