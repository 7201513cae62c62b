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
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from councilperf.distribution import messages, preview, record, spreadsheet
from councilperf.distribution.models import Delivery, SentLetter
from councilperf.distribution.smtp import Outcome, Transport
from councilperf.letters import wording

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


def mark_interrupted(*, year: str) -> int:
    """Rows left ``sending`` by an interrupted run become ``in_doubt`` (never re-sent)."""
    return Delivery.objects.filter(letter__review_year__year=year, status=Status.SENDING).update(
        status=Status.IN_DOUBT,
        last_error="interrupted between the SMTP transaction and its confirmation",
        finished_at=timezone.now(),
    )


def _everyone(letter: SentLetter) -> list[messages.Recipient]:
    rows = letter.deliveries.filter(attempt=1).order_by("copy", "id")
    return [messages.Recipient(r.role, r.name, r.email, r.copy) for r in rows]


class _Prepared:
    """What every copy of one sent letter shares (read once per letter in a run)."""

    def __init__(self, letter: SentLetter) -> None:
        authority, review_year = letter.authority, letter.review_year
        self.pdf = record.read_checked(letter.pdf_path, letter.pdf_sha256)
        self.xlsx = spreadsheet.casework_xlsx(
            authority=authority, year=review_year.year, synthetic=letter.synthetic
        )
        self.everyone = _everyone(letter)
        published = review_year.publication_date
        self.letter = messages.Letter(
            authority_name=authority.official_name,
            authority_code=authority.gss_code,
            year=review_year.year,
            revision=letter.statistics_revision,
            corrected=letter.corrected,
            synthetic=letter.synthetic,
            publication_date=wording.long_date(published) if published else "a date to come",
            public_url=settings.SITE_URL + reverse("public:council", args=[authority.slug]),
            preview_url=preview.preview_url(code=authority.gss_code, review_year=review_year)
            if published
            else "",
        )

    def data(self, delivery: Delivery) -> bytes:
        recipient = messages.Recipient(delivery.role, delivery.name, delivery.email, delivery.copy)
        email = messages.build(
            letter=self.letter,
            recipient=recipient,
            everyone=self.everyone,
            attempt=delivery.attempt,
            pdf=self.pdf,
            xlsx=self.xlsx,
        )
        return email.message().as_bytes()


def _claim(pk: int) -> bool:
    return bool(
        Delivery.objects.filter(pk=pk, status__in=[Status.PENDING, Status.RETRY]).update(
            status=Status.SENDING, started_at=timezone.now(), tries=F("tries") + 1
        )
    )


def _finish(delivery: Delivery, status: str, detail: str) -> None:
    Delivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
        status=status,
        last_error="" if status == Status.SENT else detail,
        finished_at=timezone.now(),
    )


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
    try:
        while pending:
            again: list[int] = []
            for pk in pending:
                status = _one(pk, transport, prepared, max_tries, tally)
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
    pk: int, transport: Transport, prepared: dict[int, _Prepared], max_tries: int, tally: Tally
) -> str | None:
    delivery = Delivery.objects.select_related("letter__authority", "letter__review_year").get(
        pk=pk
    )
    if delivery.status not in (Status.PENDING, Status.RETRY):
        return None  # settled meanwhile
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
    # The row says "sending" (committed) before the SMTP transaction begins.
    if not _claim(pk):
        return None  # claimed by someone else
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
