"""The all-years tidy file: built by the open data build (never on a request), one row per
council, published year and measure, the same values as each year's statistics file, in
CSV, XLSX and JSON with a valid Data Package; served only for the years published now."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from councilperf.statistics.measures import METRICS
from councilperf.statistics.models import ReviewYear
from tests.api.test_open_data_files import validate
from tests.site.conftest import World

pytestmark = pytest.mark.django_db
FILES = ("figures.csv", "figures.xlsx", "figures.json", "datapackage.json")


@pytest.fixture
def built(settings: Any, tmp_path: Path) -> Path:
    settings.BUILD_DIR = tmp_path / "build"
    return Path(settings.BUILD_DIR) / "opendata"


def build() -> str:
    out = io.StringIO()
    call_command("build_open_data", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def get(client: Client, url: str) -> bytes:
    answer = client.get(url)
    assert answer.status_code == 200, url
    assert answer["Access-Control-Allow-Origin"] == "*"
    return bytes(answer.getvalue())


def number(text: str) -> float | None:
    return None if text == "" else float(text)


def check_against_the_years(client: Client, built: Path) -> int:
    """Every row of the all-years CSV equals its year's statistics file; the row count is
    the sum over published years of that year's councils, times the measures. Returns it."""
    rows = csv_rows(get(client, "/downloads/all-years/figures.csv"))
    years = [y["year"] for y in client.get("/api/v1/years").json()]
    expected = 0
    for year in years:
        per_year = csv_rows((built / year / "r1" / "statistics.csv").read_bytes())
        assert per_year == csv_rows(get(client, f"/downloads/{year}/statistics.csv"))
        expected += len(per_year) * len(METRICS)
        mine = {(r["authority_code"], r["measure"]): r for r in rows if r["year"] == year}
        assert len(mine) == len(per_year) * len(METRICS)
        for council in per_year:
            for metric in METRICS:
                row = mine[(council["authority_code"], metric.code)]
                count = sum(int(council[c]) for c in metric.numerator)
                assert int(row["count"]) == count
                assert row["denominator"] == council[metric.denominator]
                assert number(row["rate"]) == number(council[metric.code])
                assert number(row["group_average"]) == number(council[metric.peer])
                for end in ("lower", "upper"):
                    column = f"{metric.code}_{end}"
                    if column in council:
                        assert number(row[f"interval_{end}"]) == number(council[column])
                assert row["revision"] == council["revision"]
                assert row["authority_name"] == council["authority_name"]
    assert len(rows) == expected
    assert [r["year"] for r in rows] == sorted(r["year"] for r in rows)
    return expected


def test_built_ahead_and_equal_to_each_years_file(
    client: Client, world: World, built: Path
) -> None:
    assert client.get("/downloads/all-years/figures.csv").status_code == 404
    assert "being prepared" in client.get("/downloads/").content.decode()
    output = build()
    before = sorted((p.relative_to(built), p.stat().st_mtime_ns) for p in built.rglob("*"))
    assert check_against_the_years(client, built) == 4 * len(METRICS)
    assert f"All years: {4 * len(METRICS)} rows" in output
    as_json = json.loads(get(client, "/downloads/all-years/figures.json"))
    as_csv = csv_rows(get(client, "/downloads/all-years/figures.csv"))
    assert len(as_json) == len(as_csv)
    assert [(r["authority_code"], r["measure"]) for r in as_json] == [
        (r["authority_code"], r["measure"]) for r in as_csv
    ]
    sheet = load_workbook(io.BytesIO(get(client, "/downloads/all-years/figures.xlsx"))).active
    assert sheet is not None
    table = list(sheet.iter_rows(values_only=True))
    assert list(table[0]) == list(as_csv[0]) and len(table) == len(as_csv) + 1
    south = [r for r in as_json if r["authority_code"] == world.south.gss_code]
    upheld = next(r for r in south if r["measure"] == "upheld_rate")
    assert (upheld["count"], upheld["denominator"], upheld["rate_fraction"]) == (9, 18, "1/2")
    assert upheld["interval_lower"] < 0.5 < upheld["interval_upper"]
    page = client.get("/downloads/").content.decode()
    assert 'href="/downloads/all-years/figures.csv"' in page
    assert sorted((p.relative_to(built), p.stat().st_mtime_ns) for p in built.rglob("*")) == before
    assert client.get("/downloads/all-years/manifest.json").status_code == 404


def test_its_data_package_is_valid(client: Client, world: World, built: Path) -> None:
    build()
    descriptor = json.loads(get(client, "/downloads/all-years/datapackage.json"))
    assert descriptor["years"] == [{"year": "2019-20", "revision": 1}]
    assert descriptor["licenses"][0]["name"] == "OGL-UK-3.0"
    fields = [f["name"] for f in descriptor["resources"][0]["schema"]["fields"]]
    for column in ("revision", "count", "denominator", "rate", "interval_lower"):
        assert column in fields
    assert {"group_average", "population_estimate", "population_file"} <= set(fields)
    report = validate(built / "all-years" / "datapackage.json")
    assert report["valid"], [t["errors"][:3] for t in report["tasks"]]


def test_only_the_years_published_now(client: Client, world: World, built: Path) -> None:
    build()
    years = {r["year"] for r in csv_rows(get(client, "/downloads/all-years/figures.csv"))}
    assert years == {"2019-20"}  # 2020-21 is frozen and approved, its date still to come
    ReviewYear.objects.filter(year="2020-21").update(publication_date="2020-12-01")
    cache.clear()
    # Built for the years published before: not served as current until built again.
    assert client.get("/downloads/all-years/figures.csv").status_code == 404
    build()
    rows = csv_rows(get(client, "/downloads/all-years/figures.csv"))
    assert {r["year"] for r in rows} == {"2019-20", "2020-21"}
    assert check_against_the_years(client, built) == (4 + 5) * len(METRICS)


@pytest.mark.slow
def test_demo_all_years_row_count(
    client: Client, demo_data: None, built: Path, capsys: Any
) -> None:
    build()
    rows = check_against_the_years(client, built)
    years = client.get("/api/v1/years").json()
    councils = [
        client.get(f"/api/v1/years/{y['year']}/figures?per_page=1").json()["count"] for y in years
    ]
    assert len(years) == 7 and rows == sum(councils) * len(METRICS)
    with capsys.disabled():
        print(
            f"\nall-years file: {len(years)} years, councils per year {councils}, "
            f"{len(METRICS)} measures: {sum(councils)} × {len(METRICS)} = {rows} rows"
        )
