"""The embargo of case-level data, one rule for every reader: nothing dated after the end of
the last published year is shown.

A decision of a published year can carry facts recorded later: its public report, its
compliance outcome. Until the year those facts fall in is published, they are not shown —
not on the council page (``cases``), not in the API (``api.records``), not in the open data
files (``api.builds``). The cut-off comes from the published state the request reads
(``years.current``), so it moves on exactly when the next year is published.

Dates that belong to the decision itself (when it was received and made, the due date of an
agreed improvement) and to the year (its letter and publication dates) are not facts recorded
later, and are shown with the decision.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from . import years as public


def cutoff() -> dt.date | None:
    """The last day whose facts are public (None: nothing is)."""
    return public.current().cutoff


def shown(day: dt.date | None) -> bool:
    """A fact dated ``day`` may be shown."""
    last = cutoff()
    return day is not None and last is not None and day <= last


def shown_date(day: dt.date | None) -> dt.date | None:
    """``day`` if it may be shown, else None (shown as not yet recorded)."""
    return day if shown(day) else None


def compliance(case: Any) -> Any | None:
    """The case's compliance outcome if it may be shown (recorded by the cut-off), else None."""
    outcome = getattr(case, "compliance", None)
    return outcome if outcome is not None and shown(outcome.recorded_date) else None


def dated_by_cutoff(field: str) -> Q:
    """Rows whose ``field`` is a date that may be shown (the query form of :func:`shown`)."""
    last = cutoff()
    if last is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__isnull": False, f"{field}__lte": last})
