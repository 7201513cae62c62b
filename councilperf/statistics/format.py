"""The one formatter of figures. Pure: no Django, no I/O.

Every page, the map, the compare tables and funnel labels, the national review and the
letters write figures through these functions, so a figure reads the same wherever it
appears:

- a percentage is a whole number, rounded half away from zero on the exact fraction
  (57 of 200 → "29%", 1 of 8 → "13%");
- a rate per 100,000 has one decimal, rounded half away from zero on the exact value
  (2.25 → "2.3", 0.05 → "0.1");
- a count has thousands separators ("1,234");
- a figure with no denominator is "–".

Interval ends and axis ticks are floats by nature (a Wilson interval is irrational); they
are rounded by the same rule on the float's exact binary value.
"""

from __future__ import annotations

from fractions import Fraction

from councilperf.statistics.core.rounding import round_half_away_from_zero
from councilperf.statistics.measures import Kind, Metric

NONE = "–"

Exact = Fraction | int | float


def _exact(value: Exact) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def percent(value: Exact | None) -> str:
    """A proportion in [0, 1] as a whole percentage: ``Fraction(57, 200)`` → "29%"."""
    if value is None:
        return NONE
    return f"{round_half_away_from_zero(_exact(value) * 100)}%"


def percent_of(numerator: int, denominator: int | None) -> str:
    """``numerator`` of ``denominator`` as a whole percentage; "–" when there are none."""
    if not denominator:
        return NONE
    return percent(Fraction(numerator, denominator))


def one_decimal(value: Exact | None) -> str:
    """To one decimal place, halves away from zero: 2.25 → "2.3"; thousands separated."""
    if value is None:
        return NONE
    tenths = round_half_away_from_zero(_exact(value) * 10)
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    return f"{sign}{whole:,}.{tenth}"


per_100k = one_decimal


def count(value: int | None) -> str:
    """A whole number with thousands separators: 1234 → "1,234"."""
    return NONE if value is None else f"{value:,}"


def figure(metric: Metric, value: Exact | None) -> str:
    """A value of ``metric`` as every surface shows it."""
    return percent(value) if metric.kind is Kind.PERCENT else one_decimal(value)


def interval(
    metric: Metric, lower: float | None, upper: float | None, *, between: str = " to "
) -> str:
    """ "23% to 35%" (``between`` "–": "23%–35%"); "" when the interval is undefined."""
    if lower is None or upper is None:
        return ""
    return f"{figure(metric, lower)}{between}{figure(metric, upper)}"


def axis_percent(value: float) -> str:
    """An axis tick of a proportion (0.25 → "25%")."""
    return percent(value)


def axis_rate(value: float) -> str:
    """An axis tick of a rate: "2" for whole numbers, else one decimal ("2.5")."""
    return f"{round_half_away_from_zero(_exact(value)):,}" if value % 1 == 0 else one_decimal(value)


def axis_count(value: float) -> str:
    """An axis tick of a count, to the nearest whole number with separators."""
    return count(round_half_away_from_zero(_exact(value)))
