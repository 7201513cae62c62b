"""Councils' returns and replies as the other parts write them, for the public side's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.portal.models import (
    ComplaintReturn,
    Reply,
    ReplyVersion,
    ReturnPeriod,
    SelfAssessment,
)
from councilperf.statistics.models import ReviewYear

COUNTS: dict[str, int] = {
    "stage1_received": 300,
    "stage1_responded": 290,
    "stage1_in_time": 232,
    "stage1_upheld": 87,
    "stage2_received": 40,
    "stage2_responded": 40,
    "stage2_in_time": 30,
    "stage2_upheld": 10,
    "escalated": 6,
}


def open_returns(year: str = "2019-20") -> ReturnPeriod:
    """Staff opened ``year`` for returns (councils that do not report are "not reported")."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="analyst")
    return ReturnPeriod.objects.get_or_create(
        review_year=ReviewYear.objects.get(year=year),
        defaults={"deadline": dt.date(2020, 6, 30), "opened_by": user, "opened_at": timezone.now()},
    )[0]


def make_return(
    authority: Authority,
    year: str = "2019-20",
    *,
    status: str = ComplaintReturn.Status.SUBMITTED,
    ratings: dict[str, tuple[str, str]] | None = None,
    counts: dict[str, int] | None = None,
    **fields: Any,
) -> ComplaintReturn:
    """A council's return for ``year`` (signed off unless ``status`` says otherwise)."""
    now = timezone.now()
    found = ComplaintReturn.objects.create(
        authority=authority,
        review_year=ReviewYear.objects.get(year=year),
        status=status,
        updated_at=now,
        signed_off_at=now if status == ComplaintReturn.Status.SUBMITTED else None,
        **{**COUNTS, **(counts or {}), **fields},
    )
    for section, (rating, comment) in (ratings or {}).items():
        SelfAssessment.objects.create(
            complaint_return=found, section=section, rating=rating, comment=comment
        )
    return found


def make_reply(
    authority: Authority,
    year: str = "2019-20",
    *versions: tuple[str, str],
    synthetic: bool = False,
) -> Reply:
    """A reply with its versions, each (text, status), numbered from 1; accepted and returned
    ones decided a day apart, from 1 August 2020."""
    reply = Reply.objects.create(authority=authority, review_year=ReviewYear.objects.get(year=year))
    start = dt.datetime(2020, 8, 1, 10, 0, tzinfo=dt.UTC)
    for number, (text, status) in enumerate(versions, start=1):
        when = start + dt.timedelta(days=number)
        decided = status in (ReplyVersion.Status.ACCEPTED, ReplyVersion.Status.RETURNED)
        ReplyVersion.objects.create(
            reply=reply,
            number=number,
            text=text,
            status=status,
            synthetic=synthetic,
            written_at=when,
            submitted_at=when if status != ReplyVersion.Status.DRAFT else None,
            decided_at=when if decided else None,
        )
    return reply
