"""The statistics page's wording, part by part: each sentence's kind and its figure, the
headings, singular and plural, zero, missing figures and small numbers, and the ways a
letter's figures are read (an export row, the typed read model). Pure: no database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction

import pytest

from councilperf.letters import wording
from councilperf.letters.wording import LetterStatistics, statistics_blocks
from councilperf.statistics import figures
from councilperf.years import ReportingYear
from tests.letters.conftest import reference_statistics
from tests.letters.rows import exact, from_row

START, END = dt.date(2019, 4, 1), dt.date(2020, 3, 31)
PERIOD = "for the period between 1 April 2019 to 31 March 2020"
ALL = wording.BLOCK_ORDER

Parts = tuple[str, str, str, str]


def north_east_derbyshire(**rest: object) -> LetterStatistics:
    """The figures both read paths below give for one council, with ``rest``."""
    return reference_statistics(
        detailed_investigations=20,
        upheld=9,
        upheld_with_satisfactory_remedy=2,
        compliance_outcomes=7,
        not_complied=1,
        peer_compliance_rate=Fraction(9, 10),
        **rest,
    )


def parts(stats: LetterStatistics, *blocks: str) -> dict[str, tuple[str, list[Parts]]]:
    """Each block's heading and its sentences as (kind, before, figure, after)."""
    return {
        block.key: (block.heading, [(s.kind, s.before, s.figure, s.after) for s in block.sentences])
        for block in statistics_blocks(stats, year_start=START, year_end=END, blocks=blocks or ALL)
    }


def test_every_block_part_by_part_with_plural_figures() -> None:
    stats = reference_statistics(
        detailed_investigations=200,
        upheld=89,
        upheld_with_satisfactory_remedy=3,
        compliance_outcomes=8,
        not_complied=1,
        peer_compliance_rate=Fraction(199, 200),
        population=101_125,
        upheld_per_100k=Fraction(89 * 100_000, 101_125),
        peer_upheld_per_100k=Fraction(9, 4),
    )
    assert parts(stats) == {
        "upheld": (
            "Complaints upheld",
            [
                ("headline", "", "45%", " of complaints we investigated were upheld."),
                (
                    "comparison",
                    "This compares to an average of ",
                    "45%",
                    " in similar authorities.",
                ),
                ("count", "", "89", " upheld decisions"),
                (
                    "basis",
                    f"Statistics are based on a total of 200 detailed investigations {PERIOD}",
                    "",
                    "",
                ),
            ],
        ),
        "compliance": (
            "Compliance with Ombudsman recommendations",
            [
                (
                    "headline",
                    "In ",
                    "88%",
                    " of cases we were satisfied the authority had successfully implemented our "
                    "recommendations.",
                ),
                (
                    "comparison",
                    "This compares to an average of ",
                    "100%",
                    " in similar authorities.",
                ),
                ("note", wording.COMPLIANCE_BELOW_100, "", ""),
                (
                    "basis",
                    f"Statistics are based on a total of 8 compliance outcomes {PERIOD}",
                    "",
                    "",
                ),
            ],
        ),
        "remedy": (
            "Satisfactory remedies provided by the authority",
            [
                (
                    "headline",
                    "In ",
                    "3%",
                    " of upheld cases we found the authority had provided a satisfactory remedy "
                    "before the complaint reached the Ombudsman.",
                ),
                (
                    "comparison",
                    "This compares to an average of ",
                    "13%",
                    " in similar authorities.",
                ),
                ("count", "", "3", " satisfactory remedy decisions"),
                (
                    "basis",
                    f"Statistics are based on a total of 89 upheld decisions {PERIOD}",
                    "",
                    "",
                ),
            ],
        ),
        "upheld_per_100k": (
            "Upheld decisions per 100,000 residents",
            [
                ("headline", "", "88.0", " upheld decisions per 100,000 residents."),  # 88.0109
                (
                    "comparison",
                    "This compares to an average of ",
                    "2.3",
                    " in similar authorities.",
                ),
                (
                    "basis",
                    "Statistics are based on 89 upheld decisions and a population of 101,125 "
                    + PERIOD,
                    "",
                    "",
                ),
            ],
        ),
    }


def test_every_block_singular_without_similar_authority_averages() -> None:
    stats = reference_statistics(
        detailed_investigations=1,
        upheld=1,
        upheld_with_satisfactory_remedy=1,
        compliance_outcomes=1,
        not_complied=0,
        peer_upheld_rate=None,
        peer_satisfactory_remedy_rate=None,
        peer_compliance_rate=None,
        population=1_000,
        upheld_per_100k=Fraction(100),
    )
    assert parts(stats) == {
        "upheld": (
            "Complaints upheld",
            [
                ("headline", "", "100%", " of complaints we investigated were upheld."),
                ("count", "", "1", " upheld decision"),
                (
                    "basis",
                    f"Statistics are based on a total of 1 detailed investigation {PERIOD}",
                    "",
                    "",
                ),
            ],
        ),
        "compliance": (
            "Compliance with Ombudsman recommendations",
            [
                (
                    "headline",
                    "In ",
                    "100%",
                    " of cases we were satisfied the authority had successfully implemented our "
                    "recommendations.",
                ),
                (
                    "basis",
                    f"Statistics are based on a total of 1 compliance outcome {PERIOD}",
                    "",
                    "",
                ),
            ],
        ),
        "remedy": (
            "Satisfactory remedies provided by the authority",
            [
                (
                    "headline",
                    "In ",
                    "100%",
                    " of upheld cases we found the authority had provided a satisfactory remedy "
                    "before the complaint reached the Ombudsman.",
                ),
                ("count", "", "1", " satisfactory remedy decision"),
                ("basis", f"Statistics are based on a total of 1 upheld decision {PERIOD}", "", ""),
            ],
        ),
        "upheld_per_100k": (
            "Upheld decisions per 100,000 residents",
            [
                ("headline", "", "100.0", " upheld decisions per 100,000 residents."),
                (
                    "basis",
                    f"Statistics are based on 1 upheld decision and a population of 1,000 {PERIOD}",
                    "",
                    "",
                ),
            ],
        ),
    }


def test_every_empty_block_is_one_sentence_of_kind_empty() -> None:
    stats = reference_statistics(detailed_investigations=0, population=0)
    assert parts(stats) == {
        "upheld": (
            "Complaints upheld",
            [("empty", "We did not complete any detailed investigations for this period.", "", "")],
        ),
        "compliance": (
            "Compliance with Ombudsman recommendations",
            [("empty", "No recommendations were due for compliance in this period", "", "")],
        ),
        "remedy": (
            "Satisfactory remedies provided by the authority",
            [
                (
                    "empty",
                    "The Ombudsman did not uphold any detailed investigations during this period",
                    "",
                    "",
                )
            ],
        ),
        "upheld_per_100k": (
            "Upheld decisions per 100,000 residents",
            [("empty", "Population figures are not available for this period.", "", "")],
        ),
    }


def test_none_upheld_and_none_remedied_are_plural_zeros() -> None:
    stats = reference_statistics(
        detailed_investigations=5, upheld=2, upheld_with_satisfactory_remedy=0
    )
    found = parts(stats, wording.UPHELD, wording.REMEDY)
    assert found["upheld"][1][2] == ("count", "", "2", " upheld decisions")
    assert found["remedy"][1][0][2] == "0%"
    assert found["remedy"][1][2] == ("count", "", "0", " satisfactory remedy decisions")
    no_upheld = parts(reference_statistics(population=50_000), wording.UPHELD_PER_100K)
    assert no_upheld["upheld_per_100k"][1][0][2] == "0.0"  # none upheld: 0 of 50,000 residents
    assert no_upheld["upheld_per_100k"][1][-1][1] == (
        f"Statistics are based on 0 upheld decisions and a population of 50,000 {PERIOD}"
    )


def test_block_text_is_the_heading_then_one_line_per_sentence() -> None:
    (block,) = statistics_blocks(
        reference_statistics(), year_start=START, year_end=END, blocks=[wording.UPHELD]
    )
    assert block.text == (
        "Complaints upheld\n"
        "0% of complaints we investigated were upheld.\n"
        "This compares to an average of 45% in similar authorities.\n"
        "0 upheld decisions\n"
        f"Statistics are based on a total of 2 detailed investigations {PERIOD}"
    )
    assert block.sentences[0].text == "0% of complaints we investigated were upheld."


def test_the_rate_per_100k_is_worked_out_from_the_counts_when_none_is_stored() -> None:
    # 1 upheld in 400,001 residents is 0.249999… per 100,000: "0.2", not "0.3".
    stats = reference_statistics(upheld=1, population=400_001, upheld_per_100k=None)
    found = parts(stats, wording.UPHELD_PER_100K)["upheld_per_100k"][1]
    assert found[0] == ("headline", "", "0.2", " upheld decisions per 100,000 residents.")
    # A stored rate is what the letter prints (the engine's figure, not worked out again).
    stored = reference_statistics(upheld=1, population=400_000, upheld_per_100k=Fraction(3, 10))
    assert parts(stored, wording.UPHELD_PER_100K)["upheld_per_100k"][1][0][2] == "0.3"
    unrounded = reference_statistics(upheld=1, population=400_000, upheld_per_100k=Fraction(1, 5))
    assert parts(unrounded, wording.UPHELD_PER_100K)["upheld_per_100k"][1][0][2] == "0.2"


def test_blocks_come_in_the_letters_order_and_three_by_default() -> None:
    stats = reference_statistics(population=1_000)
    reversed_order = statistics_blocks(stats, year_start=START, year_end=END, blocks=ALL[::-1])
    assert [b.key for b in reversed_order] == list(ALL)
    default = statistics_blocks(stats, year_start=START, year_end=END)
    assert [b.key for b in default] == ["upheld", "compliance", "remedy"]
    assert statistics_blocks(stats, year_start=START, year_end=END, blocks=()) == ()
    only = statistics_blocks(stats, year_start=START, year_end=END, blocks=["remedy"])
    assert [b.key for b in only] == ["remedy"]


def test_unknown_blocks_are_named_in_order() -> None:
    message = r"^unknown statistics blocks: aa, zz$"
    with pytest.raises(ValueError, match=message):
        statistics_blocks(
            reference_statistics(), year_start=START, year_end=END, blocks=["zz", "upheld", "aa"]
        )


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0 decisions"), (1, "1 decision"), (2, "2 decisions"), (1_234, "1,234 decisions")],
)
def test_plural(count: int, shown: str) -> None:
    assert wording.plural(count, "decision") == shown


def test_plural_with_its_own_plural_form() -> None:
    assert wording.plural(1, "remedy", "remedies") == "1 remedy"
    assert wording.plural(3, "remedy", "remedies") == "3 remedies"
    assert wording.plural(0, "remedy", "remedies") == "0 remedies"


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (dt.date(2020, 1, 1), "1 January 2020"),
        (dt.date(2019, 4, 1), "1 April 2019"),
        (dt.date(2021, 12, 31), "31 December 2021"),
    ],
)
def test_long_date_every_end_of_the_year(day: dt.date, shown: str) -> None:
    assert wording.long_date(day) == shown


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        (0, Fraction(0)),
        (0.0, Fraction(0)),
        (3, Fraction(3)),
        (Fraction(89, 200), Fraction(89, 200)),
        (0.445, Fraction(89, 200)),
        (Decimal("0.125"), Fraction(1, 8)),
        ("2.25", Fraction(9, 4)),
    ],
)
def test_exact(value: object, expected: Fraction | None) -> None:
    found = exact(value)
    assert found == expected
    assert found is None or type(found) is Fraction


def test_exact_refuses_what_is_not_a_rate_by_name() -> None:
    with pytest.raises(TypeError, match=r"^a rate cannot be a boolean$"):
        exact(True)
    with pytest.raises(TypeError, match=re.escape("cannot read [0.5] as a rate")):
        exact([0.5])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"not_complied": -1}, "a count is negative"),
        ({"upheld": 3}, "more upheld than investigated"),
        ({"upheld": 1, "upheld_with_satisfactory_remedy": 2}, "more remedies than upheld"),
        (
            {"compliance_outcomes": 2, "not_complied": 3},
            "more not complied than compliance outcomes",
        ),
    ],
)
def test_inconsistent_counts_are_refused_naming_the_authority_and_year(
    changes: dict[str, int], message: str
) -> None:
    with pytest.raises(ValueError, match=rf"^E07000038 2019-20: {message}$"):
        reference_statistics(**changes)


def test_counts_at_their_limits_are_accepted() -> None:
    stats = reference_statistics(
        detailed_investigations=2,
        upheld=2,
        upheld_with_satisfactory_remedy=2,
        compliance_outcomes=3,
        not_complied=3,
    )
    assert stats.complied == 0
    assert reference_statistics(compliance_outcomes=5, not_complied=2).complied == 3


def test_from_a_full_export_row() -> None:
    row = {
        "year": "2019-20",
        "authority_code": "E07000038",
        "authority_name": "North East Derbyshire District Council",
        "comparison_group": "district",
        "detailed_investigations": 20,
        "upheld": "9",
        "upheld_with_satisfactory_remedy": 2,
        "compliance_outcomes": 7,
        "not_complied": 1,
        "peer_upheld_rate": 0.445,
        "peer_satisfactory_remedy_rate": "0.125",
        "peer_compliance_rate": Fraction(9, 10),
        "population": "101125",
        "upheld_per_100k": 8.9,
        "peer_upheld_per_100k": 2.25,
        "peer_method": "pooled",
        "revision": "3",
        "synthetic": True,
    }
    assert from_row(row) == north_east_derbyshire(
        population=101_125,
        upheld_per_100k=Fraction(89, 10),
        peer_upheld_per_100k=Fraction(9, 4),
        peer_method="pooled",
        revision=3,
        synthetic=True,
    )


@pytest.mark.parametrize("blank", [None, ""])
def test_from_an_export_row_with_blanks_or_nothing(blank: object) -> None:
    names = {"year": 2019, "authority_code": "E1", "authority_name": "A"}
    everything = (
        "comparison_group",
        "detailed_investigations",
        "upheld",
        "upheld_with_satisfactory_remedy",
        "compliance_outcomes",
        "not_complied",
        "peer_upheld_rate",
        "peer_satisfactory_remedy_rate",
        "peer_compliance_rate",
        "population",
        "upheld_per_100k",
        "peer_upheld_per_100k",
        "peer_method",
        "revision",
    )
    expected = LetterStatistics(
        year="2019",
        authority_code="E1",
        authority_name="A",
        detailed_investigations=0,
        upheld=0,
        upheld_with_satisfactory_remedy=0,
        compliance_outcomes=0,
        not_complied=0,
    )
    assert from_row(names) == expected
    assert from_row({**names, **dict.fromkeys(everything, blank)}) == expected
    assert from_row({**names, "population": 0, "revision": 0}) == (
        dataclasses.replace(expected, population=0, revision=0)
    )


def test_from_the_typed_read_model() -> None:
    counts = {
        "invalid_or_incomplete": 1,
        "advice_given": 2,
        "referred_back_for_local_resolution": 3,
        "closed_after_initial_enquiries": 4,
        "not_upheld": 11,
        "upheld": 9,
        "detailed_investigations": 20,
        "upheld_with_satisfactory_remedy": 2,
        "compliance_outcomes": 7,
        "complied": 4,
        "complied_late": 2,
        "not_complied": 1,
    }
    stored = {
        "upheld": {"peer_exact": "89/200"},
        "satisfactory_remedy": {"peer_exact": "1/8"},
        "compliance": {"peer_exact": "9/10"},
        "upheld_per_100k": {"peer_exact": "9/4"},
        "late_remedy": {"peer_exact": "1/5"},
    }
    found = figures.authority(
        year=ReportingYear(2019),
        revision=4,
        peer_method="mean",
        code="E07000038",
        name="North East Derbyshire District Council",
        group="district",
        synthetic=True,
        population=100_000,
        counts=counts,
        stored=stored,
        by_service_area={},
    )
    assert LetterStatistics.from_figures(found) == north_east_derbyshire(
        population=100_000,
        upheld_per_100k=Fraction(9),
        peer_upheld_per_100k=Fraction(9, 4),
        peer_method="mean",
        revision=4,
        synthetic=True,
        counts=(
            ("invalid_or_incomplete", 1),
            ("advice_given", 2),
            ("referred_back_for_local_resolution", 3),
            ("closed_after_initial_enquiries", 4),
            ("not_upheld", 11),
            ("upheld", 9),
            ("complied_late", 2),
        ),
        peer_late_remedy_rate=Fraction(1, 5),
    )
