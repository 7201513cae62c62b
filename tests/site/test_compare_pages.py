"""The compare page: a district group of 2019-20 built so that every funnel band is used,
checked against figures worked by hand.

Seven districts, upheld of detailed investigations: Ambridge 20/100, Loxley 40/100, Borchester
50/100, Churchbury 50/100, Penny 60/100, Darrington 80/100, Edgeley 2/4. The pooled group
average is 302/604 = 1/2 exactly. The funnel labels come from exact binomial tails: at 100
investigations the counts 40 to 60 are within the 95 % limits (P(X ≥ 61) = 0.018 < 0.025 ≤
P(X ≥ 60) = 0.028) and 35 to 65 within the 99.8 % ones, so Ambridge lies below and Darrington
above the 99.8 % limits, Penny (60) and Loxley (40) within the funnel although their labels
are "higher" and "lower": the two methods differ there, and the page says so. Edgeley (4
investigations) is under the small-number rule: drawn, never labelled.

Comparison labels come from each council's 95 % Wilson interval against 1/2, worked by hand
(z² = 3.841459, scale 1 + z²/100 = 1.038415):
- 20/100: centre (0.2 + 0.019207)/1.038415 = 0.211099, half-width
  (1.959964/1.038415) × √(0.0016 + 0.000096) = 0.077732 → 13 % to 29 %: lower;
- 40/100: 0.403698 ± 0.094297 → 31 % to 50 % (upper 0.497995 < 0.5): lower;
- 50/100: 0.5 ± 0.096170 → 40 % to 60 %: similar;
- 60/100 and 80/100 mirror 40/100 and 20/100: higher;
- 2/4: fewer investigations than the threshold of 5: not compared, not ranked.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pytest
from django.test import Client

from councilperf.authorities.models import Authority
from councilperf.statistics.selectors import authority_figures
from councilperf.years import ReportingYear
from tests.factories import make_authority, make_dataset, make_review_year, publish_year
from tests.site.conftest import IN_2019, World, decide, get_page

UPHELD_OF = {
    "Ambridge": (20, 100),
    "Loxley": (40, 100),
    "Borchester": (50, 100),
    "Churchbury": (50, 100),
    "Penny": (60, 100),
    "Darrington": (80, 100),
    "Edgeley": (2, 4),
}


@dataclass
class Wolds:
    councils: dict[str, Authority]


@pytest.fixture
def wolds(db: None) -> Wolds:
    dataset = make_dataset()
    councils = {}
    for name, (upheld, investigations) in UPHELD_OF.items():
        council = make_authority(name=name, group="district", population=100_000)
        councils[name] = council
        for i in range(investigations):
            decide(council, "upheld" if i < upheld else "not_upheld", dataset=dataset)
    make_review_year(
        year="2019-20", letter_date=dt.date(2020, 7, 22), publication_date=dt.date(2020, 7, 29)
    )
    publish_year("2019-20")
    return Wolds(councils)


def counts_inside(n: int) -> tuple[int, int, int, int]:
    """For Binomial(n, ½), exactly from sums of C(n, k) / 2ⁿ: the first counts not below the
    99.8 % and 95 % limits (P(X ≤ k) ≥ 1/1000, 25/1000) and, by symmetry, the last counts not
    above the 95 % and 99.8 % ones."""

    def first(q: Fraction) -> int:
        cumulative = Fraction(0)
        for k in range(n + 1):
            cumulative += Fraction(math.comb(n, k), 2**n)
            if cumulative >= q:
                return k
        raise AssertionError("unreachable")

    outer, inner = first(Fraction(1, 1000)), first(Fraction(25, 1000))
    return outer, inner, n - inner, n - outer


def rows_of(html: str, table_id: str) -> dict[str, dict[str, str]]:
    """The cells of a compare table, by council name: numbers, labels and the funnel band."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows: dict[str, dict[str, str]] = {}
    for body in re.findall(r"<tr class=\"govuk-table__row[^\"]*\" data-code=.*?</tr>", table, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body, re.S)
        ]
        name = cells[0].replace("(highlighted)", "").strip()
        rows[name] = {
            "numerator": cells[1],
            "denominator": cells[2],
            "rate": cells[3],
            "interval": cells[4],
            "comparison": cells[5],
            "limits": cells[6],
            "band": cells[7],
            "rank": cells[8],
            "highlighted": str("cp-highlight" in body),
        }
    return rows


def test_funnel_limits_and_labels_match_the_hand_computed_check(
    client: Client, wolds: Wolds
) -> None:
    page = get_page(client, "/compare/2019-20/district/")
    assert page.h1 == ["District Councils compared, 2019-20"]
    html = client.get("/compare/2019-20/district/").content.decode()
    rows = rows_of(html, "table-upheld")
    assert set(rows) == set(UPHELD_OF)
    lower, higher = (f"{w} than district councils" for w in ("Lower", "Higher"))
    similar = "Similar to district councils"
    below_outer = "Below the 99.8% limit"
    above_outer = "Above the 99.8% limit"
    inside = "Within the 95% limits"
    expected = {
        "Ambridge": ("20%", "13% to 29%", lower, below_outer, "1"),
        "Loxley": ("40%", "31% to 50%", lower, inside, "2"),
        "Borchester": ("50%", "40% to 60%", similar, inside, "3"),
        "Churchbury": ("50%", "40% to 60%", similar, inside, "3"),
        # P(X ≥ 60 | 100, ½) = 0.028: not beyond the 95 % limit (the interpolated limit,
        # 59.3 %, called it above).
        "Penny": ("60%", "50% to 69%", higher, inside, "5"),
        "Darrington": ("80%", "71% to 87%", higher, above_outer, "6"),
    }
    for name, (rate, interval, words, band, rank) in expected.items():
        row = rows[name]
        assert (row["rate"], row["interval"], row["comparison"], row["band"], row["rank"]) == (
            rate,
            interval,
            words,
            band,
            rank,
        ), name
        # The counts inside: P(X ≤ 39) = 0.018 < 0.025 ≤ P(X ≤ 40) = 0.028, and so on.
        assert row["limits"] == "40 to 60 of 100 (99.8%: 35 to 65)", name
    assert counts_inside(100) == (35, 40, 60, 65)
    edgeley = rows["Edgeley"]
    assert edgeley["comparison"] == "Not compared: too few cases to compare fairly"
    assert edgeley["rank"] == "–Not ranked"
    # Binomial(4, ½): P(X ≤ 0) = P(X ≥ 4) = 1/16 > 0.025, so every count is inside.
    assert counts_inside(4) == (0, 0, 4, 4)
    assert edgeley["limits"] == "0 to 4 of 4 (99.8%: 0 to 4)"
    assert edgeley["band"] == "Not compared: too few cases"
    # Loxley is "lower" by its own interval yet within the funnel: the page says why.
    assert "so a council close to a limit can be" in page.text
    assert "Average of district councils: 50%" in page.text
    assert "1 lies above the 99.8% limit and 1 lies below the 99.8% limit" in page.text


def test_the_engine_stores_no_funnel_limits(wolds: Wolds) -> None:
    """The normal-approximation limits once stored with the figures are gone (issue 28): the
    site labels funnels from the exact tails, and nothing else read them."""
    stored = authority_figures(
        year=ReportingYear(2019), authority_code=wolds.councils["Ambridge"].gss_code
    )
    assert not {"funnel_95", "funnel_998"} & set(stored["figures"]["upheld"])


def test_the_svg_funnel_is_accessible_and_places_every_point(client: Client, wolds: Wolds) -> None:
    html = client.get("/compare/2019-20/district/").content.decode()
    svg = html.split('id="funnel-upheld-title"', 1)[1].split("</svg>", 1)[0]
    assert "Complaints upheld: district councils, 2019-20</title>" in svg
    assert '<desc id="funnel-upheld-desc">Funnel plot' in svg
    points = re.findall(r'<a class="cp-funnel__point cp-funnel__point--(\w+)', svg)
    assert sorted(points) == sorted(
        ["below_outer", "inside", "inside", "inside", "inside", "above_outer", "too_few"]
    )
    assert (
        'aria-label="Darrington: 80% (80 of 100 detailed investigations). Above the 99.8% ' in svg
    )
    # Four funnel curves and the average line (at 50 %: y = 324 − 308 × 0.5 = 170).
    assert svg.count("cp-funnel__outer") == 2 and svg.count("cp-funnel__inner") == 2
    assert 'y1="170.0" y2="170.0"' in svg
    # Every plot of the page: the three rates and upheld per 100,000 against population.
    for key in ("upheld", "compliance", "satisfactory_remedy", "upheld_per_100k"):
        assert f'id="funnel-{key}-title"' in html, key
        assert f'id="table-{key}"' in html, key


def test_council_page_links_to_its_group_with_itself_highlighted(
    client: Client, wolds: Wolds
) -> None:
    penny = wolds.councils["Penny"]
    page = get_page(client, f"/councils/{penny.slug}/2019-20/")
    link = f"/compare/2019-20/district/?council={penny.slug}"
    assert link in page.links
    highlighted = get_page(client, link)
    assert "Penny is highlighted in every plot" in highlighted.text
    html = client.get(link).content.decode()
    assert rows_of(html, "table-upheld")["Penny"]["highlighted"] == "True"
    assert rows_of(html, "table-upheld")["Ambridge"]["highlighted"] == "False"
    # One in each plot with a point for it: no compliance outcomes, so no compliance point.
    assert html.count("cp-funnel__point--highlighted") == 3
    assert "Not plotted (compliance outcomes 0 or unknown): 7 councils" in highlighted.text
    # A council of another group (or no such council) highlights nothing.
    assert "is highlighted" not in get_page(client, "/compare/2019-20/district/?council=x").text


def test_compare_pages_of_the_fictional_site(client: Client, world: World) -> None:
    page = get_page(client, f"/compare/2019-20/district/?council={world.north.slug}")
    assert "North Borsetshire" in page.text and "South Borsetshire" in page.text
    assert "Newtown" not in page.text
    assert "Average of district councils: 45%" in page.text
    for group in ("county", "unitary"):
        get_page(client, f"/compare/2019-20/{group}/")
    assert "/downloads/2019-20/statistics.csv" in page.links
    assert "/downloads/2019-20/statistics.xlsx" in page.links
    # A group with no councils that year, an unknown group, unpublished years: not found.
    assert client.get("/compare/2019-20/london/").status_code == 404
    assert client.get("/compare/2019-20/parish/").status_code == 404
    for year in ("2020-21", "2021-22", "2018-19"):
        assert client.get(f"/compare/{year}/district/").status_code == 404, year


def test_compare_page_is_cached_like_other_published_pages(client: Client, world: World) -> None:
    first = client.get("/compare/2019-20/district/")
    assert "max-age=300" in first["Cache-Control"]
    again: Any = client.get("/compare/2019-20/district/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_decisions_in_2019_are_what_the_fixture_says(wolds: Wolds) -> None:
    assert IN_2019.year == 2019  # the fixture's decisions fall in 2019-20


def all_measures(html: str) -> list[list[str]]:
    """The one table of all measures: each row's cells as text, in the page's order."""
    table = html.split('id="compare-all"', 1)[1].split("</table>", 1)[0]
    return [
        [
            re.sub(r"<[^>]+>", "", c).replace("(highlighted)", "").strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body, re.S)
        ]
        for body in re.findall(
            r'<tr class="govuk-table__row[^"]*" id="row-[^"]+".*?</tr>', table, re.S
        )
    ]


def _place(wolds: Wolds) -> Authority:
    """Ambridge, Loxley and Edgeley lie in the West Midlands, Ambridge and Edgeley in
    Borsetshire (a county council); the others in the South West."""
    county = make_authority(name="Borsetshire", group="county")
    for name, council in wolds.councils.items():
        council.region = (
            "West Midlands" if name in ("Ambridge", "Loxley", "Edgeley") else "South West"
        )
        council.county = county if name in ("Ambridge", "Edgeley") else None
        council.save()
    return county


def test_one_table_of_all_measures_sorted_from_the_address(client: Client, wolds: Wolds) -> None:
    html = client.get("/compare/2019-20/district/").content.decode()
    rows = all_measures(html)
    assert [r[0] for r in rows] == sorted(UPHELD_OF)
    # Council, then rate and label of each of the five measures.
    assert all(len(r) == 11 for r in rows)
    ambridge = next(r for r in rows if r[0] == "Ambridge")
    assert ambridge[1:3] == ["20%", "Lower"]
    assert next(r for r in rows if r[0] == "Edgeley")[1:3] == ["50%", "Not compared"]
    assert 'aria-sort="ascending">Council' in html
    # Lowest upheld rate first; Borchester and Churchbury tie (=3); Edgeley, not compared, last.
    rows = all_measures(client.get("/compare/2019-20/district/?sort=upheld_rate").content.decode())
    order = [(r[0], r[1]) for r in rows]
    assert order == [
        ("Ambridge", "1"),
        ("Loxley", "2"),
        ("Borchester", "=3"),
        ("Churchbury", "=3"),
        ("Penny", "5"),
        ("Darrington", "6"),
        ("Edgeley", "Not ranked"),
    ]
    rows = all_measures(client.get("/compare/2019-20/district/?sort=-upheld_rate").content.decode())
    assert [(r[0], r[1]) for r in rows] == [
        ("Darrington", "1"),
        ("Penny", "2"),
        ("Borchester", "=3"),
        ("Churchbury", "=3"),
        ("Loxley", "5"),
        ("Ambridge", "6"),
        ("Edgeley", "Not ranked"),
    ]
    # The heading sorted on links to the other direction, and says which it is.
    html = client.get("/compare/2019-20/district/?sort=upheld_rate").content.decode()
    assert 'aria-sort="ascending"><a class="govuk-link" href="?sort=-upheld_rate">' in html
    assert "Sorted by complaints upheld, lowest first" in html
    bad = client.get("/compare/2019-20/district/?sort=wealth")
    assert bad.status_code == 400
    assert "cannot be sorted by “wealth”" in bad.content.decode()


def test_the_highlighted_row_is_linked_from_the_top(client: Client, wolds: Wolds) -> None:
    penny = wolds.councils["Penny"]
    html = client.get(f"/compare/2019-20/district/?council={penny.slug}").content.decode()
    assert f'href="#row-{penny.gss_code}">Go to its row in the table' in html
    assert f'<tr class="govuk-table__row cp-highlight" id="row-{penny.gss_code}"' in html
    # Sorting keeps the highlight; so does the filter form.
    assert f'href="?sort=upheld_rate&amp;council={penny.slug}"' in html
    assert f'<input type="hidden" name="council" value="{penny.slug}">' in html


def test_filters_reproduce_from_the_address(client: Client, wolds: Wolds) -> None:
    county = _place(wolds)
    base = "/compare/2019-20/district/"
    west = all_measures(client.get(base + "?region=west-midlands").content.decode())
    assert [r[0] for r in west] == ["Ambridge", "Edgeley", "Loxley"]
    html = client.get(f"{base}?county={county.slug}&sort=upheld_rate").content.decode()
    assert [(r[0], r[1]) for r in all_measures(html)] == [
        ("Ambridge", "1"),
        ("Edgeley", "Not ranked"),
    ]
    assert "Showing 2 of the 7 district councils." in html
    # The ranks and the plots stay the whole group's.
    assert html.count('class="cp-funnel__point ') >= 7 * 3
    named = all_measures(client.get(base + "?name=BOR&region=south-west").content.decode())
    assert [r[0] for r in named] == ["Borchester"]
    nothing = client.get(base + "?name=zzz").content.decode()
    assert all_measures(nothing) == [] and "No council matches the filter." in nothing
    # The form offers what is there, the choice made selected; other links keep the filter.
    html = client.get(base + "?region=west-midlands").content.decode()
    assert '<option value="west-midlands" selected>West Midlands</option>' in html
    assert '<option value="south-west">South West</option>' in html
    assert f'<option value="{county.slug}">Borsetshire</option>' in html
    assert 'href="/compare/2019-20/county/?region=west-midlands"' in html
    # Unknown values: 400 with words, never a 500 or an empty table that looks like an answer.
    for query, words in (
        ("?region=atlantis", "there is no region called “atlantis”"),
        ("?county=nowhere", "there is no county council called “nowhere”"),
        ("?name=" + "x" * 150, "never longer than 100 characters"),
    ):
        response = client.get(base + query)
        assert response.status_code == 400, query
        assert words in response.content.decode(), query


def test_methods_page_says_which_method_each_chart_uses(client: Client, wolds: Wolds) -> None:
    page = get_page(client, "/about/")
    for words in (
        "the exact binomial distribution at the group's average",
        "exact Poisson distribution of the count expected",
        "One upheld investigation out of one, against a 45% average, would happen 45% of the",
        "each line is drawn half a case beyond the last whole count still inside it",
        "The ombudsman's headline comparison is always with the average of councils of the same",
        "Neighbouring councils",
        "Similar-sized councils",
        "Region and county",
    ):
        assert words in page.text, words
    # The group page links to that section.
    group = client.get("/compare/2019-20/district/").content.decode()
    assert 'href="/about/#funnel-plots"' in group
