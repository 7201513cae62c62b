"""Reading an uploaded return (CSV or XLSX, one ``field,value`` row per field): good files
give their values; every kind of bad file gives a named error and no values."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from councilperf.portal import returnfile
from tests.portal.factories_returns import complete


def csv_bytes(raw: dict[str, str], header: str = "field,value") -> bytes:
    lines = [header] + [f'{k},"{v}"' for k, v in raw.items()]
    return ("\n".join(lines) + "\n").encode()


def xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_a_good_csv_gives_every_value_as_typed() -> None:
    found = returnfile.read(upload("return.csv", b"\xef\xbb\xbf" + csv_bytes(complete())))
    assert found.errors == []
    assert found.values == complete()


def test_a_good_xlsx_gives_the_values_numbers_and_dates_as_text() -> None:
    raw = complete()
    rows: list[list[object]] = [["Field", "Value"]]
    for key, value in raw.items():
        rows.append([key, int(value) if value.isdigit() else value])
    found = returnfile.read(upload("Return.XLSX", xlsx_bytes(rows)))
    assert found.errors == []
    assert found.values["stage1_received"] == "412"
    assert found.values["self_assessment_date"] == "14/05/2027"


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("return.pdf", b"%PDF-1.4", "must be a CSV or XLSX file (this one is “return.pdf”)"),
        ("return", b"field,value\n", "must be a CSV or XLSX file"),
        ("return.csv", b"field,value\n" + b"x" * (1024 * 1024), "smaller than 1 MB"),
        ("return.csv", b"\xff\xfe f\x00i\x00", "not UTF-8 text"),
        ("return.csv", b"field,value\nstage1_received,\xff\n", "not UTF-8 text"),
        ("return.csv", b"PK\x03\x04rest", "not a CSV file"),
        ("return.xlsx", b"field,value\n", "not a readable Excel workbook"),
        ("return.csv", b"name,number\nstage1_received,4\n", "first row must be the headings"),
        ("return.csv", b"", "The file is empty"),
        ("return.csv", b"\n,\n", "first row must be the headings"),
        ("return.csv", b"field,value\nstage_one,4\n", "“stage_one” is not a field"),
        ("return.csv", b"field,value\nescalated,4,5\n", "more than two cells"),
        ("return.csv", b'field,value\n"unclosed,4\n', "is not a field"),
    ],
)
def test_bad_files_give_a_named_error_and_no_values(name: str, data: bytes, error: str) -> None:
    found = returnfile.read(upload(name, data))
    assert any(error in e for e in found.errors), found.errors


def test_no_file_at_all_is_a_named_error() -> None:
    assert returnfile.read(None).errors == ["Choose a CSV or XLSX file to upload"]


def test_a_missing_field_is_named() -> None:
    raw = complete()
    del raw["stage2_upheld"]
    found = returnfile.read(upload("return.csv", csv_bytes(raw)))
    assert found.errors == ["The file has no row for the field “stage2_upheld”"]


def test_a_field_given_twice_is_named() -> None:
    data = csv_bytes(complete()) + b"escalated,3\n"
    found = returnfile.read(upload("return.csv", data))
    assert any("the field “escalated” is given twice" in e for e in found.errors)


def test_comments_may_be_left_out_of_the_file() -> None:
    raw = {k: v for k, v in complete().items() if not k.endswith("_comment")}
    assert returnfile.read(upload("return.csv", csv_bytes(raw))).errors == []


def test_a_workbook_with_a_formula_is_refused() -> None:
    rows: list[list[object]] = [["field", "value"], ["stage1_received", "=2+2"]]
    found = returnfile.read(upload("return.xlsx", xlsx_bytes(rows)))
    assert any("formula" in e for e in found.errors)


def test_a_zip_bomb_is_refused_before_it_is_inflated() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    found = returnfile.read(upload("return.xlsx", out.getvalue()))
    assert any("more than the limit" in e for e in found.errors), found.errors


def test_the_documented_example_is_a_valid_return() -> None:
    import datetime as dt
    import re
    from pathlib import Path

    from django.conf import settings

    from councilperf.portal.returncheck import check

    docs = (Path(settings.BASE_DIR) / "docs" / "data-format.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Complaint-handling returns") :]
    found = re.search(r"```csv\n(.*?)```", section, re.S)
    assert found
    read = returnfile.read(upload("example.csv", found.group(1).encode()))
    assert read.errors == []
    result = check(
        read.values, start=dt.date(2026, 4, 1), deadline=dt.date(2027, 6, 30), complete=True
    )
    assert result.ok, result.errors


def test_damaged_workbooks_give_a_named_error_never_an_exception() -> None:
    import random

    good = xlsx_bytes([["field", "value"], *[[k, v] for k, v in complete().items()]])
    chance = random.Random(30)
    for _ in range(60):
        damaged = bytearray(good)
        for _ in range(chance.randint(1, 8)):
            damaged[chance.randrange(len(damaged))] = chance.randrange(256)
        cut = damaged[: chance.randrange(len(damaged))] if chance.random() < 0.3 else damaged
        found = returnfile.read(upload("return.xlsx", bytes(cut)))
        assert found.errors or found.values  # read, or refused by name: never raised


def test_random_bytes_as_csv_give_a_named_error_never_an_exception() -> None:
    import random

    chance = random.Random(31)
    for _ in range(60):
        data = bytes(chance.randrange(256) for _ in range(chance.randint(1, 400)))
        assert returnfile.read(upload("return.csv", b"field,value\n" + data)).errors
