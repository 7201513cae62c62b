"""The map's colours, classes and keys. Pure: no Django, no I/O.

Two ways to colour a council (the map's "Colour by" choice):

- **compared with similar councils** (the default): lower / similar / higher, the engine's
  comparison from the council's own 95 % interval against its group's average, on a
  diverging blue–grey–orange scale (told apart by lightness and by a blue–orange hue pair
  that stays distinct with every common colour-vision deficiency);
- **the rate itself**: five classes whose breaks are the year's quintiles (see
  :func:`quantile_breaks`) of the councils with enough cases, on a sequential blue scale.

Either way a council under the small-number rule is hatched ("too few"), never given a class
or an extreme colour, and one with nothing to measure is plain grey.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from councilperf.statistics import format
from councilperf.statistics.measures import Metric

# Sequential blues (light to dark), each passing 3:1 against its neighbours' borders.
CLASS_COLOURS = ("#deebf7", "#9ecae1", "#5a9fcf", "#2b6ca8", "#0b3d6e")
NO_DATA_COLOUR = "#bfc1c3"  # grey: clearly not a shade of the blue scale
HATCH = "url(#cp-hatch)"  # the SVG pattern the page defines: too few cases
HATCH_CSS = "repeating-linear-gradient(45deg, #505a5f 0 2px, #ffffff 2px 6px)"

# Diverging: blue below, light grey similar, orange above (ColorBrewer PuOr/RdBu-like ends).
COMPARISON_COLOURS: dict[str, str] = {
    "lower": "#2166ac",
    "similar": "#e8e8e8",
    "higher": "#b35806",
}
COMPARISON_WORDS: dict[str, str] = {
    "lower": "Lower than similar councils",
    "similar": "Similar to similar councils (within the likely range)",
    "higher": "Higher than similar councils",
}
CLASSES = len(CLASS_COLOURS)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def quantile_breaks(values: Iterable[float], classes: int = CLASSES) -> tuple[float, ...]:
    """The year's class breaks, quintiles by rank: with the N values sorted, class ``i + 1``
    starts at the value of (1-based) rank ⌈i·N/classes⌉ + 1, i = 1 … classes − 1, so each class
    holds a fifth of the councils. Ties stay together: where that value is no higher than the
    previous break (or the smallest value), the class starts at the next higher value instead,
    so a value many councils share fills its class alone and the next class begins just
    above it."""
    ordered = sorted(values)
    found: list[float] = []
    for i in range(1, classes):
        rank = math.ceil(i * len(ordered) / classes)
        if rank >= len(ordered):
            continue
        floor = found[-1] if found else ordered[0]
        value = ordered[rank]
        if value <= floor:
            value = next((v for v in ordered[rank:] if v > floor), floor)
        if value > floor:
            found.append(value)
    return tuple(found)


def value_class(breaks: Sequence[float], value: float | None) -> int | None:
    """Index of the class a value falls in: class ``i`` runs from ``breaks[i − 1]`` up to
    (not including) ``breaks[i]`` (None: nothing to show)."""
    if value is None:
        return None
    return sum(1 for limit in breaks if value >= limit)


def metric_class(metric: Metric, value: float | None) -> int | None:
    """Index of the fixed legend class a value falls in (None: nothing to show)."""
    return value_class(metric.breaks, value)


def value_legend(metric: Metric, breaks: Sequence[float]) -> list[dict[str, str]]:
    """The key of the rate classes: ``a to under b``, the last ``b or more``."""
    limits = (0.0, *breaks)
    items = []
    for index, low in enumerate(limits):
        text = (
            f"{format.figure(metric, low)} to under {format.figure(metric, limits[index + 1])}"
            if index + 1 < len(limits)
            else f"{format.figure(metric, low)} or more"
        )
        items.append({"colour": CLASS_COLOURS[index], "text": text})
    return items


def legend(metric: Metric) -> list[dict[str, str]]:
    """The key of the metric's fixed classes (the open-data and print default)."""
    return value_legend(metric, metric.breaks)


def comparison_legend() -> list[dict[str, str]]:
    return [
        {"colour": COMPARISON_COLOURS[key], "text": words}
        for key, words in COMPARISON_WORDS.items()
    ]


def comparison_colour(comparison: str | None, small: bool) -> str:
    """The fill of a council coloured by its comparison."""
    if small:
        return HATCH
    return COMPARISON_COLOURS.get(comparison or "", NO_DATA_COLOUR)


def map_fill(
    *,
    value: float | None,
    small: bool,
    comparison: str | None,
    colour_by: str,
    breaks: Sequence[float],
) -> str:
    """The fill of a council on the map, as the map script draws it (``map.js``
    ``colourFor``): grey with nothing to measure, hatched with too few cases, else its
    comparison's colour or its value's class."""
    if value is None:
        return NO_DATA_COLOUR
    if small:
        return HATCH
    if colour_by == "compared":
        return COMPARISON_COLOURS.get(comparison or "", NO_DATA_COLOUR)
    return CLASS_COLOURS[min(value_class(breaks, value) or 0, CLASSES - 1)]
