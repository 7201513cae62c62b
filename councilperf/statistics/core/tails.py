"""Exact tail probabilities and funnel-plot labels from them. Pure: no Django, no I/O.

Spiegelhalter (*Funnel plots for comparing institutional performance*, 2005) places a council
with ``k`` events against a target ``p₀`` by how unlikely ``k`` or more extreme would be if the
council matched the target:

- a proportion: ``X ~ Binomial(n, p₀)``;
- upheld decisions per 100,000 residents: ``X ~ Poisson(E)`` with ``E = p₀ × population /
  100,000``.

A council lies above the 95 % (99.8 %) limit when ``P(X ≥ k) < 0.025`` (``0.001``), below it
when ``P(X ≤ k) < 0.025`` (``0.001``). One upheld investigation out of one against a 45 %
average has ``P(X ≥ 1) = 0.45``: nothing unusual.

The probabilities are sums of terms ``exp(log P(X = j))`` with ``log P`` from
:func:`math.lgamma` (and :func:`math.log1p` for ``log(1 − p)``, so a target near 0 or 1 keeps
its precision). Each tail is summed from its far end inwards with :func:`math.fsum`, so a tail
of 10⁻¹² is as precise, relative to itself, as one of 0.4; no tail is ever taken as one minus
the other.

:func:`count_limits` gives the same decision as whole counts, for drawing: the largest count
still inside below and above; the funnel is drawn half a count beyond them, so a drawn limit
and the label of every whole count agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

INNER_TAIL = 0.025  # each side of the 95 % limits
OUTER_TAIL = 0.001  # each side of the 99.8 % limits
PER = 100_000
# Poisson terms this far below the largest one (relative) no longer change a sum we compare
# with 0.001: the summing stops there.
NEGLIGIBLE = 1e-40


class Position(StrEnum):
    """Where a count lies against the funnel around a target."""

    ABOVE_OUTER = "above_outer"
    ABOVE_INNER = "above_inner"
    INSIDE = "inside"
    BELOW_INNER = "below_inner"
    BELOW_OUTER = "below_outer"


def _check(k: int, n: int | None = None) -> None:
    if k < 0 or (n is not None and (n < 0 or k > n)):
        raise ValueError(f"a count of {k} is impossible here")


# ── the probabilities of single counts ──────────────────────────────────────────────────


def binomial_log_pmf(k: int, n: int, p: float) -> float:
    """``log P(X = k)`` for ``X ~ Binomial(n, p)``, ``0 < p < 1``."""
    return (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )


def poisson_log_pmf(k: int, mean: float) -> float:
    """``log P(X = k)`` for ``X ~ Poisson(mean)``, ``mean > 0``."""
    return k * math.log(mean) - mean - math.lgamma(k + 1)


def _sum_logs(logs: list[float]) -> float:
    """``Σ exp(l)`` for ``l`` in ``logs``, scaled by the largest so nothing overflows."""
    if not logs:
        return 0.0
    top = max(logs)
    if top == -math.inf:
        return 0.0
    return math.exp(top) * math.fsum(math.exp(x - top) for x in logs)


# ── binomial tails ──────────────────────────────────────────────────────────────────────


def _degenerate(p: float) -> bool:
    if not 0 <= p <= 1:
        raise ValueError("a target proportion lies in [0, 1]")
    return p in (0.0, 1.0)


def binomial_upper(k: int, n: int, p: float) -> float:
    """``P(X ≥ k)`` for ``X ~ Binomial(n, p)``."""
    _check(k, n)
    if _degenerate(p):
        certain = 0 if p == 0 else n
        return 1.0 if certain >= k else 0.0
    return min(1.0, _sum_logs([binomial_log_pmf(j, n, p) for j in range(k, n + 1)]))


def binomial_lower(k: int, n: int, p: float) -> float:
    """``P(X ≤ k)`` for ``X ~ Binomial(n, p)``."""
    _check(k, n)
    if _degenerate(p):
        certain = 0 if p == 0 else n
        return 1.0 if certain <= k else 0.0
    return min(1.0, _sum_logs([binomial_log_pmf(j, n, p) for j in range(k + 1)]))


# ── Poisson tails ───────────────────────────────────────────────────────────────────────


def poisson_lower(k: int, mean: float) -> float:
    """``P(X ≤ k)`` for ``X ~ Poisson(mean)``."""
    _check(k)
    if mean < 0:
        raise ValueError("a mean count cannot be negative")
    if mean == 0:
        return 1.0
    return min(1.0, _sum_logs([poisson_log_pmf(j, mean) for j in range(k + 1)]))


def _poisson_end(mean: float) -> int:
    """A count past which every Poisson term is below ``NEGLIGIBLE`` of the largest."""
    mode = math.floor(mean)
    top = poisson_log_pmf(mode, mean)
    floor = top + math.log(NEGLIGIBLE)
    step = max(1, math.ceil(math.sqrt(mean)))
    end = mode + step
    while poisson_log_pmf(end, mean) > floor:
        end += step
    return end


def poisson_upper(k: int, mean: float) -> float:
    """``P(X ≥ k)`` for ``X ~ Poisson(mean)``, summed from ``k`` up to where terms vanish."""
    _check(k)
    if mean < 0:
        raise ValueError("a mean count cannot be negative")
    if mean == 0:
        return 1.0 if k == 0 else 0.0
    logs = [poisson_log_pmf(k, mean)]
    top, j = logs[0], k
    # Past the mode the terms fall ever faster: stop once one is e⁻⁵⁰ of the largest.
    while j <= mean or logs[-1] > top - 50:
        j += 1
        logs.append(poisson_log_pmf(j, mean))
        top = max(top, logs[-1])
    return min(1.0, _sum_logs(logs))


# ── labels and limits ───────────────────────────────────────────────────────────────────


def position(upper_tail: float, lower_tail: float) -> Position:
    """The label of a count from ``P(X ≥ k)`` and ``P(X ≤ k)``."""
    if upper_tail < OUTER_TAIL:
        return Position.ABOVE_OUTER
    if upper_tail < INNER_TAIL:
        return Position.ABOVE_INNER
    if lower_tail < OUTER_TAIL:
        return Position.BELOW_OUTER
    if lower_tail < INNER_TAIL:
        return Position.BELOW_INNER
    return Position.INSIDE


def proportion_position(k: int, n: int, target: float) -> Position:
    """Where ``k`` of ``n`` lies against the binomial funnel around ``target``."""
    return position(binomial_upper(k, n, target), binomial_lower(k, n, target))


def expected_count(rate: float, population: int, per: int = PER) -> float:
    """``E = rate × population / per``: the count a council at ``rate`` would expect."""
    if rate < 0 or population <= 0:
        raise ValueError("a rate cannot be negative and a population must be positive")
    return rate * population / per


def rate_position(k: int, population: int, target: float, per: int = PER) -> Position:
    """Where ``k`` events among ``population`` residents lie against the Poisson funnel."""
    mean = expected_count(target, population, per)
    return position(poisson_upper(k, mean), poisson_lower(k, mean))


@dataclass(frozen=True, slots=True)
class CountLimits:
    """The whole counts at the edges: a count ``k`` is above the 95 % limit when
    ``k > inner_upper``, below it when ``k < inner_lower`` (likewise at 99.8 %)."""

    outer_lower: int
    inner_lower: int
    inner_upper: int
    outer_upper: int

    def position(self, k: int) -> Position:
        """The label of ``k``: the same as :func:`position` of its tails."""
        if k > self.outer_upper:
            return Position.ABOVE_OUTER
        if k > self.inner_upper:
            return Position.ABOVE_INNER
        if k < self.outer_lower:
            return Position.BELOW_OUTER
        if k < self.inner_lower:
            return Position.BELOW_INNER
        return Position.INSIDE


def _edges(lower: list[float], upper: list[float]) -> CountLimits:
    """From ``P(X ≤ k)`` and ``P(X ≥ k)`` for k = 0…last, the first and last counts inside."""

    def first_not_below(tail: float) -> int:
        return next((k for k, p in enumerate(lower) if not p < tail), len(lower))

    def last_not_above(tail: float) -> int:
        return max((k for k, p in enumerate(upper) if not p < tail), default=-1)

    return CountLimits(
        outer_lower=first_not_below(OUTER_TAIL),
        inner_lower=first_not_below(INNER_TAIL),
        inner_upper=last_not_above(INNER_TAIL),
        outer_upper=last_not_above(OUTER_TAIL),
    )


def _cumulative(terms: list[float]) -> tuple[list[float], list[float]]:
    """``P(X ≤ k)`` and ``P(X ≥ k)`` for each k, from the probabilities of single counts,
    each a running sum from its own far end (terms all positive: no cancellation)."""
    lower, upper = [0.0] * len(terms), [0.0] * len(terms)
    running = 0.0
    for k, term in enumerate(terms):
        running += term
        lower[k] = running
    running = 0.0
    for k in range(len(terms) - 1, -1, -1):
        running += terms[k]
        upper[k] = running
    return lower, upper


def binomial_tails(n: int, p: float) -> tuple[list[float], list[float]]:
    """``P(X ≤ k)`` and ``P(X ≥ k)`` for ``X ~ Binomial(n, p)`` and every k = 0…n."""
    if _degenerate(p):
        certain = 0 if p == 0 else n
        lower = [1.0 if certain <= k else 0.0 for k in range(n + 1)]
        return lower, [1.0 if certain >= k else 0.0 for k in range(n + 1)]
    return _cumulative([math.exp(binomial_log_pmf(j, n, p)) for j in range(n + 1)])


def poisson_tails(mean: float) -> tuple[list[float], list[float]]:
    """``P(X ≤ k)`` and ``P(X ≥ k)`` for ``X ~ Poisson(mean)`` and k = 0 up to where the
    terms vanish (``P(X ≥ k)`` beyond that is below ``NEGLIGIBLE``)."""
    if mean < 0:
        raise ValueError("a mean count cannot be negative")
    if mean == 0:
        return [1.0], [1.0]
    terms = [math.exp(poisson_log_pmf(j, mean)) for j in range(_poisson_end(mean) + 1)]
    return _cumulative(terms)


def binomial_count_limits(n: int, p: float) -> CountLimits:
    """The count limits of :class:`CountLimits` for ``Binomial(n, p)``."""
    return _edges(*binomial_tails(n, p))


def poisson_count_limits(mean: float) -> CountLimits:
    """The count limits of :class:`CountLimits` for ``Poisson(mean)``."""
    return _edges(*poisson_tails(mean))
