"""Every published year states which ONS estimates and boundaries it used: the methods page,
the API's year resource and the year's data package say the same (issue 28, point 5)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from councilperf.api import builds
from councilperf.years import ReportingYear

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MYE24 = "population/mye24_ew_lad23_ctyua23.csv"
NOMIS = "population/nomis_mye_1991_2023_lad23.csv"
STEP = "part of the change between 2023-24 and 2024-25 populations is the revision"


def test_each_year_names_its_estimates_and_boundaries(
    client: Client, demo_data: None, settings: Any, tmp_path: Path
) -> None:
    years = {y["year"]: y for y in client.get("/api/v1/years").json()}
    latest = years["2024-25"]["population_and_boundaries"]
    assert [(e["estimate_year"], e["file"]) for e in latest["estimates"]] == [(2024, MYE24)]
    assert latest["estimates"][0]["councils"] == 317
    assert any(STEP in note for note in latest["notes"])
    before = years["2023-24"]["population_and_boundaries"]
    assert [(e["estimate_year"], e["file"]) for e in before["estimates"]] == [(2023, NOMIS)]
    # 2022-23: most councils mid-2022, those abolished in 2023 their latest, mid-2021.
    mixed = {
        (e["estimate_year"], e["file"])
        for e in years["2022-23"]["population_and_boundaries"]["estimates"]
    }
    assert (2022, NOMIS) in mixed and (2021, "population/nomis_mye2021_lad21_ctyua21.csv") in mixed
    first = years["2018-19"]["population_and_boundaries"]["boundaries"]
    assert {(b["tier"], b["vintage"]) for b in first} == {("upper", "utla18"), ("lower", "ltla18")}
    assert sum(b["councils"] for b in first if b["tier"] == "upper") == 152  # Dorset County too

    page = client.get("/about/").content.decode()
    assert "Populations and boundaries, year by year" in page
    assert "mid-2024: ONS mid-2024 population estimates (MYE2, July 2025 release)" in page
    assert "ONS Counties and Unitary Authorities of 2018" in page and STEP in page

    settings.BUILD_DIR = tmp_path / "build"
    builds.build_year(ReportingYear(2024))
    package = json.loads(next((tmp_path / "build").rglob("datapackage.json")).read_text())
    assert package["population_and_boundaries"] == latest
