"""Where a council's year stands, in words a council reads. Pure: no Django, no database;
plain values in, a :class:`State` out. The portal's pages, the staff lists and the reminders
all say the same.

- :func:`letter_state` — the letter (and the figures it states) not sent yet, sent while
  the year is embargoed, or published;
- :func:`return_state` — the council's complaint-handling return: not open for the year,
  not started, draft, waiting for sign-off, submitted, or late (not submitted and past the
  deadline);
- :func:`reply_state` — the council's right of reply, from its latest version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class State:
    """A status: ``key`` for code and tests, ``label`` for people, ``tag`` a GOV.UK tag
    colour modifier ("" for the default tag)."""

    key: str
    label: str
    tag: str = ""


LETTER_NOT_SENT: Final = State("not_sent", "Letter not sent yet", "grey")
LETTER_EMBARGOED: Final = State("embargoed", "Letter sent: not yet published", "yellow")
LETTER_PUBLISHED: Final = State("published", "Published", "green")

RETURN_NOT_OPEN: Final = State("not_open", "Not open for returns", "grey")
RETURN_NOT_STARTED: Final = State("not_started", "Not started", "grey")
RETURN_DRAFT: Final = State("draft", "Draft", "blue")
RETURN_READY: Final = State("ready", "Waiting for sign-off", "yellow")
RETURN_SUBMITTED: Final = State("submitted", "Submitted", "green")
RETURN_LATE: Final = State("late", "Late", "red")

REPLY_NONE: Final = State("none", "No reply", "grey")
REPLY_DRAFT: Final = State("draft", "Draft", "blue")
REPLY_SUBMITTED: Final = State("submitted", "Waiting for a publisher", "yellow")
REPLY_ACCEPTED: Final = State("accepted", "Accepted", "green")
REPLY_RETURNED: Final = State("returned", "Returned", "red")

_RETURNS: Final = {"draft": RETURN_DRAFT, "ready": RETURN_READY, "submitted": RETURN_SUBMITTED}
_REPLIES: Final = {
    "draft": REPLY_DRAFT,
    "submitted": REPLY_SUBMITTED,
    "accepted": REPLY_ACCEPTED,
    "returned": REPLY_RETURNED,
}


def letter_state(*, sent: bool, published: bool) -> State:
    """``sent``: a letter of the year was sent to the council; ``published``: the year is
    public (the published-year rule). A year is public only after its letters went out, but
    a council added later may have no letter of a public year: still "not sent"."""
    if not sent:
        return LETTER_NOT_SENT
    return LETTER_PUBLISHED if published else LETTER_EMBARGOED


def return_state(
    *, opened: bool, status: str | None, deadline: dt.date | None, today: dt.date
) -> State:
    """``opened``: staff opened the year for returns (a ``ReturnPeriod``); ``status``: the
    council's ``ComplaintReturn.status`` (None: no return yet); late means not submitted
    once ``today`` is past the deadline (the deadline day itself is in time)."""
    if not opened:
        return RETURN_NOT_OPEN
    if status is not None and status not in _RETURNS:
        raise ValueError(f"unknown return status {status!r}")
    if status == "submitted":
        return RETURN_SUBMITTED
    if deadline is not None and today > deadline:
        return RETURN_LATE
    return RETURN_NOT_STARTED if status is None else _RETURNS[status]


def reply_state(*, latest: str | None) -> State:
    """``latest``: the status of the reply's latest version (None: no reply written)."""
    if latest is None:
        return REPLY_NONE
    try:
        return _REPLIES[latest]
    except KeyError:
        raise ValueError(f"unknown reply status {latest!r}") from None
