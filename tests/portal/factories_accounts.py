"""Council people, staff users and TOTP devices for tests (any part of the portal may use them).

user = make_council_user(authority=council, role="approver")
device = verified_client(client, user)   # signed in, second factor passed
code = totp_now(device)                  # the code the person's app shows now
"""

from __future__ import annotations

import itertools
from binascii import unhexlify
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from councilperf.authorities.models import Authority
from councilperf.portal.models import Membership

PASSWORD = "a long test password 42"
_seq = itertools.count(1)


def make_council_user(
    *,
    authority: Authority,
    role: str = "officer",
    username: str = "",
    email: str = "",
    password: str = PASSWORD,
) -> User:
    """A person with a live membership of ``authority`` (a second council: add_membership)."""
    n = next(_seq)
    username = username or f"{role}-{n}"
    user = User.objects.create_user(
        username=username, email=email or f"{username}@council.example", password=password
    )
    add_membership(user=user, authority=authority, role=role)
    return user


def add_membership(*, user: User, authority: Authority, role: str = "officer") -> Membership:
    return Membership.objects.create(
        user=user, authority=authority, role=role, granted_at=timezone.now()
    )


def make_staff(role: str | None = "publisher", *, username: str = "") -> User:
    """A staff user with one of the staff roles (analyst, publisher, administrator)."""
    user = User.objects.create_user(
        username=username or f"staff-{role or 'none'}-{next(_seq)}",
        password=PASSWORD,
        is_staff=True,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_device(user: Any) -> TOTPDevice:
    """A confirmed TOTP device for ``user``."""
    return TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)


def totp_now(device: TOTPDevice) -> str:
    """The code the device's app shows now (six digits)."""
    code = totp(unhexlify(device.key), step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def verified_client(client: Client, user: Any) -> TOTPDevice:
    """Sign ``user`` in on ``client`` with a second factor passed (a confirmed device of
    theirs, made if they have none); returns the device."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or make_device(user)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert session.session_key is not None
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return device
