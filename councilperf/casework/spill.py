"""The checked rows of an import, kept on disk between checking and writing.

While an import is checked, every good row goes, as the values it will be written with, into
one of the temporary files (``KINDS``), in batches; writing reads them back in order. So what
is written is exactly what was checked, the input is read once, and memory holds one batch at
a time, never the import. The files have no
name on disk (they vanish when closed, or when the process ends, however it ends).

Rows hold plain values only (text, numbers, booleans, None; dates as ISO text, as the
database takes them), kept with ``marshal``: several times quicker than ``pickle`` for such
rows, and safe here, as a file is only ever read back by the process that wrote it.

A kind may instead be *sent* as it is checked (``send``: PostgreSQL copies new cases into the
import's transaction while checking goes on): its batches go to that callable, not to disk,
and ``batches`` yields none of them.
"""

from __future__ import annotations

import datetime as dt
import marshal
import tempfile
from collections.abc import Callable, Iterator, Mapping
from types import TracebackType
from typing import IO, Any

from .records import CASE_VALUE_FIELDS, CaseRecord

# New cases (reference, dataset id, *values) and changed ones (*values, id); the
# recommendations and compliance outcomes of new cases (reference, *values) and of stored ones
# (stream position, case id, *values).
KINDS = (
    "cases",
    "case_updates",
    "recommendations",
    "stored_recommendations",
    "compliance",
    "stored_compliance",
)
# Rows kept in memory before they go to disk.
BATCH = 10_000


class Spill:
    """Temporary files of rows; ``add`` rows while checking, ``batches`` to write them."""

    def __init__(
        self,
        *,
        directory: str | None = None,
        send: Mapping[str, Callable[[list[tuple[Any, ...]]], object]] | None = None,
    ) -> None:
        self._send = dict(send or {})
        self._files: dict[str, IO[bytes]] = {
            kind: tempfile.TemporaryFile(prefix=f"casework-{kind}-", dir=directory)  # noqa: SIM115
            for kind in KINDS
        }
        self._pending: dict[str, list[tuple[Any, ...]]] = {kind: [] for kind in KINDS}
        self.counts = dict.fromkeys(KINDS, 0)
        self._batches = dict.fromkeys(KINDS, 0)

    def add(self, kind: str, row: tuple[Any, ...]) -> None:
        pending = self._pending[kind]
        pending.append(row)
        if len(pending) >= BATCH:
            self.flush(kind)

    def count(self, kind: str) -> int:
        """How many rows of ``kind`` were added."""
        return self.counts[kind] + len(self._pending[kind])

    def sent(self, kind: str) -> bool:
        """Whether rows of ``kind`` are sent as they come rather than kept."""
        return kind in self._send

    def flush(self, kind: str) -> None:
        """Keep (or send) the rows of ``kind`` added since the last batch."""
        pending = self._pending[kind]
        if pending and kind in self._send:
            self._send[kind](pending)
            self.counts[kind] += len(pending)
            self._pending[kind] = []
        elif pending:
            # A value marshal cannot keep (a date object, say) raises ValueError here.
            data = marshal.dumps(pending)
            stream = self._files[kind]
            stream.write(len(data).to_bytes(8, "little"))
            stream.write(data)
            self.counts[kind] += len(pending)
            self._batches[kind] += 1
            self._pending[kind] = []

    def batches(self, kind: str) -> Iterator[list[tuple[Any, ...]]]:
        """The rows added of ``kind``, in order, a batch at a time (none if they were sent)."""
        self.flush(kind)
        stream = self._files[kind]
        stream.flush()
        stream.seek(0)
        for _ in range(self._batches[kind]):
            # Read whole: marshal.load would read a file a few bytes at a time.
            size = int.from_bytes(stream.read(8), "little")
            yield marshal.loads(stream.read(size))

    def close(self) -> None:
        for stream in self._files.values():
            stream.close()

    def __enter__(self) -> Spill:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


_ISO_DAY = dt.date.isoformat


def day(value: dt.date | None) -> str | None:
    """A date as the spill keeps it (ISO text, as the database takes it)."""
    return None if value is None else _ISO_DAY(value)


def case_row(case: CaseRecord, authority_id: int) -> tuple[object, ...]:
    """A case's values in the order of ``CASE_VALUE_FIELDS``, as the spill keeps them (its
    received date is required: a checked case has one)."""
    decided, reported = case.decision_date, case.public_report_date
    return (
        authority_id,
        _ISO_DAY(case.received_date),
        None if decided is None else _ISO_DAY(decided),
        case.service_area,
        case.outcome,
        case.remedied_by_authority,
        None if reported is None else _ISO_DAY(reported),
        case.summary,
        case.statement_url,
    )


assert CASE_VALUE_FIELDS == (
    "authority_id",
    "received_date",
    "decision_date",
    "service_area",
    "outcome",
    "remedied_by_authority",
    "public_report_date",
    "summary",
    "statement_url",
), "case_row follows CASE_VALUE_FIELDS"
