"""Rows of casework files as lists of text, streamed: a CSV decoded line by line (a line
longer than ``MAX_LINE_LENGTH`` stops the reading), an XLSX sheet in openpyxl's read-only
mode. A file that cannot be read is reported through ``fatal`` and yields no more rows.

``Limits`` bound what a file may cost before a single record is checked: its expanded size
(a CSV's bytes; an XLSX's parts once unzipped, read from the archive's directory before any
part is inflated, so a zip bomb is refused at once; Python's zip reader never inflates a
part beyond its stated size) and its number of rows, counted while streaming."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

MAX_LINE_LENGTH = 1_000_000
# Defaults of the settings CASEWORK_MAX_FILE_BYTES (a CSV file), CASEWORK_MAX_EXPANDED_BYTES
# (a workbook once unzipped) and CASEWORK_MAX_ROWS (rows of one file).
MAX_FILE_BYTES = 4 * 1024**3
MAX_EXPANDED_BYTES = 1024**3
MAX_ROWS = 10_000_000


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = MAX_FILE_BYTES
    max_expanded: int = MAX_EXPANDED_BYTES
    max_rows: int = MAX_ROWS

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=getattr(settings, "CASEWORK_MAX_FILE_BYTES", MAX_FILE_BYTES),
            max_expanded=getattr(settings, "CASEWORK_MAX_EXPANDED_BYTES", MAX_EXPANDED_BYTES),
            max_rows=getattr(settings, "CASEWORK_MAX_ROWS", MAX_ROWS),
        )

    def too_big(self, size: int, *, expanded: bool = False) -> str | None:
        limit = self.max_expanded if expanded else self.max_bytes
        if size <= limit:
            return None
        what = "unzipped, the workbook holds" if expanded else "the file holds"
        setting = "CASEWORK_MAX_EXPANDED_BYTES" if expanded else "CASEWORK_MAX_FILE_BYTES"
        return (
            f"{what} {size:,} bytes, more than the limit of {limit:,} ({setting}): "
            "split it into smaller files; nothing was read"
        )

    def too_many_rows(self, row: int) -> str | None:
        if row <= self.max_rows:
            return None
        return (
            f"the file has more than {self.max_rows:,} rows, the limit (CASEWORK_MAX_ROWS): "
            "split it into smaller files; the file was not read further"
        )


def sha256(path: Path) -> str:
    """The file's SHA-256, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _StopReading(Exception):
    """The file cannot be read further; its problem is already reported."""


# CSV -----------------------------------------------------------------------------------------


def csv_rows(
    path: Path, fatal: Callable[..., None], limits: Limits
) -> Iterator[tuple[int, list[str]]]:
    too_big = limits.too_big(path.stat().st_size)
    if too_big:
        fatal(too_big)
        return
    with path.open("rb") as stream:
        head = stream.read(4096)
        if head.startswith(b"PK\x03\x04"):
            fatal(
                "this is an Excel workbook or a zip archive, not a CSV file: "
                "name it .xlsx, or save it as CSV UTF-8"
            )
            return
        if _utf16(head):
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
                if row_number > limits.max_rows:
                    fatal(limits.too_many_rows(row_number), row=row_number)
                    return
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


def _utf16(head: bytes) -> bool:
    """Whether the file's start looks like UTF-16 (a BOM, or a NUL in every other byte); a
    lone NUL is reported later with its row and column."""
    return head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        head.count(b"\x00") * 4 >= len(head)
    )


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
            # final: a line ends at a newline or at the end of the file, never inside a
            # character, so one cut off at the very end is an error, not dropped.
            yield decoder.decode(raw, final=True)
        except UnicodeDecodeError as error:
            bad = raw[error.start : error.start + 1].hex().upper()
            fatal(
                f"line {line_number:,} is not UTF-8 text (byte 0x{bad} at position "
                f"{error.start + 1}); save the file as “CSV UTF-8 (comma delimited)”"
            )
            raise _StopReading from error


# XLSX ----------------------------------------------------------------------------------------


def _expanded_size(path: Path) -> int:
    """The workbook's size once unzipped, as its archive's directory states it."""
    with zipfile.ZipFile(path) as archive:
        return sum(member.file_size for member in archive.infolist())


def xlsx_rows(
    path: Path, fatal: Callable[..., None], limits: Limits
) -> Iterator[tuple[int, list[str]]]:
    """The rows of the workbook's one sheet with data, as text.

    The rule: the records are on one sheet; any other sheet must be empty (Excel's blank
    "Sheet2" is fine), and no cell may hold a formula (its value is not stored reliably).
    """
    try:
        too_big = limits.too_big(_expanded_size(path), expanded=True)
        if too_big:
            fatal(too_big)
            return
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        fatal(f"this is not a readable Excel workbook (.xlsx): {error}")
        return
    try:
        title = _sheet_with_data(workbook, fatal)
        if title is None:
            return
        sheet = workbook[title]
        formulas = 0
        for row_number, row in enumerate(sheet.iter_rows(min_row=1), start=1):
            if row_number > limits.max_rows:
                fatal(limits.too_many_rows(row_number), row=row_number)
                return
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
    except ParseError as error:
        fatal(
            f"this workbook is damaged (its sheet is not well-formed XML: {error}); open it "
            "in Excel and save it again; the file was not read further"
        )
    finally:
        workbook.close()


def _sheet_with_data(workbook: Any, fatal: Callable[..., None]) -> str | None:
    """The title of the one sheet with data (None: no data, or several sheets, reported)."""
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
        return None
    return with_data[0] if with_data else None


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
