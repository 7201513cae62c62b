"""Validation of a whole import's records, streamed through the checker (no database: stored
cases come from a dict).

Recommendations and compliance outcomes are checked against the case they name: in the same
import, already stored, rejected (then nothing more is said), or missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from councilperf.casework import facts
from councilperf.casework.parsing import Kind
from councilperf.casework.problems import Location, Problems
from councilperf.casework.rules import AuthorityInfo, StoredCase
from councilperf.casework.sources import RecordSource
from councilperf.casework.validation import Checker, ImportSource
from tests.casework.builders import TODAY, case, compliance, recommendation

CODE = "E07999001"
AUTHORITIES = {CODE: AuthorityInfo(1, CODE, "Borsetshire", None, None)}
DECIDED = dt.date(2019, 9, 1)
DAY = dt.timedelta(days=1)
# CASE_VALUE_FIELDS order: values[2] is the decision date, values[4] the outcome.
STORED = {
    "18 000 001": StoredCase(7, 1, (CODE, None, DECIDED, "housing", "upheld")),
    "18 000 002": StoredCase(8, 1, (CODE, None, DECIDED, "housing", "not_upheld")),
}


def check(
    *,
    cases: Sequence[Any] = (),
    recommendations: Sequence[Any] = (),
    compliance: Sequence[Any] = (),
    source: ImportSource | None = None,
    unreadable: frozenset[str] = frozenset(),
) -> tuple[list[tuple[str, str, int | None, str]], Checker]:
    """Check records as an import does (cases, then recommendations, then compliance)."""
    problems = Problems()
    records = RecordSource(
        {Kind.CASES: cases, Kind.RECOMMENDATIONS: recommendations, Kind.COMPLIANCE: compliance},
        source,
    )
    checker = Checker(
        authorities=AUTHORITIES,
        dataset_id=1,
        dataset_names={},
        today=TODAY,
        problems=problems,
        where=records.where,
        lookup=lambda references: {r: STORED[r] for r in references if r in STORED},
        unreadable=unreadable,
    )
    checker.check_cases(records.stream(Kind.CASES))
    checker.check_recommendations(records.stream(Kind.RECOMMENDATIONS))
    checker.check_compliance(records.stream(Kind.COMPLIANCE))
    return [(p.message, p.file, p.row, p.column) for p in problems.kept], checker


def from_case_rows(checker: Checker) -> list[str]:
    """The references of the import's own good case rows (not stored cases looked up)."""
    return [ref for ref, packed in checker.facts.items() if facts.case_seen(packed)]


def test_good_records_and_the_cases_they_name():
    found, valid = check(
        cases=[case("19 000 001", CODE)],
        recommendations=[
            recommendation("19 000 001", due_date=DECIDED),  # due on the decision day
            recommendation("18 000 001", kind="other", service_improvement=True),
        ],
        compliance=[
            compliance("19 000 001", recorded_date=DECIDED),  # recorded on the decision day
            compliance("18 000 001", recorded_date=TODAY),  # recorded today
        ],
    )
    assert found == []
    assert from_case_rows(valid) == ["19 000 001"] and valid.rejected == set()


def test_a_rejected_case_is_named_once_and_its_rows_are_not_checked_again():
    found, valid = check(
        cases=[case("19 000 001", ""), case("19 000 001", CODE)],
        recommendations=[recommendation("19 000 001")],
        compliance=[compliance("19 000 001")],
        unreadable=frozenset({"19 000 009"}),
    )
    assert found == [
        (
            "the authority code is blank",
            "cases record 1 (reference 19 000 001)",
            None,
            "authority_code",
        ),
        (
            "this reference appears more than once (also cases record 1 (reference 19 000 001))",
            "cases record 2 (reference 19 000 001)",
            None,
            "reference",
        ),
    ]
    assert valid.rejected == {"19 000 001", "19 000 009"} and from_case_rows(valid) == []


def test_rows_are_located_by_the_source():
    rows = ImportSource(
        case_rows=[Location("cases.csv", 2)],
        recommendation_rows=[Location("recs.csv", 5)],
        compliance_rows=[Location("compliance.csv", 3)],
    )
    found, _ = check(
        cases=[case("19 000 001", "E0")],
        recommendations=[recommendation("19 000 404")],
        compliance=[compliance("19 000 405")],
        source=rows,
    )
    missing = (
        "no case has this reference, in the cases file(s) or the database; a {} needs its case"
    )
    assert found == [
        ("no authority has this GSS code (e.g. E07000038)", "cases.csv", 2, "authority_code"),
        (missing.format("recommendation"), "recs.csv", 5, "reference"),
        (missing.format("compliance outcome"), "compliance.csv", 3, "reference"),
    ]


def test_recommendation_problems():
    found, _ = check(
        recommendations=[
            recommendation("18 000 002"),
            recommendation("18 000 001", kind="hug"),
            recommendation("18 000 001", due_date=DECIDED - DAY),
            recommendation("18 000 001", due_date=None),
            recommendation("18 000 001", due_date=dt.date(1973, 12, 31)),
            recommendation("18 000 001", due_date="soon"),
            recommendation("18 000 001", description="d" * 2_001),
            recommendation("18 000 001", description="d" * 2_000),
            recommendation("18 000 001", service_improvement="yes"),
            recommendation("18 000 001", due_date=TODAY + 400 * DAY),  # due in the future: fine
        ]
    )
    messages = [(m.split(";")[0], f, c) for m, f, _, c in found]
    at = "recommendations record {} (reference 18 000 00{})".format
    assert messages == [
        ("recommendations are made only on upheld decisions", at(1, 2), "reference"),
        ("not a kind of recommendation", at(2, 1), "kind"),
        ("the recommendation is due before the decision (01/09/2019)", at(3, 1), "due_date"),
        ("is blank", at(4, 1), "due_date"),
        ("is before 1974, when the ombudsman began work: check the year", at(5, 1), "due_date"),
        ("is not a date", at(6, 1), "due_date"),
        ("the description is 2,001 characters long", at(7, 1), "description"),
        ("is not true or false", at(9, 1), "service_improvement"),
    ]
    assert found[0][0].endswith("this case's outcome is “not_upheld”")


def test_compliance_problems():
    found, _ = check(
        cases=[case("19 000 001", CODE, decision_date=None, outcome="", service_area="")],
        compliance=[
            compliance("19 000 001"),
            compliance("18 000 001", outcome="maybe"),
            compliance("18 000 001"),
            compliance("18 000 002", recorded_date=TODAY + DAY),
        ],
    )
    at = "compliance record {} (reference {})".format
    assert [(m.split(";")[0], f, c) for m, f, _, c in found] == [
        ("compliance is recorded only on upheld decisions", at(1, "19 000 001"), "reference"),
        ("not a compliance outcome", at(2, "18 000 001"), "outcome"),
        (
            "a case has one compliance outcome, and this reference appears more than once "
            "(also compliance record 2 (reference 18 000 001))",
            at(3, "18 000 001"),
            "reference",
        ),
        ("compliance is recorded only on upheld decisions", at(4, "18 000 002"), "reference"),
        ("is in the future (today is 01/06/2021)", at(4, "18 000 002"), "recorded_date"),
    ]
    assert found[0][0].endswith("this case's outcome is “none (not decided)”")


def test_compliance_recorded_before_the_decision():
    found, _ = check(compliance=[compliance("18 000 001", recorded_date=DECIDED - DAY)])
    assert found == [
        (
            "compliance is recorded before the decision (01/09/2019)",
            "compliance record 1 (reference 18 000 001)",
            None,
            "recorded_date",
        )
    ]
