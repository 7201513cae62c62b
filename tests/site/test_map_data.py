"""Map data: simplified, quantised boundary files per year and tier, cached for a year."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from django.test import Client

from councilperf.site import mapdata
from tests.site.conftest import World


def decode(data: dict) -> list[list[list[list[tuple[float, float]]]]]:
    kx, ky = data["scale"]
    x0, y0 = data["translate"]
    shapes = []
    for shape in data["shapes"]:
        polys = []
        for poly in shape["polygons"]:
            rings = []
            for ring in poly:
                x = y = 0
                points = []
                for i in range(0, len(ring), 2):
                    x += ring[i]
                    y += ring[i + 1]
                    points.append((x * kx + x0, y * ky + y0))
                rings.append(points)
            polys.append(rings)
        shapes.append(polys)
    return shapes


def test_simplify_keeps_corners_and_drops_collinear_points() -> None:
    line = [(0.0, 0.0), (1.0, 0.0001), (2.0, 0.0), (2.0, 2.0)]
    assert mapdata.simplify(line, 0.01) == [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0)]


def test_encoded_square_decodes_to_the_same_corners_within_a_grid_step() -> None:
    grid = mapdata.Grid(x0=-2.0, y0=52.0, kx=0.001, ky=0.0005)
    square = {
        "type": "Polygon",
        "coordinates": [[[-1.5, 53.0], [-1.3, 53.0], [-1.3, 53.2], [-1.5, 53.2], [-1.5, 53.0]]],
    }
    encoded = mapdata.encode_shape(square, grid)
    data = {"scale": [0.001, 0.0005], "translate": [-2.0, 52.0], "shapes": [{"polygons": encoded}]}
    (ring,) = decode(data)[0][0]
    assert len(ring) == 4
    expected = [(-1.5, 53.0), (-1.3, 53.0), (-1.3, 53.2), (-1.5, 53.2)]
    for (x, y), (ex, ey) in zip(ring, expected, strict=True):
        assert abs(x - ex) <= 0.001 and abs(y - ey) <= 0.0005


def test_tiny_islands_are_dropped_but_not_the_only_ring() -> None:
    grid = mapdata.Grid(x0=0.0, y0=0.0, kx=0.001, ky=0.001)
    big = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    speck = [[2.0, 2.0], [2.002, 2.0], [2.002, 2.002], [2.0, 2.0]]
    both = {"type": "MultiPolygon", "coordinates": [[big], [speck]]}
    assert len(mapdata.encode_shape(both, grid)) == 1
    alone = {"type": "Polygon", "coordinates": [speck]}
    assert len(mapdata.encode_shape(alone, grid)) == 1


def test_build_writes_one_file_per_year_and_tier(map_build: Path, world: World) -> None:
    manifest = json.loads((map_build / "map" / "manifest.json").read_text())
    assert manifest["2019-20"]["upper"]["shapes"] == 2  # the county and the unitary
    assert manifest["2019-20"]["lower"]["shapes"] == 3  # two districts and the unitary
    data = json.loads((map_build / "map" / "2019-20-lower.json").read_text())
    assert data["format"] == "cp-shapes/1"
    assert {s["code"] for s in data["shapes"]} == {
        world.north.gss_code,
        world.south.gss_code,
        world.unitary.gss_code,
    }


def test_shapes_are_served_gzipped_with_a_year_long_cache(
    client: Client, map_build: Path, world: World
) -> None:
    entry = json.loads((map_build / "map" / "manifest.json").read_text())["2019-20"]["upper"]
    url = f"/map-data/2019-20/upper-{entry['hash']}.json"
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=31536000" in response["Cache-Control"]
    assert len(json.loads(gzip.decompress(response.content))["shapes"]) == 2
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    stale = client.get("/map-data/2019-20/upper-0123456789ab.json")
    assert stale.status_code == 302 and stale["Location"] == url


def test_home_page_points_at_the_built_files(client: Client, map_build: Path, world: World) -> None:
    body = client.get("/").content.decode()
    entry = json.loads((map_build / "map" / "manifest.json").read_text())["2019-20"]["upper"]
    assert f"/map-data/2019-20/upper-{entry['hash']}.json" in body


@pytest.mark.parametrize("tier", ["upper", "lower"])
def test_no_shapes_for_unpublished_years(
    client: Client, map_build: Path, world: World, tier: str
) -> None:
    assert client.get(f"/map-data/2020-21/{tier}-0123456789ab.json").status_code == 404
