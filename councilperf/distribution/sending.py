"""Sending a year's letters: who gets what (the dry run), then each delivery exactly once.

:func:`plan` writes nothing: it is the dry run, and the first half of a real run. A real
run (:func:`send_letters`) takes the year's send lock, marks any row an interrupted run left
``sending`` as in doubt, records each letter as sent (``record``) with a ``pending`` row per
recipient, and delivers the rows not yet attempted (``delivering``). A re-run therefore sends
only what was never attempted. After a correction only the authorities whose figures changed
get a letter, marked "Corrected".
"""

from __future__ import annotations

import dataclasses
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from councilperf.authorities.models import Authority, ContactRole
from councilperf.distribution import lifecycle, messages, record, roles
from councilperf.distribution.delivering import Tally, deliver, mark_interrupted
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.models import Delivery, SentLetter, YearCycle
from councilperf.distribution.smtp import Transport
from councilperf.letters import batch, services, sources
from councilperf.letters.models import Letter
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear

LOCK_SECONDS = 120
TO_SEND = (Delivery.Status.PENDING, Delivery.Status.RETRY)


class SendIncomplete(CycleError):
    """A run stopped with copies unsent (an outage, or a server that kept deferring): the
    year stays *sending*; resume when the server is back."""

    def __init__(self, message: str, tally: Tally) -> None:
        super().__init__(message)
        self.tally = tally


@dataclass(frozen=True)
class Planned:
    code: str
    name: str
    revision: int
    corrected: bool
    recipients: tuple[messages.Recipient, ...]
    sent_before: bool  # this revision's letter was already recorded (a re-run)


def _changed(year: ReportingYear, old: int, new: int) -> set[str]:
    before = sources.load_statistics(year, revision=old)
    after = sources.load_statistics(year, revision=new)
    return {
        code
        for code, figures in after.items()
        if code not in before
        or dataclasses.replace(figures, revision=0) != dataclasses.replace(before[code], revision=0)
    }


def plan(*, year: ReportingYear, authority_codes: Iterable[str] | None = None) -> list[Planned]:
    """Who gets which letter, for the approved revision (no writes; refuses what is not ready)."""
    review_year = lifecycle.review_year_or_error(year)
    cycle = lifecycle.require_sendable(review_year)
    revision = cycle.approved_revision
    assert revision is not None
    statistics = sources.load_statistics(review_year.reporting_year, revision=revision)
    wanted = set(statistics) if authority_codes is None else set(authority_codes)
    unknown = sorted(wanted - set(statistics))
    if unknown:
        raise CycleError(f"no {review_year.year} letter for {', '.join(unknown)}")
    template = services.template_for_year(review_year)
    # The monitoring officer is copied where the year's letter says so (or the cycle asks).
    monitoring_officer = cycle.copy_monitoring_officer or (
        ContactRole.MONITORING_OFFICER.value in template.copy_roles
    )
    jobs, _, _ = batch.plan(
        review_year=review_year,
        template=template,
        statistics={code: statistics[code] for code in wanted},
        directory=batch.letters_directory(),
    )
    if jobs:
        codes = ", ".join(job.authority_code for job in jobs[:5])
        raise CycleError(
            f"{len(jobs)} letter(s) missing or out of date ({codes}…): generate the letters first"
        )
    sent = {
        (s.authority.gss_code, s.statistics_revision): s
        for s in SentLetter.objects.filter(review_year=review_year).select_related("authority")
    }
    earlier = sorted({r for (_, r) in sent if r < revision})
    changed = (
        _changed(review_year.reporting_year, earlier[-1], revision) if earlier else set(wanted)
    )
    authorities = Authority.objects.filter(gss_code__in=wanted).prefetch_related("contacts")
    result = []
    for authority in sorted(authorities, key=lambda a: a.official_name):
        code = authority.gss_code
        previously = any(c == code and r < revision for (c, r) in sent)
        if previously and code not in changed and (code, revision) not in sent:
            continue  # figures unchanged by the correction: the letter sent stands
        result.append(
            Planned(
                code=code,
                name=authority.official_name,
                revision=revision,
                corrected=previously,
                recipients=tuple(
                    messages.recipients(authority=authority, monitoring_officer=monitoring_officer)
                ),
                sent_before=(code, revision) in sent,
            )
        )
    return result


@contextmanager
def send_lock(review_year: ReviewYear) -> Iterator[None]:
    """One sender per year at a time; a lock left by a killed process on this host is taken
    over (its process is gone), one held elsewhere waits out its lease."""
    me = f"{socket.gethostname()}:{os.getpid()}"
    now = timezone.now()
    with transaction.atomic():
        cycle = YearCycle.objects.select_for_update().get(review_year=review_year)
        if cycle.send_lock and cycle.send_lock != me and not _stale(cycle, now):
            raise CycleError(f"{review_year.year} letters are being sent by {cycle.send_lock}")
        cycle.send_lock, cycle.send_lock_until = me, now + timedelta(seconds=LOCK_SECONDS)
        cycle.save(update_fields=["send_lock", "send_lock_until"])
    try:
        yield
    finally:
        YearCycle.objects.filter(pk=cycle.pk, send_lock=me).update(
            send_lock="", send_lock_until=None
        )


def _stale(cycle: YearCycle, now: Any) -> bool:
    host, _, pid = cycle.send_lock.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    return cycle.send_lock_until is None or cycle.send_lock_until < now


def _prepare(
    review_year: ReviewYear, planned: list[Planned], tick: Callable[[str], None] | None = None
) -> list[int]:
    """Record each planned letter as sent and a pending row per recipient (idempotent);
    ``tick`` after each letter."""
    letters = {
        letter.authority.gss_code: letter
        for letter in Letter.objects.filter(review_year=review_year).select_related("authority")
    }
    ids: list[int] = []
    for item in planned:
        letter = letters[item.code]
        with transaction.atomic():
            sent = record.record_sent_letter(
                authority=letter.authority,
                review_year=review_year,
                letter=letter,
                corrected=item.corrected,
                everyone=list(item.recipients),
            )
            for recipient in item.recipients:
                row, _ = Delivery.objects.get_or_create(
                    letter=sent,
                    email=recipient.email,
                    attempt=1,
                    defaults={
                        "role": recipient.role,
                        "name": recipient.name,
                        "copy": recipient.copy,
                        "message_id": messages.message_id(
                            year=review_year.reporting_year,
                            code=item.code,
                            revision=item.revision,
                            email=recipient.email,
                            attempt=1,
                        ),
                        "created_at": timezone.now(),
                    },
                )
                if row.status in (Delivery.Status.PENDING, Delivery.Status.RETRY):
                    ids.append(row.pk)
        if tick:
            tick("")
    return ids


def send_letters(
    *,
    year: ReportingYear,
    user: Any | None,
    authority_codes: Iterable[str] | None = None,
    transport: Transport | None = None,
    progress: Callable[[int], Callable[[str], None]] | None = None,
    preparing: Callable[[int], Callable[[str], None]] | None = None,
) -> Tally:
    """Send the approved letters (``user`` None: the command line, trusted as the operator).
    ``preparing`` and ``progress`` count the letters recorded, then the copies sent.

    Raises :class:`SendIncomplete` (recording its cause on the year's cycle, which the
    dashboard shows) when copies are left unsent; a later run (a resume) sends just those."""
    if user is not None:
        roles.require(user, "send_letters")
    planned = plan(year=year, authority_codes=authority_codes)
    review_year = lifecycle.review_year_or_error(year)
    with send_lock(review_year):
        interrupted = mark_interrupted(year=review_year.reporting_year)
        ids = _prepare(review_year, planned, preparing(len(planned)) if preparing else None)
        tick = progress(len(ids)) if progress else None
        tally = deliver(ids=ids, transport=transport, tick=tick)
        tally.in_doubt += interrupted
    problem = ""
    if tally.unsent:
        problem = (
            f"{tally.unsent} cop{'y' if tally.unsent == 1 else 'ies'} of the {review_year.year} "
            f"letters not sent: {tally.cause}. When the mail server is back, resume (the "
            f"Resume button, or send_letters --year {review_year.year} --resume): it sends "
            "exactly the copies never delivered."
        )
    YearCycle.objects.filter(review_year=review_year).update(send_problem=problem)
    if problem:
        raise SendIncomplete(f"{problem} ({tally})", tally)
    _maybe_issued(review_year)
    return tally


def resume_letters(
    *,
    year: ReportingYear,
    user: Any | None,
    transport: Transport | None = None,
    progress: Callable[[int], Callable[[str], None]] | None = None,
) -> Tally:
    """Send exactly the copies a stopped run left: refused when no send has started."""
    require_started(lifecycle.review_year_or_error(year))
    return send_letters(year=year, user=user, transport=transport, progress=progress)


def require_started(review_year: ReviewYear) -> None:
    """A resume needs a send to resume (the pages and the command check the same)."""
    if not Delivery.objects.filter(letter__review_year=review_year).exists():
        raise CycleError(f"nothing to resume: no {review_year.year} letter has been sent yet")


@dataclass(frozen=True)
class Outstanding:
    """What a run would send now: each letter with copies still to go, and how many."""

    letters: list[tuple[Planned, int]]

    @property
    def copies(self) -> int:
        return sum(count for _, count in self.letters)


def outstanding(
    *, year: ReportingYear, authority_codes: Iterable[str] | None = None
) -> Outstanding:
    """The dry run's count: a letter never recorded sends every copy; a recorded one only its
    copies still pending or deferred (never one sent, refused or in doubt)."""
    planned = plan(year=year, authority_codes=authority_codes)
    waiting: dict[str, int] = {}
    for code in Delivery.objects.filter(
        letter__review_year__year=lifecycle.review_year_or_error(year).year,
        letter__statistics_revision__in={item.revision for item in planned},
        status__in=TO_SEND,
    ).values_list("letter__authority__gss_code", flat=True):
        waiting[code] = waiting.get(code, 0) + 1
    letters = [
        (item, waiting.get(item.code, 0) if item.sent_before else len(item.recipients))
        for item in planned
    ]
    return Outstanding([(item, count) for item, count in letters if count])


def _maybe_issued(review_year: ReviewYear) -> None:
    """The year is issued once every authority's approved letter has been attempted."""
    cycle = lifecycle.cycle_of(review_year)
    revision = cycle.approved_revision
    if revision is None or cycle.issued_revision == revision:
        return
    if not plan_is_done(review_year, revision):
        return
    lifecycle.mark_issued(review_year=review_year, revision=revision)


def plan_is_done(review_year: ReviewYear, revision: int) -> bool:
    remaining = plan(year=review_year.reporting_year)
    if any(not item.sent_before for item in remaining):
        return False
    return not Delivery.objects.filter(
        letter__review_year=review_year,
        letter__statistics_revision=revision,
        status__in=[Delivery.Status.PENDING, Delivery.Status.RETRY, Delivery.Status.SENDING],
    ).exists()


def send_again(
    *, delivery_id: int, user: Any, reason: str, transport: Transport | None = None
) -> Delivery:
    """Send one recipient's copy again, recording who asked and why (a new delivery row)."""
    roles.require(user, "resend_letter")
    if not reason.strip():
        raise CycleError("say why the letter is being sent again")
    original = Delivery.objects.select_related("letter__authority", "letter__review_year").get(
        pk=delivery_id
    )
    if original.status in TO_SEND or original.status == Delivery.Status.SENDING:
        # A deferred copy too: the resume sends it, and sending it here as well would be twice.
        raise CycleError("this copy is still to be sent: send or resume the year's letters")
    with transaction.atomic():
        row = _new_attempt(original, user=user, reason=reason)
    deliver(ids=[row.pk], transport=transport)
    row.refresh_from_db()
    return row


def send_again_many(
    *, delivery_ids: Iterable[int], user: Any, reason: str, transport: Transport | None = None
) -> list[Delivery]:
    """Send the selected refused or in-doubt copies again, one reason for all, over one
    connection. Copies still to be sent (pending, deferred, sending) are refused: a resume
    sends those, and sending them here too would duplicate them."""
    roles.require(user, "resend_letter")
    if not reason.strip():
        raise CycleError("say why the letters are being sent again")
    originals = list(
        Delivery.objects.select_related("letter__authority", "letter__review_year").filter(
            pk__in=list(delivery_ids)
        )
    )
    if not originals:
        raise CycleError("select the copies to send again")
    waiting = [o.email for o in originals if o.status not in AGAIN]
    if waiting:
        raise CycleError(
            "only refused or in-doubt copies can be sent again; still to be sent (resume "
            "instead): " + ", ".join(waiting[:5])
        )
    with transaction.atomic():
        rows = [_new_attempt(o, user=user, reason=reason) for o in originals]
    deliver(ids=[row.pk for row in rows], transport=transport)
    return list(Delivery.objects.filter(pk__in=[row.pk for row in rows]))


AGAIN = (Delivery.Status.FAILED, Delivery.Status.IN_DOUBT)


def _new_attempt(original: Delivery, *, user: Any, reason: str) -> Delivery:
    """A new row for ``original``'s recipient: attempt n + 1, with who and why."""
    letter = original.letter
    last = letter.deliveries.filter(email=original.email).order_by("-attempt").first()
    attempt = (last.attempt if last else 0) + 1
    return Delivery.objects.create(
        letter=letter,
        role=original.role,
        name=original.name,
        email=original.email,
        copy=original.copy,
        attempt=attempt,
        reason=reason.strip(),
        requested_by=user.username,
        message_id=messages.message_id(
            year=letter.review_year.reporting_year,
            code=letter.authority.gss_code,
            revision=letter.statistics_revision,
            email=original.email,
            attempt=attempt,
        ),
        created_at=timezone.now(),
    )
