"""Planning each authority's years: its population and boundary vintages, and the codes the
population and boundary files may use (pure: no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from councilperf.authorities.reference.files import PopulationRow, ReferenceDataError, ShapeRow
from councilperf.authorities.reference.plan import (
    PlannedAuthority,
    PlannedYear,
    check_codes,
    check_priorities,
    plan_years,
)
from councilperf.years import ReportingYear

TYPES = {"county": "CTY", "district": "NMD", "unitary": "UA"}
ABOLISHED = dt.date(2020, 3, 31)
CREATED = dt.date(2020, 4, 1)


def authority(
    register: str,
    gss: str,
    group: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    successors: tuple[str, ...] = (),
) -> PlannedAuthority:
    return PlannedAuthority(
        gss_code=gss,
        register_code=register,
        official_name=f"{register} Council",
        short_name=register.title(),
        slug=register.lower(),
        register_type=TYPES[group],
        group=group,
        region="",
        start_date=start,
        end_date=end,
        county_code="",
        successor_codes=successors,
    )


def population(gss: str, year: int, people: int, tier: str, source: str) -> PopulationRow:
    return PopulationRow(
        gss_code=gss, population=people, estimate_year=year, tier=tier, source=source
    )


def shape(vintage: str, tier: str, year: int, gss: str) -> ShapeRow:
    return ShapeRow(vintage=vintage, tier=tier, vintage_year=year, gss_code=gss, geometry={})


def years(*starts: int) -> list[ReportingYear]:
    return [ReportingYear(start) for start in starts]


def populations(planned: list[PlannedYear]) -> list[tuple[str, str, int | None, int | None, str]]:
    return [
        (p.gss_code, p.year, p.population, p.population_estimate, p.population_source)
        for p in planned
    ]


def test_the_years_own_estimate_or_the_nearest_earlier_then_later_one():
    unitary = authority("UNI", "E06000001", "unitary")
    rows = [
        population("E06000001", 2019, 1_100, "lower", "mid-2019.csv"),
        population("E06000001", 2018, 1_000, "lower", "mid-2018.csv"),
    ]
    planned = plan_years([unitary], rows, [], years(2016, 2018, 2019, 2021))
    later = " (no estimate up to then for this council: the earliest there is)"
    earlier = " (no mid-2021 estimate for this council: the latest before it)"
    assert planned == [
        PlannedYear(
            gss_code="E06000001",
            year=label,
            group="unitary",
            population=people,
            population_estimate=estimate,
            population_source=f"ONS mid-{estimate} estimate, mid-{estimate}.csv{note}",
            population_file=f"mid-{estimate}.csv",
            upper_vintage=None,
            lower_vintage=None,
        )
        for label, people, estimate, note in [
            ("2016-17", 1_000, 2018, later),  # no earlier estimate: the first later one
            ("2018-19", 1_000, 2018, ""),
            ("2019-20", 1_100, 2019, ""),  # the year's own, not the one before
            ("2021-22", 1_100, 2019, earlier),
        ]
    ]


def test_of_two_files_with_the_same_estimate_year_the_higher_priority_wins():
    district = authority("DIS", "E07000001", "district")
    first = PopulationRow("E07000001", 1_000, 2021, "lower", "first.csv", priority=0)
    later = PopulationRow("E07000001", 1_010, 2021, "lower", "later.csv", priority=1)
    for rows in ([first, later], [later, first]):
        check_priorities(rows)
        [planned] = plan_years([district], rows, [], years(2022))
        assert (planned.population, planned.population_file) == (1_010, "later.csv")
    # Equal priorities must agree: the manifest has to say which file wins.
    equal = replace(later, priority=0)
    with pytest.raises(ReferenceDataError, match="give one file a higher `priority`"):
        check_priorities([first, equal])
    check_priorities([first, replace(equal, population=1_000)])  # the same figure: no conflict


def test_counties_count_from_the_upper_tier_districts_from_the_lower():
    unitary = authority("UNI", "E06000001", "unitary")
    district = authority("DIS", "E07000001", "district")
    county = authority("CTY", "E10000001", "county")
    rows = [
        population("E06000001", 2019, 160, "lower", "b.csv"),
        population("E06000001", 2019, 150, "upper", "a.csv"),  # first by file name
        population("E07000001", 2019, 300, "upper", "a-upper.csv"),
        population("E07000001", 2019, 200, "lower", "b-lower.csv"),
        population("E10000001", 2019, 400, "lower", "a-lower.csv"),
        population("E10000001", 2019, 500, "upper", "b-upper.csv"),
    ]
    planned = plan_years([unitary, district, county], rows, [], years(2019))
    assert populations(planned) == [
        ("E06000001", "2019-20", 150, 2019, "ONS mid-2019 estimate, a.csv"),
        ("E07000001", "2019-20", 200, 2019, "ONS mid-2019 estimate, b-lower.csv"),
        ("E10000001", "2019-20", 500, 2019, "ONS mid-2019 estimate, b-upper.csv"),
    ]
    assert [p.group for p in planned] == ["unitary", "district", "county"]


def test_a_council_without_estimates_sums_its_lower_tier_predecessors():
    successors = ("NEW",)
    beta = authority("BETA", "E06000002", "unitary", end=ABOLISHED, successors=successors)
    new = authority("NEW", "E06000099", "unitary", start=CREATED)
    alpha = authority("ALPHA", "E07000001", "district", end=ABOLISHED, successors=("NEW", "GONE"))
    county = authority("SHIRE", "E10000003", "county", end=ABOLISHED, successors=successors)
    rows = [
        population("E07000001", 2021, 100, "lower", "p21.csv"),
        population("E07000001", 2022, 110, "lower", "p22.csv"),
        population("E07000001", 2022, 900, "upper", "a-upper.csv"),  # the lower tier's counts
        population("E06000002", 2021, 50, "upper", "u21.csv"),  # only in the upper tier's file
        population("E06000002", 2022, 55, "upper", "u22.csv"),
        population("E10000003", 2022, 5_000, "upper", "c22.csv"),  # a county: not summed
    ]
    planned = plan_years([beta, new, alpha, county], rows, [], years(2020, 2022, 2023))
    summed = "estimates summed over predecessors (Alpha, Beta)"
    assert populations(planned) == [
        ("E06000099", "2020-21", 150, 2021, f"ONS mid-2021 {summed}"),  # the first later year
        ("E06000099", "2022-23", 165, 2022, f"ONS mid-2022 {summed}"),  # the year's own
        ("E06000099", "2023-24", 165, 2022, f"ONS mid-2022 {summed}"),  # the latest before
    ]


def test_no_population_without_estimates_of_every_lower_tier_predecessor_in_a_common_year():
    def successor(code: str, gss: str) -> PlannedAuthority:
        return authority(code, gss, "unitary", start=CREATED)

    def before(code: str, gss: str, group: str, successor: str) -> PlannedAuthority:
        return authority(code, gss, group, end=ABOLISHED, successors=(successor,))

    councils = [
        successor("ONLY", "E06000011"),  # its one predecessor is a county
        successor("PART", "E06000012"),  # one predecessor has no estimate
        successor("APART", "E06000013"),  # its predecessors' estimates share no year
        successor("NONE", "E06000014"),  # no predecessor, no estimate
        before("P1", "E07000021", "district", "PART"),
        before("P2", "E07000022", "district", "PART"),
        before("A1", "E07000031", "district", "APART"),
        before("A2", "E07000032", "district", "APART"),
        before("C1", "E10000041", "county", "ONLY"),
    ]
    rows = [
        population("E07000021", 2020, 10, "lower", "p.csv"),
        population("E07000031", 2019, 20, "lower", "p.csv"),
        population("E07000032", 2020, 30, "lower", "p.csv"),
        population("E10000041", 2020, 40, "upper", "p.csv"),
    ]
    planned = plan_years(councils, rows, [], years(2020))
    assert populations(planned) == [
        (gss, "2020-21", None, None, "")
        for gss in ("E06000011", "E06000012", "E06000013", "E06000014")
    ]


def test_the_nearest_boundary_vintage_that_has_the_shape_earlier_on_a_tie():
    unitary = authority("UNI", "E06000001", "unitary")
    unmapped = authority("BLANK", "E06000002", "unitary")
    district = authority("DIS", "E07000001", "district")
    county = authority("CTY", "E10000001", "county")
    shapes = [
        shape(vintage, "upper", year, gss)
        for vintage, year in [("BUC2023", 2023), ("BUC2021", 2021), ("BUC2019", 2019)]
        for gss in ("E06000001", "E10000001")
    ]
    shapes += [
        shape("BDC2022", "lower", 2022, "E06000001"),
        shape("BDC2020", "lower", 2020, "E06000001"),
        shape("BDC2020", "lower", 2020, "E07000001"),
        # A district in a file of the upper tier, a county in one of the lower: not drawn there.
        shape("BUC2019", "upper", 2019, "E07000001"),
        shape("BDC2020", "lower", 2020, "E10000001"),
    ]
    planned = plan_years([unitary, unmapped, district, county], [], shapes, years(2020, 2022))
    assert [(p.gss_code, p.year, p.upper_vintage, p.lower_vintage) for p in planned] == [
        ("E06000001", "2020-21", "BUC2019", "BDC2020"),  # 2019 and 2021 as near: the earlier
        ("E06000002", "2020-21", None, None),
        ("E07000001", "2020-21", None, "BDC2020"),
        ("E10000001", "2020-21", "BUC2019", None),
        ("E06000001", "2022-23", "BUC2021", "BDC2022"),  # 2021 and 2023 as near: the earlier
        ("E06000002", "2022-23", None, None),
        ("E07000001", "2022-23", None, "BDC2020"),  # BDC2022 has no shape of it
        ("E10000001", "2022-23", "BUC2021", None),
    ]
    assert {(p.population, p.population_estimate, p.population_source) for p in planned} == {
        (None, None, "")
    }


def test_population_and_boundary_files_name_only_known_english_councils():
    known = [authority("UNI", "E06000001", "unitary")]
    good = [population("E06000001", 2020, 1, "upper", "pop.csv")]
    others = [
        population(code, 2020, 1, "upper", "pop.csv")
        for code in ("W06000001", "E12000001", "E0700000", "K04000001")  # not councils' codes
    ]
    shapes = [shape("BUC2021", "upper", 2021, "E06000001"), shape("BUC2021", "upper", 2021, "S1")]
    check_codes(known, good + others, shapes)  # raises nothing

    unknown = population("E07999999", 2020, 1, "lower", "lower.csv")
    with pytest.raises(ReferenceDataError) as raised:
        check_codes(known, [*good, unknown], shapes)
    assert (raised.value.path, raised.value.problem) == (
        "lower.csv",
        "GSS code E07999999 matches no authority in the register",
    )
    with pytest.raises(ReferenceDataError) as raised:
        check_codes(known, good, [*shapes, shape("BUC2021", "upper", 2021, "E10000009")])
    assert (raised.value.path, raised.value.problem) == (
        "BUC2021",
        "GSS code E10000009 matches no authority in the register",
    )
