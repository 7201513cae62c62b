"""The return's checks, each rule with a case that passes and one that fails (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from councilperf.portal import returncheck as rc
from councilperf.portal.code import SECTION_KEYS
from tests.portal.factories_returns import complete

START = dt.date(2026, 4, 1)
DEADLINE = dt.date(2027, 6, 30)


def run(raw: dict[str, str], *, complete_: bool = True) -> rc.Checked:
    return rc.check(raw, start=START, deadline=DEADLINE, complete=complete_)


def test_a_complete_valid_return_passes_with_typed_values() -> None:
    result = run(complete(stage1_received="1,412"))
    assert result.ok, result.errors
    assert result.values["stage1_received"] == 1412
    assert result.values["self_assessment_date"] == dt.date(2027, 5, 14)
    assert result.values["stages_rating"] == "partly"


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("-3", "0 or more"),
        ("- 3", "0 or more"),
        ("2.5", "not a fraction"),
        ("1,5", "whole number"),
        ("twelve", "whole number"),
        ("1e3", "whole number"),
        ("١٢", "whole number"),
        ("99999999", "at most"),
    ],
)
def test_counts_must_be_whole_and_not_negative(typed: str, rule: str) -> None:
    result = run(complete(stage1_upheld=typed))
    assert rule in result.errors["stage1_upheld"]
    assert result.errors["stage1_upheld"].startswith("Stage 1 complaints upheld")
    assert "stage1_upheld" not in result.values


@pytest.mark.parametrize(("typed", "value"), [("7", 7), (" 7 ", 7), ("7.0", 7), ("0", 0)])
def test_whole_counts_typed_in_other_ways_are_read(typed: str, value: int) -> None:
    assert rc.count(typed) == value


@pytest.mark.parametrize(
    ("field", "value", "larger"),
    [
        ("stage1_responded", "413", "stage 1 complaints received"),
        ("stage1_in_time", "401", "stage 1 complaints answered"),
        ("stage1_upheld", "401", "stage 1 complaints answered"),
        ("stage2_received", "401", "stage 1 complaints answered"),
        ("stage2_responded", "61", "stage 2 complaints received"),
        ("stage2_in_time", "59", "stage 2 complaints answered"),
        ("stage2_upheld", "59", "stage 2 complaints answered"),
        ("escalated", "59", "stage 2 complaints answered"),
    ],
)
def test_each_count_may_not_exceed_the_one_it_is_part_of(
    field: str, value: str, larger: str
) -> None:
    result = run(complete(**{field: value}))
    assert list(result.errors) == [field]
    assert f"cannot be more than {larger}" in result.errors[field]
    # The limit itself is fine.
    limit = int(value) - 1
    assert run(complete(**{field: str(limit)})).ok


def test_relations_are_only_checked_between_counts_that_were_given() -> None:
    result = run({"stage1_in_time": "5"}, complete_=False)
    assert result.ok and result.values["stage1_in_time"] == 5


@pytest.mark.parametrize(
    "typed",
    [
        "http://www.example.gov.uk/self-assessment",
        "www.example.gov.uk",
        "https://",
        "javascript:alert(1)",
        "https://exa mple.gov.uk/",
        "https://www.example.gov.uk/" + "a" * 500,
    ],
)
def test_the_self_assessment_address_must_be_https(typed: str) -> None:
    result = run(complete(self_assessment_url=typed))
    assert list(result.errors) == ["self_assessment_url"]
    assert result.errors["self_assessment_url"].startswith("Address of your published")


@pytest.mark.parametrize(
    ("typed", "ok"),
    [
        ("01/04/2026", True),
        ("2026-04-01", True),
        ("30/06/2027", True),
        ("31/03/2026", False),
        ("01/07/2027", False),
        ("31/02/2027", False),
        ("yesterday", False),
    ],
)
def test_the_members_date_is_between_the_year_start_and_the_deadline(typed: str, ok: bool) -> None:
    result = run(complete(self_assessment_date=typed))
    assert result.ok is ok
    if not ok:
        assert result.errors["self_assessment_date"].startswith("Date members considered")


def test_sign_off_needs_every_field_and_every_section_rated() -> None:
    raw = complete()
    del raw["escalated"]
    raw["learning_rating"] = ""
    result = run(raw)
    assert result.errors == {
        "escalated": "Complaints escalated to the ombudsman must be filled in",
        "learning_rating": "Rating for “Scrutiny and oversight: continuous learning and "
        "improvement” must be chosen",
    }
    assert run(raw, complete_=False).ok  # a draft may leave them blank


def test_comments_are_optional_but_at_most_500_characters() -> None:
    assert run(complete(definition_comment="")).ok
    assert run(complete(definition_comment="x" * 500)).ok
    result = run(complete(definition_comment="x" * 501))
    assert "at most 500 characters (it has 501)" in result.errors["definition_comment"]


@pytest.mark.parametrize("hidden", ["\x00", "\x1b[31m", "\u202e", "\x85"])
def test_comments_may_not_hold_hidden_control_characters(hidden: str) -> None:
    result = run(complete(definition_comment=f"Fine {hidden}words"))
    assert "hidden control characters" in result.errors["definition_comment"]
    assert run(complete(definition_comment="Two\nlines\ttabbed")).ok


def test_a_rating_must_be_one_of_the_three() -> None:
    result = run(complete(definition_rating="excellent"))
    assert "must be one of" in result.errors["definition_rating"]
    assert {rc.rating(k) for k in rc.RATING_KEYS} == {"meets", "partly", "does_not"}


def test_every_field_has_a_label_and_every_section_two_fields() -> None:
    assert len(rc.FIELDS) == 9 + 2 + 2 * len(SECTION_KEYS)
    assert all(rc.LABELS[name] for name in rc.FIELDS)


@pytest.mark.parametrize(
    ("text", "ok"), [("30/06/2027", True), ("01/04/2026", True), ("31/03/2026", False), ("", False)]
)
def test_a_deadline_is_a_date_on_or_after_the_year_start(text: str, ok: bool) -> None:
    if ok:
        assert rc.deadline_of(text, start=START) == rc.day(text)
    else:
        with pytest.raises(rc.BadValue):
            rc.deadline_of(text, start=START)


TODAY = dt.date(2027, 6, 1)
LATER = dt.date(2027, 7, 1)


@pytest.mark.parametrize(
    ("saved", "signed_off", "today", "expected"),
    [
        (None, None, TODAY, rc.NOT_STARTED),
        ("draft", None, TODAY, rc.DRAFT),
        ("ready", None, TODAY, rc.READY),
        ("submitted", dt.date(2027, 5, 1), TODAY, rc.SUBMITTED),
        ("submitted", DEADLINE, LATER, rc.SUBMITTED),
        ("submitted", LATER, LATER, rc.SUBMITTED_LATE),
        (None, None, LATER, rc.LATE),
        ("draft", None, LATER, rc.LATE),
        ("ready", None, LATER, rc.LATE),
        (None, None, DEADLINE, rc.NOT_STARTED),
    ],
)
def test_status_on_the_staff_list(
    saved: str | None, signed_off: dt.date | None, today: dt.date, expected: str
) -> None:
    assert rc.status(saved=saved, signed_off=signed_off, deadline=DEADLINE, today=today) == expected
    assert expected in rc.STATUS_LABELS
