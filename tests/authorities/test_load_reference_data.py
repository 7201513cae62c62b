"""Loading the real reference data: the councils of each year, populations, boundaries."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command

from councilperf.authorities.models import Authority, AuthorityYear, Boundary

EXPECTED_PER_YEAR = {
    "2018-19": 353,
    "2019-20": 343,
    "2020-21": 339,
    "2021-22": 333,
    "2022-23": 333,
    "2023-24": 317,
    "2024-25": 317,
}


def test_authorities_existing_in_each_year(loaded_reference_data):
    for year, expected in EXPECTED_PER_YEAR.items():
        assert AuthorityYear.objects.filter(year=year).count() == expected, year
    groups = {
        g: AuthorityYear.objects.filter(year="2019-20", group=g).count()
        for g in ("county", "district", "metropolitan", "unitary", "london")
    }
    assert groups == {
        "county": 26,
        "district": 192,
        "metropolitan": 36,
        "unitary": 56,
        "london": 33,
    }


def test_summary_counts_match_database(loaded_reference_data):
    for year, expected in EXPECTED_PER_YEAR.items():
        assert sum(loaded_reference_data.per_year[year].values()) == expected


def test_north_east_derbyshire(loaded_reference_data):
    ned = Authority.objects.get(gss_code="E07000038")
    assert ned.official_name == "North East Derbyshire District Council"
    assert ned.group == "district"
    assert ned.county is not None and ned.county.gss_code == "E10000007"  # Derbyshire
    year = ned.years.get(year="2019-20")
    assert year.population_estimate == 2019
    assert year.population == 101_462
    assert "population19_ltla19" in year.population_source
    assert year.lower_boundary is not None and year.lower_boundary.vintage == "ltla19"
    assert year.upper_boundary is None  # a district is not drawn on the county tier


def test_buckinghamshire_and_its_predecessors(loaded_reference_data):
    bucks = Authority.objects.get(gss_code="E06000060")
    assert bucks.start_date == dt.date(2020, 4, 1)
    assert not bucks.years.filter(year="2019-20").exists()
    assert bucks.years.filter(year="2020-21").exists()
    predecessors = bucks.predecessors.all()
    assert predecessors.count() == 5
    for predecessor in predecessors:
        assert predecessor.end_date == dt.date(2020, 3, 31)
        assert predecessor.years.filter(year="2019-20").exists()
        assert not predecessor.years.filter(year="2020-21").exists()


def test_end_dates_written_as_successor_start_are_normalised(loaded_reference_data):
    # The register gives Corby's end as 2021-04-01, North Northamptonshire's first day.
    corby = Authority.objects.get(gss_code="E07000150")
    assert corby.end_date == dt.date(2021, 3, 31)
    assert [a.gss_code for a in corby.successors.all()] == ["E06000061"]


def test_city_of_london_counts_with_london_boroughs(loaded_reference_data):
    assert Authority.objects.get(gss_code="E09000001").group == "london"


def test_no_combined_authorities_or_other_nations(loaded_reference_data):
    codes = Authority.objects.values_list("gss_code", flat=True)
    assert all(code[:3] in {"E06", "E07", "E08", "E09", "E10"} for code in codes)


# (population, estimate year, file) per reporting year 2018-19 ... 2024-25 (issue 28).
NOMIS_LONG = "population/nomis_mye_1991_2023_lad23.csv"
NOMIS_2021 = "population/nomis_mye2021_lad21_ctyua21.csv"
MYE24 = "population/mye24_ew_lad23_ctyua23.csv"
EXPECTED_POPULATIONS = {
    "E08000035": [  # Leeds
        (797_696, 2018, NOMIS_LONG),
        (793_139, 2019, "population/population19_ltla19.csv"),
        (798_786, 2020, "population/population20_ltla20.csv"),
        (809_479, 2021, NOMIS_LONG),  # the later release wins over the first published
        (820_802, 2022, NOMIS_LONG),
        (829_413, 2023, NOMIS_LONG),
        (845_189, 2024, MYE24),
    ],
    "E07000038": [  # North East Derbyshire
        (100_100, 2018, NOMIS_LONG),
        (101_462, 2019, "population/population19_ltla19.csv"),
        (102_216, 2020, "population/population20_ltla20.csv"),
        (102_294, 2021, NOMIS_LONG),
        (103_797, 2022, NOMIS_LONG),
        (105_035, 2023, NOMIS_LONG),
        (106_646, 2024, MYE24),
    ],
    "E07000026": [  # Allerdale, abolished April 2023: in no file after mid-2021
        (97_761, 2019, "population/population19_ltla19.csv"),  # no mid-2018: the earliest
        (97_761, 2019, "population/population19_ltla19.csv"),
        (97_831, 2020, "population/population20_ltla20.csv"),
        (96_384, 2021, NOMIS_2021),
        (96_384, 2021, NOMIS_2021),  # no mid-2022 for it: the nearest earlier
    ],
}


def test_every_year_takes_its_own_estimate_and_records_which(loaded_reference_data):
    for code, expected in EXPECTED_POPULATIONS.items():
        rows = AuthorityYear.objects.filter(authority__gss_code=code).order_by("year")
        got = [(r.population, r.population_estimate, r.population_file) for r in rows]
        assert got == expected, code
    # Counties take the county figure of a file of both tiers (mid-2024: Derbyshire).
    derbyshire = AuthorityYear.objects.get(authority__gss_code="E10000007", year="2024-25")
    assert (derbyshire.population_file, derbyshire.population_estimate) == (MYE24, 2024)
    derbyshire = AuthorityYear.objects.get(authority__gss_code="E10000007", year="2023-24")
    assert (derbyshire.population_file, derbyshire.population_estimate) == (NOMIS_LONG, 2023)
    # Cumberland (from April 2023) has its own mid-2023 estimate on 2023 areas.
    cumberland = AuthorityYear.objects.get(authority__gss_code="E06000063", year="2023-24")
    assert (cumberland.population_estimate, cumberland.population_file) == (2023, NOMIS_LONG)


def test_2018_19_draws_the_councils_abolished_in_2019(loaded_reference_data):
    year = AuthorityYear.objects.filter(year="2018-19")
    dorset = year.get(authority__gss_code="E10000009")  # Dorset County Council
    assert dorset.upper_boundary is not None and dorset.upper_boundary.vintage == "utla18"
    christchurch = year.get(authority__gss_code="E07000048")
    assert christchurch.lower_boundary is not None
    assert christchurch.lower_boundary.vintage == "ltla18"
    assert not year.filter(upper_boundary__isnull=True, lower_boundary__isnull=True).exists()
    # The dated upper-tier file gives 2018 only the areas of 2018: no Dorset unitary (2019).
    assert not Boundary.objects.filter(vintage="utla18", authority__gss_code="E06000059")


def test_map_tiers_have_one_shape_per_authority(loaded_reference_data):
    upper = AuthorityYear.objects.filter(year="2019-20", upper_boundary__isnull=False)
    lower = AuthorityYear.objects.filter(year="2019-20", lower_boundary__isnull=False)
    assert upper.count() == 151
    assert lower.count() == 317
    # 2020-21 mixes vintages: Northamptonshire county (2019 shape) and Buckinghamshire (2021).
    y2021 = AuthorityYear.objects.filter(year="2020-21")
    northants = y2021.get(authority__gss_code="E10000021").upper_boundary
    bucks = y2021.get(authority__gss_code="E06000060").upper_boundary
    assert northants is not None and northants.vintage == "utla19"
    assert bucks is not None and bucks.vintage == "utla21"


def test_unique_slugs_for_same_named_councils(loaded_reference_data):
    assert Authority.objects.get(gss_code="E10000023").slug == "north-yorkshire"
    assert Authority.objects.get(gss_code="E06000065").slug == "north-yorkshire-council"


def test_second_run_changes_nothing_and_says_so(loaded_reference_data, reference_dir):
    before = (Authority.objects.count(), AuthorityYear.objects.count(), Boundary.objects.count())
    out = io.StringIO()
    call_command("load_reference_data", dir=str(reference_dir), years="2018-19:2024-25", stdout=out)
    assert "Nothing changed" in out.getvalue()
    assert re.search(r"2019-20\s+343\s+26\s+192\s+36\s+56\s+33\n", out.getvalue())
    after = (Authority.objects.count(), AuthorityYear.objects.count(), Boundary.objects.count())
    assert before == after


@pytest.mark.django_db
def test_command_reports_missing_population_and_boundaries(reference_dir):
    out = io.StringIO()
    call_command("load_reference_data", dir=str(reference_dir), years="2018-19:2019-20", stdout=out)
    text = out.getvalue()
    assert "Authorities without a population estimate:" in text
    # Councils abolished on 31 March 2019 appear in no estimate file, but they have a shape.
    assert "Christchurch (E07000048)" in text
    assert "none without a boundary" in text
