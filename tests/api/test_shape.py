"""``api.shape``: the API's figures as plain data, field by field, from typed figures made here
(no database): fractions as text, the interval only when both ends are known, the peer average,
the small-number flag and the group averages by metric."""

from __future__ import annotations

from fractions import Fraction

import pytest

from councilperf.api.shape import (
    authority_figures,
    decimal,
    fraction_text,
    group_figures,
    link_header,
    measure,
    page_links,
)
from councilperf.statistics.figures import AuthorityFigures, GroupFigures, Measure
from councilperf.statistics.measures import METRIC, METRICS
from councilperf.years import ReportingYear

YEAR = ReportingYear.parse("2023-24")
UPHELD = METRIC["upheld_rate"]
PER_100K = METRIC["upheld_per_100k"]


def upheld(**changes: object) -> Measure:
    fields: dict[str, object] = {
        "metric": UPHELD,
        "numerator": 9,
        "denominator": 18,
        "peer": Fraction(2, 3),
        "lower": 0.29,
        "upper": 0.71,
        "comparison": "similar",
    }
    fields.update(changes)
    return Measure(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "text"),
    [(Fraction(9, 18), "1/2"), (Fraction(3), "3"), (Fraction(0), "0"), (Fraction(7, 3), "7/3")],
)
def test_a_fraction_is_written_reduced_and_a_whole_number_without_a_denominator(value, text):
    assert fraction_text(value) == text


def test_no_value_is_none_as_text_and_as_a_decimal():
    assert fraction_text(None) is None and decimal(None) is None
    assert decimal(Fraction(1, 4)) == 0.25


def test_a_measure_with_both_ends_of_its_interval():
    found = measure(upheld())
    assert found["interval"] == {"lower": 0.29, "upper": 0.71, "level": 0.95}
    assert (found["rate_fraction"], found["rate"]) == ("1/2", 0.5)
    assert (found["peer_average_fraction"], found["peer_average"]) == ("2/3", 2 / 3)
    assert (found["numerator"], found["denominator"]) == (9, 18)
    assert found["kind"] == "percent" and found["code"] == "upheld_rate"
    assert found["comparison"] == "similar" and found["small_number"] is False


@pytest.mark.parametrize(("lower", "upper"), [(None, 0.71), (0.29, None), (None, None)])
def test_no_interval_unless_both_ends_are_known(lower, upper):
    assert measure(upheld(lower=lower, upper=upper))["interval"] is None


def test_a_measure_not_compared_is_flagged_as_a_small_number():
    found = measure(upheld(comparison="not_compared"))
    assert found["small_number"] is True and found["comparison"] == "not_compared"
    assert measure(upheld(comparison=None))["small_number"] is False


def test_a_rate_per_residents_and_a_measure_without_a_denominator():
    per = measure(Measure(metric=PER_100K, numerator=3, denominator=200_000, peer=Fraction(5, 2)))
    assert per["kind"] == "per_100k"
    assert (per["rate_fraction"], per["rate"]) == ("3/2", 1.5)
    assert (per["peer_average_fraction"], per["peer_average"]) == ("5/2", 2.5)
    empty = measure(Measure(metric=PER_100K, numerator=3, denominator=None, peer=None))
    assert (empty["rate"], empty["rate_fraction"], empty["peer_average"]) == (None, None, None)


def test_an_authoritys_figures_link_each_measure_to_its_place_on_the_page():
    found = AuthorityFigures(
        year=YEAR,
        revision=2,
        peer_method="pooled",
        code="E07000001",
        name="Testshire District Council",
        group="district",
        synthetic=True,
        population=200_000,
        counts={"decided": 18},
        measures={m.code: upheld(metric=m) for m in METRICS},
    )
    shaped = authority_figures(found, slug="testshire")
    assert shaped["page"] == "/councils/testshire/2023-24/"
    assert [m["code"] for m in shaped["measures"]] == [m.code for m in METRICS]
    assert shaped["measures"][0]["page"] == "/councils/testshire/2023-24/#upheld_rate"
    assert shaped["measures"][0]["interval"]["level"] == 0.95
    assert (shaped["year"], shaped["revision"], shaped["synthetic"]) == ("2023-24", 2, True)


def test_a_groups_averages_follow_the_metrics_with_none_for_a_missing_one():
    averages = {"upheld_rate": Fraction(3, 4), "compliance_rate": Fraction(1)}
    found = GroupFigures(
        year=YEAR,
        revision=1,
        group="district",
        authorities=3,
        synthetic=False,
        population=None,
        counts={"decided": 12},
        averages=averages,
    )
    shaped = {a["code"]: a for a in group_figures(found)["averages"]}
    assert list(shaped) == [m.code for m in METRICS]
    assert (shaped["upheld_rate"]["average_fraction"], shaped["upheld_rate"]["average"]) == (
        "3/4",
        0.75,
    )
    assert shaped["compliance_rate"]["average_fraction"] == "1"
    assert shaped["compliance_rate"]["average"] == 1.0
    assert shaped["late_remedy_rate"] == {
        "code": "late_remedy_rate",
        "label": METRIC["late_remedy_rate"].label,
        "average_fraction": None,
        "average": None,
    }


def test_page_links_name_the_pages_around_this_one_in_order():
    links = page_links(count=25, page=2, per_page=10, path="/api/v1/x", query="a=1")
    assert list(links.items()) == [
        ("first", "/api/v1/x?a=1&page=1&per_page=10"),
        ("prev", "/api/v1/x?a=1&page=1&per_page=10"),
        ("next", "/api/v1/x?a=1&page=3&per_page=10"),
        ("last", "/api/v1/x?a=1&page=3&per_page=10"),
    ]
    assert link_header(links) == (
        '</api/v1/x?a=1&page=1&per_page=10>; rel="first", '
        '</api/v1/x?a=1&page=1&per_page=10>; rel="prev", '
        '</api/v1/x?a=1&page=3&per_page=10>; rel="next", '
        '</api/v1/x?a=1&page=3&per_page=10>; rel="last"'
    )


def test_page_links_at_either_end_and_with_the_sites_address():
    assert page_links(count=0, page=1, per_page=10, path="/p", query="") == {
        "first": "/p?page=1&per_page=10",
        "last": "/p?page=1&per_page=10",
    }
    assert page_links(
        count=30, page=3, per_page=10, path="/p", query="", base="https://example.test"
    ) == {
        "first": "https://example.test/p?page=1&per_page=10",
        "prev": "https://example.test/p?page=2&per_page=10",
        "last": "https://example.test/p?page=3&per_page=10",
    }
    assert link_header({}) == ""
