"""Exact funnel limits (statistics.core.exact_limits) against scipy's binomial and Poisson
distributions with Spiegelhalter's interpolation, and against numbers worked by hand.

Reference: with ``r = ppf(q)`` (the smallest count whose cumulative probability reaches q),
the limit is ``r − (cdf(r) − q) / (cdf(r) − cdf(r − 1))``, cut at 0 and, for a proportion,
at the denominator.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats

from councilperf.statistics.core import exact_limits
from councilperf.statistics.core.intervals import Interval

CONFIDENCES = (0.95, 0.998)
TARGETS = (0.01, 0.1, 0.25, 0.45, 0.5, 0.68, 0.9, 0.995)
RATES = (0.3, 1.7, 4.2, 9.5, 23.0)


def _interpolated(family: stats.rv_discrete, q: float, *shape: object) -> np.ndarray:
    """``r − (cdf(r) − q) / (cdf(r) − cdf(r − 1))`` for each of the shapes, at once."""
    r = family.ppf(q, *shape)
    at, below = family.cdf(r, *shape), family.cdf(r - 1, *shape)
    return np.asarray(r - (at - q) / (at - below))


def reference_proportions(p: float, n: np.ndarray, confidence: float) -> list[np.ndarray]:
    return [
        np.clip(_interpolated(stats.binom, q, n, p), 0.0, n) / n
        for q in exact_limits.tails(confidence)
    ]


def reference_rates(rate: float, population: np.ndarray, confidence: float) -> list[np.ndarray]:
    expected = rate * population / 100_000
    return [
        np.clip(_interpolated(stats.poisson, q, expected), 0.0, None) * 100_000 / population
        for q in exact_limits.tails(confidence)
    ]


def _worst(found: list[Interval | None], lower: np.ndarray, upper: np.ndarray) -> float:
    assert all(f is not None for f in found)
    got_lower = np.array([f.lower for f in found if f is not None])
    got_upper = np.array([f.upper for f in found if f is not None])
    return float(max(np.abs(got_lower - lower).max(), np.abs(got_upper - upper).max()))


@pytest.mark.parametrize("confidence", CONFIDENCES)
@pytest.mark.parametrize("p", TARGETS)
def test_proportion_limits_equal_scipy_for_every_n_to_500(p: float, confidence: float) -> None:
    n = np.arange(1, 501)
    found = [exact_limits.proportion_limits(p, int(k), confidence) for k in n]
    assert _worst(found, *reference_proportions(p, n, confidence)) < 1e-9


@pytest.mark.parametrize("confidence", CONFIDENCES)
@pytest.mark.parametrize("rate", RATES)
def test_rate_limits_equal_scipy(rate: float, confidence: float) -> None:
    # Expected counts from 0.003 (rate 0.3 in 1,000 residents) to about 280.
    population = np.array([*range(1_000, 20_000, 1_000), *range(20_000, 1_220_000, 7_500)])
    found = [exact_limits.rate_limits(rate, int(k), confidence) for k in population]
    assert _worst(found, *reference_rates(rate, population, confidence)) < 1e-9


@pytest.mark.parametrize("confidence", CONFIDENCES)
def test_poisson_count_limits_equal_scipy_for_expected_counts_to_500(confidence: float) -> None:
    # Population 100,000: the rate is the expected count, the limits are counts.
    expected = np.arange(1, 2001) / 4
    found = [exact_limits.rate_limits(float(e), 100_000, confidence) for e in expected]
    lower, upper = (
        np.clip(_interpolated(stats.poisson, q, expected), 0.0, None)
        for q in exact_limits.tails(confidence)
    )
    assert _worst(found, lower, upper) < 1e-9


def test_the_issues_example_ten_cases_at_45_percent() -> None:
    # P(X ≤ 9) = 1 − 0.45¹⁰ = 0.99965949; P(X ≤ 8) = P(X ≤ 9) − 10 × 0.45⁹ × 0.55.
    at_9 = 1 - 0.45**10
    at_8 = at_9 - 10 * 0.45**9 * 0.55
    by_hand = (9 - (at_9 - 0.999) / (at_9 - at_8)) / 10
    found = exact_limits.proportion_limits(Fraction(45, 100), 10, 0.998)
    assert found is not None
    assert found.upper == pytest.approx(by_hand, abs=1e-12)
    assert round(found.upper, 3) == 0.884
    # The normal approximation would put it at 0.45 + 3.090232 × √(0.45 × 0.55 / 10) = 0.936.
    assert 0.45 + 3.090232 * math.sqrt(0.45 * 0.55 / 10) == pytest.approx(0.936, abs=5e-4)
    assert found.upper < 0.9  # 9 upheld of 10 lies outside the exact 99.8 % limit


def test_no_case_in_one_point_two_expected_is_not_below_the_95_percent_limit() -> None:
    # North East Derbyshire 2019-20: about 1.2 upheld expected, none seen; P(0) = e^-1.2 ≈ 0.30.
    found = exact_limits.rate_limits(1.2, 100_000, 0.95)
    assert found is not None
    assert found.lower == 0.0
    assert math.exp(-1.2) == pytest.approx(0.301, abs=1e-3)
    # Upper: F(3) = 0.966 < 0.975 ≤ F(4) = 0.992, so r = 4.
    f4 = sum(math.exp(-1.2) * 1.2**k / math.factorial(k) for k in range(5))
    p4 = math.exp(-1.2) * 1.2**4 / 24
    assert found.upper == pytest.approx(4 - (f4 - 0.975) / p4, abs=1e-12)


def test_edges() -> None:
    assert exact_limits.proportion_limits(None, 10, 0.95) is None
    assert exact_limits.proportion_limits(0.5, 0, 0.95) is None
    assert exact_limits.rate_limits(None, 10, 0.95) is None
    assert exact_limits.rate_limits(5.0, 0, 0.95) is None
    assert exact_limits.rate_limits(0, 1_000, 0.95) == Interval(0.0, 0.0)
    # A certain outcome: all the probability at 0 (or at n); the limits sit on it.
    assert exact_limits.proportion_limits(0, 20, 0.95) == Interval(0.0, 0.0)
    everything = exact_limits.proportion_limits(1, 20, 0.95)
    assert everything == Interval((19 + 0.025) / 20, (19 + 0.975) / 20)
    with pytest.raises(ValueError, match=r"^a target proportion lies in \[0, 1\]$"):
        exact_limits.proportion_limits(1.5, 10, 0.95)
    with pytest.raises(ValueError, match=r"^a rate cannot be negative$"):
        exact_limits.rate_limits(-1.0, 10, 0.95)
    with pytest.raises(ValueError, match=r"^confidence must lie strictly between 0 and 1$"):
        exact_limits.tails(1.0)
    with pytest.raises(ValueError, match=r"^confidence must lie strictly between 0 and 1$"):
        exact_limits.tails(0.0)
    # One resident: still a population (10 per 100,000 there expects 0.0001 of a case).
    one = exact_limits.rate_limits(10.0, 1, 0.95)
    assert one == Interval(0.0, 0.0)


def test_tails() -> None:
    assert exact_limits.tails(0.95) == pytest.approx((0.025, 0.975), abs=1e-15)
    assert exact_limits.tails(0.998) == pytest.approx((0.001, 0.999), abs=1e-15)


def test_distributions_sum_to_one_and_match_the_formulae() -> None:
    first, terms = exact_limits.binomial(6, 0.3)
    assert first == 0 and len(terms) == 7
    for k, term in enumerate(terms):
        assert term == pytest.approx(math.comb(6, k) * 0.3**k * 0.7 ** (6 - k), rel=1e-13)
    assert math.fsum(terms) == pytest.approx(1.0, abs=1e-15)
    first, terms = exact_limits.poisson(2.5)
    assert first == 0
    for k, term in enumerate(terms[:12]):
        assert term == pytest.approx(math.exp(-2.5) * 2.5**k / math.factorial(k), rel=1e-13)
    assert exact_limits.binomial(3, 0.0) == (0, [1.0])
    assert exact_limits.binomial(3, 1.0) == (3, [1.0])
    # Far from zero, counts less likely than 10⁻²⁰ of the most likely one are left out.
    first, terms = exact_limits.poisson(1_000.0)
    assert 700 < first < 730 and 1_300 < first + len(terms) < 1_330
    assert min(terms) / max(terms) >= exact_limits.NEGLIGIBLE
    assert max(terms) == pytest.approx(stats.poisson.pmf(1_000, 1_000.0), rel=1e-12)
    first, terms = exact_limits.binomial(2_000, 0.5)
    assert 700 < first < 800 and first + len(terms) - 1 < 1_300
    assert terms[1_000 - first] == pytest.approx(stats.binom.pmf(1_000, 2_000, 0.5), rel=1e-12)
    # Near the largest count the walk stops there.
    first, terms = exact_limits.binomial(10, 0.99)
    assert first + len(terms) - 1 == 10
    assert terms[-1] == pytest.approx(0.99**10, rel=1e-13)
    assert terms[0] == pytest.approx(stats.binom.pmf(first, 10, 0.99), rel=1e-12)


def test_distribution_walks_both_ways_from_the_mode() -> None:
    # Ratio 1/2 upwards from a mode of 2, bounded at 4: weights 1/4 of 1 below... exactly.
    first, terms = exact_limits.distribution(2, 4, lambda k: 0.5)
    assert first == 0
    assert terms == pytest.approx([4 / 7.75, 2 / 7.75, 1 / 7.75, 0.5 / 7.75, 0.25 / 7.75])
    first, terms = exact_limits.distribution(0, 0, lambda k: 0.5)
    assert (first, terms) == (0, [1.0])


def test_interpolated_quantiles() -> None:
    # Two equal halves at 0 and 1: F(0) = 0.5, F(1) = 1.
    found = exact_limits.interpolated_quantiles(0, [0.5, 0.5], [0.25, 0.5, 0.75])
    assert found == [-0.5, 0.0, 0.5]
    assert exact_limits.interpolated_quantiles(3, [0.5, 0.5], [0.75]) == [3.5]
    # A level the sum never reaches takes the largest count.
    assert exact_limits.interpolated_quantiles(0, [0.5, 0.4], [0.95]) == [1.0]
    assert exact_limits.interpolated_quantiles(2, [0.5, 0.4, 0.0], [0.95]) == [4.0]
    with pytest.raises(ValueError, match=r"^levels must be in ascending order$"):
        exact_limits.interpolated_quantiles(0, [1.0], [0.9, 0.1])
    # A level met exactly is met at that count (r is the smallest with F(r) ≥ q), even when
    # the next count has no probability at all.
    assert exact_limits.interpolated_quantiles(0, [0.5, 0.0, 0.5], [0.5]) == [0.0]
    # A term of nothing before the level is reached is passed over without dividing by it.
    assert exact_limits.interpolated_quantiles(0, [0.0, 0.0, 1.0], [0.5]) == [1.5]


def test_a_term_of_exactly_the_negligible_share_is_kept() -> None:
    # Upwards: the second term is 10⁻²⁰ of the first, so it stays; the third (10⁻⁴⁰) does not.
    first, terms = exact_limits.distribution(0, None, lambda k: exact_limits.NEGLIGIBLE)
    assert first == 0 and len(terms) == 2
    assert terms[1] / terms[0] == exact_limits.NEGLIGIBLE
    # Downwards: the count below the mode is 10⁻²⁰ of it, kept (nothing lies above the mode).
    first, terms = exact_limits.distribution(
        1, None, lambda k: 1 / exact_limits.NEGLIGIBLE if k == 0 else 0.0
    )
    assert first == 0 and len(terms) == 2
    assert terms[0] / terms[1] == pytest.approx(exact_limits.NEGLIGIBLE, rel=1e-15)
    # Less than that is left out.
    first, terms = exact_limits.distribution(1, None, lambda k: 1e21 if k == 0 else 0.0)
    assert (first, terms) == (1, [1.0])


def test_limits_of_a_certain_outcome_at_both_levels() -> None:
    # p = 0: all the probability at 0; the 99.8 % limits sit on it as the 95 % ones do.
    assert exact_limits.proportion_limits(0.0, 7, 0.998) == Interval(0.0, 0.0)
    # p = 1: all at n = 7; r = 7 and α = (1 − q) / 1, so the limits are (7 − 0.999) / 7 and
    # (7 − 0.001) / 7.
    found = exact_limits.proportion_limits(1.0, 7, 0.998)
    assert found == Interval((7 - 0.999) / 7, (7 - 0.001) / 7)


def test_the_negligible_share_is_of_the_most_likely_count() -> None:
    # Binomial(25, 0.9): the most likely count is 23. P(2) / P(23) = 0.91 × 10⁻²⁰ (left out),
    # P(3) / P(23) = 6.3 × 10⁻¹⁹ (kept): the counts 3 to 25 remain. Measured against P(22)
    # or P(24) instead, P(2) would have stayed or P(3) gone.
    ratio = [math.comb(25, k) * 9**k for k in range(26)]  # ∝ P(k): 0.9ᵏ 0.1²⁵⁻ᵏ × 10²⁵
    assert max(range(26), key=ratio.__getitem__) == 23
    assert ratio[2] / ratio[23] < exact_limits.NEGLIGIBLE <= ratio[3] / ratio[23]
    first, terms = exact_limits.binomial(25, 0.9)
    assert (first, len(terms)) == (3, 23)
    assert terms[23 - first] == pytest.approx(stats.binom.pmf(23, 25, 0.9), rel=1e-13)
