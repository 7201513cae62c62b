"""Numbers in words: percentages, rates per 100,000, comparisons and map classes."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from councilperf.public.figures import Row
from councilperf.statistics.core.rounding import round_half_away_from_zero, whole_percent

from .metrics import CLASS_COLOURS, COMPARISON_WORDS, GROUP_PLURAL, Metric


def as_float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    number = float(value)
    return None if math.isnan(number) else number


def percent(value: Any) -> str:
    """A proportion in [0, 1] as a whole percentage (for values with no exact counts)."""
    number = as_float(value)
    if number is None:
        return "–"
    return f"{round_half_away_from_zero(Fraction(number) * 100)}%"


def percent_of(numerator: int, denominator: int) -> str:
    """Rounded half away from zero on the exact fraction, as in the letters: "45%"."""
    value = whole_percent(numerator, denominator)
    return "–" if value is None else f"{value}%"


def _count(row: Row, key: str) -> int:
    return int(row.get(key) or 0)


def numerator(row: Row, metric: Metric) -> int:
    if metric.numerator == "complied_total":
        return _count(row, "complied") + _count(row, "complied_late")
    return _count(row, metric.numerator)


def display(row: Row, metric: Metric) -> str:
    """A row's figure for a metric as shown on the site (rounded on exact counts)."""
    if metric.percent:
        return percent_of(numerator(row, metric), _count(row, metric.denominator))
    return per_100k(row.get(metric.key))


def per_100k(value: Any) -> str:
    number = as_float(value)
    return "–" if number is None else f"{number:.1f}"


def format_metric(metric: Metric, value: Any) -> str:
    return percent(value) if metric.percent else per_100k(value)


def comparison_words(label: str | None, group: str) -> str:
    """ "similar to district councils"; "" when the engine gave no comparison."""
    group_name = GROUP_PLURAL.get(group, "similar authorities").lower()
    if label in COMPARISON_WORDS:
        return f"{COMPARISON_WORDS[label].capitalize()} {group_name}"
    if label == "not_compared":
        return "Not compared: too few cases to compare fairly"
    return ""


def metric_value(row: Row, metric: Metric) -> float | None:
    return as_float(row.get(metric.key))


def metric_class(metric: Metric, value: float | None) -> int | None:
    """Index of the legend class a value falls in (None: nothing to show)."""
    if value is None:
        return None
    for index, limit in enumerate(metric.breaks):
        if value < limit:
            return index
    return len(metric.breaks)


def legend(metric: Metric) -> list[dict[str, str]]:
    limits = (0.0, *metric.breaks)
    items = []
    for index, colour in enumerate(CLASS_COLOURS):
        low = limits[index]
        if index < len(metric.breaks):
            text = (
                f"{format_metric(metric, low)} to under {format_metric(metric, limits[index + 1])}"
            )
        else:
            text = f"{format_metric(metric, low)} or more"
        items.append({"colour": colour, "text": text})
    return items
