"""Alerts at publication: one email per confirmed subscriber per published revision.

The publication job calls :func:`prepare` in the transaction that records a year's
publication, so the year is never recorded as published without its alerts queued (a
``pending`` :class:`Alert` per subscriber whose subscription covers it: every release, or
the council's page when the council has figures in that revision). :func:`send_outstanding`
then sends every alert still to be sent, each exactly once through the letters' rules
(``distribution.claims``): claimed before its SMTP transaction, settled after; a run killed
between the two leaves it ``in_doubt`` and it is never sent again by itself. Temporary
failures stay ``retry`` and the job's next run (every five minutes) sends them.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from councilperf.alerts import compose
from councilperf.alerts.models import ALL, Alert, Subscription
from councilperf.distribution import claims
from councilperf.distribution.smtp import Transport
from councilperf.statistics import selectors as stats
from councilperf.years import ReportingYear

_CLAIMS = claims.Claims(Alert._meta.db_table)


Round = claims.Run  # what one sending round did


def _message_id() -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<alert-{uuid.uuid4().hex}@{host}>"


def prepare(*, year: ReportingYear, revision: int, replaces: int | None) -> int:
    """Queue the alerts of ``year`` at ``revision`` (``replaces``: the revision public before,
    for a correction). Idempotent: a subscriber already queued for it is not queued again."""
    codes = list(stats.figures(year=year, revision=revision)[0])
    covered = Subscription.objects.filter(confirmed_at__isnull=False).filter(
        Q(scope=ALL) | Q(scope__in=codes)
    )
    now = timezone.now()
    rows = [
        Alert(
            subscription_id=pk,
            year=year.label,
            revision=revision,
            replaces=replaces,
            message_id=_message_id(),
            created_at=now,
        )
        for pk in covered.values_list("pk", flat=True)
    ]
    Alert.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def send_outstanding(*, transport: Transport | None = None) -> Round:
    """Send every alert still to be sent, once; alerts an interrupted run left ``sending``
    are marked in doubt first (never sent again by themselves)."""
    result = Round(in_doubt=claims.settle_interrupted(Alert.objects.all()))
    waiting = list(
        Alert.objects.filter(status__in=claims.TO_SEND)
        .select_related("subscription__authority")
        .order_by("pk")
    )
    if not waiting:
        return result
    transport = transport or Transport()
    writer = compose.Writer()
    try:
        for alert in waiting:
            status, answer = claims.transmit(
                claims=_CLAIMS,
                pk=alert.pk,
                transport=transport,
                recipient=alert.subscription.email,
                data=writer.message(alert),
            )
            if answer is not None and answer.unreachable:
                result.problems.append(f"the mail server did not answer: {answer.detail}")
                break  # an outage: the rest wait for the next run
            result.count(status, who=f"alert {alert.pk}", detail=answer.detail if answer else "")
    finally:
        transport.close()
    result.unsent = Alert.objects.filter(status__in=claims.TO_SEND).count()
    return result


def in_doubt() -> list[Alert]:
    """Alerts in doubt with no later attempt: an operator decides whether to send them again."""
    doubtful = Alert.objects.filter(status=Alert.Status.IN_DOUBT).select_related("subscription")
    return [
        alert
        for alert in doubtful.order_by("pk")
        if not Alert.objects.filter(
            subscription_id=alert.subscription_id,
            year=alert.year,
            revision=alert.revision,
            attempt__gt=alert.attempt,
        ).exists()
    ]


def send_again(*, reason: str, transport: Transport | None = None) -> Round:
    """Send every alert in doubt again, once, recording why (a new attempt of each)."""
    if not reason.strip():
        raise ValueError("say why the alerts in doubt are being sent again")
    now = timezone.now()
    for alert in in_doubt():
        Alert.objects.create(
            subscription_id=alert.subscription_id,
            year=alert.year,
            revision=alert.revision,
            replaces=alert.replaces,
            attempt=alert.attempt + 1,
            reason=reason.strip(),
            message_id=_message_id(),
            created_at=now,
        )
    return send_outstanding(transport=transport)
