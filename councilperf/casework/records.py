"""Plain records of casework, as read from import files or made by the demo generator.

They are the one input of the casework service (``councilperf.casework.services``): the
importer parses files into these, the demo generator builds them directly, and both go through
the same validation. Values are already typed; codes are the DOMAIN.md codes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


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
