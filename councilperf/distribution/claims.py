"""Exactly-once sending for any table of outgoing messages (the letters' deliveries, the
release alerts): claim a row before its SMTP transaction, record the server's answer after.

A row's table needs the columns ``status``, ``started_at``, ``tries``, ``last_error`` and
``finished_at``, with the statuses of :class:`Status` (the letters' ``Delivery.Status``).
:func:`transmit` claims the row (``pending``/``retry`` → ``sending``, committed), sends it
over the :class:`~councilperf.distribution.smtp.Transport` and records the outcome. A process
killed between the two leaves the row ``sending``; :func:`settle_interrupted` turns such rows
``in_doubt`` and nothing ever sends them again by itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from councilperf.distribution.models import Delivery
from councilperf.distribution.smtp import Outcome, Result, Transport

Status = Delivery.Status
TO_SEND = (Status.PENDING, Status.RETRY)

STATUS_OF: dict[Outcome, str] = {
    Outcome.SENT: Status.SENT,
    Outcome.TEMPORARY: Status.RETRY,
    Outcome.PERMANENT: Status.FAILED,
    Outcome.IN_DOUBT: Status.IN_DOUBT,
}


class Claims:
    """The two writes around every SMTP transaction on one table, as plain SQL: they are the
    price of exactly-once, paid per message, so they skip the ORM's per-query work."""

    def __init__(self, table: str) -> None:
        self._claim = (
            f"UPDATE {table} SET status = %s, started_at = %s, tries = tries + 1 "
            "WHERE id = %s AND status IN (%s, %s)"
        )
        self._finish = (
            f"UPDATE {table} SET status = %s, last_error = %s, finished_at = %s "
            "WHERE id = %s AND status = %s"
        )

    def claim(self, pk: int) -> bool:
        """Mark the row ``sending`` (committed) if it is still to be sent; False if another
        run settled or claimed it meanwhile."""
        with connection.cursor() as cursor:
            cursor.execute(
                self._claim, [Status.SENDING, timezone.now(), pk, Status.PENDING, Status.RETRY]
            )
            return bool(cursor.rowcount == 1)

    def finish(self, pk: int, status: str, detail: str) -> None:
        error = "" if status == Status.SENT else detail
        with connection.cursor() as cursor:
            cursor.execute(self._finish, [status, error, timezone.now(), pk, Status.SENDING])


def transmit(
    *, claims: Claims, pk: int, transport: Transport, recipient: str, data: bytes
) -> tuple[str | None, Result | None]:
    """Claim, send and record one row: its new status and the server's answer, or
    (None, None) when the row was no longer to be sent (nothing sent)."""
    if not claims.claim(pk):
        return None, None
    result = transport.send(sender=settings.DEFAULT_FROM_EMAIL, recipient=recipient, data=data)
    status = STATUS_OF[result.outcome]
    claims.finish(pk, status, result.detail)
    return status, result


def settle_interrupted(rows: QuerySet[Any]) -> int:
    """Rows left ``sending`` by an interrupted run become ``in_doubt`` (never re-sent)."""
    return rows.filter(status=Status.SENDING).update(
        status=Status.IN_DOUBT,
        last_error="interrupted between the SMTP transaction and its confirmation",
        finished_at=timezone.now(),
    )


@dataclass
class Run:
    """What one sending run over a table of outgoing messages did (alerts, reminders)."""

    sent: int = 0
    failed: int = 0
    in_doubt: int = 0
    unsent: int = 0
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.sent} sent, {self.failed} refused, {self.in_doubt} in doubt, "
            f"{self.unsent} left for the next run"
        )

    @property
    def anything(self) -> bool:
        return bool(self.sent or self.failed or self.in_doubt or self.unsent)

    def count(self, status: str | None, *, who: str, detail: str) -> None:
        """Add one row's outcome (``status`` None: the row was no longer to be sent)."""
        if status == Status.SENT:
            self.sent += 1
        elif status == Status.FAILED:
            self.failed += 1
            self.problems.append(f"{who}: refused ({detail})")
        elif status == Status.IN_DOUBT:
            self.in_doubt += 1
            self.problems.append(f"{who}: in doubt ({detail})")
