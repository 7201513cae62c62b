"""The statistics export in its three formats: CSV, JSON and XLSX (same columns, same values).

Used by ``export_statistics`` and by the public site's downloads. In CSV and XLSX, a text value
a spreadsheet would run as a formula gets a leading ``'`` (``councilperf.tables``);
numbers are written as numbers. JSON is not a spreadsheet and keeps every value as it is.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from councilperf import tables
from councilperf.statistics.selectors import EXPORT_COLUMNS


def _rows(table: list[dict[str, object]]) -> list[list[object]]:
    return [[row.get(column) for column in EXPORT_COLUMNS] for row in table]


def to_csv(table: list[dict[str, object]]) -> str:
    return tables.csv_text(EXPORT_COLUMNS, _rows(table))


def to_json(table: list[dict[str, object]]) -> str:
    return json.dumps(table, indent=1, ensure_ascii=False) + "\n"


def write_xlsx(table: list[dict[str, object]], out: Path) -> None:
    tables.write_xlsx(out, [("statistics", itertools.chain([EXPORT_COLUMNS], _rows(table)))])
