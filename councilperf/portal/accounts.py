"""Council accounts: invitations, joining a council, ending a membership, passing the people
of an abolished council to its successor, and the access log (docs/portal-accounts.md).

Who may change councils' accounts: a *publisher* or an *administrator* (or a superuser) —
the roles that already deal with councils when letters are sent. Any staff role may read.

An invitation's link carries a random token; only its SHA-256 is kept. It works once, until it
expires (``COUNCILPERF_INVITATION_DAYS``) or a staff user withdraws it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.distribution import roles
from councilperf.portal.models import AccessEvent, CouncilRole, Invitation, Membership
from councilperf.statistics.models import ReviewYear

MANAGERS = (roles.PUBLISHER, roles.ADMINISTRATOR)


class Refused(ValueError):
    """The change cannot be made (the message says why, for the user)."""


class NotSent(RuntimeError):
    """The invitation email could not be sent (the invitation was withdrawn)."""


def may_manage(user: Any) -> bool:
    """A publisher, an administrator or a superuser may change councils' accounts."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or user.groups.filter(name__in=MANAGERS).exists())


def require_manager(user: Any) -> None:
    if not may_manage(user):
        who = getattr(user, "username", "") or "anonymous"
        raise roles.NotAllowed(
            f"{who} may not change councils' accounts: needs the publisher or administrator role"
        )


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def log(
    kind: str,
    *,
    user: Any = None,
    username: str = "",
    authority: Authority | None = None,
    review_year: ReviewYear | None = None,
    detail: str = "",
    now: dt.datetime | None = None,
) -> AccessEvent:
    """Write one line of the access log (the portal's downloads use it too)."""
    return AccessEvent.objects.create(
        kind=kind,
        user=user if user is not None and getattr(user, "pk", None) else None,
        username=(username or getattr(user, "username", "") or "")[:150],
        authority=authority,
        review_year=review_year,
        detail=detail[:300],
        at=now or timezone.now(),
    )


# --- Invitations -------------------------------------------------------------------------


def invite(
    *,
    email: str,
    authority: Authority,
    role: str,
    by: Any,
    now: dt.datetime | None = None,
) -> tuple[Invitation, str]:
    """Invite ``email`` to ``authority`` with ``role`` and email the link; the token is
    returned (to the caller only: it is not kept)."""
    require_manager(by)
    now = now or timezone.now()
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise Refused("Enter an email address like name@council.gov.uk") from None
    if role not in CouncilRole.values:
        raise Refused(f"Choose a role: {', '.join(CouncilRole.labels)}")
    if authority.end_date is not None and authority.end_date < now.date():
        raise Refused(
            f"{authority.short_name} was abolished on {authority.end_date:%-d %B %Y}: "
            "invite people to its successor"
        )
    if Membership.objects.filter(
        authority=authority, user__email__iexact=email, ended_at__isnull=True, role=role
    ).exists():
        raise Refused(f"{email} is already a {CouncilRole(role).label.lower()} of this council")
    token = secrets.token_urlsafe(32)
    days = int(getattr(settings, "COUNCILPERF_INVITATION_DAYS", 7))
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            authority=authority,
            role=role,
            token_sha256=digest(token),
            created_by=by,
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
        log(
            AccessEvent.Kind.INVITED,
            user=by,
            authority=authority,
            detail=f"{email} as {role}",
            now=now,
        )
    try:
        invitation_email(invitation, token).send()
    except Exception as error:  # SMTP refusals and outages alike
        Invitation.objects.filter(pk=invitation.pk).update(withdrawn_at=timezone.now())
        raise NotSent(f"The invitation email to {email} could not be sent: {error}") from error
    return invitation, token


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("portal:invitation", args=[token])


def invitation_email(invitation: Invitation, token: str) -> EmailMessage:
    role = CouncilRole(invitation.role).label.lower()
    expires = timezone.localtime(invitation.expires_at)
    body = (
        f"You are invited to the ombudsman's council portal as a {role} of "
        f"{invitation.authority.official_name}.\n\n"
        "In the portal you see your council's figures and letter before they are published, "
        "download its case-level data, report its own complaint handling and reply to its "
        "letter.\n\n"
        f"To accept, open this link and choose a password:\n{invitation_link(token)}\n\n"
        f"The link works once and expires on {expires:%-d %B %Y at %H:%M} (UK time). "
        "If you did not expect this email, ignore it.\n"
    )
    return EmailMessage(
        subject=f"Your invitation to the council portal: {invitation.authority.short_name}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )


@dataclass(frozen=True)
class Lookup:
    """What a token finds: its invitation, and why it no longer works (``problem``)."""

    invitation: Invitation | None
    problem: str = ""

    @property
    def usable(self) -> bool:
        return self.invitation is not None and not self.problem


def find(*, token: str, now: dt.datetime | None = None) -> Lookup:
    """The invitation of ``token`` and whether it still works (reads only)."""
    now = now or timezone.now()
    found = Invitation.objects.select_related("authority").filter(token_sha256=digest(token))
    invitation = found.first()
    if invitation is None:
        return Lookup(None, "unknown")
    if invitation.used_at is not None:
        return Lookup(invitation, "used")
    if invitation.withdrawn_at is not None:
        return Lookup(invitation, "withdrawn")
    if invitation.expires_at <= now:
        return Lookup(invitation, "expired")
    return Lookup(invitation)


def withdraw(*, invitation: Invitation, by: Any, now: dt.datetime | None = None) -> bool:
    """Withdraw an unused invitation (its link stops working); False if it was used."""
    require_manager(by)
    now = now or timezone.now()
    changed = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    if changed:
        log(
            AccessEvent.Kind.ENDED,
            user=by,
            authority=invitation.authority,
            detail=f"Withdrew the invitation of {invitation.email}",
            now=now,
        )
    return bool(changed)


def _use(token: str, user: Any, now: dt.datetime) -> Invitation:
    """Mark the token's invitation used by ``user``, once (a second use finds nothing)."""
    lookup = find(token=token, now=now)
    if not lookup.usable or lookup.invitation is None:
        raise Refused(f"This invitation cannot be used: it is {lookup.problem}")
    taken = Invitation.objects.filter(
        pk=lookup.invitation.pk,
        used_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=now,
    ).update(used_at=now, used_by=user)
    if not taken:
        raise Refused("This invitation cannot be used: it was used a moment ago")
    return lookup.invitation


def grant(
    *, user: Any, authority: Authority, role: str, by: Any, now: dt.datetime, reason: str
) -> Membership:
    """Give ``user`` ``role`` at ``authority``: the live membership if it already has that
    role; a membership of another role is ended (kept) and replaced."""
    live = Membership.objects.filter(user=user, authority=authority, ended_at__isnull=True)
    current = live.first()
    if current is not None and current.role == role:
        return current
    live.update(ended_at=now, ended_reason=f"Role changed: {reason}"[:200])
    return Membership.objects.create(
        user=user, authority=authority, role=role, granted_by=by, granted_at=now
    )


def join_new(
    *, token: str, username: str, password: str, now: dt.datetime | None = None
) -> Membership:
    """Create the invited person's account (the form checked the password) and join."""
    now = now or timezone.now()
    user_model = get_user_model()
    with transaction.atomic():
        lookup = find(token=token, now=now)
        email = lookup.invitation.email if lookup.invitation else ""
        if user_model.objects.filter(username__iexact=username).exists():
            raise Refused("That username is taken: choose another")
        user = user_model.objects.create_user(username=username, email=email, password=password)
        return _join(token=token, user=user, now=now)


def join_existing(*, token: str, user: Any, now: dt.datetime | None = None) -> Membership:
    """Add the invitation's council to a signed-in person with the invited address."""
    now = now or timezone.now()
    with transaction.atomic():
        lookup = find(token=token, now=now)
        if lookup.invitation and lookup.invitation.email.lower() != (user.email or "").lower():
            raise Refused(
                f"This invitation is for {lookup.invitation.email}: "
                "sign in with the account of that address"
            )
        return _join(token=token, user=user, now=now)


def _join(*, token: str, user: Any, now: dt.datetime) -> Membership:
    invitation = _use(token, user, now)
    membership = grant(
        user=user,
        authority=invitation.authority,
        role=invitation.role,
        by=invitation.created_by,
        now=now,
        reason="invitation accepted",
    )
    log(
        AccessEvent.Kind.JOINED,
        user=user,
        authority=invitation.authority,
        detail=f"as {invitation.role} (invited by {invitation.created_by.username})",
        now=now,
    )
    return membership


# --- Memberships -------------------------------------------------------------------------


def end(*, membership: Membership, by: Any, reason: str, now: dt.datetime | None = None) -> bool:
    """End a live membership (kept, with the reason); False if it had ended already."""
    require_manager(by)
    now = now or timezone.now()
    reason = reason.strip() or "Ended by staff"
    changed = Membership.objects.filter(pk=membership.pk, ended_at__isnull=True).update(
        ended_at=now, ended_reason=reason[:200]
    )
    if changed:
        log(
            AccessEvent.Kind.ENDED,
            user=by,
            authority=membership.authority,
            detail=f"{membership.user.username} ({membership.role}): {reason}",
            now=now,
        )
    return bool(changed)


def transfer(
    *,
    from_authority: Authority,
    to_authority: Authority,
    by: Any,
    now: dt.datetime | None = None,
) -> list[Membership]:
    """Pass the live people of an abolished council to one of its successors: each old
    membership ends and the same role starts at the successor (a person who is already one of
    the successor's people keeps that membership: never two). Only a staff
    action calls this; nothing happens by itself when a council is abolished."""
    require_manager(by)
    now = now or timezone.now()
    if from_authority.end_date is None:
        raise Refused(f"{from_authority.short_name} has not been abolished (no end date)")
    if not from_authority.successors.filter(pk=to_authority.pk).exists():
        raise Refused(
            f"{to_authority.short_name} is not a successor of {from_authority.short_name}"
        )
    moved = []
    with transaction.atomic():
        live = Membership.objects.select_related("user").filter(
            authority=from_authority, ended_at__isnull=True
        )
        for old in live:
            kept = Membership.objects.filter(
                user=old.user, authority=to_authority, ended_at__isnull=True
            ).first()
            new = kept or Membership.objects.create(
                user=old.user, authority=to_authority, role=old.role, granted_by=by, granted_at=now
            )
            Membership.objects.filter(pk=old.pk).update(
                ended_at=now, ended_reason=f"Passed to {to_authority.short_name}"[:200]
            )
            log(
                AccessEvent.Kind.TRANSFERRED,
                user=by,
                authority=to_authority,
                detail=(
                    f"{old.user.username} ({old.role}) from {from_authority.short_name} "
                    f"to {to_authority.short_name}"
                ),
                now=now,
            )
            moved.append(new)
    return moved
