"""Writing casework: the one way records get into the database (command, admin, demo data).

``import_records`` validates every record first (``validation``), collecting all problems; if
there is any it raises ``CaseworkValidationError`` and writes nothing. Otherwise it writes
everything in one transaction, upserting cases by reference, and returns what it added, changed
and left unchanged. It is built for hundreds of thousands of records: lookups are loaded once
into memory, and rows are written in batches of plain SQL (no query per row).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from tqdm import tqdm

from councilperf.authorities.models import Authority

from .models import Case, ComplianceOutcome, Dataset, ImportRun, Recommendation
from .parsing import read_files
from .problems import CaseworkValidationError, Problems
from .records import CaseRecord, ComplianceRecord, RecommendationRecord
from .validation import (
    CASE_VALUE_FIELDS,
    UPHELD,
    AuthorityInfo,
    ImportSource,
    StoredCase,
    validate,
)

__all__ = [
    "CaseworkValidationError",
    "Counts",
    "ImportSource",
    "ImportSummary",
    "import_files",
    "import_records",
]

T = TypeVar("T")

# Imports of more rows than this show a progress bar (when asked to).
PROGRESS_ROWS = 5_000
# Lookups by a list of values go in chunks below SQLite's oldest limit on query parameters.
_LOOKUP_CHUNK = 900
# SQLite page cache while writing, in KiB.
_SQLITE_CACHE_KB = 256 * 1024


@dataclass(frozen=True, slots=True)
class Counts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0

    def __str__(self) -> str:
        text = f"{self.added:,} added, {self.changed:,} changed, {self.unchanged:,} unchanged"
        return text + (f", {self.removed:,} removed" if self.removed else "")


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did (or, for a dry run, would do)."""

    cases: Counts
    recommendations: Counts
    compliance: Counts
    dry_run: bool = False
    import_run_id: int | None = None

    @property
    def changes_anything(self) -> bool:
        return any(
            counts.added or counts.changed or counts.removed
            for counts in (self.cases, self.recommendations, self.compliance)
        )

    def lines(self) -> list[str]:
        return [
            f"Cases: {self.cases}",
            f"Recommendations: {self.recommendations}",
            f"Compliance outcomes: {self.compliance}",
        ]

    def __str__(self) -> str:
        head = "Dry run: nothing was written. Would import:" if self.dry_run else "Imported:"
        return "\n".join([head, *self.lines()])


def import_records(
    *,
    cases: Iterable[CaseRecord],
    recommendations: Iterable[RecommendationRecord],
    compliance: Iterable[ComplianceRecord],
    dataset: Dataset,
    dry_run: bool = False,
    progress: bool = False,
    today: dt.date | None = None,
    source: ImportSource | None = None,
) -> ImportSummary:
    """Validate all records, then write them all in one transaction (unless ``dry_run``).

    Raises ``CaseworkValidationError`` (``.errors``) and writes nothing if any record has a
    problem. Cases are matched by reference: a new reference is added, a known one updated if
    any value differs. The recommendations of each case named in ``recommendations`` replace
    that case's stored ones (matched by kind and due date); a compliance outcome replaces the
    case's stored one. Cases, recommendations and compliance outcomes not named are left alone.
    """
    return run_import(
        cases=cases,
        recommendations=recommendations,
        compliance=compliance,
        dataset=dataset,
        dry_run=dry_run,
        progress=progress,
        today=today,
        source=source,
        problems=Problems(),
        unreadable=frozenset(),
    )


def import_files(
    *,
    paths: Sequence[Path],
    dataset: Dataset,
    names: Sequence[str] | None = None,
    dry_run: bool = False,
    progress: bool = False,
    today: dt.date | None = None,
    label: str = "",
    user: str = "",
) -> ImportSummary:
    """Read casework files (CSV or XLSX, kind recognised by header) and import them together.

    All files are validated together; any problem in any file raises
    ``CaseworkValidationError`` listing every problem found, and nothing is written.
    """
    problems = Problems()
    parsed = read_files(paths, names=names, problems=problems, progress=progress)
    if parsed.unreadable_file:
        # Some file could not be read at all: checking the others' records against it would
        # only list consequences of that.
        raise problems.error()
    return run_import(
        cases=parsed.cases,
        recommendations=parsed.recommendations,
        compliance=parsed.compliance,
        dataset=dataset,
        dry_run=dry_run,
        progress=progress,
        today=today,
        source=parsed.source(label=label, user=user),
        problems=problems,
        unreadable=frozenset(parsed.unreadable),
    )


def run_import(
    *,
    cases: Iterable[CaseRecord],
    recommendations: Iterable[RecommendationRecord],
    compliance: Iterable[ComplianceRecord],
    dataset: Dataset,
    dry_run: bool,
    progress: bool,
    today: dt.date | None,
    source: ImportSource | None,
    problems: Problems,
    unreadable: frozenset[str],
) -> ImportSummary:
    """``import_records`` that also reports ``problems`` already found while reading files.

    ``unreadable`` are references whose case rows could not be read: rows naming them are not
    reported again as naming an unknown case.
    """
    started_at = timezone.now()
    case_list = _as_list(cases)
    recommendation_list = _as_list(recommendations)
    compliance_list = _as_list(compliance)
    today = today or timezone.localdate()
    total = len(case_list) + len(recommendation_list) + len(compliance_list)
    with (
        tqdm(
            total=2 * total,
            unit=" rows",
            desc="Checking and writing",
            disable=not progress or total < PROGRESS_ROWS,
            leave=False,
        ) as bar,
        nullcontext() if dry_run else transaction.atomic(),
    ):
        # One transaction from the first read to the last write: what was checked is what is
        # written to (on SQLite it also holds the write lock, so imports queue).
        authorities = _load_authorities()
        references = {
            record.reference
            for records in (case_list, recommendation_list, compliance_list)
            for record in records
            if isinstance(record.reference, str)
        }
        stored = _load_stored_cases(references)
        validate(
            cases=case_list,
            recommendations=recommendation_list,
            compliance=compliance_list,
            authorities=authorities,
            stored=stored,
            dataset_id=dataset.pk,
            dataset_names=dict(Dataset.objects.values_list("id", "name")),
            today=today,
            problems=problems,
            source=source,
            unreadable=unreadable,
        )
        if problems:
            raise problems.error()
        bar.update(total)
        plan = _plan(
            cases=case_list,
            recommendations=recommendation_list,
            compliance=compliance_list,
            authorities=authorities,
            stored=stored,
            dataset=dataset,
            problems=problems,
        )
        if problems:
            raise problems.error()
        summary = ImportSummary(
            cases=plan.case_counts,
            recommendations=plan.recommendation_counts,
            compliance=plan.compliance_counts,
            dry_run=dry_run,
        )
        if dry_run:
            return summary
        _write(plan, dataset=dataset, tick=bar.update)
        run = ImportRun.objects.create(
            started_at=started_at,
            finished_at=timezone.now(),
            dataset=dataset,
            source=(source.label if source else "")[:200],
            user=(source.user if source else "")[:150],
            files=[dict(entry) for entry in source.files] if source else [],
            cases_added=summary.cases.added,
            cases_changed=summary.cases.changed,
            cases_unchanged=summary.cases.unchanged,
            recommendations_added=summary.recommendations.added,
            recommendations_changed=summary.recommendations.changed,
            recommendations_unchanged=summary.recommendations.unchanged,
            recommendations_removed=summary.recommendations.removed,
            compliance_added=summary.compliance.added,
            compliance_changed=summary.compliance.changed,
            compliance_unchanged=summary.compliance.unchanged,
        )
    return ImportSummary(
        cases=summary.cases,
        recommendations=summary.recommendations,
        compliance=summary.compliance,
        dry_run=False,
        import_run_id=run.pk,
    )


def _as_list(items: Iterable[T]) -> list[T]:
    return items if isinstance(items, list) else list(items)


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Loading what the database already holds --------------------------------------------------


def _load_authorities() -> dict[str, AuthorityInfo]:
    rows = Authority.objects.values_list(
        "id", "gss_code", "official_name", "start_date", "end_date"
    )
    return {code: AuthorityInfo(pk, code, name, start, end) for pk, code, name, start, end in rows}


def _load_stored_cases(references: set[str]) -> dict[str, StoredCase]:
    """The stored cases among ``references``: the whole table if that is cheaper."""
    if not references:
        return {}
    stored_count = Case.objects.count()
    if stored_count == 0:
        return {}
    fields = ("reference", "id", "dataset_id", *CASE_VALUE_FIELDS)
    found: dict[str, StoredCase] = {}
    if stored_count <= 2 * len(references):
        rows: Iterable[tuple[Any, ...]] = (
            Case.objects.order_by().values_list(*fields).iterator(chunk_size=5000)
        )
        for reference, pk, dataset_id, *values in rows:
            if reference in references:
                found[reference] = StoredCase(pk, dataset_id, tuple(values))
        return found
    for chunk in _chunks(sorted(references), _LOOKUP_CHUNK):
        for reference, pk, dataset_id, *values in (
            Case.objects.order_by().filter(reference__in=chunk).values_list(*fields)
        ):
            found[reference] = StoredCase(pk, dataset_id, tuple(values))
    return found


def _by_case_id(
    queryset: QuerySet[Any], fields: Sequence[str], case_ids: Sequence[int]
) -> dict[int, list[tuple[Any, ...]]]:
    """``fields`` of the rows of ``queryset`` that belong to ``case_ids``, grouped by case id.

    For many cases, one pass over the whole table is cheaper than lookups by id.
    """
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    if not case_ids:
        return grouped
    if 2 * len(case_ids) >= Case.objects.count():
        wanted = set(case_ids)
        for case_id, *rest in queryset.values_list("case_id", *fields).iterator(chunk_size=10_000):
            if case_id in wanted:
                grouped[case_id].append(tuple(rest))
        return grouped
    for chunk in _chunks(case_ids, _LOOKUP_CHUNK):
        for case_id, *rest in queryset.filter(case_id__in=chunk).values_list("case_id", *fields):
            grouped[case_id].append(tuple(rest))
    return grouped


def _stored_recommendations(case_ids: Sequence[int]) -> dict[int, list[tuple[Any, ...]]]:
    """Per case id: (id, kind, description, due_date, service_improvement), in id order."""
    return _by_case_id(
        Recommendation.objects.order_by("id"),
        ("id", "kind", "description", "due_date", "service_improvement"),
        case_ids,
    )


def _stored_compliance(case_ids: Sequence[int]) -> dict[int, list[tuple[Any, ...]]]:
    """Per case id: [(id, recorded_date, outcome)]."""
    return _by_case_id(
        ComplianceOutcome.objects.order_by(), ("id", "recorded_date", "outcome"), case_ids
    )


# Working out what to write ----------------------------------------------------------------


@dataclass
class _Plan:
    case_inserts: list[tuple[Any, ...]]  # (reference, *CASE_VALUE_FIELDS)
    case_updates: list[tuple[Any, ...]]  # (*CASE_VALUE_FIELDS, id)
    stored_ids: dict[str, int]
    recommendation_inserts: list[tuple[str, tuple[Any, ...]]]  # reference, values
    recommendation_updates: list[tuple[Any, ...]]  # (description, service_improvement, id)
    recommendation_deletes: list[int]
    compliance_inserts: list[tuple[str, tuple[Any, ...]]]  # reference, (recorded, outcome)
    compliance_updates: list[tuple[Any, ...]]  # (recorded_date, outcome, id)
    case_counts: Counts
    recommendation_counts: Counts
    compliance_counts: Counts


def _case_values(case: CaseRecord, authority_id: int) -> tuple[Any, ...]:
    return (
        authority_id,
        case.received_date,
        case.decision_date,
        case.service_area,
        case.outcome,
        case.remedied_by_authority,
        case.public_report_date,
        case.summary,
        case.statement_url,
    )


def _plan(
    *,
    cases: list[CaseRecord],
    recommendations: list[RecommendationRecord],
    compliance: list[ComplianceRecord],
    authorities: dict[str, AuthorityInfo],
    stored: dict[str, StoredCase],
    dataset: Dataset,
    problems: Problems,
) -> _Plan:
    case_inserts: list[tuple[Any, ...]] = []
    case_updates: list[tuple[Any, ...]] = []
    unchanged = 0
    no_longer_upheld: dict[int, str] = {}
    for case in cases:
        values = _case_values(case, authorities[case.authority_code].id)
        existing = stored.get(case.reference)
        if existing is None:
            case_inserts.append((case.reference, *values))
        elif existing.values == values:
            unchanged += 1
        else:
            case_updates.append((*values, existing.id))
            if existing.outcome == UPHELD and case.outcome != UPHELD:
                no_longer_upheld[existing.id] = case.reference
    case_counts = Counts(len(case_inserts), len(case_updates), unchanged)
    stored_ids = {reference: case.id for reference, case in stored.items()}

    if no_longer_upheld:
        _check_no_longer_upheld(no_longer_upheld, problems=problems)

    # Recommendations: those given for a case replace its stored ones.
    given: dict[str, list[RecommendationRecord]] = defaultdict(list)
    for recommendation in recommendations:
        given[recommendation.reference].append(recommendation)
    stored_recommendations = _stored_recommendations(
        sorted(stored_ids[ref] for ref in given if ref in stored_ids)
    )
    rec_inserts: list[tuple[str, tuple[Any, ...]]] = []
    rec_updates: list[tuple[Any, ...]] = []
    rec_deletes: list[int] = []
    rec_unchanged = 0
    for reference, new in given.items():
        case_id = stored_ids.get(reference)
        old = stored_recommendations.get(case_id, []) if case_id is not None else []
        added, changed, same, removed = _match_recommendations(new, old)
        rec_inserts.extend((reference, values) for values in added)
        rec_updates.extend(changed)
        rec_deletes.extend(removed)
        rec_unchanged += same
    recommendation_counts = Counts(
        len(rec_inserts), len(rec_updates), rec_unchanged, len(rec_deletes)
    )

    # Compliance: one per case.
    stored_compliance = _stored_compliance(
        sorted(stored_ids[c.reference] for c in compliance if c.reference in stored_ids)
    )
    comp_inserts: list[tuple[str, tuple[Any, ...]]] = []
    comp_updates: list[tuple[Any, ...]] = []
    comp_unchanged = 0
    for outcome in compliance:
        case_id = stored_ids.get(outcome.reference)
        old_rows = stored_compliance.get(case_id, []) if case_id is not None else []
        values = (outcome.recorded_date, outcome.outcome)
        if not old_rows:
            comp_inserts.append((outcome.reference, values))
        elif tuple(old_rows[0][1:]) == values:
            comp_unchanged += 1
        else:
            comp_updates.append((*values, old_rows[0][0]))
    compliance_counts = Counts(len(comp_inserts), len(comp_updates), comp_unchanged)

    return _Plan(
        case_inserts=case_inserts,
        case_updates=case_updates,
        stored_ids=stored_ids,
        recommendation_inserts=rec_inserts,
        recommendation_updates=rec_updates,
        recommendation_deletes=rec_deletes,
        compliance_inserts=comp_inserts,
        compliance_updates=comp_updates,
        case_counts=case_counts,
        recommendation_counts=recommendation_counts,
        compliance_counts=compliance_counts,
    )


def _check_no_longer_upheld(cases: dict[int, str], *, problems: Problems) -> None:
    """A case changed away from upheld must not keep stored recommendations or compliance."""
    ids = sorted(cases)
    with_recommendations = _stored_recommendations(ids)
    with_compliance = _stored_compliance(ids)
    for case_id in ids:
        kept = []
        if with_recommendations.get(case_id):
            kept.append(f"{len(with_recommendations[case_id])} recommendation(s)")
        if with_compliance.get(case_id):
            kept.append("a compliance outcome")
        if kept:
            problems.add(
                "this case is stored as upheld with "
                + " and ".join(kept)
                + "; it can only become not upheld once those are deleted (in the admin)",
                file="cases",
                column="outcome",
                value=cases[case_id],
            )


def _match_recommendations(
    new: list[RecommendationRecord], old: list[tuple[Any, ...]]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int, list[int]]:
    """Pair new recommendations with a case's stored ones.

    Identical ones pair first; then ones of the same kind and due date (a changed description
    or service-improvement flag). Returns (to add, to update, unchanged count, ids to delete).
    """
    remaining = list(old)
    unmatched: list[tuple[Any, ...]] = []
    same = 0
    exact: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for index, (_, kind, description, due, improvement) in enumerate(remaining):
        exact[(kind, description, due, improvement)].append(index)
    taken: set[int] = set()
    for rec in new:
        values = (rec.kind, rec.description, rec.due_date, rec.service_improvement)
        candidates = exact.get(values)
        if candidates:
            taken.add(candidates.pop(0))
            same += 1
        else:
            unmatched.append(values)
    by_key: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for index, (_, kind, _description, due, _improvement) in enumerate(remaining):
        if index not in taken:
            by_key[(kind, due)].append(index)
    added: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    for values in unmatched:
        candidates = by_key.get((values[0], values[2]))
        if candidates:
            index = candidates.pop(0)
            taken.add(index)
            changed.append((values[1], values[3], remaining[index][0]))
        else:
            added.append(values)
    removed = [row[0] for index, row in enumerate(remaining) if index not in taken]
    return added, changed, same, removed


# Writing -----------------------------------------------------------------------------------


def _write(plan: _Plan, *, dataset: Dataset, tick: Callable[[int], object]) -> None:
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
        ("case_id", "kind", "description", "due_date", "service_improvement"),
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
        ("case_id", "recorded_date", "outcome"),
        [(ids[reference], *values) for reference, values in plan.compliance_inserts],
        tick=tick,
    )
    _update(compliance_table, ("recorded_date", "outcome"), plan.compliance_updates, tick=tick)


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
                for chunk in _chunks(rows, 10_000):
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
        for chunk in _chunks(rows, 10_000):
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
        for chunk in _chunks(rows, 10_000):
            wrapper.cursor.executemany(sql, chunk)
            tick(len(chunk))


def _delete(table: str, ids: Sequence[int]) -> None:
    if not ids:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for chunk in _chunks(sorted(ids), _LOOKUP_CHUNK):
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"DELETE FROM {quote(table)} WHERE {quote('id')} IN ({placeholders})", chunk
            )
