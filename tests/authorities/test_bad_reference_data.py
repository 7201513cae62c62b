"""Bad reference files: one clear message naming the file and the problem; nothing written."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from councilperf.authorities.models import Authority, AuthorityYear, Boundary
from councilperf.authorities.reference.files import ReferenceDataError
from councilperf.authorities.services import load_reference_data
from councilperf.years import ReportingYear

YEARS = ReportingYear.span("2019-20:2020-21")


@pytest.fixture
def copy_dir(reference_dir, tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(reference_dir, target)
    return target


def _snapshot():
    return (
        Authority.objects.count(),
        AuthorityYear.objects.count(),
        Boundary.objects.count(),
        list(AuthorityYear.objects.order_by("pk").values_list("population", flat=True)[:50]),
    )


@pytest.fixture
def loaded(db, reference_dir):
    load_reference_data(directory=reference_dir, years=YEARS)
    return _snapshot()


def _rewrite_csv(path: Path, change) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows = change(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def _fails(directory: Path, *expected: str) -> str:
    with pytest.raises(CommandError) as info:
        call_command("load_reference_data", dir=str(directory), years="2019-20:2020-21")
    message = str(info.value)
    for fragment in expected:
        assert fragment in message
    assert message.count("\n") == 0  # one message
    return message


def test_missing_column(loaded, copy_dir):
    register = copy_dir / "la_register" / "uk_local_authorities_current.csv"

    def drop_gss(rows):
        index = rows[0].index("gss-code")
        return [r[:index] + r[index + 1 :] for r in rows]

    _rewrite_csv(register, drop_gss)
    _fails(copy_dir, "uk_local_authorities_current.csv", "missing column gss-code")
    assert _snapshot() == loaded


def test_missing_population_column(loaded, copy_dir):
    path = copy_dir / "population" / "population20_ltla20.csv"
    _rewrite_csv(
        path, lambda rows: [[c.replace("total_population", "total") for c in rows[0]], *rows[1:]]
    )
    _fails(copy_dir, "population20_ltla20.csv", "missing column total_population")
    assert _snapshot() == loaded


def test_gss_code_matching_no_authority(loaded, copy_dir):
    path = copy_dir / "population" / "population19_ltla19.csv"

    def bad_code(rows):
        rows[1][0] = "E07999999"
        return rows

    _rewrite_csv(path, bad_code)
    _fails(copy_dir, "population19_ltla19.csv", "GSS code E07999999 matches no authority")
    assert _snapshot() == loaded


def test_malformed_geojson(loaded, copy_dir):
    path = copy_dir / "boundaries" / "boundaries_ltla20.geojson"
    path.write_text(path.read_text()[:5000], encoding="utf-8")
    _fails(copy_dir, "boundaries_ltla20.geojson", "is not valid GeoJSON")
    assert _snapshot() == loaded


def test_geojson_feature_without_geometry(loaded, copy_dir):
    path = copy_dir / "boundaries" / "boundaries_utla21.geojson"
    data = json.loads(path.read_text())
    data["features"][3]["geometry"] = None
    path.write_text(json.dumps(data))
    _fails(copy_dir, "boundaries_utla21.geojson", "feature 4", "has no polygon geometry")
    assert _snapshot() == loaded


def test_missing_directory(loaded, tmp_path):
    _fails(tmp_path / "nowhere", "nowhere", "directory not found")
    assert _snapshot() == loaded


def test_directory_that_is_a_file(loaded, tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("not a directory")
    _fails(path, "data.txt", "is not a directory")
    assert _snapshot() == loaded


def test_unreadable_file(loaded, copy_dir):
    path = copy_dir / "population" / "population20_utla20.csv"
    path.unlink()
    path.mkdir()  # a directory where a file should be: cannot be read as a file
    _fails(copy_dir, "population20_utla20.csv", "cannot be read")
    assert _snapshot() == loaded


def test_bad_date_in_register(loaded, copy_dir):
    register = copy_dir / "la_register" / "uk_local_authorities_current.csv"

    def bad_date(rows):
        column = rows[0].index("end-date")
        rows[5][column] = "31/03/2020"
        return rows

    _rewrite_csv(register, bad_date)
    _fails(copy_dir, "uk_local_authorities_current.csv", "line 6", "'31/03/2020' is not a date")
    assert _snapshot() == loaded


def test_error_type_names_file(copy_dir):
    (copy_dir / "la_register" / "uk_local_authorities_current.csv").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ReferenceDataError) as info:
        from councilperf.authorities.reference.files import read_register

        read_register(copy_dir)
    assert info.value.path.endswith("uk_local_authorities_current.csv")
