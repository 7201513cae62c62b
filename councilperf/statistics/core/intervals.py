"""Confidence intervals.

- Wilson score interval for a proportion (Wilson 1927; Newcombe 1998, method 3).
- Byar's approximation to the exact Poisson interval for a count (Breslow & Day 1987, vol. II,
  p. 69), used for rates per 100,000 residents. Byar's lower limit is undefined at a count of 0;
  there the lower limit is 0 and the upper limit is the exact Poisson limit ``-ln(α/2)``
  (3.689 at 95 %).

Funnel-plot labels and limits are exact, from tail probabilities: :mod:`.tails`.

Quantiles come from :class:`statistics.NormalDist` (no third-party code).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from statistics import NormalDist

_STANDARD_NORMAL = NormalDist()


@cache  # a handful of confidences, asked for thousands of times a year
def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile: 1.959963984540054 for 0.95."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    return _STANDARD_NORMAL.inv_cdf(0.5 + confidence / 2)


@dataclass(frozen=True, slots=True)
class Interval:
    lower: float
    upper: float

    def __post_init__(self) -> None:
        if self.lower > self.upper:
            raise ValueError(f"interval lower bound {self.lower} above upper {self.upper}")

    def contains(self, value: float) -> bool:
        return self.lower <= value <= self.upper

    def scaled(self, factor: float) -> Interval:
        return Interval(self.lower * factor, self.upper * factor)


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> Interval | None:
    """The Wilson score interval for ``successes`` out of ``trials``; None when trials is 0."""
    _check_counts(successes, trials)
    if trials == 0:
        return None
    z = z_value(confidence)
    n = trials
    p = successes / n
    z2 = z * z
    scale = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / scale
    half_width = (z / scale) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    lower = max(0.0, centre - half_width)
    upper = min(1.0, centre + half_width)
    # Guard the estimate against rounding at the ends (0 or 1 exactly).
    return Interval(min(lower, p), max(upper, p))


def byar_count_interval(
    count: int, confidence: float = 0.95, *, z: float | None = None
) -> Interval:
    """Byar's interval for a Poisson count (zero count: 0 to the exact limit ``-ln(α/2)``).

    ``z`` overrides the quantile (some published examples round it to 1.96).
    """
    if count < 0:
        raise ValueError("a count cannot be negative")
    if z is None:
        z = z_value(confidence)
    if count == 0:
        alpha = 1 - confidence
        return Interval(0.0, -math.log(alpha / 2))
    o = count
    lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    o1 = count + 1
    upper = o1 * (1 - 1 / (9 * o1) + z / (3 * math.sqrt(o1))) ** 3
    return Interval(max(0.0, lower), upper)


def byar_rate_interval(
    count: int, population: int | None, *, per: int = 100_000, confidence: float = 0.95
) -> Interval | None:
    """Byar's interval for ``count`` per ``per`` residents; None without a population."""
    if not population:
        return None
    return byar_count_interval(count, confidence).scaled(per / population)


def _check_counts(numerator: int, denominator: int) -> None:
    if numerator < 0 or denominator < 0:
        raise ValueError("counts cannot be negative")
    if numerator > denominator:
        raise ValueError(f"numerator {numerator} above denominator {denominator}")
