"""The Content-Security-Policy in a real browser: the site's pages run every script they need
(the map draws, GOV.UK Frontend starts) and Chromium reports no violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.site import test_browser as shared
from tests.site.conftest import build_world

chromium = shared.chromium

pytestmark = pytest.mark.browser


def test_pages_run_under_the_policy_without_violations(
    transactional_db: None, live_server: Any, chromium: Any, settings: Any, tmp_path: Path
) -> None:
    settings.BUILD_DIR = tmp_path / "build"
    world = build_world()
    call_command("build_map_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    context = chromium.new_context(viewport={"width": 1280, "height": 900})  # CSP enforced
    page = context.new_page()
    violations: list[str] = []
    errors: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Security Policy" in m.text else 0)
    page.on("pageerror", lambda error: errors.append(str(error)))

    response = page.goto(live_server.url + "/?year=2019-20&tier=lower")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("#map[data-shapes]")
    assert page.get_attribute("#map", "data-shapes") == "3"
    classes = page.get_attribute("body", "class") or ""
    assert "js-enabled" in classes and "govuk-frontend-supported" in classes
    for path in (
        f"/councils/{world.south.slug}/2019-20/",
        "/compare/2019-20/district/",
        f"/compare/?councils={world.north.slug},{world.south.slug}",
        "/review/2019-20/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    context.close()
    assert violations == [] and errors == []
