"""The letter blocks a year's template may add: remedies completed late, and the year's
reporting categories; the reporting schemes they follow; the late measure in the core."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from councilperf import schemes
from councilperf.letters.categories import categories_block
from councilperf.letters.late import late_block
from councilperf.statistics.core import AuthorityCounts, compute_year
from councilperf.statistics.measures import METRIC
from councilperf.years import ReportingYear
from tests.letters.conftest import reference_statistics

START, END = dt.date(2024, 4, 1), dt.date(2025, 3, 31)
OUTCOMES = dict(zip(schemes.OUTCOMES, (3, 5, 7, 11, 13, 17), strict=True))


def texts(block: object) -> list[str]:
    return [s.text for s in block.sentences]  # type: ignore[attr-defined]


def test_late_block_with_outcomes_and_a_peer_average() -> None:
    stats = reference_statistics(
        compliance_outcomes=8,
        counts=(("complied_late", 1),),
        peer_late_remedy_rate=Fraction(1, 5),
    )
    block = late_block(stats, year_start=START, year_end=END)
    assert block.heading == METRIC["late_remedy_rate"].letter_heading
    assert texts(block) == [
        "13% of the remedies we recommended were completed after the date agreed.",
        "This compares to an average of 20% in similar authorities.",
        "1 completed late",
        "Statistics are based on a total of 8 compliance outcomes for the period between "
        "1 April 2024 to 31 March 2025",
    ]


def test_late_block_without_outcomes_without_a_peer_and_without_counts() -> None:
    none = reference_statistics(compliance_outcomes=0, counts=(("complied_late", 0),))
    assert texts(late_block(none, year_start=START, year_end=END)) == [
        "No recommendations were due for compliance in this period"
    ]
    one = reference_statistics(compliance_outcomes=1, counts=(("complied_late", 0),))
    assert texts(late_block(one, year_start=START, year_end=END))[1:] == [
        "0 completed late",
        "Statistics are based on a total of 1 compliance outcome for the period between "
        "1 April 2024 to 31 March 2025",
    ]
    assert texts(late_block(reference_statistics(), year_start=START, year_end=END)) == [
        "Not available for this year."
    ]


def test_categories_block_in_each_scheme() -> None:
    stats = reference_statistics(counts=tuple(OUTCOMES.items()))
    new = categories_block(stats, year=ReportingYear(2024))
    assert new.heading == "Complaints dealt with"
    assert texts(new)[:5] == [
        "56 Dealt with",
        "10 Not for us",
        "16 Assessed and closed",
        "30 Investigated",
        "17 Upheld",
    ]
    classic = categories_block(stats, year=ReportingYear(2023))
    assert texts(classic)[:6] == [
        "3 Invalid or incomplete",
        "5 Advice given",
        "7 Referred back for local resolution",
        "11 Closed after initial enquiries",
        "13 Not upheld",
        "17 Upheld",
    ]
    assert texts(categories_block(reference_statistics(), year=ReportingYear(2024))) == [
        "Decisions by category are not available for this year."
    ]


@pytest.mark.parametrize("start", range(2015, 2030))
def test_every_scheme_accounts_for_every_decision(start: int) -> None:
    scheme = schemes.scheme_for(start)
    assert scheme is (schemes.DEALT_WITH if start >= 2024 else schemes.CLASSIC)
    counted = dict((c.code, n) for c, n in scheme.counts(OUTCOMES))
    if scheme is schemes.CLASSIC:
        assert sum(counted.values()) == sum(OUTCOMES.values())
    else:
        assert counted["dealt_with"] == sum(OUTCOMES.values())
        parts = ("not_for_us", "assessed_and_closed", "investigated")
        assert sum(counted[p] for p in parts) == counted["dealt_with"]


def test_breaks_between_schemes() -> None:
    assert schemes.breaks([2021, 2022, 2023, 2024]) == {2024}
    assert schemes.breaks([2018, 2019]) == set()
    assert schemes.breaks([2024]) == set()


def test_late_remedy_rate_in_the_core() -> None:
    def counts(key: str, late: int, outcomes: int) -> AuthorityCounts:
        zero = {name: 0 for name in ("invalid_or_incomplete", "advice_given")}
        return AuthorityCounts(
            key=key,
            group="district",
            complied=outcomes - late,
            complied_late=late,
            **zero,
        )

    year = compute_year([counts("a", 1, 8), counts("b", 3, 12)], threshold=5)
    assert year.groups["district"].late_remedy_rate == Fraction(4, 20)
    first = year.authorities[0].late_remedy
    assert (first.numerator, first.denominator, first.value) == (1, 8, Fraction(1, 8))
    assert first.interval is not None and first.interval.lower < 0.125 < first.interval.upper
    assert first.comparison == "similar"
