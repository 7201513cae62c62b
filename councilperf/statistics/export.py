"""The statistics export in its three formats: CSV, JSON and XLSX (same columns, same values).

Used by ``export_statistics`` and by the public site's downloads. In CSV and XLSX, a text value
a spreadsheet would run as a formula gets a leading ``'`` (``councilperf.text.neutralise``);
numbers are written as numbers. JSON is not a spreadsheet and keeps every value as it is.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from councilperf.statistics.selectors import EXPORT_COLUMNS
from councilperf.text import neutralise


def to_csv(table: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    # CRLF rows (RFC 4180): a value holding a lone "\r" is quoted too, so it stays one cell.
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in table:
        writer.writerow({k: "" if v is None else _csv_value(v) for k, v in row.items()})
    return buffer.getvalue()


def _csv_value(value: object) -> object:
    # repr of a float is the shortest string that reads back to the same float.
    return repr(value) if isinstance(value, float) else neutralise(value)


def to_json(table: list[dict[str, object]]) -> str:
    return json.dumps(table, indent=1, ensure_ascii=False) + "\n"


def write_xlsx(table: list[dict[str, object]], out: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("statistics")
    sheet.append(list(EXPORT_COLUMNS))
    for row in table:
        sheet.append([neutralise(row[column]) for column in EXPORT_COLUMNS])
    workbook.save(out)
