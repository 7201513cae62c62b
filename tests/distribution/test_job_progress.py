"""How a job's progress reads (issue 26, point 9): the ETA and the phase line as pure
functions, checked over every small case; the job page's phase, count, elapsed time and time
left; and Resume offered only for a failed or stopped job — a job is *stopped* when the real
queue (RQ on Redis) no longer has it running on a worker whose heartbeat key is alive."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rq import SimpleWorker
from rq.job import Job, JobStatus

from councilperf.distribution import jobpages, jobprogress, jobrecord, jobs
from councilperf.distribution.jobrunners import RUNNERS
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.models import QueueJob
from tests.distribution.conftest import approve, make_user, run_worker

pytestmark = pytest.mark.django_db

COUNTS = range(0, 13)
ELAPSED = (0.0, 0.4, 1.0, 7.5, 60.0, 3600.0)


# --- The ETA, the percentage and the phase line: pure, every small case --------------------


@pytest.mark.parametrize(("done", "total"), list(itertools.product(range(-2, 13), range(-2, 13))))
def test_eta_over_every_small_case(done: int, total: int) -> None:
    for elapsed in ELAPSED:
        left = jobprogress.eta(done=done, total=total, elapsed=elapsed)
        if total <= 0:
            assert left is None  # total unknown: no estimate
        elif done >= total:
            assert left == 0.0  # all done
        elif done <= 0 or elapsed <= 0:
            assert left is None  # no pace yet
        else:
            assert left is not None and left > 0
            # The pace so far, carried on: the time spent plus the time left is the time
            # the whole would take at that pace.
            assert left + elapsed == pytest.approx(elapsed * total / done)
            if done + 1 < total:  # one more done at the same pace: less left
                later = jobprogress.eta(
                    done=done + 1, total=total, elapsed=elapsed * (done + 1) / done
                )
                assert later is not None and later < left


@pytest.mark.parametrize(("done", "total"), list(itertools.product(COUNTS, COUNTS)))
def test_the_count_never_reads_0_of_0(done: int, total: int) -> None:
    line = jobprogress.phase_line("sending", done=done, total=total)
    unnamed = jobprogress.phase_line("", done=done, total=total)
    percent = jobprogress.percent(done=done, total=total)
    if total == 0:
        assert line == "sending" and unnamed == "preparing" and percent is None
    else:
        shown = min(done, total)
        assert line == f"sending {shown}/{total}" and unnamed == f"preparing {shown}/{total}"
        assert percent is not None and 0 <= percent <= 100
        assert (percent == 100) == (done >= total)
    for text in (line, unnamed):
        assert "0/0" not in text and "0 of 0" not in text
    for elapsed in ELAPSED:
        left = jobprogress.time_left(done=done, total=total, elapsed=elapsed)
        assert left == "not known yet" or left == "almost done" or left.startswith("about ")


def test_the_lines_staff_read() -> None:
    assert jobprogress.phase_line("preparing", done=120, total=317) == "preparing 120/317"
    assert jobprogress.phase_line("sending", done=800, total=1268) == "sending 800/1,268"
    assert jobprogress.phase_line("building review PDF", done=0, total=0) == ("building review PDF")
    assert jobprogress.time_left(done=800, total=1268, elapsed=80) == "about 47 seconds"
    assert jobprogress.time_left(done=1, total=4, elapsed=60) == "about 3 minutes"
    assert jobprogress.time_left(done=0, total=4, elapsed=60) == "not known yet"
    assert jobprogress.time_left(done=4, total=4, elapsed=60) == "almost done"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "less than a second"),
        (0.4, "less than a second"),
        (1, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (185, "3 minutes 5 seconds"),
        (3600, "1 hour"),
        (3661, "1 hour 1 minute"),
        (2 * 3600 + 10 * 60 + 59, "2 hours 10 minutes"),
        (-5, "less than a second"),
    ],
)
def test_durations(seconds: float, words: str) -> None:
    assert jobprogress.duration(seconds) == words


RQ_STATUSES: list[str | None] = [None, *(status.value for status in JobStatus)]


@pytest.mark.parametrize(
    ("status", "rq_status", "alive"),
    list(itertools.product(QueueJob.Status.values, RQ_STATUSES, (True, False))),
)
def test_resume_only_for_a_failed_or_stopped_job(
    status: str, rq_status: str | None, alive: bool
) -> None:
    found = jobs.classify(status=status, rq_status=rq_status, worker_alive=alive)
    if status == QueueJob.Status.DONE:
        assert found is jobs.State.DONE and not found.resumable
    elif status == QueueJob.Status.FAILED:
        assert found is jobs.State.FAILED and found.resumable
    elif rq_status in ("queued", "deferred", "scheduled"):
        assert found is jobs.State.WAITING and not found.resumable
    elif rq_status == "started" and alive:
        assert found is jobs.State.RUNNING and not found.resumable
    else:  # gone from the queue, ended there, or its worker's heartbeat has expired
        assert found is jobs.State.STOPPED and found.resumable


# --- On the real queue -----------------------------------------------------------------------


@pytest.fixture
def watcher(db: None) -> Client:
    client = Client()
    client.force_login(make_user("publisher", username="watcher"))
    return client


def queued_job(year: Any, kind: str = QueueJob.Kind.SEND) -> QueueJob:
    job = QueueJob.objects.create(
        kind=kind, review_year=year, requested_by="publisher", created_at=timezone.now()
    )
    return jobs.submit(job)


def start_on(job: QueueJob, worker_name: str, queue: Any) -> None:
    """What a worker does as it takes the job: RQ marks it started by that worker."""
    found = Job.fetch(job.rq_id, connection=queue.connection)
    with queue.connection.pipeline() as pipeline:
        found.prepare_for_execution(worker_name, pipeline)
        pipeline.execute()
    QueueJob.objects.filter(pk=job.pk).update(status=QueueJob.Status.RUNNING)
    job.refresh_from_db()


@pytest.fixture
def live_worker(queue: Any) -> Iterator[SimpleWorker]:
    """A worker registered with its heartbeat key, as a running worker keeps it."""
    worker = SimpleWorker([queue], connection=queue.connection)
    worker.register_birth()
    yield worker
    worker.register_death()


def page(client: Client, job: QueueJob) -> str:
    response = client.get(f"/staff/jobs/{job.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_job_on_a_live_worker_is_running_and_offers_no_resume(
    year, users, queue, live_worker, watcher, monkeypatch
):
    now = timezone.now()
    monkeypatch.setattr(jobpages, "clock", lambda: now)  # the page's clock, held still
    job = queued_job(year)
    html = page(watcher, job)
    assert 'data-job-status="queued"' in html and 'id="job-resume"' not in html
    assert "waiting for the worker" in html
    start_on(job, live_worker.name, queue)
    QueueJob.objects.filter(pk=job.pk).update(
        phase="sending",
        done=800,
        total=1268,
        started_at=now - dt.timedelta(seconds=130),
        phase_started_at=now - dt.timedelta(seconds=80),
    )
    job.refresh_from_db()
    assert jobs.state(job) is jobs.State.RUNNING
    html = page(watcher, job)
    assert 'data-job-status="running"' in html and 'id="job-resume"' not in html
    assert "sending 800/1,268" in html
    assert '800</span> of <span id="job-total">1268</span> (63%)' in html
    assert "2 minutes 10 seconds" in html  # elapsed
    assert "about 47 seconds" in html  # the time left at the pace of this phase
    assert 'http-equiv="refresh"' in html and 'id="job-refresh"' in html  # works without JS
    with pytest.raises(CycleError, match="still running"):
        jobs.resume(job=job, user=users["publisher"])
    assert watcher.get(f"/staff/jobs/{job.pk}/?format=json").json()["resumable"] is False


def test_a_job_whose_worker_died_is_stopped_and_resumable(year, users, sink, queue, watcher):
    job = queued_job(year)
    start_on(job, "a-worker-killed-mid-job", queue)  # no heartbeat key: that worker is gone
    assert jobs.state(job) is jobs.State.STOPPED
    html = page(watcher, job)
    assert 'data-job-status="stopped"' in html and 'id="job-resume"' in html
    assert 'http-equiv="refresh"' not in html  # nothing will change until someone resumes
    approve(year, users["publisher"])
    jobs.resume(job=job, user=users["publisher"])
    run_worker(queue)
    job.refresh_from_db()
    assert job.status == QueueJob.Status.DONE
    assert 'id="job-resume"' not in page(watcher, job)


def test_a_job_gone_from_the_queue_is_stopped(year, queue, watcher):
    job = queued_job(year)
    Job.fetch(job.rq_id, connection=queue.connection).delete()  # e.g. Redis flushed
    QueueJob.objects.filter(pk=job.pk).update(status=QueueJob.Status.RUNNING)
    job.refresh_from_db()
    assert jobs.state(job) is jobs.State.STOPPED
    assert 'id="job-resume"' in page(watcher, job)


def test_the_page_while_the_job_runs_offers_no_resume(year, users, queue, watcher, monkeypatch):
    """Seen from inside the job, on the real worker: running, its phase, no Resume."""
    seen: list[str] = []

    def runner(job: QueueJob, reporter: Any) -> str:
        reporter.phase("building review PDF")
        seen.append(page(watcher, job))
        reporter.phase("warming", total=4)
        reporter.tick()
        seen.append(watcher.get(f"/staff/jobs/{job.pk}/?format=json").content.decode())
        return "built"

    monkeypatch.setitem(RUNNERS, QueueJob.Kind.PUBLISH, runner)
    job = queued_job(year, QueueJob.Kind.PUBLISH)
    run_worker(queue)
    html, state = seen
    assert 'data-job-status="running"' in html and 'id="job-resume"' not in html
    assert "building review PDF" in html and "0 of 0" not in html
    assert "preparing: the number of items is not known yet" in html
    assert '"phase": "warming 1/4"' in state and '"resumable": false' in state
    job.refresh_from_db()
    assert (job.status, job.message, job.done, job.total) == ("done", "built", 4, 4)
    assert [p["phase"] for p in job.phases] == ["building review PDF", "warming"]
    assert job.started_at is not None and job.finished_at is not None
    assert job.started_at <= job.finished_at
    html = page(watcher, job)
    assert 'data-job-status="done"' in html and 'id="job-resume"' not in html
    assert 'id="job-phases"' in html and 'http-equiv="refresh"' not in html


def test_a_failed_job_lists_why_and_offers_resume(year, users, queue, watcher):
    # Sending before approval: the job fails with the reason, which the page shows.
    job = queued_job(year)
    run_worker(queue)
    job.refresh_from_db()
    assert job.status == QueueJob.Status.FAILED and job.finished_at is not None
    html = page(watcher, job)
    assert 'data-job-status="failed"' in html and 'id="job-resume"' in html
    assert "is not approved" in html and "The job failed" in html


def test_the_queue_not_answering_says_so_and_offers_no_resume(year, queue, watcher, settings):
    job = queued_job(year)
    QueueJob.objects.filter(pk=job.pk).update(status=QueueJob.Status.RUNNING)
    job.refresh_from_db()
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert jobs.state(job) is jobs.State.UNKNOWN
    html = page(watcher, job)
    assert 'data-job-status="unknown"' in html and 'id="job-resume"' not in html
    assert "did not answer" in html


def test_a_send_job_records_its_phases(year, users, sink, queue, watcher):
    approve(year, users["publisher"])
    job = jobs.enqueue(kind=QueueJob.Kind.SEND, review_year=year, user=users["publisher"])
    run_worker(queue)
    job.refresh_from_db()
    steps = [(p["phase"], p["total"]) for p in job.phases]
    assert steps == [("planning", 0), ("preparing", 3), ("sending", 12)]
    assert (job.status, job.phase, job.done, job.total) == ("done", "sending", 12, 12)
    html = page(watcher, job)
    for name in ("planning", "preparing", "sending"):
        assert f'<td class="govuk-table__cell">{name}</td>' in html


# --- Runs recorded by a command (publish_due from the timer) ---------------------------------


def test_a_run_recorded_by_a_command_is_running_while_its_process_is(year):
    import subprocess
    import sys

    with jobrecord.foreground(
        kind=QueueJob.Kind.PUBLISH, requested_by="publish_due", review_year=year
    ) as reporter:
        job = QueueJob.objects.get(pk=reporter.pk)
        assert jobs.state(job) is jobs.State.RUNNING  # this very process runs it
        reporter.summary = "Published."
    job.refresh_from_db()
    assert (job.status, job.message, jobs.state(job)) == ("done", "Published.", jobs.State.DONE)
    # A process that has ended (the timer's run killed): stopped, and Resume is offered.
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    host = job.payload[jobrecord.PROCESS].rpartition(":")[0]
    QueueJob.objects.filter(pk=job.pk).update(
        status=QueueJob.Status.RUNNING,
        payload={jobrecord.PROCESS: f"{host}:{ended.stdout.strip()}"},
    )
    job.refresh_from_db()
    assert jobs.state(job) is jobs.State.STOPPED and jobs.state(job).resumable
    # Run on another machine: whether it runs cannot be told from here; no Resume.
    QueueJob.objects.filter(pk=job.pk).update(payload={jobrecord.PROCESS: "elsewhere:1"})
    job.refresh_from_db()
    assert jobs.state(job) is jobs.State.UNKNOWN and not jobs.state(job).resumable


def test_a_failing_command_run_is_recorded_as_failed(year):
    with (
        pytest.raises(RuntimeError),
        jobrecord.foreground(
            kind=QueueJob.Kind.PUBLISH, requested_by="publish_due", review_year=year
        ) as reporter,
    ):
        reporter.phase("building review PDF")
        raise RuntimeError("the disk is full")
    job = QueueJob.objects.get()
    assert (job.status, job.message, job.phase) == (
        "failed",
        "the disk is full",
        "building review PDF",
    )
    assert job.finished_at is not None


def test_publish_due_leaves_the_work_to_a_publish_job_already_queued(year, users, queue):
    from io import StringIO

    from django.core.management import call_command

    from councilperf.statistics.models import ReviewYear

    approve(year, users["publisher"])
    ReviewYear.objects.filter(pk=year.pk).update(
        publication_date=timezone.localdate() - dt.timedelta(days=1)
    )
    year.refresh_from_db()
    waiting = jobs.enqueue(kind=QueueJob.Kind.PUBLISH, review_year=year, user=users["publisher"])
    out = StringIO()
    call_command("publish_due", stdout=out)
    assert f"A publish job is running (job {waiting.pk}): left to it." in out.getvalue()
    assert QueueJob.objects.count() == 1
