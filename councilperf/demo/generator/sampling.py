"""Small pure helpers: random draws, days, service mixes, calibration bands, intercepts."""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Callable, Iterable, Sequence

from councilperf.years import ReportingYear

from .parameters import (
    COUNT_BAND,
    DECISION_PAUSE,
    MIX_FIRST,
    MIX_LAST,
    MIX_YEARS,
    UPPER_TIER_SHARE,
)
from .state import _Case


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _round_half_up(x: float) -> int:
    return math.floor(x + 0.5)


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam < 30:
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, _round_half_up(rng.gauss(lam, math.sqrt(lam))))


def _decided(case: _Case) -> int:
    if case.dec is None:
        raise ValueError("an undecided case has no decision day")
    return case.dec


def _recorded(case: _Case) -> int:
    if case.comp is None:
        raise ValueError("no compliance outcome recorded")
    return case.comp[0]


def _decided_before(received: int, last: int, u: float) -> int:
    """A decision day between receipt and ``last`` (an abolished authority's last day): a
    working day outside the 2020 pause where possible."""
    day = received + int((last - received) * u)
    if DECISION_PAUSE[0] <= day <= DECISION_PAUSE[1]:
        day = max(received, DECISION_PAUSE[0] - 1)
    weekday = _weekday(day)
    if weekday >= 5:
        earlier = day - (weekday - 4)
        day = earlier if earlier >= received else min(day + 7 - weekday, last)
    return day


def _weekday(day: int) -> int:
    return (day - 1) % 7  # date.fromordinal(1) is a Monday


def _next_working_day(day: int) -> int:
    wd = _weekday(day)
    return day + (7 - wd if wd >= 5 else 0)


def _mix(year: ReportingYear) -> list[float]:
    first, last = MIX_YEARS
    t = min(1.0, max(0.0, (year.start_year - first) / (last - first)))
    shares = [a + (b - a) * t for a, b in zip(MIX_FIRST, MIX_LAST, strict=True)]
    total = sum(shares)
    return [s / total for s in shares]


def _service_weights(group: str, mix: Sequence[float]) -> list[float]:
    if group == "county":
        return [m * u for m, u in zip(mix, UPPER_TIER_SHARE, strict=True)]
    if group == "district":
        return [m * (1.0 - u) for m, u in zip(mix, UPPER_TIER_SHARE, strict=True)]
    return list(mix)


def _cumulative(weights: Iterable[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _choose(
    rng: random.Random, candidates: Sequence[_Case], k: int, weight: Callable[[_Case], float]
) -> list[_Case]:
    """k of the candidates, without replacement, more likely the heavier (Efraimidis–Spirakis)."""
    if k <= 0 or not candidates:
        return []
    keyed = []
    for i, case in enumerate(candidates):
        w = weight(case)
        u = rng.random()
        key = math.log(u) / w if w > 0 and u > 0 else -math.inf
        keyed.append((key, i))
    return [candidates[i] for _, i in heapq.nlargest(k, keyed)]


def _band(n: int, pct: float, tolerance: float) -> tuple[int, int]:
    """The counts out of n whose percentage is within tolerance points of pct."""
    lo = math.ceil((pct - tolerance) / 100 * n - 1e-9)
    hi = math.floor((pct + tolerance) / 100 * n + 1e-9)
    if lo > hi:
        lo = hi = _round_half_up(pct / 100 * n)
    return max(0, lo), min(n, hi)


def _count_band(target: float, scale: float) -> tuple[int, int]:
    value = target * scale
    lo, hi = math.ceil(value * (1 - COUNT_BAND)), math.floor(value * (1 + COUNT_BAND))
    if lo > hi:
        lo = hi = _round_half_up(value)
    return lo, hi


def _solve_intercept(etas: Sequence[float], share: float) -> float:
    """α with mean(sigmoid(α + η)) = share (Newton's method, from the logit of the share)."""
    if not etas:
        return 0.0
    share = min(max(share, 1e-6), 1 - 1e-6)
    mean_eta = sum(etas) / len(etas)
    alpha = math.log(share / (1 - share)) - mean_eta
    n = len(etas)
    for _ in range(30):
        total = slope = 0.0
        for eta in etas:
            p = _sigmoid(alpha + eta)
            total += p
            slope += p * (1 - p)
        diff = total / n - share
        if abs(diff) < 1e-7 or slope == 0:
            break
        alpha -= diff / (slope / n)
    return alpha
