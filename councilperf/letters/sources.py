"""Where letters get their statistics: the typed read model of the stored statistics.

Letters only need :class:`~councilperf.letters.wording.LetterStatistics`; this is the one
place that knows how to get them from the stored statistics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from councilperf.letters.wording import LetterStatistics
from councilperf.statistics import selectors
from councilperf.statistics.models import StatisticsRevision
from councilperf.years import ReportingYear


class StatisticsUnavailable(LookupError):
    """No statistics for the year (not computed yet, or no such revision)."""


def load_statistics(
    year: ReportingYear, *, revision: int | None = None
) -> dict[str, LetterStatistics]:
    """Every authority's letter statistics for ``year``, keyed by GSS code.

    ``revision=None``: the latest frozen revision of a frozen year, or the draft of a draft
    year (the statistics engine's rule)."""
    try:
        authorities, _groups = selectors.figures(year=year, revision=revision)
    except selectors.StatisticsNotFound as error:
        raise StatisticsUnavailable(str(error)) from error
    return {code: LetterStatistics.from_figures(found) for code, found in authorities.items()}


@dataclass(frozen=True, slots=True)
class Correction:
    """What a corrected letter says of its correction: the statistics revision it is made
    from (2 or later), the day that revision was made and its reason."""

    revision: int
    date: dt.date
    reason: str


def correction_for(year: ReportingYear, revision: int | None) -> Correction | None:
    """The correction a letter made from ``revision`` of ``year`` reports; None for the
    first revision (or the draft): an uncorrected letter says nothing of revisions. None
    too for a revision not stored (figures handed to the batch, not read from the engine):
    there is no date or reason to print."""
    if revision is None or revision <= 1:
        return None
    found = StatisticsRevision.objects.filter(review_year__year=year.label, number=revision).first()
    if found is None:
        return None
    return Correction(
        revision=revision,
        date=timezone.localdate(found.computed_at),
        reason=found.reason,
    )
