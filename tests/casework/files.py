"""Writing small casework files (CSV and XLSX) for the importer tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from councilperf.casework.parsing import COLUMNS, Kind

CODE = "E07999001"

DEFAULTS: dict[Kind, dict[str, str]] = {
    Kind.CASES: {
        "reference": "19 100 001",
        "authority_code": CODE,
        "received_date": "2019-05-01",
        "decision_date": "2019-09-01",
        "service_area": "housing",
        "outcome": "upheld",
        "remedied_by_authority": "no",
        "public_report_date": "",
        "summary": "The council delayed a housing assessment.",
        "statement_url": "https://example.org/decisions/19100001",
    },
    Kind.RECOMMENDATIONS: {
        "reference": "19 100 001",
        "kind": "apology",
        "description": "Apologise to Mrs X.",
        "due_date": "2019-10-01",
        "service_improvement": "no",
    },
    Kind.COMPLIANCE: {
        "reference": "19 100 001",
        "recorded_date": "2019-11-01",
        "outcome": "complied",
    },
}


def rows(kind: Kind, *changes: dict[str, str]) -> list[list[str]]:
    """A header and one row per ``changes`` (each the defaults with those values changed)."""
    columns = COLUMNS[kind]
    out = [list(columns)]
    for change in changes:
        values = {**DEFAULTS[kind], **change}
        out.append([values[column] for column in columns])
    return out


def csv_text(table: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table)
    return buffer.getvalue()


def write_csv(path: Path, table: list[list[str]], *, encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_text(table).encode(encoding))
    return path


def write_xlsx(path: Path, *sheets: list[list[Any]]) -> Path:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for number, table in enumerate(sheets, start=1):
        sheet = workbook.create_sheet(f"Sheet{number}")
        for line in table:
            sheet.append(line)
    workbook.save(path)
    return path
