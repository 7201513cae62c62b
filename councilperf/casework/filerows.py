"""Rows of casework files as lists of text, streamed: a CSV decoded line by line (a line
longer than ``MAX_LINE_LENGTH`` stops the reading), an XLSX sheet in openpyxl's read-only
mode. A file that cannot be read is reported through ``fatal`` and yields no more rows."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

MAX_LINE_LENGTH = 1_000_000


class _StopReading(Exception):
    """The file cannot be read further; its problem is already reported."""


# CSV -----------------------------------------------------------------------------------------


def csv_rows(path: Path, name: str, fatal: Callable[..., None]) -> Iterator[tuple[int, list[str]]]:
    with path.open("rb") as stream:
        head = stream.read(4096)
        if head.startswith(b"PK\x03\x04"):
            fatal(
                "this is an Excel workbook or a zip archive, not a CSV file: "
                "name it .xlsx, or save it as CSV UTF-8"
            )
            return
        if b"\x00" in head:
            fatal(
                "this is not UTF-8 text (it looks like UTF-16 or a binary file): "
                "save it as “CSV UTF-8 (comma delimited)”"
            )
            return
        stream.seek(0)
        reader = csv.reader(_decoded_lines(stream, fatal))
        row_number = 0
        try:
            for cells in reader:
                row_number += 1
                yield row_number, cells
        except _StopReading:
            return
        except csv.Error as error:
            message = str(error)
            if "field larger than field limit" in message:
                message = (
                    f"a value is longer than {csv.field_size_limit():,} characters; "
                    "no casework value is that long"
                )
            else:
                message = f"this is not well-formed CSV ({message})"
            fatal(message + "; the file was not read further", row=row_number + 1)


def _decoded_lines(stream: BinaryIO, fatal: Callable[..., None]) -> Iterator[str]:
    """The file's lines as text, checking UTF-8 line by line (a BOM at the start is dropped)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line_number = 0
    while True:
        raw = stream.readline(MAX_LINE_LENGTH + 1)
        if not raw:
            return
        line_number += 1
        if len(raw) > MAX_LINE_LENGTH:
            fatal(
                f"line {line_number:,} is longer than {MAX_LINE_LENGTH:,} bytes: this is not a "
                "casework CSV file; the file was not read further"
            )
            raise _StopReading
        if line_number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield decoder.decode(raw)
        except UnicodeDecodeError as error:
            bad = raw[error.start : error.start + 1].hex().upper()
            fatal(
                f"line {line_number:,} is not UTF-8 text (byte 0x{bad} at position "
                f"{error.start + 1}); save the file as “CSV UTF-8 (comma delimited)”"
            )
            raise _StopReading from error


# XLSX ----------------------------------------------------------------------------------------


def xlsx_rows(path: Path, name: str, fatal: Callable[..., None]) -> Iterator[tuple[int, list[str]]]:
    """The rows of the workbook's one sheet with data, as text.

    The rule: the records are on one sheet; any other sheet must be empty (Excel's blank
    "Sheet2" is fine), and no cell may hold a formula (its value is not stored reliably).
    """
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        fatal(f"this is not a readable Excel workbook (.xlsx): {error}")
        return
    try:
        with_data = []
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()
            if any(
                value is not None and value != ""
                for row in sheet.iter_rows(values_only=True)
                for value in row
            ):
                with_data.append(sheet.title)
        if len(with_data) > 1:
            fatal(
                f"the workbook has data on {len(with_data)} sheets ("
                + ", ".join(f"“{title}”" for title in with_data)
                + "): put the records on one sheet, one kind of record per file"
            )
            return
        if not with_data:
            return
        sheet = workbook[with_data[0]]
        formulas = 0
        for row_number, row in enumerate(sheet.iter_rows(min_row=1), start=1):
            cells = []
            for cell in row:
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f":
                    formulas += 1
                    fatal(
                        "this cell holds a formula: replace formulas with their values "
                        "(copy, then Paste Special → Values)",
                        row=row_number,
                        column=getattr(cell, "column_letter", ""),
                        value=value,
                    )
                cells.append(_cell_text(value))
            if not formulas:
                yield row_number, cells
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
