"""Reminders to councils whose complaint-handling return is not submitted, each round sent
exactly once per recipient with the letters' delivery rules (``distribution.claims``).

Who is reminded: for every council of the year (it existed at the year's end) whose return
is not submitted, its live portal members (officers and approvers) and its link officer (the
``authorities.Contact`` the ombudsman writes to about complaints) — one reminder per address,
addresses compared without regard to case. A council with none of them is listed as not
reachable.

:func:`create_round` writes the round and all its reminders in one transaction (``pending``),
so a round is never half made. :func:`send_round` sends every reminder still to be sent,
each claimed before its SMTP transaction and settled after it: a process killed between the
two leaves the reminder ``sending``, the next run marks it ``in_doubt`` and never sends it
again by itself (:func:`send_again`: an operator's decision, with a reason); ``retry`` (a
4xx answer, an outage) is sent by the next run. The staff page
sends a new round at once; ``manage.py send_reminders --year Y`` resumes one that stopped.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from councilperf.authorities.models import Authority, Contact, ContactRole
from councilperf.distribution import claims
from councilperf.distribution.smtp import Transport
from councilperf.letters.wording import DEMO_LABEL, long_date
from councilperf.portal.models import (
    ComplaintReturn,
    Membership,
    Reminder,
    ReminderRound,
    ReturnPeriod,
)
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear

_CLAIMS = claims.Claims(Reminder._meta.db_table)


Sent = claims.Run  # what one sending run did


def councils_of(review_year: ReviewYear) -> list[Authority]:
    """The councils of the year: in it, and still existing on its last day."""
    end = ReportingYear.parse(review_year.year).end
    return [
        a
        for a in Authority.objects.filter(years__year=review_year.year).order_by("short_name")
        if a.end_date is None or a.end_date >= end
    ]


def not_submitted(review_year: ReviewYear) -> list[Authority]:
    submitted = set(
        ComplaintReturn.objects.filter(
            review_year=review_year, status=ComplaintReturn.Status.SUBMITTED
        ).values_list("authority_id", flat=True)
    )
    return [a for a in councils_of(review_year) if a.pk not in submitted]


def recipients(authority: Authority) -> list[tuple[str, str]]:
    """(name, email) of the council's live members and its link officer, one per address."""
    people = [
        (m.user.get_full_name() or m.user.get_username(), m.user.email)
        for m in Membership.objects.filter(authority=authority, ended_at__isnull=True)
        .select_related("user")
        .order_by("user__username")
    ]
    people += [
        (c.name, c.email)
        for c in Contact.objects.filter(authority=authority, role=ContactRole.LINK_OFFICER)
    ]
    seen: set[str] = set()
    chosen = []
    for name, email in people:
        if email and email.lower() not in seen:
            seen.add(email.lower())
            chosen.append((name, email))
    return chosen


def _message_id() -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<reminder-{uuid.uuid4().hex}@{host}>"


class NoRound(Exception):
    """No round was made (the message says why, for staff)."""


def last_round(review_year: ReviewYear) -> int:
    """The number of the year's latest round (0: none yet)."""
    found = ReminderRound.objects.filter(review_year=review_year).aggregate(n=Max("number"))
    return int(found["n"] or 0)


@transaction.atomic
def create_round(*, review_year: ReviewYear, user: Any, after: int | None = None) -> ReminderRound:
    """A new round: one pending reminder per recipient of each council not submitted.

    ``after``: the latest round the person saw when confirming; if another round was made
    since (a second click, a colleague), none is made — a confirmation makes one round only.
    """
    ReviewYear.objects.select_for_update().get(pk=review_year.pk)  # one round at a time
    last = last_round(review_year)
    if after is not None and last != after:
        raise NoRound(f"Round {last} was made after you opened the confirmation: nothing sent.")
    people = [(a, name, email) for a in not_submitted(review_year) for name, email in recipients(a)]
    if not people:
        raise NoRound("No council that has not submitted can be reached: nothing sent.")
    now = timezone.now()
    made = ReminderRound.objects.create(
        review_year=review_year, number=last + 1, created_by=user, created_at=now
    )
    Reminder.objects.bulk_create(
        Reminder(
            round=made,
            authority=authority,
            name=name[:120],
            email=email,
            message_id=_message_id(),
            created_at=now,
        )
        for authority, name, email in people
    )
    return made


def unreachable(review_year: ReviewYear) -> list[Authority]:
    """Councils not submitted that no reminder can reach (no member, no link officer)."""
    return [a for a in not_submitted(review_year) if not recipients(a)]


def message(reminder: Reminder, *, period: ReturnPeriod, synthetic: bool) -> bytes:
    """The reminder as sent: who, which council, the deadline and the portal's address."""
    year = period.review_year.year
    council = reminder.authority
    path = reverse("portal:return", kwargs={"slug": council.slug, "year": year})
    due = long_date(period.deadline)
    subject = f"Reminder: {council.official_name}'s complaint-handling return for {year}"
    lines = [DEMO_LABEL + ".", ""] if synthetic else []
    lines += [
        f"Dear {reminder.name or 'colleague'},",
        "",
        f"{council.official_name} has not yet submitted its complaint-handling return for "
        f"{year} (its own stage 1 and stage 2 figures and its self-assessment against the "
        "Complaint Handling Code).",
        "",
        f"The return is due by {due}. Prepare it and send it for sign-off here:",
        f"{settings.SITE_URL}{path}",
        "",
        "If it has been submitted since this reminder was prepared, please ignore it.",
    ]
    email = EmailMessage(
        subject=f"[Demonstration data] {subject}" if synthetic else subject,
        body="\n".join(lines) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.email],
        headers={"Message-ID": reminder.message_id},
    )
    return bytes(email.message().as_bytes())


def send_round(*, review_year: ReviewYear, transport: Transport | None = None) -> Sent:
    """Send every reminder of the year still to be sent, once (resuming any round)."""
    rows = Reminder.objects.filter(round__review_year=review_year)
    result = Sent(in_doubt=claims.settle_interrupted(rows))
    waiting = list(rows.filter(status__in=claims.TO_SEND).select_related("authority"))
    period = ReturnPeriod.objects.filter(review_year=review_year).first()
    if not waiting or period is None:
        return result
    synthetic = review_year.revisions.filter(synthetic=True).exists()
    transport = transport or Transport()
    try:
        for row in sorted(waiting, key=lambda r: r.pk):
            status, answer = claims.transmit(
                claims=_CLAIMS,
                pk=row.pk,
                transport=transport,
                recipient=row.email,
                data=message(row, period=period, synthetic=synthetic),
            )
            if answer is not None and answer.unreachable:
                result.problems.append(f"the mail server did not answer: {answer.detail}")
                break  # an outage: the rest wait for the next run
            result.count(status, who=row.email, detail=answer.detail if answer else "")
    finally:
        transport.close()
    result.unsent = rows.filter(status__in=claims.TO_SEND).count()
    return result


def send_again(*, review_year: ReviewYear, reason: str, transport: Transport | None = None) -> Sent:
    """An operator's decision: send the year's reminders in doubt once more, saying why (the
    same Message-ID, so a mail system that has the first copy can tell it is the same)."""
    if not reason.strip():
        raise ValueError("say why the reminders in doubt are being sent again")
    Reminder.objects.filter(round__review_year=review_year, status=Reminder.Status.IN_DOUBT).update(
        status=Reminder.Status.RETRY, last_error=f"sent again: {reason.strip()}"[:1000]
    )
    return send_round(review_year=review_year, transport=transport)


def rounds(review_year: ReviewYear) -> list[dict[str, Any]]:
    """Each round of the year with its reminders counted by status (for the staff page)."""
    found = []
    for made in ReminderRound.objects.filter(review_year=review_year).order_by("-number"):
        statuses = list(made.reminders.values_list("status", flat=True))
        found.append(
            {
                "round": made,
                "total": len(statuses),
                "councils": made.reminders.values("authority").distinct().count(),
                "by_status": {s: statuses.count(s) for s in sorted(set(statuses))},
            }
        )
    return found
