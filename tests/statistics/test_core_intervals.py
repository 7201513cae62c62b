"""Wilson score and Byar's intervals."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from councilperf.statistics.core import (
    Interval,
    byar_count_interval,
    byar_rate_interval,
    wilson_interval,
    z_value,
)


def test_z_values() -> None:
    assert z_value(0.95) == pytest.approx(1.959963984540054, abs=1e-12)
    assert z_value(0.998) == pytest.approx(3.090232306167813, abs=1e-12)
    with pytest.raises(ValueError):
        z_value(1.0)


# --- Wilson -------------------------------------------------------------------------------


def test_wilson_hand_worked() -> None:
    # 45 of 100, z = 1.959964: centre = (0.45 + z²/200) / (1 + z²/100)
    #   = 0.469207 / 1.038415 = 0.451849; half-width = z/(1 + z²/100) · √(0.002475 + 0.0000960)
    #   = 1.887448 · 0.050707 = 0.095707 → (0.356143, 0.547556).
    interval = wilson_interval(45, 100)
    assert interval is not None
    assert interval.lower == pytest.approx(0.356143, abs=5e-6)
    assert interval.upper == pytest.approx(0.547556, abs=5e-6)


def test_wilson_zero_of_two_like_the_reference_letter() -> None:
    # 0 of 2: the interval runs from 0 to z²/(n + z²) = 3.841459/5.841459 = 0.657620.
    interval = wilson_interval(0, 2)
    assert interval is not None
    assert interval.lower == 0.0
    assert interval.upper == pytest.approx(3.841459 / 5.841459, abs=1e-6)


def test_wilson_undefined_without_trials() -> None:
    assert wilson_interval(0, 0) is None


@pytest.mark.parametrize(("successes", "trials"), [(-1, 3), (4, 3), (0, -1)])
def test_wilson_rejects_impossible_counts(successes: int, trials: int) -> None:
    with pytest.raises(ValueError):
        wilson_interval(successes, trials)


@given(
    st.integers(min_value=1, max_value=5_000).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    )
)
def test_wilson_matches_statsmodels(case: tuple[int, int]) -> None:
    successes, trials = case
    ours = wilson_interval(successes, trials)
    assert ours is not None
    lower, upper = proportion_confint(successes, trials, alpha=0.05, method="wilson")
    assert ours.lower == pytest.approx(lower, abs=1e-9)
    assert ours.upper == pytest.approx(upper, abs=1e-9)


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.998])
@pytest.mark.parametrize(("successes", "trials"), [(0, 1), (1, 1), (3, 7), (89, 200), (5, 5000)])
def test_wilson_matches_statsmodels_at_other_levels(
    successes: int, trials: int, confidence: float
) -> None:
    ours = wilson_interval(successes, trials, confidence)
    assert ours is not None
    lower, upper = proportion_confint(successes, trials, alpha=1 - confidence, method="wilson")
    assert ours.lower == pytest.approx(lower, abs=1e-9)
    assert ours.upper == pytest.approx(upper, abs=1e-9)


@given(
    st.integers(min_value=1, max_value=100_000).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    )
)
def test_wilson_contains_the_estimate_within_unit_interval(case: tuple[int, int]) -> None:
    successes, trials = case
    interval = wilson_interval(successes, trials)
    assert interval is not None
    assert 0.0 <= interval.lower <= successes / trials <= interval.upper <= 1.0


# --- Byar ---------------------------------------------------------------------------------


def test_byar_published_values_z_196() -> None:
    # Worked example in the documentation of the "byar" Ruby gem (rubygems.org/gems/byar,
    # lib/byar.rb): 100 observed with z = 1.96 → upper bound 121.628347271806, and
    # Byar.lower(100, 90) = 0.9040199067337297 (lower bound / 90 expected).
    interval = byar_count_interval(100, z=1.96)
    assert interval.upper == pytest.approx(121.628347271806, rel=1e-12)
    assert interval.lower / 90 == pytest.approx(0.9040199067337297, rel=1e-12)


def test_byar_published_value_exact_z() -> None:
    # Public Health England's fingertips_py tests (byars_lower(100) with z = Φ⁻¹(0.975)):
    # 81.36210549052788.
    assert byar_count_interval(100).lower == pytest.approx(81.36210549052788, rel=1e-12)


def test_byar_hand_worked() -> None:
    # O = 25, z = 1.959964: lower = 25·(1 − 1/225 − z/15)³ = 25·0.864891³ = 16.1743
    # upper = 26·(1 − 1/234 + z/(3√26))³ = 26·1.123854³ = 36.9065
    interval = byar_count_interval(25)
    assert interval.lower == pytest.approx(25 * (1 - 1 / 225 - z_value(0.95) / 15) ** 3)
    assert interval.lower == pytest.approx(16.1743, abs=1e-3)
    assert interval.upper == pytest.approx(36.9065, abs=1e-3)


def test_byar_zero_count() -> None:
    # Byar's lower limit divides by √0: at a count of 0 the lower limit is 0 and the upper
    # the exact Poisson limit −ln(0.025) = 3.689 (epitools' pois.exact documents 3.689 for 0).
    interval = byar_count_interval(0)
    assert interval.lower == 0.0
    assert interval.upper == pytest.approx(3.689, abs=5e-4)
    assert interval.upper == pytest.approx(-math.log(0.025))


def test_byar_per_100k() -> None:
    interval = byar_rate_interval(100, 250_000)
    assert interval is not None
    assert interval.lower == pytest.approx(81.36210549052788 * 100_000 / 250_000)
    assert byar_rate_interval(3, None) is None
    assert byar_rate_interval(3, 0) is None
    zero = byar_rate_interval(0, 100_000)
    assert zero is not None and zero.lower == 0.0 and zero.upper > 0


@given(st.integers(min_value=0, max_value=1_000_000))
def test_byar_contains_the_count(count: int) -> None:
    interval = byar_count_interval(count)
    assert 0.0 <= interval.lower <= count <= interval.upper


@given(st.integers(min_value=0, max_value=100_000))
def test_byar_limits_grow_with_the_count(count: int) -> None:
    this, following = byar_count_interval(count), byar_count_interval(count + 1)
    assert this.lower <= following.lower
    assert this.upper < following.upper


@pytest.mark.parametrize("count", [10, 20, 50, 100, 500])
def test_byar_close_to_exact_poisson(count: int) -> None:
    # Byar's approximation is within 0.2 % of the exact limits for counts of 10 or more at 95 %
    # (PHE, Technical Guide: Confidence Intervals, 2018). Exact limits via statsmodels' chi²
    # relation are checked against a one-sided Poisson tail computed here.
    interval = byar_count_interval(count)

    def poisson_cdf(k: int, mean: float) -> float:
        term = math.exp(-mean)
        total = term
        for i in range(1, k + 1):
            term *= mean / i
            total += term
        return total

    # At the exact upper limit P(X ≤ O) = 0.025; at the exact lower limit P(X ≥ O) = 0.025.
    assert poisson_cdf(count, interval.upper) == pytest.approx(0.025, rel=0.05)
    assert 1 - poisson_cdf(count - 1, interval.lower) == pytest.approx(0.025, rel=0.05)


def test_an_interval_contains_its_ends() -> None:
    interval = Interval(0.25, 0.75)
    assert interval.contains(0.25) and interval.contains(0.75) and interval.contains(0.5)
    assert not interval.contains(0.2499) and not interval.contains(0.7501)


def test_refusals_name_what_is_wrong() -> None:
    with pytest.raises(ValueError, match=r"^confidence must lie strictly between 0 and 1$"):
        z_value(0.0)
    with pytest.raises(ValueError, match=r"^counts cannot be negative$"):
        wilson_interval(-1, 3)
    with pytest.raises(ValueError, match=r"^counts cannot be negative$"):
        wilson_interval(0, -1)
    with pytest.raises(ValueError, match=r"^numerator 4 above denominator 3$"):
        wilson_interval(4, 3)
    with pytest.raises(ValueError, match=r"^a count cannot be negative$"):
        byar_count_interval(-1)
    assert wilson_interval(3, 3) is not None  # a numerator equal to its denominator is fine


def test_wilson_at_the_ends_is_exactly_zero_and_one() -> None:
    none = wilson_interval(0, 7)
    every = wilson_interval(7, 7)
    assert none is not None and every is not None
    assert none.lower == 0.0 and every.upper == 1.0
    z2 = z_value(0.95) ** 2
    assert none.upper == pytest.approx(z2 / (7 + z2), abs=1e-12)
    assert every.lower == pytest.approx(7 / (7 + z2), abs=1e-12)


def test_byar_zero_count_at_other_levels() -> None:
    # −ln(α/2): α = 0.002 → −ln(0.001) = 6.9078; α = 0.1 → −ln(0.05) = 2.9957.
    rare = byar_count_interval(0, 0.998)
    assert rare.lower == 0.0 and rare.upper == pytest.approx(-math.log(0.001), abs=1e-12)
    assert byar_count_interval(0, 0.9).upper == pytest.approx(2.995732, abs=1e-6)
    # A given z overrides the confidence's.
    assert byar_count_interval(25, z=1.0).lower == pytest.approx(
        25 * (1 - 1 / 225 - 1 / 15) ** 3, rel=1e-12
    )
    assert byar_count_interval(25, z=1.0).upper == pytest.approx(
        26 * (1 - 1 / 234 + 1 / (3 * math.sqrt(26))) ** 3, rel=1e-12
    )


def test_byar_rate_per_another_number_and_level() -> None:
    count = byar_count_interval(9, 0.998)
    found = byar_rate_interval(9, 300, per=1_000, confidence=0.998)
    assert found is not None
    assert found.lower == pytest.approx(count.lower * 1_000 / 300, rel=1e-12)
    assert found.upper == pytest.approx(count.upper * 1_000 / 300, rel=1e-12)


def test_byar_lower_limit_of_one_case() -> None:
    # O = 1 at 95 %: (1 − 1/9 − z/3)³ = 0.235568³ = 0.013072; at 99.8 % the bracket is
    # 1 − 1/9 − 3.090232/3 = −0.141189 < 0, so the lower limit is cut at 0.
    z = z_value(0.95)
    assert byar_count_interval(1).lower == pytest.approx((1 - 1 / 9 - z / 3) ** 3, rel=1e-12)
    assert byar_count_interval(1).lower == pytest.approx(0.013072, abs=1e-6)
    assert byar_count_interval(1, 0.998).lower == 0.0
