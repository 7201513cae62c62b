"""Pages that fit the screen, in Chromium, with the demo's seven published years (2018-19 to
2024-25, the demo generator at its own scale): at 390 px (a phone) and at 1,366 px (a common
desktop) no saved address scrolls sideways, and at 390 px no page is taller than 12,000 px.
The page heights table is printed. On the group page, "Go to its row" leaves the row in
view below the table's sticky heading.

Councils measured: in each comparison group, the one with the most decisions (the longest
lists), plus Leeds.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count

from councilperf.authorities.models import Authority
from councilperf.casework.models import Case
from councilperf.groups import GROUP_CODES
from councilperf.letters.batch import ensure_letter
from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.factories import make_review_year, publish_year
from tests.site import test_browser as shared
from tests.site.test_people_browser import SIDEWAYS, WIDE

chromium = shared.chromium

pytestmark = pytest.mark.browser

YEARS = ReportingYear.span("2018-19:2024-25")
LATEST = YEARS[-1]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
TALLEST = 12_000
# Where "Go to its row" has landed: the row's top and the sticky heading's bottom, and
# whether the row is what shows at its own middle (nothing covers it).
ROW_IN_VIEW = """() => {
  const row = document.querySelector('#compare-all tr.cp-highlight');
  const head = document.querySelector('#compare-all thead th');
  const r = row.getBoundingClientRect(), h = head.getBoundingClientRect();
  const x = Math.min(r.left + 120, innerWidth - 5), y = r.top + r.height / 2;
  const shown = document.elementFromPoint(x, y);
  const seen = !!shown && shown.closest('tr') === row;
  return {top: r.top, bottom: r.bottom, heading: h.bottom, seen: seen, height: innerHeight};
}"""


@pytest.fixture
def seven_years(transactional_db: None, settings: Any, tmp_path: Path) -> dict[str, str]:
    """The demo's seven years, published, with their map and open data; a letter and a
    correction so that the letter and revision pages exist. Returns the councils measured
    (group or "leeds" → slug)."""
    settings.BUILD_DIR = tmp_path / "build"
    settings.LETTERS_DIR = tmp_path / "letters"
    quiet = {"stdout": StringIO(), "stderr": StringIO()}
    span = f"{YEARS[0]}:{LATEST}"
    call_command("load_reference_data", years=span, **quiet)
    call_command("generate_demo_data", years=span, **quiet)
    call_command("compute_statistics", "--all", **quiet)
    for year in YEARS:
        day = dt.date(year.end_year, 7, 29)
        make_review_year(year=year.label, letter_date=day, publication_date=day)
        publish_year(year.label)
    correct_statistics(year=LATEST, reason="A correction, so that revision 1 has a page.")
    call_command("build_map_data", **quiet)
    call_command("build_open_data", **quiet)
    leeds = Authority.objects.get(slug="leeds")  # the demo gives it its contacts
    ensure_letter(authority=leeds, year=LATEST, out=tmp_path / "letters")
    busiest = {"leeds": "leeds"}
    counts = (
        Case.objects.values("authority__slug", "authority__group")
        .annotate(n=Count("id"))
        .order_by("-n", "authority__slug")
    )
    for row in counts:
        busiest.setdefault(row["authority__group"], row["authority__slug"])
    return busiest


def addresses(councils: dict[str, str]) -> list[str]:
    """One concrete address of every saved HTML pattern (tests/site/public_urls.txt), several
    where the length depends on the council, group or year."""
    year, first = LATEST.label, YEARS[0].label
    found = ["/", "/about/", "/councils/", "/search/?q=derby", "/downloads/", "/api/"]
    for slug in councils.values():
        found += [f"/councils/{slug}/", f"/councils/{slug}/{first}/"]
    found += ["/councils/leeds/2024-25/letter/", "/councils/leeds/2030-31/"]
    found += [f"/compare/{year}/{group}/" for group in GROUP_CODES]
    found += [f"/compare/{year}/district/?council={councils['district']}"]
    found += ["/compare/", "/compare/?councils=" + ",".join(list(councils.values())[:4])]
    found += [f"/review/{year}/", f"/review/{first}/", f"/review/{year}/revisions/1/"]
    found += [f"/embed/councils/{councils['leeds']}/"]
    return found


@pytest.mark.slow
def test_no_page_scrolls_sideways_or_passes_12000_px_on_a_phone(
    seven_years: dict[str, str], live_server: Any, chromium: Any, capsys: Any
) -> None:
    urls = addresses(seven_years)
    heights: dict[str, int] = {}
    sideways: dict[tuple[int, str], list[str]] = {}
    errors: list[str] = []
    for viewport in (PHONE, DESKTOP):
        context = chromium.new_context(viewport=viewport)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response is not None and response.status in (200, 404), url
            assert (response.status == 404) is url.endswith("2030-31/"), url
            if page.evaluate(SIDEWAYS) != 0:
                sideways[(viewport["width"], url)] = page.evaluate(WIDE)
            if viewport is PHONE:
                heights[url] = page.evaluate("document.documentElement.scrollHeight")
        # "Go to its row": the row shows below the sticky heading, nothing over it.
        page.goto(f"{live_server.url}/compare/{LATEST}/district/?council={seven_years['district']}")
        page.click("#highlighted-council a[href^='#row-']")
        page.wait_for_function("location.hash.startsWith('#row-')")
        landed = page.evaluate(ROW_IN_VIEW)
        assert landed["seen"], landed
        assert landed["heading"] <= landed["top"] < landed["bottom"] <= landed["height"], landed
        context.close()
        assert errors == []
    with capsys.disabled():
        print(f"\n  Page heights at 390 px ({len(YEARS)} published years):")
        width = max(len(u) for u in heights)
        for url, height in sorted(heights.items(), key=lambda item: -item[1]):
            print(f"  {url:<{width}}  {height:>6,} px")
    assert sideways == {}, f"these pages scroll sideways: {sideways}"
    too_tall = {url: h for url, h in heights.items() if h > TALLEST}
    assert too_tall == {}, f"taller than {TALLEST:,} px at 390 px: {too_tall}"
    assert len(heights) >= 25
