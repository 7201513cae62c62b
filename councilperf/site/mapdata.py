"""Map data: each year's boundaries per tier, simplified and quantised into one small file.

The file format (our own, decoded by ``static/site/js/map.js``)::

    {"format": "cp-shapes/1", "year": "2019-20", "tier": "upper",
     "scale": [kx, ky], "translate": [x0, y0],
     "shapes": [{"code": "E07000038", "polygons": [[ring, ...], ...]}, ...]}

A ring is a flat list of integers ``[x0, y0, dx1, dy1, dx2, dy2, ...]``: the first point on a
grid, the rest as steps from the point before. Longitude = x * kx + x0 and latitude =
y * ky + y0 (WGS84). The first ring of a polygon is its outline, any others are holes.

Simplification is Douglas–Peucker on each ring, in degrees scaled so that a step east and a
step north are about the same distance at England's latitude.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from councilperf.authorities.models import AuthorityYear
from councilperf.groups import TIER_GROUPS
from councilperf.years import ReportingYear

FORMAT = "cp-shapes/1"
# Grid step in degrees of latitude (about 55 m); longitude steps are wider by 1/cos(53°).
GRID = 0.0005
LAT_REF = 53.0
# Douglas–Peucker tolerance, in degrees of latitude (about 110 m): finer than a pixel at the
# zoom that shows a whole county.
TOLERANCE = 0.001
# Rings smaller than this (in square grid steps) are dropped unless they are a shape's largest.
MIN_RING_AREA = 40.0

Point = tuple[float, float]


def map_dir() -> Path:
    return Path(settings.BUILD_DIR) / "map"


def _perpendicular(p: Point, a: Point, b: Point, kx: float) -> float:
    ax, ay = a[0] * kx, a[1]
    bx, by = b[0] * kx, b[1]
    px, py = p[0] * kx, p[1]
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def simplify(points: Sequence[Point], tolerance: float, kx: float = 1.0) -> list[Point]:
    """Douglas–Peucker, iterative; keeps the first and last points."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, 0
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last], kx)
            if d > worst:
                worst, index = d, i
        if worst > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: Sequence[Point], tolerance: float, kx: float) -> list[Point]:
    """Simplify a closed ring: split it at its farthest point so both ends are anchored."""
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring = ring[:-1]
    if len(ring) < 4:
        return list(ring)
    start = ring[0]
    far = max(
        range(len(ring)), key=lambda i: (ring[i][0] - start[0]) ** 2 + (ring[i][1] - start[1]) ** 2
    )
    first = simplify([*ring[: far + 1]], tolerance, kx)
    second = simplify([*ring[far:], ring[0]], tolerance, kx)
    return first[:-1] + second[:-1]


def _area(ring: Sequence[tuple[int, int]]) -> float:
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def polygons_of(geometry: dict[str, Any]) -> list[list[list[Point]]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        polys = [coords]
    elif kind == "MultiPolygon":
        polys = coords
    else:
        raise ValueError(f"Not a polygon geometry: {kind}")
    return [[[(float(x), float(y)) for x, y, *_ in ring] for ring in poly] for poly in polys]


@dataclass(frozen=True)
class Grid:
    x0: float
    y0: float
    kx: float
    ky: float

    def snap(self, p: Point) -> tuple[int, int]:
        return (round((p[0] - self.x0) / self.kx), round((p[1] - self.y0) / self.ky))


def encode_shape(
    geometry: dict[str, Any], grid: Grid, tolerance: float = TOLERANCE
) -> list[list[list[int]]]:
    """A geometry as polygons of delta-encoded integer rings (see the module docstring)."""
    ratio = grid.kx / grid.ky  # longitude degrees → comparable latitude degrees
    candidates: list[tuple[float, int, int, list[tuple[int, int]]]] = []
    polys = polygons_of(geometry)
    for pi, poly in enumerate(polys):
        for ri, ring in enumerate(poly):
            simplified = simplify_ring(ring, tolerance, 1 / ratio)
            snapped: list[tuple[int, int]] = []
            for p in simplified:
                q = grid.snap(p)
                if not snapped or snapped[-1] != q:
                    snapped.append(q)
            if len(snapped) > 1 and snapped[0] == snapped[-1]:
                snapped.pop()
            if len(snapped) >= 3:
                candidates.append((_area(snapped), pi, ri, snapped))
    if not candidates:
        return []
    largest = max(c[0] for c in candidates)
    result: dict[int, list[list[int]]] = {}
    for area, pi, ri, cells in candidates:
        if area < MIN_RING_AREA and area < largest:
            continue
        if ri > 0 and pi not in result:
            continue  # a hole whose outline was dropped
        flat = [cells[0][0], cells[0][1]]
        for (xa, ya), (xb, yb) in itertools.pairwise(cells):
            flat += [xb - xa, yb - ya]
        result.setdefault(pi, []).append(flat)
    return [result[k] for k in sorted(result)]


def shapes_for(year: ReportingYear, tier: str) -> list[tuple[str, dict[str, Any]]]:
    """(GSS code, geometry) of every authority drawn on this year's map of this tier."""
    found = []
    field_name = "upper_boundary" if tier == "upper" else "lower_boundary"
    other = "lower_boundary" if tier == "upper" else "upper_boundary"
    for ay in (
        AuthorityYear.objects.filter(year=year.label, group__in=TIER_GROUPS[tier])
        .select_related("authority", field_name, other)
        .order_by("authority__gss_code")
    ):
        boundary = getattr(ay, field_name) or getattr(ay, other)
        if boundary is not None:
            found.append((ay.authority.gss_code, boundary.geometry))
    return found


def bounds(geometries: Iterable[dict[str, Any]]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for g in geometries:
        for poly in polygons_of(g):
            for ring in poly:
                xs.extend(p[0] for p in ring)
                ys.extend(p[1] for p in ring)
    return min(xs), min(ys), max(xs), max(ys)


def build(year: ReportingYear, tier: str) -> dict[str, Any] | None:
    shapes = shapes_for(year, tier)
    if not shapes:
        return None
    west, south, _, _ = bounds(g for _, g in shapes)
    grid = Grid(
        x0=round(west, 3) - 0.001,
        y0=round(south, 3) - 0.001,
        kx=round(GRID / math.cos(math.radians(LAT_REF)), 7),
        ky=GRID,
    )
    return {
        "format": FORMAT,
        "year": year.label,
        "tier": tier,
        "scale": [grid.kx, grid.ky],
        "translate": [grid.x0, grid.y0],
        "shapes": [{"code": code, "polygons": encode_shape(g, grid)} for code, g in shapes],
    }


def write(data: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Write ``<year>-<tier>.json`` and its gzip; return its manifest entry."""
    folder.mkdir(parents=True, exist_ok=True)
    body = json.dumps(data, separators=(",", ":")).encode()
    digest = hashlib.sha256(body).hexdigest()[:12]
    name = f"{data['year']}-{data['tier']}.json"
    (folder / name).write_bytes(body)
    packed = gzip.compress(body, compresslevel=9, mtime=0)
    (folder / f"{name}.gz").write_bytes(packed)
    return {
        "file": name,
        "hash": digest,
        "shapes": len(data["shapes"]),
        "bytes": len(body),
        "gzip_bytes": len(packed),
    }


def read_manifest() -> dict[str, dict[str, dict[str, Any]]]:
    path = map_dir() / "manifest.json"
    if not path.exists():
        return {}
    data: dict[str, dict[str, dict[str, Any]]] = json.loads(path.read_text())
    return data


def write_manifest(manifest: dict[str, dict[str, dict[str, Any]]]) -> None:
    folder = map_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
