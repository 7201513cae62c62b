"""The import_casework command and the file format's accepted variations."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from councilperf.casework.models import Case, ComplianceOutcome, ImportRun, Recommendation
from councilperf.casework.parsing import Kind
from councilperf.casework.services import import_files
from tests.casework.builders import TODAY
from tests.casework.files import csv_text, rows, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

C, R, K = Kind.CASES, Kind.RECOMMENDATIONS, Kind.COMPLIANCE


@pytest.fixture
def files(tmp_path, borsetshire):
    return [
        write_csv(
            tmp_path / "cases.csv",
            rows(C, {}, {"reference": "19 100 002", "outcome": "not_upheld"}),
        ),
        write_csv(tmp_path / "recommendations.csv", rows(R, {}, {"kind": "training"})),
        write_csv(tmp_path / "compliance.csv", rows(K, {})),
    ]


def run(*args: object) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_casework", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_then_import_again(files):
    out, _ = run(*files, "--no-progress")

    assert "Cases: 2 added, 0 changed, 0 unchanged" in out
    assert "Recommendations: 2 added, 0 changed, 0 unchanged" in out
    assert "Compliance outcomes: 1 added, 0 changed, 0 unchanged" in out
    run_record = ImportRun.objects.get()
    assert [f["name"] for f in run_record.files] == [
        "cases.csv",
        "recommendations.csv",
        "compliance.csv",
    ]
    assert [f["kind"] for f in run_record.files] == ["cases", "recommendations", "compliance"]
    assert all(len(str(f["sha256"])) == 64 for f in run_record.files)
    assert run_record.source == "import_casework command"
    assert Case.objects.get(reference="19 100 001").dataset.slug == "ombudsman"

    out, _ = run(*files)

    assert "Cases: 0 added, 0 changed, 2 unchanged" in out
    assert "Recommendations: 0 added, 0 changed, 2 unchanged" in out
    assert ImportRun.objects.count() == 2


def test_dry_run_writes_nothing(files):
    out, _ = run(*files, "--dry-run")

    assert out.startswith("Dry run: nothing was written.")
    assert "Cases: 2 added, 0 changed, 0 unchanged" in out
    assert Case.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_a_corrected_file_updates_the_records_it_names(files, tmp_path):
    run(*files)
    corrected = write_csv(tmp_path / "corrected.csv", rows(C, {"summary": "Corrected."}))

    out, _ = run(corrected)

    assert "Cases: 0 added, 1 changed, 0 unchanged" in out
    assert Case.objects.get(reference="19 100 001").summary == "Corrected."
    assert Case.objects.get(reference="19 100 002").outcome == "not_upheld"
    assert Recommendation.objects.count() == 2


def test_problems_fail_the_command_and_are_all_listed(files, tmp_path):
    bad = write_csv(
        tmp_path / "bad.csv",
        rows(
            C,
            {"reference": "19 100 004", "outcome": "won"},
            {"reference": "19 100 003", "authority_code": "E0"},
        ),
    )

    with pytest.raises(CommandError, match=r"2 problem\(s\) in the files; nothing was imported"):
        run(files[0], bad)

    assert Case.objects.count() == 0


def test_problems_are_written_to_stderr(tmp_path, borsetshire):
    bad = write_csv(tmp_path / "bad.csv", rows(C, {"outcome": "won"}))
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_casework", str(bad), stderr=err)

    assert err.getvalue().splitlines()[:2] == [
        "Found 1 problem; nothing was imported.",
        '- bad.csv, row 2, column outcome: "won": not an outcome; use one of: '
        "invalid_or_incomplete (Incomplete/Invalid); advice_given (Advice given); "
        "referred_back_for_local_resolution (Referred back for local resolution); "
        "closed_after_initial_enquiries (Closed after initial enquiries); "
        "not_upheld (Not upheld); upheld (Upheld)",
    ]


def test_missing_file(tmp_path, borsetshire):
    with pytest.raises(CommandError, match=r"No such file: .*nowhere\.csv"):
        run(tmp_path / "nowhere.csv")


# Accepted variations -------------------------------------------------------------------------


def test_a_device_named_csv_is_not_a_regular_file(tmp_path, borsetshire):
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")
    for given in (zero, tmp_path):  # a device behind a .csv name; a directory
        with pytest.raises(CommandError) as raised:
            call_command("import_casework", str(given), stdout=StringIO())
        assert str(raised.value) == (
            f"Not a regular file (a device, a pipe or a directory): {given}"
        )
    assert not Case.objects.exists()


def test_bom_labels_uk_dates_any_column_order_and_case(tmp_path, borsetshire):
    table = rows(
        C,
        {
            "received_date": "01/05/2019",
            "decision_date": "1/9/2019",
            "service_area": "planning and development",
            "outcome": "Upheld",
            "remedied_by_authority": "YES",
        },
        {
            "reference": "19 100 002",
            "service_area": "Education & children's services",
            "outcome": "closed after initial enquiries",
            "remedied_by_authority": "",
        },
    )
    table = [line[::-1] for line in table]
    table[0] = [name.upper() for name in table[0]]
    path = tmp_path / "cases.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text(table).encode())

    summary = import_files(paths=[path], dataset=_dataset(), today=TODAY)

    assert summary.cases.added == 2
    first = Case.objects.get(reference="19 100 001")
    assert (first.received_date, first.decision_date) == (dt.date(2019, 5, 1), dt.date(2019, 9, 1))
    assert (first.service_area, first.outcome, first.remedied_by_authority) == (
        "planning_and_development",
        "upheld",
        True,
    )
    second = Case.objects.get(reference="19 100 002")
    assert (second.service_area, second.outcome) == (
        "education_and_childrens",
        "closed_after_initial_enquiries",
    )


def test_xlsx_with_typed_cells_and_an_empty_second_sheet(tmp_path, borsetshire):
    table: list[list[object]] = [list(line) for line in rows(C, {})]
    table[1][2] = dt.datetime(2019, 5, 1)
    table[1][3] = dt.date(2019, 9, 1)
    table[1][6] = True
    recs: list[list[object]] = [list(line) for line in rows(R, {})]
    recs[1][4] = 1
    cases = write_xlsx(tmp_path / "cases.xlsx", table, [])
    recommendations = write_xlsx(tmp_path / "recs.xlsx", recs)

    summary = import_files(paths=[cases, recommendations], dataset=_dataset(), today=TODAY)

    assert (summary.cases.added, summary.recommendations.added) == (1, 1)
    case = Case.objects.get()
    assert (case.received_date, case.remedied_by_authority) == (dt.date(2019, 5, 1), True)
    assert Recommendation.objects.get().service_improvement is True


def test_blank_rows_and_trailing_commas_are_ignored(tmp_path, borsetshire):
    path = tmp_path / "compliance.csv"
    write_csv(tmp_path / "cases.csv", rows(C, {}))
    path.write_text(
        "reference,recorded_date,outcome,,\n\n19 100 001,2019-11-01,Complied late,,\n\n"
    )

    summary = import_files(paths=[tmp_path / "cases.csv", path], dataset=_dataset(), today=TODAY)

    assert summary.compliance.added == 1
    assert ComplianceOutcome.objects.get().outcome == "complied_late"


def _dataset():
    from tests.factories import make_dataset

    return make_dataset()
