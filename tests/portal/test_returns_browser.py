"""The return in a real browser (Debian Chromium through Playwright, a live server): an officer
types a return by keyboard, is refused with a named error that keeps what was typed, sends
it for sign-off; the approver (second factor verified) signs it off; staff see it submitted
and open the reminders' confirmation. Every page: axe-core finds no WCAG 2.2 A/AA violation;
on a phone's width no page scrolls sideways."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from councilperf.portal.code import SECTION_KEYS
from councilperf.portal.models import ComplaintReturn, CouncilRole, Reminder
from tests.factories import make_authority
from tests.portal.factories_returns import (
    YEAR,
    complete,
    link_officer,
    make_member,
    make_period,
    make_staff,
    signed_in,
)
from tests.site import test_browser as public_browser
from tests.site.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]


chromium = public_browser.chromium  # the one headless Debian Chromium (module scope)


def browser_as(chromium: Any, live_server: Any, client: Client, width: int = 1280) -> Any:
    """A page whose session is the client's (sessions are signed cookies)."""
    context = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context.new_page()


def clean(page: Any) -> None:
    assert axe_violations(page) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_return_typed_refused_corrected_sent_and_signed_off(
    transactional_db: None, live_server: Any, chromium: Any
) -> None:
    council = make_authority(name="Borsetshire", years=(YEAR,))
    other = make_authority(name="Felpersham", years=(YEAR,))
    make_period()
    officer = browser_as(chromium, live_server, signed_in(make_member(council)), width=375)
    base = f"{live_server.url}/council/{council.slug}/{YEAR}/return/"
    officer.goto(base)
    clean(officer)
    typed = complete(stage1_upheld="401")
    for name, value in typed.items():
        if name.endswith("_rating"):
            officer.check(f"#{name}-{value}")
        else:
            officer.fill(f"#{name}", value)
    officer.focus("#self_assessment_date")
    officer.keyboard.press("Enter")  # the first button: Continue
    officer.wait_for_selector("#error-summary")
    summary = officer.inner_text("#error-summary")
    assert "Stage 1 complaints upheld (401) cannot be more than stage 1 complaints answered" in (
        summary
    )
    assert officer.input_value("#stage1_upheld") == "401"
    clean(officer)
    officer.click("#error-summary a")
    assert officer.evaluate("document.activeElement.id") == "stage1_upheld"
    officer.fill("#stage1_upheld", "120")
    officer.click("button[name=continue]")
    officer.wait_for_url(re.compile(r"/return/check/"))  # (the #fragment stays)
    clean(officer)
    officer.click("text=Send for sign-off")
    officer.wait_for_url(re.compile(r"/return/(#.*)?$"))
    assert "Waiting for sign-off" in officer.inner_text("#return-status")
    officer.goto(base + "upload/")
    clean(officer)

    approver_client = signed_in(make_member(council, CouncilRole.APPROVER), verified=True)
    approver = browser_as(chromium, live_server, approver_client)
    approver.goto(base + "sign-off/")
    clean(approver)
    approver.click("text=Sign off and submit")  # not confirmed: refused, named
    approver.wait_for_selector(".govuk-error-summary")
    assert "Confirm that the return is correct" in approver.inner_text(".govuk-error-summary")
    clean(approver)
    approver.check("#confirm")
    approver.click("text=Sign off and submit")
    approver.wait_for_url(base)
    assert "Submitted" in approver.inner_text("#return-status")
    row = ComplaintReturn.objects.get(authority=council)
    assert row.status == "submitted" and row.assessments.count() == len(SECTION_KEYS)

    link_officer(other)
    publisher = Client()
    publisher.force_login(make_staff("publisher"))
    staff = browser_as(chromium, live_server, publisher)
    staff.goto(f"{live_server.url}/staff/{YEAR}/returns/")
    assert "Submitted" in staff.inner_text("#returns")
    clean(staff)
    staff.click("#returns a >> text=Borsetshire")
    assert "Reopen Borsetshire" in staff.inner_text("main")
    clean(staff)
    staff.goto(f"{live_server.url}/staff/{YEAR}/returns/?status=not_started")
    assert "Felpersham" in staff.inner_text("#returns")
    staff.click("text=Remind councils that have not submitted")
    assert "Felpersham" in staff.inner_text("#recipients")
    clean(staff)
    assert Reminder.objects.count() == 0
