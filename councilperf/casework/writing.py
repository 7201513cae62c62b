"""Carrying out an import's plan: the checked rows, read back from the spill, as bulk SQL
inserts, updates and deletes in one transaction (the caller's), through the driver's own
cursor, a spill batch at a time (no query per row, and never the whole import in memory).

The spill holds rows ready to send (``spill``). A new case's recommendations and compliance
outcome name their case by reference: SQLite finds its id in the same statement, as it
inserts; PostgreSQL looks the batch's ids up in one query, then copies the rows in. So the
checker's facts can be let go before writing starts.

On PostgreSQL the new cases need not wait for writing: a ``CaseSender`` copies each checked
batch into the import's transaction as the spill lets it go, so that the server stores cases
while the next are read and checked (two processes at work instead of one after the other). A
check that fails later still rolls them back with the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any

from django.db import connection

from .models import Case, ComplianceOutcome, Recommendation
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

# Rows sent to the database at a time (besides the spill's batches, sent as they come).
CHUNK = 10_000
# SQLite: an import adding this many cases or more, and at least as many as are stored, makes
# the table's indexes after its rows (``_indexes_made_after``).
_REBUILD_FROM = 10_000
# SQLite page cache while writing, in KiB.
_SQLITE_CACHE_KB = 256 * 1024

Tick = Callable[[int], object]


class _Batch:
    """Rows gathered and sent ``CHUNK`` at a time: inserts or updates of one table."""

    def __init__(self, table: str, columns: Sequence[str], *, update: bool, tick: Tick) -> None:
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


CASE_COLUMNS = ("reference", "dataset_id", *CASE_VALUE_FIELDS)


class CaseSender:
    """PostgreSQL: new cases copied in batch by batch while checking goes on, through one COPY
    kept open between batches. A query cannot run while a COPY is open on its connection, so
    every query made through Django first ends it (``before_query``; see ``sending_cases``);
    the next batch opens another."""

    def __init__(self) -> None:
        self._open: ExitStack | None = None
        self._copy: Any = None
        self.sent = 0

    def send(self, rows: Sequence[Sequence[Any]]) -> None:
        if self._open is None:
            stack = ExitStack()
            wrapper = stack.enter_context(connection.cursor())
            sql = _copy_sql(Case._meta.db_table, CASE_COLUMNS)
            self._copy = stack.enter_context(wrapper.cursor.copy(sql))
            self._open = stack
        write_row = self._copy.write_row
        for row in rows:
            write_row(row)
        self.sent += len(rows)

    def end(self, error: BaseException | None = None) -> None:
        """Wait for the server to take in what was sent, or (``error``) abandon the COPY, which
        fails the transaction; nothing to do if no COPY is open."""
        stack, self._open, self._copy = self._open, None, None
        if stack is not None:
            stack.__exit__(type(error) if error else None, error, None)

    def before_query(self, execute: Callable[..., Any], *arguments: Any) -> Any:
        self.end()
        return execute(*arguments)


@contextmanager
def sending_cases() -> Iterator[CaseSender]:
    """A ``CaseSender`` whose COPY every query through Django ends first, and that is ended on
    leaving (abandoned if an error leaves)."""
    sender = CaseSender()
    with connection.execute_wrapper(sender.before_query):
        try:
            yield sender
        except BaseException as error:
            sender.end(error)
            raise
        sender.end()


def write(plan: Plan, *, spill: Spill, tick: Tick) -> None:
    """Write the checked rows: cases first, then the rows that name them."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A page cache big enough for the tables' indexes saves most of the time (the
            # default is 2 MB); it lasts as long as this connection.
            cursor.execute(f"PRAGMA cache_size = -{_SQLITE_CACHE_KB}")
    cases = Case._meta.db_table
    # Cases sent while checking (``CaseSender``) are in already.
    if not spill.sent("cases"):
        with _indexes_made_after(cases, adding=spill.count("cases")):
            _insert_all(cases, CASE_COLUMNS, spill.batches("cases"), tick)
    for rows in spill.batches("case_updates"):
        _update(cases, CASE_VALUE_FIELDS, rows)
        tick(len(rows))
    _delete(Recommendation._meta.db_table, plan.recommendation_deletes)
    _write_children(
        spill,
        "recommendations",
        table=Recommendation._meta.db_table,
        fields=RECOMMENDATION_FIELDS,
        changed=("description", "service_improvement"),
        pick=lambda values: (values[2], values[3]),
        decisions=plan.recommendation_decisions,
        tick=tick,
    )
    _write_children(
        spill,
        "compliance",
        table=ComplianceOutcome._meta.db_table,
        fields=COMPLIANCE_FIELDS,
        changed=COMPLIANCE_FIELDS,
        pick=tuple,
        decisions=plan.compliance_decisions,
        tick=tick,
    )


@contextmanager
def _indexes_made_after(table: str, *, adding: int) -> Iterator[None]:
    """On SQLite, when an import adds at least as many rows as ``table`` holds (a first import,
    say), its indexes are dropped while the rows go in and made again after, in the same
    transaction: making an index sorts its keys once, far cheaper than putting each row into
    every index as it comes. The indexes made are those dropped, by their own SQL; an import
    that fails rolls back with them. (Not on PostgreSQL: dropping an index would lock the table
    against readers until the import ends.)"""
    if connection.vendor != "sqlite" or adding < _REBUILD_FROM:
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        (stored,) = cursor.fetchone()
        if adding < stored:
            yield
            return
        # Named indexes only: those of UNIQUE constraints (no SQL of their own) stay.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        yield
        for _, sql in indexes:
            cursor.execute(sql)


def _write_children(
    spill: Spill,
    kind: str,
    *,
    table: str,
    fields: Sequence[str],
    changed: Sequence[str],
    pick: Callable[[Sequence[Any]], tuple[Any, ...]],
    decisions: Mapping[int, int],
    tick: Tick,
) -> None:
    """Insert the rows of new cases (``kind``: reference, *values), then those of stored cases
    (position, case id, *values) as decided: inserted, left alone (SAME) or updated (the
    decision is then the row's stored id; ``pick``: the changed columns' values, in
    ``changed``'s order)."""
    for rows in spill.batches(kind):
        _insert_by_reference(table, fields, rows)
        tick(len(rows))
    inserts = _Batch(table, ("case_id", *fields), update=False, tick=tick)
    updates = _Batch(table, tuple(changed), update=True, tick=tick)
    for rows in spill.batches(f"stored_{kind}"):
        for position, case_id, *values in rows:
            decision = decisions.get(position, INSERT)
            if decision == INSERT:
                inserts.add((case_id, *values))
            elif decision != SAME:
                updates.add((*pick(values), decision))
    inserts.flush()
    updates.flush()


def _insert_by_reference(table: str, fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows (reference of their case, *values of ``fields``) with their case's id."""
    quote = connection.ops.quote_name
    cases = quote(Case._meta.db_table)
    if connection.vendor == "sqlite":
        # ?1 is the reference; the values follow it.
        names = ", ".join(quote(column) for column in ("case_id", *fields))
        values = ", ".join(f"?{number}" for number in range(2, len(fields) + 2))
        sql = (
            f"INSERT INTO {quote(table)} ({names}) "
            f"SELECT {quote('id')}, {values} FROM {cases} WHERE {quote('reference')} = ?1"
        )
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor
            cursor.executemany(sql, rows)
            if cursor.rowcount != len(rows):
                raise RuntimeError(f"{len(rows) - cursor.rowcount} row(s) of {table} lack a case")
        return
    ids = _case_ids({row[0] for row in rows})
    _insert(table, ("case_id", *fields), [(ids[reference], *values) for reference, *values in rows])


def _case_ids(references: set[str]) -> dict[str, int]:
    """The stored id of each case named (every one is stored by now: cases are written first)."""
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote('reference')}, {quote('id')} FROM {quote(Case._meta.db_table)} "
        f"WHERE {quote('reference')} = ANY(%s)"
    )
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        cursor.execute(sql, [list(references)])
        return dict(cursor.fetchall())


def _insert_all(
    table: str, columns: Sequence[str], batches: Iterable[Sequence[Sequence[Any]]], tick: Tick
) -> None:
    """Insert batches of rows; on PostgreSQL in one COPY, so that the server takes each batch
    in while the next is read."""
    if connection.vendor != "postgresql":
        for rows in batches:
            _insert(table, columns, rows)
            tick(len(rows))
        return
    sql = _copy_sql(table, columns)
    with connection.cursor() as wrapper, wrapper.cursor.copy(sql) as copy:
        for rows in batches:
            for row in rows:
                copy.write_row(row)
            tick(len(rows))


def _copy_sql(table: str, columns: Sequence[str]) -> str:
    """PostgreSQL's COPY of ``columns`` of ``table`` from the client."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    return f"COPY {quote(table)} ({names}) FROM STDIN"


def _insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows through the driver's own cursor (Django's debug cursor would log each)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        if connection.vendor == "postgresql":
            with cursor.copy(_copy_sql(table, columns)) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marker = "?" if connection.vendor == "sqlite" else "%s"
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join([marker] * len(columns))})"
        cursor.executemany(sql, rows)


def _update(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
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
