"""Bad input is rejected with a plain message naming file, row, column and value, and the
database is left exactly as it was. One test per kind of mistake (the issue's list and more).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from councilperf.casework.models import Case, ComplianceOutcome, ImportRun, Recommendation
from councilperf.casework.parsing import Kind
from councilperf.casework.problems import CaseworkValidationError, Problem
from councilperf.casework.services import import_files, import_records
from tests.casework.builders import TODAY, case, compliance, recommendation
from tests.casework.files import CODE, rows, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

C, R, K = Kind.CASES, Kind.RECOMMENDATIONS, Kind.COMPLIANCE
OLD_CODE = "E07999002"  # Felpersham, abolished on 31 March 2019


@pytest.fixture
def stored(borsetshire, felpersham, dataset):
    """A database that already holds some casework: it must survive every bad import."""
    import_records(
        cases=[
            case("19 000 001", CODE),
            case("19 000 002", CODE, outcome="not_upheld"),
            case(
                "18 000 003",
                OLD_CODE,
                received_date=dt.date(2018, 5, 1),
                decision_date=dt.date(2018, 9, 1),
            ),
        ],
        recommendations=[recommendation("19 000 001")],
        compliance=[compliance("19 000 001")],
        dataset=dataset,
        today=TODAY,
    )
    return snapshot()


def snapshot():
    return (
        sorted(Case.objects.values_list()),
        sorted(Recommendation.objects.values_list()),
        sorted(ComplianceOutcome.objects.values_list()),
        sorted(ImportRun.objects.values_list("id", flat=True)),
    )


def rejected(paths: list[Path], dataset, stored) -> list[Problem]:
    with pytest.raises(CaseworkValidationError) as raised:
        import_files(paths=paths, dataset=dataset, today=TODAY)
    assert snapshot() == stored, "a rejected import changed the database"
    return raised.value.errors


def only(errors: list[Problem]) -> Problem:
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


# One file, one mistake: (kind, changed values, column, offending value, words of the message)
ONE_ROW = [
    pytest.param(
        C,
        {"authority_code": "E07000000"},
        "authority_code",
        "E07000000",
        "no authority has this GSS code",
        id="unknown-authority",
    ),
    pytest.param(
        C,
        {"authority_code": ""},
        "authority_code",
        "",
        "the authority code is blank",
        id="blank-authority",
    ),
    pytest.param(
        C,
        {"authority_code": OLD_CODE},
        "authority_code",
        OLD_CODE,
        "Felpersham Council did not exist on the decision date 01/09/2019 "
        "(it existed from 01/04/1974 until 31/03/2019)",
        id="authority-gone-by-decision",
    ),
    pytest.param(
        C,
        {"authority_code": OLD_CODE, "decision_date": "", "outcome": "", "service_area": ""},
        "authority_code",
        OLD_CODE,
        "did not exist on the received date 01/05/2019",
        id="authority-gone-undecided",
    ),
    pytest.param(
        C,
        {"received_date": "next tuesday"},
        "received_date",
        "next tuesday",
        "not a date: write dates as YYYY-MM-DD",
        id="unparseable-date",
    ),
    pytest.param(
        C,
        {"received_date": "2019-02-30"},
        "received_date",
        "2019-02-30",
        "there is no such day",
        id="impossible-iso-date",
    ),
    pytest.param(
        C,
        {"decision_date": "31/04/2019"},
        "decision_date",
        "31/04/2019",
        "there is no such day",
        id="impossible-uk-date",
    ),
    pytest.param(
        C,
        {"received_date": "01/05/19"},
        "received_date",
        "01/05/19",
        "not a date",
        id="two-digit-year",
    ),
    pytest.param(
        C,
        {"received_date": "2019-5-1"},
        "received_date",
        "2019-5-1",
        "not a date",
        id="iso-date-without-leading-zeros",
    ),
    pytest.param(
        C,
        {"received_date": ""},
        "received_date",
        "",
        "is blank; this date is required",
        id="blank-received-date",
    ),
    pytest.param(
        C,
        {"received_date": "1901-05-01"},
        "received_date",
        "1901-05-01",
        "before 1974, when the ombudsman began work",
        id="date-before-the-ombudsman",
    ),
    pytest.param(
        C,
        {"decision_date": "2019-04-30"},
        "decision_date",
        "2019-04-30",
        "the decision date is before the received date (01/05/2019)",
        id="decision-before-received",
    ),
    pytest.param(
        C,
        {"received_date": "2021-06-02", "decision_date": "", "outcome": "", "service_area": ""},
        "received_date",
        "2021-06-02",
        "is in the future (today is 01/06/2021)",
        id="future-received",
    ),
    pytest.param(
        C,
        {"decision_date": "2030-01-01"},
        "decision_date",
        "2030-01-01",
        "is in the future",
        id="future-decision",
    ),
    pytest.param(
        C,
        {"outcome": "partly upheld"},
        "outcome",
        "partly upheld",
        "not an outcome; use one of: invalid_or_incomplete (Incomplete/Invalid)",
        id="unknown-outcome",
    ),
    pytest.param(
        C,
        {"service_area": "Parks"},
        "service_area",
        "Parks",
        "not a service area; use one of: adult_care (Adult care services)",
        id="unknown-service-area",
    ),
    pytest.param(
        C,
        {"outcome": "not_upheld", "remedied_by_authority": "yes"},
        "remedied_by_authority",
        "true",
        "only an upheld decision can be remedied by the authority",
        id="remedied-but-not-upheld",
    ),
    pytest.param(
        C,
        {"remedied_by_authority": "maybe"},
        "remedied_by_authority",
        "maybe",
        "not a yes/no value",
        id="not-a-boolean",
    ),
    pytest.param(
        C,
        {"outcome": ""},
        "outcome",
        "",
        "a decided case (with a decision date) needs an outcome",
        id="decided-without-outcome",
    ),
    pytest.param(
        C,
        {"service_area": ""},
        "service_area",
        "",
        "needs a service area",
        id="decided-without-service-area",
    ),
    pytest.param(
        C,
        {"decision_date": "", "service_area": ""},
        "outcome",
        "upheld",
        "an outcome needs a decision date",
        id="outcome-without-decision",
    ),
    pytest.param(
        C,
        {"summary": "x" * 10_001},
        "summary",
        "x" * 10_001,
        "the summary is 10,001 characters long; the most allowed is 10,000",
        id="summary-too-long",
    ),
    pytest.param(
        C,
        {"statement_url": "www.example.org/decision"},
        "statement_url",
        "www.example.org/decision",
        "not a web address",
        id="bad-statement-url",
    ),
    pytest.param(
        C,
        {"statement_url": "https://example.org/" + "a" * 500},
        "statement_url",
        "https://example.org/" + "a" * 500,
        "the most allowed is 500",
        id="statement-url-too-long",
    ),
    pytest.param(
        C,
        {"reference": "19 100 001 AND SOME MORE"},
        "reference",
        "19 100 001 AND SOME MORE",
        "a reference has at most 20 characters",
        id="reference-too-long",
    ),
    pytest.param(
        C, {"reference": ""}, "reference", "", "the reference is blank", id="blank-reference"
    ),
    pytest.param(
        C,
        {"public_report_date": "2019-08-01"},
        "public_report_date",
        "2019-08-01",
        "the public report is dated before the decision (01/09/2019)",
        id="report-before-decision",
    ),
    pytest.param(
        R,
        {"reference": "19 999 999"},
        "reference",
        "19 999 999",
        "no case has this reference, in the cases file(s) or the database",
        id="recommendation-unknown-case",
    ),
    pytest.param(
        R,
        {"reference": "19 000 002"},
        "reference",
        "19 000 002",
        "recommendations are made only on upheld decisions; this case's outcome is “not_upheld”",
        id="recommendation-not-upheld",
    ),
    pytest.param(
        R,
        {"reference": "19 000 001", "kind": "hug"},
        "kind",
        "hug",
        "not a kind of recommendation; use one of: apology (Apology)",
        id="unknown-recommendation-kind",
    ),
    pytest.param(
        R,
        {"reference": "19 000 001", "due_date": "2019-08-31"},
        "due_date",
        "2019-08-31",
        "the recommendation is due before the decision (01/09/2019)",
        id="due-before-decision",
    ),
    pytest.param(
        R,
        {"reference": "19 000 001", "due_date": ""},
        "due_date",
        "",
        "is blank; this date is required",
        id="blank-due-date",
    ),
    pytest.param(
        R,
        {"reference": "19 000 001", "description": "y" * 2001},
        "description",
        "y" * 2001,
        "the most allowed is 2,000",
        id="description-too-long",
    ),
    pytest.param(
        R,
        {"reference": "19 000 001", "service_improvement": "perhaps"},
        "service_improvement",
        "perhaps",
        "not a yes/no value",
        id="service-improvement-not-boolean",
    ),
    pytest.param(
        K,
        {"reference": "19 999 999"},
        "reference",
        "19 999 999",
        "no case has this reference",
        id="compliance-unknown-case",
    ),
    pytest.param(
        K,
        {"reference": "19 000 002"},
        "reference",
        "19 000 002",
        "compliance is recorded only on upheld decisions",
        id="compliance-not-upheld",
    ),
    pytest.param(
        K,
        {"reference": "19 000 001", "recorded_date": "2019-08-01"},
        "recorded_date",
        "2019-08-01",
        "compliance is recorded before the decision (01/09/2019)",
        id="compliance-before-decision",
    ),
    pytest.param(
        K,
        {"reference": "19 000 001", "recorded_date": "2022-01-01"},
        "recorded_date",
        "2022-01-01",
        "is in the future",
        id="future-compliance",
    ),
    pytest.param(
        K,
        {"reference": "19 000 001", "outcome": "partly complied"},
        "outcome",
        "partly complied",
        "not a compliance outcome; use one of: complied (Complied)",
        id="unknown-compliance-outcome",
    ),
]


@pytest.mark.parametrize(("kind", "change", "column", "value", "words"), ONE_ROW)
def test_one_bad_value(tmp_path, dataset, stored, kind, change, column, value, words):
    good = {C: {"reference": "19 100 002"}, R: {"reference": "19 000 001"}}.get(
        kind, {"reference": "18 000 003"}
    )
    path = write_csv(tmp_path / f"{kind}.csv", rows(kind, good, change))

    problem = only(rejected([path], dataset, stored))

    assert (problem.file, problem.row, problem.column) == (f"{kind}.csv", 3, column)
    assert problem.value == value
    assert words in problem.message
    assert str(problem).startswith(f"{kind}.csv, row 3, column {column}: ")


def test_public_report_on_an_undecided_case(tmp_path, dataset, stored):
    change = {
        "decision_date": "",
        "outcome": "",
        "service_area": "",
        "public_report_date": "2019-10-01",
    }
    path = write_csv(tmp_path / "cases.csv", rows(C, change))

    problem = only(rejected([path], dataset, stored))

    assert (problem.column, problem.message) == (
        "public_report_date",
        "a public report needs a decision date",
    )


# Whole files ---------------------------------------------------------------------------------


def test_missing_column(tmp_path, dataset, stored):
    table = [[cell for cell in line[:-1]] for line in rows(C, {})]
    path = write_csv(tmp_path / "cases.csv", table)

    problem = only(rejected([path], dataset, stored))

    assert (problem.file, problem.row) == ("cases.csv", 1)
    assert problem.message.startswith("the header lacks the column “statement_url”: a cases file")


def test_unknown_column(tmp_path, dataset, stored):
    table = [[*line, "colour"] for line in rows(K, {"reference": "19 000 001"})]
    path = write_csv(tmp_path / "compliance.csv", table)

    problem = only(rejected([path], dataset, stored))

    assert (problem.row, problem.value) == (1, "colour")
    assert problem.message == (
        "unknown column: a compliance file has only the columns reference, recorded_date, outcome"
    )


def test_column_named_twice(tmp_path, dataset, stored):
    table = rows(K, {"reference": "19 000 001"})
    table[0][2] = "Recorded_Date"
    path = write_csv(tmp_path / "compliance.csv", table)

    errors = rejected([path], dataset, stored)

    assert (errors[0].value, errors[0].message) == (
        "recorded_date",
        "this column appears twice in the header",
    )


def test_header_of_no_known_kind(tmp_path, dataset, stored):
    path = write_csv(tmp_path / "people.csv", [["name", "email"], ["Ann", "ann@example.org"]])

    problem = only(rejected([path], dataset, stored))

    assert problem.message.startswith("the header is not one of a casework file")
    assert problem.value == "name,email"


def test_empty_file(tmp_path, dataset, stored):
    path = tmp_path / "cases.csv"
    path.write_bytes(b"")

    problem = only(rejected([path], dataset, stored))

    assert (problem.file, problem.message) == (
        "cases.csv",
        "the file is empty: it needs a header row and at least one row of records",
    )


def test_file_of_blank_lines(tmp_path, dataset, stored):
    path = tmp_path / "cases.csv"
    path.write_bytes(b"\r\n\r\n")

    problem = only(rejected([path], dataset, stored))

    assert problem.message == "the first row is blank: it must be the header (the column names)"


def test_header_only(tmp_path, dataset, stored):
    path = write_csv(tmp_path / "cases.csv", rows(C))

    problem = only(rejected([path], dataset, stored))

    assert problem.message == "the file has a header but no records"


def test_header_and_blank_rows_only(tmp_path, dataset, stored):
    path = write_xlsx(tmp_path / "cases.xlsx", [*rows(C), [], [None, None]])

    problem = only(rejected([path], dataset, stored))

    assert problem.message == "the file has a header but no records"


@pytest.mark.parametrize(
    ("name", "words"),
    [("cases.txt", "wrong file type “.txt”"), ("cases.xls", "“.xls” (an old Excel format)")],
)
def test_wrong_file_type(tmp_path, dataset, stored, name, words):
    path = write_csv(tmp_path / name, rows(C, {}))

    problem = only(rejected([path], dataset, stored))

    assert words in problem.message
    assert "save the file as CSV UTF-8 (.csv) or as an Excel Workbook (.xlsx)" in problem.message


def test_workbook_named_csv(tmp_path, dataset, stored):
    path = write_xlsx(tmp_path / "cases.csv", rows(C, {}))

    problem = only(rejected([path], dataset, stored))

    assert problem.message.startswith("this is an Excel workbook or a zip archive, not a CSV")


def test_text_named_xlsx(tmp_path, dataset, stored):
    path = write_csv(tmp_path / "cases.xlsx", rows(C, {}))

    problem = only(rejected([path], dataset, stored))

    assert problem.message.startswith("this is not a readable Excel workbook (.xlsx)")


def test_csv_in_latin_1(tmp_path, dataset, stored):
    table = rows(C, {"reference": "19 100 002"}, {"summary": "Café licence refused."})
    path = write_csv(tmp_path / "cases.csv", table, encoding="latin-1")

    problem = only(rejected([path], dataset, stored))

    assert problem.message.startswith("line 3 is not UTF-8 text (byte 0xE9 at position")
    assert "save the file as “CSV UTF-8 (comma delimited)”" in problem.message


def test_csv_ending_in_a_cut_off_character(tmp_path, dataset, stored):
    """The file's last byte begins a two-byte character and nothing follows (no newline)."""
    table = rows(C, {"reference": "19 100 002"}, {"summary": "Caf"})
    path = write_csv(tmp_path / "cases.csv", table)
    path.write_bytes(path.read_bytes().rstrip(b"\r\n") + b"\xc3")

    problem = only(rejected([path], dataset, stored))

    assert problem.message.startswith("line 3 is not UTF-8 text (byte 0xC3 at position")


def test_csv_in_utf_16(tmp_path, dataset, stored):
    path = write_csv(tmp_path / "cases.csv", rows(C, {}), encoding="utf-16")

    problem = only(rejected([path], dataset, stored))

    assert "not UTF-8 text (it looks like UTF-16" in problem.message


def test_row_with_too_few_values(tmp_path, dataset, stored):
    path = tmp_path / "compliance.csv"
    path.write_text("reference,recorded_date,outcome\n19 000 001,2019-11-01\n")

    problem = only(rejected([path], dataset, stored))

    assert (problem.row, problem.message) == (
        2,
        "this row has 2 values but the header has 3 columns "
        "(is a comma inside a value missing its quotes?)",
    )


def test_row_with_an_unquoted_comma(tmp_path, dataset, stored):
    path = tmp_path / "compliance.csv"
    path.write_text("reference,recorded_date,outcome\n19 000 001,2019-11-01,complied, late\n")

    problem = only(rejected([path], dataset, stored))

    assert problem.message.startswith("this row has 4 values but the header has 3 columns")


def test_value_longer_than_the_csv_field_limit(tmp_path, dataset, stored):
    table = rows(C, {"summary": "z" * 200_000})
    path = write_csv(tmp_path / "cases.csv", table)

    problem = only(rejected([path], dataset, stored))

    assert problem.row == 2
    assert problem.message.startswith("a value is longer than 131,072 characters")


# Several rows and files ----------------------------------------------------------------------


def test_duplicate_reference_in_one_file(tmp_path, dataset, stored):
    path = write_csv(tmp_path / "cases.csv", rows(C, {}, {"reference": "19 100 002"}, {}))

    problem = only(rejected([path], dataset, stored))

    assert (problem.row, problem.column, problem.value) == (4, "reference", "19 100 001")
    assert problem.message == "this reference appears more than once (also cases.csv, row 2)"


def test_duplicate_reference_across_files(tmp_path, dataset, stored):
    first = write_csv(tmp_path / "cases-april.csv", rows(C, {}))
    second = write_xlsx(tmp_path / "cases-may.xlsx", rows(C, {}))

    problem = only(rejected([first, second], dataset, stored))

    assert (problem.file, problem.row) == ("cases-may.xlsx", 2)
    assert "appears more than once (also cases-april.csv, row 2)" in problem.message


def test_two_compliance_outcomes_for_one_case(tmp_path, dataset, stored):
    path = write_csv(
        tmp_path / "compliance.csv",
        rows(
            K, {"reference": "19 000 001"}, {"reference": "19 000 001", "outcome": "Complied late"}
        ),
    )

    problem = only(rejected([path], dataset, stored))

    assert problem.row == 3
    assert problem.message.startswith("a case has one compliance outcome")


def test_every_problem_in_every_file_is_listed(tmp_path, dataset, stored):
    cases = write_csv(
        tmp_path / "cases.csv",
        rows(C, {"outcome": "won"}, {"reference": "19 100 002", "received_date": "yesterday"}),
    )
    recs = write_csv(tmp_path / "recs.csv", rows(R, {"reference": "19 000 002"}))
    comp = write_xlsx(tmp_path / "comp.xlsx", rows(K, {"reference": "19 000 001", "outcome": "?"}))

    errors = rejected([cases, recs, comp], dataset, stored)

    assert sorted((e.file, e.row, e.column) for e in errors) == [
        ("cases.csv", 2, "outcome"),
        ("cases.csv", 3, "received_date"),
        ("comp.xlsx", 2, "outcome"),
        ("recs.csv", 2, "reference"),
    ]


def test_rows_naming_an_unreadable_case_are_not_reported_again(tmp_path, dataset, stored):
    cases = write_csv(tmp_path / "cases.csv", rows(C, {"received_date": "1st May"}))
    recs = write_csv(tmp_path / "recs.csv", rows(R, {}))

    problem = only(rejected([cases, recs], dataset, stored))

    assert (problem.file, problem.column) == ("cases.csv", "received_date")


def test_problems_beyond_the_cap_are_counted(tmp_path, dataset, stored):
    bad = [{"reference": f"19 2{n:02d} 000", "authority_code": "E07000000"} for n in range(99)]
    path = write_csv(tmp_path / "cases.csv", rows(C, *bad * 3))  # duplicates as well

    with pytest.raises(CaseworkValidationError) as raised:
        import_files(paths=[path], dataset=dataset, today=TODAY)

    assert len(raised.value.errors) == 200
    # Each first row: an unknown authority; each repeat: that and a duplicate reference.
    assert raised.value.total == 99 * (1 + 2 + 2)
    assert str(raised.value).endswith("… and 295 more (only the first 200 are listed).")
    assert snapshot() == stored


# XLSX rules: one sheet with data, no formulas -------------------------------------------------


def test_xlsx_formula(tmp_path, dataset, stored):
    table = rows(C, {})
    table[1][3] = "=TODAY()"
    path = write_xlsx(tmp_path / "cases.xlsx", table)

    problem = only(rejected([path], dataset, stored))

    assert (problem.row, problem.column, problem.value) == (2, "D", "=TODAY()")
    assert problem.message.startswith(
        "this cell holds a formula: replace formulas with their values"
    )


def test_xlsx_with_data_on_several_sheets(tmp_path, dataset, stored):
    path = write_xlsx(tmp_path / "casework.xlsx", rows(C, {}), rows(K, {}))

    problem = only(rejected([path], dataset, stored))

    assert problem.message.startswith("the workbook has data on 2 sheets (“Sheet1”, “Sheet2”)")


# Big files are streamed ----------------------------------------------------------------------


def test_a_50_mb_line_is_refused_without_reading_it_whole(tmp_path, dataset, stored):
    import tracemalloc

    path = tmp_path / "cases.csv"
    with path.open("wb") as out:
        out.write(",".join(rows(C)[0]).encode() + b"\n")
        for _ in range(50):
            out.write(b"x" * 1_000_000)
    assert path.stat().st_size > 50_000_000

    tracemalloc.start()
    try:
        problem = only(rejected([path], dataset, stored))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert problem.message.startswith("line 2 is longer than 1,000,000 bytes")
    assert peak < 10_000_000


def test_a_50_mb_file_is_read_to_the_end(tmp_path, dataset, stored):
    path = tmp_path / "cases.csv"
    summary = "A long decision statement. " * 70  # about 1,900 characters
    with path.open("w", newline="") as out:
        out.write(",".join(rows(C)[0]) + "\n")
        number = 0
        while out.tell() < 50_000_000:
            number += 1
            out.write(
                f"19 {number // 1000:03d} {number % 1000:03d},{CODE},2019-05-01,"
                f"2019-09-01,housing,upheld,no,,{summary},\n"
            )
        out.write(f"20 000 001,{CODE},2019-05-01,2019-13-01,housing,upheld,no,,,\n")
    assert path.stat().st_size > 50_000_000

    problem = only(rejected([path], dataset, stored))

    assert (problem.row, problem.column, problem.value) == (
        number + 2,
        "decision_date",
        "2019-13-01",
    )


def test_every_bad_value_of_an_unreadable_row_is_listed(tmp_path, dataset, stored):
    path = write_csv(
        tmp_path / "compliance.csv",
        rows(K, {"reference": "19 000 001", "recorded_date": "2019-13-01", "outcome": "maybe"}),
    )

    errors = rejected([path], dataset, stored)

    assert [(e.column, e.value) for e in errors] == [
        ("recorded_date", "2019-13-01"),
        ("outcome", "maybe"),
    ]
    assert errors[1].message.startswith("not a compliance outcome; use one of: complied")
