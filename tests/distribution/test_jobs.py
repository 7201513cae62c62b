"""Jobs on the real queue (RQ on the Redis at REDIS_URL), run by a real worker in burst
mode: progress kept in the database (the page survives a reload), a job interrupted
mid-send resumed under the exactly-once rules."""

from __future__ import annotations

import signal

import pytest
import setproctitle
from django.test import Client

from councilperf.distribution import jobs
from councilperf.distribution.models import Delivery, QueueJob
from councilperf.years import ReportingYear
from tests.distribution.conftest import approve, make_user, run_worker

pytestmark = pytest.mark.django_db


def work(queue) -> None:
    run_worker(queue)


def test_a_send_job_runs_on_the_worker_with_progress(year, users, sink, queue):
    approve(year, users["publisher"])
    job = jobs.enqueue(kind=QueueJob.Kind.SEND, review_year=year, user=users["publisher"])
    assert job.status == QueueJob.Status.QUEUED and len(queue) == 1
    client = Client()
    client.force_login(make_user("publisher", username="watcher"))
    before = client.get(f"/staff/jobs/{job.pk}/")
    assert before.status_code == 200 and 'http-equiv="refresh"' in before.content.decode()
    work(queue)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.failures) == (QueueJob.Status.DONE, 12, 12, 0)
    state = client.get(f"/staff/jobs/{job.pk}/?format=json").json()
    assert state["finished"] and state["percent"] == 100
    assert 'http-equiv="refresh"' not in client.get(f"/staff/jobs/{job.pk}/").content.decode()
    assert len(sink.received) == 12


def test_a_job_interrupted_mid_send_is_resumed_without_repeats(year, users, sink, queue):
    from councilperf.distribution import sending

    approve(year, users["publisher"])
    sending._prepare(year, sending.plan(year=ReportingYear(2019)))  # letters recorded, nothing sent
    rows = list(Delivery.objects.order_by("id"))
    # What a worker killed mid-job leaves: two copies sent, one mid-transaction, the job running.
    Delivery.objects.filter(pk__in=[r.pk for r in rows[:2]]).update(status="sent")
    Delivery.objects.filter(pk=rows[2].pk).update(status="sending")
    job = QueueJob.objects.create(
        kind=QueueJob.Kind.SEND,
        review_year=year,
        requested_by="publisher",
        status=QueueJob.Status.RUNNING,
        created_at=rows[0].created_at,
    )
    jobs.resume(job=job, user=users["publisher"])
    work(queue)
    job.refresh_from_db()
    assert job.status == QueueJob.Status.DONE
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses.count("in_doubt") == 1 and statuses.count("sent") == 11
    assert len(sink.received) == 9  # neither the sent two nor the one in doubt again


def test_an_analyst_cannot_queue_a_send(year, users, queue):
    approve(year, users["publisher"])
    from councilperf.distribution.roles import NotAllowed

    with pytest.raises(NotAllowed):
        jobs.enqueue(kind=QueueJob.Kind.SEND, review_year=year, user=users["analyst"])
    assert len(queue) == 0


def test_the_worker_gives_the_process_back_as_it_was(year, users, queue):
    # RQ's handlers do not exit on SIGTERM; a process forked later in the run would keep them.
    before = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT))
    title = setproctitle.getproctitle()
    approve(year, users["publisher"])
    jobs.enqueue(kind=QueueJob.Kind.SEND, review_year=year, user=users["publisher"])
    work(queue)
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
    assert setproctitle.getproctitle() == title
    assert len(queue) == 0


@pytest.mark.parametrize(
    ("kind", "address", "role"),
    [("send", "send/confirm", "publisher"), ("generate", "generate", "analyst")],
)
def test_redis_down_says_the_job_was_not_queued_and_leaves_no_job(
    year, users, sink, settings, kind, address, role
):
    """Redis not answering (a closed port): the staff page says the job could not be queued
    in a GOV.UK error summary, and no job row is left "queued" for a worker that never comes."""
    approve(year, users["publisher"])
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    client = Client()
    client.force_login(users[role])
    response = client.post(f"/staff/{year.year}/{address}/", {"confirm": "yes"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert "could not be queued" in page
    assert QueueJob.objects.count() == 0
    with pytest.raises(jobs.QueueUnavailable):
        jobs.enqueue(kind=kind, review_year=year, user=users[role])
    assert QueueJob.objects.count() == 0
