"""Two-factor sign-in with a time-based code (TOTP, django-otp).

Required for staff (``is_staff``, a superuser or any staff role) and for council approvers;
offered to council officers. A new secret lives only in the person's (signed) session until
they type a code it produces: only then is a confirmed ``TOTPDevice`` saved, so showing the
set-up page writes nothing. A lost device is removed by an administrator (the admin's TOTP
devices page, or ``manage.py shell``); the person then sets up a new one.
"""

from __future__ import annotations

import base64
import re
import secrets
from binascii import unhexlify
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from councilperf.distribution import roles
from councilperf.portal import accounts
from councilperf.portal.models import AccessEvent, CouncilRole, Membership

SESSION_KEY = "portal_two_factor_key"
CODE = re.compile(r"^\d{6}$")


def enforced() -> bool:
    return bool(getattr(settings, "COUNCILPERF_TWO_FACTOR", True))


def is_staff(user: Any) -> bool:
    return bool(
        user.is_staff or user.is_superuser or user.groups.filter(name__in=roles.ROLES).exists()
    )


def required(user: Any) -> bool:
    """Whether ``user`` must pass a second factor (staff and council approvers)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        is_staff(user)
        or Membership.objects.filter(
            user=user, role=CouncilRole.APPROVER, ended_at__isnull=True
        ).exists()
    )


def device_of(user: Any) -> TOTPDevice | None:
    """The person's confirmed device, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def new_key() -> str:
    """A new secret: 20 random bytes, hex (as django-otp keeps it)."""
    return secrets.token_hex(20)


def secret_text(key: str) -> str:
    """The secret as an app asks to type it: base32 in groups of four."""
    text = base64.b32encode(unhexlify(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def config_url(user: Any, key: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return str(TOTPDevice(user=user, key=key).config_url)


def qr_svg(url: str) -> str:
    """The address as an inline SVG QR code (no image file, no inline style: CSP-safe)."""
    return str(segno.make(url, error="m").svg_inline(scale=4, title="QR code for your app"))


def clean_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "")


def check(key: str, code: str) -> int | None:
    """The time step at which ``code`` is the secret's code (one step of clock difference
    either way), or None."""
    code = clean_code(code)
    if not CODE.match(code):
        return None
    totp = TOTP(unhexlify(key))
    if totp.verify(int(code), tolerance=1):
        return int(totp.t())
    return None


def confirm(*, user: Any, key: str, code: str) -> TOTPDevice | None:
    """Save the person's device if ``code`` comes from ``key`` (None: wrong code)."""
    step = check(key, code)
    if step is None:
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(
            user=user, name="Authenticator app", key=key, confirmed=True, last_t=step
        )
        accounts.log(AccessEvent.Kind.TWO_FACTOR_SET, user=user)
    return device


def verify(*, user: Any, code: str) -> TOTPDevice | None:
    """The person's device if ``code`` is its current code (never the same code twice;
    django-otp slows down repeated wrong codes)."""
    device = device_of(user)
    code = clean_code(code)
    if device is None or not CODE.match(code):
        return None
    return device if device.verify_token(code) else None
