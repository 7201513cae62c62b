"""Export writes the import format: import → export → import again changes nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from councilperf.casework.exporting import export_casework
from councilperf.casework.models import Case, ImportRun
from councilperf.casework.parsing import Kind
from councilperf.casework.services import import_files, import_records
from councilperf.years import ReportingYear
from tests.casework.builders import TODAY, case, compliance, recommendation
from tests.casework.files import rows, write_csv

pytestmark = pytest.mark.django_db

CODE = "E07999001"


def _year_of_casework(dataset):
    import_records(
        cases=[
            case(
                "19 000 001",
                CODE,
                remedied_by_authority=True,
                summary='Said "sorry", late.',
                statement_url="https://example.org/19000001",
                public_report_date=dt.date(2019, 12, 1),
            ),
            case(
                "19 000 002",
                CODE,
                outcome="not_upheld",
                service_area="adult_care",
                summary="Ümlaut, comma\nand a new line.",
            ),
            case(
                "20 000 003",
                CODE,
                received_date=dt.date(2020, 3, 1),
                decision_date=dt.date(2020, 4, 2),
            ),
            case(
                "20 000 004",
                CODE,
                received_date=dt.date(2020, 3, 15),
                decision_date=None,
                outcome="",
                service_area="",
            ),
        ],
        recommendations=[
            recommendation("19 000 001", kind="financial_redress", description="Pay £150."),
            recommendation("19 000 001", kind="training", service_improvement=True),
            recommendation("20 000 003", kind="procedure_change", due_date=dt.date(2020, 6, 1)),
        ],
        compliance=[compliance("19 000 001", outcome="complied_late")],
        dataset=dataset,
        today=TODAY,
    )


def test_round_trip_changes_nothing(tmp_path, borsetshire, dataset):
    _year_of_casework(dataset)

    exported = export_casework(directory=tmp_path)
    summary = import_files(paths=[e.path for e in exported], dataset=dataset, today=TODAY)

    assert [(e.path.name, e.rows) for e in exported] == [
        ("cases.csv", 4),
        ("recommendations.csv", 3),
        ("compliance.csv", 1),
    ]
    assert str(summary.cases) == "0 added, 0 changed, 4 unchanged"
    assert str(summary.recommendations) == "0 added, 0 changed, 3 unchanged"
    assert str(summary.compliance) == "0 added, 0 changed, 1 unchanged"


def test_round_trip_from_files_through_the_commands(tmp_path, borsetshire):
    source = tmp_path / "in"
    source.mkdir()
    files = [
        write_csv(
            source / "c.csv", rows(Kind.CASES, {"outcome": "Upheld", "received_date": "01/05/2019"})
        ),
        write_csv(source / "r.csv", rows(Kind.RECOMMENDATIONS, {"kind": "Training"})),
        write_csv(source / "k.csv", rows(Kind.COMPLIANCE, {"outcome": "Not complied"})),
    ]
    call_command("import_casework", *map(str, files), stdout=StringIO())

    out = StringIO()
    call_command("export_casework", "--year", "2019-20", "--out", str(tmp_path / "out"), stdout=out)
    exported = sorted((tmp_path / "out").iterdir())
    again = StringIO()
    call_command("import_casework", *map(str, exported), stdout=again)

    assert "cases-2019-20.csv: 1 cases" in out.getvalue()
    assert "Cases: 0 added, 0 changed, 1 unchanged" in again.getvalue()
    assert "Recommendations: 0 added, 0 changed, 1 unchanged" in again.getvalue()
    assert "Compliance outcomes: 0 added, 0 changed, 1 unchanged" in again.getvalue()
    assert ImportRun.objects.count() == 2


def test_exported_file_is_exactly_the_import_format(tmp_path, borsetshire, dataset):
    _year_of_casework(dataset)

    export_casework(directory=tmp_path, year=ReportingYear(2019))

    lines = (tmp_path / "cases-2019-20.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "reference,authority_code,received_date,decision_date,service_area,outcome,"
        "remedied_by_authority,public_report_date,summary,statement_url"
    )
    assert lines[1] == (
        "19 000 001,E07999001,2019-05-01,2019-09-01,housing,upheld,true,2019-12-01,"
        '"Said ""sorry"", late.",https://example.org/19000001'
    )
    assert (tmp_path / "compliance-2019-20.csv").read_text().splitlines() == [
        "reference,recorded_date,outcome",
        "19 000 001,2019-11-01,complied_late",
    ]


def test_a_year_holds_its_decisions_and_its_undecided_receipts(tmp_path, borsetshire, dataset):
    _year_of_casework(dataset)

    by_year = {}
    for label in ("2019-20", "2020-21"):
        files = export_casework(directory=tmp_path / label, year=ReportingYear.parse(label))
        by_year[label] = [(f.kind.value, f.rows) for f in files]

    # 20 000 004 was received in 2019-20 and is undecided; 20 000 003 was decided in 2020-21.
    assert by_year["2019-20"] == [("cases", 3), ("recommendations", 2), ("compliance", 1)]
    # No compliance outcome in 2020-21: no file (a header alone would not import again).
    assert by_year["2020-21"] == [("cases", 1), ("recommendations", 1)]
    assert Case.objects.count() == 4


def test_export_rejects_a_bad_year(tmp_path, db):
    with pytest.raises(CommandError, match="not a reporting year"):
        call_command("export_casework", "--year", "2019", "--out", str(tmp_path))


def test_a_year_without_recommendations_or_compliance_imports_again_as_it_is(tmp_path, borsetshire):
    source = write_csv(tmp_path / "c.csv", rows(Kind.CASES, {"outcome": "not_upheld"}))
    call_command("import_casework", str(source), stdout=StringIO())
    out = tmp_path / "out"
    out.mkdir()
    (out / "compliance-2019-20.csv").write_text("left from an older export")

    said = StringIO()
    call_command("export_casework", "--year", "2019-20", "--out", str(out), stdout=said)
    again = StringIO()
    call_command("import_casework", *map(str, sorted(out.iterdir())), stdout=again)

    assert [p.name for p in out.iterdir()] == ["cases-2019-20.csv"]
    assert "Nothing to export, so no file: recommendations, compliance" in said.getvalue()
    assert "Cases: 0 added, 0 changed, 1 unchanged" in again.getvalue()
