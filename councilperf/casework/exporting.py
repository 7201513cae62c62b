"""Reading casework back out as records, and writing them in exactly the import format.

A case belongs to the reporting year of its decision date or, while undecided, of its received
date; its recommendations and compliance outcome go with it. So the years partition the cases:
exporting every year gives every case once, and importing an export changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Q, QuerySet

from councilperf import tables
from councilperf.years import ReportingYear

from .models import Case, ComplianceOutcome, Dataset, Recommendation
from .parsing import COLUMNS, Kind
from .records import CaseRecord, ComplianceRecord, RecommendationRecord, Record, columns

_CHUNK = 5000


def cases_of_year(
    *, year: ReportingYear | None = None, dataset: Dataset | None = None
) -> QuerySet[Case]:
    """The cases of a reporting year (all years if None), optionally of one dataset."""
    cases = Case.objects.all()
    if dataset is not None:
        cases = cases.filter(dataset=dataset)
    if year is not None:
        cases = cases.filter(
            Q(decision_date__range=(year.start, year.end))
            | Q(decision_date__isnull=True, received_date__range=(year.start, year.end))
        )
    return cases


def _query(record: type[Record], renames: dict[str, str]) -> list[str]:
    """The record's fields as the query's field names, in the record's order."""
    return [renames.get(name, name) for name in columns(record)]


def case_records(cases: QuerySet[Case]) -> Iterator[CaseRecord]:
    rows = (
        cases.order_by("reference")
        .values_list(*_query(CaseRecord, {"authority_code": "authority__gss_code"}))
        .iterator(chunk_size=_CHUNK)
    )
    for row in rows:
        yield CaseRecord(*row)


def recommendation_records(cases: QuerySet[Case]) -> Iterator[RecommendationRecord]:
    rows = (
        Recommendation.objects.filter(case__in=cases.values("id"))
        .order_by("case__reference", "due_date", "id")
        .values_list(*_query(RecommendationRecord, {"reference": "case__reference"}))
        .iterator(chunk_size=_CHUNK)
    )
    for row in rows:
        yield RecommendationRecord(*row)


def compliance_records(cases: QuerySet[Case]) -> Iterator[ComplianceRecord]:
    rows = (
        ComplianceOutcome.objects.filter(case__in=cases.values("id"))
        .order_by("case__reference")
        .values_list(*_query(ComplianceRecord, {"reference": "case__reference"}))
        .iterator(chunk_size=_CHUNK)
    )
    for row in rows:
        yield ComplianceRecord(*row)


def write_records(
    path: Path, kind: Kind, records: Iterable[CaseRecord | RecommendationRecord | ComplianceRecord]
) -> int:
    """Write records as a CSV file of the import format (UTF-8, no BOM); return the count.
    A summary starting with "=" must not run as a formula (``councilperf.tables``); the
    import removes the "'" again."""
    columns = COLUMNS[kind]
    rows = ([getattr(record, column) for column in columns] for record in records)
    with path.open("w", encoding="utf-8", newline="") as stream:
        return tables.write_csv(stream, columns, rows)


@dataclass(frozen=True)
class ExportedFile:
    kind: Kind
    path: Path
    rows: int


def export_casework(
    *, directory: Path, year: ReportingYear | None = None, dataset: Dataset | None = None
) -> list[ExportedFile]:
    """Write cases, recommendations and compliance CSV files for a year (or all) into
    ``directory``: ``cases-2019-20.csv`` etc., or ``cases.csv`` etc. for all years. A kind
    with no rows (a year without recommendations, say) has no file: it is not returned."""
    directory.mkdir(parents=True, exist_ok=True)
    cases = cases_of_year(year=year, dataset=dataset)
    suffix = f"-{year.label}" if year else ""
    written = []
    sources: list[tuple[Kind, Iterable[CaseRecord | RecommendationRecord | ComplianceRecord]]] = [
        (Kind.CASES, case_records(cases)),
        (Kind.RECOMMENDATIONS, recommendation_records(cases)),
        (Kind.COMPLIANCE, compliance_records(cases)),
    ]
    for kind, records in sources:
        path = directory / f"{kind}{suffix}.csv"
        rows = write_records(path, kind, records)
        if not rows:
            # A header alone is not a file the import takes ("a header but no records"): a
            # kind with nothing to export is not written (an older export's file removed), so
            # the files written always import again as they are.
            path.unlink()
            continue
        written.append(ExportedFile(kind, path, rows))
    return written
