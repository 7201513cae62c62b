"""Reading casework files (CSV and XLSX) into records, streaming, with every problem found.

A file's kind (cases, recommendations or compliance) is recognised by its header row. Values
are converted to typed records (``records``); a value that cannot be read (a date, a yes/no)
is a problem with its file, row and column. Whether the records make sense together is the
business of ``validation``.

Files are read row by row, never whole: a CSV is decoded line by line (a line longer than
``MAX_LINE_LENGTH`` stops the reading), an XLSX sheet through openpyxl's read-only mode.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from tqdm import tqdm

from .codes import ComplianceResult, Outcome, RecommendationKind, ServiceArea
from .problems import Location, Problems
from .records import CaseRecord, ComplianceRecord, RecommendationRecord
from .records import columns as record_columns
from .validation import (
    NOT_A_COMPLIANCE_OUTCOME,
    NOT_A_KIND,
    NOT_A_SERVICE_AREA,
    NOT_AN_OUTCOME,
    ImportSource,
)

MAX_LINE_LENGTH = 1_000_000
# Files bigger than this get a progress bar while they are read.
PROGRESS_BYTES = 1_000_000


class Kind(StrEnum):
    CASES = "cases"
    RECOMMENDATIONS = "recommendations"
    COMPLIANCE = "compliance"


_RECORDS: dict[Kind, type[CaseRecord | RecommendationRecord | ComplianceRecord]] = {
    Kind.CASES: CaseRecord,
    Kind.RECOMMENDATIONS: RecommendationRecord,
    Kind.COMPLIANCE: ComplianceRecord,
}
# A file's columns are its record's fields (``records.py``), in their order.
COLUMNS: dict[Kind, tuple[str, ...]] = {
    kind: record_columns(record) for kind, record in _RECORDS.items()
}

FILE_TYPES = (".csv", ".xlsx")
# Free text is taken as it is; every other value is stripped of surrounding spaces.
_VERBATIM = frozenset({"summary", "description"})


@dataclass
class ParsedFiles:
    """Records read from files, where each came from, and the problems found reading them."""

    problems: Problems
    cases: list[CaseRecord] = field(default_factory=list)
    recommendations: list[RecommendationRecord] = field(default_factory=list)
    compliance: list[ComplianceRecord] = field(default_factory=list)
    case_rows: list[Location] = field(default_factory=list)
    recommendation_rows: list[Location] = field(default_factory=list)
    compliance_rows: list[Location] = field(default_factory=list)
    files: list[dict[str, object]] = field(default_factory=list)
    # References of case rows that could not be read.
    unreadable: set[str] = field(default_factory=set)
    # A whole file could not be read (type, encoding, header): records are incomplete.
    unreadable_file: bool = False

    @property
    def rows(self) -> int:
        return len(self.cases) + len(self.recommendations) + len(self.compliance)

    def source(self, *, label: str, user: str = "") -> ImportSource:
        return ImportSource(
            label=label,
            user=user,
            files=self.files,
            case_rows=self.case_rows,
            recommendation_rows=self.recommendation_rows,
            compliance_rows=self.compliance_rows,
        )


class _StopReading(Exception):
    """The file cannot be read further; its problem is already reported."""


def read_files(
    paths: Sequence[Path],
    *,
    names: Sequence[str] | None = None,
    problems: Problems | None = None,
    progress: bool = False,
) -> ParsedFiles:
    """Read every file; ``names`` are shown in problems instead of the paths' names."""
    parsed = ParsedFiles(problems=problems if problems is not None else Problems())
    for index, path in enumerate(paths):
        name = names[index] if names else path.name
        _read_file(Path(path), name, parsed, progress=progress)
    return parsed


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_file(path: Path, name: str, parsed: ParsedFiles, *, progress: bool) -> None:
    problems = parsed.problems
    before = problems.total

    def fatal(message: str, **where: Any) -> None:
        parsed.unreadable_file = True
        problems.add(message, file=name, **where)

    suffix = path.suffix.lower()
    if suffix not in FILE_TYPES:
        hint = " (an old Excel format)" if suffix in (".xls", ".ods") else ""
        fatal(
            f"wrong file type “{suffix or 'none'}”{hint}: save the file as CSV UTF-8 (.csv) "
            "or as an Excel Workbook (.xlsx)"
        )
        return
    try:
        size = path.stat().st_size
    except OSError as error:
        fatal(f"cannot be opened ({error.strerror})")
        return
    if size == 0:
        fatal("the file is empty: it needs a header row and at least one row of records")
        return

    rows: Iterable[tuple[int, list[str]]] = (
        _csv_rows(path, name, fatal) if suffix == ".csv" else _xlsx_rows(path, name, fatal)
    )
    if progress and size > PROGRESS_BYTES:
        rows = tqdm(rows, desc=f"Reading {name}", unit=" rows", leave=False)
    kind: Kind | None = None
    positions: dict[str, int] = {}
    plan: list[_Column] = []
    header_width = 0
    count = 0
    for row_number, cells in rows:
        if kind is None:
            if not "".join(cells).strip():
                fatal(
                    "the first row is blank: it must be the header (the column names)",
                    row=row_number,
                )
                return
            kind, positions = _recognise(cells, name, fatal)
            if kind is None:
                return
            header_width = len(cells)
            plan = _row_plan(kind, positions)
            continue
        if not "".join(cells).strip():
            continue  # blank rows are skipped
        count += 1
        where = Location(name, row_number)
        if suffix == ".csv" and len(cells) != header_width:
            extra = cells[header_width:]
            if len(cells) < header_width or any(cell.strip() for cell in extra):
                problems.add(
                    f"this row has {len(cells)} values but the header has {header_width} "
                    "columns (is a comma inside a value missing its quotes?)",
                    at=where,
                )
                if kind is Kind.CASES and positions["reference"] < len(cells):
                    parsed.unreadable.add(cells[positions["reference"]].strip())
                continue
        _convert(kind, plan, cells, where, parsed)
    if problems.total > before and parsed.unreadable_file:
        return
    if kind is None:
        fatal("the file is empty: it needs a header row and at least one row of records")
        return
    if count == 0:
        fatal("the file has a header but no records")
        return
    parsed.files.append(
        {"name": name, "kind": str(kind), "rows": count, "bytes": size, "sha256": _sha256(path)}
    )


# CSV -----------------------------------------------------------------------------------------


def _csv_rows(path: Path, name: str, fatal: Callable[..., None]) -> Iterator[tuple[int, list[str]]]:
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


def _xlsx_rows(
    path: Path, name: str, fatal: Callable[..., None]
) -> Iterator[tuple[int, list[str]]]:
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


# Header --------------------------------------------------------------------------------------


def _recognise(
    header: list[str], name: str, fatal: Callable[..., None]
) -> tuple[Kind | None, dict[str, int]]:
    """The kind of file this header begins, and each column's position."""
    names = [cell.strip().lower() for cell in header]
    while names and not names[-1]:
        names.pop()
    positions: dict[str, int] = {}
    problem = False
    for index, column in enumerate(names):
        if not column:
            fatal(f"column {index + 1} of the header is blank", row=1)
            problem = True
        elif column in positions:
            fatal("this column appears twice in the header", row=1, value=column)
            problem = True
        else:
            positions[column] = index
    given = set(positions)
    for kind, columns in COLUMNS.items():
        if given == set(columns):
            return (None, {}) if problem else (kind, positions)
    overlap = {kind: len(given & set(columns)) for kind, columns in COLUMNS.items()}
    best = max(overlap, key=lambda kind: (overlap[kind], -len(COLUMNS[kind])))
    if overlap[best] < 2:
        fatal(
            "the header is not one of a casework file: the first row must name the columns of "
            "cases, recommendations or compliance (see docs/data-format.md)",
            row=1,
            value=",".join(header)[:200],
        )
        return None, {}
    expected = COLUMNS[best]
    listed = ", ".join(expected)
    for column in expected:
        if column not in given:
            fatal(
                f"the header lacks the column “{column}”: a {best} file has the columns {listed}",
                row=1,
            )
    for column in names:
        if column and column not in expected:
            fatal(
                f"unknown column: a {best} file has only the columns {listed}",
                row=1,
                value=column,
            )
    return None, {}


# Values --------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_BOOLEANS = {
    "": False,
    "false": False,
    "no": False,
    "0": False,
    "true": True,
    "yes": True,
    "1": True,
}


class _BadValue(Exception):
    pass


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass  # the checks below say what is wrong
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _UK_DATE.match(text)
        if not match:
            raise _BadValue(
                "not a date: write dates as YYYY-MM-DD (2019-04-01) or DD/MM/YYYY (01/04/2019)"
            )
        day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _BadValue("there is no such day: check the day and the month") from None


def _boolean(text: str) -> bool:
    try:
        return _BOOLEANS[text.lower()]
    except KeyError:
        raise _BadValue("not a yes/no value: write true or false (or yes/no, 1/0)") from None


def _words(text: str) -> str:
    return " ".join(text.lower().replace("&", " and ").split())


def _codes(
    *choices: type[Outcome | ServiceArea | RecommendationKind | ComplianceResult],
) -> dict[str, str]:
    """Codes and plain-English labels (any case, "&" or "and") → code."""
    table: dict[str, str] = {}
    for kind in choices:
        for code, label in kind.choices:
            table[_words(code)] = code
            table[_words(str(label))] = code
    return table


_OUTCOMES = _codes(Outcome)
_SERVICE_AREAS = _codes(ServiceArea)
_KINDS = _codes(RecommendationKind)
_COMPLIANCE = _codes(ComplianceResult)


def _choice(table: Mapping[str, str], problem: str) -> Callable[[str], str]:
    def convert(text: str) -> str:
        found = table.get(text)
        if found is None:
            found = table.get(_words(text))
        if found is None:
            if not text:
                return text  # whether it may be blank is for validation to say
            raise _BadValue(problem)
        return found

    return convert


def _required_date(text: str) -> dt.date:
    value = _date(text)
    if value is None:
        raise _BadValue("is blank; this date is required")
    return value


def _text(text: str) -> str:
    return text


_CONVERTERS: dict[Kind, dict[str, Callable[[str], Any]]] = {
    Kind.CASES: {
        "reference": _text,
        "authority_code": str.upper,
        "received_date": _required_date,
        "decision_date": _date,
        "service_area": _choice(_SERVICE_AREAS, NOT_A_SERVICE_AREA),
        "outcome": _choice(_OUTCOMES, NOT_AN_OUTCOME),
        "remedied_by_authority": _boolean,
        "public_report_date": _date,
        "summary": _text,
        "statement_url": _text,
    },
    Kind.RECOMMENDATIONS: {
        "reference": _text,
        "kind": _choice(_KINDS, NOT_A_KIND),
        "description": _text,
        "due_date": _required_date,
        "service_improvement": _boolean,
    },
    Kind.COMPLIANCE: {
        "reference": _text,
        "recorded_date": _required_date,
        "outcome": _choice(_COMPLIANCE, NOT_A_COMPLIANCE_OUTCOME),
    },
}


# How to read one column: its name, position in the row, whether to strip it, its converter.
_Column = tuple[str, int, bool, Callable[[str], Any] | None]


def _row_plan(kind: Kind, positions: dict[str, int]) -> list[_Column]:
    """The columns of a file in the order of its record's fields."""
    converters = _CONVERTERS[kind]
    return [
        (
            name,
            positions[name],
            name not in _VERBATIM,
            None if converters[name] is _text else converters[name],
        )
        for name in COLUMNS[kind]
    ]


def _convert(
    kind: Kind, plan: list[_Column], cells: list[str], where: Location, parsed: ParsedFiles
) -> None:
    """Make one record of a row's cells, or report each value that cannot be read."""
    values: list[Any] = []
    good = True
    width = len(cells)
    for column, index, strip, convert in plan:
        text = cells[index] if index < width else ""
        if strip:
            text = text.strip()
        if convert is None:
            values.append(text)
            continue
        try:
            values.append(convert(text))
        except _BadValue as error:
            parsed.problems.add(str(error), at=where, column=column, value=text)
            good = False
    if not good:
        if kind is Kind.CASES:
            parsed.unreadable.add(values[0])
        return
    if kind is Kind.CASES:
        parsed.cases.append(CaseRecord(*values))
        parsed.case_rows.append(where)
    elif kind is Kind.RECOMMENDATIONS:
        parsed.recommendations.append(RecommendationRecord(*values))
        parsed.recommendation_rows.append(where)
    else:
        parsed.compliance.append(ComplianceRecord(*values))
        parsed.compliance_rows.append(where)
