"""The statistics commands: compute, export (csv, json, xlsx), freeze, correct."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from councilperf.authorities.models import Authority
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.selectors import EXPORT_COLUMNS
from tests.factories import make_authority, make_case, make_dataset

pytestmark = pytest.mark.django_db

D = dt.date


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def authorities() -> tuple[Authority, Authority]:
    a = make_authority(name="Borsetshire", years=("2019-20", "2020-21"))
    b = make_authority(name="Quietshire", years=("2019-20",))
    for outcome in ("upheld", "upheld", "not_upheld"):
        make_case(authority=a, decision_date=D(2019, 6, 1), outcome=outcome)
    return a, b


def test_compute_one_year_prints_a_summary(authorities: tuple[Authority, Authority]) -> None:
    out, _ = run("compute_statistics", "--year", "2019-20")
    assert "2019-20 (draft, pooled peer averages)" in out
    assert "2 authorities" in out and "3 decisions" in out and "2 upheld (67%)" in out
    assert ReviewYear.objects.get(year="2019-20").status == "draft"


def test_compute_all_and_synthetic_note(authorities: tuple[Authority, Authority]) -> None:
    a, _ = authorities
    make_case(
        authority=a,
        decision_date=D(2020, 6, 1),
        outcome="upheld",
        dataset=make_dataset(synthetic=True),
    )
    out, _ = run("compute_statistics", "--all")
    assert "2019-20" in out and "2020-21 (draft, pooled peer averages) — SYNTHETIC" in out
    assert set(ReviewYear.objects.values_list("year", flat=True)) == {"2019-20", "2020-21"}


def test_compute_rejects_bad_year() -> None:
    with pytest.raises(CommandError):
        run("compute_statistics", "--year", "2019-21")


def test_export_csv_json_xlsx(authorities: tuple[Authority, Authority], tmp_path: Path) -> None:
    a, b = authorities
    run("compute_statistics", "--year", "2019-20")
    run(
        "export_statistics",
        "--year",
        "2019-20",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "s.csv"),
    )
    with (tmp_path / "s.csv").open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == EXPORT_COLUMNS
        rows = {r["authority_code"]: r for r in reader}
    assert float(rows[a.gss_code]["upheld_rate"]) == 2 / 3
    assert rows[b.gss_code]["upheld_rate"] == ""  # undefined: blank
    assert rows[b.gss_code]["decisions_made"] == "0"
    assert rows[a.gss_code]["revision"] == ""  # a draft
    assert rows[a.gss_code]["peer_method"] == "pooled"

    out, _ = run("export_statistics", "--year", "2019-20", "--format", "json")
    data = json.loads(out)
    assert [list(r) for r in data] == [list(EXPORT_COLUMNS)] * 2
    assert {r["authority_code"]: r["upheld_rate"] for r in data}[b.gss_code] is None

    run("freeze_statistics", "--year", "2019-20", "--publication-date", "2020-07-29")
    target = tmp_path / "s.xlsx"
    run("export_statistics", "--year", "2019-20", "--format", "xlsx", "--out", str(target))
    sheet = load_workbook(target).active
    assert sheet is not None
    values = list(sheet.values)
    assert values[0] == EXPORT_COLUMNS
    by_code = {r[1]: dict(zip(EXPORT_COLUMNS, r, strict=True)) for r in values[1:]}
    assert by_code[a.gss_code]["revision"] == 1
    assert by_code[a.gss_code]["upheld_rate"] == pytest.approx(2 / 3, abs=0)
    assert by_code[b.gss_code]["upheld_rate"] is None
    for row in by_code.values():
        for column in ("upheld_rate", "upheld_rate_lower", "upheld_rate_upper", "compliance_rate"):
            value = row[column]
            assert value is None or 0 <= value <= 1  # type: ignore[operator]


def test_export_xlsx_needs_out(authorities: tuple[Authority, Authority]) -> None:
    run("compute_statistics", "--year", "2019-20")
    with pytest.raises(CommandError):
        run("export_statistics", "--year", "2019-20", "--format", "xlsx")


def test_export_without_statistics() -> None:
    with pytest.raises(CommandError):
        run("export_statistics", "--year", "2019-20")


def test_freeze_and_correct_commands(authorities: tuple[Authority, Authority]) -> None:
    a, _ = authorities
    out, _ = run(
        "freeze_statistics",
        "--year",
        "2019-20",
        "--letter-date",
        "2020-07-22",
        "--publication-date",
        "2020-07-29",
        "--confirm-past",  # a publication date already past is kept only when confirmed
    )
    assert "2019-20 frozen as revision 1 (2 authorities" in out
    review_year = ReviewYear.objects.get(year="2019-20")
    assert review_year.publication_date == D(2020, 7, 29)
    with pytest.raises(CommandError):
        run("compute_statistics", "--year", "2019-20")
    make_case(authority=a, decision_date=D(2019, 9, 1), outcome="not_upheld")
    out, _ = run("correct_statistics", "--year", "2019-20", "--reason", "Late record")
    # Borsetshire's counts changed, and with them the district average Quietshire is shown.
    assert "revision 2 recorded: Late record (2 authorities' figures changed" in out
    out, _ = run("export_statistics", "--year", "2019-20", "--format", "json", "--revision", "1")
    assert {r["revision"] for r in json.loads(out)} == {1}
    out, _ = run("compute_statistics", "--all")
    assert "2019-20: frozen, skipped" in out


def test_freeze_a_span_skipping_frozen_years(authorities: tuple[Authority, Authority]) -> None:
    run("freeze_statistics", "--year", "2019-20")
    with pytest.raises(CommandError, match="already frozen"):
        run("freeze_statistics", "--year", "2019-20:2020-21")
    assert not ReviewYear.objects.filter(year="2020-21", status=ReviewYear.Status.FROZEN).exists()
    out, _ = run("freeze_statistics", "--year", "2019-20:2020-21", "--skip-frozen")
    assert "2019-20 is already frozen: left alone" in out
    assert "2020-21 frozen as revision 1 (1 authorities" in out
    assert ReviewYear.objects.get(year="2019-20").revisions.count() == 1
    with pytest.raises(CommandError, match="one year at a time"):
        run("freeze_statistics", "--year", "2019-20:2020-21", "--publication-date", "2021-07-01")
