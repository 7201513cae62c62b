"""The job page in a real browser (Debian Chromium through Playwright): on a phone (390 px)
without sideways scrolling, with no accessibility violations (axe), without JavaScript (a
Refresh link), by keyboard (Resume reached with Tab), and updated live with JavaScript."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from rq import SimpleWorker
from rq.job import Job

from councilperf.distribution import jobpages, jobs
from councilperf.distribution.models import QueueJob
from tests.distribution import test_cycle_browser as cycle
from tests.site.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]
chromium = cycle.chromium


def started(year: Any, queue: Any, worker_name: str, now: dt.datetime) -> QueueJob:
    job = jobs.submit(
        QueueJob.objects.create(
            kind=QueueJob.Kind.SEND,
            review_year=year,
            requested_by="publisher",
            created_at=timezone.now(),
        )
    )
    found = Job.fetch(job.rq_id, connection=queue.connection)
    with queue.connection.pipeline() as pipeline:
        found.prepare_for_execution(worker_name, pipeline)
        pipeline.execute()
    QueueJob.objects.filter(pk=job.pk).update(
        status=QueueJob.Status.RUNNING,
        phase="sending",
        done=800,
        total=1268,
        failures=2,
        started_at=now - dt.timedelta(seconds=130),
        phase_started_at=now - dt.timedelta(seconds=80),
        phases=[
            {"phase": "planning", "total": 0, "at": (now - dt.timedelta(seconds=130)).isoformat()},
            {"phase": "sending", "total": 1268, "at": (now - dt.timedelta(seconds=80)).isoformat()},
        ],
    )
    return job


def phone(chromium: Any, base: str, *, script: bool = True) -> Any:
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, bypass_csp=True, java_script_enabled=script
    )
    page = context.new_page()
    page.goto(f"{base}/admin/login/?next=/staff/")
    page.fill("#id_username", "publisher")
    page.fill("#id_password", "publisher-pw")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/staff/")
    return page


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_the_job_page_on_a_phone_by_keyboard_and_without_javascript(
    year: Any, queue: Any, live_server: Any, chromium: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = timezone.now()
    monkeypatch.setattr(jobpages, "clock", lambda: now)  # the page's clock, held still
    user = User.objects.create_user(username="publisher", password="publisher-pw", is_staff=True)
    user.groups.add(Group.objects.get(name="publisher"))
    worker = SimpleWorker([queue], connection=queue.connection)
    worker.register_birth()
    try:
        running = started(year, queue, worker.name, now)
        page = phone(chromium, live_server.url, script=False)
        page.goto(f"{live_server.url}/staff/jobs/{running.pk}/")
        assert page.get_attribute("[data-job-status]", "data-job-status") == "running"
        assert page.inner_text("#job-phase") == "sending 800/1,268"
        assert "about 47 seconds" in page.inner_text("#job-eta")
        assert page.locator("#job-refresh").count() == 1  # no JavaScript: refresh by hand
        assert page.locator("#job-resume").count() == 0
        assert fits(page)
        page.screenshot(path="/tmp/job-running-390.png", full_page=True)

        # With JavaScript the page follows the job without a reload.
        page = phone(chromium, live_server.url)
        page.goto(f"{live_server.url}/staff/jobs/{running.pk}/")
        assert fits(page) and axe_violations(page) == []
        QueueJob.objects.filter(pk=running.pk).update(done=1000)
        page.wait_for_function("document.getElementById('job-done').textContent === '1000'")
    finally:
        worker.register_death()
        queue.connection.delete(worker.key)  # its heartbeat key expired: the worker is gone
    # The worker is gone: the page sees the job stopped and draws it afresh, with Resume,
    # which is reached by keyboard.
    page.wait_for_selector('[data-job-status="stopped"]')
    assert page.locator("#job-refresh").count() == 0
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "job-resume":
            break
    assert page.evaluate("document.activeElement.id") == "job-resume"
    assert fits(page) and axe_violations(page) == []
    page.screenshot(path="/tmp/job-stopped-390.png", full_page=True)
