"""The whole cycle in Chromium, as staff run it: an analyst imports casework, computes and
freezes; the publisher reviews the template, reads the readiness report and the figures,
checks the answers and approves, dry-runs and sends; the SMTP server receives one copy per
recipient with the right To/Cc, the PDF and the XLSX; on publication day the public letter's
bytes are the sent PDF's; signing out ends the session."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache

from councilperf.authorities.models import Authority
from councilperf.distribution import jobs
from councilperf.distribution.sink import Sink
from councilperf.statistics.models import ReviewYear
from tests.distribution.conftest import run_worker
from tests.factories import make_authority, make_case, make_contact
from tests.site import test_browser as public_browser
from tests.site.browser import axe_violations

pytestmark = pytest.mark.browser
chromium = public_browser.chromium  # the same headless Debian Chromium fixture

EXAMPLES = Path(__file__).parent.parent.parent / "docs" / "examples"
ROLES = ("chief_executive", "link_officer", "leader", "scrutiny_chair")


@pytest.fixture
def world(transactional_db: None, settings: Any, tmp_path: Path) -> list[Authority]:
    settings.LETTERS_DIR = tmp_path / "letters"
    settings.SENT_LETTERS_DIR = tmp_path / "sent"
    settings.VAR_DIR = tmp_path
    # The worker runs in this process, beside the live server's and Playwright's threads:
    # no forking there (a fork of a threaded process can deadlock).
    settings.LETTER_JOB_PROCESSES = 1
    councils = [
        make_authority(name="North East Derbyshire", gss_code="E07000038"),
        make_authority(name="Borsetshire"),
        make_authority(name="Felpersham"),
    ]
    for council in councils:
        for role in ROLES:
            make_contact(authority=council, role=role, name=f"{role} of {council.short_name}")
    for council in councils[1:]:
        for n in range(4):
            make_case(
                authority=council,
                received_date=dt.date(2019, 5, 1),
                decision_date=dt.date(2019, 8, 1),
                outcome="upheld" if n % 2 else "not_upheld",
            )
    for role in ("analyst", "publisher"):
        user = User.objects.create_user(username=role, password=f"{role}-pw", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
    return councils


@pytest.fixture
def sink(settings: Any) -> Iterator[Sink]:
    with Sink() as server:
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        yield server


@pytest.fixture
def queue() -> Iterator[Any]:
    found = jobs.queue()
    found.empty()
    yield found
    found.empty()


def finish_job(page: Any, queue: Any) -> None:
    """On a job's page (queued), run the worker; the page then says the job finished."""
    page.wait_for_url("**/staff/jobs/*/")
    run_worker(queue)
    page.reload()
    assert page.get_attribute("[data-job-status]", "data-job-status") == "done"


def log_in(chromium: Any, base: str, role: str) -> Any:
    # bypass_csp: axe-core is injected as a script (the site's CSP rightly refuses that);
    # tests/serving checks the pages under the policy itself.
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base}/admin/login/?next=/staff/")
    page.fill("#id_username", role)
    page.fill("#id_password", f"{role}-pw")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/staff/")
    return page


@pytest.mark.slow
def test_full_cycle_in_the_browser(
    world: list[Authority],
    live_server: Any,
    chromium: Any,
    sink: Sink,
    queue: Any,
) -> None:
    base = live_server.url
    analyst = log_in(chromium, base, "analyst")
    # Import the example casework (North East Derbyshire) through the upload form.
    analyst.goto(f"{base}/admin/casework/importrun/upload/")
    analyst.set_input_files("#id_casework_files", [str(p) for p in EXAMPLES.glob("*.csv")])
    analyst.click("#upload [type=submit]")
    analyst.wait_for_selector("#preview")
    analyst.click("#preview [type=submit]")
    analyst.wait_for_url("**/admin/casework/importrun/*/change/")
    assert world[0].cases.count() == 5
    # Compute and freeze, with a publication date a week ahead.
    analyst.goto(f"{base}/staff/")
    analyst.fill("#year", "2019-20")
    analyst.click("button:has-text('Compute')")
    finish_job(analyst, queue)  # computing is a job: its page, then the worker runs it
    analyst.click("a:has-text('Back to 2019-20')")
    today = dt.date.today()
    analyst.fill("#letter_date", today.isoformat())
    analyst.fill("#publication_date", (today + dt.timedelta(days=7)).isoformat())
    analyst.click("button:has-text('Freeze 2019-20')")
    finish_job(analyst, queue)
    analyst.click("a:has-text('Back to 2019-20')")
    assert analyst.inner_text("#stage") == "Frozen"
    assert analyst.locator("text=Approve figures").count() == 0  # not an analyst's action
    analyst.click("button:has-text('Generate the year')")
    run_worker(queue)
    analyst.reload()
    assert "Finished" in analyst.inner_text("#job-status")
    assert analyst.inner_text("#job-done") == analyst.inner_text("#job-total") == "3"

    publisher = log_in(chromium, base, "publisher")
    publisher.goto(f"{base}/staff/2019-20/")
    assert "Not reviewed" in publisher.inner_text("#template + p")
    publisher.click("button:has-text('I have reviewed the 2019-20 letter template')")
    report = publisher.inner_text("table.govuk-table")
    checks = report.splitlines()  # one row per readiness check, each Ready
    assert len(checks) >= 8 and all(row.endswith("Ready") for row in checks)
    assert axe_violations(publisher) == []
    # Check the figures, then the answers, before approving.
    publisher.click("#check-figures")
    assert "Complaints received" in publisher.inner_text("#national")
    assert axe_violations(publisher) == []
    publisher.click("a:has-text('Back to 2019-20')")
    publisher.click("a:has-text('Approve figures')")
    assert "Ready" in publisher.inner_text("#answers")
    assert axe_violations(publisher) == []
    publisher.click("#confirm-approve")
    finish_job(publisher, queue)
    publisher.click("a:has-text('Back to 2019-20')")
    assert publisher.inner_text("#stage") == "Approved"
    publisher.click("a:has-text('Send letters (dry run first)')")
    plan = publisher.inner_text("#plan")
    for council in world:
        assert f"chief_executive@{council.slug}.example.org" in plan
    assert not sink.received  # a dry run sends nothing
    assert axe_violations(publisher) == []
    publisher.check("#confirm")
    publisher.click("button:has-text('Send letters')")
    run_worker(queue)
    publisher.reload()
    assert "Finished" in publisher.inner_text("#job-status")
    assert publisher.inner_text("#job-failures") == "0"
    publisher.goto(f"{base}/staff/2019-20/")
    assert publisher.inner_text("#stage") == "Issued"

    # One copy per recipient, addressed to the chief executive and copied to the others.
    assert len(sink.received) == 3 * len(ROLES)
    pdfs = {}
    for council in world:
        chief = f"chief_executive@{council.slug}.example.org"
        copies = [i for i in sink.received if i.message["To"] == chief]
        assert sorted(r for c in copies for r in c.recipients) == sorted(
            f"{role}@{council.slug}.example.org" for role in ROLES
        )
        cc = {a.strip() for a in copies[0].message["Cc"].split(",")}
        assert cc == {f"{role}@{council.slug}.example.org" for role in ROLES[1:]}
        parts: dict[str, bytes] = {
            str(p.get_filename()): bytes(p.get_payload(decode=True))
            for p in copies[0].message.walk()
            if p.get_filename()
        }
        pdf = next(v for k, v in parts.items() if k.endswith(".pdf"))
        assert pdf.startswith(b"%PDF")
        # The case-level spreadsheet stays in the council's portal (the year's default);
        # the email links there (tests/distribution/test_email_portal_link.py: both ways).
        assert not any(k.endswith(".xlsx") for k in parts)
        text = next(p for p in copies[0].message.walk() if p.get_content_type() == "text/plain")
        body = bytes(text.get_payload(decode=True)).decode()
        assert f"/council/{council.slug}/2019-20/" in body
        pdfs[council.slug] = pdf

    # Before publication the letter is not public; on publication day it is the sent bytes.
    anonymous = chromium.new_context().new_page()
    letter = f"{base}/councils/{world[0].slug}/2019-20/letter.pdf"
    assert anonymous.request.get(letter).status == 404
    ReviewYear.objects.filter(year="2019-20").update(  # the day and time come
        publication_date=today, publication_time=dt.time(0, 0)
    )
    cache.clear()
    served = anonymous.request.get(letter)
    assert served.status == 200
    assert (
        hashlib.sha256(served.body()).hexdigest() == hashlib.sha256(pdfs[world[0].slug]).hexdigest()
    )
    publisher.goto(f"{base}/staff/2019-20/")
    assert publisher.inner_text("#stage") == "Published"
    publisher.click("#sign-out button")
    publisher.goto(f"{base}/staff/2019-20/")
    assert "/login/" in publisher.url
