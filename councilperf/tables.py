"""Tables written as CSV and XLSX, one way for every file the project writes (the casework
export, the statistics export, the open data files, the council spreadsheet). Pure: no Django
(it writes only to the stream or file it is given).

Every cell goes through ``councilperf.text.neutralise`` here, once: a text value a spreadsheet
would run as a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage return at the start)
gets a leading ``'``; numbers stay numbers. CSV rows end with CRLF (RFC 4180), so a value
holding a carriage return or a line break is quoted and stays one cell. In CSV, None is an
empty cell, booleans are ``true``/``false``, floats the shortest text that reads back to the
same float (``repr``) and dates ISO 8601.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, TextIO

from councilperf.text import neutralise

Row = Sequence[object]


def csv_cell(value: object) -> object:
    """One value as a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(value)


def xlsx_row(values: Iterable[object]) -> list[object]:
    """One row of XLSX cells (openpyxl writes numbers, dates and None as they are)."""
    return [neutralise(value) for value in values]


def write_csv(stream: TextIO, header: Sequence[str], rows: Iterable[Row]) -> int:
    """The header, then every row, to ``stream``; the number of rows."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
        count += 1
    return count


def csv_text(header: Sequence[str], rows: Iterable[Row]) -> str:
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue()


def write_xlsx(out: Path | IO[bytes], sheets: Iterable[tuple[str, Iterable[Row]]]) -> None:
    """A workbook of the sheets given, each as its name and its rows (the header among them)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name[:31])
        for row in rows:
            sheet.append(xlsx_row(row))
    workbook.save(out)
