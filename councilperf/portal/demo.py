"""The demo's council people: three councils' officers and approvers, one shared-services
officer, and a fixed second factor for every demo person who must use one.

Only the demo makes these (``create_demo_council_users`` and ``demo_totp`` refuse unless
``COUNCILPERF_DEMO=1``); the README lists every name and password. Councils are chosen by GSS
code — a district, a unitary and a London borough — and if one of them is not in the demo's
latest year, the first council of the same group that is (by code) stands in, so the demo
always has three councils of three groups.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from councilperf.authorities.models import Authority, AuthorityYear
from councilperf.distribution import roles
from councilperf.portal.models import CouncilRole, Membership
from councilperf.years import ReportingYear

DEMO_FLAG = "COUNCILPERF_DEMO"
# (preferred GSS code, its comparison group): North East Derbyshire (the reference letter's
# council), York, Camden.
DEMO_COUNCILS: tuple[tuple[str, str], ...] = (
    ("E07000038", "district"),
    ("E06000014", "unitary"),
    ("E09000007", "london"),
)
# The shared-services officer serves the first demo council and this one (Bolsover shares its
# services with North East Derbyshire); a stand-in is the first other council of its group.
SHARED_WITH: tuple[str, str] = ("E07000033", "district")
SHARED_USERNAME = "shared-services-officer"
SHARED_PASSWORD = "shared-services-demo-password"
DEVICE_NAME = "Demonstration authenticator"
_SECRET_PHRASE = b"councilperf demonstration second factor for "


class NotDemo(RuntimeError):
    """Refused: the demo's people are made only with COUNCILPERF_DEMO=1."""


def require_demo() -> None:
    if os.environ.get(DEMO_FLAG) != "1":
        raise NotDemo(f"demo users are only for the demo: set {DEMO_FLAG}=1 (make demo does)")


def demo_key(username: str) -> str:
    """The fixed demo TOTP secret of a user (hex, 20 bytes): the same on every demo."""
    return hashlib.sha1(_SECRET_PHRASE + username.encode()).hexdigest()


def current_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The device's 6-digit code now (or at Unix time ``at``), zero-padded."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():0{device.digits}d}"


def officer_name(slug: str) -> str:
    return f"officer-{slug}"


def approver_name(slug: str) -> str:
    return f"approver-{slug}"


def password_of(username: str) -> str:
    """``officer-york`` → ``york-officer-demo-password``; the shared officer's is fixed."""
    if username == SHARED_USERNAME:
        return SHARED_PASSWORD
    role, _, slug = username.partition("-")
    return f"{slug}-{role}-demo-password"


def latest_year() -> ReportingYear | None:
    label = AuthorityYear.objects.aggregate(latest=Max("year"))["latest"]
    return ReportingYear.parse(label) if label else None


def _council(code: str, group: str, year: ReportingYear, taken: set[int]) -> Authority | None:
    alive = Authority.objects.filter(years__year=year.label).exclude(pk__in=taken)
    return (
        alive.filter(gss_code=code).first()
        or alive.filter(years__group=group).order_by("gss_code").first()
    )


@dataclass(frozen=True)
class DemoCouncils:
    year: str
    councils: tuple[Authority, ...]  # officer and approver each
    shared: tuple[Authority, Authority]  # the shared-services officer's two councils


def choose_councils() -> DemoCouncils:
    """The demo's councils in its latest year (ValueError if the demo has no councils)."""
    year = latest_year()
    if year is None:
        raise ValueError("no councils loaded: run load_reference_data first")
    taken: set[int] = set()
    chosen = []
    for code, group in DEMO_COUNCILS:
        council = _council(code, group, year, taken)
        if council is None:
            raise ValueError(f"no {group} council in {year} for the demo")
        taken.add(council.pk)
        chosen.append(council)
    partner = _council(*SHARED_WITH, year, taken)
    if partner is None:
        raise ValueError(f"no second {SHARED_WITH[1]} council in {year} for the demo")
    return DemoCouncils(year=year.label, councils=tuple(chosen), shared=(chosen[0], partner))


def _user(username: str, *, email: str) -> tuple[Any, bool]:
    model = get_user_model()
    user, created = model.objects.get_or_create(username=username)
    changed = created or not user.check_password(password_of(username)) or user.email != email
    if changed:
        user.email = email
        user.set_password(password_of(username))
        user.save()
    return user, created


def _membership(user: Any, council: Authority, role: str) -> bool:
    """A live membership with this role; True if anything was written."""
    live = Membership.objects.filter(user=user, authority=council, ended_at__isnull=True).first()
    if live is None:
        Membership.objects.create(
            user=user, authority=council, role=role, granted_at=timezone.now()
        )
        return True
    if live.role != role:
        live.role = role
        live.save(update_fields=["role"])
        return True
    return False


def give_demo_device(user: Any) -> bool:
    """A confirmed TOTP device with the user's fixed demo secret; True if anything was written."""
    device = TOTPDevice.objects.filter(user=user, name=DEVICE_NAME).first()
    key = demo_key(user.username)
    if device is not None and device.key == key and device.confirmed:
        return False
    if device is None:
        device = TOTPDevice(user=user, name=DEVICE_NAME)
    device.key = key
    device.confirmed = True
    device.save()
    return True


@transaction.atomic
def create_demo_council_users() -> list[str]:
    """Make (or bring back to the documented state) the demo's council people and the second
    factor of every demo person who needs one; a line for each person."""
    require_demo()
    model = get_user_model()
    staff = list(model.objects.filter(username__in=[roles.ANALYST, roles.PUBLISHER]))
    if len(staff) != 2:
        raise ValueError("the demo staff users are missing: run create_demo_users first")
    demo = choose_councils()
    lines = []
    for person in sorted(staff, key=lambda u: u.username):
        written = give_demo_device(person)
        lines.append(f"{person.username}: staff, two-factor {'set' if written else 'unchanged'}")
    for council in demo.councils:
        for role, name in (
            (CouncilRole.OFFICER, officer_name),
            (CouncilRole.APPROVER, approver_name),
        ):
            username = name(council.slug)
            user, created = _user(username, email=f"{role}@{council.slug}.example")
            _membership(user, council, role)
            if role == CouncilRole.APPROVER:
                give_demo_device(user)
            verb = "created" if created else "kept"
            lines.append(f"{username} ({role} of {council.short_name}): {verb}")
    user, created = _user(SHARED_USERNAME, email="shared.services@councils.example")
    for council in demo.shared:
        _membership(user, council, CouncilRole.OFFICER)
    names = " and ".join(c.short_name for c in demo.shared)
    lines.append(f"{SHARED_USERNAME} (officer of {names}): {'created' if created else 'kept'}")
    return lines
