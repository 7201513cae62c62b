"""A complaint-handling return uploaded as a file: CSV or XLSX, one row per field
(``field,value``; format in ``docs/data-format.md``, "Complaint-handling returns").

The file is read with the casework files' reader (``casework.filerows``: streamed, UTF-8
checked line by line, a workbook's unzipped size read before anything is inflated, formulas
refused) under small limits: 1 MB, 10 MB once unzipped, 200 rows. Anything else —
another type, a bigger file, an unknown or repeated field, a missing one — is a named
error, and the file's values are then not used at all.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from django.core.files.uploadedfile import UploadedFile

from councilperf.casework.filerows import Limits, csv_rows, xlsx_rows
from councilperf.portal.returncheck import FIELDS

MAX_BYTES: Final = 1024 * 1024
LIMITS: Final = Limits(max_bytes=MAX_BYTES, max_expanded=10 * MAX_BYTES, max_rows=200)
HEADER: Final = ("field", "value")
REQUIRED: Final = tuple(name for name in FIELDS if not name.endswith("_comment"))


@dataclass
class FileValues:
    """The file's values by field, or why the file cannot be used (``errors``)."""

    values: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def read(upload: UploadedFile | None) -> FileValues:
    """The ``field → value`` rows of an uploaded return (errors: what is wrong, by name)."""
    found = FileValues()
    if upload is None:
        found.errors.append("Choose a CSV or XLSX file to upload")
        return found
    name = (upload.name or "").lower()
    suffix = Path(name).suffix
    if suffix not in (".csv", ".xlsx"):
        found.errors.append(
            f"The file must be a CSV or XLSX file (this one is “{Path(name).name}”)"
        )
        return found
    if not upload.size:
        found.errors.append("The file is empty")
        return found
    if upload.size > MAX_BYTES:
        found.errors.append(
            f"The file must be smaller than 1 MB (this one is {upload.size:,} bytes)"
        )
        return found
    with tempfile.TemporaryDirectory(prefix="councilperf-return-") as folder:
        path = Path(folder) / f"return{suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        rows = list(_rows(path, suffix, found.errors))
    if not found.errors:
        _collect(rows, found)
    return found


def _rows(path: Path, suffix: str, errors: list[str]) -> list[tuple[int, list[str]]]:
    def fatal(message: str | None, **where: object) -> None:
        row = where.get("row")
        errors.append(f"The file cannot be read: {message}" + (f" (row {row})" if row else ""))

    reader = xlsx_rows if suffix == ".xlsx" else csv_rows
    try:
        return list(reader(path, fatal, LIMITS))
    except Exception as error:  # a damaged file may fail anywhere in zip, XML or openpyxl
        errors.append(
            f"The file cannot be read: it is damaged or not a {suffix[1:].upper()} file "
            f"({type(error).__name__}); save it again and upload it"
        )
        return []


def _collect(rows: list[tuple[int, list[str]]], found: FileValues) -> None:
    cells = [(n, [c.strip() for c in row]) for n, row in rows if any(c.strip() for c in row)]
    if not cells or tuple(c.lower() for c in cells[0][1][:2]) != HEADER:
        found.errors.append("The file’s first row must be the headings “field” and “value”")
        return
    for number, row in cells[1:]:
        name = row[0].lower()
        if len(row) > 2 and any(row[2:]):
            found.errors.append(f"Row {number} has more than two cells: put only field, value")
        elif name not in FIELDS:
            found.errors.append(f"Row {number}: “{row[0][:60]}” is not a field of the return")
        elif name in found.values:
            found.errors.append(f"Row {number}: the field “{name}” is given twice")
        else:
            found.values[name] = row[1] if len(row) > 1 else ""
    for name in REQUIRED:
        if name not in found.values and not found.errors:
            found.errors.append(f"The file has no row for the field “{name}”")
