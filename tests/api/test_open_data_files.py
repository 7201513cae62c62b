"""The open data files: built ahead by build_open_data, valid Frictionless Data Packages,
served for published years only, never written on a request."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from councilperf.published import figures
from councilperf.years import ReportingYear
from tests.site.conftest import World

pytestmark = pytest.mark.django_db
FRICTIONLESS = Path(sys.executable).with_name("frictionless")


@pytest.fixture
def built(settings: Any, tmp_path: Path) -> Path:
    settings.BUILD_DIR = tmp_path / "build"
    return Path(settings.BUILD_DIR) / "opendata"


def body(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.getvalue()


def build() -> str:
    out = io.StringIO()
    call_command("build_open_data", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_nothing_is_served_until_built_and_no_request_writes(
    client: Client, world: World, built: Path
) -> None:
    assert client.get("/downloads/2019-20/decisions.csv").status_code == 404
    assert not built.exists()
    build()
    before = sorted(p.relative_to(built) for p in built.rglob("*"))
    response = client.get("/downloads/2019-20/decisions.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert sorted(p.relative_to(built) for p in built.rglob("*")) == before


@pytest.mark.parametrize(
    "name",
    [
        "statistics.json",
        "decisions.csv",
        "decisions.xlsx",
        "service-improvements.json",
        "compliance.csv",
        "authorities.csv",
        "datapackage.json",
        "council-performance-2020-21.zip",
    ],
)
def test_unpublished_years_files_are_404_even_when_built(
    client: Client, world: World, built: Path, name: str
) -> None:
    build()
    assert not (built / "2020-21").exists()  # never built for a year not published
    assert client.get(f"/downloads/2020-21/{name}").status_code == 404
    assert client.get(f"/downloads/2021-22/{name}").status_code == 404


def test_files_hold_the_published_cases_only(client: Client, world: World, built: Path) -> None:
    build()
    rows = list(
        csv.DictReader(io.StringIO(body(client, "/downloads/2019-20/decisions.csv").decode()))
    )
    assert len(rows) == 3 + 18 + 6 + 1
    assert all("Secret" not in r["summary"] for r in rows)
    improvements = json.loads(body(client, "/downloads/2019-20/service-improvements.json"))
    assert {
        (r["case_reference"], r["compliance"])
        for r in improvements
        if r["authority_code"] == world.south.gss_code
    } == {
        (r["case_reference"], "complied")
        for r in improvements
        if r["authority_code"] == world.south.gss_code
    }
    assert len(improvements) == 3
    archive = zipfile.ZipFile(
        io.BytesIO(body(client, "/downloads/2019-20/council-performance-2019-20.zip"))
    )
    names = {Path(n).name for n in archive.namelist()}
    assert {"datapackage.json", "decisions.csv", "statistics.xlsx", "compliance.json"} <= names


@pytest.mark.slow
def test_every_years_data_package_is_valid(client: Client, demo_data: None, built: Path) -> None:
    output = build()
    years = figures.published_years()
    assert len(years) == 7 and output.count("revision 1") == 7
    for year in years:
        descriptor = built / year.label / "r1" / "datapackage.json"
        package = json.loads(descriptor.read_text())
        assert package["synthetic"] is True and package["licenses"][0]["name"] == "OGL-UK-3.0"
        report = validate(descriptor)
        assert report["valid"], (
            year,
            report["errors"][:3],
            [t["errors"][:3] for t in report["tasks"]],
        )
        assert len(report["tasks"]) == 8


def test_downloads_page_lists_files_sizes_and_dictionary(
    client: Client, world: World, built: Path
) -> None:
    assert "being prepared" in client.get("/downloads/").content.decode()
    build()
    page = client.get("/downloads/").content.decode()
    size = (built / "2019-20" / "r1" / "decisions.csv").stat().st_size
    assert 'href="/downloads/2019-20/decisions.csv"' in page
    assert "/downloads/2020-21/" not in page
    assert f"{size / 1024:.1f}\xa0KB" in page
    for column in ("statement_url", "compliance_recorded", "recorded_date", "slug"):
        assert f"<code>{column}</code>" in page


def validate(descriptor: Path) -> dict[str, Any]:
    result = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", str(descriptor)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def test_method_notes_are_in_the_data_package_and_the_zip(
    client: Client, world: World, built: Path
) -> None:
    from councilperf.statistics.models import MethodNote

    MethodNote.objects.create(year="2019-20", text="Remedies counted from this year.")
    MethodNote.objects.create(
        year="2019-20", measure="upheld_rate", group="district", text='Districts\' "upheld", new'
    )
    MethodNote.objects.create(year="2020-21", text="Secret: a note of an unpublished year")
    build()
    expected = [
        {
            "year": "2019-20",
            "number": 1,
            "measure": "",
            "group": "",
            "text": "Remedies counted from this year.",
        },
        {
            "year": "2019-20",
            "number": 2,
            "measure": "upheld_rate",
            "group": "district",
            "text": 'Districts\' "upheld", new',
        },
    ]
    api = client.get("/api/v1/years/2019-20").json()["method_notes"]
    assert api == [{k: n[k] for k in ("measure", "group", "text")} for n in expected]
    rows = list(
        csv.DictReader(io.StringIO(body(client, "/downloads/2019-20/method-notes.csv").decode()))
    )
    assert rows == [{k: str(v) for k, v in n.items()} for n in expected]
    assert json.loads(body(client, "/downloads/2019-20/method-notes.json")) == expected
    descriptor = json.loads(body(client, "/downloads/2019-20/datapackage.json"))
    assert descriptor["method_notes"] == expected
    assert "method-notes" in [r["name"] for r in descriptor["resources"]]
    archive = zipfile.ZipFile(
        io.BytesIO(body(client, "/downloads/2019-20/council-performance-2019-20.zip"))
    )
    inside = archive.read("council-performance-2019-20/method-notes.csv").decode()
    assert "Remedies counted" in inside and "Secret" not in inside
    report = validate(built / "2019-20" / "r1" / "datapackage.json")
    assert report["valid"], [t["errors"][:3] for t in report["tasks"]]
    assert len(report["tasks"]) == 8
    assert "<code>measure</code>" in client.get("/downloads/").content.decode()


def test_the_validator_catches_a_broken_foreign_key(world: World, built: Path) -> None:
    build()
    descriptor = built / "2019-20" / "r1" / "datapackage.json"
    assert validate(descriptor)["valid"]
    decisions = descriptor.with_name("decisions.csv")
    text = decisions.read_text()
    decisions.write_text(text.replace(world.south.gss_code, "E99999999", 1))
    report = validate(descriptor)
    assert not report["valid"]
    errors = [e["type"] for t in report["tasks"] for e in t["errors"]]
    assert "foreign-key" in errors


def test_each_revision_is_offered(client: Client, world: World, built: Path) -> None:
    from councilperf.statistics.services import correct_statistics
    from tests.site.conftest import decide

    decide(world.north, "upheld")  # a late decision: the correction counts it
    correct_statistics(year=ReportingYear(2019), reason="A decision recorded late")
    cache.clear()
    build()
    latest = list(
        csv.DictReader(
            io.StringIO(client.get("/downloads/2019-20/statistics.csv").content.decode())
        )
    )
    first = list(
        csv.DictReader(
            io.StringIO(body(client, "/downloads/2019-20/revisions/1/statistics.csv").decode())
        )
    )
    north = world.north.gss_code
    assert {r["revision"] for r in latest} == {"2"} and {r["revision"] for r in first} == {"1"}
    assert [r["upheld"] for r in first if r["authority_code"] == north] == ["0"]
    assert [r["upheld"] for r in latest if r["authority_code"] == north] == ["1"]
    assert body(client, "/downloads/2019-20/revisions/1/statistics.xlsx")[:2] == b"PK"
    assert client.get("/downloads/2019-20/revisions/2/statistics.csv").status_code == 404
    assert client.get("/downloads/2019-20/revisions/1/decisions.csv").status_code == 404
    page = client.get("/downloads/").content.decode()
    assert "Revision 1 (superseded)" in page
    assert 'href="/downloads/2019-20/revisions/1/statistics.csv"' in page


def test_a_full_disk_is_one_sentence_and_leaves_the_built_files_as_they_were(
    world: World, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from django.core.management.base import CommandError

    from councilperf.api import builds

    build()
    before = {p.relative_to(built): p.read_bytes() for p in built.rglob("*") if p.is_file()}

    def full(resource: Any, rows: Any, out: Path) -> None:
        out.write_bytes(b"PK half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device", str(out))

    monkeypatch.setattr(builds, "write_xlsx", full)
    with pytest.raises(CommandError) as raised:
        build()
    message = str(raised.value)
    assert message.startswith("open data for 2019-20: the disk is full writing ")
    assert str(built / "2019-20") in message and " free)" in message
    after = {p.relative_to(built): p.read_bytes() for p in built.rglob("*") if p.is_file()}
    assert after == before  # the old files whole, nothing half-written beside them
    assert sorted(p.name for p in built.iterdir()) == ["2019-20", "all-years"]


def test_the_data_package_says_when_it_was_published(
    client: Client, world: World, built: Path
) -> None:
    """The moment of publication, date and time: 29 July 2020 at 09:30 in London (British
    Summer Time) is 08:30 UTC."""
    build()
    descriptor = json.loads(body(client, "/downloads/2019-20/datapackage.json"))
    assert descriptor["created"] == "2020-07-29T08:30:00Z"
