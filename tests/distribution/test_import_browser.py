"""The staff import page in Chromium: a bad file's problems grouped in the GOV.UK error
summary, the file kept and removed, the example files previewed and imported by the
worker; no accessibility violations on the pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from councilperf.casework.models import Case, Dataset
from councilperf.casework.parsing import Kind
from councilperf.distribution import jobs
from tests.casework.files import csv_text, rows
from tests.distribution.conftest import run_worker
from tests.factories import make_authority
from tests.site import test_browser as public_browser
from tests.site.browser import axe_violations

pytestmark = pytest.mark.browser

chromium = public_browser.chromium
EXAMPLES = Path(__file__).parent.parent.parent / "docs" / "examples"


@pytest.fixture
def world(transactional_db: None, settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    make_authority(name="North East Derbyshire", gss_code="E07000038")
    Dataset.objects.create(slug="ombudsman", name="Ombudsman casework")
    user = User.objects.create_user(username="analyst", password="analyst-pw", is_staff=True)
    user.groups.add(Group.objects.get(name="analyst"))
    bad = tmp_path / "bad-cases.csv"
    changes = [{"reference": f"19 100 {n:03d}", "outcome": "won"} for n in range(7)]
    bad.write_text(csv_text(rows(Kind.CASES, *changes)))
    return bad


@pytest.fixture
def queue() -> Iterator[Any]:
    found = jobs.queue()
    found.empty()
    yield found
    found.empty()


def test_import_in_the_browser(world: Path, live_server: Any, chromium: Any, queue: Any) -> None:
    base = live_server.url
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base}/admin/login/?next=/staff/")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", "analyst-pw")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/staff/")
    page.click("text=Import casework files")
    page.select_option("#dataset", "ombudsman")
    page.set_input_files("#casework-files", str(world))
    page.click("text=Check the files")
    summary = page.inner_text(".govuk-error-summary")
    assert "not an outcome" in summary and "(7 rows)" in summary
    assert page.locator("#problem-1 tbody tr").count() == 5
    assert axe_violations(page) == []
    assert "bad-cases.csv" in page.inner_text(".cp-staged-files")

    page.click(".cp-staged-files button")
    assert page.locator(".cp-staged-files").count() == 0
    page.set_input_files("#casework-files", [str(p) for p in sorted(EXAMPLES.glob("*.csv"))])
    page.click("text=Check the files")
    page.wait_for_selector("text=Check the import before you confirm")
    assert axe_violations(page) == []
    page.click("text=Import these files")
    page.wait_for_url("**/staff/jobs/*/")
    run_worker(queue)
    page.reload()
    assert "Finished" in page.inner_text("#job-status")
    assert Case.objects.filter(authority__gss_code="E07000038").count() == 5
    context.close()
