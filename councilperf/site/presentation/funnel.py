"""Funnel plots as SVG geometry: plain functions and dataclasses, no Django, no I/O.

A funnel plot shows each authority's rate against the size of what it is measured on (its
denominator), with the similar-authority average as a horizontal line and control limits
that narrow as the denominator grows (Spiegelhalter 2005). Each council is placed by exact
tail probabilities (:mod:`councilperf.statistics.core.tails`): with ``k`` events it lies
above the 95 % (99.8 %) limit when ``P(X ≥ k) < 0.025`` (``0.001``) and below it when
``P(X ≤ k) < 0.025`` (``0.001``), where ``X`` is

- for proportions (upheld, compliance, satisfactory remedy): Binomial(n, target);
- for upheld decisions per 100,000 residents: Poisson with mean ``E = target × population /
  100,000``.

The limits are drawn as the exact steps, not Spiegelhalter's interpolation: at each
denominator the line runs half a count beyond the last whole count still inside (cut at 0
and, for a proportion, at 100 %). So at every whole count the drawing and the label agree: a
point beyond a drawn limit is labelled outside it, a point within is labelled within. The
curves pass through the limits at every whole denominator up to ``STEPS`` and at every
plotted council's own denominator.

A council under the small-number rule (denominator below the threshold) is drawn hollow and
grey and is never labelled, counted or coloured as unusual.

The templates only place what is computed here; the tests check these numbers by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from councilperf.statistics.core import tails
from councilperf.statistics.format import axis_count, axis_percent, axis_rate

PER = 100_000


class Kind(StrEnum):
    PROPORTION = "proportion"  # numerator / denominator in [0, 1]
    RATE = "rate"  # numerator per 100,000 of the denominator (a population)


class Band(StrEnum):
    """Where a point lies against the funnel at its own denominator."""

    ABOVE_OUTER = "above_outer"
    ABOVE_INNER = "above_inner"
    INSIDE = "inside"
    BELOW_INNER = "below_inner"
    BELOW_OUTER = "below_outer"
    TOO_FEW = "too_few"  # under the small-number rule: drawn, never labelled unusual
    NONE = "none"  # nothing to place (no denominator or no average)


BAND_WORDS: dict[Band, str] = {
    Band.ABOVE_OUTER: "Above the 99.8% limit",
    Band.ABOVE_INNER: "Above the 95% limit",
    Band.INSIDE: "Within the 95% limits",
    Band.BELOW_INNER: "Below the 95% limit",
    Band.BELOW_OUTER: "Below the 99.8% limit",
    Band.TOO_FEW: "Not compared: too few cases",
    Band.NONE: "Not plotted",
}

UNUSUAL = frozenset({Band.ABOVE_OUTER, Band.ABOVE_INNER, Band.BELOW_INNER, Band.BELOW_OUTER})


@dataclass(frozen=True, slots=True)
class Limits:
    """The drawn limits at one denominator (proportions, or rates per 100,000), with the
    whole counts they stand for."""

    inner_lower: float
    inner_upper: float
    outer_lower: float
    outer_upper: float
    counts: tails.CountLimits

    def band(self, count: int) -> Band:
        return Band(self.counts.position(count).value)


def _drawn(counts: tails.CountLimits, per: int, denominator: int, top: float) -> Limits:
    """Half a count beyond the last count inside, cut at 0 and ``top``, as a value: times
    ``per`` over ``denominator``, computed as :func:`value_of` computes a point's."""

    def cut(count: float) -> float:
        return min(max(count, 0.0), top) * per / denominator

    return Limits(
        inner_lower=cut(counts.inner_lower - 0.5),
        inner_upper=cut(counts.inner_upper + 0.5),
        outer_lower=cut(counts.outer_lower - 0.5),
        outer_upper=cut(counts.outer_upper + 0.5),
        counts=counts,
    )


def proportion_limits(target: Fraction | float | None, denominator: int) -> Limits | None:
    """The exact binomial 95 % and 99.8 % limits around ``target`` for one denominator."""
    if target is None or denominator <= 0:
        return None
    counts = tails.binomial_count_limits(denominator, float(target))
    return _drawn(counts, 1, denominator, denominator)


def rate_limits(target: Fraction | float | None, population: int, per: int = PER) -> Limits | None:
    """The exact Poisson 95 % and 99.8 % limits around a rate per ``per`` residents."""
    if target is None or population <= 0:
        return None
    counts = tails.poisson_count_limits(tails.expected_count(float(target), population, per))
    return _drawn(counts, per, population, math.inf)


def band(count: int, limits: Limits | None, *, small: bool = False) -> Band:
    """The label of ``count`` events: from the exact tails (as :attr:`Limits.counts`)."""
    if limits is None:
        return Band.NONE
    if small:
        return Band.TOO_FEW
    return limits.band(count)


# ── axes ───────────────────────────────────────────────────────────────────────────────────


TICK_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
AXIS_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value: float, steps: Sequence[float] = TICK_STEPS) -> float:
    """The smallest ``step × 10ⁿ`` at or above ``value`` (1 for 0 or less)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in steps:
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10 * power


def ticks(maximum: float, count: int = 5, *, whole: bool = False) -> list[float]:
    """Evenly spaced round tick values from 0 to ``maximum`` (``maximum`` itself nice);
    ``whole``: on an axis of counts, a step of a whole number (never 0.25 or 2.5 of a case,
    which would be labelled as a rounded count twice or wrongly)."""
    step = nice_ceiling(maximum / count)
    if whole and not step.is_integer():
        step = nice_ceiling(math.ceil(step))
    values = []
    n = 0
    while n * step <= maximum * (1 + 1e-9):
        values.append(n * step)
        n += 1
    return values


# Axis labels are written by the one formatter (``presentation.format``).
thousands = axis_count
percent_label = axis_percent
rate_label = axis_rate


# ── the plot ───────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Entry:
    """One authority to place: its counts, name and page address."""

    key: str
    label: str
    numerator: int
    denominator: int | None
    url: str = ""
    highlighted: bool = False
    small: bool = False  # under the small-number rule: drawn hollow and grey, never unusual


@dataclass(frozen=True, slots=True)
class Point:
    entry: Entry
    value: float
    limits: Limits | None
    band: Band
    x: float
    y: float
    clipped: bool  # the value lies above the top of the plot and is drawn at its edge


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True, slots=True)
class Plot:
    kind: Kind
    width: int
    height: int
    left: int
    top: int
    right: int  # x of the right edge of the plotting area
    bottom: int  # y of the bottom edge of the plotting area
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    target: float | None
    target_y: float | None
    inner_lower: str  # SVG polyline points
    inner_upper: str
    outer_lower: str
    outer_upper: str
    points: tuple[Point, ...]  # highlighted point last, so it is drawn on top
    left_out: tuple[Entry, ...]  # entries with nothing to plot (no denominator)

    @property
    def plot_width(self) -> int:
        return self.right - self.left

    @property
    def plot_height(self) -> int:
        return self.bottom - self.top

    def value_label(self, value: float) -> str:
        return percent_label(value) if self.kind is Kind.PROPORTION else rate_label(value)


WIDTH, HEIGHT = 640, 380
LEFT, TOP, RIGHT_MARGIN, BOTTOM_MARGIN = 64, 16, 20, 56
SAMPLES = 96
STEPS = 200  # proportions: the limits at every whole denominator up to this one


def value_of(entry: Entry, kind: Kind) -> float | None:
    if not entry.denominator:
        return None
    if kind is Kind.PROPORTION:
        return entry.numerator / entry.denominator
    return entry.numerator * PER / entry.denominator


def build(
    entries: Sequence[Entry],
    target: Fraction | float | None,
    kind: Kind,
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Plot:
    """Place every entry and the funnel around ``target`` on a ``width`` × ``height`` plot.

    The x axis (denominator) runs from 0 to a round number at or above the largest
    denominator; the y axis from 0 to 100 % for proportions, or for rates to a round number
    above the largest rate and twice the average. Limit curves are sampled from a
    denominator of 1 (proportions) or 1/200 of the axis (rates) and cut at the plot's top.
    """
    limits_at: Callable[[int], Limits | None] = (
        (lambda n: proportion_limits(target, n))
        if kind is Kind.PROPORTION
        else (lambda n: rate_limits(target, n))
    )
    plotted = [(e, value_of(e, kind)) for e in entries]
    present = [(e, v) for e, v in plotted if v is not None]
    left_out = tuple(e for e, v in plotted if v is None)

    x_max, y_max = _axes(present, target, kind)
    right, bottom = width - RIGHT_MARGIN, height - BOTTOM_MARGIN

    def sx(n: float) -> float:
        return LEFT + (right - LEFT) * n / x_max

    def sy(v: float) -> float:
        return bottom - (bottom - TOP) * min(max(v, 0.0), y_max) / y_max

    cached = _cached(limits_at)
    own = {e.denominator for e, _ in present if e.denominator}
    curves = _curves(cached, kind, x_max, own, sx, sy)

    points = _points(present, cached, y_max, sx, sy)
    fmt = percent_label if kind is Kind.PROPORTION else rate_label
    return Plot(
        kind=kind,
        width=width,
        height=height,
        left=LEFT,
        top=TOP,
        right=right,
        bottom=bottom,
        x_ticks=tuple(Tick(round(sx(v), 1), thousands(v)) for v in ticks(x_max, whole=True)),
        y_ticks=tuple(Tick(round(sy(v), 1), fmt(v)) for v in ticks(y_max)),
        target=float(target) if target is not None else None,
        target_y=round(sy(float(target)), 1) if target is not None else None,
        inner_lower=curves["inner_lower"],
        inner_upper=curves["inner_upper"],
        outer_lower=curves["outer_lower"],
        outer_upper=curves["outer_upper"],
        points=tuple(points),
        left_out=left_out,
    )


Scale = Callable[[float], float]


def _cached(limits_at: Callable[[int], Limits | None]) -> Callable[[int], Limits | None]:
    """``limits_at`` computed once per denominator (curves and points share them)."""
    cache: dict[int, Limits | None] = {}

    def cached(n: int) -> Limits | None:
        if n not in cache:
            cache[n] = limits_at(n)
        return cache[n]

    return cached


def _axes(
    present: Sequence[tuple[Entry, float]], target: Fraction | float | None, kind: Kind
) -> tuple[float, float]:
    """The x axis runs to a round number above the largest denominator; the y axis to 100 %
    for proportions, or for rates to a round number above the largest rate and twice the
    average."""
    x_max = nice_ceiling(
        max((e.denominator or 0 for e, _ in present), default=1) * 1.04, AXIS_STEPS
    )
    if kind is Kind.PROPORTION:
        return x_max, 1.0
    highest = max((v for _, v in present), default=0.0)
    return x_max, nice_ceiling(max(highest * 1.05, 2 * float(target or 0), 1.0), AXIS_STEPS)


def _curves(
    limits_at: Callable[[int], Limits | None],
    kind: Kind,
    x_max: float,
    own: set[int],
    sx: Scale,
    sy: Scale,
) -> dict[str, str]:
    """The four limit curves as SVG polyline points: sampled on a logarithmic scale, at
    every whole denominator up to ``STEPS`` (proportions) and at each council's own."""
    start = 1 if kind is Kind.PROPORTION else max(1, int(x_max / 200))
    logarithmic = {
        max(start, round(start * (x_max / start) ** (i / SAMPLES))) for i in range(SAMPLES + 1)
    }
    steps = set(range(1, min(STEPS, int(x_max)) + 1)) if kind is Kind.PROPORTION else set()
    samples = sorted(logarithmic | steps | own)
    curves: dict[str, list[str]] = {
        "inner_lower": [],
        "inner_upper": [],
        "outer_lower": [],
        "outer_upper": [],
    }
    for n in samples:
        found = limits_at(n)
        if found is None:
            continue
        for name in curves:
            curves[name].append(f"{sx(n):.1f},{sy(getattr(found, name)):.1f}")

    return {name: " ".join(found) for name, found in curves.items()}


def _points(
    present: Sequence[tuple[Entry, float]],
    limits_at: Callable[[int], Limits | None],
    y_max: float,
    sx: Scale,
    sy: Scale,
) -> list[Point]:
    """Each entry placed, with its limits and band; the highlighted one last."""
    points = []
    for entry, value in present:
        limits = limits_at(entry.denominator or 0)
        points.append(
            Point(
                entry=entry,
                value=value,
                limits=limits,
                band=band(entry.numerator, limits, small=entry.small),
                x=round(sx(entry.denominator or 0), 1),
                y=round(sy(value), 1),
                clipped=value > y_max,
            )
        )
    points.sort(key=lambda p: (p.entry.highlighted, -(p.entry.denominator or 0)))
    return points
