"""Setting a review year's letter and publication dates: the one place they live.

Every letter, email, preview and staff page reads the dates from the ``ReviewYear``; the
letter template has none of its own. Staff may change them until the year's letters are
sent. A change makes the generated letters out of date (their content hash covers the
dates) and withdraws an approval not yet acted on, as a template change does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from councilperf.distribution import lifecycle, roles
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.models import SentLetter, YearCycle
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear


def set_year_dates(
    *,
    year: ReportingYear,
    user: Any | None,
    letter_date: dt.date,
    publication_date: dt.date,
    confirm_past: bool = False,
) -> ReviewYear:
    """Set ``year``'s dates (``user`` None: the command line, trusted as the operator).

    Refused once any letter of the year was sent, when the publication date is not after
    the letter date, and — unless ``confirm_past`` — when the publication date is past."""
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
    unchanged = (review_year.letter_date, review_year.publication_date) == (
        letter_date,
        publication_date,
    )
    if unchanged:
        return review_year
    with transaction.atomic():
        ReviewYear.objects.filter(pk=review_year.pk).update(
            letter_date=letter_date, publication_date=publication_date
        )
        # The approval covered the letters with the old dates: approve again.
        YearCycle.objects.filter(review_year=review_year).update(
            approved_revision=None, approved_template_hash="", approved_by=None, approved_at=None
        )
    review_year.refresh_from_db()
    return review_year
