"""Writing an import's checked rows (``councilperf.casework.writing``): on SQLite an import
that adds at least as many cases as are stored makes the cases' indexes after their rows, and
leaves them exactly as they were, even when the import fails half-way."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from django.db import connection

from councilperf.casework import writing
from councilperf.casework.models import Case, ComplianceOutcome, Recommendation
from councilperf.casework.parsing import Kind
from councilperf.casework.services import import_files, import_records
from tests.casework.builders import TODAY, case, compliance, recommendation
from tests.casework.files import rows, write_csv

pytestmark = pytest.mark.django_db

CODE = "E07999001"


def _indexes() -> list[tuple[Any, ...]]:
    """The cases table's indexes, by name, with their definitions."""
    table = Case._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s ORDER BY name",
                [table],
            )
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "ORDER BY indexname",
                [table],
            )
        return cursor.fetchall()


def _import(dataset, references: list[str]):
    return import_records(
        cases=[case(reference, CODE) for reference in references],
        recommendations=[recommendation(reference) for reference in references],
        compliance=[compliance(reference) for reference in references],
        dataset=dataset,
        today=TODAY,
    )


@pytest.fixture
def seen_while_inserting(monkeypatch) -> list[list[tuple[Any, ...]]]:
    """The cases' indexes as they are while the new cases go in (one list per import)."""
    seen: list[list[tuple[Any, ...]]] = []
    insert_all, send = writing._insert_all, writing.CaseSender.send

    def spied(*arguments: Any) -> None:
        seen.append(_indexes())
        insert_all(*arguments)

    def spied_send(sender: writing.CaseSender, rows: Any) -> None:
        # PostgreSQL sends new cases while checking (the query above ends an open COPY).
        seen.append(_indexes())
        send(sender, rows)

    monkeypatch.setattr(writing, "_insert_all", spied)
    monkeypatch.setattr(writing.CaseSender, "send", spied_send)
    monkeypatch.setattr(writing, "_REBUILD_FROM", 3)
    return seen


def _named(indexes: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Indexes with SQL of their own (not those SQLite makes for a UNIQUE constraint)."""
    return [index for index in indexes if index[1] is not None]


def test_a_first_import_makes_the_indexes_after_the_rows(
    borsetshire, dataset, seen_while_inserting
):
    before = _indexes()

    summary = _import(dataset, ["19 000 001", "19 000 002", "19 000 003"])

    assert summary.cases.added == 3
    assert _indexes() == before
    assert len(_named(before)) >= 6
    (during,) = seen_while_inserting
    if connection.vendor == "sqlite":
        assert _named(during) == []
        assert len(during) == len(before) - len(_named(before))
    else:  # dropping an index would lock the table against readers
        assert during == before
    stored = Case.objects.order_by("reference")
    assert [c.reference for c in stored] == ["19 000 001", "19 000 002", "19 000 003"]
    assert Recommendation.objects.filter(case__in=stored).count() == 3
    assert ComplianceOutcome.objects.filter(case__in=stored).count() == 3


def test_a_small_import_or_one_into_a_bigger_table_keeps_its_indexes(
    borsetshire, dataset, seen_while_inserting
):
    before = _indexes()

    _import(dataset, ["19 000 001", "19 000 002"])  # fewer than 3
    _import(dataset, [f"19 001 {n:03d}" for n in range(4)])  # 4 more than stored: made after
    _import(dataset, [f"19 002 {n:03d}" for n in range(5)])  # 5, fewer than the 6 stored

    small, bigger, fewer = seen_while_inserting
    assert small == before and fewer == before
    assert _named(bigger) == ([] if connection.vendor == "sqlite" else _named(before))
    assert _indexes() == before
    assert Case.objects.count() == 11


def test_an_import_failing_after_its_cases_leaves_indexes_and_rows_as_they_were(
    borsetshire, dataset, seen_while_inserting, monkeypatch
):
    before = _indexes()

    def broken(*arguments: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(writing, "_insert_by_reference", broken)

    with pytest.raises(RuntimeError, match="disk full"):
        _import(dataset, ["19 000 001", "19 000 002", "19 000 003"])

    assert len(seen_while_inserting) == 1  # the cases went in before the failure
    assert _indexes() == before
    assert Case.objects.count() == 0


def _cycles_left_by_import(dataset, count: int, folder, year: int) -> int:
    """Reference cycles an import of ``count`` new cases (files, each case with a
    recommendation and a compliance outcome) leaves to the cycle collector, which the import
    pauses."""
    references = [f"{year} {n // 1000:03d} {n % 1000:03d}" for n in range(count)]
    paths = [
        write_csv(
            folder / f"{kind}-{count}.csv", rows(kind, *({"reference": r} for r in references))
        )
        for kind in Kind
    ]
    gc.collect()
    before = _collected()
    import_files(paths=paths, dataset=dataset, today=TODAY)
    assert gc.isenabled()
    gc.collect()
    return _collected() - before


def _collected() -> int:
    """Objects the cycle collector has freed in this process, in every pass so far."""
    return sum(generation["collected"] for generation in gc.get_stats())


def test_an_import_leaves_no_reference_cycles_per_row(borsetshire, dataset, tmp_path):
    small = _cycles_left_by_import(dataset, 20, tmp_path, year=18)
    big = _cycles_left_by_import(dataset, 2000, tmp_path, year=19)

    assert Case.objects.count() == 2020
    assert big <= small + 20  # not one (or more) per row
