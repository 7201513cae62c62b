"""Reference data for new years is data: the manifest names each file and its vintage."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.conf import settings

from councilperf.authorities.models import AuthorityYear
from councilperf.authorities.reference.files import ReferenceDataError
from councilperf.authorities.reference.manifest import read_manifest
from councilperf.authorities.services import load_reference_data
from councilperf.years import ReportingYear

FAKE = """
[[population]]
file = "population/fake_population21_ltla21.csv"
estimate_year = 2021
tier = "lower"
priority = 5
"""


def fake_vintage(reference_dir: Path, tmp_path: Path) -> Path:
    """A reference directory like the shared one (linked, not copied) plus a fake mid-2021
    estimate for districts: each 2020 figure plus 1,000."""
    data = tmp_path / "data"
    (data / "population").mkdir(parents=True)
    for name in ("la_register", "boundaries"):
        (data / name).symlink_to(reference_dir / name)
    for path in (reference_dir / "population").iterdir():
        (data / "population" / path.name).symlink_to(path)
    source = reference_dir / "population" / "population20_ltla21.csv"
    with source.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    with (data / "population" / "fake_population21_ltla21.csv").open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["ltla21_code", "total_population"])
        writer.writeheader()
        for row in rows:
            total = float(row["total_population"]) + 1000
            writer.writerow({"ltla21_code": row["ltla21_code"], "total_population": total})
    return data


@pytest.mark.django_db
def test_a_new_population_vintage_loads_through_the_manifest(
    reference_dir: Path, tmp_path: Path
) -> None:
    data = fake_vintage(reference_dir, tmp_path)
    manifest = tmp_path / "reference.toml"
    manifest.write_text(Path(settings.REFERENCE_MANIFEST).read_text() + FAKE)
    years = ReportingYear.span("2020-21:2021-22")
    load_reference_data(directory=data, years=years, manifest=manifest)
    row = AuthorityYear.objects.get(authority__gss_code="E07000038", year="2021-22")
    before = AuthorityYear.objects.get(authority__gss_code="E07000038", year="2020-21")
    assert (row.population_estimate, before.population_estimate) == (2021, 2020)
    assert before.population is not None and row.population == before.population + 1000
    assert row.population_source.endswith("fake_population21_ltla21.csv")

    # Without the new lines the same directory gives 2021-22 the shipped mid-2021 estimate.
    load_reference_data(directory=data, years=years)
    row.refresh_from_db()
    assert (row.population_estimate, row.population) == (2021, 102_294)
    assert row.population_file == "population/nomis_mye_1991_2023_lad23.csv"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "[[population]]\nfile = 'p.csv'\nestimate_year = '2021'\ntier = 'lower'\n",
            "`estimate_year` must be a int",
        ),
        (
            "[[population]]\nfile = 'p.csv'\nestimate_year = 2021\ntier = 'middle'\n",
            "tier 'middle' is not lower or upper",
        ),
        (
            "[[population]]\nfile = '../p.csv'\nestimate_year = 2021\ntier = 'lower'\n",
            "must be inside the reference directory",
        ),
        ("population = [\n", "is not a readable TOML manifest"),
        ("", "lists no population files"),
    ],
)
def test_a_bad_manifest_is_refused_with_its_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "reference.toml"
    path.write_text(text)
    with pytest.raises(ReferenceDataError, match=problem.replace("(", r"\(")) as caught:
        read_manifest(path)
    assert caught.value.path == str(path)


def test_a_vintage_named_twice_and_a_missing_manifest(tmp_path: Path) -> None:
    shipped = Path(settings.REFERENCE_MANIFEST).read_text()
    twice = tmp_path / "twice.toml"
    twice.write_text(
        shipped + '\n[[boundaries]]\nvintage = "ltla19"\nfile = "b.geojson"\n'
        'tier = "lower"\nyear = 2019\n'
    )
    with pytest.raises(ReferenceDataError, match="named twice: ltla19"):
        read_manifest(twice)
    with pytest.raises(ReferenceDataError, match="manifest not found"):
        read_manifest(tmp_path / "missing.toml")
    shipped_manifest = read_manifest(Path(settings.REFERENCE_MANIFEST))
    assert len(shipped_manifest.population) == 8 and len(shipped_manifest.boundaries) == 9
