"""Where letters get their statistics: the statistics engine's export rows.

Letters only need :class:`~councilperf.letters.wording.LetterStatistics`; this is the one
place that knows how to get them from the stored (frozen) statistics.
"""

from __future__ import annotations

import importlib

from councilperf.letters.wording import LetterStatistics


class StatisticsUnavailable(LookupError):
    """No statistics for the year (not computed yet, or no such revision)."""


def load_statistics(year: str, *, revision: int | None = None) -> dict[str, LetterStatistics]:
    """Every authority's letter statistics for ``year``, keyed by GSS code.

    ``revision=None``: the latest frozen revision of a frozen year, or the draft of a draft
    year (the statistics engine's rule)."""
    try:
        selectors = importlib.import_module("councilperf.statistics.selectors")
    except ImportError as error:  # the statistics engine is not installed
        raise StatisticsUnavailable(f"no statistics engine: {error}") from error
    try:
        rows = selectors.export_rows(year=year, revision=revision)
    except LookupError as error:
        raise StatisticsUnavailable(str(error)) from error
    result: dict[str, LetterStatistics] = {}
    for row in rows:
        statistics = LetterStatistics.from_row(row)
        result[statistics.authority_code] = statistics
    return result
