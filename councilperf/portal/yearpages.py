"""What the portal's pages about a council's years show (reads only; the views stay thin).

- :func:`home` — the person's councils and role in each;
- :func:`council` — every year of the council there is something to see (a letter sent to
  it, or the year open for returns), newest first, with where each stands (``status``);
- :func:`year` — one year at a glance: once the letter was sent to the council, its figures
  and its letter exactly as the chief executive's preview shows them
  (``distribution.pages.preview``), its case-level spreadsheet and who downloaded it; before
  that, only that the letter is not sent yet (nothing of the embargoed year).

Whether a year is published is the cycle's stage (``distribution.lifecycle.stage``: frozen,
approved and its moment come), the distribution layer's statement of the public rule of
``published.years.snapshot`` (above this layer, so not importable here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.distribution import lifecycle, pages
from councilperf.distribution.models import SentLetter
from councilperf.distribution.preview import Preview
from councilperf.portal import downloads, status
from councilperf.portal.access import memberships_of
from councilperf.portal.models import ComplaintReturn, Membership, ReplyVersion, ReturnPeriod
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear


@dataclass(frozen=True)
class YearFacts:
    """One council's year: its latest sent letter, return period and where each part stands."""

    review_year: ReviewYear
    letter: SentLetter | None
    period: ReturnPeriod | None
    published: bool
    letter_state: status.State
    return_state: status.State
    reply_state: status.State

    @property
    def year(self) -> ReportingYear:
        return self.review_year.reporting_year


def sent_letter(authority: Authority, review_year: ReviewYear) -> SentLetter | None:
    """The latest letter sent to the council for the year (None: none sent yet)."""
    return (
        SentLetter.objects.filter(authority=authority, review_year=review_year)
        .select_related("authority", "review_year")
        .order_by("-statistics_revision")
        .first()
    )


def facts(*, authority: Authority, review_year: ReviewYear, now: dt.datetime) -> YearFacts:
    letter = sent_letter(authority, review_year)
    period = ReturnPeriod.objects.filter(review_year=review_year).first()
    found = ComplaintReturn.objects.filter(authority=authority, review_year=review_year).first()
    latest = (
        ReplyVersion.objects.filter(reply__authority=authority, reply__review_year=review_year)
        .order_by("-number")
        .values_list("status", flat=True)
        .first()
    )
    published = lifecycle.stage(review_year, now=now) is lifecycle.Stage.PUBLISHED
    return YearFacts(
        review_year=review_year,
        letter=letter,
        period=period,
        published=published,
        letter_state=status.letter_state(sent=letter is not None, published=published),
        return_state=status.return_state(
            opened=period is not None,
            status=found.status if found else None,
            deadline=period.deadline if period else None,
            today=timezone.localdate(now),
        ),
        reply_state=status.reply_state(latest=latest),
    )


def visible_years(authority: Authority) -> list[ReviewYear]:
    """The years the council has something to see in: a letter sent to it, or returns open."""
    sent = SentLetter.objects.filter(authority=authority).values("review_year")
    return list(
        ReviewYear.objects.filter(Q(pk__in=sent) | Q(return_period__isnull=False))
        .distinct()
        .order_by("-year")
    )


def home(user: Any) -> dict[str, Any]:
    return {"memberships": memberships_of(user)}


def council(*, membership: Membership, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    authority = membership.authority
    return {
        "membership": membership,
        "authority": authority,
        "years": [
            facts(authority=authority, review_year=review_year, now=now)
            for review_year in visible_years(authority)
        ],
    }


def year(
    *, membership: Membership, year: ReportingYear, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The year at a glance; 404 for a year the council has nothing to see in."""
    now = now or timezone.now()
    authority = membership.authority
    review_year = ReviewYear.objects.filter(year=year.label).first()
    if review_year is None or review_year not in visible_years(authority):
        raise Http404("No such year in your portal.")
    found = facts(authority=authority, review_year=review_year, now=now)
    context: dict[str, Any] = {}
    if found.letter is not None:
        # The figures and the letter as the chief executive's preview shows them.
        context = pages.preview(Preview(code=authority.gss_code, year=year))
        context["downloads"] = downloads.downloads_of(authority=authority, review_year=review_year)
    context.update(
        {
            "membership": membership,
            "authority": authority,
            "year": year,
            "review_year": review_year,
            "facts": found,
        }
    )
    return context


def letter_of(*, membership: Membership, year: ReportingYear) -> SentLetter:
    """The letter sent to the council for the year; 404 before it was sent."""
    letter = (
        SentLetter.objects.filter(authority=membership.authority, review_year__year=year.label)
        .select_related("authority", "review_year")
        .order_by("-statistics_revision")
        .first()
    )
    if letter is None:
        raise Http404("No letter has been sent to this council for this year.")
    return letter
