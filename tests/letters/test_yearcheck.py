"""A year's letter is its own: the pure check of a body against last year's, and the diff."""

from __future__ import annotations

import pytest

from councilperf.letters import yearcheck
from councilperf.letters.yearcheck import THIS_YEAR_ONLY, Piece, approval_problems, word_diff

LAST = (
    "Opening for every year.\n\n"
    f"Given the pressures of recent months, we wrote with care.\n\n{THIS_YEAR_ONLY}\n\n"
    "## Statistics\n\n"
    f"We held seminars in four cities. {THIS_YEAR_ONLY}\n\n"
    "Closing words."
)


def check(body: str, previous: str | None = LAST) -> list[str]:
    return approval_problems(body=body, previous_body=previous, previous_year="2019-20")


def test_marked_paragraphs_on_a_line_after_or_inside() -> None:
    assert yearcheck.marked_paragraphs(LAST) == [
        "Given the pressures of recent months, we wrote with care.",
        "We held seminars in four cities.",
    ]
    assert yearcheck.marked_paragraphs("No marks.\n\nAt all.") == []
    # A marker with nothing before it marks nothing.
    assert yearcheck.marked_paragraphs(f"{THIS_YEAR_ONLY}\n\nText.") == []


def test_the_same_body_is_refused_even_with_other_spacing() -> None:
    assert check(LAST) == ["the body is the same as 2019-20's: write this year's letter"]
    assert check(LAST.replace("\n\n", "\n\n\n").replace("pressures of", "pressures\n  of")) == [
        "the body is the same as 2019-20's: write this year's letter"
    ]


def test_a_kept_marked_paragraph_is_refused_with_its_opening_words() -> None:
    body = "A new opening.\n\nGiven the pressures of recent   months, we wrote with care.\n\nEnd."
    problems = check(body)
    assert len(problems) == 1
    assert "2019-20 marked “this year only”" in problems[0]
    assert "Given the pressures of recent months" in problems[0]


def test_both_marked_paragraphs_kept_gives_two_problems() -> None:
    body = LAST.replace("Opening for every year.", "A new opening.")
    assert len(check(body)) == 2


def test_a_body_of_its_own_passes() -> None:
    body = "A new opening.\n\n## Statistics\n\nThis year's own words.\n\nClosing words."
    assert check(body) == []
    # An unmarked paragraph may be kept ("Closing words.").
    assert check("Closing words.\n\nSomething new.") == []


def test_the_first_year_has_nothing_to_compare_with() -> None:
    assert check(LAST, previous=None) == []


@pytest.mark.parametrize(
    ("before", "after", "pieces"),
    [
        ("a b c", "a b c", [Piece("same", "a b c")]),
        (
            "a b c",
            "a x c",
            [Piece("same", "a"), Piece("removed", "b"), Piece("added", "x"), Piece("same", "c")],
        ),
        ("a b", "a b c d", [Piece("same", "a b"), Piece("added", "c d")]),
        ("a b c", "c", [Piece("removed", "a b"), Piece("same", "c")]),
        ("", "new", [Piece("added", "new")]),
    ],
)
def test_word_diff(before: str, after: str, pieces: list[Piece]) -> None:
    assert word_diff(before, after) == pieces
    kept_and_added = " ".join(p.text for p in word_diff(before, after) if p.kind != "removed")
    assert kept_and_added.split() == after.split()
