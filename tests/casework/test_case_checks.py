"""The checks of one case record, boundary by boundary (pure: no database).

Equality boundaries are accepted (a date equal to today, a decision on the day it was
received, a decision on an authority's first or last day, text exactly at its length limit)
and the day or character just past them is refused, with its message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from councilperf.casework.case_checks import check_case, reference_ok
from councilperf.casework.codes import ComplianceResult
from councilperf.casework.problems import Location
from councilperf.casework.rules import (
    MAX_REFERENCE_LENGTH,
    MAX_SUMMARY_LENGTH,
    MAX_URL_LENGTH,
    AuthorityInfo,
    StoredCase,
    _choices,
    date_problem,
    text_problem,
)
from tests.casework.builders import TODAY, case

CODE = "E07999001"
BORSETSHIRE = AuthorityInfo(
    id=1,
    gss_code=CODE,
    name="Borsetshire",
    start_date=dt.date(2019, 4, 1),
    end_date=dt.date(2020, 3, 31),
)
DAY = dt.timedelta(days=1)


def problems(record: Any, **options: Any) -> list[tuple[str, str, object]]:
    found: list[tuple[str, str, object]] = []
    settings: dict[str, Any] = {
        "earlier": None,
        "authorities": {CODE: BORSETSHIRE},
        "stored": {},
        "dataset_id": 1,
        "dataset_names": {2: "Older"},
        "today": TODAY,
    }
    settings.update(options)
    check_case(record, lambda *problem: found.append(problem), **settings)
    return found


def test_a_good_case_has_no_problem():
    assert problems(case("19 000 001", CODE)) == []


# ── dates ──────────────────────────────────────────────────────────────────────────────────


def test_date_problem_boundaries():
    assert date_problem(TODAY, today=TODAY, optional=False) is None
    assert date_problem(TODAY + DAY, today=TODAY, optional=False) == (
        "is in the future (today is 01/06/2021)"
    )
    assert date_problem(TODAY + DAY, today=TODAY, optional=False, allow_future=True) is None
    assert date_problem(dt.date(1974, 1, 1), today=TODAY, optional=False) is None
    assert date_problem(dt.date(1973, 12, 31), today=TODAY, optional=False) == (
        "is before 1974, when the ombudsman began work: check the year"
    )
    assert date_problem(None, today=TODAY, optional=True) is None
    assert date_problem(None, today=TODAY, optional=False) == "is blank; this date is required"
    assert date_problem("2019-05-01", today=TODAY, optional=True) == "is not a date"


def test_received_and_decided_today_are_accepted_tomorrow_refused():
    local = dt.date(2021, 5, 1)
    open_ended = AuthorityInfo(id=1, gss_code=CODE, name="B", start_date=None, end_date=None)
    options = {"authorities": {CODE: open_ended}}
    same_day = case("19 000 001", CODE, received_date=TODAY, decision_date=TODAY)
    assert problems(same_day, **options) == []
    tomorrow = case("19 000 001", CODE, received_date=local, decision_date=TODAY + DAY)
    assert problems(tomorrow, **options) == [
        ("is in the future (today is 01/06/2021)", "decision_date", TODAY + DAY)
    ]
    late = case(
        "19 000 001",
        CODE,
        received_date=TODAY + DAY,
        decision_date=None,
        outcome="",
        service_area="",
    )
    assert problems(late, **options) == [
        ("is in the future (today is 01/06/2021)", "received_date", TODAY + DAY)
    ]


def test_a_decision_on_the_day_received_is_accepted_the_day_before_refused():
    day = dt.date(2019, 9, 1)
    assert problems(case("19 000 001", CODE, received_date=day, decision_date=day)) == []
    assert problems(case("19 000 001", CODE, received_date=day, decision_date=day - DAY)) == [
        ("the decision date is before the received date (01/09/2019)", "decision_date", day - DAY)
    ]


@pytest.mark.parametrize(
    ("decided", "received", "refused"),
    [
        (dt.date(2019, 4, 1), dt.date(2019, 1, 1), False),  # the authority's first day
        (dt.date(2020, 3, 31), dt.date(2019, 5, 1), False),  # its last day
        (dt.date(2019, 3, 31), dt.date(2019, 1, 1), True),  # the day before it began
        (dt.date(2020, 4, 1), dt.date(2019, 5, 1), True),  # the day after it ended
    ],
)
def test_an_authority_first_and_last_day(decided, received, refused):
    found = problems(case("19 000 001", CODE, received_date=received, decision_date=decided))
    expected = [
        (
            f"Borsetshire did not exist on the decision date {decided:%d/%m/%Y} "
            "(it existed from 01/04/2019 until 31/03/2020)",
            "authority_code",
            CODE,
        )
    ]
    assert found == (expected if refused else [])


def test_a_date_with_a_problem_is_not_compared_with_the_others():
    open_ended = {"authorities": {CODE: AuthorityInfo(1, CODE, "B", None, None)}}
    early = dt.date(1973, 12, 31)
    assert problems(case("19 000 001", CODE, received_date=None), **open_ended) == [
        ("is blank; this date is required", "received_date", None)
    ]
    assert problems(case("19 000 001", CODE, received_date=early), **open_ended) == [
        ("is before 1974, when the ombudsman began work: check the year", "received_date", early)
    ]
    future = case("19 000 001", CODE, decision_date=TODAY + DAY, public_report_date=TODAY)
    assert problems(future, **open_ended) == [
        ("is in the future (today is 01/06/2021)", "decision_date", TODAY + DAY)
    ]


def test_an_undecided_case_is_checked_on_its_received_date():
    received = dt.date(2020, 4, 1)
    record = case("19 000 001", CODE, received_date=received, decision_date=None, outcome="")
    assert problems(record) == [
        (
            "Borsetshire did not exist on the received date 01/04/2020 "
            "(it existed from 01/04/2019 until 31/03/2020)",
            "authority_code",
            CODE,
        ),
        ("a service area needs a decision date", "service_area", "housing"),
    ]


def test_existed_on_and_lifetime():
    assert BORSETSHIRE.existed_on(dt.date(2019, 4, 1)) and BORSETSHIRE.existed_on(
        dt.date(2020, 3, 31)
    )
    assert not BORSETSHIRE.existed_on(dt.date(2019, 3, 31))
    assert not BORSETSHIRE.existed_on(dt.date(2020, 4, 1))
    starts = AuthorityInfo(id=2, gss_code="E1", name="N", start_date=TODAY, end_date=None)
    ends = AuthorityInfo(id=3, gss_code="E2", name="O", start_date=None, end_date=TODAY)
    assert (starts.lifetime(), ends.lifetime()) == ("from 01/06/2021", "until 01/06/2021")
    assert starts.existed_on(dt.date(9999, 1, 1)) and not starts.existed_on(TODAY - DAY)
    assert ends.existed_on(dt.date(1, 1, 1)) and not ends.existed_on(TODAY + DAY)


# ── the reference ──────────────────────────────────────────────────────────────────────────


def test_reference_exactly_at_its_limit_is_accepted_one_more_refused():
    at_limit = "1" * MAX_REFERENCE_LENGTH
    assert reference_ok(at_limit) and not reference_ok(at_limit + "1")
    assert not reference_ok(" 19 000 001") and not reference_ok("") and not reference_ok(None)
    assert not reference_ok("   ")
    assert problems(case(at_limit, CODE)) == []
    assert problems(case(at_limit + "1", CODE)) == [
        ("a reference has at most 20 characters", "reference", at_limit + "1")
    ]


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("", "the reference is blank"),
        ("  ", "the reference is blank"),
        ("19 000 001 ", "the reference has spaces at its start or end"),
    ],
)
def test_reference_problems(reference, message):
    assert problems(case(reference, CODE)) == [(message, "reference", reference)]


def test_a_repeated_reference_and_one_of_another_dataset():
    earlier = Location("cases.csv", 2)
    assert problems(case("19 000 001", CODE), earlier=earlier) == [
        ("this reference appears more than once (also cases.csv, row 2)", "reference", "19 000 001")
    ]
    other = {"19 000 001": StoredCase(id=9, dataset_id=2, values=())}
    message = (
        "a case with this reference is already stored in the dataset “Older”; "
        "a case belongs to one dataset"
    )
    assert problems(case("19 000 001", CODE), stored=other) == [
        (message, "reference", "19 000 001")
    ]
    unnamed = {"19 000 001": StoredCase(id=9, dataset_id=3, values=())}
    assert problems(case("19 000 001", CODE), stored=unnamed)[0][0].startswith(
        "a case with this reference is already stored in the dataset “3”;"
    )
    same = {"19 000 001": StoredCase(id=9, dataset_id=1, values=())}
    assert problems(case("19 000 001", CODE), stored=same) == []


def test_authority_code_problems():
    assert problems(case("19 000 001", "")) == [
        ("the authority code is blank", "authority_code", "")
    ]
    assert problems(case("19 000 001", "E07000000")) == [
        ("no authority has this GSS code (e.g. E07000038)", "authority_code", "E07000000")
    ]


# ── decision, remedy, public report ────────────────────────────────────────────────────────


def test_decision_fields():
    undecided = case("19 000 001", CODE, decision_date=None, outcome="upheld", service_area="")
    assert problems(undecided) == [("an outcome needs a decision date", "outcome", "upheld")]
    blank = case("19 000 001", CODE, outcome="", service_area="")
    assert problems(blank) == [
        ("a decided case (with a decision date) needs an outcome", "outcome", ""),
        ("a decided case (with a decision date) needs a service area", "service_area", ""),
    ]
    wrong = problems(case("19 000 001", CODE, outcome="partly", service_area="parks"))
    assert [(m.split(";")[0], c, v) for m, c, v in wrong] == [
        ("not an outcome", "outcome", "partly"),
        ("not a service area", "service_area", "parks"),
    ]


def test_remedy_only_for_an_upheld_decision():
    assert problems(case("19 000 001", CODE, remedied_by_authority=True)) == []
    not_upheld = case("19 000 001", CODE, outcome="not_upheld", remedied_by_authority=True)
    assert problems(not_upheld) == [
        (
            "only an upheld decision can be remedied by the authority "
            "(this case's outcome is “not_upheld”)",
            "remedied_by_authority",
            "true",
        )
    ]
    undecided = case(
        "19 000 001",
        CODE,
        decision_date=None,
        outcome="",
        service_area="",
        remedied_by_authority=True,
    )
    assert problems(undecided)[0][0].endswith("(this case's outcome is “none”)")
    assert problems(case("19 000 001", CODE, remedied_by_authority="yes")) == [
        ("is not true or false", "remedied_by_authority", "yes")
    ]
    assert problems(case("19 000 001", CODE, remedied_by_authority=None)) == [
        ("is not true or false", "remedied_by_authority", None)
    ]


def test_public_report_on_the_decision_day_accepted_the_day_before_refused():
    decided = dt.date(2019, 9, 1)
    assert problems(case("19 000 001", CODE, public_report_date=decided)) == []
    assert problems(case("19 000 001", CODE, public_report_date=TODAY)) == []
    assert problems(case("19 000 001", CODE, public_report_date=decided - DAY)) == [
        (
            "the public report is dated before the decision (01/09/2019)",
            "public_report_date",
            decided - DAY,
        )
    ]
    assert problems(case("19 000 001", CODE, public_report_date=TODAY + DAY)) == [
        ("is in the future (today is 01/06/2021)", "public_report_date", TODAY + DAY)
    ]
    undecided = case(
        "19 000 001",
        CODE,
        decision_date=None,
        outcome="",
        service_area="",
        public_report_date=TODAY,
    )
    assert problems(undecided) == [
        ("a public report needs a decision date", "public_report_date", TODAY)
    ]


# ── free text and the link ─────────────────────────────────────────────────────────────────


def test_text_problem_at_and_past_the_limit():
    assert text_problem("x" * 5, "summary", 5) is None
    assert text_problem("x" * 6, "summary", 5) == (
        "the summary is 6 characters long; the most allowed is 5"
    )
    assert text_problem(None, "summary", 5) == "is not text"


def test_summary_exactly_at_its_limit_is_accepted_one_more_refused():
    at_limit = "s" * MAX_SUMMARY_LENGTH
    assert problems(case("19 000 001", CODE, summary=at_limit)) == []
    assert problems(case("19 000 001", CODE, summary=at_limit + "s")) == [
        (
            "the summary is 10,001 characters long; the most allowed is 10,000",
            "summary",
            at_limit + "s",
        )
    ]


def test_link_exactly_at_its_limit_is_accepted_one_more_refused():
    base = "https://www.example.org/"
    at_limit = base + "d" * (MAX_URL_LENGTH - len(base))
    assert problems(case("19 000 001", CODE, statement_url=at_limit)) == []
    assert problems(case("19 000 001", CODE, statement_url=at_limit + "d")) == [
        (
            "the link is 501 characters long; the most allowed is 500",
            "statement_url",
            at_limit + "d",
        )
    ]


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("", True),
        ("https://www.example.org/decisions/1", True),
        ("http://www.example.org/decisions/1", True),
        ("ftp://www.example.org/decisions/1", False),
        ("www.example.org/decisions/1", False),
        ("https://www.example.org/a decision", False),
        ("https://www.example.org/a\tdecision", False),
    ],
)
def test_link_rules(url, accepted):
    message = "not a web address: it must start with https:// and contain no spaces"
    found = problems(case("19 000 001", CODE, statement_url=url))
    assert found == ([] if accepted else [(message, "statement_url", url)])


def test_a_link_that_is_not_text():
    assert problems(case("19 000 001", CODE, statement_url=None)) == [
        ("is not text", "statement_url", None)
    ]
    assert problems(case("19 000 001", CODE, statement_url=3)) == [
        ("is not text", "statement_url", 3)
    ]
    assert problems(case("19 000 001", CODE, summary=3)) == [("is not text", "summary", 3)]


# ── the rules' own values ──────────────────────────────────────────────────────────────────


def test_the_choices_a_message_lists():
    # Built again here: the messages are built when the module is imported.
    assert _choices(ComplianceResult) == (
        "complied (Complied); complied_late (Complied late); not_complied (Not complied)"
    )


def test_a_stored_case_reads_its_outcome_and_decision_date():
    stored = StoredCase(id=9, dataset_id=1, values=(1, None, dt.date(2019, 9, 1), "", "upheld"))
    assert (stored.outcome, stored.decision_date) == ("upheld", dt.date(2019, 9, 1))
    undecided = StoredCase(id=9, dataset_id=1, values=(1, None, "2019-09-01", "", ""))
    assert (undecided.outcome, undecided.decision_date) == ("", None)
