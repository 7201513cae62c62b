"""Where an import's records come from, streamed kind by kind (cases first).

A source gives the records of each kind, each with its position in its stream, and says where
a position is (file and row) for problems. ``RecordSource`` serves records given in memory
(the demo generator); ``FileSource`` reads files row by row, so the records are never held.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .parsing import PROGRESS_BYTES, Kind, ParsedFiles, Record, file_kind, read_file
from .problems import Location, Problems
from .records import CaseRecord, ComplianceRecord, RecommendationRecord
from .validation import ImportSource

# Imports of more records than this show a progress bar (when asked to).
PROGRESS_ROWS = 5_000
_TYPES: dict[Kind, type[Record]] = {
    Kind.CASES: CaseRecord,
    Kind.RECOMMENDATIONS: RecommendationRecord,
    Kind.COMPLIANCE: ComplianceRecord,
}


class RecordSource:
    """Records in memory; ``source`` may say where each came from."""

    def __init__(
        self,
        records: dict[Kind, Sequence[Any]],
        source: ImportSource | None,
    ) -> None:
        self.records = records
        self.source = source or ImportSource()
        self.reading = Problems()
        self.unreadable: frozenset[str] = frozenset()
        self.unreadable_file = False

    @property
    def total(self) -> int:
        return sum(len(records) for records in self.records.values())

    @property
    def big(self) -> bool:
        """Whether the import is large enough for a progress bar."""
        return self.total >= PROGRESS_ROWS

    def stream(self, kind: Kind) -> Iterator[tuple[int, Any]]:
        return enumerate(self.records[kind])

    def where(self, kind: str, position: int) -> Location:
        rows = {
            "cases": self.source.case_rows,
            "recommendations": self.source.recommendation_rows,
            "compliance": self.source.compliance_rows,
        }[kind]
        if position < len(rows):
            return rows[position]
        reference = self.records[Kind(kind)][position].reference
        return Location(f"{kind} record {position + 1:,} (reference {reference!s})", None)

    def import_source(self, *, label: str = "", user: str = "") -> ImportSource:
        return self.source


class FileSource:
    """Casework files (CSV or XLSX), read again for each pass; ``names`` are shown in problems
    instead of the paths' names."""

    def __init__(
        self, paths: Sequence[Path], *, names: Sequence[str] | None, progress: bool
    ) -> None:
        self.paths = [Path(path) for path in paths]
        self.names = list(names) if names else [path.name for path in self.paths]
        self.progress = progress
        self.parsed = ParsedFiles(problems=Problems(), names=self.names)
        kinds = [file_kind(path) for path in self.paths]
        # A file of no known kind is read with the cases, first, to report its problems.
        self.order = {
            kind: [
                index
                for index, found in enumerate(kinds)
                if found is kind or (found is None and kind is Kind.CASES)
            ]
            for kind in Kind
        }

    @property
    def reading(self) -> Problems:
        return self.parsed.problems

    @property
    def unreadable(self) -> frozenset[str]:
        return frozenset(self.parsed.unreadable)

    @property
    def unreadable_file(self) -> bool:
        return self.parsed.unreadable_file

    @property
    def total(self) -> int:
        return self.parsed.rows

    @property
    def big(self) -> bool:
        """Whether the import is large enough for a progress bar."""
        sizes = (path.stat().st_size for path in self.paths if path.is_file())
        return sum(sizes) >= PROGRESS_BYTES

    def stream(self, kind: Kind) -> Iterator[tuple[int, Any]]:
        """The records of every file of ``kind``; problems go to ``reading``."""
        wanted = _TYPES[kind]
        for index in self.order[kind]:
            for position, record in read_file(
                self.paths[index], index, self.parsed, progress=self.progress
            ):
                if isinstance(record, wanted):
                    yield position, record

    def where(self, kind: str, position: int) -> Location:
        return self.parsed.where(position)

    def import_source(self, *, label: str = "", user: str = "") -> ImportSource:
        return self.parsed.source(label=label, user=user)
