"""The publication record: which revision of a year the publication job last built.

The job itself (``councilperf.publishing``) sits above the site and the API, whose builders
it calls; it records what it built here, and the staff dashboard reads it from here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from councilperf.distribution.models import Publication, YearCycle
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear


@dataclass(frozen=True)
class PublicationStatus:
    """The dashboard's line: built (of which revision, when) or due."""

    published: bool
    revision: int | None
    built_at: dt.datetime | None


def built_revision(year: ReportingYear) -> int | None:
    """The revision the publication job last built for ``year``; None if never."""
    return (
        Publication.objects.filter(review_year__year=year.label)
        .values_list("revision", flat=True)
        .first()
    )


def record_publication(*, year: ReportingYear, revision: int) -> Publication:
    """Record that every file and the cache of ``year`` are now of ``revision``."""
    review_year = ReviewYear.objects.get(year=year.label)
    publication, _ = Publication.objects.update_or_create(
        review_year=review_year, defaults={"revision": revision, "built_at": timezone.now()}
    )
    return publication


def publication_status(review_year: ReviewYear) -> PublicationStatus | None:
    """None before approval; otherwise built for the latest frozen revision, or due."""
    cycle = YearCycle.objects.filter(review_year=review_year).first()
    if cycle is None or cycle.approved_revision is None:
        return None
    latest = (
        review_year.revisions.filter(number__isnull=False)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    record = Publication.objects.filter(review_year=review_year).first()
    if record is not None and record.revision == latest:
        return PublicationStatus(True, record.revision, record.built_at)
    return PublicationStatus(False, latest, None)
