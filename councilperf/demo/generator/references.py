"""Step H: references, decision summaries and statement links, as casework records."""

from __future__ import annotations

import datetime as dt

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
from .state import _Base


class _References(_Base):
    """Step H: the records."""

    # -- H: records -------------------------------------------------------------------------------

    def _records(self) -> DemoData:
        data = DemoData(years=list(self.y.labels), seed=self.seed, scale=self.scale)
        cases, recommendations, compliance = data.cases, data.recommendations, data.compliance
        # Every day a record can carry, made once: records share the date objects.
        first = min((c.recv for c in self.cases), default=self.y.starts[0])
        last = self.horizon + 2 * LONGEST_DUE + LONGEST_LATE
        base = dt.date.fromordinal(first)
        days = [base + dt.timedelta(days=i) for i in range(last - first + 1)]

        def day(ordinal: int) -> dt.date:
            return days[ordinal - first]

        codes = [a.code for a in self.auths]  # sorted, so authority index orders like its code
        slugs = [area.replace("_", "-") for area in SERVICE_AREAS]
        # Received day, then authority; ties keep the order they were generated in.
        self.cases.sort(key=lambda c: c.recv * 65_536 + c.auth)
        running: dict[int, int] = {}
        for case in self.cases:
            received = day(case.recv)
            yy = received.year if received.month >= 4 else received.year - 1
            number = running.get(yy, 0) + 1
            running[yy] = number
            if number > 999_999:
                raise ValueError("more than 999,999 cases received in a year: lower the scale")
            reference = f"{yy % 100:02d} {number // 1000:03d} {number % 1000:03d}"
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
            cases.append(
                CaseRecord(
                    reference,
                    codes[case.auth],
                    received,
                    decided,
                    area,
                    outcome,
                    case.remedied and case.kind == UPHELD,
                    day(case.report) if case.report is not None else None,
                    summary,
                    url,
                )
            )
            if case.recs:
                if len(case.recs) > 1:
                    case.recs.sort(key=lambda r: (r[1], r[0]))
                for kind, due, variant in case.recs:
                    recommendations.append(
                        RecommendationRecord(
                            reference,
                            kind,
                            day(due),
                            text.recommendation_description(kind, area, variant),
                            kind in IMPROVEMENT_KINDS,
                        )
                    )
            if case.comp is not None:
                compliance.append(ComplianceRecord(reference, day(case.comp[0]), case.comp[1]))
        return data
