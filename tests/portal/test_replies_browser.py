"""The right of reply in Debian Chromium: a council officer on a phone without JavaScript
writes a reply that is first refused (501 words), shortens it, checks and submits it; a
publisher returns nothing without a reason, then accepts it after checking; every reply
page has no WCAG 2.2 A/AA violation (axe) and nothing scrolls sideways on the phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from councilperf.portal.models import ReplyVersion
from tests.distribution.conftest import make_user
from tests.portal.factories_replies import YEAR, council_with_letter, make_person
from tests.site import test_browser as public_browser
from tests.site.browser import axe_violations

pytestmark = pytest.mark.browser


chromium = public_browser.chromium  # the one headless Debian Chromium (module scope)


@pytest.fixture
def browser(chromium: Any) -> Any:
    return chromium


def signed_in(browser: Any, base: str, user: Any, *, phone: bool) -> Any:
    """A page in a fresh context carrying ``user``'s session (the sign-in pages are the
    accounts part's; here the session is made as ``force_login`` makes it)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(
        viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 900},
        java_script_enabled=not phone,
        bypass_csp=True,
    )
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    return context.new_page()


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")  # works without page JS
    assert width <= 390, width


def axe_clean(browser: Any, base: str, user: Any, address: str, typed: str = "") -> None:
    """No axe violation on the page (with ``typed``: after saving that text)."""
    page = signed_in(browser, base, user, phone=False)
    page.goto(f"{base}{address}")
    if typed:
        page.fill("#reply", typed)
        page.click("button[value=save]")
        assert page.locator(".govuk-error-summary").count() == 1
    assert axe_violations(page) == [], address
    page.context.close()


def test_a_reply_written_on_a_phone_and_accepted_by_a_publisher(
    transactional_db: None, live_server: Any, browser: Any
) -> None:
    base = live_server.url
    authority, _ = council_with_letter()
    officer = make_person(authority, username="officer")
    reply = f"/council/{authority.slug}/{YEAR}/reply/"

    phone = signed_in(browser, base, officer, phone=True)
    phone.goto(f"{base}{reply}")
    assert "0 of 500 words" in phone.inner_text("#reply-count")
    no_sideways_scroll(phone)
    phone.fill("#reply", " ".join(["word"] * 501))
    phone.click("button[value=save]")
    assert "must be 500 words or fewer – it has 501 words" in phone.inner_text(
        ".govuk-error-summary"
    )
    no_sideways_scroll(phone)
    axe_clean(browser, base, officer, reply)  # the page without an error
    axe_clean(browser, base, officer, reply, typed=" ".join(["word"] * 501))  # and with one
    phone.fill("#reply", "We accept the findings.\n\n<b>We have</b> changed our procedures.")
    phone.click("button[value=submit]")
    assert "Check your reply before you submit it" in phone.inner_text("h1")
    assert "<b>We have</b> changed" in phone.inner_text("#reply-text")
    no_sideways_scroll(phone)
    axe_clean(browser, base, officer, f"{reply}submit/")
    phone.click("text=Submit for publication")
    assert "is submitted" in phone.inner_text(".govuk-notification-banner")
    assert ReplyVersion.objects.get().status == ReplyVersion.Status.SUBMITTED
    phone.context.close()

    publisher = make_user("publisher")
    desk = signed_in(browser, base, publisher, phone=False)
    desk.goto(f"{base}/staff/{YEAR}/replies/")
    assert axe_violations(desk) == []
    desk.click("text=Decide on version 1")
    assert axe_violations(desk) == []
    desk.check("#decision-return")
    desk.click("text=Continue")
    assert "Enter why the reply is returned" in desk.inner_text(".govuk-error-summary")
    assert axe_violations(desk) == []
    desk.check("#decision")
    desk.fill("#reason", "Thank you.")
    desk.click("text=Continue")
    assert "Check your decision" in desk.inner_text("h1")
    assert axe_violations(desk) == []
    desk.click("text=Accept version 1")
    assert "is accepted" in desk.inner_text(".govuk-notification-banner")
    version = ReplyVersion.objects.get()
    assert (version.status, version.decided_by, version.reason) == (
        ReplyVersion.Status.ACCEPTED,
        publisher,
        "Thank you.",
    )
    desk.context.close()
    axe_clean(browser, base, officer, reply)  # with its history of versions
