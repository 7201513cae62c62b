"""A new population estimate for a frozen year changes nothing published: the year's
dashboard says "population changed since freezing" and a correction revision carries it
(issue 28, point 6). The reference data here is the real register with a small population
file and one shape, written to a temporary directory with a temporary manifest."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from councilperf.authorities.models import Authority, AuthorityYear
from councilperf.authorities.services import load_reference_data
from councilperf.published import figures as published
from councilperf.statistics import selectors as stats
from councilperf.statistics.models import AuthorityStatistics
from councilperf.years import ReportingYear
from tests.distribution.conftest import make_user
from tests.factories import make_case, make_review_year, publish_year

NED = "E07000038"
YEAR = "2019-20"
RY = ReportingYear.parse(YEAR)
MANIFEST = """
[[population]]
file = "population/mye.csv"
format = "mye2"
estimate_year = 2019
tier = "both"

[[boundaries]]
vintage = "one"
file = "boundaries/one.geojson"
format = "uk_topojson"
tier = "lower"
year = 2019
"""


def reference(tmp_path: Path, people: int) -> tuple[Path, Path]:
    """A reference directory (the shared register linked, not copied) whose only estimate
    gives North East Derbyshire ``people`` at mid-2019, and its manifest."""
    data = tmp_path / "data"
    for name in ("population", "boundaries"):
        (data / name).mkdir(parents=True, exist_ok=True)
    if not (data / "la_register").exists():
        (data / "la_register").symlink_to(Path(settings.REFERENCE_DATA_DIR) / "la_register")
    (data / "population" / "mye.csv").write_text(
        f"\ufeffCode,Name,Geography,All ages\n{NED},North East Derbyshire,District,{people}\n"
    )
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    feature = {"type": "Feature", "properties": {"areacd": NED}, "geometry": square}
    collection = {"type": "FeatureCollection", "features": [feature]}
    (data / "boundaries" / "one.geojson").write_text(json.dumps(collection))
    manifest = tmp_path / "reference.toml"
    manifest.write_text(MANIFEST)
    return data, manifest


def load(tmp_path: Path, people: int) -> None:
    data, manifest = reference(tmp_path, people)
    load_reference_data(directory=data, years=[ReportingYear.parse(YEAR)], manifest=manifest)


def per_100k_published() -> tuple[int | None, int | None]:
    cache.clear()
    found = published.authority(RY, NED)
    assert found is not None
    return found.population, found.measures["upheld_per_100k"].denominator


def dashboard(client: Client) -> str:
    return client.get(f"/staff/{YEAR}/").content.decode()


@pytest.mark.django_db
def test_a_new_estimate_reaches_a_frozen_year_only_through_a_correction(tmp_path: Path) -> None:
    client = Client()
    client.force_login(make_user("publisher"))
    load(tmp_path, 100_000)
    ned = Authority.objects.get(gss_code=NED)
    start = ReportingYear.parse(YEAR).start
    for outcome in ("upheld", "upheld", "not_upheld"):
        make_case(
            authority=ned,
            received_date=start,
            decision_date=start + dt.timedelta(days=30),
            outcome=outcome,
        )
    make_review_year(year=YEAR, publication_date=dt.date(2020, 7, 29))
    publish_year(YEAR)
    assert per_100k_published() == (100_000, 100_000)
    assert "changed since freezing" not in dashboard(client)

    # ONS revises the estimate: loaded, the council's year has it at once ...
    load(tmp_path, 104_321)
    assert AuthorityYear.objects.get(authority=ned, year=YEAR).population == 104_321
    # ... but nothing published moves, and the dashboard says why it differs.
    assert per_100k_published() == (100_000, 100_000)
    page = dashboard(client)
    assert "Population changed since freezing for 1 council" in page
    assert "100,000 (mid-2019) frozen, 104,321 (mid-2019) now from population/mye.csv" in page
    assert f"correct_statistics --year {YEAR}" in page

    out = io.StringIO()
    call_command(
        "correct_statistics", year=YEAR, reason="ONS revised mid-2019 estimates.", stdout=out
    )
    assert f"{YEAR} revision 2 recorded: ONS revised mid-2019 estimates." in out.getvalue()
    assert per_100k_published() == (104_321, 104_321)
    assert stats.figures(year=RY, revision=1)[0][NED].population == 100_000  # kept
    row = AuthorityStatistics.objects.get(revision__number=2, authority=ned)
    assert (row.population_estimate, row.population_file) == (2019, "population/mye.csv")
    revision = stats.revision_info(year=RY, revision=2)
    assert revision.reason == "ONS revised mid-2019 estimates."
    assert "changed since freezing" not in dashboard(client)
