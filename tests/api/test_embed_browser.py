"""The embed card in Chromium: no axe-core violations, and it renders inside an iframe of a
page served from another loopback port (another origin)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.site.browser import axe_violations
from tests.site.conftest import World

pytestmark = pytest.mark.browser


@pytest.fixture
def other_site(live_server: Any, demo_world: World) -> Iterator[str]:
    """A page on another loopback port that frames the card."""
    card = f"{live_server.url}/embed/councils/{demo_world.south.slug}/2019-20/"
    html = (
        '<!DOCTYPE html><html lang="en"><head><title>A newspaper</title></head><body>'
        f'<h1>Our council</h1><iframe id="card" src="{card}" title="Council figures" '
        'width="360" height="420"></iframe></body></html>'
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_card_renders_in_a_frame_of_another_site(
    page: Any, other_site: str, live_server: Any
) -> None:
    assert str(live_server.url).rsplit(":", 1)[1] not in other_site
    page.goto(other_site)
    frame = page.frame_locator("#card")
    frame.locator("h1").wait_for(timeout=10_000)
    assert "South Borsetshire" in frame.locator("h1").inner_text()
    assert frame.locator(".big").first.inner_text() == "50%"
    assert frame.locator(".stat").count() == 3
    # The card's own style is allowed by its hash in the card's policy.
    weight = frame.locator(".big").first.evaluate("e => getComputedStyle(e).fontWeight")
    assert weight == "700"
    box = page.locator("#card").bounding_box()
    assert box is not None and 360 <= box["width"] <= 364  # 360 and the default border


def test_card_has_no_accessibility_violations(
    chromium: Any, live_server: Any, demo_world: World
) -> None:
    # The card's policy allows no script, so axe-core is injected with the policy bypassed.
    context = chromium.new_context(bypass_csp=True, viewport={"width": 360, "height": 420})
    tab = context.new_page()
    tab.goto(f"{live_server.url}/embed/councils/{demo_world.south.slug}/2019-20/")
    assert axe_violations(tab) == []
    tab.set_viewport_size({"width": 320, "height": 640})
    assert axe_violations(tab) == []
    context.close()
