"""Step H: references, decision summaries and statement links, as casework records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from councilperf.casework.records import CaseRecord, ComplianceRecord, RecommendationRecord

from .. import text
from .data import DemoData
from .parameters import (
    CLOSED,
    IMPROVEMENT_KINDS,
    LONGEST_DUE,
    LONGEST_LATE,
    OUTCOMES,
    SERVICE_AREAS,
    STATEMENT_BASE,
    UPHELD,
)
from .state import _Base, _Case


class _References(_Base):
    """Step H: the records."""

    # -- H: records -------------------------------------------------------------------------------

    def _records(self) -> DemoData:
        data = DemoData(years=list(self.y.labels), seed=self.seed, scale=self.scale)
        day = self._days()
        codes = [a.code for a in self.auths]  # sorted, so authority index orders like its code
        slugs = [area.replace("_", "-") for area in SERVICE_AREAS]
        # Received day, then authority; ties keep the order they were generated in.
        self.cases.sort(key=lambda c: c.recv * 65_536 + c.auth)
        running: dict[int, int] = {}
        for case in self.cases:
            received = day(case.recv)
            reference = _next_reference(received, running)
            self._add_case(data, case, reference, received, day, codes[case.auth], slugs)
        return data

    def _days(self) -> Callable[[int], dt.date]:
        """Every day a record can carry, made once: records share the date objects."""
        first = min((c.recv for c in self.cases), default=self.y.starts[0])
        last = self.horizon + 2 * LONGEST_DUE + LONGEST_LATE
        base = dt.date.fromordinal(first)
        days = [base + dt.timedelta(days=i) for i in range(last - first + 1)]

        def day(ordinal: int) -> dt.date:
            return days[ordinal - first]

        return day

    def _add_case(
        self,
        data: DemoData,
        case: _Case,
        reference: str,
        received: dt.date,
        day: Callable[[int], dt.date],
        code: str,
        slugs: list[str],
    ) -> None:
        """The case's record, its recommendations' and its compliance outcome's."""
        area = SERVICE_AREAS[case.svc]
        outcome = OUTCOMES[case.kind]
        summary = url = ""
        decided = None
        if case.dec is None:
            area = outcome = ""
        else:
            decided = day(case.dec)
            if case.kind >= CLOSED:  # closed after initial enquiries, not upheld, upheld
                kinds = tuple(r[0] for r in case.recs)
                summary = text.summary(
                    area, case.issue, outcome, case.remedied, kinds, case.recv % 3
                )
                url = f"{STATEMENT_BASE}/{slugs[case.svc]}/{reference.replace(' ', '-')}"
        report = day(case.report) if case.report is not None else None
        remedied = case.remedied and case.kind == UPHELD
        data.cases.append(
            CaseRecord(
                reference, code, received, decided, area, outcome, remedied, report, summary, url
            )
        )
        if len(case.recs) > 1:
            case.recs.sort(key=lambda r: (r[1], r[0]))
        for kind, due, variant in case.recs:
            description = text.recommendation_description(kind, area, variant)
            data.recommendations.append(
                RecommendationRecord(
                    reference, kind, day(due), description, kind in IMPROVEMENT_KINDS
                )
            )
        if case.comp is not None:
            data.compliance.append(ComplianceRecord(reference, day(case.comp[0]), case.comp[1]))


def _next_reference(received: dt.date, running: dict[int, int]) -> str:
    """The next case reference of the reporting year the case was received in: "19 000 042"."""
    yy = received.year if received.month >= 4 else received.year - 1
    number = running.get(yy, 0) + 1
    running[yy] = number
    if number > 999_999:
        raise ValueError("more than 999,999 cases received in a year: lower the scale")
    return f"{yy % 100:02d} {number // 1000:03d} {number % 1000:03d}"
