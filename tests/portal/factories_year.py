"""Worlds for the portal-year tests: a small frozen year (``tests.distribution.conftest``)
whose first council's letter was sent and the second's not; council people made directly
(``Membership``), as the accounts part's invitations would."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.distribution import messages, record
from councilperf.distribution.models import SentLetter
from councilperf.letters.models import Letter
from councilperf.portal.models import CouncilRole, Membership
from councilperf.statistics.models import ReviewYear
from tests.distribution.conftest import authorities, build_year


@dataclass
class YearWorld:
    review_year: ReviewYear
    sent: Authority  # its letter was sent
    unsent: Authority  # its letter was not (yet)
    letter: SentLetter
    officer: User  # of ``sent``
    other: User  # of ``unsent``


def member(user: User, authority: Authority, role: str = CouncilRole.OFFICER) -> Membership:
    return Membership.objects.create(
        user=user, authority=authority, role=role, granted_at=timezone.now()
    )


def send_letter(authority: Authority, review_year: ReviewYear) -> SentLetter:
    """The letter recorded as sent (its files copied and its email composed), as a send does
    before the first delivery."""
    letter = Letter.objects.get(authority=authority, review_year=review_year)
    return record.record_sent_letter(
        authority=authority,
        review_year=review_year,
        letter=letter,
        corrected=False,
        everyone=messages.recipients(authority=authority, monitoring_officer=False),
    )


def year_world() -> YearWorld:
    review_year = build_year(2)
    sent, unsent = authorities()
    officer = User.objects.create_user(username="officer", password="pw", first_name="Olive")
    other = User.objects.create_user(username="other", password="pw")
    member(officer, sent)
    member(other, unsent)
    return YearWorld(
        review_year=review_year,
        sent=sent,
        unsent=unsent,
        letter=send_letter(sent, review_year),
        officer=officer,
        other=other,
    )
