"""Acceptance in a real browser: Debian Chromium driven by Playwright, against a live server.

The demo world is the real register, boundaries and populations with generated demonstration
casework for 2018-19 and 2019-20, both frozen and published, and the 2020 letter of North
East Derbyshire.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from councilperf.authorities.models import Authority
from councilperf.letters.batch import ensure_letter
from councilperf.years import ReportingYear
from tests.factories import make_contact, make_review_year, publish_year
from tests.site.browser import CHROMIUM, CHROMIUM_ARGS, axe_violations
from tests.site.browser_side_by_side import side_by_side_from_the_council_page

pytestmark = pytest.mark.browser

NED = "E07000038"  # North East Derbyshire


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):  # a missing browser fails the run; it is never skipped
        pytest.fail(f"{CHROMIUM} not found: run scripts/system-packages.sh test (make test does)")
    # Playwright's sync API keeps an event loop running in this thread; the database calls
    # of the test itself are synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    # The tests inject axe-core and wait on expressions, which the site's Content-Security-
    # Policy forbids; tests/serving/test_browser_csp.py loads the pages with it enforced.
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors


@pytest.fixture
def demo_site(transactional_db: None, settings: Any, tmp_path: Path) -> Authority:
    settings.BUILD_DIR = tmp_path / "build"
    settings.LETTERS_DIR = tmp_path / "letters"
    quiet = {"stdout": open(os.devnull, "w"), "verbosity": 0}  # noqa: SIM115
    # The years named, so that today's date does not change what is loaded.
    call_command("load_reference_data", years="2018-19:2019-20", **quiet)
    call_command("generate_demo_data", years="2018-19:2019-20", **quiet)
    for year, letter_day, publication in (
        ("2018-19", dt.date(2019, 7, 24), dt.date(2019, 7, 31)),
        ("2019-20", dt.date(2020, 7, 22), dt.date(2020, 7, 29)),
    ):
        make_review_year(year=year, letter_date=letter_day, publication_date=publication)
        publish_year(year)
    call_command("build_map_data", year=["2018-19", "2019-20"], **quiet)
    authority = Authority.objects.get(gss_code=NED)
    if not authority.contacts.filter(role="chief_executive").exists():
        make_contact(authority=authority, name="Mr Hickin", job_title="Director")
    ensure_letter(authority=authority, year=ReportingYear(2019), out=tmp_path / "letters")
    return authority


def shapes(page: Any) -> int:
    page.wait_for_function("document.querySelector('#map').getAttribute('aria-busy') === null")
    return page.locator("#map path.leaflet-interactive").count()


def visible_point(page: Any, code: str) -> tuple[float, float]:
    """A point on the screen where this council's shape is the topmost element."""
    point = page.evaluate(
        """code => {
          const path = document.querySelector(`#map path[data-code="${code}"]`);
          const box = path.getBoundingClientRect();
          for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
            const x = box.left + box.width * i / 20, y = box.top + box.height * j / 20;
            if (document.elementFromPoint(x, y) === path) return [x, y];
          }
          return null;
        }""",
        code,
    )
    assert point, f"{code} is hidden under other shapes"
    return point[0], point[1]


def fill_of(page: Any, code: str) -> str:
    return str(page.get_attribute(f'#map path[data-code="{code}"]', "fill"))


@pytest.mark.slow
def test_map_council_page_and_letter(demo_site: Authority, live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/?year=2019-20")
    page.wait_for_selector("#map[data-shapes]")
    assert shapes(page) == 151
    assert page.get_attribute("#map", "data-shapes") == "151"
    assert axe_violations(page) == []

    page.select_option("#map-tier", "lower")
    page.wait_for_function("document.querySelector('#map').dataset.state.includes('lower')")
    assert shapes(page) == 317
    assert page.locator("#figures-table tbody tr").count() == 317

    before = [fill_of(page, code) for code in (NED, "E07000032", "E08000019", "E09000007")]
    page.select_option("#map-metric", "upheld_per_100k")
    page.wait_for_function("document.querySelector('#map').dataset.state.includes('per_100k')")
    after = [fill_of(page, code) for code in (NED, "E07000032", "E08000019", "E09000007")]
    assert before != after, "changing the measure recolours the map"

    page.select_option("#map-year", "2018-19")
    page.wait_for_function("document.querySelector('#map').dataset.state.includes('2018-19')")
    assert shapes(page) == 326  # every district and unitary of 2018-19, those abolished in 2019 too
    assert "year=2018-19" in page.url
    page.select_option("#map-year", "2019-20")
    page.wait_for_function("document.querySelector('#map').dataset.state.includes('2019-20')")

    # Hover shows the name; a click opens the council's page. North East Derbyshire wraps
    # round Chesterfield, so aim at a point where it is the shape under the pointer.
    page.locator("#map").scroll_into_view_if_needed()
    x, y = visible_point(page, NED)
    page.mouse.move(x, y)
    assert "North East Derbyshire" in page.inner_text(".leaflet-tooltip")
    page.mouse.click(x, y)
    page.wait_for_url("**/councils/north-east-derbyshire/2019-20/")
    text = page.inner_text("main")
    # The upheld rate and its peer average, each where it belongs (not any "0%" on the page).
    figure = re.search(r"Complaints upheld\s+(\S+)\s+Average of similar councils:\s*(\S+)", text)
    assert figure and figure.groups() == ("0%", "45%"), text[:1500]
    assert "0 upheld decisions of 2 detailed investigations" in text
    assert "Demonstration data — not real ombudsman decisions" in text
    assert axe_violations(page) == []

    # The 2020 letter (2019-20); the 2019 one is listed too, rendered on first request.
    pdf_link = page.locator('a[href$="/2019-20/letter.pdf"]')
    href = pdf_link.get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    page.locator('a[href$="/2019-20/letter/"]').click()
    page.wait_for_url("**/letter/")
    assert "Dear Mr Hickin" in page.inner_text("main")
    assert axe_violations(page) == []

    # Its bordering councils, then side by side with two of them (issue 17).
    side_by_side_from_the_council_page(page, live_server.url)


@pytest.mark.slow
def test_keyboard_and_type_ahead(demo_site: Authority, live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/?tier=lower")
    page.wait_for_selector("#map[data-shapes]")
    page.focus(f'#map path[data-code="{NED}"]')
    assert "North East Derbyshire" in page.inner_text("#map-readout")
    page.keyboard.press("Enter")
    page.wait_for_url("**/councils/north-east-derbyshire/2019-20/")

    page.goto(live_server.url + "/")
    page.fill("#council-search", "north east derb")
    page.wait_for_selector("#council-search-suggestions li")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/councils/north-east-derbyshire/")


def test_accessibility_of_the_fictional_site(
    transactional_db: None, live_server: Any, page: Any
) -> None:
    from tests.site.conftest import build_world

    world = build_world(synthetic=True)
    for path in ("/about/", f"/councils/{world.south.slug}/", "/search/?q=borsetshire"):
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path


def test_sorting_the_table(transactional_db: None, live_server: Any, page: Any) -> None:
    from tests.site.conftest import build_world

    build_world()
    page.goto(live_server.url + "/?tier=lower")
    page.click("#figures-table thead th:nth-child(3) button")
    header = page.locator("#figures-table thead th:nth-child(3)")
    assert header.get_attribute("aria-sort") == "ascending"
    first = page.inner_text("#figures-table tbody tr:first-child th")
    # North Borsetshire's 0% (of 2) is the lowest, but under the small-number rule it is not
    # ranked: it comes last, marked "too few", whichever way the column is sorted.
    assert first == "South Borsetshire"
    last = page.inner_text("#figures-table tbody tr:last-child td:nth-child(3)")
    assert "too few" in last
    page.click("#figures-table thead th:nth-child(3) button")
    assert header.get_attribute("aria-sort") == "descending"
    assert "too few" in page.inner_text("#figures-table tbody tr:last-child td:nth-child(3)")
    # The sort is kept in the address: a reload (or a shared link) shows the same order.
    assert "sort=3&order=descending" in page.url and "tier=lower" in page.url
    highest = page.inner_text("#figures-table tbody tr:first-child th")
    assert highest != "North Borsetshire"
    page.reload()
    assert header.get_attribute("aria-sort") == "descending"
    assert page.inner_text("#figures-table tbody tr:first-child th") == highest
