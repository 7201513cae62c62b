"""The embargo in the API and the open data: with 2019-20 published and 2020-21 not yet, a
crawl of every API operation (every authority, every page) and of every open data file of
2019-20 (CSV, JSON, XLSX, the Data Package and the zip) parses every date in what it gets and
finds none after 31 March 2020 — no public report, no compliance outcome recorded in 2020-21.
Once 2020-21 is published the same crawl finds them, so it can see them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from councilperf.statistics.models import ReviewYear
from tests.factories import make_compliance, make_recommendation
from tests.site.conftest import IN_2019, IN_2020, World, decide

pytestmark = pytest.mark.django_db

YEAR = "2019-20"
CUTOFF = dt.date(2020, 3, 31)  # the end of the last published year
# Dates of the decision itself and of the year, not facts recorded later: shown with it.
OF_THE_DECISION = frozenset({"received_date", "decision_date", "due_date"})
OF_THE_YEAR = frozenset({"publication_date", "letter_date", "published", "created"})
OF_THE_AUTHORITY = frozenset({"start_date", "end_date"})
NOT_EMBARGOED = OF_THE_DECISION | OF_THE_YEAR | OF_THE_AUTHORITY
DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
EMBARGOED = "Reply to every damp report within a week"


@dataclass
class Crawl:
    addresses: int = 0
    api_rows: int = 0
    file_rows: int = 0
    dates: int = 0
    after: list[tuple[str, str, dt.date]] = field(default_factory=list)  # where, field, date
    outcomes: list[tuple[str, Any]] = field(default_factory=list)  # the embargoed row's

    def look(self, where: str, key: str, value: Any) -> None:
        for y, m, d in DATE.findall(str(value)):
            day = dt.date(int(y), int(m), int(d))
            self.dates += 1
            if day > CUTOFF and key not in NOT_EMBARGOED:
                self.after.append((where, key, day))

    def row(self, where: str, row: dict[str, Any]) -> None:
        for key, value in row.items():
            self.walk(where, key, value)
        if EMBARGOED in row.values():
            self.outcomes.append((where, row.get("compliance")))

    def walk(self, where: str, key: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                self.walk(where, k, v)
        elif isinstance(value, list):
            for item in value:
                self.walk(where, key, item)
        else:
            self.look(where, key, value)


def _embargoed(world: World) -> None:
    """2019-20 decisions whose public report and compliance outcome fall in 2020-21, and one
    whose compliance was recorded within 2019-20 (shown: the crawl sees compliance)."""
    for n in range(3):
        case = decide(world.south, "upheld", day=IN_2019, public_report_date=IN_2020)
        make_recommendation(case=case, service_improvement=True, description=EMBARGOED)
        make_compliance(case=case, outcome="not_complied", recorded_date=IN_2020 + dt.timedelta(n))


def _api(client: Client, crawl: Crawl, codes: list[str]) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    addresses = []
    for route in schema["paths"]:
        filled = [route.replace("{year}", YEAR)]
        if "{code}" in route:
            filled = [filled[0].replace("{code}", code) for code in codes]
        addresses += filled
    for address in addresses:
        url: str | None = address
        while url:
            response = client.get(url)
            crawl.addresses += 1
            assert response.status_code in (200, 404), url
            if response.status_code != 200:
                break
            body = response.json()
            url = None
            rows = body if isinstance(body, list) else [body]
            if isinstance(body, dict) and "results" in body:
                rows, url = body["results"], body["next"]
            for row in rows:
                crawl.api_rows += 1
                crawl.row(address, row)


def _file(crawl: Crawl, name: str, data: bytes) -> None:
    if name.endswith(".csv"):
        for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))):
            crawl.file_rows += 1
            crawl.row(name, row)
    elif name.endswith(".json"):
        found = json.loads(data)
        for row in found if isinstance(found, list) else [found]:
            crawl.file_rows += 1
            crawl.row(name, row)
    elif name.endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(c) for c in next(rows)]
        for values in rows:
            crawl.file_rows += 1
            crawl.row(name, dict(zip(header, values, strict=False)))
    elif name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                _file(crawl, f"{name}/{member}", archive.read(member))
    else:
        raise AssertionError(f"an open data file the crawl cannot read: {name}")


def _open_data(client: Client, crawl: Crawl, built: Path) -> None:
    manifest = json.loads((built / YEAR / "manifest.json").read_text())
    for name in manifest["files"]:
        response = client.get(f"/downloads/{YEAR}/{name}")
        crawl.addresses += 1
        assert response.status_code == 200, name
        _file(crawl, name, response.getvalue())


def crawl_all(client: Client, world: World, built: Path) -> Crawl:
    crawl = Crawl()
    codes = [a.gss_code for a in (world.north, world.south, world.county, world.unitary)]
    _api(client, crawl, codes)
    _open_data(client, crawl, built)
    return crawl


def _build(settings: Any, tmp_path: Path) -> Path:
    settings.BUILD_DIR = tmp_path / "build"
    call_command("build_open_data", stdout=io.StringIO(), stderr=io.StringIO())
    return Path(settings.BUILD_DIR) / "opendata"


def test_no_date_after_the_last_published_year_in_the_api_or_open_data(
    client: Client, world: World, settings: Any, tmp_path: Path
) -> None:
    _embargoed(world)
    crawl = crawl_all(client, world, _build(settings, tmp_path))
    print(
        f"\nembargo crawl: {crawl.addresses} addresses, {crawl.api_rows} API rows, "
        f"{crawl.file_rows} open data rows, {crawl.dates} dates parsed, "
        f"{len(crawl.after)} after {CUTOFF}"
    )
    assert crawl.api_rows > 50 and crawl.file_rows > 200
    assert not crawl.after, crawl.after[:10]
    # The embargoed improvements are listed (their decision is public), without an outcome.
    assert crawl.outcomes and {o for _, o in crawl.outcomes} <= {None, ""}, crawl.outcomes[:5]


def test_the_same_crawl_finds_them_once_the_next_year_is_published(
    client: Client, world: World, settings: Any, tmp_path: Path
) -> None:
    _embargoed(world)
    ReviewYear.objects.filter(year="2020-21").update(publication_date="2020-12-01")
    cache.clear()
    crawl = crawl_all(client, world, _build(settings, tmp_path))
    found = {key for _, key, _ in crawl.after}
    assert {"public_report_date", "compliance_recorded", "recorded_date"} <= found, found
    assert {o for _, o in crawl.outcomes} == {"not_complied"}
