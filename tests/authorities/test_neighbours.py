"""Bordering councils and similar-sized councils: the pure rules on drawn shapes, then the
real boundary files as loaded (known pairs, the Isle of Wight alone, counts per vintage)."""

from __future__ import annotations

import io
import math
import re

import pytest
from django.core.management import call_command
from django.db.models import F

from councilperf.authorities.models import Authority, Border
from councilperf.authorities.reference.neighbours import (
    METRES_PER_DEGREE,
    bordering_pairs,
    projected,
    similar_sized,
)
from councilperf.authorities.services import border_counts

LAT = 52.0
EAST = METRES_PER_DEGREE * math.cos(math.radians(LAT))  # metres in a degree of longitude


def box(west_m: float, width_m: float = 5000.0, south_m: float = 0.0) -> dict[str, object]:
    """A square near 52° N, placed in metres east of 1° W and north of 52° N."""
    lon0, lat0 = -1.0 + west_m / EAST, LAT + south_m / METRES_PER_DEGREE
    lon1, lat1 = lon0 + width_m / EAST, lat0 + width_m / METRES_PER_DEGREE
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_touching_and_near_shapes_border_far_ones_do_not() -> None:
    shapes = [
        ("A", box(0)),
        ("B", box(5000)),  # shares A's east side
        ("C", box(10_060)),  # 60 m east of B: a river's gap
        ("D", box(15_260)),  # 200 m east of C: apart
        ("E", box(1000, 1000, 1000)),  # lies inside A
    ]
    assert bordering_pairs(shapes) == {("A", "B"), ("B", "C"), ("A", "E")}
    assert bordering_pairs(shapes, tolerance_m=0) == {("A", "B"), ("A", "E")}
    assert bordering_pairs(shapes, tolerance_m=250) >= {("C", "D")}
    assert bordering_pairs([]) == set()
    assert bordering_pairs([("A", box(0)), ("A", box(0))]) == set()


def test_a_multipolygon_borders_through_any_part() -> None:
    island = box(50_000)["coordinates"]
    mainland = box(0)["coordinates"]
    both = {"type": "MultiPolygon", "coordinates": [mainland, island]}
    assert bordering_pairs([("A", both), ("B", box(55_050))]) == {("A", "B")}


@pytest.mark.parametrize("lon", [-5.7, -2.0, 1.7])
@pytest.mark.parametrize("lat", [50.0, 52.5, 55.8])
def test_the_projection_keeps_metres_across_england(lon: float, lat: float) -> None:
    """A 1 km step east or north is 1 km to within 1 % anywhere in England (a great-circle
    distance on the same sphere is the truth here)."""
    step = 1000.0
    dlon = math.degrees(step / (METRES_PER_DEGREE * 180 / math.pi) / math.cos(math.radians(lat)))
    dlat = step / METRES_PER_DEGREE
    for dx, dy in ((dlon, 0.0), (0.0, dlat)):
        line = {"type": "Polygon", "coordinates": [[[lon, lat], [lon + dx, lat + dy], [lon, lat]]]}
        length = projected(line).length / 2
        assert abs(length - step) / step < 0.01, (lon, lat, dx, dy, length)


def test_similar_sized_nearest_in_log_population() -> None:
    populations = {f"C{i:02}": 1000 * 2**i for i in range(15)} | {"none": None, "zero": 0}
    # log-distance from 2^7: 2^6 and 2^8 tie (one step), then 2^5 and 2^9, …
    assert similar_sized("C07", populations, count=4) == ["C06", "C08", "C05", "C09"]
    nearest = similar_sized("C07", populations)
    assert len(nearest) == 10 and "C07" not in nearest
    assert "none" not in nearest and "zero" not in nearest
    assert similar_sized("C00", populations, count=3) == ["C01", "C02", "C03"]
    assert similar_sized("none", populations) == []
    assert similar_sized("missing", populations) == []
    # Ratios, not differences: 100 is nearer 50 than 200 is in absolute terms, yet they tie.
    assert similar_sized("x", {"x": 100, "a": 200, "b": 50}) == ["b", "a"]
    assert similar_sized("x", {"x": 100, "a": 190, "b": 50}) == ["a", "b"]
    # The input order never matters.
    reversed_order = dict(reversed(list(populations.items())))
    assert similar_sized("C07", reversed_order) == nearest


def neighbours(code: str, vintage: str) -> set[str]:
    return set(
        Border.objects.filter(authority__gss_code=code, vintage=vintage).values_list(
            "neighbour__short_name", flat=True
        )
    )


NED, IOW, BUCKS, MILTON_KEYNES = "E07000038", "E06000046", "E06000060", "E06000042"


def test_known_pairs_in_the_real_boundaries(loaded_reference_data, reference_dir) -> None:
    for vintage in ("ltla19", "ltla20", "ltla21", "ltla24"):
        assert {"Chesterfield", "Bolsover"} <= neighbours(NED, vintage), vintage
    assert not Border.objects.filter(authority__gss_code=IOW).exists()
    assert Authority.objects.get(gss_code=IOW).boundaries.count() >= 4  # it has shapes
    # Buckinghamshire Council (from 1 April 2020) borders Milton Keynes on both tiers.
    for vintage in ("ltla20", "ltla21", "ltla24", "utla21", "ctyua23"):
        assert "Milton Keynes" in neighbours(BUCKS, vintage), vintage
    assert not Border.objects.filter(authority__gss_code=BUCKS, vintage="ltla19").exists()
    # Stored both ways round, within one vintage and tier.
    pairs = set(Border.objects.values_list("vintage", "authority", "neighbour"))
    assert all((v, b, a) in pairs for v, a, b in pairs)
    assert not Border.objects.filter(authority_id=F("neighbour_id")).exists()
    counts = border_counts()
    assert {v for _, v in counts} == {
        "ltla18", "ltla19", "ltla20", "ltla21", "ltla24", "utla18", "utla19", "utla21", "ctyua23",
    }  # fmt: skip
    assert all(300 < n < 1000 for n in counts.values()), counts
    out = io.StringIO()
    call_command("load_reference_data", dir=str(reference_dir), years="2018-19:2024-25", stdout=out)
    assert "Nothing changed" in out.getvalue()
    for (tier, vintage), n in counts.items():
        assert re.search(rf"{vintage}\s+{tier}\s+{n}\n", out.getvalue()), vintage
    assert border_counts() == counts
