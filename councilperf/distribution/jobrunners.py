"""What each kind of job does in the worker: the same services the commands call, with the
job's :class:`~councilperf.distribution.jobrecord.Reporter` for phases and counts.

A runner takes the job row and its reporter and returns the sentence the job page ends
with; it raises (``CycleError`` and the like) with a sentence for staff when the work is
refused. The publication job's runner is not here: ``publishing`` (above this app) registers
it with ``jobs.register`` when Django starts.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from councilperf.distribution import importing, lifecycle, sending
from councilperf.distribution.jobrecord import Reporter
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.models import QueueJob
from councilperf.letters import batch
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear

Runner = Callable[[QueueJob, Reporter], str]


def requester(job: QueueJob) -> Any:
    """The user who asked for the job (None if the account is gone: the roles refuse it)."""
    return get_user_model().objects.filter(username=job.requested_by).first()


def year_of(job: QueueJob) -> ReportingYear:
    """The job's year: its review year, or (computing a year not started) the payload's."""
    if job.review_year is not None:
        return job.review_year.reporting_year
    label = str(job.payload.get("year", ""))
    if not label:
        raise CycleError(f"this {job.get_kind_display().lower()} job names no year")
    return ReportingYear.parse(label)


def run_generate(job: QueueJob, reporter: Reporter) -> str:
    reporter.phase("preparing")
    counter = reporter.counter("rendering letters")

    def rendering(total: int) -> Callable[[], None]:
        tick = counter(total)
        return lambda: tick("")

    summary = batch.generate_letters(
        year=year_of(job),
        progress=rendering,
        processes=int(settings.LETTER_JOB_PROCESSES) or None,
    )
    return str(summary)


def _send_failed(status: str) -> bool:
    return status not in ("sent", "")


def run_send(job: QueueJob, reporter: Reporter) -> str:
    reporter.phase("planning")
    tally = sending.send_letters(
        year=year_of(job),
        user=requester(job),
        preparing=reporter.counter("preparing"),
        progress=reporter.counter("sending", failed=_send_failed),
    )
    return str(tally)


def run_import(job: QueueJob, reporter: Reporter) -> str:
    """The confirmed import (the import of exactly what was previewed, or a refusal)."""
    reporter.phase("importing", total=1)
    summary = importing.confirm(
        user=requester(job),
        token=uuid.UUID(job.payload["upload"]),
        dataset=job.payload["dataset"],
        fingerprint=job.payload["fingerprint"],
    )
    reporter.tick()
    return "Imported. " + " ".join(summary.lines())


def run_compute(job: QueueJob, reporter: Reporter) -> str:
    year = year_of(job)
    reporter.phase("computing the statistics")
    count = lifecycle.compute_year(year=year, user=requester(job))
    if job.review_year is None:  # a year computed for the first time now has its row
        found = ReviewYear.objects.filter(year=year.label).first()
        QueueJob.objects.filter(pk=job.pk).update(review_year=found)
    return f"{year} draft statistics computed for {count} authorities."


def run_freeze(job: QueueJob, reporter: Reporter) -> str:
    reporter.phase("freezing the statistics")
    frozen = lifecycle.freeze_year(
        year=year_of(job),
        user=requester(job),
        letter_date=dt.date.fromisoformat(job.payload["letter_date"]),
        publication_date=dt.date.fromisoformat(job.payload["publication_date"]),
        confirm_past=bool(job.payload.get("confirm_past")),
    )
    return f"{frozen.year} frozen as revision 1; publication on {frozen.publication_date}."


def run_approve(job: QueueJob, reporter: Reporter) -> str:
    reporter.phase("checking readiness")
    cycle = lifecycle.approve_year(year=year_of(job), user=requester(job))
    return f"{year_of(job)} revision {cycle.approved_revision} approved."


RUNNERS: dict[str, Runner] = {
    QueueJob.Kind.GENERATE: run_generate,
    QueueJob.Kind.SEND: run_send,
    QueueJob.Kind.IMPORT: run_import,
    QueueJob.Kind.COMPUTE: run_compute,
    QueueJob.Kind.FREEZE: run_freeze,
    QueueJob.Kind.APPROVE: run_approve,
}
