"""The generator's inputs (authorities and their years) and its output (``DemoData``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
from dataclasses import dataclass, field

from councilperf.casework.records import CaseRecord, ComplianceRecord, RecommendationRecord


@dataclass(frozen=True, slots=True)
class AuthorityYearInput:
    year: str
    group: str
    population: int | None


@dataclass(frozen=True, slots=True)
class AuthorityInput:
    gss_code: str
    start_date: dt.date | None
    end_date: dt.date | None
    years: tuple[AuthorityYearInput, ...]

    def year(self, label: str) -> AuthorityYearInput | None:
        for row in self.years:
            if row.year == label:
                return row
        return None


@dataclass
class DemoData:
    """What the generator made, in reference order."""

    years: list[str]
    seed: int
    scale: float
    cases: list[CaseRecord] = field(default_factory=list)
    recommendations: list[RecommendationRecord] = field(default_factory=list)
    compliance: list[ComplianceRecord] = field(default_factory=list)

    def digest(self) -> str:
        """sha256 of a canonical text form of every record: equal digests, equal data."""
        h = hashlib.sha256()
        for records in (self.cases, self.recommendations, self.compliance):
            if not records:
                h.update(b"--\n")
                continue
            values = operator.attrgetter(*records[0].__slots__)
            for start in range(0, len(records), 10_000):
                chunk = records[start : start + 10_000]
                lines = ["\t".join(map(str, values(r))) for r in chunk]
                h.update(("\n".join(lines) + "\n").encode())
            h.update(b"--\n")
        return h.hexdigest()
