"""The release calendar page (``/releases/``) and the "Next release" line of the home and
methods pages: each announced year's release, its date and time, its status, the changes with
their reasons, and the named contact (``published.calendar`` reads them)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from councilperf.letters.wording import long_date
from councilperf.published import calendar
from councilperf.published.calendar import Contact, Release


@dataclass(frozen=True)
class ReleaseRow:
    release: Release
    date_text: str  # "8 December 2026"
    time_text: str  # "09:30"
    review_url: str  # the year's review, once published
    changes: list[tuple[str, str]]  # ("On 1 December 2026 moved from … to …", its reason)


@dataclass(frozen=True)
class ReleasesPage:
    upcoming: list[ReleaseRow]
    published: list[ReleaseRow]
    contact: Contact
    next_release: str  # "" when none is announced


def when(release: Release) -> str:
    """``8 December 2026 at 09:30`` (UK time)."""
    return f"{long_date(release.at.date())} at {release.at:%H:%M}"


def contact() -> Contact:
    return calendar.contact()


def next_release_text() -> str:
    """The home and methods pages' line: "8 December 2026 at 09:30", or ""."""
    found = calendar.next_release()
    return when(found) if found else ""


def _row(release: Release) -> ReleaseRow:
    moves = [
        (
            f"On {long_date(c.changed_on)} moved from {long_date(c.old.date())} at "
            f"{c.old:%H:%M} to {long_date(c.new.date())} at {c.new:%H:%M}",
            c.reason,
        )
        for c in release.changes
    ]
    return ReleaseRow(
        release=release,
        date_text=long_date(release.at.date()),
        time_text=f"{release.at:%H:%M}",
        review_url=reverse("site:review", args=[release.year]) if not release.upcoming else "",
        changes=moves,
    )


def releases_page() -> ReleasesPage:
    every = calendar.releases()
    upcoming = sorted((r for r in every if r.upcoming), key=lambda r: r.at)
    done = sorted((r for r in every if not r.upcoming), key=lambda r: r.at, reverse=True)
    return ReleasesPage(
        upcoming=[_row(r) for r in upcoming],
        published=[_row(r) for r in done],
        contact=calendar.contact(),
        next_release=when(upcoming[0]) if upcoming else "",
    )
