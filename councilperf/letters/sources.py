"""Where letters get their statistics: the typed read model of the stored statistics.

Letters only need :class:`~councilperf.letters.wording.LetterStatistics`; this is the one
place that knows how to get them from the stored statistics.
"""

from __future__ import annotations

from councilperf.letters.wording import LetterStatistics
from councilperf.statistics import selectors
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
