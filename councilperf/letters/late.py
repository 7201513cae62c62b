"""The letter's block on remedies completed late. Pure: no Django, no I/O.

The share of the year's compliance outcomes that were "complied late" (the metric registry's
``late_remedy_rate``), beside the average of similar authorities; printed when the year's
template asks for it.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from councilperf.letters.wording import Block, LetterStatistics, Sentence, long_date, percent
from councilperf.statistics import format
from councilperf.statistics.measures import METRIC

LATE_REMEDY = "late_remedy"


def late_block(stats: LetterStatistics, *, year_start: dt.date, year_end: dt.date) -> Block:
    heading = METRIC["late_remedy_rate"].letter_heading
    outcomes = stats.compliance_outcomes
    late = dict(stats.counts).get("complied_late")
    if late is None:
        return Block(LATE_REMEDY, heading, (Sentence("empty", "Not available for this year."),))
    if outcomes == 0:
        empty = "No recommendations were due for compliance in this period"
        return Block(LATE_REMEDY, heading, (Sentence("empty", empty),))
    sentences = [
        Sentence(
            "headline",
            "",
            percent(Fraction(late, outcomes)),
            " of the remedies we recommended were completed after the date agreed.",
        )
    ]
    if stats.peer_late_remedy_rate is not None:
        sentences.append(
            Sentence(
                "comparison",
                "This compares to an average of ",
                percent(stats.peer_late_remedy_rate),
                " in similar authorities.",
            )
        )
    sentences += [
        Sentence("count", "", format.count(late), " completed late"),
        Sentence(
            "basis",
            f"Statistics are based on a total of {format.count(outcomes)} compliance "
            f"outcome{'' if outcomes == 1 else 's'} for the period between "
            f"{long_date(year_start)} to {long_date(year_end)}",
        ),
    ]
    return Block(LATE_REMEDY, heading, tuple(sentences))
