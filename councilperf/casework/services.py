"""Writing casework: the one way records get into the database (command, admin, demo data).

``import_records`` validates every record first (``validation``), collecting all problems; if
there is any it raises ``CaseworkValidationError`` and writes nothing. Otherwise it writes
everything in one transaction, upserting cases by reference, and returns what it added, changed
and left unchanged. It is built for millions of records: they are
checked once as they stream past (``sources``), the good rows kept on disk (``spill``) and only
a small integer of facts per case in memory (``facts``), then written from the spill in
batches of plain SQL (no query per row).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from tqdm import tqdm

from councilperf.writelock import writing

from . import planning
from . import writing as bulk
from .models import Case, Dataset, ImportRun
from .parsing import Kind
from .planning import Tallies
from .problems import CaseworkValidationError, Problems
from .records import CaseRecord, ComplianceRecord, RecommendationRecord
from .sources import FileSource, RecordSource
from .spill import Spill
from .validation import Checker, ImportSource

Source = FileSource | RecordSource

__all__ = [
    "CaseworkValidationError",
    "ImportSource",
    "ImportSummary",
    "Tallies",
    "import_files",
    "import_records",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did (or, for a dry run, would do)."""

    cases: Tallies
    recommendations: Tallies
    compliance: Tallies
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
    records = RecordSource(
        {
            Kind.CASES: _as_list(cases),
            Kind.RECOMMENDATIONS: _as_list(recommendations),
            Kind.COMPLIANCE: _as_list(compliance),
        },
        source,
    )
    return _run(
        records,
        dataset=dataset,
        dry_run=dry_run,
        progress=progress,
        today=today,
        user=_user(source),
        label=source.label if source else "",
    )


class DatasetExists(ValueError):
    """A new dataset's slug is taken already."""


def add_dataset(*, slug: str, name: str) -> Dataset:
    """A new, empty dataset, made explicitly by staff before its first import; DatasetExists
    when the slug is taken."""
    try:
        with transaction.atomic():
            return Dataset.objects.create(slug=slug, name=name)
    except IntegrityError as error:
        raise DatasetExists(slug) from error


def dataset_for(*, slug: str, create: bool) -> Dataset:
    """The dataset named ``slug``; a new one is created when ``create`` (two imports may create
    the same new dataset at once: get_or_create takes the other's), else an unsaved one with
    no rows (id 0): a preview or a dry run writes nothing, not even a new dataset, and an
    import saves it in its own transaction, so a refused import makes none."""
    found = Dataset.objects.filter(slug=slug).first()
    if found is not None:
        return found
    name = slug.replace("-", " ").title()
    if create:
        return Dataset.objects.get_or_create(slug=slug, defaults={"name": name})[0]
    dataset = Dataset(slug=slug, name=name)
    dataset.pk = 0
    return dataset


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
    ``CaseworkValidationError`` listing every problem found, and nothing is written. The files
    are streamed (``sources.FileSource``), never held.
    """
    files = FileSource(paths, names=names, progress=progress)
    return _run(
        files,
        dataset=dataset,
        dry_run=dry_run,
        progress=progress,
        today=today,
        user=user,
        label=label,
    )


def _run(
    source: Source,
    *,
    dataset: Dataset,
    dry_run: bool,
    progress: bool,
    today: dt.date | None,
    user: str,
    label: str,
) -> ImportSummary:
    """Check every record, then (unless ``dry_run``) write them, in one transaction."""
    started_at = timezone.now()
    today = today or timezone.localdate()
    # PostgreSQL takes new cases in while the import is still being checked (``bulk``).
    sends = not dry_run and connection.vendor == "postgresql"
    with (
        _collector_paused(),
        _progress_bar(progress and source.big) as bar,
        nullcontext() if dry_run else writing(what="a casework import", user=user),
        bulk.sending_cases() if sends else nullcontext() as sender,
        nullcontext()
        if dry_run
        else Spill(send={"cases": sender.send} if sender else None) as spill,
    ):
        # One transaction from the first read to the last write, holding the one writer's
        # lock: what was checked is what is written to, and a second import waits for it.
        if spill is not None and dataset._state.adding:
            dataset = Dataset.objects.get_or_create(
                slug=dataset.slug, defaults={"name": dataset.name}
            )[0]
        checker, plan = _checked(source, dataset=dataset, today=today, spill=spill)
        if sender is not None:
            sender.end()
        bar.update(source.total)
        summary = ImportSummary(
            cases=plan.case_counts,
            recommendations=plan.recommendation_counts,
            compliance=plan.compliance_counts,
            dry_run=dry_run,
        )
        if spill is None:
            return summary
        # The checker's facts (one per case) are not needed to write: let them go first.
        checker.facts.clear()
        bulk.write(plan, spill=spill, tick=bar.update)
        imported = source.import_source(label=label, user=user)
        run = _record_run(summary, started_at=started_at, dataset=dataset, source=imported)
    return dataclasses.replace(summary, import_run_id=run.pk)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while an import runs: its passes over every live object,
    made again and again as rows are read, cost a tenth of a big import, and an import makes
    no reference cycles per row (tests/casework/test_writing.py), so none pile up meanwhile."""
    enabled = gc.isenabled()
    # Garbage already waiting (from start-up, say) is collected first, not kept meanwhile.
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _progress_bar(progress: bool) -> tqdm[Any]:
    """Checking and writing, two steps per record (shown for large imports when asked)."""
    return tqdm(unit=" rows", desc="Checking and writing", disable=not progress, leave=False)


def _checked(
    source: Source, *, dataset: Dataset, today: dt.date, spill: Spill | None
) -> tuple[Checker, planning.Plan]:
    """Check every record against the database, then plan the writes; raise
    ``CaseworkValidationError`` with every problem found, before anything is written."""
    stored = Case.objects.aggregate(count=Count("pk"), last=Max("pk"))
    stored_count, last_id = stored["count"], stored["last"]
    checking = Problems()
    checker = Checker(
        authorities=planning.load_authorities(),
        dataset_id=dataset.pk,
        dataset_names=dict(Dataset.objects.values_list("id", "name")),
        today=today,
        problems=checking,
        where=source.where,
        lookup=lambda references: planning.stored_lookup(
            references, stored_count=stored_count, last_id=last_id
        ),
        spill=spill,
    )
    checker.check_cases(source.stream(Kind.CASES))
    if spill is not None:
        # The last new cases go now (when sent: the server stores them while the rest is read).
        spill.flush("cases")
    # Case rows that could not be read: rows naming them are not reported again as naming an
    # unknown case.
    checker.rejected.update(source.unreadable)
    checker.check_recommendations(source.stream(Kind.RECOMMENDATIONS))
    checker.check_compliance(source.stream(Kind.COMPLIANCE))
    reading = source.reading
    if source.unreadable_file:
        # Some file could not be read at all: checking the others' records against it would
        # only list consequences of that.
        raise reading.error()
    problems = Problems()
    for found in (reading, checking):
        problems.merge(found)
    if problems:
        raise problems.error()
    plan = planning.plan(checker, problems=problems)
    if problems:
        raise problems.error()
    return checker, plan


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
