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


def _prepare(review_year: ReviewYear, planned: list[Planned]) -> list[int]:
    """Record each planned letter as sent and a pending row per recipient (idempotent)."""
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
    return ids


def send_letters(
    *,
    year: ReportingYear,
    user: Any | None,
    authority_codes: Iterable[str] | None = None,
    transport: Transport | None = None,
    progress: Callable[[int], Callable[[str], None]] | None = None,
) -> Tally:
    """Send the approved letters (``user`` None: the command line, trusted as the operator)."""
    if user is not None:
        roles.require(user, "send_letters")
    planned = plan(year=year, authority_codes=authority_codes)
    review_year = lifecycle.review_year_or_error(year)
    with send_lock(review_year):
        interrupted = mark_interrupted(year=review_year.reporting_year)
        ids = _prepare(review_year, planned)
        tick = progress(len(ids)) if progress else None
        tally = deliver(ids=ids, transport=transport, tick=tick)
        tally.in_doubt += interrupted
    _maybe_issued(review_year)
    return tally


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
    if original.status in (Delivery.Status.PENDING, Delivery.Status.SENDING):
        raise CycleError("this copy has not been attempted yet: send the year's letters instead")
    letter = original.letter
    with transaction.atomic():
        last = letter.deliveries.filter(email=original.email).order_by("-attempt").first()
        attempt = (last.attempt if last else 0) + 1
        row = Delivery.objects.create(
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
    deliver(ids=[row.pk], transport=transport)
    row.refresh_from_db()
    return row
