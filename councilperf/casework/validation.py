"""Checks on casework records as they stream past, in plain Python (no queries of its own).

A ``Checker`` takes every record of one import, kind by kind (cases first), and adds each
problem it finds to a ``Problems`` collector; it never stops at the first problem. It keeps
only what the checks and the writes need: one packed integer of facts per case reference
(``facts``), the references rejected, and, for rows naming stored cases, a compact line each
to match against what is stored. What the database holds comes through ``lookup`` (the
stored cases among some references), given by the caller.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

from . import case_checks
from . import facts as packed
from .facts import Action
from .problems import Location, Problems
from .records import CaseRecord, ComplianceRecord, RecommendationRecord, case_values
from .rules import (
    COMPLIANCE_RESULTS,
    EARLIEST_DATE,
    MAX_DESCRIPTION_LENGTH,
    NOT_A_COMPLIANCE_OUTCOME,
    NOT_A_KIND,
    NOT_A_SERVICE_AREA,
    NOT_AN_OUTCOME,
    RECOMMENDATION_KINDS,
    UPHELD,
    AuthorityInfo,
    StoredCase,
    date_problem,
    text_problem,
)
from .spill import Spill, case_row, day

__all__ = [
    "NOT_AN_OUTCOME",
    "NOT_A_COMPLIANCE_OUTCOME",
    "NOT_A_KIND",
    "NOT_A_SERVICE_AREA",
    "AuthorityInfo",
    "Checker",
    "ImportSource",
    "StoredCase",
    "digest",
]

T = TypeVar("T")
# Records are checked in batches of this many, one lookup of stored cases per batch.
BATCH = 2_000
# where(kind, position): the location of a record from its position in its stream.
Where = Callable[[str, int], Location]
Lookup = Callable[[set[str]], Mapping[str, StoredCase]]


@dataclass(frozen=True)
class ImportSource:
    """Where records came from, so problems can name a file and row.

    ``case_rows[i]`` is the location of the i-th case record (and so on) given as records.
    ``label`` says how the records came in (e.g. "import_casework command") for the import
    record. ``files`` lists the files read: name, kind, rows and sha256 of each.
    """

    label: str = ""
    user: str = ""
    files: Sequence[Mapping[str, object]] = ()
    case_rows: Sequence[Location] = ()
    recommendation_rows: Sequence[Location] = ()
    compliance_rows: Sequence[Location] = ()


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def digest(description: str, service_improvement: bool) -> bytes:
    """A recommendation's free text and flag, as a short fingerprint to compare with."""
    text = ("1" if service_improvement else "0") + description
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass
class Checker:
    """Checks an import's records; learns what it needs to write them."""

    authorities: Mapping[str, AuthorityInfo]
    dataset_id: int
    dataset_names: Mapping[int, str]
    today: dt.date
    problems: Problems
    where: Where
    lookup: Lookup
    unreadable: frozenset[str] = frozenset()
    # Where the good rows go, as they will be written (none: a dry run).
    spill: Spill | None = None
    facts: dict[str, int] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)
    # Positions (+1) of first rows with these references that were rejected.
    rejected_first: dict[str, int] = field(default_factory=dict)
    compliance_first: dict[str, int] = field(default_factory=dict)
    case_counts: list[int] = field(default_factory=lambda: [0, 0, 0])  # added, changed, same
    no_longer_upheld: dict[int, str] = field(default_factory=dict)
    new_recommendations: int = 0
    # Per stored case id: (position, kind, due date, digest) of each recommendation given.
    stored_recommendations: dict[int, list[tuple[int, str, dt.date, bytes]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    new_compliance: int = 0
    # (position, stored case id, recorded date, outcome) of each compliance row of a stored case.
    stored_compliance: list[tuple[int, int, dt.date, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rejected.update(self.unreadable)

    def _reporter(self, kind: str, position: int) -> Callable[[str, str, object], None]:
        def report(message: str, column: str, value: object) -> None:
            self.problems.add(message, at=self.where(kind, position), column=column, value=value)

        return report

    # Cases ---------------------------------------------------------------------------------

    def check_cases(self, cases: Iterable[tuple[int, CaseRecord]]) -> None:
        facts = self.facts
        for batch in batched(cases, BATCH):
            # A reference this import has already read is checked as a repeat, never against
            # the database (which may, by now, hold the import's own new cases: ``spill``).
            stored = self.lookup(
                {
                    case.reference
                    for _, case in batch
                    if isinstance(case.reference, str) and case.reference not in facts
                }
            )
            for position, case in batch:
                self._check_case(position, case, stored)

    def _check_case(
        self, position: int, case: CaseRecord, stored: Mapping[str, StoredCase]
    ) -> None:
        before = self.problems.total
        reference = case.reference
        seen = self._first_case_row(reference) if isinstance(reference, str) else 0
        case_checks.check_case(
            case,
            self._reporter("cases", position),
            earlier=self.where("cases", seen - 1) if seen else None,
            authorities=self.authorities,
            stored=stored,
            dataset_id=self.dataset_id,
            dataset_names=self.dataset_names,
            today=self.today,
        )
        if self.problems.total == before:
            self._learn_case(position, case, stored.get(reference))
        elif isinstance(reference, str):
            self.rejected.add(reference)
            if not seen and case_checks.reference_ok(reference):
                self.rejected_first[reference] = position + 1

    def _first_case_row(self, reference: str) -> int:
        known = self.facts.get(reference)
        if known is not None:
            return packed.case_seen(known)
        return self.rejected_first.get(reference, 0)

    def _learn_case(self, position: int, case: CaseRecord, existing: StoredCase | None) -> None:
        authority_id = self.authorities[case.authority_code].id
        if existing is None:
            action, stored_id = Action.INSERT, 0
        else:
            same = existing.values == case_values(case, authority_id)
            action, stored_id = (Action.UNCHANGED if same else Action.UPDATE), existing.id
            if not same and existing.outcome == UPHELD and case.outcome != UPHELD:
                self.no_longer_upheld[existing.id] = case.reference
        self.case_counts[action - 1] += 1
        if self.spill is not None and action is not Action.UNCHANGED:
            row = case_row(case, authority_id)
            if stored_id:
                self.spill.add("case_updates", (*row, stored_id))
            else:
                self.spill.add("cases", (case.reference, self.dataset_id, *row))
        self.facts[case.reference] = packed.pack_values(
            case.outcome, case.decision_date, action, case_seen=position + 1, stored_id=stored_id
        )

    # The case a row names --------------------------------------------------------------------

    def _stored_for(self, references: Iterable[str]) -> None:
        """Learn the stored cases among ``references`` that the import's case rows do not name."""
        wanted = {ref for ref in references if ref not in self.facts and ref not in self.rejected}
        for reference, case in self.lookup(wanted).items():
            self.facts[reference] = packed.pack_values(
                case.outcome, case.decision_date, Action.STORED, stored_id=case.id
            )

    def _case_of(
        self, reference: str, report: Callable[[str, str, object], None], kind: str
    ) -> int | None:
        """The packed facts of the case a row names (None: unknown, reported, or rejected)."""
        known = self.facts.get(reference)
        if known is not None or reference in self.rejected:
            return known
        report(
            f"no case has this reference, in the cases file(s) or the database; a {kind} needs "
            "its case",
            "reference",
            reference,
        )
        return None

    def _decided(
        self,
        known: int | None,
        report: Callable[[str, str, object], None],
        reference: str,
        what: str,
    ) -> dt.date | None:
        """The named case's decision date, after reporting it if it is not upheld."""
        if known is None:
            return None
        outcome = packed.outcome(known)
        if outcome != UPHELD:
            report(
                f"{what} only on upheld decisions; this case's outcome is "
                f"“{outcome or 'none (not decided)'}”",
                "reference",
                reference,
            )
        return packed.decision_date(known)

    # Recommendations -----------------------------------------------------------------------

    def check_recommendations(self, rows: Iterable[tuple[int, RecommendationRecord]]) -> None:
        for batch in batched(rows, BATCH):
            self._stored_for(rec.reference for _, rec in batch if isinstance(rec.reference, str))
            for position, recommendation in batch:
                self._check_recommendation(position, recommendation)

    def _check_recommendation(self, position: int, recommendation: RecommendationRecord) -> None:
        before = self.problems.total
        reference = recommendation.reference
        report = self._reporter("recommendations", position)
        known = self._case_of(reference, report, "recommendation")
        decided = self._decided(known, report, reference, "recommendations are made")
        if recommendation.kind not in RECOMMENDATION_KINDS:
            report(NOT_A_KIND, "kind", recommendation.kind)
        due = recommendation.due_date
        if due is None:
            report("is blank; this date is required", "due_date", due)
        elif not isinstance(due, dt.date) or due < EARLIEST_DATE:
            report(date_problem(due, today=due, optional=False) or "", "due_date", due)
        elif decided is not None and due < decided:
            report(
                f"the recommendation is due before the decision ({decided:%d/%m/%Y})",
                "due_date",
                due,
            )
        message = text_problem(recommendation.description, "description", MAX_DESCRIPTION_LENGTH)
        if message:
            report(message, "description", recommendation.description)
        if recommendation.service_improvement not in (True, False):
            report(
                "is not true or false", "service_improvement", recommendation.service_improvement
            )
        if known is None or self.problems.total > before:
            return
        action = packed.action(known)
        if self.spill is not None:
            values = (
                recommendation.kind,
                day(due),
                recommendation.description,
                recommendation.service_improvement,
            )
            if action is Action.INSERT:
                self.spill.add("recommendations", (reference, *values))
            else:
                self.spill.add(
                    "stored_recommendations", (position, packed.stored_id(known), *values)
                )
        if action is Action.INSERT:
            self.new_recommendations += 1
            return
        self.stored_recommendations[packed.stored_id(known)].append(
            (
                position,
                recommendation.kind,
                due,
                digest(recommendation.description, recommendation.service_improvement),
            )
        )

    # Compliance ------------------------------------------------------------------------------

    def check_compliance(self, rows: Iterable[tuple[int, ComplianceRecord]]) -> None:
        for batch in batched(rows, BATCH):
            self._stored_for(row.reference for _, row in batch if isinstance(row.reference, str))
            for position, outcome in batch:
                self._check_outcome(position, outcome)

    def _first_compliance_row(self, reference: str) -> int:
        known = self.facts.get(reference)
        seen = packed.compliance_seen(known) if known is not None else 0
        return seen or self.compliance_first.get(reference, 0)

    def _check_outcome(self, position: int, outcome: ComplianceRecord) -> None:
        before = self.problems.total
        reference = outcome.reference
        report = self._reporter("compliance", position)
        seen = self._first_compliance_row(reference)
        if seen:
            report(
                "a case has one compliance outcome, and this reference appears more than once "
                f"(also {self.where('compliance', seen - 1)})",
                "reference",
                reference,
            )
            return
        known = self._case_of(reference, report, "compliance outcome")
        if known is not None:
            self.facts[reference] = packed.with_compliance(known, position + 1)
        else:
            self.compliance_first[reference] = position + 1
        decided = self._decided(known, report, reference, "compliance is recorded")
        if outcome.outcome not in COMPLIANCE_RESULTS:
            report(NOT_A_COMPLIANCE_OUTCOME, "outcome", outcome.outcome)
        recorded = outcome.recorded_date
        message = date_problem(recorded, today=self.today, optional=False)
        if message:
            report(message, "recorded_date", recorded)
        elif decided is not None and recorded < decided:
            report(
                f"compliance is recorded before the decision ({decided:%d/%m/%Y})",
                "recorded_date",
                recorded,
            )
        if known is None or self.problems.total > before:
            return
        action = packed.action(known)
        if self.spill is not None:
            values = (day(recorded), outcome.outcome)
            if action is Action.INSERT:
                self.spill.add("compliance", (reference, *values))
            else:
                self.spill.add("stored_compliance", (position, packed.stored_id(known), *values))
        if action is Action.INSERT:
            self.new_compliance += 1
        else:
            self.stored_compliance.append(
                (position, packed.stored_id(known), recorded, outcome.outcome)
            )
