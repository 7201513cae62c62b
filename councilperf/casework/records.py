"""Plain records of casework, as read from import files or made by the demo generator.

They are the one input of the casework service (``councilperf.casework.services``): the
importer parses files into these, the demo generator builds them directly, and both go through
the same validation. Values are already typed; codes are the DOMAIN.md codes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from operator import attrgetter


@dataclass(frozen=True, slots=True)
class CaseRecord:
    reference: str
    authority_code: str
    received_date: dt.date
    decision_date: dt.date | None = None
    service_area: str = ""
    outcome: str = ""
    remedied_by_authority: bool = False
    public_report_date: dt.date | None = None
    summary: str = ""
    statement_url: str = ""


@dataclass(frozen=True, slots=True)
class RecommendationRecord:
    reference: str
    kind: str
    due_date: dt.date
    description: str = ""
    service_improvement: bool = False


@dataclass(frozen=True, slots=True)
class ComplianceRecord:
    reference: str
    recorded_date: dt.date
    outcome: str


Record = CaseRecord | RecommendationRecord | ComplianceRecord


def columns(record: type[Record]) -> tuple[str, ...]:
    """A record's fields in order: the columns of its import and export file."""
    return tuple(f.name for f in fields(record))


# A stored case's values, in this order, as the service loads and writes them: the case
# record's fields after its reference, with the authority as its database id.
CASE_VALUE_FIELDS: tuple[str, ...] = tuple(
    "authority_id" if name == "authority_code" else name for name in columns(CaseRecord)[1:]
)


assert CASE_VALUE_FIELDS[0] == "authority_id"
_OTHER_VALUES = attrgetter(*CASE_VALUE_FIELDS[1:])


def case_values(case: CaseRecord, authority_id: int) -> tuple[object, ...]:
    """A case record's values in the order of ``CASE_VALUE_FIELDS``."""
    return (authority_id, *_OTHER_VALUES(case))
