"""Checks on casework records, in plain Python against in-memory lookups (no queries).

``validate`` takes every record of one import and everything it needs to know about the
database (authorities, stored cases) and adds each problem it finds to a ``Problems``
collector. It never stops at the first problem and never touches the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from . import case_checks
from .problems import Location, Problems
from .records import CaseRecord, ComplianceRecord, RecommendationRecord
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

__all__ = [
    "NOT_AN_OUTCOME",
    "NOT_A_COMPLIANCE_OUTCOME",
    "NOT_A_KIND",
    "NOT_A_SERVICE_AREA",
    "AuthorityInfo",
    "ImportSource",
    "StoredCase",
    "ValidCases",
    "validate",
]


@dataclass(frozen=True)
class ImportSource:
    """Where records came from, so problems can name a file and row.

    ``case_rows[i]`` is the location of the i-th case record (and so on). ``label`` says how
    the records came in (e.g. "import_casework command") for the import record. ``files`` lists
    the files read: name, kind, rows and sha256 of each.
    """

    label: str = ""
    user: str = ""
    files: Sequence[Mapping[str, object]] = ()
    case_rows: Sequence[Location] = ()
    recommendation_rows: Sequence[Location] = ()
    compliance_rows: Sequence[Location] = ()


@dataclass
class _Locator:
    kind: str
    rows: Sequence[Location]

    def __call__(self, index: int, reference: object) -> Location:
        if index < len(self.rows):
            return self.rows[index]
        return Location(f"{self.kind} record {index + 1:,} (reference {reference!s})", None)


@dataclass
class ValidCases:
    """What validation learned: the good case records by reference, and the bad references."""

    by_reference: dict[str, CaseRecord] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)


def validate(
    *,
    cases: Sequence[CaseRecord],
    recommendations: Sequence[RecommendationRecord],
    compliance: Sequence[ComplianceRecord],
    authorities: Mapping[str, AuthorityInfo],
    stored: Mapping[str, StoredCase],
    dataset_id: int,
    dataset_names: Mapping[int, str],
    today: dt.date,
    problems: Problems,
    source: ImportSource | None = None,
    unreadable: frozenset[str] = frozenset(),
) -> ValidCases:
    """Check every record; add each problem found to ``problems``."""
    source = source or ImportSource()
    valid = ValidCases()
    valid.rejected.update(unreadable)
    _check_cases(
        cases,
        _Locator("cases", source.case_rows),
        authorities=authorities,
        stored=stored,
        dataset_id=dataset_id,
        dataset_names=dataset_names,
        today=today,
        problems=problems,
        valid=valid,
    )
    _check_recommendations(
        recommendations,
        _Locator("recommendations", source.recommendation_rows),
        stored=stored,
        problems=problems,
        valid=valid,
    )
    _check_compliance(
        compliance,
        _Locator("compliance", source.compliance_rows),
        stored=stored,
        today=today,
        problems=problems,
        valid=valid,
    )
    return valid


def _check_cases(
    cases: Sequence[CaseRecord],
    locate: _Locator,
    *,
    authorities: Mapping[str, AuthorityInfo],
    stored: Mapping[str, StoredCase],
    dataset_id: int,
    dataset_names: Mapping[int, str],
    today: dt.date,
    problems: Problems,
    valid: ValidCases,
) -> None:
    first_seen: dict[str, int] = {}
    for index, case in enumerate(cases):
        before = problems.total
        reference = case.reference

        def report(
            message: str, column: str, value: object, index: int = index, reference: str = reference
        ) -> None:
            problems.add(message, at=locate(index, reference), column=column, value=value)

        earlier = first_seen.get(reference) if isinstance(reference, str) else None
        case_checks.check_case(
            case,
            report,
            earlier=locate(earlier, reference) if earlier is not None else None,
            authorities=authorities,
            stored=stored,
            dataset_id=dataset_id,
            dataset_names=dataset_names,
            today=today,
        )
        if isinstance(reference, str) and earlier is None and case_checks.reference_ok(reference):
            first_seen[reference] = index
        if problems.total == before:
            valid.by_reference[reference] = case
        elif isinstance(reference, str):
            valid.rejected.add(reference)


def _case_facts(
    reference: str,
    *,
    report: Callable[[str, str, object], None],
    kind: str,
    stored: Mapping[str, StoredCase],
    valid: ValidCases,
) -> tuple[str, dt.date | None] | None:
    """The outcome and decision date of the case a recommendation or compliance row names.

    None when it cannot be checked: a problem is reported if the case is unknown, and nothing
    more if the case's own row was rejected (its problem is already listed).
    """
    case = valid.by_reference.get(reference)
    if case is not None:
        return case.outcome, case.decision_date
    if reference in valid.rejected:
        return None
    existing = stored.get(reference)
    if existing is not None:
        return existing.outcome, existing.decision_date
    report(
        f"no case has this reference, in the cases file(s) or the database; a {kind} needs "
        "its case",
        "reference",
        reference,
    )
    return None


def _upheld_case(
    facts: tuple[str, dt.date | None] | None,
    report: Callable[[str, str, object], None],
    reference: str,
    what: str,
) -> dt.date | None:
    """The named case's decision date, after reporting it if it is not upheld."""
    if facts is None:
        return None
    outcome, decided = facts
    if outcome != UPHELD:
        report(
            f"{what} only on upheld decisions; this case's outcome is "
            f"“{outcome or 'none (not decided)'}”",
            "reference",
            reference,
        )
    return decided


def _check_recommendations(
    recommendations: Sequence[RecommendationRecord],
    locate: _Locator,
    *,
    stored: Mapping[str, StoredCase],
    problems: Problems,
    valid: ValidCases,
) -> None:
    for index, recommendation in enumerate(recommendations):
        reference = recommendation.reference

        def report(
            message: str, column: str, value: object, index: int = index, reference: str = reference
        ) -> None:
            problems.add(message, at=locate(index, reference), column=column, value=value)

        facts = _case_facts(
            reference,
            report=report,
            kind="recommendation",
            stored=stored,
            valid=valid,
        )
        decided = _upheld_case(facts, report, reference, "recommendations are made")
        if recommendation.kind not in RECOMMENDATION_KINDS:
            report(
                NOT_A_KIND,
                "kind",
                recommendation.kind,
            )
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


def _check_compliance(
    compliance: Sequence[ComplianceRecord],
    locate: _Locator,
    *,
    stored: Mapping[str, StoredCase],
    today: dt.date,
    problems: Problems,
    valid: ValidCases,
) -> None:
    first_seen: dict[str, int] = {}
    for index, outcome in enumerate(compliance):
        reference = outcome.reference

        def report(
            message: str, column: str, value: object, index: int = index, reference: str = reference
        ) -> None:
            problems.add(message, at=locate(index, reference), column=column, value=value)

        if reference in first_seen:
            earlier = locate(first_seen[reference], reference)
            report(
                "a case has one compliance outcome, and this reference appears more than once "
                f"(also {earlier})",
                "reference",
                reference,
            )
            continue
        first_seen[reference] = index
        facts = _case_facts(
            reference,
            report=report,
            kind="compliance outcome",
            stored=stored,
            valid=valid,
        )
        decided = _upheld_case(facts, report, reference, "compliance is recorded")
        if outcome.outcome not in COMPLIANCE_RESULTS:
            report(
                NOT_A_COMPLIANCE_OUTCOME,
                "outcome",
                outcome.outcome,
            )
        recorded = outcome.recorded_date
        message = date_problem(recorded, today=today, optional=False)
        if message:
            report(message, "recorded_date", recorded)
        elif decided is not None and recorded < decided:
            report(
                f"compliance is recorded before the decision ({decided:%d/%m/%Y})",
                "recorded_date",
                recorded,
            )
