"""The ``/api/`` page in Chromium: no axe-core violations; on a 390 px phone the page is no
wider than the screen (each worked example scrolls sideways in its own region), and every
example can be reached and scrolled by keyboard."""

from __future__ import annotations

from typing import Any

import pytest

from tests.site.browser import axe_violations
from tests.site.conftest import World

pytestmark = pytest.mark.browser


def test_the_api_page_on_a_phone_and_by_keyboard(
    page: Any, live_server: Any, demo_world: World
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/api/")
    assert page.locator("pre.cp-code").count() >= 5
    assert axe_violations(page) == []
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    block = page.locator("pre.cp-code").first
    assert block.evaluate("e => e.scrollWidth > e.clientWidth")  # a long line: it scrolls
    block.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # Chromium scrolls smoothly on a key: wait for the block to move (fails on a timeout).
    page.wait_for_function("e => e.scrollLeft > 0", arg=block.element_handle())
