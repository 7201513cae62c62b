"""The statistics core by exact value: derived counts, sums, each proportion, peer averages,
the nation's population and every result an authority's year carries. Pure: no database."""

from __future__ import annotations

from fractions import Fraction

import pytest

from councilperf.statistics.core import (
    AuthorityCounts,
    Comparison,
    Interval,
    PeerMethod,
    Proportion,
    compute_year,
    peer_average,
)
from councilperf.statistics.core.compute import authority_result, exact_rate, per_100k
from councilperf.statistics.core.counts import COUNT_FIELDS
from councilperf.statistics.core.intervals import byar_rate_interval, wilson_interval

# Powers of two: any count added twice, or left out, or subtracted shows in the sum.
SPREAD = AuthorityCounts(
    key="S",
    group="district",
    complaints_received=1,
    invalid_or_incomplete=2,
    advice_given=4,
    referred_back_for_local_resolution=8,
    closed_after_initial_enquiries=16,
    not_upheld=32,
    upheld=64,
    upheld_with_satisfactory_remedy=8,
    complied=128,
    complied_late=256,
    not_complied=512,
    service_improvements=3,
    public_reports=5,
    population=200_000,
)


def test_derived_counts() -> None:
    assert SPREAD.decisions_made == 2 + 4 + 8 + 16 + 32 + 64
    assert SPREAD.detailed_investigations == 96
    assert SPREAD.compliance_outcomes == 896
    assert SPREAD.complied_in_any_time == 384


def test_fraction_parts_of_each_proportion() -> None:
    assert SPREAD.fraction_parts(Proportion.UPHELD) == (64, 96)
    assert SPREAD.fraction_parts(Proportion.SATISFACTORY_REMEDY) == (8, 64)
    assert SPREAD.fraction_parts(Proportion.COMPLIANCE) == (384, 896)
    assert SPREAD.fraction_parts(Proportion.LATE_REMEDY) == (256, 896)


@pytest.mark.parametrize("name", COUNT_FIELDS)
def test_each_negative_count_is_refused_by_name(name: str) -> None:
    with pytest.raises(ValueError, match=rf"^{name} cannot be negative$"):
        AuthorityCounts(key="A", group="district", **{name: -1})


def test_counts_at_their_limits_are_accepted() -> None:
    at = AuthorityCounts(key="A", group="g", upheld=3, upheld_with_satisfactory_remedy=3)
    assert at.upheld_with_satisfactory_remedy == 3
    assert AuthorityCounts(key="A", group="g", population=0).population == 0
    with pytest.raises(
        ValueError, match=r"^more upheld decisions with a satisfactory remedy than upheld$"
    ):
        AuthorityCounts(key="A", group="g", upheld=3, upheld_with_satisfactory_remedy=4)
    with pytest.raises(ValueError, match=r"^population cannot be negative$"):
        AuthorityCounts(key="A", group="g", population=-1)


def test_plus_adds_every_count_and_the_populations() -> None:
    other = AuthorityCounts(key="O", group="county", upheld=1, not_complied=2, population=None)
    total = SPREAD.plus(other, key="T", group="all")
    assert (total.key, total.group, total.population) == ("T", "all", 200_000)
    assert total.upheld == 65 and total.not_complied == 514
    for name in COUNT_FIELDS:
        assert getattr(total, name) == getattr(SPREAD, name) + getattr(other, name)
    assert other.plus(other, key="T", group="all").population == 0  # unknown counts as 0
    assert SPREAD.plus(SPREAD, key="T", group="all").population == 400_000


def test_total_of_none_and_of_several() -> None:
    empty = AuthorityCounts.total([], key="E", group="g")
    assert empty == AuthorityCounts(key="E", group="g", population=0)
    two = AuthorityCounts.total([SPREAD, SPREAD], key="T", group="g")
    assert two.complaints_received == 2 and two.public_reports == 10
    assert two.population == 400_000 and (two.key, two.group) == ("T", "g")


def test_exact_rate_and_per_100k() -> None:
    assert exact_rate(1, 4) == Fraction(1, 4)
    assert exact_rate(0, 1) == 0
    assert exact_rate(1, 0) is None
    assert per_100k(3, 150_000) == 2
    assert per_100k(3, 1) == 300_000
    assert per_100k(3, 0) is None and per_100k(3, None) is None


def test_peer_average_every_rate_pooled() -> None:
    a = AuthorityCounts(
        key="A", group="g", upheld=3, not_upheld=1, upheld_with_satisfactory_remedy=1,
        complied=1, complied_late=1, not_complied=2, population=100_000,
    )  # fmt: skip
    b = AuthorityCounts(
        key="B", group="g", upheld=1, not_upheld=5, complied_late=1, population=None
    )
    found = peer_average([a, b], group="g", method=PeerMethod.POOLED)
    assert (found.group, found.method, found.authorities) == ("g", PeerMethod.POOLED, 2)
    assert found.upheld_rate == Fraction(4, 10)
    assert found.satisfactory_remedy_rate == Fraction(1, 4)
    assert found.compliance_rate == Fraction(3, 5)
    assert found.late_remedy_rate == Fraction(2, 5)
    assert [found.rate(p) for p in Proportion] == [
        Fraction(4, 10),
        Fraction(1, 4),
        Fraction(3, 5),
        Fraction(2, 5),
    ]
    # Only the member with a population counts towards the rate per 100,000: 3 in 100,000.
    assert found.population == 100_000
    assert found.upheld_per_100k == 3
    assert found.totals.upheld == 4 and (found.totals.key, found.totals.group) == ("g", "g")
    # Given the population (the nation's), every member's upheld decisions count.
    given = peer_average([a, b], group="g", method=PeerMethod.POOLED, population=200_000)
    assert given.population == 200_000 and given.upheld_per_100k == 2


def test_peer_average_every_rate_as_a_mean() -> None:
    a = AuthorityCounts(
        key="A", group="g", upheld=3, not_upheld=1, upheld_with_satisfactory_remedy=1,
        complied=1, complied_late=1, not_complied=2, population=100_000,
    )  # fmt: skip
    b = AuthorityCounts(key="B", group="g", upheld=1, not_upheld=1, complied_late=1)
    found = peer_average([a, b], group="g", method=PeerMethod.MEAN)
    assert found.upheld_rate == (Fraction(3, 4) + Fraction(1, 2)) / 2
    assert found.satisfactory_remedy_rate == (Fraction(1, 3) + 0) / 2
    assert found.compliance_rate == (Fraction(1, 2) + 1) / 2
    assert found.late_remedy_rate == (Fraction(1, 4) + 1) / 2
    assert found.upheld_per_100k == 3  # b has no population: left out of the mean
    nobody = peer_average([b], group="g", method=PeerMethod.MEAN)
    assert nobody.upheld_per_100k is None and nobody.population is None


def test_the_nations_population_counts_each_area_once() -> None:
    authorities = [
        AuthorityCounts(key="C", group="county", upheld=4, population=500_000),
        AuthorityCounts(key="U", group="unitary", upheld=2, population=None),
        AuthorityCounts(key="L", group="london", upheld=1, population=300_000),
        AuthorityCounts(key="D", group="district", upheld=3, population=100_000),
    ]
    year = compute_year(authorities)
    assert year.national.population == 800_000
    assert year.national.upheld_per_100k == Fraction(10 * 100_000, 800_000)
    assert year.national.group == "national"
    assert sorted(year.groups) == ["county", "district", "london", "unitary"]
    assert year.groups["unitary"].population is None
    assert [(key, g.group, g.totals.group) for key, g in year.groups.items()] == [
        ("county", "county", "county"),
        ("district", "district", "district"),
        ("london", "london", "london"),
        ("unitary", "unitary", "unitary"),
    ]


def test_an_authority_twice_in_a_year_is_refused_by_name() -> None:
    twice = [AuthorityCounts(key="A", group="g"), AuthorityCounts(key="A", group="h")]
    with pytest.raises(ValueError, match=r"^each authority appears once in a year$"):
        compute_year(twice)


def test_a_year_defaults_to_pooled_averages_and_a_threshold_of_five() -> None:
    low = AuthorityCounts(key="LOW", group="g", not_upheld=5)
    others = [AuthorityCounts(key=f"O{i}", group="g", upheld=45, not_upheld=5) for i in range(3)]
    year = compute_year([low, *others])
    assert (year.method, year.threshold) == (PeerMethod.POOLED, 5)
    assert year.groups["g"].upheld_rate == Fraction(135, 155)
    # 0 of 5: a denominator at the threshold is compared.
    assert year.authorities[0].upheld.comparison is Comparison.LOWER
    assert (
        compute_year([low, *others], method=PeerMethod.MEAN).groups["g"].upheld_rate
        == (Fraction(0) + 3 * Fraction(9, 10)) / 4
    )


def test_an_authority_result_carries_each_proportion_and_its_rate() -> None:
    peers = peer_average([SPREAD], group="district", method=PeerMethod.POOLED)
    result = authority_result(SPREAD, peers, threshold=5)
    assert result.counts is SPREAD
    late = result.late_remedy
    assert (late.numerator, late.denominator, late.value) == (256, 896, Fraction(2, 7))
    assert late.peer == Fraction(2, 7) and late.comparison is Comparison.SIMILAR
    assert late.interval == wilson_interval(256, 896, 0.95)
    assert [result.proportion(p).numerator for p in Proportion] == [64, 8, 384, 256]
    remedy = result.satisfactory_remedy
    assert (remedy.numerator, remedy.denominator, remedy.peer) == (8, 64, Fraction(1, 8))
    assert result.compliance.peer == Fraction(3, 7)
    assert result.upheld.peer == Fraction(2, 3)
    rate = result.upheld_per_100k
    assert (rate.count, rate.population, rate.value, rate.peer) == (64, 200_000, 32, 32)
    assert rate.interval == byar_rate_interval(64, 200_000)
    assert rate.comparison is Comparison.SIMILAR


def test_a_rate_is_compared_when_the_population_reaches_the_threshold() -> None:
    # One resident is a population of 1: below a threshold of 5, it is not compared.
    tiny = AuthorityCounts(key="T", group="g", upheld=0, population=4)
    peers = peer_average([tiny], group="g", method=PeerMethod.POOLED, population=4)
    assert peers.upheld_per_100k == 0
    assert authority_result(tiny, peers, 5).upheld_per_100k.comparison is Comparison.NOT_COMPARED
    at = AuthorityCounts(key="T", group="g", upheld=0, population=5)
    peers = peer_average([at], group="g", method=PeerMethod.POOLED, population=5)
    assert authority_result(at, peers, 5).upheld_per_100k.comparison is Comparison.SIMILAR


def test_interval_scaled_and_refused_when_reversed() -> None:
    assert Interval(1.0, 2.0).scaled(3.0) == Interval(3.0, 6.0)
    with pytest.raises(ValueError, match=r"^interval lower bound 2\.0 above upper 1\.0$"):
        Interval(2.0, 1.0)
    assert Interval(1.0, 1.0).contains(1.0)
