"""The councils' own words in Chromium: the council page's complaint handling and reply, the
group page's table and side by side — axe-core finds nothing, and at 390 px none of them
makes the page wider than the screen."""

from __future__ import annotations

from typing import Any

from councilperf.portal.models import ComplaintReturn, ReplyVersion
from tests.portal.factories_public import make_reply, make_return, open_returns
from tests.site.browser import axe_violations
from tests.site.test_browser import chromium, page  # noqa: F401

WIDER = "() => document.documentElement.scrollWidth > window.innerWidth"


def test_the_councils_words_are_accessible_and_fit_a_phone(
    transactional_db: None,
    live_server: Any,
    page: Any,  # noqa: F811
) -> None:
    from tests.site.conftest import build_world

    world = build_world(synthetic=True)
    open_returns()
    make_return(
        world.south,
        ratings={
            "definition": ("meets", "Our policy uses the Code's definition."),
            "remedies": ("partly", ""),
        },
        self_assessment_url="https://www.example.org/self-assessment",
        synthetic=True,
    )
    make_return(world.north, status=ComplaintReturn.Status.DRAFT)
    accepted = ReplyVersion.Status.ACCEPTED
    make_reply(world.south, "2019-20", ("First.", accepted), ("We have acted.\n\nMore.", accepted))
    paths = (
        f"/councils/{world.south.slug}/",
        f"/councils/{world.north.slug}/",
        "/compare/2019-20/district/",
        f"/compare/?councils={world.south.slug},{world.north.slug}",
    )
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            page.goto(live_server.url + path)
            assert axe_violations(page) == [], (width, path)
            assert not page.evaluate(WIDER), (width, path)
    page.goto(live_server.url + f"/councils/{world.south.slug}/")
    assert page.is_visible("#complaint-handling-table") and page.is_visible("#reply-2019-20")
    page.click("#reply-2019-20 summary")  # the earlier version, by its disclosure
    assert page.is_visible("text=Version 1, accepted 2 August 2020")
