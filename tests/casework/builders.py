"""Records about fictional Borsetshire casework, for the casework tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from councilperf.casework.records import CaseRecord, ComplianceRecord, RecommendationRecord

TODAY = dt.date(2021, 6, 1)


def case(reference: str, authority_code: str, **fields: Any) -> CaseRecord:
    values: dict[str, Any] = {
        "received_date": dt.date(2019, 5, 1),
        "decision_date": dt.date(2019, 9, 1),
        "service_area": "housing",
        "outcome": "upheld",
    }
    values.update(fields)
    return CaseRecord(reference=reference, authority_code=authority_code, **values)


def recommendation(reference: str, **fields: Any) -> RecommendationRecord:
    values: dict[str, Any] = {"kind": "apology", "due_date": dt.date(2019, 10, 1)}
    values.update(fields)
    return RecommendationRecord(reference=reference, **values)


def compliance(reference: str, **fields: Any) -> ComplianceRecord:
    values: dict[str, Any] = {"recorded_date": dt.date(2019, 11, 1), "outcome": "complied"}
    values.update(fields)
    return ComplianceRecord(reference=reference, **values)
