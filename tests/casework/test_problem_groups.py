"""Problems counted by message however many there are (the staff import page groups them),
with the first rows of each kept: beyond the cap of problems listed one by one."""

from __future__ import annotations

from councilperf.casework.problems import (
    GROUP_EXAMPLES,
    CaseworkValidationError,
    Problem,
    Problems,
)


def test_groups_count_every_problem_beyond_the_cap() -> None:
    problems = Problems(cap=3)
    for row in range(2, 2715):
        problems.add("not an outcome", file="cases.csv", row=row, column="outcome", value="won")
    problems.add("not a date", file="cases.csv", row=9000, column="received_date")
    error = problems.error()
    assert len(error.errors) == 3 and error.total == 2714
    (outcome, date) = error.groups
    assert (outcome.message, outcome.count) == ("not an outcome", 2713)
    assert [p.row for p in outcome.examples] == list(range(2, 2 + GROUP_EXAMPLES))
    assert (date.message, date.count, date.examples[0].row) == ("not a date", 1, 9000)


def test_merged_collectors_keep_their_counts() -> None:
    reading, checking = Problems(cap=2), Problems(cap=2)
    for row in range(10):
        reading.add("unreadable", row=row)
        checking.add("unknown case", row=row)
    checking.add("unreadable", row=99)
    merged = Problems(cap=2)
    merged.merge(reading)
    merged.merge(checking)
    assert merged.total == 21 and len(merged.kept) == 2
    groups = {group.message: group for group in merged.error().groups}
    assert groups["unreadable"].count == 11 and groups["unknown case"].count == 10
    assert len(groups["unreadable"].examples) == GROUP_EXAMPLES


def test_an_error_made_from_a_list_groups_it() -> None:
    error = CaseworkValidationError([Problem("a", row=1), Problem("b", row=2), Problem("a")])
    assert [(g.message, g.count) for g in error.groups] == [("a", 2), ("b", 1)]


def test_messages_differing_in_one_rows_details_are_one_group() -> None:
    problems = Problems()
    for row, day in ((2, "01/05/2019"), (3, "02/05/2019")):
        problems.add(f"the decision date is before the received date ({day})", row=row)
    problems.add("not an outcome; use one of: upheld (Upheld)", row=4)
    problems.add("not an outcome; use one of: upheld (Upheld)", row=5)
    dates, outcomes = problems.error().groups
    assert (dates.message, dates.count) == ("the decision date is before the received date …", 2)
    assert dates.examples[1].message.endswith("(02/05/2019)")
    # All alike: shown as it is, its parenthesis kept.
    assert (outcomes.message, outcomes.count) == ("not an outcome; use one of: upheld (Upheld)", 2)
