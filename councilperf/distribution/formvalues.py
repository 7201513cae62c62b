"""The year's dates as the staff forms post them, read or refused with a message."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from councilperf.distribution import dates
from councilperf.distribution.lifecycle import CycleError


def posted_date(request: HttpRequest, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(request.POST.get(name, ""))
    except ValueError:
        raise CycleError(f"give the {name.replace('_', ' ')} as a date, e.g. 2020-07-22") from None


def posted_time(request: HttpRequest, name: str = "publication_time") -> dt.time | None:
    """The publication time (HH:MM; the browser's time input sends that); None when empty."""
    text = request.POST.get(name, "").strip()
    if not text:
        return None
    try:
        return dates.parse_time(text)
    except ValueError as error:
        raise CycleError(str(error)) from None
