"""What is public, decided in one place: :func:`snapshot`.

A review year is public only when all three hold:

- its statistics are frozen (it has a frozen revision);
- a publisher has approved it (``distribution``'s approval record, ``YearCycle``);
- its publication moment has come: the publication date *and time* (09:30 unless staff set
  another), in the site's time zone (Europe/London) — a year due at 09:30 is not public at
  09:29 and is at 09:30.

The public site shows the latest frozen revision of each public year. Every reader — the
pages, the API, the open data builder, the embargo rule (``embargo``), the page cache, the
cache warming and the sitemap — reads one :class:`PublishedState`: during a request the one
the page cache middleware took for it (:func:`reading`), so the cache key and the body
come from the same state; outside a request a fresh one (or one pinned with :func:`reading`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import Count, Max
from django.http import Http404
from django.utils import timezone

from councilperf.distribution.models import YearCycle
from councilperf.portal.models import ComplaintReturn, ReplyVersion
from councilperf.statistics import selectors as stats
from councilperf.years import ReportingYear

PublishedYear = stats.PublishedYear


@dataclass(frozen=True)
class PublishedState:
    """The public years at one moment, oldest first, each with its latest frozen revision."""

    years: tuple[PublishedYear, ...]
    taken_at: dt.datetime
    # Frozen years whose moment has come, approved or not (the release calendar's "delayed"
    # reads it), and the next moment a frozen year is due: the state holds until then.
    due: tuple[str, ...] = ()
    next_moment: dt.datetime | None = None
    # What councils said of the public years (:func:`councils_said`): a reply accepted or a
    # return signed off for a public year changes the token, so no cached page hides it.
    councils: str = ""

    def holds_at(self, now: dt.datetime) -> bool:
        """Whether a snapshot at ``now`` would be the same (with no row written since)."""
        return self.taken_at <= now and (self.next_moment is None or now < self.next_moment)

    @property
    def reporting_years(self) -> list[ReportingYear]:
        return [p.year for p in self.years]

    @property
    def labels(self) -> list[str]:
        return [p.year.label for p in self.years]

    def get(self, year: ReportingYear) -> PublishedYear | None:
        return next((p for p in self.years if p.year == year), None)

    @property
    def pairs(self) -> tuple[tuple[str, int], ...]:
        """(year label, revision) of every public year, oldest first."""
        return tuple((p.year.label, p.revision) for p in self.years)

    @property
    def token(self) -> str:
        """A fingerprint of what is public: the years, revisions and when each was computed."""
        text = ",".join(
            f"{p.year.label}@{p.revision}@{p.computed_at.isoformat() if p.computed_at else ''}"
            for p in self.years
        )
        text += "|due:" + ",".join(self.due)
        text += "|councils:" + self.councils
        return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()

    @property
    def cutoff(self) -> dt.date | None:
        """The end of the last public year: nothing dated after it is shown (``embargo``);
        None when no year is public."""
        return self.years[-1].year.end if self.years else None


def snapshot(now: dt.datetime | None = None) -> PublishedState:
    """What is public at ``now`` (default: now): frozen, approved and its moment come."""
    now = now or timezone.now()
    approved = set(
        YearCycle.objects.filter(approved_revision__isnull=False).values_list(
            "review_year__year", flat=True
        )
    )
    dated = stats.frozen_dated_years(now=now)
    public = sorted((p for p in dated if p.year.label in approved), key=lambda p: p.year)
    return PublishedState(
        years=tuple(public),
        taken_at=now,
        due=tuple(sorted(p.year.label for p in dated)),
        next_moment=stats.next_publication_moment(now=now),
        councils=councils_said([p.year.label for p in public]),
    )


def councils_said(labels: list[str]) -> str:
    """A fingerprint of the councils' own words and figures the public years show: how many
    accepted reply versions and signed-off returns there are, and when the latest was
    decided or changed (one query each; "" when no year is public)."""
    if not labels:
        return ""
    replies = ReplyVersion.objects.filter(
        status=ReplyVersion.Status.ACCEPTED, reply__review_year__year__in=labels
    ).aggregate(n=Count("id"), last=Max("decided_at"), top=Max("id"))
    returns = ComplaintReturn.objects.filter(
        status=ComplaintReturn.Status.SUBMITTED, review_year__year__in=labels
    ).aggregate(n=Count("id"), last=Max("updated_at"), signed=Max("signed_off_at"))
    return ";".join(str(v) for v in (*replies.values(), *returns.values()))


_READING: ContextVar[PublishedState | None] = ContextVar("published_state", default=None)


def current() -> PublishedState:
    """The state this request (or pinned block) reads; a fresh snapshot outside one."""
    return _READING.get() or snapshot()


@contextmanager
def reading(state: PublishedState | None = None) -> Iterator[PublishedState]:
    """Read ``state`` (default: a fresh snapshot) for the duration of the block: every
    ``published`` function inside it sees the same years and revisions."""
    state = state or snapshot()
    token = _READING.set(state)
    try:
        yield state
    finally:
        _READING.reset(token)


def published_years() -> list[ReportingYear]:
    return current().reporting_years


def is_published(year: ReportingYear) -> bool:
    return current().get(year) is not None


def require_published(year: ReportingYear) -> ReportingYear:
    """The year if it is a published review year; 404 otherwise."""
    if not is_published(year):
        raise Http404("No published review for this year")
    return year


def published_year(label: str) -> ReportingYear:
    """The published year that ``label`` names, parsed where the text enters (the API's
    path parameters, which arrive as text); 404 for any other text or year."""
    try:
        year = ReportingYear.parse(label)
    except ValueError:
        raise Http404("Not a reporting year") from None
    if year.label != label:
        raise Http404("Not a reporting year")
    return require_published(year)


def latest_published_year() -> ReportingYear | None:
    years = published_years()
    return years[-1] if years else None
