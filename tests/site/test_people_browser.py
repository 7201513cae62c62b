"""The site for people, in Chromium: the keyboard reaches past the map, every focus shows, a
phone never scrolls sideways, pages stay a sane length, search forgives and errors help.

Two worlds: the fictional Borsetshire (every saved address, at a phone's width) and the real
register with demonstration casework for 2023-24 and 2024-25 (the map, Leeds, Derbyshire).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from councilperf.letters.batch import ensure_letter
from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.factories import make_contact, make_review_year, publish_year
from tests.site import test_browser as shared
from tests.site.browser import axe_violations

chromium = shared.chromium

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MAX_TABS = 40

# The focused element, whether it shows a focus indicator (an outline that is drawn, or a
# box-shadow), and what it is, for the messages.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {body: true};
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0
    && !/rgba\\(0, 0, 0, 0\\)|transparent/.test(s.outlineColor);
  return {
    body: false,
    visible: outline || s.boxShadow !== "none",
    what: el.tagName + (el.id ? "#" + el.id : "") + " " + el.textContent.trim().slice(0, 40),
    map: el.matches("#map path"),
    code: el.getAttribute("data-code"),
    tableLink: el.matches("#figures-table tbody tr:first-child a"),
    zoom: el.matches(".leaflet-control-zoom a"),
  };
}"""
# How far the page scrolls sideways: its width beyond the viewport's, and where a scroll as
# far right as it goes ends up (both 0 when it does not).
SIDEWAYS = """(() => {
  const root = document.documentElement, extra = root.scrollWidth - root.clientWidth;
  window.scrollTo(100000, window.scrollY);
  const moved = window.scrollX;
  window.scrollTo(0, window.scrollY);
  return Math.max(extra, moved);
})()"""
# The elements that stick out to the right of the screen, for the message.
WIDE = """() => {
  const edge = document.documentElement.clientWidth + 1;
  const right = e => e.getBoundingClientRect().right;
  return [...document.querySelectorAll('body *')]
    .filter(e => right(e) > edge && right(e.parentElement) <= edge)
    .filter(e => !e.closest('.govuk-skip-link, .govuk-visually-hidden'))
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(right(e)));
}"""


def new_page(chromium: Any, viewport: dict[str, int]) -> tuple[Any, Any, list[str]]:
    context = chromium.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def tab_through(page: Any, presses: int) -> list[dict[str, Any]]:
    """Press Tab from the top of the page; what had focus after each press."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
    return seen


def assert_focus_visible(seen: list[dict[str, Any]], where: str) -> None:
    hidden = [s.get("what") for s in seen if s["body"] or not s["visible"]]
    assert hidden == [], f"{where}: no visible focus on {hidden}"


@pytest.fixture
def fictional_site(transactional_db: None, settings: Any, tmp_path: Path) -> Any:
    from tests.site.conftest import build_world

    settings.BUILD_DIR = tmp_path / "build"
    settings.LETTERS_DIR = tmp_path / "letters"
    world = build_world(synthetic=True)
    correct_statistics(
        year=ReportingYear(2019), reason="A correction, so that revision 1 has a page."
    )
    call_command("build_map_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    make_contact(authority=world.south, name="Ms Aldridge", job_title="Chief Executive")
    ensure_letter(authority=world.south, year=ReportingYear(2019), out=tmp_path / "letters")
    return world


@pytest.mark.slow
def test_no_saved_page_scrolls_sideways_on_a_phone(
    fictional_site: Any, live_server: Any, chromium: Any
) -> None:
    from tests.serving.test_production_pages import concrete_urls

    urls = sorted(set(concrete_urls(fictional_site).values()))
    urls += ["/councils/south-borsetshre/", "/?year=2017-18"]
    context, page, errors = new_page(chromium, PHONE)
    pages, sideways = 0, {}
    for url in urls:
        response = page.request.get(live_server.url + url)
        if not response.headers["content-type"].startswith("text/html"):
            continue  # files, JSON, PDFs: nothing to lay out
        page.goto(live_server.url + url)
        pages += 1
        if page.evaluate(SIDEWAYS) != 0:
            sideways[url] = page.evaluate(WIDE)
        # The council column of a wide table stays put: it is sticky inside its region.
        for region in page.locator(".cp-table-wrap").all():
            assert region.get_attribute("role") == "region", url
            assert region.get_attribute("tabindex") == "0", url
            assert region.get_attribute("aria-label") or region.get_attribute("aria-labelledby")
    assert sideways == {}, f"these pages scroll sideways at 390 px: {sideways}"
    # The funnel plot keeps its text readable (13 px type in a 760-wide drawing, shown at
    # 680 px or more: 11.6 px or more), scrolling inside its figure instead.
    page.goto(live_server.url + "/compare/2019-20/district/")
    assert page.evaluate(SIDEWAYS) == 0
    widths = page.eval_on_selector_all(
        ".cp-funnel__svg", "all => all.map(s => s.getBoundingClientRect().width)"
    )
    assert widths and min(widths) >= 680, widths
    assert pages >= 15
    # The service-area choice of a council page does not pan the page when it is used.
    page.goto(live_server.url + f"/councils/{fictional_site.south.slug}/")
    page.select_option("#filter-area", index=len(page.locator("#filter-area option").all()) - 1)
    assert page.evaluate(SIDEWAYS) == 0
    assert page.evaluate("window.scrollX") == 0
    # Without JavaScript the home page has no empty map box telling to press Tab.
    context.close()
    assert errors == []
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert not page.locator("#map").is_visible()
    assert not page.locator("#map-help").is_visible()
    assert page.locator("#map-fallback").is_visible()
    assert page.locator("#figures-table tbody tr").count() == 2
    context.close()


@pytest.fixture
def recent_demo(transactional_db: None, settings: Any, tmp_path: Path) -> None:
    settings.BUILD_DIR = tmp_path / "build"
    settings.LETTERS_DIR = tmp_path / "letters"
    quiet = {"stdout": open(os.devnull, "w"), "verbosity": 0}  # noqa: SIM115
    call_command("load_reference_data", years="2023-24:2024-25", **quiet)
    call_command("generate_demo_data", years="2023-24:2024-25", **quiet)
    for year, publication in (("2023-24", dt.date(2024, 7, 31)), ("2024-25", dt.date(2025, 7, 30))):
        make_review_year(year=year, letter_date=publication, publication_date=publication)
        publish_year(year)
    call_command("build_map_data", year=["2024-25"], **quiet)


@pytest.mark.slow
def test_keyboard_phone_search_and_errors_on_the_real_register(
    recent_demo: None, live_server: Any, chromium: Any, capsys: Any
) -> None:
    context, page, errors = new_page(chromium, DESKTOP)

    # The map is one stop between the controls and the table.
    page.goto(live_server.url + "/?year=2024-25")
    page.wait_for_function("document.querySelector('#map').getAttribute('aria-busy') === null")
    seen = tab_through(page, MAX_TABS)
    reached = next((i + 1 for i, s in enumerate(seen) if s.get("tableLink")), None)
    assert reached is not None, [s.get("what") for s in seen]
    assert_focus_visible(seen[:reached], "home")
    assert len([s for s in seen[:reached] if s.get("map")]) == 1
    assert len([s for s in seen[:reached] if s.get("zoom")]) == 2  # zoom in, zoom out
    # Arrow keys move between shapes, each with a ring; Enter opens the focused council.
    page.goto(live_server.url + "/?year=2024-25")
    page.wait_for_function("document.querySelector('#map').getAttribute('aria-busy') === null")
    seen = tab_through(page, MAX_TABS)
    presses = next(i + 1 for i, s in enumerate(seen) if s.get("map"))
    page.goto(live_server.url + "/?year=2024-25")
    page.wait_for_function("document.querySelector('#map').getAttribute('aria-busy') === null")
    tab_through(page, presses)
    codes = [page.evaluate(FOCUSED)["code"]]
    for key in ("ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp", "End"):
        page.keyboard.press(key)
        now = page.evaluate(FOCUSED)
        assert now.get("map") and now["visible"], (key, now)
        codes.append(now["code"])
    assert len(set(codes)) >= 4, codes
    assert page.locator('#map path[tabindex="0"]').count() == 1
    url = page.evaluate("document.activeElement.getAttribute('aria-label')").split(":")[0]
    page.keyboard.press("Enter")
    page.wait_for_url("**/councils/**/2024-25/")
    assert url in page.inner_text("h1")

    # Search forgives: the page and the type-ahead.
    page.goto(live_server.url + "/search/?q=Derbyshre")
    found = page.inner_text("main")
    for name in (
        "North East Derbyshire District Council",
        "Derbyshire Dales District Council",
        "Derbyshire County Council",
    ):
        assert name in found
    page.goto(live_server.url + "/search/?q=NE+Derbyshire")
    assert page.locator("main ul a").first.inner_text() == "North East Derbyshire District Council"
    page.fill("#search-page", "Leds")
    page.wait_for_selector("#search-page-suggestions li")
    assert page.inner_text("#search-page-suggestions li:first-child").startswith("Leeds")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/councils/leeds/")

    # Errors: the 404 of a council that does not exist suggests the nearest names.
    response = page.goto(live_server.url + "/councils/derbyshre/")
    assert response.status == 404
    suggested = page.inner_text("#nearest-councils")
    assert "Derbyshire County Council" in suggested and "Derbyshire Dales" in suggested
    assert page.locator("header").count() == 1 and page.locator("[role=search]").count() == 1
    assert axe_violations(page) == []
    assert_focus_visible(tab_through(page, 15), "404")
    page.goto(live_server.url + "/councils/")
    assert axe_violations(page) == []
    assert_focus_visible(tab_through(page, 15), "A to Z")

    # Leeds 2024-25: the service improvements of the year, a page at a time.
    leeds = live_server.url + "/councils/leeds/2024-25/"
    page.goto(leeds)
    desktop = page.evaluate("document.documentElement.scrollHeight")
    assert_focus_visible(tab_through(page, 30), "Leeds")
    pages = page.locator('nav[aria-label="Pages of service improvements"]').count()
    target = leeds + ("?improvements_page=2" if pages else "")
    page.goto(target + "#service-improvements")
    assert axe_violations(page) == []
    page.goto(live_server.url + "/?year=2024-25")
    desktop_home = page.evaluate("document.documentElement.scrollHeight")
    context.close()
    assert errors == []

    context, phone, errors = new_page(chromium, PHONE)
    phone.goto(leeds)
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height <= 12_000, height
    assert phone.evaluate(SIDEWAYS) == 0
    phone.goto(live_server.url + "/?year=2024-25")
    home = phone.evaluate("document.documentElement.scrollHeight")
    assert phone.evaluate(SIDEWAYS) == 0
    context.close()
    assert errors == []
    with capsys.disabled():
        print(f"\n  Tab presses to the table: {reached}; Leeds 2024-25 at 390 px: {height} px;")
        print(
            f"  home at 390 px: {home} px; at 1280 px: Leeds {desktop} px, home {desktop_home} px"
        )
