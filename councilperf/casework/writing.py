"""Carrying out an import's plan: the checked rows, read back from the spill, as bulk SQL
inserts, updates and deletes in one transaction (the caller's), through the driver's own
cursor, in chunks (no query per row, and never the whole import in memory: a new
recommendation or compliance row finds its case's id by a lookup per chunk, so the checker's
facts can be let go before writing starts)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db import connection

from .models import Case, ComplianceOutcome, Dataset, Recommendation
from .planning import (
    CASE_VALUE_FIELDS,
    COMPLIANCE_FIELDS,
    INSERT,
    LOOKUP_CHUNK,
    RECOMMENDATION_FIELDS,
    SAME,
    Plan,
    chunks,
)
from .spill import Spill

# Rows sent to the database at a time.
CHUNK = 10_000
# SQLite page cache while writing, in KiB.
_SQLITE_CACHE_KB = 256 * 1024


class _Batch:
    """Rows gathered and sent ``CHUNK`` at a time: inserts or updates of one table."""

    def __init__(
        self, table: str, columns: Sequence[str], *, update: bool, tick: Callable[[int], object]
    ) -> None:
        self.table, self.columns, self.update, self.tick = table, columns, update, tick
        self.rows: list[tuple[Any, ...]] = []

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            (_update if self.update else _insert)(self.table, self.columns, self.rows)
            self.tick(len(self.rows))
            self.rows = []


def write(
    plan: Plan,
    *,
    spill: Spill,
    dataset: Dataset,
    tick: Callable[[int], object],
) -> None:
    """Write the checked rows: cases first, then the rows that name them."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A page cache big enough for the tables' indexes saves most of the time (the
            # default is 2 MB); it lasts as long as this connection.
            cursor.execute(f"PRAGMA cache_size = -{_SQLITE_CACHE_KB}")
    _write_cases(spill, dataset=dataset, tick=tick)
    _delete(Recommendation._meta.db_table, plan.recommendation_deletes)
    _write_children(
        spill.batches("recommendations"),
        table=Recommendation._meta.db_table,
        fields=RECOMMENDATION_FIELDS,
        changed=("description", "service_improvement"),
        pick=lambda values: (values[2], values[3]),
        decisions=plan.recommendation_decisions,
        tick=tick,
    )
    _write_children(
        spill.batches("compliance"),
        table=ComplianceOutcome._meta.db_table,
        fields=COMPLIANCE_FIELDS,
        changed=COMPLIANCE_FIELDS,
        pick=tuple,
        decisions=plan.compliance_decisions,
        tick=tick,
    )


def _write_children(
    batches: Iterable[Sequence[Sequence[Any]]],
    *,
    table: str,
    fields: Sequence[str],
    changed: Sequence[str],
    pick: Callable[[Sequence[Any]], tuple[Any, ...]],
    decisions: Mapping[int, Any],
    tick: Callable[[int], object],
) -> None:
    """Insert a case's new rows (by the case's id, looked up a chunk at a time) and update the
    changed ones (``pick``: the changed columns' values, in ``changed``'s order; a decision
    other than INSERT or SAME is the row's stored id)."""
    inserts = _Batch(table, ("case_id", *fields), update=False, tick=tick)
    updates = _Batch(table, tuple(changed), update=True, tick=tick)
    for batch in batches:
        new = [row for row in batch if decisions.get(row[0], INSERT) == INSERT]
        ids = _case_ids({reference for _, reference, *_ in new})
        for _, reference, *values in new:
            inserts.add((ids[reference], *values))
        for position, _, *values in batch:
            decision = decisions.get(position, INSERT)
            if decision not in (INSERT, SAME):
                updates.add((*pick(values), decision))
    inserts.flush()
    updates.flush()


def _write_cases(spill: Spill, *, dataset: Dataset, tick: Callable[[int], object]) -> None:
    """The spilled cases are (0 or the stored id, reference, *values)."""
    table = Case._meta.db_table
    inserts = _Batch(
        table, ("reference", "dataset_id", *CASE_VALUE_FIELDS), update=False, tick=tick
    )
    updates = _Batch(table, CASE_VALUE_FIELDS, update=True, tick=tick)
    for batch in spill.batches("cases"):
        for stored_id, reference, *values in batch:
            if stored_id:
                updates.add((*values, stored_id))
            else:
                inserts.add((reference, dataset.pk, *values))
    inserts.flush()
    updates.flush()


def _case_ids(references: set[str]) -> dict[str, int]:
    """The stored id of each case named (every one is stored by now: cases are written first)."""
    found: dict[str, int] = {}
    for chunk in chunks(sorted(references), LOOKUP_CHUNK):
        found.update(
            Case.objects.order_by().filter(reference__in=chunk).values_list("reference", "id")
        )
    return found


def _insert(table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert rows through the driver's own cursor (Django's debug cursor would log each)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marker = "?" if connection.vendor == "sqlite" else "%s"
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join([marker] * len(columns))})"
        cursor.executemany(sql, rows)


def _update(table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """``rows`` are (*values of ``columns``, id)."""
    quote = connection.ops.quote_name
    marker = "?" if connection.vendor == "sqlite" else "%s"
    assignments = ", ".join(f"{quote(column)} = {marker}" for column in columns)
    sql = f"UPDATE {quote(table)} SET {assignments} WHERE {quote('id')} = {marker}"
    with connection.cursor() as wrapper:
        wrapper.cursor.executemany(sql, rows)


def _delete(table: str, ids: Sequence[int]) -> None:
    if not ids:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for chunk in chunks(sorted(ids), LOOKUP_CHUNK):
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"DELETE FROM {quote(table)} WHERE {quote('id')} IN ({placeholders})", chunk
            )
