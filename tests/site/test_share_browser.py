"""The share box in Chromium: without JavaScript a field with the page's link; with it a share
button (Web Share API, where the browser has one) or a copy button, under the site's
Content-Security-Policy; the citation's access date is the reader's day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.site import test_browser as shared
from tests.site.browser import axe_violations
from tests.site.conftest import build_world

chromium = shared.chromium

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# A stand-in for a phone's share sheet: it records what it was asked to share.
FAKE_SHARE = "navigator.share = d => { window.__shared = d; return Promise.resolve(); };"


@pytest.fixture
def site(transactional_db: None, live_server: Any, settings: Any) -> tuple[str, str]:
    settings.SITE_URL = live_server.url
    world = build_world()
    return live_server.url, f"/councils/{world.south.slug}/2019-20/"


def test_without_javascript_the_link_is_a_field(chromium: Any, site: tuple[str, str]) -> None:
    base, path = site
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(base + path)
    field = page.locator("#share-link")
    assert field.is_visible() and field.input_value() == base + path
    assert not page.locator("[data-copy-button]").is_visible()
    page.locator("#cite summary").click()  # <details> opens without JavaScript
    assert page.locator("#cite-bibtex").is_visible()
    context.close()


def test_copy_link_and_share_under_the_policy(chromium: Any, site: tuple[str, str]) -> None:
    base, path = site
    context = chromium.new_context(viewport=PHONE)  # the Content-Security-Policy enforced
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Security Policy" in m.text else 0)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(base + path)
    copy = page.locator("[data-copy-button]")
    copy.wait_for(state="visible")
    if not page.evaluate("'share' in navigator"):  # no share sheet: no share button
        assert not page.locator("[data-share-button]").is_visible()
    copy.click()
    page.wait_for_selector("[data-share-status]:has-text('Link copied')")
    assert page.evaluate("navigator.clipboard.readText()") == base + path

    # A browser with a share sheet: the share button offers it, with the page's address.
    page.add_init_script(FAKE_SHARE)
    page.reload()
    share = page.locator("[data-share-button]")
    share.wait_for(state="visible")
    share.click()
    shared_data = page.evaluate("window.__shared")
    assert shared_data["url"] == base + path
    assert shared_data["title"] == "South Borsetshire Council: complaint decisions 2019-20"
    context.close()
    assert problems == []


def test_the_citation_is_dated_the_day_it_is_read(chromium: Any, site: tuple[str, str]) -> None:
    """A page cached on an earlier day cites the reader's day once the script has run."""
    base, path = site
    context = chromium.new_context(viewport=PHONE, bypass_csp=True)  # to inject axe-core
    page = context.new_page()
    later = dt.datetime(2031, 3, 14, 12, 0, tzinfo=dt.UTC)
    page.clock.set_fixed_time(later)
    page.goto(base + path)
    page.wait_for_selector("#share-heading")
    page.locator("#cite summary").click()
    plain = page.inner_text("#cite-plain")
    assert plain.endswith("(accessed 14 March 2031).")
    assert "urldate = {2031-03-14}" in page.inner_text("#cite-bibtex")
    assert axe_violations(page) == []  # the share box and the open citation, on a phone
    context.close()
