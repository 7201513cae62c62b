"""Drawn funnel limits and labels agree, and the small-number rule holds, on demo-like groups.

Each dataset is a group of councils as the demo data makes them: most with a handful of cases
(1–10), some with tens or hundreds, around averages from 1 % to 99 %; rates per 100,000 on
populations from 2,000 to 1.5 million. For every point: its label is the exact tails' (scipy
checks those), a point beyond a drawn limit is labelled outside it and one within is labelled
within, and the drawn polyline passes through the limit at the point's own denominator.
"""

from __future__ import annotations

import random

import pytest

from councilperf.site.pages.compare import COMPARE_METRICS, _description
from councilperf.site.presentation import funnel
from councilperf.site.presentation.funnel import Band, Entry, Kind
from councilperf.statistics.core import tails

THRESHOLD = 5


def proportion_group(seed: int, target: float, size: int = 190) -> list[Entry]:
    rng = random.Random(seed)
    entries = []
    for i in range(size):
        n = rng.choice([rng.randint(0, 10), rng.randint(0, 10), rng.randint(10, 60)])
        if i % 23 == 0:
            n = rng.randint(100, 900)
        # Overdispersed like the demo: each council's own rate drawn around the target.
        own = min(max(rng.gauss(target, 0.2), 0.0), 1.0)
        k = sum(rng.random() < own for _ in range(n))
        entries.append(Entry(f"P{i}", f"P{i}", k, n, small=n < THRESHOLD))
    return entries


def rate_group(seed: int, target: float, size: int = 150) -> list[Entry]:
    rng = random.Random(seed)
    entries = []
    for i in range(size):
        population = int(10 ** rng.uniform(3.3, 6.2))
        mean = target * population / 100_000 * rng.uniform(0.3, 2.5)
        k = int(rng.gauss(mean, mean**0.5 + 0.5)) if mean > 0 else 0
        entries.append(Entry(f"R{i}", f"R{i}", max(k, 0), population))
    return entries


def _beyond(value: float, limits: funnel.Limits) -> Band:
    """The band read off the drawing: strictly beyond a drawn line is outside it."""
    if value > limits.outer_upper:
        return Band.ABOVE_OUTER
    if value > limits.inner_upper:
        return Band.ABOVE_INNER
    if value < limits.outer_lower:
        return Band.BELOW_OUTER
    if value < limits.inner_lower:
        return Band.BELOW_INNER
    return Band.INSIDE


def _check(plot: funnel.Plot, target: float) -> int:
    checked = 0
    curves = {name: getattr(plot, name).split() for name in ("inner_upper", "outer_upper")}
    for point in plot.points:
        assert point.limits is not None
        if point.entry.small:
            assert point.band is Band.TOO_FEW
            continue
        n, k = point.entry.denominator or 0, point.entry.numerator
        if plot.kind is Kind.PROPORTION:
            exact = tails.proportion_position(k, n, target)
        else:
            exact = tails.rate_position(k, n, target)
        assert point.band.value == exact.value, point
        assert _beyond(point.value, point.limits) is point.band, point
        for name, vertices in curves.items():
            xs = {v.split(",")[0] for v in vertices}
            assert f"{point.x:.1f}" in xs, (name, point.x)
        checked += 1
    return checked


@pytest.mark.parametrize("target", [0.01, 0.16, 0.45, 0.62, 0.8, 0.99])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_proportion_point_agrees_with_the_drawn_limits(target: float, seed: int) -> None:
    entries = proportion_group(seed, target)
    plot = funnel.build(entries, target, Kind.PROPORTION)
    assert _check(plot, target) > 0


@pytest.mark.parametrize("target", [0.5, 1.2, 4.0, 9.5, 30.0])
@pytest.mark.parametrize("seed", [1, 2])
def test_every_rate_point_agrees_with_the_drawn_limits(target: float, seed: int) -> None:
    entries = rate_group(seed, target)
    plot = funnel.build(entries, target, Kind.RATE)
    assert _check(plot, target) > 0
    assert any(p.band is not Band.INSIDE for p in plot.points)  # the test has teeth


def test_no_council_under_the_threshold_is_labelled_or_counted_as_unusual() -> None:
    """4 of 4 upheld against 10 % has P(X ≥ 4) = 0.0001: far beyond the 99.8 % limit, yet
    under the small-number rule (fewer than 5 cases) it is drawn but never labelled or
    counted; 20 of 20 (not small) is labelled and counted."""
    entries = [
        Entry("S", "Small", 4, 4, small=True),
        Entry("T", "Tiny", 0, 1, small=True),
        Entry("B", "Big", 20, 20),
    ]
    plot = funnel.build(entries, 0.1, Kind.PROPORTION)
    bands = {p.entry.key: p.band for p in plot.points}
    assert tails.proportion_position(4, 4, 0.1) is tails.Position.ABOVE_OUTER
    assert bands == {"S": Band.TOO_FEW, "T": Band.TOO_FEW, "B": Band.ABOVE_OUTER}
    assert Band.TOO_FEW not in funnel.UNUSUAL
    words = _description(COMPARE_METRICS[0], plot, "district", "10%")
    assert "Of the councils, 1 lies above the 99.8% limit." in words
    # Every demo-like group: the small ones are never unusual.
    for seed in (1, 2, 3):
        for target in (0.05, 0.45, 0.95):
            group = funnel.build(proportion_group(seed, target), target, Kind.PROPORTION)
            for point in group.points:
                if (point.entry.denominator or 0) < THRESHOLD:
                    assert point.band is Band.TOO_FEW
                    assert point.band not in funnel.UNUSUAL
