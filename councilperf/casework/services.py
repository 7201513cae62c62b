"""Writing casework: the one way records get into the database (command, admin, demo data).

``import_records`` validates every record first (``validation``), collecting all problems; if
there is any it raises ``CaseworkValidationError`` and writes nothing. Otherwise it writes
everything in one transaction, upserting cases by reference, and returns what it added, changed
and left unchanged. It is built for hundreds of thousands of records: lookups are loaded once
into memory, and rows are written in batches of plain SQL (no query per row).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.utils import timezone
from tqdm import tqdm

from councilperf.writelock import writing

from . import planning
from . import writing as bulk
from .models import Dataset, ImportRun
from .parsing import read_files
from .planning import Counts
from .problems import CaseworkValidationError, Problems
from .records import CaseRecord, ComplianceRecord, RecommendationRecord
from .validation import ImportSource, validate

__all__ = [
    "CaseworkValidationError",
    "Counts",
    "ImportSource",
    "ImportSummary",
    "import_files",
    "import_records",
]

T = TypeVar("T")

# Imports of more rows than this show a progress bar (when asked to).
PROGRESS_ROWS = 5_000


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did (or, for a dry run, would do)."""

    cases: Counts
    recommendations: Counts
    compliance: Counts
    dry_run: bool = False
    import_run_id: int | None = None

    @property
    def changes_anything(self) -> bool:
        return any(
            counts.added or counts.changed or counts.removed
            for counts in (self.cases, self.recommendations, self.compliance)
        )

    def lines(self) -> list[str]:
        return [
            f"Cases: {self.cases}",
            f"Recommendations: {self.recommendations}",
            f"Compliance outcomes: {self.compliance}",
        ]

    def __str__(self) -> str:
        head = "Dry run: nothing was written. Would import:" if self.dry_run else "Imported:"
        return "\n".join([head, *self.lines()])


def import_records(
    *,
    cases: Iterable[CaseRecord],
    recommendations: Iterable[RecommendationRecord],
    compliance: Iterable[ComplianceRecord],
    dataset: Dataset,
    dry_run: bool = False,
    progress: bool = False,
    today: dt.date | None = None,
    source: ImportSource | None = None,
) -> ImportSummary:
    """Validate all records, then write them all in one transaction (unless ``dry_run``).

    Raises ``CaseworkValidationError`` (``.errors``) and writes nothing if any record has a
    problem. Cases are matched by reference: a new reference is added, a known one updated if
    any value differs. The recommendations of each case named in ``recommendations`` replace
    that case's stored ones (matched by kind and due date); a compliance outcome replaces the
    case's stored one. Cases, recommendations and compliance outcomes not named are left alone.
    """
    return run_import(
        cases=cases,
        recommendations=recommendations,
        compliance=compliance,
        dataset=dataset,
        dry_run=dry_run,
        progress=progress,
        today=today,
        source=source,
        problems=Problems(),
        unreadable=frozenset(),
    )


def import_files(
    *,
    paths: Sequence[Path],
    dataset: Dataset,
    names: Sequence[str] | None = None,
    dry_run: bool = False,
    progress: bool = False,
    today: dt.date | None = None,
    label: str = "",
    user: str = "",
) -> ImportSummary:
    """Read casework files (CSV or XLSX, kind recognised by header) and import them together.

    All files are validated together; any problem in any file raises
    ``CaseworkValidationError`` listing every problem found, and nothing is written.
    """
    problems = Problems()
    parsed = read_files(paths, names=names, problems=problems, progress=progress)
    if parsed.unreadable_file:
        # Some file could not be read at all: checking the others' records against it would
        # only list consequences of that.
        raise problems.error()
    return run_import(
        cases=parsed.cases,
        recommendations=parsed.recommendations,
        compliance=parsed.compliance,
        dataset=dataset,
        dry_run=dry_run,
        progress=progress,
        today=today,
        source=parsed.source(label=label, user=user),
        problems=problems,
        unreadable=frozenset(parsed.unreadable),
    )


def run_import(
    *,
    cases: Iterable[CaseRecord],
    recommendations: Iterable[RecommendationRecord],
    compliance: Iterable[ComplianceRecord],
    dataset: Dataset,
    dry_run: bool,
    progress: bool,
    today: dt.date | None,
    source: ImportSource | None,
    problems: Problems,
    unreadable: frozenset[str],
) -> ImportSummary:
    """``import_records`` that also reports ``problems`` already found while reading files.

    ``unreadable`` are references whose case rows could not be read: rows naming them are not
    reported again as naming an unknown case.
    """
    started_at = timezone.now()
    case_list = _as_list(cases)
    recommendation_list = _as_list(recommendations)
    compliance_list = _as_list(compliance)
    today = today or timezone.localdate()
    total = len(case_list) + len(recommendation_list) + len(compliance_list)
    with (
        _progress_bar(total, progress) as bar,
        nullcontext() if dry_run else writing(what="a casework import", user=_user(source)),
    ):
        # One transaction from the first read to the last write, holding the one writer's
        # lock: what was checked is what is written to, and a second import waits for it.
        plan = _checked_plan(
            case_list,
            recommendation_list,
            compliance_list,
            dataset=dataset,
            today=today,
            problems=problems,
            source=source,
            unreadable=unreadable,
        )
        bar.update(total)
        summary = ImportSummary(
            cases=plan.case_counts,
            recommendations=plan.recommendation_counts,
            compliance=plan.compliance_counts,
            dry_run=dry_run,
        )
        if dry_run:
            return summary
        bulk.write(plan, dataset=dataset, tick=bar.update)
        run = _record_run(summary, started_at=started_at, dataset=dataset, source=source)
    return dataclasses.replace(summary, import_run_id=run.pk)


def _progress_bar(total: int, progress: bool) -> tqdm[Any]:
    """Checking and writing, two steps per record (shown for large imports when asked)."""
    return tqdm(
        total=2 * total,
        unit=" rows",
        desc="Checking and writing",
        disable=not progress or total < PROGRESS_ROWS,
        leave=False,
    )


def _checked_plan(
    cases: list[CaseRecord],
    recommendations: list[RecommendationRecord],
    compliance: list[ComplianceRecord],
    *,
    dataset: Dataset,
    today: dt.date,
    problems: Problems,
    source: ImportSource | None,
    unreadable: frozenset[str],
) -> planning.Plan:
    """Validate every record against the database, then plan the writes; raise
    ``CaseworkValidationError`` with every problem found, before anything is written."""
    authorities = planning.load_authorities()
    references = {
        record.reference
        for records in (cases, recommendations, compliance)
        for record in records
        if isinstance(record.reference, str)
    }
    stored = planning.load_stored_cases(references)
    validate(
        cases=cases,
        recommendations=recommendations,
        compliance=compliance,
        authorities=authorities,
        stored=stored,
        dataset_id=dataset.pk,
        dataset_names=dict(Dataset.objects.values_list("id", "name")),
        today=today,
        problems=problems,
        source=source,
        unreadable=unreadable,
    )
    if problems:
        raise problems.error()
    plan = planning.plan(
        cases=cases,
        recommendations=recommendations,
        compliance=compliance,
        authorities=authorities,
        stored=stored,
        problems=problems,
    )
    if problems:
        raise problems.error()
    return plan


def _user(source: ImportSource | None) -> str:
    return source.user if source else ""


def _as_list(items: Iterable[T]) -> list[T]:
    return items if isinstance(items, list) else list(items)


def _record_run(
    summary: ImportSummary,
    *,
    started_at: dt.datetime,
    dataset: Dataset,
    source: ImportSource | None,
) -> ImportRun:
    return ImportRun.objects.create(
        started_at=started_at,
        finished_at=timezone.now(),
        dataset=dataset,
        source=(source.label if source else "")[:200],
        user=(source.user if source else "")[:150],
        files=[dict(entry) for entry in source.files] if source else [],
        cases_added=summary.cases.added,
        cases_changed=summary.cases.changed,
        cases_unchanged=summary.cases.unchanged,
        recommendations_added=summary.recommendations.added,
        recommendations_changed=summary.recommendations.changed,
        recommendations_unchanged=summary.recommendations.unchanged,
        recommendations_removed=summary.recommendations.removed,
        compliance_added=summary.compliance.added,
        compliance_changed=summary.compliance.changed,
        compliance_unchanged=summary.compliance.unchanged,
    )
