"""The one year converter: every address that names a year gives its view a ``ReportingYear``,
and every link to such an address is made from a ``ReportingYear`` (or its label)."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve, reverse

from councilperf.converters import YearConverter
from councilperf.years import ReportingYear

YEAR_ADDRESSES = (
    "/councils/north-borsetshire/2019-20/",
    "/councils/north-borsetshire/2019-20/letter.pdf",
    "/map-data/2019-20/figures.json",
    "/compare/2019-20/district/",
    "/review/2019-20/",
    "/review/2019-20/revisions/1/",
    "/downloads/2019-20/statistics.csv",
    "/downloads/2019-20/decisions.csv",
    "/embed/councils/north-borsetshire/2019-20/",
    "/staff/2019-20/",
    "/staff/2019-20/send/",
    "/staff/letters/2019-20/",
    "/staff/letters/2019-20/E07000223/",
)


def test_the_converter_parses_the_label_into_a_reporting_year() -> None:
    converter = YearConverter()
    assert converter.to_python("2019-20") == ReportingYear(2019)
    with pytest.raises(ValueError, match="not a reporting year"):
        converter.to_python("2019-21")  # matches the pattern: the address is not found


def test_links_are_made_from_a_reporting_year_or_its_label() -> None:
    converter = YearConverter()
    assert converter.to_url(ReportingYear(2019)) == "2019-20"
    assert converter.to_url("2019-20") == "2019-20"
    assert reverse("site:review", args=[ReportingYear(2019)]) == "/review/2019-20/"
    assert reverse("distribution:year", args=[ReportingYear(2024)]) == "/staff/2024-25/"


@pytest.mark.parametrize("address", YEAR_ADDRESSES)
def test_every_view_that_takes_a_year_receives_a_reporting_year(address: str) -> None:
    year = resolve(address).kwargs["year"]
    assert type(year) is ReportingYear and year == ReportingYear(2019)


@pytest.mark.parametrize("address", [a.replace("2019-20", "2019-21") for a in YEAR_ADDRESSES])
def test_an_address_with_no_reporting_year_resolves_to_nothing(address: str) -> None:
    with pytest.raises(Resolver404):
        resolve(address)
