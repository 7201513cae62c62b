"""Long work on the task queue (RQ on Redis): generating a year's letters, sending them.

Why RQ: the mission names Redis for the queue, and RQ is small, well kept and needs nothing
but Redis — a job is a Python function call. The job's progress lives in a
:class:`QueueJob` row (so the staff page survives a reload and a worker restart), and the job
code is the same the management commands run in the foreground. A worker killed mid-job
leaves the row *running* with its progress; "Resume" queues it again, and the exactly-once
rules of sending (``delivering``) make that safe: nothing already attempted is sent again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from councilperf.distribution import roles, sending
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.models import QueueJob
from councilperf.letters import batch, rendering, sources
from councilperf.statistics.models import ReviewYear

ACTION = {QueueJob.Kind.GENERATE: "preview_letters", QueueJob.Kind.SEND: "send_letters"}


class QueueUnavailable(CycleError):
    """The task queue (Redis) did not answer: the job was not queued, and no row is kept."""


def queue() -> Any:
    from redis import Redis
    from rq import Queue

    # A Redis that does not answer is reported within seconds, not after a web timeout.
    connection = Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5)
    return Queue(settings.TASK_QUEUE, connection=connection)


def enqueue(*, kind: str, review_year: ReviewYear, user: Any) -> QueueJob:
    roles.require(user, ACTION[QueueJob.Kind(kind)])
    if kind == QueueJob.Kind.SEND:
        sending.plan(year=review_year.reporting_year)  # refuse now what the job would refuse
    # The row is committed before the job is queued (a worker may start it at once), and
    # deleted again if Redis does not answer: no job is left "queued" that no worker will run.
    job = QueueJob.objects.create(
        kind=kind,
        review_year=review_year,
        requested_by=user.get_username(),
        created_at=timezone.now(),
    )
    try:
        return submit(job)
    except QueueUnavailable:
        QueueJob.objects.filter(pk=job.pk).delete()
        raise


def submit(job: QueueJob) -> QueueJob:
    """Put the job on the queue; :class:`QueueUnavailable` when Redis does not answer."""
    from redis.exceptions import RedisError

    try:
        queued = queue().enqueue(run, job.pk, job_timeout=3600, result_ttl=86400)
    except (RedisError, OSError) as error:
        raise QueueUnavailable(
            "The job could not be queued: the task queue (Redis) did not answer. "
            "Nothing was started; try again in a few minutes, or ask an administrator to "
            f"check the queue service ({type(error).__name__})."
        ) from error
    QueueJob.objects.filter(pk=job.pk).update(rq_id=queued.id, status=QueueJob.Status.QUEUED)
    job.refresh_from_db()
    return job


def resume(*, job: QueueJob, user: Any) -> QueueJob:
    roles.require(user, ACTION[QueueJob.Kind(job.kind)])
    if job.status == QueueJob.Status.DONE:
        raise CycleError("this job has finished")
    return submit(job)


def _progress(pk: int) -> Any:
    def start(total: int) -> Any:
        QueueJob.objects.filter(pk=pk).update(total=total, done=0, failures=0)

        def tick(status: str = "sent") -> None:
            failed = status not in ("sent",) and status != ""
            QueueJob.objects.filter(pk=pk).update(
                done=F("done") + 1, failures=F("failures") + (1 if failed else 0)
            )

        return tick

    return start


def run(pk: int) -> str:
    """The job itself (in the worker): the same services the commands call."""
    job = QueueJob.objects.select_related("review_year").get(pk=pk)
    QueueJob.objects.filter(pk=pk).update(status=QueueJob.Status.RUNNING, message="")
    try:
        if job.kind == QueueJob.Kind.GENERATE:
            summary = batch.generate_letters(
                year=job.review_year.reporting_year,
                progress=_generate_progress(pk),
                processes=int(settings.LETTER_JOB_PROCESSES) or None,
            )
            message = str(summary)
        else:
            user = get_user_model().objects.filter(username=job.requested_by).first()
            tally = sending.send_letters(
                year=job.review_year.reporting_year, user=user, progress=_progress(pk)
            )
            message = str(tally)
    except (
        CycleError,
        roles.NotAllowed,
        rendering.LetterError,
        sources.StatisticsUnavailable,
    ) as e:
        QueueJob.objects.filter(pk=pk).update(status=QueueJob.Status.FAILED, message=str(e))
        return str(e)
    QueueJob.objects.filter(pk=pk).update(status=QueueJob.Status.DONE, message=message)
    return message


def _generate_progress(pk: int) -> Any:
    start = _progress(pk)

    def begin(total: int) -> Any:
        tick = start(total)
        return lambda: tick("")

    return begin
