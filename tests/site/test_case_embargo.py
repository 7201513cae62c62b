"""Case-level data as the published years knew it: the embargo crawler walks every page the
public site links to and finds no decision, public report or compliance outcome dated in a
year that is not yet published; once that year is published, they appear."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser

from django.core.cache import cache
from django.test import Client

from councilperf.statistics.models import ReviewYear
from tests.factories import make_compliance, make_recommendation
from tests.site.conftest import IN_2019, IN_2020, World, decide

IMPROVEMENT = "Fix the damp reporting line"
MAX_PAGES = 400


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith("//"):
            self.links.append(href.split("#")[0])


def crawl(client: Client) -> dict[str, str]:
    """Every page reachable from the home page by links (PDFs and static files left out)."""
    seen: dict[str, str] = {}
    queue = deque(["/", "/sitemap.xml"])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or url.endswith(".pdf") or url.startswith("/static/"):
            continue
        response = client.get(url)
        kind = response.get("Content-Type", "")
        text = kind.startswith(("text/", "application/json", "application/xml"))
        body = response.content.decode() if response.status_code == 200 and text else ""
        seen[url] = body
        parser = _Links()
        parser.feed(body)
        queue.extend(parser.links)
        queue.extend(re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", body))
    assert len(seen) < MAX_PAGES, "the crawl did not finish"
    return seen


def _embargoed_case_data(world: World) -> None:
    """A 2019-20 decision whose public report and compliance outcome fall in 2020-21."""
    case = decide(world.south, "upheld", day=IN_2019, public_report_date=IN_2020)
    make_recommendation(case=case, service_improvement=True, description=IMPROVEMENT)
    make_compliance(case=case, outcome="not_complied", recorded_date=IN_2020)


def _compliance_cells(pages: dict[str, str]) -> set[str]:
    """What each page shows in the compliance cell of the improvement's row."""
    cells = set()
    for body in pages.values():
        for row in re.findall(rf"{IMPROVEMENT}.*?</tr>", body, flags=re.DOTALL):
            cells.add(re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.DOTALL)[-1].strip())
    return cells


def test_the_crawler_finds_no_case_level_data_of_an_unpublished_year(
    client: Client, world: World
) -> None:
    _embargoed_case_data(world)
    pages = crawl(client)
    assert f"/councils/{world.south.slug}/2019-20/" in pages
    assert len(pages) > 20
    leaks = [url for url, body in pages.items() if "1 October 2020" in body]
    assert not leaks, leaks
    assert not [url for url, body in pages.items() if "Secret 2020-21 decision" in body]
    assert _compliance_cells(pages) == {"Not yet recorded"}


def test_publishing_the_year_shows_what_it_holds(client: Client, world: World) -> None:
    _embargoed_case_data(world)
    ReviewYear.objects.filter(year="2020-21").update(publication_date="2020-12-01")
    cache.clear()
    body = client.get(f"/councils/{world.south.slug}/2019-20/").content.decode()
    assert _compliance_cells({"page": body}) == {"Not complied"}
    assert "1 October 2020" in body
