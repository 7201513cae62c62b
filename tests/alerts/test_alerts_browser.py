"""The alerts pages in Debian Chromium at 390 px with JavaScript off: the form is filled in
and sent by keyboard alone, the confirmation link's button works, nothing scrolls sideways,
and axe finds no WCAG 2.2 A/AA violation."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.db import connections

from councilperf.alerts.models import Subscription
from councilperf.distribution.sink import Sink
from tests.alerts.conftest import link, to
from tests.site.browser import CHROMIUM, CHROMIUM_ARGS, axe_violations
from tests.site.conftest import World, build_world

pytestmark = pytest.mark.browser
T = TypeVar("T")


@pytest.fixture
def phone() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):  # a missing browser fails the run; it is never skipped
        pytest.fail(f"{CHROMIUM} not found: run scripts/system-packages.sh test (make test does)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, java_script_enabled=False, bypass_csp=True
        )
        yield context.new_page()
        context.close()
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


@pytest.fixture
def site(transactional_db: None, settings: Any, tmp_path: Path, live_server: Any) -> World:
    settings.BUILD_DIR = tmp_path / "build"
    settings.SITE_URL = "https://alerts.example"
    return build_world(synthetic=True)


def test_subscribing_by_keyboard_on_a_phone_without_javascript(
    site: World, sink: Sink, phone: Any, live_server: Any
) -> None:
    phone.goto(f"{live_server.url}/alerts/")
    assert _width(phone) <= 390
    phone.keyboard.press("Tab")  # the skip link first
    for _ in range(20):  # on to the email field, by keyboard only
        if phone.evaluate("document.activeElement.id") == "id_email":
            break
        phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.id") == "id_email"
    phone.keyboard.type("phone@example.org")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.id") == "id_council"
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")  # the button
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == "Check your email"
    assert _width(phone) <= 390
    path = link(to(sink.received, "phone@example.org")[0], "confirm")
    phone.goto(f"{live_server.url}{path}")
    assert _width(phone) <= 390
    phone.get_by_role("button", name="Confirm alerts").click()
    assert "Alerts confirmed" in phone.locator("h1").inner_text()
    row = _read(Subscription.objects.get)
    assert row.confirmed

    phone.goto(f"{live_server.url}/alerts/unsubscribe/{row.unsubscribe_token}/")
    phone.get_by_role("button", name="Unsubscribe").click()
    assert phone.locator("h1").inner_text() == "You are unsubscribed"
    assert not _read(Subscription.objects.exists)


def _read(query: Callable[[], T]) -> T:
    """Run ``query`` and close the connection it opened: inside Playwright's sync API the test
    runs in a greenlet with its own context, so Django opens a connection of its own there,
    which would otherwise outlive the test (and keep PostgreSQL's test database in use)."""
    try:
        return query()
    finally:
        connections.close_all()


def test_the_alerts_form_has_no_accessibility_violations(
    site: World, phone: Any, live_server: Any
) -> None:
    context = phone.context.browser.new_context(
        viewport={"width": 390, "height": 844}, bypass_csp=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/alerts/")
    assert axe_violations(page) == []
    context.close()
