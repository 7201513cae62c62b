"""Jobs on the real queue (RQ on the Redis at REDIS_URL), run by a real worker in burst
mode: progress kept in the database (the page survives a reload), a job interrupted
mid-send resumed under the exactly-once rules."""

from __future__ import annotations

import datetime as dt
import signal

import pytest
import setproctitle
from django.test import Client
from django.utils import timezone

from councilperf.distribution import jobs
from councilperf.distribution.jobrunners import RUNNERS
from councilperf.distribution.models import Delivery, QueueJob, YearCycle
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import compute_statistics
from councilperf.years import ReportingYear
from tests.distribution.conftest import approve, make_user, run_worker
from tests.factories import make_authority, make_case

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


# --- Every long staff action is a job (issue 26, points 6 and 9) ---------------------------


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def only_job(kind: str) -> QueueJob:
    return QueueJob.objects.get(kind=kind)


def draft_year() -> None:
    """2020-21 with one council and one case, not computed yet (no review year)."""
    authority = make_authority(name="Draftshire", years=("2020-21",))
    make_case(authority=authority, received_date=dt.date(2020, 5, 1))


def test_computing_and_freezing_a_new_year_are_jobs(files, users, queue):
    draft_year()
    client = staff_client(users["analyst"])
    response = client.post("/staff/compute/", {"year": "2020-21"})
    job = only_job(QueueJob.Kind.COMPUTE)
    assert response.status_code == 302 and response["Location"] == f"/staff/jobs/{job.pk}/"
    assert job.review_year is None and job.payload == {"year": "2020-21"}
    assert not ReviewYear.objects.filter(year="2020-21").exists()  # nothing in the request
    assert "Compute statistics 2020-21" in client.get(response["Location"]).content.decode()
    work(queue)
    job.refresh_from_db()
    assert job.status == QueueJob.Status.DONE, job.message
    assert job.message == "2020-21 draft statistics computed for 1 authorities."
    assert job.review_year is not None and job.review_year.year == "2020-21"
    assert [p["phase"] for p in job.phases] == ["computing the statistics"]

    future = timezone.localdate() + dt.timedelta(days=30)
    dates = {"letter_date": future.isoformat(), "publication_date": "2099-01-01"}
    response = client.post("/staff/2020-21/freeze/", dates)
    job = only_job(QueueJob.Kind.FREEZE)
    assert response["Location"] == f"/staff/jobs/{job.pk}/"
    assert ReviewYear.objects.get(year="2020-21").status == ReviewYear.Status.DRAFT
    work(queue)
    job.refresh_from_db()
    frozen = ReviewYear.objects.get(year="2020-21")
    assert job.status == QueueJob.Status.DONE, job.message
    assert frozen.status == ReviewYear.Status.FROZEN
    assert (frozen.letter_date, frozen.publication_date) == (future, dt.date(2099, 1, 1))
    # Computing a frozen year is refused in the request: no job.
    refused = client.post("/staff/2020-21/compute/", follow=True).content.decode()
    assert "already frozen" in refused and QueueJob.objects.count() == 2


def test_approving_is_a_job(year, users, queue):
    client = staff_client(users["publisher"])
    response = client.post(f"/staff/{year.year}/approve/")
    job = only_job(QueueJob.Kind.APPROVE)
    assert response["Location"] == f"/staff/jobs/{job.pk}/"
    assert not YearCycle.objects.filter(approved_at__isnull=False).exists()
    work(queue)
    job.refresh_from_db()
    assert (job.status, job.message) == (QueueJob.Status.DONE, "2019-20 revision 1 approved.")
    assert [p["phase"] for p in job.phases] == ["checking readiness"]
    assert YearCycle.objects.get(review_year=year).approved_by == users["publisher"]
    # Approved: a second approval is refused in the request.
    again = client.post(f"/staff/{year.year}/approve/", follow=True).content.decode()
    assert "not waiting for approval" in again and QueueJob.objects.count() == 1


def test_an_approval_refused_by_readiness_fails_with_the_reasons(year, users, queue):
    from councilperf.authorities.models import Contact

    Contact.objects.filter(role="chief_executive").delete()
    job = jobs.enqueue(kind=QueueJob.Kind.APPROVE, review_year=year, user=users["publisher"])
    work(queue)
    job.refresh_from_db()
    assert job.status == QueueJob.Status.FAILED
    assert "not ready for approval" in job.message and "Chief executive email" in job.message


def test_generating_letters_records_its_phases(year, users, queue):
    job = jobs.enqueue(kind=QueueJob.Kind.GENERATE, review_year=year, user=users["analyst"])
    work(queue)
    job.refresh_from_db()
    assert job.status == QueueJob.Status.DONE
    assert [p["phase"] for p in job.phases] == ["preparing", "rendering letters"]


def test_a_job_whose_runner_is_missing_fails_saying_so(year, users, queue, monkeypatch):
    monkeypatch.delitem(RUNNERS, QueueJob.Kind.PUBLISH)
    job = jobs.submit(
        QueueJob.objects.create(
            kind=QueueJob.Kind.PUBLISH,
            review_year=year,
            requested_by="publisher",
            created_at=timezone.now(),
        )
    )
    work(queue)
    job.refresh_from_db()
    assert job.status == QueueJob.Status.FAILED
    assert "No runner is installed for publish jobs" in job.message
    assert job.finished_at is not None


def test_the_publishing_app_registers_the_publish_runner() -> None:
    from councilperf.publishing.jobs import run_publish

    assert RUNNERS[QueueJob.Kind.PUBLISH] is run_publish


def due_now(year: ReviewYear, user) -> None:
    """Approved, its publication date yesterday, nothing built: due for publication."""
    approve(year, user)
    ReviewYear.objects.filter(pk=year.pk).update(
        publication_date=timezone.localdate() - dt.timedelta(days=1)
    )


@pytest.mark.parametrize(
    ("address", "role", "data"),
    [
        ("2020-21/compute", "analyst", {}),
        ("compute", "analyst", {"year": "2020-21"}),
        (
            "2020-21/freeze",
            "analyst",
            {"letter_date": "2098-01-01", "publication_date": "2099-01-01"},
        ),
        ("2019-20/approve", "publisher", {}),
        ("2019-20/publish", "publisher", {}),
    ],
)
def test_redis_down_leaves_no_job_for_each_new_kind(year, users, settings, address, role, data):
    draft_year()
    compute_statistics(year=ReportingYear(2020))
    if address.endswith("publish"):
        due_now(year, users["publisher"])
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = staff_client(users[role]).post(f"/staff/{address}/", data, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in page and "could not be queued" in page
    assert QueueJob.objects.count() == 0


def test_publish_now_is_offered_only_when_the_year_is_due(year, users):
    client = staff_client(users["publisher"])
    assert 'id="publish-now"' not in client.get(f"/staff/{year.year}/").content.decode()
    refused = client.post(f"/staff/{year.year}/publish/", follow=True).content.decode()
    assert "not due for publication" in refused and QueueJob.objects.count() == 0
    due_now(year, users["publisher"])
    assert 'id="publish-now"' in client.get(f"/staff/{year.year}/").content.decode()
    analyst = staff_client(users["analyst"])
    assert 'id="publish-now"' not in analyst.get(f"/staff/{year.year}/").content.decode()
    assert analyst.post(f"/staff/{year.year}/publish/").status_code == 403


@pytest.fixture
def world(db: None, settings, tmp_path):
    """The site's test world: 2019-20 approved, its publication date past, nothing built."""
    from tests.site.conftest import build_world

    settings.BUILD_DIR = tmp_path / "build"
    return build_world()


@pytest.mark.slow
def test_publish_now_runs_the_publication_job_on_the_worker(world, queue):
    from io import StringIO

    from django.core.management import call_command

    from councilperf.statistics.services import correct_statistics

    anonymous = Client()
    pdf = "/review/2019-20/review.pdf"
    assert anonymous.get(pdf).status_code == 404
    publisher = staff_client(make_user("publisher"))
    assert 'id="publish-now"' in publisher.get("/staff/2019-20/").content.decode()
    response = publisher.post("/staff/2019-20/publish/")
    job = only_job(QueueJob.Kind.PUBLISH)
    assert response["Location"] == f"/staff/jobs/{job.pk}/"
    # Queued: the dashboard shows the job, and offers no second Publish now.
    page = publisher.get("/staff/2019-20/").content.decode()
    assert 'data-job-status="queued"' in page and 'id="publish-now"' not in page
    work(queue)
    job.refresh_from_db()
    assert job.status == QueueJob.Status.DONE, job.message
    assert job.message.startswith("Published 2019-20 (revision 1)")
    assert [p["phase"] for p in job.phases] == [
        "finding the years due",
        "building the 2019-20 review PDF",
    ]  # the steps after the first are one timed phase, each named in turn while it runs
    assert (job.phase, job.done, job.total) == ("warming the page cache", 6, 6)
    assert job.payload == {"years": ["2019-20"]}
    for url in (pdf, "/downloads/2019-20/datapackage.json", "/map-data/2019-20/figures.json"):
        assert Client().get(url).status_code == 200, url
    page = publisher.get("/staff/2019-20/").content.decode()
    assert "review PDF, open data, map and cache built for revision 1" in page
    assert 'id="publish-now"' not in page

    # The timer's publish_due records its run as a publish job too (only when something is due).
    out = StringIO()
    call_command("publish_due", stdout=out)
    assert "Nothing due" in out.getvalue() and QueueJob.objects.count() == 1
    correct_statistics(year=ReportingYear(2019), reason="A late decision.")
    call_command("publish_due", stdout=out)
    timer = QueueJob.objects.exclude(pk=job.pk).get()
    assert (timer.kind, timer.requested_by, timer.status) == ("publish", "publish_due", "done")
    assert timer.message.startswith("Published 2019-20 (revision 2)")
    assert timer.started_at is not None and timer.finished_at is not None
    assert f'href="/staff/jobs/{timer.pk}/"' in publisher.get("/staff/2019-20/").content.decode()
