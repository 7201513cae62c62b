"""The rules casework records are checked against: limits, codes, and the shared checks of
dates and free text. Pure: no Django, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .codes import ComplianceResult, Outcome, RecommendationKind, ServiceArea

# The ombudsman began work in 1974: an earlier date is a typing mistake.
EARLIEST_DATE = dt.date(1974, 1, 1)
MAX_REFERENCE_LENGTH = 20
MAX_SUMMARY_LENGTH = 10_000
MAX_DESCRIPTION_LENGTH = 2_000
MAX_URL_LENGTH = 500

SPACE = re.compile(r"\s")
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


def date_problem(
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


def text_problem(value: object, name: str, limit: int) -> str | None:
    """What is wrong with a free-text value (not text, or too long), or None."""
    if not isinstance(value, str):
        return "is not text"
    if len(value) > limit:
        return f"the {name} is {len(value):,} characters long; the most allowed is {limit:,}"
    return None
