"""Each population and boundary format the manifest may name, read from small files written
here in the shape of the real ones (`/work/shared/data/SOURCES.md`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from councilperf.authorities.reference.files import ReferenceDataError, read_shapes
from councilperf.authorities.reference.manifest import PopulationFile, read_manifest
from councilperf.authorities.reference.populations import read_population_file

LEEDS, NED, DERBYSHIRE, HARTLEPOOL = "E08000035", "E07000038", "E10000007", "E06000001"


def rows(tmp_path: Path, name: str, text: str, entry: PopulationFile) -> set[tuple]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return {
        (r.gss_code, r.estimate_year, r.population, r.tier, r.source, r.priority)
        for r in read_population_file(tmp_path, entry)
    }


def test_the_mye2_sheet_with_a_bom_both_tiers_by_code(tmp_path: Path) -> None:
    text = (
        "\ufeffCode,Name,Geography,All ages,0,1\n"
        "E92000001,ENGLAND,Country,58620101,1,2\n"
        f"{LEEDS},Leeds,Metropolitan District,845189,3,4\n"
        f"{NED},North East Derbyshire,Non-metropolitan District,106646,5,6\n"
        f'{DERBYSHIRE},"Derbyshire, County of",County,816634,7,8\n'
    )
    entry = PopulationFile(Path("m.csv"), (2024,), "both", "mye2", priority=2)
    assert rows(tmp_path, "m.csv", text, entry) == {
        ("E92000001", 2024, 58_620_101, "lower", "m.csv", 2),
        (LEEDS, 2024, 845_189, "lower", "m.csv", 2),
        (NED, 2024, 106_646, "lower", "m.csv", 2),
        (DERBYSHIRE, 2024, 816_634, "upper", "m.csv", 2),  # E10: a county, the upper tier
    }


def test_the_nomis_long_extract_floats_listed_years_only_blanks_skipped(tmp_path: Path) -> None:
    text = (
        "geography_code,geography_name,date,value,Measure\n"
        f"{LEEDS},Leeds,2020,808443.0,population\n"
        f"{LEEDS},Leeds,2022,820802.0,population\n"
        f"{LEEDS},Leeds,2023,829413.0,population\n"
        "S12000005,Clackmannanshire,2023,,population\n"
    )
    entry = PopulationFile(Path("n.csv"), (2022, 2023), "lower", "nomis_long")
    assert rows(tmp_path, "n.csv", text, entry) == {
        (LEEDS, 2022, 820_802, "lower", "n.csv", 0),
        (LEEDS, 2023, 829_413, "lower", "n.csv", 0),
    }
    missing = PopulationFile(Path("n.csv"), (2021, 2022), "lower", "nomis_long")
    with pytest.raises(ReferenceDataError, match="holds no estimate for 2021"):
        read_population_file(tmp_path, missing)


def test_the_raw_nomis_api_output_all_ages_unitaries_under_both_types(tmp_path: Path) -> None:
    header = "DATE,GEOGRAPHY_NAME,GEOGRAPHY_CODE,GEOGRAPHY_TYPE,GENDER,C_AGE,C_AGE_NAME,OBS_VALUE"
    district = "local authorities: district / unitary (as of April 2021)"
    county = "local authorities: county / unitary (as of April 2021)"
    lines = [
        header,
        f'2021,Hartlepool,{HARTLEPOOL},"{district}",0,200,All Ages,92571',
        f'2021,Hartlepool,{HARTLEPOOL},"{district}",0,1,Age 0 - 4,5000',
        f'2021,Hartlepool,{HARTLEPOOL},"{county}",0,200,All Ages,92571',
        f'2021,Derbyshire,{DERBYSHIRE},"{county}",0,200,All Ages,796142',
        f'2021,Derbyshire,{DERBYSHIRE},"{county}",0,209,Aged 65+,180000',
    ]
    entry = PopulationFile(Path("a.csv"), (2021,), "both", "nomis_api")
    assert rows(tmp_path, "a.csv", "\n".join(lines) + "\n", entry) == {
        (HARTLEPOOL, 2021, 92_571, "lower", "a.csv", 0),
        (DERBYSHIRE, 2021, 796_142, "upper", "a.csv", 0),
    }
    lines[3] = lines[3].replace("92571", "92570")  # the same unitary, another figure
    with pytest.raises(ReferenceDataError, match=f"{HARTLEPOOL} mid-2021 is 92570"):
        rows(tmp_path, "a.csv", "\n".join(lines) + "\n", entry)


def feature(properties: dict) -> dict:
    square = [[[0, 0], [1, 0], [1, 1], [0, 0]]]
    return {"type": "Feature", "properties": properties, "geometry": {
        "type": "Polygon", "coordinates": square,
    }}  # fmt: skip


def test_boundary_formats_ons_code_and_dated_areas(tmp_path: Path) -> None:
    ons = [feature({"FID": 1, "CTYUA23CD": DERBYSHIRE, "CTYUA23NM": "Derbyshire"})]
    dated = [
        feature({"areacd": "E10000009", "areanm": "Dorset", "end": 2018}),
        feature({"areacd": "E06000059", "areanm": "Dorset", "start": 2019}),
        feature({"areacd": NED, "areanm": "North East Derbyshire"}),
    ]
    for name, features in (("ons.geojson", ons), ("dated.geojson", dated)):
        collection = {"type": "FeatureCollection", "features": features}
        (tmp_path / name).write_text(json.dumps(collection))
    files = [
        ("ctyua23", Path("ons.geojson"), "upper", 2023, "ons"),
        ("utla18", Path("dated.geojson"), "upper", 2018, "uk_topojson"),
        ("utla19", Path("dated.geojson"), "upper", 2019, "uk_topojson"),
    ]
    read = {(s.vintage, s.gss_code) for s in read_shapes(tmp_path, files)}
    assert read == {
        ("ctyua23", DERBYSHIRE),
        ("utla18", "E10000009"),  # kept while start <= 2018 <= end
        ("utla18", NED),
        ("utla19", "E06000059"),
        ("utla19", NED),
    }
    with pytest.raises(ReferenceDataError, match="has no areacd property"):
        read_shapes(tmp_path, [("x", Path("ons.geojson"), "upper", 2023, "uk_topojson")])


def test_the_manifest_names_formats_years_and_priorities(tmp_path: Path) -> None:
    path = tmp_path / "reference.toml"
    boundary = '[[boundaries]]\nvintage = "b"\nfile = "b.geojson"\ntier = "upper"\nyear = 2023\n'
    path.write_text(
        '[[population]]\nfile = "n.csv"\nformat = "nomis_long"\nestimate_years = [2023, 2021]\n'
        'tier = "lower"\npriority = 1\n' + boundary
    )
    [entry] = read_manifest(path).population
    assert (entry.format, entry.estimate_years, entry.priority) == ("nomis_long", (2021, 2023), 1)
    for bad, problem in (
        ('format = "xls"', "format 'xls' is not demographr or mye2"),
        ("estimate_years = []", "`estimate_years` must be a list of years"),
        ('priority = "high"', "`priority` must be a int"),
        ('format = "mye2"\nestimate_years = [2023, 2024]', "holds one estimate year"),
    ):
        path.write_text(f'[[population]]\nfile = "n.csv"\ntier = "both"\n{bad}\n' + boundary)
        if "estimate_year" not in bad:
            path.write_text(path.read_text().replace(bad, f"{bad}\nestimate_year = 2023"))
        with pytest.raises(ReferenceDataError, match=problem.replace("(", r"\(")):
            read_manifest(path)
