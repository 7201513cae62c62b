"""Checks on casework records, in plain Python against in-memory lookups (no queries).

``validate`` takes every record of one import and everything it needs to know about the
database (authorities, stored cases) and adds each problem it finds to a ``Problems``
collector. It never stops at the first problem and never touches the database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .codes import ComplianceResult, Outcome, RecommendationKind, ServiceArea
from .problems import Location, Problems
from .records import CaseRecord, ComplianceRecord, RecommendationRecord

# The ombudsman began work in 1974: an earlier date is a typing mistake.
EARLIEST_DATE = dt.date(1974, 1, 1)
MAX_REFERENCE_LENGTH = 20
MAX_SUMMARY_LENGTH = 10_000
MAX_DESCRIPTION_LENGTH = 2_000
MAX_URL_LENGTH = 500

_SPACE = re.compile(r"\s")
OUTCOMES = frozenset(Outcome.values)
SERVICE_AREAS = frozenset(ServiceArea.values)
RECOMMENDATION_KINDS = frozenset(RecommendationKind.values)
COMPLIANCE_RESULTS = frozenset(ComplianceResult.values)
UPHELD = Outcome.UPHELD.value


def _choices(choices: type[Outcome | ServiceArea | RecommendationKind | ComplianceResult]) -> str:
    return "; ".join(f"{value} ({label})" for value, label in choices.choices)


# The message for a value that is not one of a column's codes (shared with the file reader).
NOT_AN_OUTCOME = f"not an outcome; use one of: {_choices(Outcome)}"
NOT_A_SERVICE_AREA = f"not a service area; use one of: {_choices(ServiceArea)}"
NOT_A_KIND = f"not a kind of recommendation; use one of: {_choices(RecommendationKind)}"
NOT_A_COMPLIANCE_OUTCOME = f"not a compliance outcome; use one of: {_choices(ComplianceResult)}"


@dataclass(frozen=True, slots=True)
class AuthorityInfo:
    id: int
    gss_code: str
    name: str
    start_date: dt.date | None
    end_date: dt.date | None

    def existed_on(self, day: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or day <= self.end_date
        )

    def lifetime(self) -> str:
        start = f"from {self.start_date:%d/%m/%Y}" if self.start_date else ""
        end = f"until {self.end_date:%d/%m/%Y}" if self.end_date else ""
        return " ".join(part for part in (start, end) if part)


@dataclass(frozen=True, slots=True)
class StoredCase:
    """A case already in the database: its id, dataset and values (``CASE_VALUE_FIELDS``)."""

    id: int
    dataset_id: int
    values: tuple[object, ...]

    @property
    def outcome(self) -> str:
        return str(self.values[4])

    @property
    def decision_date(self) -> dt.date | None:
        value = self.values[2]
        return value if isinstance(value, dt.date) else None


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


def _date_problem(
    value: object, *, today: dt.date, optional: bool, allow_future: bool = False
) -> str | None:
    if value is None:
        return None if optional else "is blank; this date is required"
    if not isinstance(value, dt.date):
        return "is not a date"
    if value < EARLIEST_DATE:
        return "is before 1974, when the ombudsman began work: check the year"
    if not allow_future and value > today:
        return f"is in the future (today is {today:%d/%m/%Y})"
    return None


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
    by_reference = valid.by_reference
    for index, case in enumerate(cases):
        before = problems.total
        reference = case.reference

        def report(
            message: str, column: str, value: object, index: int = index, reference: str = reference
        ) -> None:
            problems.add(message, at=locate(index, reference), column=column, value=value)

        if not isinstance(reference, str) or not reference.strip():
            report("the reference is blank", "reference", reference)
        elif reference != reference.strip():
            report("the reference has spaces at its start or end", "reference", reference)
        elif len(reference) > MAX_REFERENCE_LENGTH:
            report(
                f"a reference has at most {MAX_REFERENCE_LENGTH} characters",
                "reference",
                reference,
            )
        elif reference in first_seen:
            earlier = locate(first_seen[reference], reference)
            report(
                f"this reference appears more than once (also {earlier})",
                "reference",
                reference,
            )
        else:
            first_seen[reference] = index
            existing = stored.get(reference)
            if existing is not None and existing.dataset_id != dataset_id:
                name = dataset_names.get(existing.dataset_id, str(existing.dataset_id))
                report(
                    f"a case with this reference is already stored in the dataset “{name}”; "
                    "a case belongs to one dataset",
                    "reference",
                    reference,
                )

        authority = authorities.get(case.authority_code)
        if authority is None:
            if not case.authority_code:
                report("the authority code is blank", "authority_code", case.authority_code)
            else:
                report(
                    "no authority has this GSS code (e.g. E07000038)",
                    "authority_code",
                    case.authority_code,
                )

        received: dt.date | None = case.received_date
        message = _date_problem(received, today=today, optional=False)
        if message:
            report(message, "received_date", received)
            received = None

        decided: dt.date | None = case.decision_date
        message = _date_problem(decided, today=today, optional=True)
        if message:
            report(message, "decision_date", decided)
            decided = None
        elif decided is not None and received is not None and decided < received:
            report(
                f"the decision date is before the received date ({received:%d/%m/%Y})",
                "decision_date",
                decided,
            )

        day = decided or received
        if authority is not None and day is not None and not authority.existed_on(day):
            what = "decision" if decided else "received"
            report(
                f"{authority.name} did not exist on the {what} date {day:%d/%m/%Y} "
                f"(it existed {authority.lifetime()})",
                "authority_code",
                case.authority_code,
            )

        outcome = case.outcome
        if case.decision_date is None:
            if outcome:
                report("an outcome needs a decision date", "outcome", outcome)
            if case.service_area:
                report("a service area needs a decision date", "service_area", case.service_area)
        else:
            if not outcome:
                report("a decided case (with a decision date) needs an outcome", "outcome", "")
            elif outcome not in OUTCOMES:
                report(NOT_AN_OUTCOME, "outcome", outcome)
            if not case.service_area:
                report(
                    "a decided case (with a decision date) needs a service area",
                    "service_area",
                    "",
                )
            elif case.service_area not in SERVICE_AREAS:
                report(
                    NOT_A_SERVICE_AREA,
                    "service_area",
                    case.service_area,
                )

        if case.remedied_by_authority is not False and case.remedied_by_authority is not True:
            report("is not true or false", "remedied_by_authority", case.remedied_by_authority)
        elif case.remedied_by_authority and outcome != UPHELD:
            report(
                "only an upheld decision can be remedied by the authority "
                f"(this case's outcome is “{outcome or 'none'}”)",
                "remedied_by_authority",
                "true",
            )

        report_date = case.public_report_date
        message = _date_problem(report_date, today=today, optional=True)
        if message:
            report(message, "public_report_date", report_date)
        elif report_date is not None:
            if case.decision_date is None:
                report("a public report needs a decision date", "public_report_date", report_date)
            elif decided is not None and report_date < decided:
                report(
                    f"the public report is dated before the decision ({decided:%d/%m/%Y})",
                    "public_report_date",
                    report_date,
                )

        message = _text_problem(case.summary, "summary", MAX_SUMMARY_LENGTH)
        if message:
            report(message, "summary", case.summary)
        url = case.statement_url
        if not isinstance(url, str):
            report("is not text", "statement_url", url)
        elif url:
            if len(url) > MAX_URL_LENGTH:
                report(
                    f"the link is {len(url):,} characters long; the most allowed is "
                    f"{MAX_URL_LENGTH}",
                    "statement_url",
                    url,
                )
            elif not url.startswith(("https://", "http://")) or _SPACE.search(url):
                report(
                    "not a web address: it must start with https:// and contain no spaces",
                    "statement_url",
                    url,
                )

        if problems.total == before:
            by_reference[reference] = case
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
        decided: dt.date | None = None
        if facts is not None:
            outcome, decided = facts
            if outcome != UPHELD:
                report(
                    "recommendations are made only on upheld decisions; this case's outcome is "
                    f"“{outcome or 'none (not decided)'}”",
                    "reference",
                    reference,
                )
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
            report(_date_problem(due, today=due, optional=False) or "", "due_date", due)
        elif decided is not None and due < decided:
            report(
                f"the recommendation is due before the decision ({decided:%d/%m/%Y})",
                "due_date",
                due,
            )
        message = _text_problem(recommendation.description, "description", MAX_DESCRIPTION_LENGTH)
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
        decided: dt.date | None = None
        if facts is not None:
            case_outcome, decided = facts
            if case_outcome != UPHELD:
                report(
                    "compliance is recorded only on upheld decisions; this case's outcome is "
                    f"“{case_outcome or 'none (not decided)'}”",
                    "reference",
                    reference,
                )
        if outcome.outcome not in COMPLIANCE_RESULTS:
            report(
                NOT_A_COMPLIANCE_OUTCOME,
                "outcome",
                outcome.outcome,
            )
        recorded = outcome.recorded_date
        message = _date_problem(recorded, today=today, optional=False)
        if message:
            report(message, "recorded_date", recorded)
        elif decided is not None and recorded < decided:
            report(
                f"compliance is recorded before the decision ({decided:%d/%m/%Y})",
                "recorded_date",
                recorded,
            )


def _text_problem(value: object, name: str, limit: int) -> str | None:
    """What is wrong with a free-text value (not text, or too long), or None."""
    if not isinstance(value, str):
        return "is not text"
    if len(value) > limit:
        return f"the {name} is {len(value):,} characters long; the most allowed is {limit:,}"
    return None
