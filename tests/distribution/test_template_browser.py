"""The letter template page in Chromium on a phone (390 px), without JavaScript, by
keyboard: no sideways scrolling, no accessibility violation, a change previewed for the
council chosen and then saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from councilperf.letters.models import LetterTemplate
from councilperf.statistics.models import ReviewYear
from tests.distribution.conftest import authorities
from tests.site import test_browser as public_browser
from tests.site.browser import axe_violations

pytestmark = pytest.mark.browser
chromium = public_browser.chromium


def test_the_template_page_on_a_phone_by_keyboard_without_javascript(
    transactional_db: None,
    year: ReviewYear,
    users: dict[str, User],
    live_server: Any,
    chromium: Any,
) -> None:
    base = live_server.url
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=False, bypass_csp=True
    )
    page = context.new_page()
    page.goto(f"{base}/admin/login/?next=/staff/2019-20/template/")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/staff/2019-20/template/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _, second, _ = authorities()
    page.focus("#council")
    page.select_option("#council", second.gss_code)
    page.fill("#body", LetterTemplate.objects.get().body + "\n\nSeen on a phone.")
    page.focus("#preview-template")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=with your changes (not saved)")
    preview = page.inner_text("#letter-preview")
    assert "Seen on a phone." in preview and second.official_name in preview
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    with_js = chromium.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = with_js.new_page()
    page.goto(f"{base}/admin/login/?next=/staff/2019-20/template/")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/staff/2019-20/template/")
    assert axe_violations(page) == []
    page.fill("#body", LetterTemplate.objects.get().body + "\n\nSaved by keyboard.")
    page.focus("#save-template")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/2019-20/")
    assert LetterTemplate.objects.get().edited_by == "analyst"
    with_js.close()
