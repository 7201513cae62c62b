"""Carrying out an import's plan as the records stream past a second time: bulk SQL inserts,
updates and deletes in one transaction (the caller's), through the driver's own cursor, in
chunks (no query per row, and never the whole import in memory)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Max

from . import facts as packed
from .facts import Action
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
from .records import CaseRecord, ComplianceRecord, RecommendationRecord, case_values
from .validation import AuthorityInfo

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
    cases: Iterable[tuple[int, CaseRecord]],
    recommendations: Iterable[tuple[int, RecommendationRecord]],
    compliance: Iterable[tuple[int, ComplianceRecord]],
    facts: dict[str, int],
    authorities: Mapping[str, AuthorityInfo],
    dataset: Dataset,
    tick: Callable[[int], object],
) -> None:
    """Write the checked records; ``facts`` (reference: packed facts) end as reference: id."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A page cache big enough for the tables' indexes saves most of the time (the
            # default is 2 MB); it lasts as long as this connection.
            cursor.execute(f"PRAGMA cache_size = -{_SQLITE_CACHE_KB}")
    before = Case.objects.aggregate(top=Max("id"))["top"] or 0
    _write_cases(cases, facts, authorities, dataset=dataset, tick=tick)
    _case_ids(facts, dataset=dataset, after=before)
    _delete(Recommendation._meta.db_table, plan.recommendation_deletes)
    table = Recommendation._meta.db_table
    inserts = _Batch(table, ("case_id", *RECOMMENDATION_FIELDS), update=False, tick=tick)
    updates = _Batch(table, ("description", "service_improvement"), update=True, tick=tick)
    for position, rec in recommendations:
        decision = plan.recommendation_decisions.get(position, INSERT)
        if decision == INSERT:
            values = tuple(getattr(rec, name) for name in RECOMMENDATION_FIELDS)
            inserts.add((facts[rec.reference], *values))
        elif decision != SAME:
            updates.add((rec.description, rec.service_improvement, decision))
    inserts.flush()
    updates.flush()
    table = ComplianceOutcome._meta.db_table
    inserts = _Batch(table, ("case_id", *COMPLIANCE_FIELDS), update=False, tick=tick)
    updates = _Batch(table, COMPLIANCE_FIELDS, update=True, tick=tick)
    for position, outcome in compliance:
        decision = plan.compliance_decisions.get(position, INSERT)
        values = tuple(getattr(outcome, name) for name in COMPLIANCE_FIELDS)
        if decision == INSERT:
            inserts.add((facts[outcome.reference], *values))
        elif decision != SAME:
            updates.add((*values, decision))
    inserts.flush()
    updates.flush()


def _write_cases(
    cases: Iterable[tuple[int, CaseRecord]],
    facts: Mapping[str, int],
    authorities: Mapping[str, AuthorityInfo],
    *,
    dataset: Dataset,
    tick: Callable[[int], object],
) -> None:
    table = Case._meta.db_table
    inserts = _Batch(
        table, ("reference", "dataset_id", *CASE_VALUE_FIELDS), update=False, tick=tick
    )
    updates = _Batch(table, CASE_VALUE_FIELDS, update=True, tick=tick)
    for _, case in cases:
        known = facts[case.reference]
        action = packed.action(known)
        if action is Action.INSERT:
            values = case_values(case, authorities[case.authority_code].id)
            inserts.add((case.reference, dataset.pk, *values))
        elif action is Action.UPDATE:
            values = case_values(case, authorities[case.authority_code].id)
            updates.add((*values, packed.stored_id(known)))
    inserts.flush()
    updates.flush()


def _case_ids(facts: dict[str, int], *, dataset: Dataset, after: int) -> None:
    """Replace each reference's facts by its case's id (the stored one, or the new one)."""
    for reference, known in facts.items():
        facts[reference] = packed.stored_id(known)
    for reference, pk in (
        Case.objects.order_by()
        .filter(dataset=dataset, id__gt=after)
        .values_list("reference", "id")
        .iterator(chunk_size=10_000)
    ):
        if reference in facts:
            facts[reference] = pk


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
