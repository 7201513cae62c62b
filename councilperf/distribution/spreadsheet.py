"""A council's private case-level spreadsheet for a year: one XLSX, three sheets.

Complaints received in the year, complaints decided in the year and compliance outcomes
recorded in the year. It goes to the council with its letter and is never public.
"""

from __future__ import annotations

import io

from councilperf import tables
from councilperf.authorities.models import Authority
from councilperf.casework.models import Case, ComplianceOutcome
from councilperf.years import ReportingYear

CASE_COLUMNS = (
    "Reference",
    "Received",
    "Decided",
    "Service area",
    "Outcome",
    "Remedied by the council",
)
COMPLIANCE_COLUMNS = ("Reference", "Decided", "Recorded", "Compliance outcome")
SHEETS = ("Complaints received", "Complaints decided", "Compliance outcomes")


def _case_rows(cases: list[Case]) -> list[tuple[object, ...]]:
    return [
        (
            case.reference,
            case.received_date,
            case.decision_date,
            case.get_service_area_display() if case.service_area else "",
            case.get_outcome_display() if case.outcome else "",
            "yes" if case.remedied_by_authority else "",
        )
        for case in cases
    ]


def casework_xlsx(*, authority: Authority, year: ReportingYear, synthetic: bool) -> bytes:
    """The spreadsheet's bytes (``synthetic``: say on every sheet that the data is made up)."""
    cases = Case.objects.filter(authority=authority).order_by("reference")
    received = list(cases.filter(received_date__range=(year.start, year.end)))
    decided = list(cases.filter(decision_date__range=(year.start, year.end)))
    outcomes = (
        ComplianceOutcome.objects.filter(
            case__authority=authority, recorded_date__range=(year.start, year.end)
        )
        .select_related("case")
        .order_by("case__reference")
    )
    note = (
        "Synthetic demonstration data: not real complaints."
        if synthetic
        else "Private to the council: not for publication."
    )
    sheets: list[tuple[str, tuple[str, ...], list[tuple[object, ...]]]] = [
        (SHEETS[0], CASE_COLUMNS, _case_rows(received)),
        (SHEETS[1], CASE_COLUMNS, _case_rows(decided)),
        (
            SHEETS[2],
            COMPLIANCE_COLUMNS,
            [
                (o.case.reference, o.case.decision_date, o.recorded_date, o.get_outcome_display())
                for o in outcomes
            ],
        ),
    ]
    heading = f"{authority.official_name}, {year.label}. {note}"
    buffer = io.BytesIO()
    tables.write_xlsx(
        buffer, [(title, [[heading], columns, *rows]) for title, columns, rows in sheets]
    )
    return buffer.getvalue()
