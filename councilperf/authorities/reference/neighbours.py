"""Who borders whom in a boundary vintage, and which councils are nearest in size.

Pure: no Django, no I/O (shapely's geometry only). The boundary files are WGS84 longitude and
latitude; distances are measured after a sinusoidal projection about 2° west (England's
middle), where a metre east or north is a metre to well under 1 % across England, so the
tolerance is in metres. Two shapes border when they touch or lie within ``TOLERANCE_M`` of
each other: the register's shapes are clipped to the coastline and leave gaps of tens of
metres across estuaries and rivers that a strict ``touches`` would miss.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import shape

TOLERANCE_M = 100.0
SIMILAR_COUNT = 10
CENTRAL_MERIDIAN = -2.0
METRES_PER_DEGREE = 111_195.0  # on a sphere of the mean Earth radius (6,371 km)


def _project(coordinates: NDArray[np.float64]) -> NDArray[np.float64]:
    lon, lat = coordinates[:, 0], coordinates[:, 1]
    x = (lon - CENTRAL_MERIDIAN) * np.cos(np.radians(lat)) * METRES_PER_DEGREE
    return np.column_stack((x, lat * METRES_PER_DEGREE))


def projected(geometry: Mapping[str, Any]) -> shapely.Geometry:
    """A GeoJSON (Multi)Polygon in lon/lat as a shapely shape in metres."""
    return shapely.transform(shape(geometry), _project)


def bordering_pairs(
    shapes: Sequence[tuple[str, Mapping[str, Any]]], *, tolerance_m: float = TOLERANCE_M
) -> set[tuple[str, str]]:
    """Pairs of codes (smaller first) whose shapes touch or lie within ``tolerance_m`` metres.

    ``shapes`` are (code, GeoJSON geometry) of one vintage; a code given twice is one shape.
    """
    codes = [code for code, _ in shapes]
    geometries = [projected(geometry) for _, geometry in shapes]
    if not geometries:
        return set()
    tree = shapely.STRtree(geometries)
    left, right = tree.query(geometries, predicate="dwithin", distance=tolerance_m)
    return {
        (min(codes[i], codes[j]), max(codes[i], codes[j]))
        for i, j in zip(left.tolist(), right.tolist(), strict=True)
        if codes[i] != codes[j]
    }


def similar_sized(
    code: str, populations: Mapping[str, int | None], *, count: int = SIMILAR_COUNT
) -> list[str]:
    """The ``count`` other codes nearest to ``code`` in log-population, nearest first.

    ``populations`` are the councils of one comparison group in one year; councils without a
    population are left out, and so is everyone when ``code`` has none. The distance
    |log p − log own| is compared as the exact ratio max/min (the same order, without a
    float's rounding), so ties are real ties: they go to the smaller population, then the code,
    and the choice never depends on the input order.
    """
    own = populations.get(code)
    if not own or own <= 0:
        return []

    def distance(item: tuple[str, int]) -> tuple[Fraction, int, str]:
        _, population = item
        return Fraction(max(population, own), min(population, own)), population, item[0]

    others = [(c, p) for c, p in populations.items() if c != code and p and p > 0]
    return [c for c, _ in sorted(others, key=distance)[:count]]
