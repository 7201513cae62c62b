"""The derived measures of a council's own complaint handling (portal.handling): exact,
each None when its denominator is 0 or missing, never an invented zero."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from councilperf.portal import handling
from councilperf.portal.handling import OwnCounts, measures, per_residents, ratio

FULL = OwnCounts(
    stage1_received=300,
    stage1_responded=290,
    stage1_in_time=232,
    stage1_upheld=87,
    stage2_received=40,
    stage2_responded=40,
    stage2_in_time=30,
    stage2_upheld=10,
    escalated=6,
)


def test_every_measure_of_a_full_return() -> None:
    found = measures(FULL, 150_000)
    assert found.stage1_per_10k == Fraction(20)
    assert found.stage2_per_10k == Fraction(40 * 10_000, 150_000)
    assert found.stage1_in_time_rate == Fraction(232, 290)
    assert found.stage2_in_time_rate == Fraction(30, 40)
    assert found.stage1_uphold_rate == Fraction(87, 290)
    assert found.stage2_uphold_rate == Fraction(10, 40)
    assert found.escalated_share == Fraction(6, 40)
    assert list(found.as_dict()) == [name for name, _ in handling.MEASURES]


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 2, Fraction(1, 2)),
        (0, 5, Fraction(0)),  # a reported zero stays zero
        (5, 5, Fraction(1)),
        (1, 0, None),  # nothing to divide by
        (0, 0, None),
        (None, 5, None),  # not reported
        (3, None, None),
        (None, None, None),
        (1, -1, None),  # not a count
    ],
)
def test_ratio(numerator: int | None, denominator: int | None, expected: Fraction | None) -> None:
    assert ratio(numerator, denominator) == expected


@pytest.mark.parametrize(
    ("count", "population", "expected"),
    [
        (300, 150_000, Fraction(20)),
        (0, 150_000, Fraction(0)),
        (1, 3, Fraction(10_000, 3)),
        (300, None, None),  # no population known: no rate
        (300, 0, None),
        (None, 150_000, None),
    ],
)
def test_per_residents(
    count: int | None, population: int | None, expected: Fraction | None
) -> None:
    assert per_residents(count, population) == expected


def test_no_population_leaves_the_rates_per_residents_out_only() -> None:
    found = measures(FULL, None)
    assert found.stage1_per_10k is None and found.stage2_per_10k is None
    assert found.stage1_in_time_rate == Fraction(232, 290)


def test_nothing_answered_at_a_stage_leaves_its_rates_out() -> None:
    found = measures(
        OwnCounts(stage1_received=4, stage1_responded=0, stage1_in_time=0, stage1_upheld=0), 1000
    )
    assert found.stage1_per_10k == Fraction(40)
    assert found.stage1_in_time_rate is None and found.stage1_uphold_rate is None


def test_no_stage_2_answered_leaves_the_escalated_share_out() -> None:
    found = measures(OwnCounts(stage2_received=0, stage2_responded=0, escalated=0), 1000)
    assert found.stage2_per_10k == Fraction(0)
    assert found.escalated_share is None
    assert found.stage2_in_time_rate is None and found.stage2_uphold_rate is None


def test_an_empty_return_measures_nothing() -> None:
    assert all(v is None for v in measures(OwnCounts(), 150_000).as_dict().values())


def test_zero_counts_reported_are_zero_measures() -> None:
    zero = OwnCounts(**{name: 0 for name in handling.COUNTS})
    found = measures(zero, 150_000)
    assert found.stage1_per_10k == 0 and found.stage2_per_10k == 0
    assert found.stage1_in_time_rate is None  # 0 of 0 answered: nothing to say


@pytest.mark.parametrize(
    ("value", "expected"), [(None, None), (Fraction(1, 3), 0.3333), (Fraction(20), 20.0)]
)
def test_as_number(value: Fraction | None, expected: float | None) -> None:
    assert handling.as_number(value) == expected


def test_the_module_imports_no_django() -> None:
    check = (
        "import sys, councilperf.portal.handling\n"
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parents[2]
    found = subprocess.run(
        [sys.executable, "-c", check], cwd=root, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "False"
