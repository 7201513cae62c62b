"""Exact tail probabilities and funnel labels (statistics.core.tails) against scipy's exact
binomial and Poisson tails: every n up to 200 on a grid of targets, and a grid of means.

scipy is a dev dependency only: the module itself sums the terms with math.lgamma.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from councilperf.statistics.core import tails
from councilperf.statistics.core.tails import Position

TARGETS: tuple[float, ...] = (1e-6, 0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.45, 0.5, 0.6, 0.75)
TARGETS += (0.8, 0.9, 0.95, 0.99, 0.999, 1 - 1e-6)
MEANS = (1e-4, 0.01, 0.1, 0.5, 1.0, 2.5, 4.2, 9.5, 23.0, 61.7, 150.0, 480.0, 1500.0)


def _close(found: list[float], expected: np.ndarray) -> None:
    """Relative agreement to 1e-9 (absolute below 1e-250, where scipy itself underflows)."""
    got = np.array(found)
    assert np.allclose(got, expected, rtol=1e-9, atol=1e-250), (
        np.abs(got - expected) / np.maximum(expected, 1e-300)
    ).max()


def _scipy_position(upper: float, lower: float) -> Position:
    if upper < 0.001:
        return Position.ABOVE_OUTER
    if upper < 0.025:
        return Position.ABOVE_INNER
    if lower < 0.001:
        return Position.BELOW_OUTER
    if lower < 0.025:
        return Position.BELOW_INNER
    return Position.INSIDE


@pytest.mark.parametrize("p", TARGETS)
def test_binomial_tails_equal_scipy_for_every_n_to_200(p: float) -> None:
    for n in range(0, 201):
        k = np.arange(n + 1)
        lower, upper = tails.binomial_tails(n, p)
        scipy_lower = stats.binom.cdf(k, n, p)
        scipy_upper = stats.binom.sf(k - 1, n, p)  # P(X ≥ k)
        _close(lower, scipy_lower)
        _close(upper, scipy_upper)
        limits = tails.binomial_count_limits(n, p)
        for j in range(n + 1):
            expected = _scipy_position(scipy_upper[j], scipy_lower[j])
            assert limits.position(j) is expected, (n, p, j)
            assert tails.position(upper[j], lower[j]) is expected, (n, p, j)


@pytest.mark.parametrize("p", TARGETS)
def test_single_binomial_tails_equal_scipy(p: float) -> None:
    for n in (1, 2, 3, 7, 20, 61, 200):
        for k in range(n + 1):
            assert tails.binomial_upper(k, n, p) == pytest.approx(
                stats.binom.sf(k - 1, n, p), rel=1e-9, abs=1e-250
            )
            assert tails.binomial_lower(k, n, p) == pytest.approx(
                stats.binom.cdf(k, n, p), rel=1e-9, abs=1e-250
            )
            assert tails.proportion_position(k, n, p) is _scipy_position(
                stats.binom.sf(k - 1, n, p), stats.binom.cdf(k, n, p)
            )


@pytest.mark.parametrize("mean", MEANS)
def test_poisson_tails_equal_scipy(mean: float) -> None:
    lower, upper = tails.poisson_tails(mean)
    k = np.arange(len(lower))
    scipy_lower = stats.poisson.cdf(k, mean)
    scipy_upper = stats.poisson.sf(k - 1, mean)
    _close(lower, scipy_lower)
    # Summed up to where the terms vanish: exact wherever a tail is above 1e-30 (the last
    # few, below that, leave out a remainder of under 1e-40 and no label depends on them).
    kept = scipy_upper > 1e-30
    _close(list(np.array(upper)[kept]), scipy_upper[kept])
    assert upper[-1] < 1e-30  # summed far enough out that nothing beyond matters
    limits = tails.poisson_count_limits(mean)
    for j in range(len(lower) + 5):
        up, low = stats.poisson.sf(j - 1, mean), stats.poisson.cdf(j, mean)
        assert limits.position(j) is _scipy_position(up, low), (mean, j)
    for j in range(0, min(len(lower), 400), 7):
        assert tails.poisson_upper(j, mean) == pytest.approx(
            stats.poisson.sf(j - 1, mean), rel=1e-9, abs=1e-250
        )
        assert tails.poisson_lower(j, mean) == pytest.approx(
            stats.poisson.cdf(j, mean), rel=1e-9, abs=1e-250
        )


def test_one_upheld_of_one_against_45_percent_is_nothing_unusual() -> None:
    """The issue's example: P(X ≥ 1 | 1, 0.45) = 0.45, far from 0.001."""
    assert tails.binomial_upper(1, 1, 0.45) == pytest.approx(0.45)
    assert tails.proportion_position(1, 1, 0.45) is Position.INSIDE
    for n in (1, 2, 3):  # every one upheld, 1 to 3 investigations: still inside
        assert tails.proportion_position(n, n, 0.45) is Position.INSIDE
    # 10 of 10 against 45 %: 0.45¹⁰ ≈ 0.00034 < 0.001
    assert tails.proportion_position(10, 10, 0.45) is Position.ABOVE_OUTER


def test_rate_position_uses_the_expected_count() -> None:
    # 5 per 100,000 among 100,000 residents: E = 5; P(X ≥ 12) ≈ 0.0055 (above 95 % only)
    assert tails.expected_count(5.0, 100_000) == 5.0
    assert tails.rate_position(12, 100_000, 5.0) is Position.ABOVE_INNER
    assert tails.rate_position(5, 100_000, 5.0) is Position.INSIDE
    assert tails.rate_position(0, 1_000_000, 5.0) is Position.BELOW_OUTER  # E = 50
    with pytest.raises(ValueError):
        tails.expected_count(-1.0, 100)
    with pytest.raises(ValueError):
        tails.expected_count(1.0, 0)


def test_degenerate_targets_and_means() -> None:
    assert tails.binomial_upper(1, 5, 0.0) == 0.0
    assert tails.binomial_upper(0, 5, 0.0) == 1.0
    assert tails.binomial_lower(4, 5, 1.0) == 0.0
    assert tails.binomial_lower(5, 5, 1.0) == 1.0
    assert tails.binomial_count_limits(5, 0.0).position(1) is Position.ABOVE_OUTER
    assert tails.binomial_count_limits(5, 1.0).position(4) is Position.BELOW_OUTER
    assert tails.binomial_count_limits(5, 1.0).position(5) is Position.INSIDE
    assert tails.poisson_upper(1, 0.0) == 0.0
    assert tails.poisson_lower(0, 0.0) == 1.0
    assert tails.poisson_count_limits(0.0).position(0) is Position.INSIDE
    assert tails.poisson_count_limits(0.0).position(1) is Position.ABOVE_OUTER
    for bad in (lambda: tails.binomial_upper(6, 5, 0.5), lambda: tails.binomial_lower(-1, 5, 0.5)):
        with pytest.raises(ValueError):
            bad()
    with pytest.raises(ValueError):
        tails.binomial_upper(1, 5, 1.5)
    with pytest.raises(ValueError):
        tails.poisson_upper(1, -1.0)
    with pytest.raises(ValueError):
        tails.poisson_lower(1, -1.0)
    with pytest.raises(ValueError):
        tails.poisson_tails(-1.0)


def test_tiny_tails_keep_their_precision() -> None:
    """Summed from the far end: a tail of 1e-100 is exact to its own digits, not 0."""
    found = tails.binomial_upper(200, 200, 0.3)
    assert found == pytest.approx(0.3**200, rel=1e-12)
    assert tails.poisson_upper(100, 1.0) == pytest.approx(
        math.exp(-1) * math.fsum(1 / math.factorial(j) for j in range(100, 140)), rel=1e-12
    )
