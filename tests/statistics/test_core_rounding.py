"""Display rounding: whole percentages, half away from zero, on the exact fraction."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from councilperf.statistics.core import round_half_away_from_zero, whole_percent
from councilperf.statistics.core.rounding import whole_percent_of


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (89, 200, 45),  # 44.5 % → 45 (round() on the float 44.5 would give 44)
        (0, 2, 0),  # the reference letter: 0 of 2 investigations upheld
        (1, 8, 13),  # 12.5 % → 13
        (3, 8, 38),  # 37.5 % → 38
        (1, 3, 33),
        (2, 3, 67),
        (1, 200, 1),  # 0.5 % → 1
        (1, 201, 0),  # 0.4975 % → 0
        (199, 200, 100),  # 99.5 % → 100
        (7, 7, 100),
    ],
)
def test_whole_percent_hand_worked(numerator: int, denominator: int, expected: int) -> None:
    assert whole_percent(numerator, denominator) == expected


def test_whole_percent_beats_float_rounding() -> None:
    # The float 0.445 is just below 0.445; rounding it would give the wrong answer.
    assert round(89 / 200 * 100) == 44
    assert whole_percent(89, 200) == 45


def test_whole_percent_undefined_without_denominator() -> None:
    assert whole_percent(0, 0) is None
    assert whole_percent_of(None) is None


def test_whole_percent_rejects_negative_denominator() -> None:
    with pytest.raises(ValueError):
        whole_percent(1, -2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(5, 2), 3),
        (Fraction(-5, 2), -3),
        (Fraction(3, 2), 2),
        (Fraction(-3, 2), -2),
        (Fraction(7, 3), 2),
        (Fraction(-7, 3), -2),
        (0, 0),
    ],
)
def test_round_half_away_from_zero(value: Fraction, expected: int) -> None:
    assert round_half_away_from_zero(value) == expected


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=10_000))
def test_whole_percent_is_nearest_integer(numerator: int, denominator: int) -> None:
    exact = Fraction(100 * numerator, denominator)
    result = whole_percent(numerator, denominator)
    assert result is not None
    assert abs(result - exact) <= Fraction(1, 2)
    if abs(result - exact) == Fraction(1, 2):
        assert result > exact  # a half goes up (away from zero) for a non-negative value


@given(st.fractions())
def test_rounding_is_symmetric(value: Fraction) -> None:
    assert round_half_away_from_zero(-value) == -round_half_away_from_zero(value)


def test_whole_percent_of_a_peer_average() -> None:
    assert whole_percent_of(Fraction(89, 200)) == 45
    assert whole_percent_of(Fraction(0)) == 0


def test_whole_percent_refuses_a_negative_denominator_by_name() -> None:
    with pytest.raises(ValueError, match=r"^a denominator cannot be negative$"):
        whole_percent(1, -2)
    assert whole_percent(1, 0) is None


def test_whole_percent_of_an_exact_proportion() -> None:
    assert whole_percent_of(Fraction(1, 2)) == 50
    assert whole_percent_of(Fraction(89, 200)) == 45  # 44.5 → 45
    assert whole_percent_of(None) is None
