"""The checked rows of an import, kept on disk between checking and writing.

While an import is checked, every good row goes, as the values it will be written with, into
one of three temporary files (cases, recommendations, compliance), in batches; writing reads
them back in order. So what is written is exactly what was checked, the input is read once,
and memory holds one batch at a time, never the import. The files have no name on disk (they
vanish when closed, or when the process ends, however it ends).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from types import TracebackType
from typing import IO, Any

KINDS = ("cases", "recommendations", "compliance")
# Rows kept in memory before they go to disk.
BATCH = 10_000


class Spill:
    """Three temporary files of rows; ``add`` rows while checking, ``rows`` to write them."""

    def __init__(self, *, directory: str | None = None) -> None:
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
            self._flush(kind)

    def _flush(self, kind: str) -> None:
        pending = self._pending[kind]
        if pending:
            pickle.dump(pending, self._files[kind], protocol=pickle.HIGHEST_PROTOCOL)
            self.counts[kind] += len(pending)
            self._batches[kind] += 1
            self._pending[kind] = []

    def batches(self, kind: str) -> Iterator[list[tuple[Any, ...]]]:
        """The rows added of ``kind``, in order, a batch at a time."""
        self._flush(kind)
        stream = self._files[kind]
        stream.flush()
        stream.seek(0)
        for _ in range(self._batches[kind]):
            yield pickle.load(stream)

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
