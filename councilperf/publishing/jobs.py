"""The publication job on the task queue ("Publish now" on the year page) and as the timer
runs it (``publish_due``): the same service, its steps recorded on a job row.

Registered with ``distribution.jobs.register`` by this app's ``ready()``: the staff pages
(in ``distribution``) start the job without importing this app, which sits above them.
"""

from __future__ import annotations

from collections.abc import Callable

from councilperf.diskspace import DiskFull
from councilperf.distribution.jobrecord import Reporter
from councilperf.distribution.jobs import JobFailed
from councilperf.distribution.models import QueueJob
from councilperf.publishing.services import PublicationFailed, Published, publish_due


def summary(done: list[Published]) -> str:
    if not done:
        return "Nothing was due: every public year is built for its current revision."
    years = ", ".join(f"{p.year} (revision {p.revision})" for p in done)
    return f"Published {years}: review PDF, open data, map data and page cache."


def step(reporter: Reporter) -> Callable[[str, int, int], None]:
    def record(name: str, done: int, total: int) -> None:
        reporter.step(name, done=done, total=total)

    return record


def run_publish(job: QueueJob, reporter: Reporter) -> str:
    """Every year due now (the one asked for among them), as ``publish_due`` does it: one
    cache warm for all of them, so publishing one year never drops another's pages."""
    reporter.phase("finding the years due")
    try:
        done = publish_due(step=step(reporter))
    except (PublicationFailed, DiskFull) as error:
        raise JobFailed(str(error)) from error
    record_years(job.pk, done)
    return summary(done)


def record_years(pk: int, done: list[Published]) -> None:
    """Name every year the run published on its row (each one's dashboard lists the job)."""
    payload = dict(QueueJob.objects.get(pk=pk).payload)
    payload["years"] = [p.year.label for p in done]
    QueueJob.objects.filter(pk=pk).update(payload=payload)
