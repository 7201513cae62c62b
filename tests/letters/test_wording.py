"""Every sentence of the statistics page, branch by branch (pure: no database, no PDF)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from councilperf.letters import wording
from councilperf.letters.wording import LetterStatistics, statistics_blocks
from tests.letters.conftest import reference_statistics
from tests.letters.rows import exact, from_row

START, END = dt.date(2019, 4, 1), dt.date(2020, 3, 31)
PERIOD = "for the period between 1 April 2019 to 31 March 2020"


def texts(stats: LetterStatistics, *blocks: str) -> dict[str, list[str]]:
    chosen = blocks or (wording.UPHELD, wording.COMPLIANCE, wording.REMEDY)
    return {
        block.key: [s.text for s in block.sentences]
        for block in statistics_blocks(stats, year_start=START, year_end=END, blocks=chosen)
    }


def test_reference_letter_branches() -> None:
    result = texts(reference_statistics())
    assert result == {
        "upheld": [
            "0% of complaints we investigated were upheld.",
            "This compares to an average of 45% in similar authorities.",
            "0 upheld decisions",
            f"Statistics are based on a total of 2 detailed investigations {PERIOD}",
        ],
        "compliance": ["No recommendations were due for compliance in this period"],
        "remedy": ["The Ombudsman did not uphold any detailed investigations during this period"],
    }


def test_no_detailed_investigations() -> None:
    result = texts(reference_statistics(detailed_investigations=0))
    assert result["upheld"] == ["We did not complete any detailed investigations for this period."]
    assert result["remedy"] == [
        "The Ombudsman did not uphold any detailed investigations during this period"
    ]


def test_plural_figures_and_compliance_below_100() -> None:
    stats = reference_statistics(
        detailed_investigations=200,
        upheld=89,
        upheld_with_satisfactory_remedy=3,
        compliance_outcomes=8,
        not_complied=1,
        peer_compliance_rate=Fraction(199, 200),
        peer_satisfactory_remedy_rate=Fraction(1, 8),
    )
    result = texts(stats)
    assert result["upheld"] == [
        "45% of complaints we investigated were upheld.",  # 89/200 = 44.5 → 45, not 44
        "This compares to an average of 45% in similar authorities.",
        "89 upheld decisions",
        f"Statistics are based on a total of 200 detailed investigations {PERIOD}",
    ]
    assert result["compliance"] == [
        "In 88% of cases we were satisfied the authority had successfully implemented our "
        "recommendations.",  # 7/8 = 87.5 → 88
        "This compares to an average of 100% in similar authorities.",  # 99.5 → 100
        wording.COMPLIANCE_BELOW_100,
        f"Statistics are based on a total of 8 compliance outcomes {PERIOD}",
    ]
    assert result["remedy"] == [
        "In 3% of upheld cases we found the authority had provided a satisfactory remedy before "
        "the complaint reached the Ombudsman.",  # 3/89 = 3.37
        "This compares to an average of 13% in similar authorities.",  # 12.5 → 13
        "3 satisfactory remedy decisions",
        f"Statistics are based on a total of 89 upheld decisions {PERIOD}",
    ]


def test_singular_figures_and_full_compliance() -> None:
    stats = reference_statistics(
        detailed_investigations=1,
        upheld=1,
        upheld_with_satisfactory_remedy=1,
        compliance_outcomes=1,
        not_complied=0,
    )
    result = texts(stats)
    assert result["upheld"][2:] == [
        "1 upheld decision",
        f"Statistics are based on a total of 1 detailed investigation {PERIOD}",
    ]
    assert result["compliance"][0].startswith("In 100% of cases")
    assert wording.COMPLIANCE_BELOW_100 not in result["compliance"]
    assert result["compliance"][-1] == (
        f"Statistics are based on a total of 1 compliance outcome {PERIOD}"
    )
    assert result["remedy"][2:] == [
        "1 satisfactory remedy decision",
        f"Statistics are based on a total of 1 upheld decision {PERIOD}",
    ]


def test_compliance_below_100_on_the_exact_figure_even_when_shown_as_100() -> None:
    stats = reference_statistics(compliance_outcomes=400, not_complied=1)
    result = texts(stats)["compliance"]
    assert result[0].startswith("In 100% of cases")  # 399/400 = 99.75 → 100
    assert wording.COMPLIANCE_BELOW_100 in result


def test_no_similar_authority_average_leaves_the_comparison_out() -> None:
    result = texts(reference_statistics(peer_upheld_rate=None))
    assert not any(line.startswith("This compares") for line in result["upheld"])


def test_upheld_per_100k_block() -> None:
    stats = reference_statistics(
        upheld=3,
        detailed_investigations=5,
        population=101_125,
        upheld_per_100k=Fraction(300_000, 101_125),
        peer_upheld_per_100k=Fraction(25, 10),
    )
    result = texts(stats, wording.UPHELD_PER_100K)
    assert result == {
        "upheld_per_100k": [
            "3.0 upheld decisions per 100,000 residents.",  # 2.9666
            "This compares to an average of 2.5 in similar authorities.",
            "Statistics are based on 3 upheld decisions and a population of 101,125 " + PERIOD,
        ]
    }
    no_population = texts(reference_statistics(population=None), wording.UPHELD_PER_100K)
    assert no_population["upheld_per_100k"] == [
        "Population figures are not available for this period."
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(89, 200), "45%"),
        (Fraction(1, 200), "1%"),
        (Fraction(1, 201), "0%"),
        (0.445, "45%"),  # read as the decimal it prints as, not 0.44499999…
        ("0.125", "13%"),
        (Fraction(1), "100%"),
    ],
)
def test_percent_rounds_half_away_from_zero_on_the_exact_value(value: object, shown: str) -> None:
    rate = exact(value)
    assert rate is not None
    assert wording.percent(rate) == shown


def test_one_decimal_rounds_half_away_from_zero() -> None:
    assert wording.one_decimal(Fraction(1, 4)) == "0.3"
    assert wording.one_decimal(Fraction(-1, 4)) == "-0.3"
    assert wording.one_decimal(Fraction(123456, 10)) == "12,345.6"


def test_long_date() -> None:
    assert wording.long_date(dt.date(2020, 7, 2)) == "2 July 2020"


def test_from_export_row() -> None:
    row = {
        "year": "2019-20",
        "authority_code": "E07000038",
        "authority_name": "North East Derbyshire District Council",
        "comparison_group": "district",
        "detailed_investigations": 2,
        "upheld": 0,
        "upheld_rate": 0.0,
        "peer_upheld_rate": 0.445,
        "upheld_with_satisfactory_remedy": 0,
        "satisfactory_remedy_rate": None,
        "peer_satisfactory_remedy_rate": 0.1,
        "compliance_outcomes": 5,
        "complied": 2,
        "complied_late": 2,
        "not_complied": 1,
        "peer_compliance_rate": None,
        "population": 101_125,
        "upheld_per_100k": 0.0,
        "peer_upheld_per_100k": 2.25,
        "peer_method": "pooled",
        "revision": None,
        "synthetic": True,
    }
    stats = from_row(row)
    assert stats.peer_upheld_rate == Fraction(89, 200)
    assert stats.complied == 4  # on time and late
    assert stats.revision is None and stats.synthetic
    assert stats.peer_compliance_rate is None


def test_inconsistent_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="more upheld than investigated"):
        reference_statistics(upheld=3)
    with pytest.raises(ValueError, match="more remedies than upheld"):
        reference_statistics(upheld_with_satisfactory_remedy=1)


def test_unknown_block_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown statistics blocks"):
        statistics_blocks(reference_statistics(), year_start=START, year_end=END, blocks=["x"])
