"""The release calendar and the accessibility statement in a browser (Debian Chromium): no
WCAG 2.2 A/AA violation found by axe-core, nothing scrolls sideways on a 390 px phone, the
calendar is reached from the home page by keyboard, and the page works without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest

from tests.site.browser import axe_violations
from tests.site.test_browser import chromium  # noqa: F401  (the browser fixture)
from tests.site.test_people_browser import PHONE, SIDEWAYS, assert_focus_visible, tab_through

pytestmark = pytest.mark.browser


@pytest.fixture
def site(transactional_db: None) -> Any:
    from tests.site.conftest import build_world

    return build_world(synthetic=True)


def test_calendar_and_statement_on_a_phone_by_keyboard(
    site: Any,
    live_server: Any,
    chromium: Any,  # noqa: F811
) -> None:
    context = chromium.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for address in ("/releases/", "/accessibility/"):
        page.goto(live_server.url + address)
        assert page.evaluate(SIDEWAYS) == 0, address
        assert axe_violations(page) == [], address
        assert_focus_visible(tab_through(page, 12), address)
    page.goto(live_server.url + "/")
    link = page.locator("#next-release a")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/releases/")
    assert page.locator('[data-release="2020-21"][data-status="announced"]').is_visible()
    assert page.locator("#demo-data-label").is_visible()
    context.close()
    assert errors == []
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    plain = context.new_page()
    plain.goto(live_server.url + "/releases/")
    assert plain.locator("#contact-email").is_visible()
    assert plain.locator('[data-release="2019-20"] a[href="/review/2019-20/"]').is_visible()
    context.close()
