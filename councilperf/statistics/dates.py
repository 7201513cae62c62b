"""The rule for a review year's two dates. Pure: no Django, no I/O.

A year's letter date and publication date are set once, on the review year, and every
letter, email and page reads them there. The publication date must come after the letter
date (councils get their letter first); one already past is allowed only when confirmed,
since the year then becomes public as soon as it is approved.
"""

from __future__ import annotations

import datetime as dt

DEFAULT_PUBLICATION_TIME = dt.time(9, 30)  # a release's time of day unless staff set another


def moment(day: dt.date, time: dt.time, zone: dt.tzinfo) -> dt.datetime:
    """``day`` at ``time`` in ``zone`` (the site's, Europe/London): the moment of a release."""
    return dt.datetime.combine(day, time, tzinfo=zone)


class DatesRefused(ValueError):
    """The dates break the rule (message for the user)."""


class PastPublicationDate(DatesRefused):
    """The publication date is today or earlier: allowed only when confirmed."""


def check_dates(
    *, letter_date: dt.date, publication_date: dt.date, today: dt.date, confirm_past: bool
) -> None:
    """Refuse dates out of order, and a past publication date unless ``confirm_past``."""
    if publication_date <= letter_date:
        raise DatesRefused(
            f"the publication date ({publication_date.isoformat()}) must come after the "
            f"letter date ({letter_date.isoformat()})"
        )
    if publication_date <= today and not confirm_past:
        raise PastPublicationDate(
            f"the publication date {publication_date.isoformat()} is not in the future: the "
            "year would be public as soon as it is approved. Confirm to keep it "
            "(--confirm-past, or tick the box)"
        )
