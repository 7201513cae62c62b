"""The release calendar: each announced year's release, its date and time and where it stands.

A release is announced once the year is frozen with a publication date (staff set it with the
year's dates, ``distribution/dates.py``). The Code of Practice for Statistics asks for the date
*and time* announced ahead, changes announced with their reasons, and a named contact; so the
release date and time of a year not yet published are public by design — and nothing else of
that year is read here (no figure, no revision, no letter).

A release's status:

- *published*: the year is public (``years.snapshot``, the one rule);
- *delayed*: its moment has passed but it is not public (not yet approved);
- *changed*: still to come, and its date or time was moved (each change with its reason);
- *announced*: still to come, as first announced.

Everything reads the published state of the request (``years.current``): the page cache keys
the calendar by it, and the state changes when a release's moment passes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from councilperf.distribution.models import ReleaseChange
from councilperf.statistics import selectors as stats
from councilperf.statistics.dates import moment
from councilperf.years import ReportingYear

from . import years as public

ANNOUNCED, CHANGED, PUBLISHED, DELAYED = "announced", "changed", "published", "delayed"
STATUS_LABELS = {
    ANNOUNCED: "Announced",
    CHANGED: "Date changed",
    PUBLISHED: "Published",
    DELAYED: "Delayed",
}


@dataclass(frozen=True)
class Change:
    """A move of an announced release, with its reason."""

    changed_at: dt.datetime  # in the site's zone
    old: dt.datetime
    new: dt.datetime
    reason: str

    @property
    def changed_on(self) -> dt.date:
        return self.changed_at.date()


@dataclass(frozen=True)
class Release:
    year: ReportingYear
    at: dt.datetime  # the publication moment, in the site's zone
    status: str
    changes: tuple[Change, ...]
    announced_at: dt.datetime  # when the date was first set: the year's freeze (revision 1)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def upcoming(self) -> bool:
        return self.status != PUBLISHED

    @property
    def uid(self) -> str:
        """A stable identifier of the release (the iCalendar UID): the year, never the date."""
        host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        return f"release-{self.year.label}@{host or 'councilperf.invalid'}"

    @property
    def title(self) -> str:
        return f"Complaint statistics of councils in England, {self.year.label}"


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


def contact() -> Contact:
    """The named contact for the statistics (settings, from the environment)."""
    return Contact(name=settings.STATISTICS_CONTACT_NAME, email=settings.STATISTICS_CONTACT_EMAIL)


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def _changes(rows: list[ReleaseChange]) -> tuple[Change, ...]:
    zone = timezone.get_default_timezone()
    return tuple(
        Change(
            changed_at=_local(row.changed_at),
            old=moment(row.old_date, row.old_time, zone),
            new=moment(row.new_date, row.new_time, zone),
            reason=row.reason,
        )
        for row in rows
    )


def releases() -> list[Release]:
    """Every announced release, oldest first, with its status in the request's state."""
    state = public.current()
    public_years = {p.year.label for p in state.years}
    changes: dict[str, list[ReleaseChange]] = {}
    for change in ReleaseChange.objects.select_related("review_year").order_by("changed_at", "pk"):
        changes.setdefault(change.review_year.year, []).append(change)
    found = []
    for announced in stats.announced_releases():
        label = announced.year.label
        moved = _changes(changes.get(label, []))
        if label in public_years:
            status = PUBLISHED
        elif label in state.due:
            status = DELAYED
        else:
            status = CHANGED if moved else ANNOUNCED
        found.append(
            Release(
                year=announced.year,
                at=_local(announced.publication_at),
                status=status,
                changes=moved,
                announced_at=_local(announced.announced_at),
            )
        )
    return found


def upcoming() -> list[Release]:
    """The releases still to come (or overdue), soonest first."""
    return sorted((r for r in releases() if r.upcoming), key=lambda r: r.at)


def next_release() -> Release | None:
    """The soonest release not yet published (a delayed one first: it is still owed)."""
    waiting = upcoming()
    return waiting[0] if waiting else None
