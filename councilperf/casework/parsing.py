"""Reading casework files (CSV and XLSX) into records, streaming, with every problem found.

A file's kind (cases, recommendations or compliance) is recognised by its header row. Values
are converted to typed records (``records``); a value that cannot be read (a date, a yes/no)
is a problem with its file, row and column. Whether the records make sense together is the
business of ``validation``.

Files are read row by row, never whole (``filerows``); values are converted by ``cells``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import call, itemgetter
from pathlib import Path
from typing import Any

from tqdm import tqdm

from councilperf.text import bad_character, plain, restore, row_flags

from .cells import CONVERTERS, BadValue, text_as_is
from .filerows import Limits, csv_rows, sha256, xlsx_rows
from .problems import Location, Problems
from .records import CaseRecord, ComplianceRecord, RecommendationRecord
from .records import columns as record_columns
from .validation import ImportSource

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
assert all(len(columns) > 1 for columns in COLUMNS.values()), "itemgetter gives them as a tuple"

FILE_TYPES = (".csv", ".xlsx")
# Free text is taken as it is; every other value is stripped of surrounding spaces.
_VERBATIM = frozenset({"summary", "description"})


# A record's position in its stream: its row number and the index of its file.
FILE_BITS = 12
MAX_FILES = 1 << FILE_BITS


@dataclass
class ParsedFiles:
    """What reading files found besides their records: where each came from, the files read
    and the problems found reading them."""

    problems: Problems
    names: Sequence[str] = ()
    # What was read of each file, by its index in ``names``.
    files: dict[int, dict[str, object]] = field(default_factory=dict)
    # References of case rows that could not be read.
    unreadable: set[str] = field(default_factory=set)
    # A whole file could not be read (type, encoding, header): records are incomplete.
    unreadable_file: bool = False
    rows: int = 0

    def where(self, position: int) -> Location:
        """The file and row of a record's position (``position``)."""
        return Location(self.names[position & (MAX_FILES - 1)], position >> FILE_BITS)

    def source(self, *, label: str, user: str = "") -> ImportSource:
        files = [self.files[index] for index in sorted(self.files)]
        return ImportSource(label=label, user=user, files=files)


Record = CaseRecord | RecommendationRecord | ComplianceRecord


def file_kind(path: Path) -> Kind | None:
    """The kind of a file as its header says (None: unreadable or not recognised), quietly:
    reading it for its records reports its problems."""
    limits = Limits.from_settings()

    def ignore(*_: Any, **__: Any) -> None:
        return None

    suffix = path.suffix.lower()
    if suffix not in FILE_TYPES or not path.is_file():
        return None
    reader = csv_rows if suffix == ".csv" else xlsx_rows
    rows = reader(path, ignore, limits)
    try:
        for _, cells in rows:
            kind, _positions = _recognise(cells, "", ignore)
            return kind
        return None
    finally:
        rows.close()  # type: ignore[attr-defined]


def read_file(
    path: Path,
    index: int,
    parsed: ParsedFiles,
    *,
    progress: bool = False,
    limits: Limits | None = None,
) -> Iterator[tuple[int, Record]]:
    """The records of one file, streamed, each with its position (``ParsedFiles.where``);
    ``parsed.names[index]`` is shown in problems. ``limits`` (default: the settings
    ``CASEWORK_MAX_FILE_BYTES`` and ``CASEWORK_MAX_ROWS``) bound the file's expanded size and
    its number of rows."""
    if index >= MAX_FILES:
        raise ValueError(f"an import reads at most {MAX_FILES} files")
    name = parsed.names[index]
    limits = limits or Limits.from_settings()
    problems = parsed.problems
    before = problems.total

    def fatal(message: str, **where: Any) -> None:
        parsed.unreadable_file = True
        problems.add(message, file=name, **where)

    size = _size(path, fatal)
    if size is None:
        return
    csv_file = path.suffix.lower() == ".csv"
    rows: Iterable[tuple[int, list[str]]] = (
        csv_rows(path, fatal, limits) if csv_file else xlsx_rows(path, fatal, limits)
    )
    if progress and size > PROGRESS_BYTES:
        rows = tqdm(rows, desc=f"Reading {name}", unit=" rows", leave=False)
    state = _FileState(index=index)
    yield from _read_rows(rows, name, parsed, fatal, state, csv_file=csv_file)
    kind, count = state.kind, state.count
    if count < 0 or (problems.total > before and parsed.unreadable_file):
        return
    if kind is None:
        fatal("the file is empty: it needs a header row and at least one row of records")
        return
    if count == 0:
        fatal("the file has a header but no records")
        return
    parsed.rows += count
    parsed.files[index] = {
        "name": name,
        "kind": str(kind),
        "rows": count,
        "bytes": size,
        "sha256": sha256(path),
    }


@dataclass
class _FileState:
    index: int
    kind: Kind | None = None
    count: int = 0


def _size(path: Path, fatal: Callable[..., None]) -> int | None:
    """The file's size, or None (reported) when it is of the wrong type, unreadable or empty."""
    suffix = path.suffix.lower()
    if suffix not in FILE_TYPES:
        hint = " (an old Excel format)" if suffix in (".xls", ".ods") else ""
        fatal(
            f"wrong file type “{suffix or 'none'}”{hint}: save the file as CSV UTF-8 (.csv) "
            "or as an Excel Workbook (.xlsx)"
        )
        return None
    try:
        size = path.stat().st_size
    except OSError as error:
        fatal(f"cannot be opened ({error.strerror})")
        return None
    if size == 0:
        fatal("the file is empty: it needs a header row and at least one row of records")
        return None
    return size


def _read_rows(
    rows: Iterable[tuple[int, list[str]]],
    name: str,
    parsed: ParsedFiles,
    fatal: Callable[..., None],
    state: _FileState,
    *,
    csv_file: bool,
) -> Iterator[tuple[int, Record]]:
    """The file's records; ``state`` learns its kind and how many records it has (-1: a bad
    header, reported)."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    row_number, cells = first
    if not "".join(cells).strip():
        fatal("the first row is blank: it must be the header (the column names)", row=row_number)
        state.count = -1
        return
    kind, positions = _recognise(cells, name, fatal)
    if kind is None:
        state.count = -1
        return
    state.kind = kind
    header_width, width = len(cells), max(positions.values()) + 1
    plan = _row_plan(kind, positions)
    quick = _quick_reader(kind, plan)
    for row_number, cells in rows:
        joined = "".join(cells)
        if not joined.strip():
            continue  # blank rows are skipped
        state.count += 1
        if csv_file and len(cells) != header_width:
            extra = cells[header_width:]
            if len(cells) < header_width or any(cell.strip() for cell in extra):
                parsed.problems.add(
                    f"this row has {len(cells)} values but the header has {header_width} "
                    "columns (is a comma inside a value missing its quotes?)",
                    at=Location(name, row_number),
                )
                if kind is Kind.CASES and positions["reference"] < len(cells):
                    parsed.unreadable.add(cells[positions["reference"]].strip())
                continue
        if len(cells) >= width and plain(joined):
            try:
                read = quick(cells)
            except BadValue:
                pass  # read again below, reporting every problem of the row
            else:
                yield row_number << FILE_BITS | state.index, read
                continue
        record = _convert(kind, plan, cells, Location(name, row_number), parsed)
        if record is not None:
            yield row_number << FILE_BITS | state.index, record


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


# How to read one column: its name, position in the row, whether to strip it, its converter.
_Column = tuple[str, int, bool, Callable[[str], Any] | None]


def _row_plan(kind: Kind, positions: dict[str, int]) -> list[_Column]:
    """The columns of a file in the order of its record's fields."""
    converters = CONVERTERS[kind]
    return [
        (
            name,
            positions[name],
            name not in _VERBATIM,
            None if converters[name] is text_as_is else converters[name],
        )
        for name in COLUMNS[kind]
    ]


# Each column's converted values are kept for the texts a file repeats (dates, codes), at most
# this many per column.
_KNOWN = 4_096


class _Known(dict[str, Any]):
    """A column's converted values by their text as read (``convert`` is given it stripped
    when ``strip``); a text not seen yet is converted, and kept while there is room."""

    def __init__(self, convert: Callable[[str], Any], strip: bool) -> None:
        super().__init__()
        self.convert, self.strip = convert, strip

    def __missing__(self, text: str) -> Any:
        value = self.convert(text.strip() if self.strip else text)
        if len(self) < _KNOWN:
            self[text] = value
        return value


def _quick_reader(kind: Kind, plan: list[_Column]) -> Callable[[list[str]], Record]:
    """``_convert`` of a row with nothing to report or restore (``text.plain``), every column
    present: the record, or ``BadValue`` at the first value that cannot be read. Each column
    is read by one call (its known values, ``str.strip`` or ``str``), all of them by ``map``."""
    pick = itemgetter(*(index for _, index, _, _ in plan))
    readers: list[Callable[[str], Any]] = [
        _Known(convert, strip).__getitem__ if convert else str.strip if strip else str
        for _, _, strip, convert in plan
    ]
    make = _RECORDS[kind]

    def read(cells: list[str]) -> Record:
        return make(*map(call, readers, pick(cells)))

    return read


def _convert(
    kind: Kind, plan: list[_Column], cells: list[str], where: Location, parsed: ParsedFiles
) -> Record | None:
    """Make one record of a row's cells, or report each value that cannot be read."""
    values: list[Any] = []
    good = True
    width = len(cells)
    plain, quoted = row_flags(cells)
    for column, index, strip, convert in plan:
        text = cells[index] if index < width else ""
        if quoted:
            text = restore(text)
        if strip:
            text = text.strip()
        wrong = None if plain else bad_character(text, free_text=not strip)
        if wrong is not None:
            parsed.problems.add(wrong, at=where, column=column, value=_visible(text))
            good = False
            values.append(text)
            continue
        if convert is None:
            values.append(text)
            continue
        try:
            values.append(convert(text))
        except BadValue as error:
            parsed.problems.add(str(error), at=where, column=column, value=text)
            good = False
    if not good:
        if kind is Kind.CASES:
            parsed.unreadable.add(values[0])
        return None
    return _RECORDS[kind](*values)


def _visible(text: str) -> str:
    """A value with its invisible characters written as escapes, to show in a message."""
    return text.encode("unicode_escape", errors="backslashreplace").decode("ascii")
