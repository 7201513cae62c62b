"""A small published world for the public site: fictional councils of Borsetshire.

2019-20 is published (frozen, publication date passed); 2020-21 is frozen but its
publication date is still to come; 2021-22 is a draft. Newtown exists only from 2020-21, so
it must appear nowhere on the public site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from councilperf.authorities.models import Authority, AuthorityYear, Boundary
from councilperf.statistics.services import compute_statistics
from councilperf.years import ReportingYear
from tests.factories import (
    make_authority,
    make_case,
    make_compliance,
    make_dataset,
    make_recommendation,
    make_review_year,
    publish_year,
)

IN_2019 = dt.date(2019, 10, 1)
IN_2020 = dt.date(2020, 10, 1)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def square(x: float, y: float, size: float = 0.2) -> dict[str, Any]:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def give_boundary(authority: Authority, year: str, tier: str, x: float, y: float) -> None:
    boundary, _ = Boundary.objects.get_or_create(
        vintage=f"{tier}-test",
        authority=authority,
        defaults={"tier": tier, "geometry": square(x, y)},
    )
    field = "upper_boundary" if tier == "upper" else "lower_boundary"
    AuthorityYear.objects.filter(authority=authority, year=year).update(**{field: boundary})


def decide(authority: Authority, outcome: str, day: dt.date = IN_2019, **fields: Any) -> Any:
    return make_case(
        authority=authority,
        received_date=day - dt.timedelta(days=90),
        decision_date=day,
        outcome=outcome,
        service_area=fields.pop("service_area", "housing"),
        summary=fields.pop("summary", f"The council was at fault ({outcome})."),
        statement_url=fields.pop("statement_url", "https://www.example.org/decisions/1"),
        **fields,
    )


@dataclass
class World:
    north: Authority  # 0 of 2 upheld, like the reference letter
    south: Authority  # 9 of 18 upheld
    county: Authority
    unitary: Authority
    newtown: Authority  # only in the unpublished 2020-21


def build_world(*, synthetic: bool = False) -> World:
    dataset = make_dataset(synthetic=synthetic)
    both = ("2019-20", "2020-21", "2021-22")
    county = make_authority(name="Borsetshire", group="county", years=both, population=400_000)
    north = make_authority(name="North Borsetshire", group="district", years=both)
    south = make_authority(name="South Borsetshire", group="district", years=both)
    unitary = make_authority(name="Felpersham", group="unitary", years=both, population=150_000)
    newtown = make_authority(name="Newtown", group="district", years=("2020-21", "2021-22"))
    for a in (north, south, county, unitary, newtown):
        a.county = county if a.group == "district" else None
        a.save()

    decide(north, "not_upheld", dataset=dataset, service_area="planning_and_development")
    decide(north, "not_upheld", dataset=dataset)
    decide(north, "advice_given", dataset=dataset, service_area="benefits_and_tax")
    for i in range(18):
        case = decide(
            south,
            "upheld" if i < 9 else "not_upheld",
            dataset=dataset,
            service_area="housing" if i % 2 else "environment_and_regulation",
            remedied_by_authority=i == 0,
        )
        if i in (1, 2):
            make_recommendation(
                case=case,
                service_improvement=True,
                description="Review how noise complaints are handled",
                due_date=dt.date(2019, 12, 1),
            )
            make_compliance(case=case, outcome="complied", recorded_date=dt.date(2019, 12, 5))
    for i in range(6):
        case = decide(
            county,
            "upheld" if i < 4 else "not_upheld",
            dataset=dataset,
            service_area="adult_care",
            public_report_date=dt.date(2019, 12, 1) if i == 0 else None,
        )
        if i == 0:
            make_recommendation(case=case, service_improvement=True, description="Train staff")
            make_compliance(case=case, outcome="complied_late")
    decide(unitary, "upheld", dataset=dataset, service_area="highways_and_transport")
    decide(newtown, "upheld", dataset=dataset, day=IN_2020)
    decide(north, "upheld", dataset=dataset, day=IN_2020, summary="Secret 2020-21 decision")

    for a, x, y in ((north, -1.6, 53.2), (south, -1.4, 53.0), (unitary, -1.2, 53.4)):
        give_boundary(a, "2019-20", "lower", x, y)
    give_boundary(county, "2019-20", "upper", -1.6, 53.0)
    give_boundary(unitary, "2019-20", "upper", -1.2, 53.4)

    make_review_year(
        year="2019-20", letter_date=dt.date(2020, 7, 22), publication_date=dt.date(2020, 7, 29)
    )
    publish_year("2019-20")
    # Frozen and approved, its publication date still to come: embargoed.
    make_review_year(year="2020-21", letter_date=None, publication_date=dt.date(2999, 7, 29))
    publish_year("2020-21")
    make_review_year(year="2021-22", letter_date=None, publication_date=None)
    compute_statistics(year=ReportingYear(2021))
    return World(north=north, south=south, county=county, unitary=unitary, newtown=newtown)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def demo_world(db: None) -> World:
    return build_world(synthetic=True)


@pytest.fixture
def map_build(settings: Any, tmp_path: Path, world: World) -> Path:
    from django.core.management import call_command

    settings.BUILD_DIR = tmp_path / "build"
    call_command("build_map_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Path(settings.BUILD_DIR)


# ── a parsed page ──────────────────────────────────────────────────────────────────────────


class Page(HTMLParser):
    """The facts about a page that every test checks: title, headings, ids, text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.h1: list[str] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.text_parts: list[str] = []
        self._in: list[str] = []
        self.feed(html)
        self.text = " ".join(" ".join(self.text_parts).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if tag in ("title", "h1", "script", "style"):
            self._in.append(tag)
            if tag == "h1":
                self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title += data
        if "h1" in self._in:
            self.h1[-1] += data
        if not ({"script", "style"} & set(self._in)):
            self.text_parts.append(data)


def get_page(client: Client, url: str, status: int = 200) -> Page:
    """GET a page and check what every page must have: a title, one h1, unique ids."""
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    page = Page(response.content.decode())
    assert page.title.strip(), f"{url} has no title"
    assert len(page.h1) == 1, f"{url} has {len(page.h1)} h1 elements"
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert not duplicates, f"{url} repeats ids {duplicates}"
    return page
