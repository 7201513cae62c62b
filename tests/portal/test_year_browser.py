"""The portal's year pages in a real browser (Debian Chromium through Playwright): a council
officer goes from their councils to the year, downloads the case-level spreadsheet (logged,
then listed for colleagues), with axe finding nothing on any page — on a desk and a phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import Client

from councilperf.portal.models import AccessEvent
from tests.distribution.conftest import _pdfs_rendered_once, files  # noqa: F401
from tests.portal.factories_year import YearWorld, year_world
from tests.site import test_browser as public_browser
from tests.site.browser import axe_violations

pytestmark = [pytest.mark.browser]


chromium = public_browser.chromium  # the one headless Debian Chromium (module scope)


@pytest.fixture
def world(transactional_db: None, files: Path) -> YearWorld:  # noqa: F811
    return year_world()


def signed_in_page(chromium: Any, base: str, world: YearWorld, width: int) -> Any:
    """A browser signed in as the officer (the session cookie of a forced login: the
    accounts part's sign-in page is tested with the accounts)."""
    client = Client()
    client.force_login(world.officer)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = chromium.new_context(
        viewport={"width": width, "height": 900}, bypass_csp=True, accept_downloads=True
    )
    host = urlparse(base).hostname
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "domain": host, "path": "/"}])
    return context.new_page()


@pytest.mark.parametrize("width", [1280, 375])
def test_an_officer_finds_the_year_downloads_and_axe_finds_nothing(
    chromium: Any, live_server: Any, world: YearWorld, width: int
) -> None:
    base = live_server.url
    page = signed_in_page(chromium, base, world, width)
    page.goto(f"{base}/council/")
    assert world.sent.official_name in page.inner_text("#councils")
    assert axe_violations(page) == []
    page.click(f"text={world.sent.official_name}")
    assert "Letter sent: not yet published" in page.inner_text("#year-2019-20")
    assert axe_violations(page) == []
    page.click("#year-2019-20 a")
    assert "Key statistics, 2019-20" in page.content()
    assert page.is_visible("#no-downloads")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.click("#download-cases")
    assert download.value.suggested_filename == f"complaints-2019-20-{world.sent.gss_code}.xlsx"
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.DOWNLOAD).count() == 1
    page.reload()
    assert "Olive" in page.inner_text("#downloads")
    assert axe_violations(page) == []
    page.context.close()
