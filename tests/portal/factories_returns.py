"""Builders for the returns' tests: a year open for returns, council members, staff with a
role, a sign-in verified by a second factor, a complete and valid return typed as text."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.portal.code import SECTION_KEYS
from councilperf.portal.models import CouncilRole, Membership, ReturnPeriod
from councilperf.portal.returncheck import comment_field, rating_field
from tests.factories import make_review_year

YEAR = "2026-27"
DEADLINE = dt.date(2027, 6, 30)
_seq = itertools.count(1)


def make_staff(role: str = "publisher", username: str | None = None) -> Any:
    user = get_user_model().objects.create_user(
        username=username or f"{role}{next(_seq)}", email=f"{role}@ombudsman.example"
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def make_period(*, year: str = YEAR, deadline: dt.date = DEADLINE) -> ReturnPeriod:
    start = int(year[:4])
    review_year = make_review_year(
        year=year,
        letter_date=dt.date(start + 1, 7, 20),
        publication_date=dt.date(start + 1, 7, 27),
    )
    return ReturnPeriod.objects.create(
        review_year=review_year,
        deadline=deadline,
        opened_by=make_staff("analyst"),
        opened_at=timezone.now(),
    )


def make_member(
    authority: Authority, role: str = CouncilRole.OFFICER, *, email: str | None = None
) -> Any:
    n = next(_seq)
    user = get_user_model().objects.create_user(
        username=f"{role}{n}",
        email=email or f"{role}{n}@{authority.slug}.example.org",
        password="a long test password 123",
        first_name=role.title(),
        last_name=str(n),
    )
    Membership.objects.create(user=user, authority=authority, role=role, granted_at=timezone.now())
    return user


def signed_in(user: Any, *, verified: bool = False) -> Client:
    """A client signed in as ``user``; ``verified``: with a confirmed TOTP device, as
    django-otp records a verified sign-in in the session."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    if verified:
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        # Sessions live in a signed cookie (settings): the cookie is the session.
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key or ""
    return client


def complete(**changes: str) -> dict[str, str]:
    """A complete, valid return for 2026-27, as typed."""
    raw = {
        "stage1_received": "412",
        "stage1_responded": "400",
        "stage1_in_time": "350",
        "stage1_upheld": "120",
        "stage2_received": "60",
        "stage2_responded": "58",
        "stage2_in_time": "50",
        "stage2_upheld": "20",
        "escalated": "15",
        "self_assessment_url": "https://www.borsetshire.example.gov.uk/complaints/code",
        "self_assessment_date": "14/05/2027",
    }
    for key in SECTION_KEYS:
        raw[rating_field(key)] = "meets"
        raw[comment_field(key)] = ""
    raw[comment_field("stages")] = "Stage 2 answers were late in the winter."
    raw[rating_field("stages")] = "partly"
    raw.update(changes)
    return raw


def link_officer(authority: Authority, email: str | None = None) -> Any:
    from tests.factories import make_contact

    return make_contact(
        authority=authority,
        role="link_officer",
        name="Mr Snell",
        job_title="Complaints manager",
        email=email,
    )


def seed_crash_world(councils: int) -> None:
    """For a subprocess after ``django.setup()`` (DATABASE_URL and VAR_DIR from the
    environment): a fresh database with COUNT councils of 2026-27, each with a link officer
    at ``officer{n}@example.org``, the year open for returns and one round of reminders
    made (all pending), for the crash test."""
    from django.core.management import call_command

    from councilperf.portal import reminders
    from tests.factories import make_authority

    call_command("migrate", verbosity=0)
    period = make_period()
    for n in range(councils):
        council = make_authority(name=f"Council {n:02d}", years=(YEAR,))
        link_officer(council, email=f"officer{n}@example.org")
    reminders.create_round(review_year=period.review_year, user=make_staff("publisher"))
