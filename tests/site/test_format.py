"""The one formatter, value by value (pure: no database)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from councilperf.statistics import format as fmt
from councilperf.statistics.measures import METRIC

UPHELD = METRIC["upheld_rate"]
PER_100K = METRIC["upheld_per_100k"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "–"),
        (0, "0%"),
        (Fraction(0), "0%"),
        (Fraction(57, 200), "29%"),  # 28.5 → 29, half away from zero
        (Fraction(1, 8), "13%"),  # 12.5 → 13
        (Fraction(1, 200), "1%"),  # 0.5 → 1
        (Fraction(1, 201), "0%"),
        (1, "100%"),
        (0.125, "13%"),  # a float's exact binary value is exactly 0.125
        (0.285, "28%"),  # 0.285 is stored just below 0.285
        (0.015, "1%"),  # stored just below 0.015, yet 0.015 * 100 in floats is 1.5
    ],
)
def test_percent(value, shown):
    assert fmt.percent(value) == shown
    if value is not None:
        assert fmt.axis_percent(value) == shown


@pytest.mark.parametrize(
    ("numerator", "denominator", "shown"),
    [(0, None, "–"), (0, 0, "–"), (0, 2, "0%"), (9, 18, "50%"), (1, 3, "33%"), (2, 3, "67%")],
)
def test_percent_of(numerator, denominator, shown):
    assert fmt.percent_of(numerator, denominator) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "–"),
        (0, "0.0"),
        (Fraction(9, 4), "2.3"),  # 2.25 → 2.3
        (Fraction(1, 20), "0.1"),  # 0.05 → 0.1
        (Fraction(1, 21), "0.0"),
        (Fraction(-9, 4), "-2.3"),  # half away from zero on the negative side too
        (Fraction(-1, 100), "0.0"),  # rounds to zero: no minus sign
        (Fraction(-1, 10), "-0.1"),
        (12345.67, "12,345.7"),
        (Fraction(10), "10.0"),
        (0.15, "0.1"),  # stored just below 0.15, yet 0.15 * 10 in floats is exactly 1.5
    ],
)
def test_one_decimal(value, shown):
    assert fmt.one_decimal(value) == shown
    assert fmt.per_100k(value) == shown


@pytest.mark.parametrize(("value", "shown"), [(None, "–"), (0, "0"), (1234, "1,234")])
def test_count(value, shown):
    assert fmt.count(value) == shown


def test_figure_follows_the_metric_kind():
    assert fmt.figure(UPHELD, Fraction(1, 8)) == "13%"
    assert fmt.figure(PER_100K, Fraction(1, 8)) == "0.1"
    assert fmt.figure(UPHELD, None) == fmt.figure(PER_100K, None) == "–"


def test_interval():
    assert fmt.interval(UPHELD, 0.23, 0.35) == "23% to 35%"
    assert fmt.interval(PER_100K, 2.25, 12.5) == "2.3 to 12.5"
    assert fmt.interval(UPHELD, 0.0, 1.0) == "0% to 100%"
    assert fmt.interval(UPHELD, None, 0.35) == ""
    assert fmt.interval(UPHELD, 0.23, None) == ""
    assert fmt.interval(UPHELD, None, None) == ""


@pytest.mark.parametrize(
    ("value", "shown"),
    [(2.0, "2"), (3.0, "3"), (0.0, "0"), (1000.0, "1,000"), (2.5, "2.5"), (1.25, "1.3")],
)
def test_axis_rate(value, shown):
    assert fmt.axis_rate(value) == shown


@pytest.mark.parametrize(("value", "shown"), [(2.5, "3"), (1234.4, "1,234"), (0.0, "0")])
def test_axis_count(value, shown):
    assert fmt.axis_count(value) == shown
