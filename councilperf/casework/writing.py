"""Carrying out an import's plan: bulk SQL inserts, updates and deletes in one transaction
(the caller's), through the driver's own cursor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Max

from .models import Case, ComplianceOutcome, Dataset, Recommendation
from .planning import (
    CASE_VALUE_FIELDS,
    COMPLIANCE_FIELDS,
    LOOKUP_CHUNK,
    RECOMMENDATION_FIELDS,
    Plan,
    chunks,
)

# SQLite page cache while writing, in KiB.
_SQLITE_CACHE_KB = 256 * 1024


def write(plan: Plan, *, dataset: Dataset, tick: Callable[[int], object]) -> None:
    case_table = Case._meta.db_table
    before = Case.objects.aggregate(top=Max("id"))["top"] or 0
    _insert(
        case_table,
        ("reference", "dataset_id", *CASE_VALUE_FIELDS),
        [(row[0], dataset.pk, *row[1:]) for row in plan.case_inserts],
        tick=tick,
    )
    _update(case_table, CASE_VALUE_FIELDS, plan.case_updates, tick=tick)
    ids = dict(plan.stored_ids)
    if plan.case_inserts:
        new = {row[0] for row in plan.case_inserts}
        for reference, pk in (
            Case.objects.order_by()
            .filter(dataset=dataset, id__gt=before)
            .values_list("reference", "id")
            .iterator(chunk_size=10_000)
        ):
            if reference in new:
                ids[reference] = pk

    recommendation_table = Recommendation._meta.db_table
    _delete(recommendation_table, plan.recommendation_deletes)
    _insert(
        recommendation_table,
        ("case_id", *RECOMMENDATION_FIELDS),
        [(ids[reference], *values) for reference, values in plan.recommendation_inserts],
        tick=tick,
    )
    _update(
        recommendation_table,
        ("description", "service_improvement"),
        plan.recommendation_updates,
        tick=tick,
    )
    compliance_table = ComplianceOutcome._meta.db_table
    _insert(
        compliance_table,
        ("case_id", *COMPLIANCE_FIELDS),
        [(ids[reference], *values) for reference, values in plan.compliance_inserts],
        tick=tick,
    )
    _update(compliance_table, COMPLIANCE_FIELDS, plan.compliance_updates, tick=tick)


def _insert(
    table: str,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    *,
    tick: Callable[[int], object],
) -> None:
    """Insert rows through the driver's own cursor (Django's debug cursor would log each)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for chunk in chunks(rows, 10_000):
                    for row in chunk:
                        copy.write_row(row)
                    tick(len(chunk))
            return
        marker = "?" if connection.vendor == "sqlite" else "%s"
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join([marker] * len(columns))})"
        if connection.vendor == "sqlite":
            # A page cache big enough for the table's indexes saves most of the time (the
            # default is 2 MB); it lasts as long as this connection.
            cursor.execute(f"PRAGMA cache_size = -{_SQLITE_CACHE_KB}")
        for chunk in chunks(rows, 10_000):
            cursor.executemany(sql, chunk)
            tick(len(chunk))


def _update(
    table: str,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    *,
    tick: Callable[[int], object],
) -> None:
    """``rows`` are (*values of ``columns``, id)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    marker = "?" if connection.vendor == "sqlite" else "%s"
    assignments = ", ".join(f"{quote(column)} = {marker}" for column in columns)
    sql = f"UPDATE {quote(table)} SET {assignments} WHERE {quote('id')} = {marker}"
    with connection.cursor() as wrapper:
        for chunk in chunks(rows, 10_000):
            wrapper.cursor.executemany(sql, chunk)
            tick(len(chunk))


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
