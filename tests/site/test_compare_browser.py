"""The compare and review pages in a real browser: axe-core finds no WCAG 2.2 A/AA
violations, hovering or focusing a funnel point shows its figures, the table sorts; and on
the real register with demonstration casework for 2019-20, every funnel limit and label of a
compare page agrees with the formula worked independently here."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import pytest
from django.test import Client
from scipy import stats

from councilperf.authorities.models import Authority
from tests.site import test_browser as shared
from tests.site.browser import axe_violations

# The Chromium, page and demonstration-site fixtures of the site's own browser tests.
chromium = shared.chromium
page = shared.page
demo_site = shared.demo_site

pytestmark = pytest.mark.browser


def test_accessibility_of_compare_and_review_pages(
    transactional_db: None, live_server: Any, page: Any
) -> None:
    from tests.site.conftest import build_world

    world = build_world(synthetic=True)
    for path in (
        f"/compare/2019-20/district/?council={world.south.slug}",
        "/compare/2019-20/county/",
        "/review/2019-20/",
        "/downloads/",
    ):
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path


def test_funnel_point_details_on_hover_and_focus(
    transactional_db: None, live_server: Any, page: Any
) -> None:
    from tests.site.conftest import build_world

    world = build_world()
    page.goto(live_server.url + f"/compare/2019-20/district/?council={world.north.slug}")
    point = page.locator("#upheld ~ figure .cp-funnel__point--highlighted").first
    point.focus()
    readout = page.inner_text("#funnel-upheld-readout")
    assert readout.startswith("North Borsetshire: 0% (0 of 2 detailed investigations)")
    page.hover("#upheld ~ figure .cp-funnel__point:not(.cp-funnel__point--highlighted)")
    assert page.inner_text("#funnel-upheld-readout").startswith("South Borsetshire: 50%")
    # With JavaScript the plots are tabs: one visible at a time, another a click away.
    assert page.is_visible("#plot-upheld") and not page.is_visible("#plot-compliance")
    page.click('.govuk-tabs__tab[href="#plot-compliance"]')
    assert page.is_visible("#plot-compliance") and not page.is_visible("#plot-upheld")
    page.click('.govuk-tabs__tab[href="#plot-upheld"]')
    # The table's sticky header stays in view as the page scrolls past it.
    page.evaluate("document.getElementById('compare-all').scrollIntoView()")
    page.mouse.wheel(0, 40)
    header = page.eval_on_selector("#compare-all thead th", "th => getComputedStyle(th).position")
    assert header == "sticky"
    # The figures behind the plot open, and their table sorts by rate; the highlighted
    # council is marked.
    page.click("#plot-upheld .cp-funnel-figures summary")
    page.click("#table-upheld thead th:nth-child(4) button")
    assert page.inner_text("#table-upheld tbody tr:first-child th").startswith("North")
    assert "cp-highlight" in str(page.get_attribute("#table-upheld tbody tr:first-child", "class"))


def _counts_inside(p: Fraction, n: int) -> tuple[int, int, int, int]:
    """From scipy's exact binomial tails: the first counts not below the 99.8 % and 95 %
    limits (P(X ≤ k) ≥ 0.001, 0.025) and the last not above the 95 % and 99.8 % ones
    (P(X ≥ k) ≥ 0.025, 0.001)."""
    k = list(range(n + 1))
    lower = stats.binom.cdf(k, n, float(p))
    upper = stats.binom.sf([j - 1 for j in k], n, float(p))
    first = [min(j for j in k if lower[j] >= q) for q in (0.001, 0.025)]
    last = [max(j for j in k if upper[j] >= q) for q in (0.025, 0.001)]
    return first[0], first[1], last[0], last[1]


def _upheld_table(html: str) -> list[list[str]]:
    table = html.split('id="table-upheld"', 1)[1].split("</table>", 1)[0]
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body, re.S)
        ]
        for body in re.findall(r'data-code="[^"]+">(.*?)</tr>', table, re.S)
    ]


def _row_of(html: str, table_id: str, code: str) -> list[str]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    body = table.split(f'data-code="{code}">', 1)[1].split("</tr>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", c).replace("(highlighted)", "").strip()
        for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body, re.S)
    ]


@pytest.mark.slow
def test_demo_data_2019_20(demo_site: Authority, live_server: Any, page: Any) -> None:
    """Funnel labels of every council of every group, worked here from the table's counts:
    target = Σ upheld / Σ investigations; exact binomial tails from scipy (above the 99.8 %
    limit when P(X ≥ k) < 0.001, and so on); a council with fewer than 5 investigations is
    never labelled. At least one council lies outside 99.8 %.
    Then the district page in Chromium at 1280 px: every council and measure in one table,
    under 15,000 px tall; North East Derbyshire's 0 upheld per 100,000 (about 1.2 expected)
    within the funnel; axe-core finds nothing."""
    client = Client()
    outside = 0
    for group in ("county", "district", "metropolitan", "unitary", "london"):
        rows = _upheld_table(client.get(f"/compare/2019-20/{group}/").content.decode())
        assert rows, group
        target = Fraction(sum(int(r[1]) for r in rows), sum(int(r[2]) for r in rows))
        for name, upheld, investigations, _rate, _ci, _label, limits, band, _rank in rows:
            n, k = int(investigations), int(upheld)
            if not n:
                assert limits == "–", name
                continue
            o_low, i_low, i_high, o_high = _counts_inside(target, n)
            assert limits == f"{i_low} to {i_high} of {n} (99.8%: {o_low} to {o_high})", name
            if n < 5:
                assert band == "Not compared: too few cases", name
            elif k > o_high or k < o_low:
                assert band in ("Above the 99.8% limit", "Below the 99.8% limit"), name
                outside += 1
            elif k > i_high or k < i_low:
                assert band in ("Above the 95% limit", "Below the 95% limit"), name
            else:
                assert band == "Within the 95% limits", name
    assert outside >= 1

    district = client.get(f"/compare/2019-20/district/?council={demo_site.slug}").content.decode()
    councils = len(_upheld_table(district))
    ned = _row_of(district, "table-upheld_per_100k", demo_site.gss_code)
    assert ned[3] == "0.0" and ned[7] == "Within the 95% limits", ned
    assert ned[5] == "Similar to district councils", ned

    page.goto(live_server.url + f"/compare/2019-20/district/?council={demo_site.slug}")
    assert "North East Derbyshire is highlighted" in page.inner_text("main")
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"district group page 2019-20 at 1280 px: {height} px tall, {councils} councils")
    assert height < 15_000
    cells = page.eval_on_selector_all(
        "#compare-all tbody tr", "rows => rows.map(r => r.querySelectorAll('th, td').length)"
    )
    assert len(cells) == councils > 150 and set(cells) == {11}
    assert page.is_visible(f"#row-{demo_site.gss_code}")
    assert axe_violations(page) == []
    page.goto(live_server.url + "/review/2019-20/")
    assert "Demonstration data" in page.inner_text("main")
    assert axe_violations(page) == []
