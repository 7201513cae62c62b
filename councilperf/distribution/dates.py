"""Setting a review year's letter date and publication date and time: the one place they live.

Every letter, email, preview, staff page and the release calendar read the dates from the
``ReviewYear``; the letter template has none of its own. Staff may change them until the
year's letters are sent. A change makes the generated letters out of date (their content hash
covers the dates) and withdraws an approval not yet acted on, as a template change does.

Once a year's release is announced (the year is frozen with a publication date), moving its
publication date or time needs a reason: the change is recorded here, and only here, as a
:class:`~councilperf.distribution.models.ReleaseChange` (who, when, old, new, why), which the
public release calendar shows (the Code of Practice for Statistics: changes announced with
reasons).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from councilperf.distribution import lifecycle, roles
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.models import ReleaseChange, SentLetter, YearCycle
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear

COMMAND_LINE = "command line"


def announced(review_year: ReviewYear) -> bool:
    """The year's release is announced: frozen, with a publication date."""
    return (
        review_year.status == ReviewYear.Status.FROZEN and review_year.publication_date is not None
    )


def set_year_dates(
    *,
    year: ReportingYear,
    user: Any | None,
    letter_date: dt.date,
    publication_date: dt.date,
    publication_time: dt.time | None = None,
    reason: str = "",
    confirm_past: bool = False,
) -> ReviewYear:
    """Set ``year``'s dates (``user`` None: the command line, trusted as the operator);
    ``publication_time`` None keeps the year's time (09:30 unless set).

    Refused once any letter of the year was sent, when the publication date is not after
    the letter date, unless ``confirm_past`` when the publication date is past, and without
    a ``reason`` when an announced release moves."""
    if user is not None:
        roles.require(user, "freeze_year")
    review_year = lifecycle.review_year_or_error(year)
    if SentLetter.objects.filter(review_year=review_year).exists():
        raise CycleError(
            f"{review_year.year}'s letters have been sent: their dates can no longer change"
        )
    lifecycle.require_dates(
        letter_date=letter_date, publication_date=publication_date, confirm_past=confirm_past
    )
    time = publication_time or review_year.publication_time
    old = (review_year.publication_date, review_year.publication_time)
    release_moves = announced(review_year) and old != (publication_date, time)
    reason = reason.strip()
    if release_moves and not reason:
        raise CycleError(
            f"{review_year.year}'s release is announced for {_when(*old)}: give the reason "
            "for moving it (the release calendar shows it)"
        )
    if (review_year.letter_date, *old) == (letter_date, publication_date, time):
        return review_year
    with transaction.atomic():
        ReviewYear.objects.filter(pk=review_year.pk).update(
            letter_date=letter_date, publication_date=publication_date, publication_time=time
        )
        if release_moves:
            _record(review_year, old=old, new=(publication_date, time), reason=reason, user=user)
        # The approval covered the letters with the old dates: approve again.
        YearCycle.objects.filter(review_year=review_year).update(
            approved_revision=None, approved_template_hash="", approved_by=None, approved_at=None
        )
    review_year.refresh_from_db()
    return review_year


def _when(day: dt.date | None, time: dt.time) -> str:
    return f"{day.isoformat() if day else 'no date'} at {time:%H:%M}"


def _record(
    review_year: ReviewYear,
    *,
    old: tuple[dt.date | None, dt.time],
    new: tuple[dt.date, dt.time],
    reason: str,
    user: Any | None,
) -> None:
    old_date, old_time = old
    assert old_date is not None  # announced
    ReleaseChange.objects.create(
        review_year=review_year,
        old_date=old_date,
        old_time=old_time,
        new_date=new[0],
        new_time=new[1],
        reason=reason,
        changed_by=user.get_username() if user is not None else COMMAND_LINE,
        changed_at=timezone.now(),
    )


def parse_time(text: str) -> dt.time:
    """A publication time written HH:MM (24-hour clock); ValueError otherwise."""
    try:
        found = dt.datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise ValueError(f"give the publication time as HH:MM, e.g. 09:30 (not {text!r})") from None
    return found
