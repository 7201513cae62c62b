"""Side by side in Chromium, on the real register with demonstration casework (2018-19 and
2019-20): chosen from North East Derbyshire's page without JavaScript's help, every figure
equals the one on each council's own page, axe-core finds nothing, and at 390 px the page
is no wider than the screen. Run inside the site's browser test of the demo world
(``tests/site/test_browser.py``), which has the data loaded already."""

from __future__ import annotations

from typing import Any

from councilperf.authorities.models import Authority
from tests.site.browser import axe_violations

ACCEPTANCE = "/compare/?councils=north-east-derbyshire,chesterfield,bolsover"
# The council page's trend table: column → measure (the side-by-side page's four).
COLUMNS = {2: "upheld_rate", 4: "compliance_rate", 5: "satisfactory_remedy_rate"}
COLUMNS[6] = "upheld_per_100k"

SIDE_FIGURES = """() => Object.fromEntries([...document.querySelectorAll('[data-figure]')].map(
  e => [e.dataset.figure, e.querySelector('.cp-side-figure__value').textContent.trim()]))"""
TREND_ROWS = """() => {
  const table = [...document.querySelectorAll('table')].find(
    t => t.caption && t.caption.textContent.trim().startsWith('Key statistics by year'));
  return [...table.tBodies[0].rows].filter(r => !r.classList.contains('cp-scheme-break')).map(
    r => [...r.cells].map(c => c.textContent.replace(/\\s+/g, ' ').trim()));
}"""


def own_page(page: Any, base: str, authority: Authority, years: list[str]) -> dict[str, str]:
    found = {}
    for year in years:
        page.goto(f"{base}/councils/{authority.slug}/{year}/")
        for cells in page.evaluate(TREND_ROWS):
            for index, measure in COLUMNS.items():
                found[f"{cells[0].split(' ')[0]}:{authority.gss_code}:{measure}"] = cells[index]
    return found


def side_by_side_from_the_council_page(page: Any, base: str) -> None:
    page.goto(f"{base}/councils/north-east-derbyshire/2019-20/")
    # The table is behind a closed details element: its text, not its rendered text.
    bordering = page.locator('[data-neighbours="bordering"] tbody th a').all_text_contents()
    assert {"Chesterfield", "Bolsover"} <= set(bordering)
    assert axe_violations(page) == []  # the council page, with its neighbours
    # Chosen from the council page, then the search box (a plain GET form): no script needed.
    page.click("#add-to-comparison")
    for name in ("Chesterfield", "Bolsover"):
        page.fill("#add-council", name)
        page.click("form[aria-label='Add a council'] button")
        page.wait_for_load_state()
    assert page.url == base + ACCEPTANCE
    assert page.inner_text("h1") == "North East Derbyshire, Chesterfield and Bolsover side by side"
    assert "Demonstration data" in page.inner_text("body")
    shown = page.evaluate(SIDE_FIGURES)
    assert axe_violations(page) == []

    expected: dict[str, str] = {}
    for slug in ("north-east-derbyshire", "chesterfield", "bolsover"):
        expected |= own_page(page, base, Authority.objects.get(slug=slug), ["2019-20"])
    assert shown == expected
    assert len(shown) == 2 * 4 * 3  # two years, four measures, three councils

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + ACCEPTANCE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width == 390
    assert page.evaluate("() => document.querySelectorAll('svg.cp-chart').length") == 4
    assert axe_violations(page) == []
