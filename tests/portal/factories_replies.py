"""Builders for the right-of-reply tests: a council whose letter was sent, its people, and
the staff who decide (Borsetshire and friends, all fictional)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.distribution.models import SentLetter
from councilperf.portal.models import CouncilRole, Membership
from councilperf.statistics.models import ReviewYear
from tests.factories import make_authority, make_review_year

_seq = itertools.count(1)
YEAR = "2025-26"


def make_person(
    authority: Authority, *, role: str = CouncilRole.OFFICER, username: str = ""
) -> User:
    """A council's person with a live membership (not staff: no role group)."""
    user = User.objects.create_user(username=username or f"person{next(_seq)}", password="pw")
    Membership.objects.create(user=user, authority=authority, role=role, granted_at=timezone.now())
    return user


def send_letter(authority: Authority, review_year: ReviewYear, **fields: Any) -> SentLetter:
    """The record of the council's letter as emailed (no files: the reply only needs it)."""
    n = next(_seq)
    defaults: dict[str, Any] = {
        "statistics_revision": 1,
        "pdf_path": f"/nowhere/{n}.pdf",
        "pdf_sha256": "0" * 64,
        "html_path": f"/nowhere/{n}.html",
        "html_sha256": "0" * 64,
        "content_hash": "0" * 64,
        "created_at": timezone.now(),
    }
    defaults.update(fields)
    return SentLetter.objects.create(authority=authority, review_year=review_year, **defaults)


def open_year(*, letter_days_ago: int = 1, year: str = YEAR) -> ReviewYear:
    """A review year whose letter date has come and whose publication is still ahead."""
    today = timezone.localdate()
    return make_review_year(
        year=year,
        letter_date=today - dt.timedelta(days=letter_days_ago),
        publication_date=today + dt.timedelta(days=30),
    )


def council_with_letter(name: str = "Borsetshire", **letter: Any) -> tuple[Authority, ReviewYear]:
    """A council whose letter for the open year was sent."""
    authority = make_authority(name=name, years=(YEAR,))
    review_year = open_year()
    send_letter(authority, review_year, **letter)
    return authority, review_year
