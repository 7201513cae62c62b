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
