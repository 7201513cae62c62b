"""Planning authorities from register rows: last days, slugs, years (pure: no database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from councilperf.authorities.reference.files import RegisterRow
from councilperf.authorities.reference.plan import (
    PlannedAuthority,
    plan_authorities,
    slugify,
)
from councilperf.years import ReportingYear


def row(code: str, **fields: Any) -> RegisterRow:
    values: dict[str, Any] = {
        "register_code": code,
        "official_name": f"{code} District Council",
        "short_name": code,
        "gss_code": f"E07{code}",
        "start_date": None,
        "end_date": None,
        "replaced_by": (),
        "nation": "England",
        "region": "South West",
        "register_type": "NMD",
        "county_code": "BRS",
        "slug": "",
    }
    values.update(fields)
    return RegisterRow(**values)


def planned(*rows: RegisterRow, **options: Any) -> dict[str, Any]:
    return {a.register_code: a for a in plan_authorities(rows, **options)}


def test_an_end_date_on_the_successors_first_day_becomes_the_day_before():
    found = planned(
        row("OLD", end_date=dt.date(2020, 3, 15), replaced_by=("NEW",)),
        row("NEW", start_date=dt.date(2020, 3, 15), register_type="UA", region=""),
        row("APR", end_date=dt.date(2021, 4, 1)),  # written as the next year's first day
        row("LAST", end_date=dt.date(2021, 3, 31)),  # written as the last day
    )
    assert found["OLD"].end_date == dt.date(2020, 3, 14)
    assert found["APR"].end_date == dt.date(2021, 3, 31)
    assert found["LAST"].end_date == dt.date(2021, 3, 31)
    assert found["NEW"].region == ""  # no predecessor lends it one
    assert (found["NEW"].group, found["NEW"].county_code) == ("unitary", "")
    assert (found["OLD"].group, found["OLD"].county_code) == ("district", "BRS")


def test_only_english_councils_that_existed_on_or_after_the_first_day():
    first = dt.date(2018, 6, 1)
    found = planned(
        row("GONE", end_date=dt.date(2018, 5, 31)),  # its last day is the day before
        row("KEPT", end_date=first),  # its last day is the first day
        row("WALES", nation="Wales"),
        row("PARISH", register_type="PAR"),
        first_day=first,
    )
    assert sorted(found) == ["KEPT"]


def test_a_successor_lends_its_region_to_a_council_without_one():
    found = planned(
        row("OLD", region="", end_date=dt.date(2019, 3, 31), replaced_by=("NEW",)),
        row("NEW", start_date=dt.date(2019, 4, 1), region="North East"),
    )
    assert found["OLD"].region == "North East"


def test_slugs_are_unique():
    found = planned(
        row("NYK", short_name="North Yorkshire", official_name="North Yorkshire County Council"),
        row("NYC", short_name="North Yorkshire", official_name="North Yorkshire Council"),
        row("NZZ", short_name="North Yorkshire", official_name="North Yorkshire County Council"),
        row("BLANK", short_name="", official_name="Ōld Dale Borough Council"),
    )
    # In register-code order: the first takes the short name, the next the official name,
    # the third the official name with its code.
    assert [found[c].slug for c in ("NYC", "NYK", "NZZ", "BLANK")] == [
        "north-yorkshire",
        "north-yorkshire-county-council",
        "north-yorkshire-county-council-nzz",
        "old-dale-borough-council",
    ]
    assert slugify("  St. Helens & Knowsley ") == "st-helens-knowsley"


@pytest.mark.parametrize(
    ("start", "end", "existed"),
    [
        (dt.date(2020, 3, 31), None, True),  # began on the year's last day
        (dt.date(2020, 4, 1), None, False),  # began the day after
        (None, dt.date(2019, 4, 2), True),  # ended on the year's second day
        (None, dt.date(2019, 4, 1), False),  # "ended 1 April": its last day was 31 March
        (None, dt.date(2019, 3, 31), False),  # ended the day before the year
        (None, None, True),
    ],
)
def test_existed_in_a_year(start, end, existed):
    authority = plan_authorities([row("X", start_date=start, end_date=end)], first_day=dt.date.min)
    assert authority[0].existed_in(ReportingYear(2019)) is existed


def test_existed_in_on_the_years_first_day_as_its_last():
    ended = dt.date(2019, 4, 1)  # built directly: the register's "1 April" is shifted above
    authority = plan_authorities([row("X")], first_day=dt.date.min)[0]
    on_first_day = PlannedAuthority(**{**vars(authority), "end_date": ended})
    assert on_first_day.existed_in(ReportingYear(2019))
    assert not on_first_day.existed_in(ReportingYear(2020))


def test_a_planned_authority_keeps_the_registers_fields():
    found = planned(
        row("OLD", end_date=dt.date(2020, 3, 31), replaced_by=("NEW", "WAL"), region="Wessex"),
        row("NEW", start_date=dt.date(2020, 4, 1), register_type="UA", official_name="New"),
    )
    assert found["OLD"] == PlannedAuthority(
        gss_code="E07OLD",
        register_code="OLD",
        official_name="OLD District Council",
        short_name="OLD",
        slug="old",
        register_type="NMD",
        group="district",
        region="Wessex",
        start_date=None,
        end_date=dt.date(2020, 3, 31),
        county_code="BRS",
        successor_codes=("NEW", "WAL"),
    )
    assert (found["NEW"].register_type, found["NEW"].start_date) == ("UA", dt.date(2020, 4, 1))


def test_authorities_come_in_gss_code_order():
    rows = [row("AAA", gss_code="E07000009"), row("BBB", gss_code="E07000001")]
    assert [a.register_code for a in plan_authorities(rows)] == ["BBB", "AAA"]


def test_the_earliest_start_takes_a_shared_name_first():
    found = planned(
        row("AAA", short_name="Same", official_name="Same New", start_date=dt.date(2020, 4, 1)),
        row("ZZZ", short_name="Same", official_name="Same Old"),  # no start date: earliest
    )
    assert (found["ZZZ"].slug, found["AAA"].slug) == ("same", "same-new")


def test_the_first_successor_with_a_region_lends_it():
    found = planned(
        row("OLD", region="", end_date=dt.date(2019, 3, 31), replaced_by=("WAL", "MID", "NEW")),
        row("WAL", nation="Wales", region="Wales"),  # not an English council: not planned
        row("MID", region="", start_date=dt.date(2019, 4, 1)),
        row("NEW", region="North East", start_date=dt.date(2019, 4, 1)),
    )
    assert found["OLD"].region == "North East"


def test_the_first_day_is_1_april_2018_unless_given():
    found = planned(
        row("END", end_date=dt.date(2018, 3, 31)),
        row("APR", end_date=dt.date(2018, 4, 1)),  # written as the next year's first day
        row("ONE", end_date=dt.date(2018, 4, 2), replaced_by=("NXT",)),  # ends 1 April
        row("NXT", start_date=dt.date(2018, 4, 2)),
        row("TWO", end_date=dt.date(2018, 4, 2)),
    )
    assert sorted(found) == ["NXT", "ONE", "TWO"]
    assert found["ONE"].end_date == dt.date(2018, 4, 1)
