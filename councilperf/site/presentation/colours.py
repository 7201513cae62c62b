"""The map's colour classes and their legend. Pure: no Django, no I/O."""

from __future__ import annotations

from councilperf.statistics import format
from councilperf.statistics.measures import Metric

# Sequential blues (light to dark), each passing 3:1 against its neighbours' borders.
CLASS_COLOURS = ("#deebf7", "#9ecae1", "#5a9fcf", "#2b6ca8", "#0b3d6e")
NO_DATA_COLOUR = "#bfc1c3"  # grey: clearly not a shade of the blue scale


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
        low = format.figure(metric, limits[index])
        if index < len(metric.breaks):
            text = f"{low} to under {format.figure(metric, limits[index + 1])}"
        else:
            text = f"{low} or more"
        items.append({"colour": colour, "text": text})
    return items
