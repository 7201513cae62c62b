"""Working out what an import will write: what the database holds, then the plan.

Reads only: the stored cases named by an import (looked up batch by batch while it is
checked), then the stored recommendations and compliance outcomes of those cases, compared with
what the ``Checker`` kept of the rows naming them, give a :class:`Plan` of updates and deletes
with its counts (``writing.write`` carries it out, streaming the records a second time).
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
from .records import CASE_VALUE_FIELDS, ComplianceRecord, RecommendationRecord, columns
from .validation import AuthorityInfo, Checker, StoredCase, digest

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
class Tallies:
    """What an import does to one kind of row (statistics.models.Counts are the figures' counts)."""

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


def stored_lookup(
    references: set[str], *, stored_count: int, last_id: int | None = None
) -> dict[str, StoredCase]:
    """The stored cases among ``references`` (``stored_count``: how many cases are stored;
    ``last_id``: the highest id stored before the import began, so that a pass over the whole
    table skips the import's own new cases, already sent on PostgreSQL)."""
    if not references or stored_count == 0:
        return {}
    fields = ("reference", "id", "dataset_id", *CASE_VALUE_FIELDS)
    found: dict[str, StoredCase] = {}
    if stored_count <= 2 * len(references):
        every = Case.objects.order_by()
        if last_id is not None:
            every = every.filter(pk__lte=last_id)
        rows: Iterable[tuple[Any, ...]] = every.values_list(*fields).iterator(chunk_size=5000)
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

# A decision for a recommendation or compliance row of a stored case, by its position: an
# id to update, or one of these.
INSERT = 0
SAME = -1


@dataclass
class Plan:
    """What the second pass writes besides the rows of new cases (all inserts)."""

    # Per stored case row position: INSERT, SAME or the id to update.
    recommendation_decisions: dict[int, int]
    recommendation_deletes: list[int]
    compliance_decisions: dict[int, int]
    case_counts: Tallies
    recommendation_counts: Tallies
    compliance_counts: Tallies


def plan(checker: Checker, *, problems: Problems) -> Plan:
    """What to write for the checked records, and how many of each change."""
    if checker.no_longer_upheld:
        _check_no_longer_upheld(checker.no_longer_upheld, problems=problems)
    rec_decisions, rec_deletes, rec_counts = _plan_recommendations(checker)
    comp_decisions, comp_counts = _plan_compliance(checker)
    return Plan(
        recommendation_decisions=rec_decisions,
        recommendation_deletes=rec_deletes,
        compliance_decisions=comp_decisions,
        case_counts=Tallies(*checker.case_counts),
        recommendation_counts=rec_counts,
        compliance_counts=comp_counts,
    )


def _plan_recommendations(checker: Checker) -> tuple[dict[int, int], list[int], Tallies]:
    """Those given for a stored case replace its stored ones."""
    given = checker.stored_recommendations
    stored = _stored_recommendations(sorted(given))
    decisions: dict[int, int] = {}
    deletes: list[int] = []
    added, changed, same = checker.new_recommendations, 0, 0
    for case_id, new in given.items():
        old = [
            (pk, kind, due, digest(description, improvement))
            for pk, kind, due, description, improvement in stored.get(case_id, [])
        ]
        found, removed = match_recommendations(new, old)
        for position, decision in found.items():
            decisions[position] = decision
            if decision == INSERT:
                added += 1
            elif decision == SAME:
                same += 1
            else:
                changed += 1
        deletes.extend(removed)
    return decisions, deletes, Tallies(added, changed, same, len(deletes))


def _plan_compliance(checker: Checker) -> tuple[dict[int, int], Tallies]:
    """One outcome per case."""
    given = checker.stored_compliance
    stored = _stored_compliance(sorted({case_id for _, case_id, _, _ in given}))
    decisions: dict[int, int] = {}
    added, changed, same = checker.new_compliance, 0, 0
    for position, case_id, recorded, outcome in given:
        old_rows = stored.get(case_id, [])
        if not old_rows:
            decisions[position] = INSERT
            added += 1
        elif tuple(old_rows[0][1:]) == (recorded, outcome):
            decisions[position] = SAME
            same += 1
        else:
            decisions[position] = old_rows[0][0]
            changed += 1
    return decisions, Tallies(added, changed, same)


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


def match_recommendations(
    new: list[tuple[int, str, Any, bytes]], old: list[tuple[int, str, Any, bytes]]
) -> tuple[dict[int, int], list[int]]:
    """Pair a case's given recommendations with its stored ones.

    Both are (position or id, kind, due date, digest of description and flag). Identical ones
    pair first; then ones of the same kind and due date (a changed description or
    service-improvement flag). Returns a decision per given position (INSERT, SAME or the id
    to update) and the stored ids to delete.
    """
    exact: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for index, row in enumerate(old):
        exact[row[1:]].append(index)
    taken: set[int] = set()
    decisions: dict[int, int] = {}
    unmatched = []
    for row in new:
        candidates = exact.get(row[1:])
        if candidates:
            taken.add(candidates.pop(0))
            decisions[row[0]] = SAME
        else:
            unmatched.append(row)
    by_key: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for index, row in enumerate(old):
        if index not in taken:
            by_key[(row[1], row[2])].append(index)
    for row in unmatched:
        candidates = by_key.get((row[1], row[2]))
        if candidates:
            index = candidates.pop(0)
            taken.add(index)
            decisions[row[0]] = old[index][0]
        else:
            decisions[row[0]] = INSERT
    removed = [row[0] for index, row in enumerate(old) if index not in taken]
    return decisions, removed
