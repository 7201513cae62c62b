"""Subscribing with double opt-in, confirming, unsubscribing.

:func:`subscribe` stores a pending subscription and emails a single-use link that expires
(only its hash is stored); nothing else is ever sent to an address before it is confirmed
(:func:`confirm`). :func:`unsubscribe` deletes the subscription and its alerts: no address is
kept once someone stops following. Pending subscriptions never confirmed are deleted when
their link expires (:func:`forget_expired`, run by the publication job).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from councilperf.alerts.models import ALL, Subscription
from councilperf.authorities.models import Authority
from councilperf.distribution.smtp import Outcome, Transport

CONFIRM_HOURS = 48
RESEND_MINUTES = 10  # a second confirmation to the same address and choice waits this long
MAX_PENDING = 10  # pending subscriptions one address may have at a time


class Asked(enum.Enum):
    SENT = "sent"  # a confirmation link is on its way
    ALREADY = "already"  # already confirmed: nothing sent
    RECENT = "recent"  # a link was sent a few minutes ago: not sent again yet
    TOO_MANY = "too_many"  # too many pending choices for this address


class NotSent(Exception):
    """The confirmation email could not be sent (the mail server did not take it)."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def normalise(email: str) -> str:
    return email.strip().lower()


def subscribe(*, email: str, authority: Authority | None, now: dt.datetime | None = None) -> Asked:
    """Ask for alerts of every release (``authority`` None) or of one council's page."""
    now = now or timezone.now()
    email = normalise(email)
    scope = authority.gss_code if authority else ALL
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        found = Subscription.objects.select_for_update().filter(email=email, scope=scope).first()
        if found is not None and found.confirmed:
            return Asked.ALREADY
        if (
            found is not None
            and found.confirm_sent_at
            and (now - found.confirm_sent_at < dt.timedelta(minutes=RESEND_MINUTES))
        ):
            return Asked.RECENT
        pending = Subscription.objects.filter(email=email, confirmed_at__isnull=True)
        if found is None and pending.count() >= MAX_PENDING:
            return Asked.TOO_MANY
        row = found or Subscription(
            email=email,
            scope=scope,
            authority=authority,
            unsubscribe_token=secrets.token_urlsafe(32),
            created_at=now,
        )
        row.confirm_hash = digest(token)
        row.confirm_expires = now + dt.timedelta(hours=CONFIRM_HOURS)
        row.confirm_sent_at = now
        row.save()
    transport = Transport()  # the letters' SMTP connection: every outcome said, none raised
    try:
        result = transport.send(
            sender=settings.DEFAULT_FROM_EMAIL,
            recipient=row.email,
            data=_confirmation(row, token).message().as_bytes(),
        )
    finally:
        transport.close()
    if result.outcome is not Outcome.SENT:  # say so; they may ask again at once
        Subscription.objects.filter(pk=row.pk).update(confirm_sent_at=None)
        raise NotSent(result.detail)
    return Asked.SENT


def followed(row: Subscription) -> str:
    """What the subscription follows, in words."""
    if row.authority is None:
        return "every release of the councils' complaint statistics"
    return f"releases of {row.authority.official_name}'s complaint statistics"


def _confirmation(row: Subscription, token: str) -> EmailMessage:
    link = absolute(reverse("alerts:confirm", args=[token]))
    body = (
        f"Someone (we hope you) asked for email alerts of {followed(row)}.\n\n"
        f"To start getting them, open this link and press the button:\n{link}\n\n"
        f"The link works once and expires in {CONFIRM_HOURS} hours. If you did not ask, "
        "ignore this email: you will get nothing more from us, and your address is deleted "
        "when the link expires.\n"
    )
    return EmailMessage(
        subject="Confirm your email alerts: Your council's performance",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.email],
    )


def pending(*, token: str, now: dt.datetime | None = None) -> Subscription | None:
    """The unconfirmed subscription whose link is ``token`` and has not expired (no writes)."""
    now = now or timezone.now()
    return (
        Subscription.objects.select_related("authority")
        .filter(confirm_hash=digest(token), confirmed_at__isnull=True, confirm_expires__gt=now)
        .first()
    )


def confirm(*, token: str, now: dt.datetime | None = None) -> Subscription | None:
    """Confirm the subscription of a valid link, once (the link then stops working)."""
    now = now or timezone.now()
    with transaction.atomic():
        row = pending(token=token, now=now)
        if row is None:
            return None
        updated = Subscription.objects.filter(pk=row.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, confirm_hash="", confirm_expires=None
        )
    return row if updated else None


def by_unsubscribe_token(*, token: str) -> Subscription | None:
    return Subscription.objects.select_related("authority").filter(unsubscribe_token=token).first()


def unsubscribe(*, token: str) -> bool:
    """Delete the subscription (its address and alerts with it); False if none had it."""
    deleted, _ = Subscription.objects.filter(unsubscribe_token=token).delete()
    return bool(deleted)


def forget_expired(*, now: dt.datetime | None = None) -> int:
    """Delete subscriptions never confirmed whose link has expired: their addresses go."""
    now = now or timezone.now()
    deleted, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, confirm_expires__lte=now
    ).delete()
    return deleted
