"""The letter's block of the year's reporting categories. Pure: no Django, no I/O.

From 2024-25 the ombudsman reports complaints as dealt with, not for us, assessed and closed,
investigated and upheld (``councilperf.schemes``); a template that asks for it prints the
authority's decisions in the year's own categories, each as a count.
"""

from __future__ import annotations

from councilperf.letters.wording import Block, LetterStatistics, Sentence, long_date
from councilperf.schemes import OUTCOMES, scheme_for
from councilperf.statistics import format
from councilperf.years import ReportingYear

CATEGORIES = "categories"


def categories_block(statistics: LetterStatistics, *, year: ReportingYear) -> Block:
    scheme = scheme_for(year.start_year)
    counts = {k: v for k, v in statistics.counts if k in OUTCOMES}
    if set(counts) != set(OUTCOMES):
        sentences: tuple[Sentence, ...] = (
            Sentence("empty", "Decisions by category are not available for this year."),
        )
        return Block(CATEGORIES, scheme.label, sentences)
    period = f"Decisions made between {long_date(year.start)} and {long_date(year.end)}"
    sentences = (
        *tuple(
            Sentence("count", "", format.count(count), f" {category.label}")
            for category, count in scheme.counts(counts)
        ),
        Sentence("basis", period),
    )
    return Block(CATEGORIES, scheme.label, sentences)
