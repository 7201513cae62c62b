"""The publication job (``manage.py publish_due``): a public year's review PDF, open data, map
data and cache are built by one command, once per revision; an unapproved year never."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils.timezone import now

from councilperf.distribution.models import Publication
from councilperf.site import mapdata
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import correct_statistics, freeze_statistics
from councilperf.years import ReportingYear
from tests.distribution.conftest import make_user
from tests.factories import make_review_year
from tests.site.conftest import World, build_world

YEAR = "2019-20"
PUBLIC = (
    f"/review/{YEAR}/review.pdf",
    f"/downloads/{YEAR}/datapackage.json",
    f"/map-data/{YEAR}/figures.json",
    "/downloads/all-years/figures.csv",  # every public year in one file, built with them
)


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Path) -> World:
    settings.BUILD_DIR = tmp_path / "build"
    return build_world()


def publish() -> str:
    out = StringIO()
    call_command("publish_due", stdout=out)
    return out.getvalue()


def status(client: Client, url: str) -> int:
    response = client.get(url)
    return int(response.status_code)


@pytest.mark.slow
def test_one_command_publishes_a_due_year_and_a_second_run_builds_nothing(
    world: World, settings: Any
) -> None:
    # 2019-20: approved, its publication date past, nothing built.
    anonymous = Client()
    assert [status(anonymous, url) for url in PUBLIC[:2]] == [404, 404]
    out = publish()
    assert f"{YEAR} revision 1: review PDF written" in out
    assert f"{YEAR} revision 1: open data" in out
    assert f"{YEAR} revision 1: map upper: 2 shapes" in out
    assert f"{YEAR} revision 1: link cards, " in out
    assert f"{YEAR} revision 1: cache warmed" in out
    assert "All years: open data, 20 rows" in out  # 4 councils × 5 measures
    assert "Published 2019-20 (revision 1)" in out
    anonymous = Client()
    for url in (*PUBLIC, f"/councils/{world.north.slug}/"):
        assert status(anonymous, url) == 200, url
    # The cache was warmed: the first visitor of a page of the year is served from it.
    for url in (PUBLIC[0], PUBLIC[2], f"/councils/{world.south.slug}/2019-20/"):
        assert anonymous.get(url)["X-Page-Cache"] == "hit", url
    assert set(mapdata.read_manifest()) == {YEAR}
    # The link cards (og:image) were built with the year: the council's own, and the site's.
    card = anonymous.get(f"/councils/{world.south.slug}/2019-20/card.png")
    assert card.status_code == 200 and card["Content-Type"] == "image/png"
    assert (Path(settings.BUILD_DIR) / "cards" / YEAR / f"{world.south.slug}.png").is_file()
    assert (Path(settings.BUILD_DIR) / "cards" / "site.png").is_file()
    package = Path(settings.BUILD_DIR) / "opendata" / YEAR / "r1" / "datapackage.json"
    built = package.stat().st_mtime_ns
    # 2020-21 is approved but its date has not come: not built.
    assert list(Publication.objects.values_list("review_year__year", "revision")) == [(YEAR, 1)]

    again = publish()
    assert again.strip() == "Nothing due: every public year is built for its current revision."
    assert package.stat().st_mtime_ns == built


@pytest.mark.slow
def test_a_correction_makes_the_year_due_again(world: World, settings: Any) -> None:
    publish()
    correct_statistics(year=ReportingYear.parse(YEAR), reason="A case was misattributed.")
    out = publish()
    assert "Published 2019-20 (revision 2)" in out
    assert (Path(settings.BUILD_DIR) / "opendata" / YEAR / "r2" / "datapackage.json").is_file()
    every = Client().get("/downloads/all-years/figures.csv").getvalue().decode()
    assert {line.split(",")[1] for line in every.splitlines()[1:]} == {"2"}  # the revision
    assert Publication.objects.get(review_year__year=YEAR).revision == 2
    assert "Nothing due" in publish()


def test_an_unapproved_year_is_never_built(world: World, settings: Any) -> None:
    # 2021-22: frozen with a publication date long past, never approved.
    make_review_year(
        year="2021-22", letter_date=dt.date(2022, 7, 1), publication_date=dt.date(2022, 7, 8)
    )
    freeze_statistics(year=ReportingYear(2021))
    # 2019-20 recorded as built (its files are another test's): only 2021-22 could be due.
    Publication.objects.create(review_year=_review_year(YEAR), revision=1, built_at=now())
    assert "Nothing due" in publish()
    assert not Publication.objects.filter(review_year__year="2021-22").exists()
    build = Path(settings.BUILD_DIR)
    assert not (build / "opendata" / "2021-22").exists()
    assert not (build / "review" / "review-2021-22.pdf").exists()
    assert "2021-22" not in mapdata.read_manifest()


def test_the_dashboard_shows_due_then_published(world: World) -> None:
    staff = Client()
    staff.force_login(make_user("publisher"))
    page = staff.get(f"/staff/{YEAR}/").content.decode()
    assert "Due: run by the publication job" in page
    Publication.objects.create(review_year=_review_year(YEAR), revision=1, built_at=now())
    page = staff.get(f"/staff/{YEAR}/").content.decode()
    assert "Due: run by the publication job" not in page
    assert "review PDF, open data, map and cache built for revision 1" in page
    correct_statistics(year=ReportingYear.parse(YEAR), reason="A late decision.")
    assert "Due: run by the publication job" in staff.get(f"/staff/{YEAR}/").content.decode()
    # Before approval there is no publication line at all.
    assert 'id="publication"' not in staff.get("/staff/2021-22/").content.decode()


def _review_year(label: str) -> ReviewYear:
    return ReviewYear.objects.get(year=label)


def test_the_job_finds_a_year_due_at_its_time_not_its_day(world: World) -> None:
    """The timer runs ``publish_due`` every five minutes: a year due at 09:30 is not due at
    09:29 on its day, and is at 09:30 (what the job then builds is the test above)."""
    from zoneinfo import ZoneInfo

    import time_machine

    from councilperf.published.years import snapshot
    from councilperf.publishing.services import due

    ReviewYear.objects.filter(year="2020-21").update(publication_date=dt.date(2030, 7, 29))
    london = ZoneInfo("Europe/London")
    with time_machine.travel(dt.datetime(2030, 7, 29, 9, 29, tzinfo=london), tick=False):
        assert "2020-21" not in [p.year.label for p in due(snapshot())]
    with time_machine.travel(dt.datetime(2030, 7, 29, 9, 30, tzinfo=london), tick=False):
        assert "2020-21" in [p.year.label for p in due(snapshot())]
