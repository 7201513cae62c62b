import datetime as dt

import pytest

from councilperf.years import ReportingYear


def test_label_and_dates():
    year = ReportingYear.parse("2019-20")
    assert year.label == "2019-20"
    assert year.start == dt.date(2019, 4, 1)
    assert year.end == dt.date(2020, 3, 31)
    assert year.previous.label == "2018-19"
    assert ReportingYear.parse("1999-00").end == dt.date(2000, 3, 31)


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2020, 3, 31), "2019-20"),
        (dt.date(2020, 4, 1), "2020-21"),
        (dt.date(2019, 4, 1), "2019-20"),
    ],
)
def test_containing(day, label):
    assert ReportingYear.containing(day).label == label


@pytest.mark.parametrize("bad", ["2019", "2019-21", "19-20", "2019/20", ""])
def test_parse_rejects(bad):
    with pytest.raises(ValueError, match="reporting year"):
        ReportingYear.parse(bad)


def test_span():
    assert [y.label for y in ReportingYear.span("2018-19:2020-21")] == [
        "2018-19",
        "2019-20",
        "2020-21",
    ]
    with pytest.raises(ValueError):
        ReportingYear.span("2020-21:2018-19")


def test_span_of_one_year_and_of_the_same_year_twice():
    assert ReportingYear.span("2019-20") == [ReportingYear(2019)]
    assert ReportingYear.span("2019-20:2019-20") == [ReportingYear(2019)]
    with pytest.raises(ValueError, match="'2020-21:2019-20': the last year comes before the first"):
        ReportingYear.span("2020-21:2019-20")


def test_span_names_the_part_it_cannot_read():
    with pytest.raises(ValueError, match="'2019-20:2020-21' is not a reporting year"):
        ReportingYear.span("2018-19:2019-20:2020-21")


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (dt.date(2019, 3, 31), False),  # the day before the first day
        (dt.date(2019, 4, 1), True),  # the first day
        (dt.date(2020, 3, 31), True),  # the last day
        (dt.date(2020, 4, 1), False),  # the next year's first day
    ],
)
def test_contains_its_first_and_last_day_only(day, inside):
    assert ReportingYear(2019).contains(day) is inside


def test_days_run_from_1_april_to_31_march_one_by_one():
    days = list(ReportingYear(2019).days())
    assert (days[0], days[-1], len(days)) == (dt.date(2019, 4, 1), dt.date(2020, 3, 31), 366)
    assert len(set(days)) == 366
    assert len(list(ReportingYear(2020).days())) == 365


def test_next_end_year_and_str():
    year = ReportingYear(2019)
    assert year.next == ReportingYear(2020)
    assert year.previous == ReportingYear(2018)
    assert year.end_year == 2020
    assert str(year) == "2019-20"
    assert str(ReportingYear(2009)) == "2009-10"  # the second part keeps its leading zero
    assert ReportingYear.parse(" 2019-20 ") == year  # spaces around the label are ignored


def test_parse_names_what_is_wrong_exactly():
    with pytest.raises(
        ValueError, match=r"^'2019' is not a reporting year: write it like 2019-20$"
    ):
        ReportingYear.parse("2019")
    with pytest.raises(
        ValueError, match=r"^'2019-21' is not a reporting year: 2019-20 follows 2019 with 20$"
    ):
        ReportingYear.parse("2019-21")
    assert ReportingYear.parse("2099-00") == ReportingYear(2099)


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2019, 3, 31), "2018-19"),  # 31 March: the year that ends that day
        (dt.date(2019, 4, 1), "2019-20"),  # 1 April: the year that starts that day
        (dt.date(2019, 12, 31), "2019-20"),
        (dt.date(2020, 1, 1), "2019-20"),
    ],
)
def test_containing_on_31_march_and_1_april(day, label):
    found = ReportingYear.containing(day)
    assert found.label == label
    assert found.contains(day)
    assert not found.next.contains(day) and not found.previous.contains(day)
