"""Working out what an import will write: what the database holds, then the plan.

Reads only: the stored cases, recommendations and compliance outcomes named by an import,
compared with the records, give a :class:`Plan` of inserts, updates and deletes with its
counts (``writing.write`` carries it out).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import QuerySet

from councilperf.authorities.models import Authority

from .codes import Outcome
from .models import Case, ComplianceOutcome, Recommendation
from .problems import Problems
from .records import (
    CASE_VALUE_FIELDS,
    CaseRecord,
    ComplianceRecord,
    RecommendationRecord,
    columns,
)
from .validation import AuthorityInfo, StoredCase

T = TypeVar("T")

UPHELD = Outcome.UPHELD.value
# Lookups by a list of values go in chunks below SQLite's oldest limit on query parameters.
LOOKUP_CHUNK = 900
# A stored recommendation's values as compared with a record (after its id).
RECOMMENDATION_FIELDS: tuple[str, ...] = columns(RecommendationRecord)[1:]
assert RECOMMENDATION_FIELDS[:2] == ("kind", "due_date"), "matching pairs by kind and due date"
COMPLIANCE_FIELDS: tuple[str, ...] = columns(ComplianceRecord)[1:]


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True, slots=True)
class Counts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0

    def __str__(self) -> str:
        text = f"{self.added:,} added, {self.changed:,} changed, {self.unchanged:,} unchanged"
        return text + (f", {self.removed:,} removed" if self.removed else "")


# Loading what the database already holds --------------------------------------------------


def load_authorities() -> dict[str, AuthorityInfo]:
    rows = Authority.objects.values_list(
        "id", "gss_code", "official_name", "start_date", "end_date"
    )
    return {code: AuthorityInfo(pk, code, name, start, end) for pk, code, name, start, end in rows}


def load_stored_cases(references: set[str]) -> dict[str, StoredCase]:
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
    for chunk in chunks(sorted(references), LOOKUP_CHUNK):
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
    for chunk in chunks(case_ids, LOOKUP_CHUNK):
        for case_id, *rest in queryset.filter(case_id__in=chunk).values_list("case_id", *fields):
            grouped[case_id].append(tuple(rest))
    return grouped


def _stored_recommendations(case_ids: Sequence[int]) -> dict[int, list[tuple[Any, ...]]]:
    """Per case id: (id, kind, due_date, description, service_improvement), in id order."""
    return _by_case_id(
        Recommendation.objects.order_by("id"),
        ("id", *RECOMMENDATION_FIELDS),
        case_ids,
    )


def _stored_compliance(case_ids: Sequence[int]) -> dict[int, list[tuple[Any, ...]]]:
    """Per case id: [(id, recorded_date, outcome)]."""
    return _by_case_id(ComplianceOutcome.objects.order_by(), ("id", *COMPLIANCE_FIELDS), case_ids)


# Working out what to write ----------------------------------------------------------------


@dataclass
class Plan:
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


def case_values(case: CaseRecord, authority_id: int) -> tuple[Any, ...]:
    """A case record's values in the order of ``CASE_VALUE_FIELDS``."""
    return tuple(
        authority_id if name == "authority_id" else getattr(case, name)
        for name in CASE_VALUE_FIELDS
    )


def plan(
    *,
    cases: list[CaseRecord],
    recommendations: list[RecommendationRecord],
    compliance: list[ComplianceRecord],
    authorities: dict[str, AuthorityInfo],
    stored: dict[str, StoredCase],
    problems: Problems,
) -> Plan:
    """What to write for these (validated) records, and how many of each change."""
    case_inserts, case_updates, unchanged, no_longer_upheld = _plan_cases(
        cases, authorities, stored
    )
    stored_ids = {reference: case.id for reference, case in stored.items()}
    if no_longer_upheld:
        _check_no_longer_upheld(no_longer_upheld, problems=problems)
    rec_inserts, rec_updates, rec_deletes, rec_unchanged = _plan_recommendations(
        recommendations, stored_ids
    )
    comp_inserts, comp_updates, comp_unchanged = _plan_compliance(compliance, stored_ids)
    return Plan(
        case_inserts=case_inserts,
        case_updates=case_updates,
        stored_ids=stored_ids,
        recommendation_inserts=rec_inserts,
        recommendation_updates=rec_updates,
        recommendation_deletes=rec_deletes,
        compliance_inserts=comp_inserts,
        compliance_updates=comp_updates,
        case_counts=Counts(len(case_inserts), len(case_updates), unchanged),
        recommendation_counts=Counts(
            len(rec_inserts), len(rec_updates), rec_unchanged, len(rec_deletes)
        ),
        compliance_counts=Counts(len(comp_inserts), len(comp_updates), comp_unchanged),
    )


def _plan_cases(
    cases: list[CaseRecord], authorities: dict[str, AuthorityInfo], stored: dict[str, StoredCase]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int, dict[int, str]]:
    """(inserts, updates, unchanged count, stored ids of cases no longer upheld)."""
    inserts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    unchanged = 0
    no_longer_upheld: dict[int, str] = {}
    for case in cases:
        values = case_values(case, authorities[case.authority_code].id)
        existing = stored.get(case.reference)
        if existing is None:
            inserts.append((case.reference, *values))
        elif existing.values == values:
            unchanged += 1
        else:
            updates.append((*values, existing.id))
            if existing.outcome == UPHELD and case.outcome != UPHELD:
                no_longer_upheld[existing.id] = case.reference
    return inserts, updates, unchanged, no_longer_upheld


def _plan_recommendations(
    recommendations: list[RecommendationRecord], stored_ids: dict[str, int]
) -> tuple[list[tuple[str, tuple[Any, ...]]], list[tuple[Any, ...]], list[int], int]:
    """Those given for a case replace its stored ones: (inserts, updates, deletes, unchanged)."""
    given: dict[str, list[RecommendationRecord]] = defaultdict(list)
    for recommendation in recommendations:
        given[recommendation.reference].append(recommendation)
    stored = _stored_recommendations(sorted(stored_ids[ref] for ref in given if ref in stored_ids))
    inserts: list[tuple[str, tuple[Any, ...]]] = []
    updates: list[tuple[Any, ...]] = []
    deletes: list[int] = []
    unchanged = 0
    for reference, new in given.items():
        case_id = stored_ids.get(reference)
        old = stored.get(case_id, []) if case_id is not None else []
        added, changed, same, removed = _match_recommendations(new, old)
        inserts.extend((reference, values) for values in added)
        updates.extend(changed)
        deletes.extend(removed)
        unchanged += same
    return inserts, updates, deletes, unchanged


def _plan_compliance(
    compliance: list[ComplianceRecord], stored_ids: dict[str, int]
) -> tuple[list[tuple[str, tuple[Any, ...]]], list[tuple[Any, ...]], int]:
    """One outcome per case: (inserts, updates, unchanged)."""
    stored = _stored_compliance(
        sorted(stored_ids[c.reference] for c in compliance if c.reference in stored_ids)
    )
    inserts: list[tuple[str, tuple[Any, ...]]] = []
    updates: list[tuple[Any, ...]] = []
    unchanged = 0
    for outcome in compliance:
        case_id = stored_ids.get(outcome.reference)
        old_rows = stored.get(case_id, []) if case_id is not None else []
        values = tuple(getattr(outcome, name) for name in COMPLIANCE_FIELDS)
        if not old_rows:
            inserts.append((outcome.reference, values))
        elif tuple(old_rows[0][1:]) == values:
            unchanged += 1
        else:
            updates.append((*values, old_rows[0][0]))
    return inserts, updates, unchanged


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
    # Rows and values are in the order of RECOMMENDATION_FIELDS: kind, due date,
    # description, service improvement (old rows begin with their id).
    remaining = list(old)
    unmatched: list[tuple[Any, ...]] = []
    same = 0
    exact: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for index, row in enumerate(remaining):
        exact[tuple(row[1:])].append(index)
    taken: set[int] = set()
    for rec in new:
        values = tuple(getattr(rec, name) for name in RECOMMENDATION_FIELDS)
        candidates = exact.get(values)
        if candidates:
            taken.add(candidates.pop(0))
            same += 1
        else:
            unmatched.append(values)
    by_key: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for index, row in enumerate(remaining):
        if index not in taken:
            by_key[(row[1], row[2])].append(index)
    added: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    for values in unmatched:
        kind, due, description, improvement = values
        candidates = by_key.get((kind, due))
        if candidates:
            index = candidates.pop(0)
            taken.add(index)
            changed.append((description, improvement, remaining[index][0]))
        else:
            added.append(values)
    removed = [row[0] for index, row in enumerate(remaining) if index not in taken]
    return added, changed, same, removed
