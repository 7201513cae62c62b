"""What the job page shows (reads only): state, phase, progress, elapsed time, time left,
the phases of the run, the failures, and whether Resume is offered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from councilperf.distribution import jobprogress, jobs
from councilperf.distribution.models import Delivery, QueueJob

FAILURES_SHOWN = 20
clock = timezone.now  # the page's "now" (a test sets it: elapsed time and time left read it)
NOT_DELIVERED = (Delivery.Status.FAILED, Delivery.Status.RETRY, Delivery.Status.IN_DOUBT)
LABELS = {
    jobs.State.WAITING: "Queued",
    jobs.State.RUNNING: "Running",
    jobs.State.STOPPED: "Stopped",
    jobs.State.DONE: "Finished",
    jobs.State.FAILED: "Failed",
    jobs.State.UNKNOWN: "Not known (the task queue did not answer)",
}
TAGS = {
    jobs.State.WAITING: "govuk-tag--grey",
    jobs.State.RUNNING: "govuk-tag--light-blue",
    jobs.State.STOPPED: "govuk-tag--orange",
    jobs.State.DONE: "govuk-tag--green",
    jobs.State.FAILED: "govuk-tag--red",
    jobs.State.UNKNOWN: "govuk-tag--yellow",
}


def _seconds(start: dt.datetime | None, end: dt.datetime) -> float:
    return 0.0 if start is None else max(0.0, (end - start).total_seconds())


def phases(job: QueueJob, *, now: dt.datetime) -> list[dict[str, Any]]:
    """Each phase of the run with how long it took (the last: so far, or until the end)."""
    rows = [p for p in job.phases if isinstance(p, dict) and p.get("at")]
    end = job.finished_at or now
    out = []
    for index, item in enumerate(rows):
        start = dt.datetime.fromisoformat(str(item["at"]))
        stop = (
            dt.datetime.fromisoformat(str(rows[index + 1]["at"])) if index + 1 < len(rows) else end
        )
        total = int(item.get("total") or 0)
        out.append(
            {
                "name": str(item.get("phase", "")),
                "total": f"{total:,}" if total else "",
                "took": jobprogress.duration(_seconds(start, stop)),
            }
        )
    return out


def job_state(job: QueueJob, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The page's (and its JSON's) reading of the job."""
    now = now or clock()
    found = jobs.state(job)
    finished = found in (jobs.State.DONE, jobs.State.FAILED)
    elapsed = _seconds(job.started_at, job.finished_at or now)
    pace = _seconds(job.phase_started_at or job.started_at, now)
    percent = jobprogress.percent(done=job.done, total=job.total)
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": found.value,
        "label": LABELS[found],
        "tag": TAGS[found],
        "done": job.done,
        "total": job.total,
        "failures": job.failures,
        "percent": 100 if found is jobs.State.DONE else (percent or 0),
        "counted": percent is not None,
        "phase": jobprogress.phase_line(job.phase, done=job.done, total=job.total),
        "started": job.started_at is not None,
        "elapsed": jobprogress.duration(elapsed),
        "time_left": (
            ""
            if finished or found is jobs.State.STOPPED
            else jobprogress.time_left(done=job.done, total=job.total, elapsed=pace)
        ),
        "message": job.message,
        "finished": finished,
        "live": found in (jobs.State.WAITING, jobs.State.RUNNING, jobs.State.UNKNOWN),
        "resumable": found.resumable,
    }


def job_page(job: QueueJob, *, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or clock()
    return {
        "job": job,
        "year_label": job.review_year.year if job.review_year else job.payload.get("year", ""),
        "state": job_state(job, now=now),
        "phases": phases(job, now=now),
        "not_delivered": not_delivered(job),
    }


def not_delivered(job: QueueJob) -> dict[str, Any] | None:
    """For a send job: the year's copies not delivered (refused, to retry, in doubt)."""
    if job.kind != QueueJob.Kind.SEND or job.review_year is None:
        return None
    rows = Delivery.objects.filter(
        letter__review_year=job.review_year, status__in=NOT_DELIVERED
    ).select_related("letter__authority")
    return {"count": rows.count(), "rows": list(rows[:FAILURES_SHOWN])}
