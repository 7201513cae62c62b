"""Long work on the task queue (RQ on Redis): importing casework, computing, freezing and
approving a year, generating its letters, sending them, publishing it.

Why RQ: the mission names Redis for the queue, and RQ is small, well kept and needs nothing
but Redis — a job is a Python function call. The job's progress lives in a
:class:`QueueJob` row (so the staff page survives a reload and a worker restart), and the job
code is the same the management commands run in the foreground (``jobrunners``). Each kind
has a runner in :data:`RUNNERS`; the publication job's is registered by ``publishing`` when
Django starts (:func:`register`: this app may not import that one), and a job whose runner
is missing fails saying so.

A job is *stopped* when its row says queued or running but the queue says otherwise: RQ has
no such job any more, RQ marked it failed, stopped or cancelled, or RQ says it started on a
worker whose heartbeat key has expired (a worker killed mid-job). A run a command recorded
(``jobrecord.foreground``, e.g. ``publish_due``) is running while its process is. Only a
failed or stopped job can be resumed; the exactly-once rules of sending (``delivering``) make
a resumed send safe: nothing already attempted is sent again.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum
from typing import Any

from django.conf import settings

from councilperf.casework.problems import CaseworkValidationError
from councilperf.distribution import importing, jobrecord, lifecycle, roles, sending
from councilperf.distribution.jobrecord import Reporter
from councilperf.distribution.jobrunners import RUNNERS, Runner
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.models import QueueJob
from councilperf.distribution.publication import publication_status
from councilperf.letters import rendering, sources
from councilperf.statistics.models import ReviewYear

ACTION = {
    QueueJob.Kind.GENERATE: "preview_letters",
    QueueJob.Kind.SEND: "send_letters",
    QueueJob.Kind.IMPORT: importing.ACTION,
    QueueJob.Kind.COMPUTE: "compute_statistics",
    QueueJob.Kind.FREEZE: "freeze_year",
    QueueJob.Kind.APPROVE: "approve_year",
    QueueJob.Kind.PUBLISH: "approve_year",
}
REFUSALS = (
    CycleError,
    roles.NotAllowed,
    rendering.LetterError,
    sources.StatisticsUnavailable,
    importing.ImportRefused,
)


class QueueUnavailable(CycleError):
    """The task queue (Redis) did not answer: the job was not queued, and no row is kept."""


class JobFailed(Exception):
    """A runner's refusal in its own words (e.g. the publication job's)."""


class State(Enum):
    """Where a job stands, the row and the queue read together."""

    WAITING = "queued"  # on the queue, no worker has taken it yet
    RUNNING = "running"  # a worker whose heartbeat is alive is running it
    STOPPED = "stopped"  # the row says running or queued, the queue says it is not
    DONE = "done"
    FAILED = "failed"
    UNKNOWN = "unknown"  # the queue did not answer: neither running nor stopped can be said

    @property
    def resumable(self) -> bool:
        return self in (State.STOPPED, State.FAILED)


def register(kind: str, runner: Runner) -> None:
    """Install the runner of ``kind`` (an app above this one calls it from ``ready()``)."""
    RUNNERS[QueueJob.Kind(kind)] = runner


def queue() -> Any:
    from redis import Redis
    from rq import Queue

    # A Redis that does not answer is reported within seconds, not after a web timeout.
    connection = Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5)
    return Queue(settings.TASK_QUEUE, connection=connection)


def enqueue(
    *,
    kind: str,
    review_year: ReviewYear | None,
    user: Any,
    payload: dict[str, Any] | None = None,
) -> QueueJob:
    """Queue a job of ``kind`` for ``user`` (role checked now, and again by the job).
    Redis down: :class:`QueueUnavailable` and no job row is left."""
    roles.require(user, ACTION[QueueJob.Kind(kind)])
    check_start(kind=kind, review_year=review_year, payload=payload or {})
    # The row is committed before the job is queued (a worker may start it at once), and
    # deleted again if Redis does not answer: no job is left "queued" that no worker will run.
    job = jobrecord.create(
        kind=kind, review_year=review_year, requested_by=user.get_username(), payload=payload
    )
    try:
        return submit(job)
    except QueueUnavailable:
        QueueJob.objects.filter(pk=job.pk).delete()
        raise


def enqueue_import(*, user: Any, token: uuid.UUID, dataset: str, fingerprint: str) -> QueueJob:
    """Queue the import of staged files confirmed as previewed (checked now, and again by
    the job: ``importing.confirm``). Redis down: ``QueueUnavailable``, no job row left."""
    importing.checked_confirmation(user=user, token=token, dataset=dataset, fingerprint=fingerprint)
    job = jobrecord.create(
        kind=QueueJob.Kind.IMPORT,
        requested_by=user.get_username(),
        payload={"upload": str(token), "dataset": dataset, "fingerprint": fingerprint},
    )
    try:
        return submit(job)
    except QueueUnavailable as error:
        QueueJob.objects.filter(pk=job.pk).delete()
        raise QueueUnavailable(
            "The import could not be queued: the task queue (Redis) did not answer. Nothing "
            "was imported; the files are kept: confirm again in a few minutes."
        ) from error


def check_start(*, kind: str, review_year: ReviewYear | None, payload: dict[str, Any]) -> None:
    """Refuse now, in the request, what the job would refuse at once (quick checks only:
    the job checks everything again)."""
    if kind == QueueJob.Kind.FREEZE:
        lifecycle.require_dates(
            letter_date=dt.date.fromisoformat(payload["letter_date"]),
            publication_date=dt.date.fromisoformat(payload["publication_date"]),
            confirm_past=bool(payload.get("confirm_past")),
        )
    if review_year is None:
        return
    frozen = review_year.status == ReviewYear.Status.FROZEN
    if kind in (QueueJob.Kind.COMPUTE, QueueJob.Kind.FREEZE) and frozen:
        raise CycleError(
            f"{review_year.year} is already frozen: record a correction to change its figures"
        )
    if kind == QueueJob.Kind.SEND:
        sending.plan(year=review_year.reporting_year)
    stage = lifecycle.stage(review_year)
    if kind == QueueJob.Kind.APPROVE and stage is not lifecycle.Stage.FROZEN:
        raise CycleError(f"{review_year.year} is not waiting for approval")
    if kind == QueueJob.Kind.PUBLISH and not publication_due(review_year):
        raise CycleError(
            f"{review_year.year} is not due for publication: it must be approved, its "
            "publication date come, and its files not yet built for its latest revision"
        )


def publication_due(review_year: ReviewYear) -> bool:
    """Approved, public now, and not yet built for its latest revision (Publish now)."""
    status = publication_status(review_year)
    return (
        status is not None
        and not status.published
        and lifecycle.stage(review_year) is lifecycle.Stage.PUBLISHED
    )


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
    QueueJob.objects.filter(pk=job.pk).update(
        rq_id=queued.id, status=QueueJob.Status.QUEUED, finished_at=None
    )
    job.refresh_from_db()
    return job


def classify(*, status: str, rq_status: str | None, worker_alive: bool) -> State:
    """The job's state from its row's status, RQ's status of it (None: RQ has no such job)
    and whether the worker RQ names for it still has its heartbeat key."""
    if status == QueueJob.Status.DONE:
        return State.DONE
    if status == QueueJob.Status.FAILED:
        return State.FAILED
    if rq_status in ("queued", "deferred", "scheduled"):
        return State.WAITING
    if rq_status == "started" and worker_alive:
        return State.RUNNING
    return State.STOPPED  # no RQ job, RQ finished/failed/stopped/cancelled it, worker gone


def state(job: QueueJob) -> State:
    """:func:`classify` with what the queue says now (``UNKNOWN`` if Redis does not answer)."""
    if job.status in (QueueJob.Status.DONE, QueueJob.Status.FAILED):
        return classify(status=job.status, rq_status=None, worker_alive=False)
    if not job.rq_id:
        return _foreground_state(job)
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        connection = queue().connection
        try:
            found = Job.fetch(job.rq_id, connection=connection)
        except NoSuchJobError:
            return classify(status=job.status, rq_status=None, worker_alive=False)
        rq_status = str(found.get_status(refresh=False).value)
        alive = bool(found.worker_name) and bool(
            connection.exists(f"rq:worker:{found.worker_name}")
        )
    except (RedisError, OSError):
        return State.UNKNOWN
    return classify(status=job.status, rq_status=rq_status, worker_alive=alive)


def _foreground_state(job: QueueJob) -> State:
    """A run recorded by a command (``jobrecord.foreground``): running while its process is."""
    process = str(job.payload.get(jobrecord.PROCESS, ""))
    if not process:
        return State.STOPPED  # never queued, and no process runs it
    alive = jobrecord.process_alive(process)
    if alive is None:
        return State.UNKNOWN
    return State.RUNNING if alive else State.STOPPED


def live(kind: str) -> QueueJob | None:
    """A job of ``kind`` waiting or running now, if any."""
    unfinished = QueueJob.objects.filter(
        kind=kind, status__in=(QueueJob.Status.QUEUED, QueueJob.Status.RUNNING)
    )
    return next((job for job in unfinished if state(job) in (State.WAITING, State.RUNNING)), None)


def resume(*, job: QueueJob, user: Any) -> QueueJob:
    """Run a failed or stopped job again (refused while it runs, waits, or is done)."""
    roles.require(user, ACTION[QueueJob.Kind(job.kind)])
    now = state(job)
    if now is State.DONE:
        raise CycleError("this job has finished")
    if now is State.UNKNOWN:
        raise QueueUnavailable(
            "The task queue (Redis) did not answer: the job was not resumed. Try again in a "
            "few minutes."
        )
    if not now.resumable:
        raise CycleError(
            "this job is still running (or waiting for the worker): only a failed or stopped "
            "job can be resumed"
        )
    return submit(job)


def run(pk: int) -> str:
    """The job itself (in the worker): the kind's runner, its progress on the row."""
    job = QueueJob.objects.select_related("review_year").get(pk=pk)
    reporter = Reporter(pk)
    reporter.begin()
    runner = RUNNERS.get(QueueJob.Kind(job.kind))
    try:
        if runner is None:
            raise JobFailed(
                f"No runner is installed for {job.get_kind_display().lower()} jobs: the app "
                "that does this work is not loaded in the worker. Nothing was done."
            )
        message = runner(job, reporter)
    except (*REFUSALS, JobFailed) as error:
        reporter.finish(status=QueueJob.Status.FAILED, message=str(error))
        return str(error)
    except CaseworkValidationError as error:
        text = importing.failure_message(error)
        reporter.finish(status=QueueJob.Status.FAILED, message=text)
        return text
    except Exception as error:  # the row says so; RQ keeps the traceback
        reporter.finish(
            status=QueueJob.Status.FAILED,
            message=f"Stopped by an unexpected error ({type(error).__name__}): {error}",
        )
        raise
    reporter.finish(status=QueueJob.Status.DONE, message=message)
    return message
