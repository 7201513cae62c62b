"""Exact funnel-plot control limits with Spiegelhalter's interpolation. Pure: no Django, no I/O.

Around a target, a funnel's limits at a size ``n`` are quantiles of the count a council of
that size would show by chance alone (Spiegelhalter 2005, appendix A.1):

- a proportion: the count is Binomial(n, target), and the limit is a proportion of ``n``;
- a rate per 100,000 residents: the count is Poisson with mean ``E = target × population /
  100,000``, and the limit is scaled back to a rate.

The counts are whole numbers, so the quantile jumps in steps. Spiegelhalter's interpolation
(as Public Health England's funnel-plot tools use) smooths the steps: with ``r`` the smallest
count whose cumulative probability ``F(r)`` reaches the tail probability ``q``, the limit is
``r − α`` where ``α = (F(r) − q) / (F(r) − F(r − 1))``, cut at 0 (and, for a proportion, at
``n``). At 10 cases and a 45 % target the 99.8 % upper limit is 88.4 %; the normal
approximation would give 93.6 %.

The probabilities are built outwards from the most likely count by the ratio of successive
terms and divided by their sum (so no term underflows and rounding stays near one part in
10¹⁵); terms below ``NEGLIGIBLE`` of the most likely one are left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction

from councilperf.statistics.core.intervals import Interval

PER = 100_000
NEGLIGIBLE = 1e-20

Ratio = Callable[[int], float]  # P(X = k + 1) / P(X = k)


def tails(confidence: float) -> tuple[float, float]:
    """The lower and upper tail probabilities of a two-sided ``confidence``: 0.025, 0.975."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    return (1 - confidence) / 2, (1 + confidence) / 2


def distribution(mode: int, last: int | None, ratio: Ratio) -> tuple[int, list[float]]:
    """The first count and P(X = k) from it on, for a distribution whose most likely count is
    ``mode`` and whose largest possible count is ``last`` (None: unbounded)."""
    above = [1.0]
    while last is None or mode + len(above) - 1 < last:
        weight = above[-1] * ratio(mode + len(above) - 1)
        if weight < NEGLIGIBLE:
            break
        above.append(weight)
    below: list[float] = []
    while mode - len(below) > 0:
        weight = (below[-1] if below else 1.0) / ratio(mode - len(below) - 1)
        if weight < NEGLIGIBLE:
            break
        below.append(weight)
    weights = below[::-1] + above
    total = math.fsum(weights)
    return mode - len(below), [w / total for w in weights]


def binomial(n: int, p: float) -> tuple[int, list[float]]:
    """Binomial(n, p) as :func:`distribution` gives it."""
    if p <= 0 or p >= 1:
        return (0 if p <= 0 else n), [1.0]
    odds = p / (1 - p)
    return distribution(min(n, math.floor((n + 1) * p)), n, lambda k: (n - k) / (k + 1) * odds)


def poisson(mean: float) -> tuple[int, list[float]]:
    """A Poisson count with ``mean`` (> 0) as :func:`distribution` gives it."""
    return distribution(math.floor(mean), None, lambda k: mean / (k + 1))


def interpolated_quantiles(
    first: int, probabilities: Sequence[float], levels: Sequence[float]
) -> list[float]:
    """``r − α`` for each of ``levels`` (ascending tail probabilities), from one pass."""
    wanted = list(levels)
    if wanted != sorted(wanted):
        raise ValueError("levels must be in ascending order")
    found: list[float] = []
    cumulative = 0.0
    for offset, term in enumerate(probabilities):
        reached = cumulative + term
        while len(found) < len(wanted) and wanted[len(found)] <= reached:
            found.append(first + offset - (reached - wanted[len(found)]) / term)
        cumulative = reached
    # Rounding left the sum a hair short of a level: that limit is the largest count.
    last = float(first + len(probabilities) - 1)
    return found + [last] * (len(wanted) - len(found))


def _check_target(target: Fraction | float) -> float:
    value = float(target)
    if not 0 <= value <= 1:
        raise ValueError("a target proportion lies in [0, 1]")
    return value


def proportion_limits(
    target: Fraction | float | None, denominator: int, confidence: float
) -> Interval | None:
    """Exact binomial limits around ``target`` for ``denominator`` cases (None without both)."""
    if target is None or denominator <= 0:
        return None
    p = _check_target(target)
    low, high = interpolated_quantiles(*binomial(denominator, p), tails(confidence))
    return Interval(
        _within(low, denominator) / denominator, _within(high, denominator) / denominator
    )


def rate_limits(
    target: Fraction | float | None, population: int, confidence: float, per: int = PER
) -> Interval | None:
    """Exact Poisson limits around a rate per ``per`` residents for ``population`` residents."""
    if target is None or population <= 0:
        return None
    rate = float(target)
    if rate < 0:
        raise ValueError("a rate cannot be negative")
    expected = rate * population / per
    if expected == 0:
        return Interval(0.0, 0.0)
    low, high = interpolated_quantiles(*poisson(expected), tails(confidence))
    scale = per / population
    return Interval(max(0.0, low) * scale, max(0.0, high) * scale)


def _within(count: float, largest: float) -> float:
    return min(max(count, 0.0), largest)
