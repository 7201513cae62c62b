"""Acceptance (issue 30): a council in the loop, in Chromium, from invitation to publication.

A year the demo never did (2025-26): frozen, letters made, approved and emailed to two
councils (an aiosmtpd server), opened for returns. Two-factor sign-in is on, as in
production. In the browser:

- the council officer accepts an invitation, sets a password, is signed in, sees the
  embargoed year (its figures and letter) and downloads the case-level spreadsheet (logged:
  who and when);
- the officer types a return that is refused with a named error, corrects it and sends it for
  sign-off;
- the council approver accepts an invitation, sets up TOTP from the secret on the page and
  signs the return off;
- the officer writes a reply and submits it; a publisher, signed in with a password and a
  TOTP code, accepts it.

Before publication an anonymous visitor finds neither the return nor the reply on the council
page, the API or the data package; at the year's publication moment the timer's
``publish_due`` runs and all three show both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from base64 import b32decode
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp

from councilperf.distribution import sending
from councilperf.distribution.sink import Sink
from councilperf.portal import accounts
from councilperf.portal.models import AccessEvent, ComplaintReturn, ReplyVersion, ReturnPeriod
from councilperf.statistics.models import ReviewYear
from tests.distribution.conftest import approve, authorities, build_year, make_user
from tests.portal.factories_accounts import PASSWORD, make_device, totp_now
from tests.portal.factories_returns import complete
from tests.site import test_browser as public_browser
from tests.site.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]
chromium = public_browser.chromium  # the same headless Debian Chromium fixture

YEAR = "2025-26"
REPLY = "We accept the ombudsman's findings and have retrained our housing team."
# An unusual count, so that a page showing it shows the return and nothing else.
STAGE1_RECEIVED = "4127"


@pytest.fixture
def sink(settings: Any) -> Iterator[Sink]:
    with Sink() as server:
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        yield server


@pytest.fixture
def world(transactional_db: None, settings: Any, tmp_path: Path, sink: Sink) -> dict[str, Any]:
    settings.LETTERS_DIR = tmp_path / "letters"
    settings.SENT_LETTERS_DIR = tmp_path / "sent"
    settings.VAR_DIR = tmp_path
    settings.BUILD_DIR = tmp_path / "build"
    settings.SEND_BACKOFF_SECONDS = 0.01
    settings.COUNCILPERF_TWO_FACTOR = True
    review_year = build_year(2, label=YEAR)
    publisher = make_user("publisher")
    approve(review_year, publisher)
    sending.send_letters(year=review_year.reporting_year, user=publisher)
    ReturnPeriod.objects.create(
        review_year=review_year,
        deadline=timezone.localdate() + dt.timedelta(days=5),
        opened_by=publisher,
        opened_at=timezone.now(),
    )
    council, other = authorities()[:2]
    return {"year": review_year, "publisher": publisher, "council": council, "other": other}


def code_from(secret: str, *, ahead: int = 0) -> str:
    plain = secret.replace(" ", "")
    return f"{totp(b32decode(plain + '=' * (-len(plain) % 8)), drift=ahead):06d}"


def new_page(chromium: Any, *, width: int = 1280) -> Any:
    """A fresh browser (no cookies); axe-core is injected past the CSP, as in every axe test."""
    context = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    return context.new_page()


def clean(page: Any) -> None:
    assert axe_violations(page) == [], page.url


def join(page: Any, base: str, token: str, username: str) -> None:
    page.goto(f"{base}/council/invitation/{token}/")
    clean(page)
    page.fill("#id_username", username)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state()


def officer_downloads_and_returns(page: Any, base: str, world: dict[str, Any]) -> None:
    council = world["council"]
    year_page = f"{base}/council/{council.slug}/{YEAR}/"
    page.goto(year_page)
    clean(page)
    assert "Not yet published" in page.inner_text("main")
    assert page.is_visible("#no-downloads")
    with page.expect_download() as download:
        page.click("#download-cases")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.reload()
    assert "officer" in page.inner_text("#downloads")
    logged = AccessEvent.objects.filter(kind="download", authority=council)
    assert [(e.username, e.detail) for e in logged] == [("officer", "cases.xlsx")]

    page.goto(f"{year_page}return/")
    clean(page)
    typed = complete(
        stage1_received=STAGE1_RECEIVED,
        stage1_upheld="401",  # more than answered (400): refused, named
        self_assessment_date=timezone.localdate().strftime("%d/%m/%Y"),
    )
    for name, value in typed.items():
        if name.endswith("_rating"):
            page.check(f"#{name}-{value}")
        else:
            page.fill(f"#{name}", value)
    page.click("button[name=continue]")
    page.wait_for_selector("#error-summary")
    assert "Stage 1 complaints upheld (401) cannot be more than stage 1 complaints answered" in (
        page.inner_text("#error-summary")
    )
    assert page.input_value("#stage1_received") == STAGE1_RECEIVED  # nothing typed is lost
    clean(page)
    page.fill("#stage1_upheld", "120")
    page.click("button[name=continue]")
    page.wait_for_url(re.compile(r"/return/check/"))
    clean(page)
    page.click("text=Send for sign-off")
    page.wait_for_url(re.compile(r"/return/(#.*)?$"))
    assert "Waiting for sign-off" in page.inner_text("#return-status")


def approver_signs_off(page: Any, base: str, world: dict[str, Any], token: str) -> None:
    join(page, base, token, "chief")
    assert page.locator("h1").inner_text() == "Set up two-factor sign-in"  # required of approvers
    clean(page)
    secret = page.locator("#secret").inner_text().strip()
    page.fill("#id_code", code_from(secret))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    sign_off = f"{base}/council/{world['council'].slug}/{YEAR}/return/sign-off/"
    page.goto(sign_off)
    clean(page)
    page.check("#confirm")
    page.click("text=Sign off and submit")
    page.wait_for_url(re.compile(r"/return/(#.*)?$"))
    assert "Submitted" in page.inner_text("#return-status")


def officer_replies(page: Any, base: str, world: dict[str, Any]) -> None:
    page.goto(f"{base}/council/{world['council'].slug}/{YEAR}/reply/")
    clean(page)
    page.fill("#reply", REPLY)
    page.click("button[value=submit]")
    assert "Check your reply before you submit it" in page.inner_text("h1")
    clean(page)
    page.click("text=Submit for publication")
    assert "is submitted" in page.inner_text(".govuk-notification-banner")


def publisher_accepts(page: Any, base: str, world: dict[str, Any]) -> None:
    device = make_device(world["publisher"])
    world["publisher"].set_password(PASSWORD)
    world["publisher"].save()
    page.goto(f"{base}/staff/{YEAR}/replies/")
    page.fill("#id_username", world["publisher"].username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/council/two-factor/verify/"))  # staff need a second factor
    page.fill("#id_code", totp_now(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(rf"/staff/{YEAR}/replies/$"))
    clean(page)
    page.click("text=Decide on version 1")
    page.check("#decision")
    page.click("text=Continue")
    assert "Check your decision" in page.inner_text("h1")
    page.click("text=Accept version 1")
    assert "is accepted" in page.inner_text(".govuk-notification-banner")


def public_bodies(client: Client, world: dict[str, Any]) -> dict[str, str]:
    """What an anonymous visitor gets of the year: the council page, the two API addresses
    and the two data-package files (each body, or its status when it is not 200)."""
    slug = world["council"].slug
    found = {}
    for address in (
        f"/councils/{slug}/{YEAR}/",
        f"/api/v1/years/{YEAR}/complaint-handling",
        f"/api/v1/years/{YEAR}/replies",
        f"/downloads/{YEAR}/complaint-handling.csv",
        f"/downloads/{YEAR}/replies.csv",
    ):
        answer = client.get(address)
        data = b"".join(answer.streaming_content) if answer.streaming else answer.content  # type: ignore[attr-defined]
        found[address] = data.decode() if answer.status_code == 200 else ""
    return found


def test_a_council_joins_sees_its_year_returns_replies_and_is_published(
    world: dict[str, Any], live_server: Any, chromium: Any, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    base, council = live_server.url, world["council"]
    _, officer_token = accounts.invite(
        email="officer@council.example", authority=council, role="officer", by=world["publisher"]
    )
    _, approver_token = accounts.invite(
        email="chief@council.example", authority=council, role="approver", by=world["publisher"]
    )

    officer = new_page(chromium, width=390)  # on a phone
    join(officer, base, officer_token, "officer")
    assert "/council/invitation/" not in officer.url  # signed in, no second factor demanded
    officer_downloads_and_returns(officer, base, world)

    approver = new_page(chromium)
    approver_signs_off(approver, base, world, approver_token)
    returned = ComplaintReturn.objects.get(authority=council)
    assert returned.status == "submitted" and returned.signed_off_by is not None
    assert returned.signed_off_by.username == "chief"

    officer_replies(officer, base, world)
    publisher_accepts(new_page(chromium), base, world)
    assert ReplyVersion.objects.get().status == "accepted"

    anonymous = Client()
    before = public_bodies(anonymous, world)
    for address, body in before.items():
        assert STAGE1_RECEIVED not in body and REPLY not in body, address

    moment = ReviewYear.objects.get(year=YEAR).publication_at
    assert moment is not None
    with time_machine.travel(moment + dt.timedelta(minutes=1), tick=True):
        from councilperf.publishing.services import publish_due

        cache.clear()
        assert [p.year.label for p in publish_due(progress=lambda line: None)] == [YEAR]
        after = public_bodies(anonymous, world)
    page = after[f"/councils/{council.slug}/{YEAR}/"]
    assert "Reported by the council; not verified by the ombudsman" in page
    assert "4,127" in page and REPLY.replace("'", "&#x27;") in page
    assert STAGE1_RECEIVED in after[f"/api/v1/years/{YEAR}/complaint-handling"]
    assert REPLY in after[f"/api/v1/years/{YEAR}/replies"]
    rows = list(csv.DictReader(io.StringIO(after[f"/downloads/{YEAR}/complaint-handling.csv"])))
    mine = [row for row in rows if council.gss_code in row.values()]
    assert len(mine) == 1 and STAGE1_RECEIVED in mine[0].values()
    assert REPLY in after[f"/downloads/{YEAR}/replies.csv"]
