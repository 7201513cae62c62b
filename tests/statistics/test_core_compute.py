"""Rates, peer averages, national totals and comparison labels, from counts alone."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from councilperf.statistics.core import (
    AuthorityCounts,
    Comparison,
    Interval,
    PeerMethod,
    Proportion,
    compare,
    compute_year,
    peer_average,
)
from councilperf.statistics.core.rounding import whole_percent_of


def district(key: str, **counts: int | None) -> AuthorityCounts:
    return AuthorityCounts(key=key, group="district", **counts)  # type: ignore[arg-type]


def test_reference_letter_north_east_derbyshire() -> None:
    # 2 detailed investigations, none upheld, no compliance outcomes; peers average 45 %.
    ned = district("NED", not_upheld=2, population=101_000)
    peers = [district(f"D{i}", upheld=9, not_upheld=11, population=100_000) for i in range(9)]
    peers.append(district("D9", upheld=8, not_upheld=10, population=100_000))
    year = compute_year([ned, *peers])
    result = year.authorities[0]
    assert result.upheld.value == 0
    assert result.upheld.denominator == 2
    assert year.groups["district"].upheld_rate == Fraction(89, 200)  # 44.5 % → "45%"
    assert whole_percent_of(year.groups["district"].upheld_rate) == 45
    # Denominator 2 < 5: never compared.
    assert result.upheld.comparison is Comparison.NOT_COMPARED
    assert result.compliance.denominator == 0
    assert result.compliance.value is None and result.compliance.interval is None
    assert result.satisfactory_remedy.value is None  # no upheld decisions


def test_no_investigations() -> None:
    year = compute_year([district("A", advice_given=3, complaints_received=4)])
    result = year.authorities[0]
    assert result.counts.decisions_made == 3
    assert result.upheld.value is None
    assert result.upheld.interval is None
    assert result.upheld.comparison is Comparison.NOT_COMPARED
    assert year.groups["district"].upheld_rate is None


def test_none_upheld() -> None:
    result = compute_year([district("A", not_upheld=10)]).authorities[0]
    assert result.upheld.value == 0
    assert result.upheld.interval is not None and result.upheld.interval.lower == 0
    assert result.satisfactory_remedy.denominator == 0
    assert result.satisfactory_remedy.value is None


def test_all_complied() -> None:
    result = compute_year([district("A", complied=6)]).authorities[0]
    assert result.compliance.value == 1
    assert result.compliance.interval is not None and result.compliance.interval.upper == 1


def test_late_and_not_complied() -> None:
    result = compute_year([district("A", complied=2, complied_late=1, not_complied=1)]).authorities[
        0
    ]
    # Compliance counts late compliance: (2 + 1) / 4.
    assert result.compliance.value == Fraction(3, 4)
    assert result.compliance.numerator == 3 and result.compliance.denominator == 4


def test_satisfactory_remedy_rate_is_of_upheld() -> None:
    result = compute_year(
        [district("A", upheld=8, not_upheld=12, upheld_with_satisfactory_remedy=2)]
    ).authorities[0]
    assert result.upheld.value == Fraction(8, 20)
    assert result.satisfactory_remedy.value == Fraction(2, 8)


def test_per_100k_and_byar() -> None:
    result = compute_year([district("A", upheld=25, population=250_000)]).authorities[0]
    assert result.upheld_per_100k.value == 10
    assert result.upheld_per_100k.interval is not None
    assert result.upheld_per_100k.interval.contains(10)
    no_population = compute_year([district("B", upheld=3)]).authorities[0]
    assert no_population.upheld_per_100k.value is None
    assert no_population.upheld_per_100k.comparison is Comparison.NOT_COMPARED


def test_pooled_and_mean_peer_averages_differ() -> None:
    a = district("A", upheld=1, not_upheld=1, population=100_000)  # 50 %
    b = district("B", upheld=9, not_upheld=1, population=300_000)  # 90 %
    c = district("C", advice_given=5, population=100_000)  # no investigations: left out
    pooled = peer_average([a, b, c], group="district", method=PeerMethod.POOLED)
    mean = peer_average([a, b, c], group="district", method=PeerMethod.MEAN)
    assert pooled.upheld_rate == Fraction(10, 12)
    assert mean.upheld_rate == Fraction(7, 10)  # (1/2 + 9/10) / 2
    assert pooled.upheld_per_100k == Fraction(10 * 100_000, 500_000)
    assert mean.upheld_per_100k == (Fraction(1) + Fraction(3) + Fraction(0)) / 3
    assert pooled.authorities == mean.authorities == 3
    assert pooled.totals.upheld == 10


def test_groups_compared_separately_and_national_totals() -> None:
    county = AuthorityCounts(key="C", group="county", upheld=10, not_upheld=10, population=800_000)
    d1 = district("D1", upheld=1, not_upheld=9, population=100_000, complaints_received=12)
    d2 = district("D2", upheld=3, not_upheld=7, population=100_000, complaints_received=20)
    year = compute_year([county, d1, d2])
    assert year.groups["county"].upheld_rate == Fraction(1, 2)
    assert year.groups["district"].upheld_rate == Fraction(4, 20)
    assert year.national.totals.upheld == 14
    assert year.national.totals.complaints_received == 32
    assert year.national.upheld_rate == Fraction(14, 40)
    # Districts lie inside the county: the nation's population counts the county only.
    assert year.national.upheld_per_100k == Fraction(14 * 100_000, 800_000)
    assert year.national.authorities == 3
    assert year.national.population == 800_000
    assert year.groups["district"].population == 200_000


def test_comparison_labels() -> None:
    assert compare(Interval(0.1, 0.3), Fraction(1, 2), 20, 5) is Comparison.LOWER
    assert compare(Interval(0.6, 0.8), Fraction(1, 2), 20, 5) is Comparison.HIGHER
    assert compare(Interval(0.4, 0.6), Fraction(1, 2), 20, 5) is Comparison.SIMILAR
    assert compare(Interval(0.5, 0.6), Fraction(1, 2), 20, 5) is Comparison.SIMILAR  # touching
    assert compare(Interval(0.1, 0.3), Fraction(1, 2), 4, 5) is Comparison.NOT_COMPARED
    assert compare(Interval(0.1, 0.3), Fraction(1, 2), 5, 5) is Comparison.LOWER
    assert compare(None, Fraction(1, 2), 20, 5) is Comparison.NOT_COMPARED
    assert compare(Interval(0.1, 0.3), None, 20, 5) is Comparison.NOT_COMPARED


def test_a_clear_outlier_is_labelled() -> None:
    low = district("LOW", upheld=2, not_upheld=48)
    others = [district(f"O{i}", upheld=30, not_upheld=20) for i in range(5)]
    year = compute_year([low, *others])
    assert year.authorities[0].upheld.comparison is Comparison.LOWER


def test_threshold_is_a_parameter() -> None:
    low = district("LOW", upheld=0, not_upheld=8)
    others = [district(f"O{i}", upheld=40, not_upheld=10) for i in range(5)]
    assert compute_year([low, *others]).authorities[0].upheld.comparison is Comparison.LOWER
    year = compute_year([low, *others], threshold=10)
    assert year.authorities[0].upheld.comparison is Comparison.NOT_COMPARED


def test_invalid_counts_rejected() -> None:
    with pytest.raises(ValueError):
        district("A", upheld=1, upheld_with_satisfactory_remedy=2)
    with pytest.raises(ValueError):
        district("A", upheld=-1)
    with pytest.raises(ValueError):
        compute_year([district("A"), district("A")])


# --- properties -----------------------------------------------------------------------------

small = st.integers(min_value=0, max_value=60)


@st.composite
def authority_counts(draw: st.DrawFn, key: str) -> AuthorityCounts:
    upheld = draw(small)
    return AuthorityCounts(
        key=key,
        group=draw(st.sampled_from(["district", "county", "unitary"])),
        complaints_received=draw(small),
        advice_given=draw(small),
        not_upheld=draw(small),
        upheld=upheld,
        upheld_with_satisfactory_remedy=draw(st.integers(min_value=0, max_value=upheld)),
        complied=draw(small),
        complied_late=draw(small),
        not_complied=draw(small),
        population=draw(st.none() | st.integers(min_value=1, max_value=2_000_000)),
    )


@st.composite
def years(draw: st.DrawFn) -> list[AuthorityCounts]:
    size = draw(st.integers(min_value=1, max_value=12))
    return [draw(authority_counts(f"A{i}")) for i in range(size)]


@given(years(), st.sampled_from(list(PeerMethod)))
def test_rates_in_unit_interval_and_intervals_contain_estimates(
    authorities: list[AuthorityCounts], method: PeerMethod
) -> None:
    year = compute_year(authorities, method=method)
    for result in year.authorities:
        for proportion in Proportion:
            item = result.proportion(proportion)
            if item.denominator == 0:
                assert item.value is None and item.interval is None
                assert item.comparison is Comparison.NOT_COMPARED
                continue
            assert item.value is not None and 0 <= item.value <= 1
            assert item.interval is not None
            assert 0 <= item.interval.lower <= float(item.value) <= item.interval.upper <= 1
            if item.denominator < year.threshold:
                assert item.comparison is Comparison.NOT_COMPARED
        rate = result.upheld_per_100k
        if rate.value is not None:
            assert rate.interval is not None and rate.interval.contains(float(rate.value))
    for average in [*year.groups.values(), year.national]:
        for proportion in Proportion:
            value = average.rate(proportion)
            assert value is None or 0 <= value <= 1


@given(years())
def test_pooled_average_is_ratio_of_sums(authorities: list[AuthorityCounts]) -> None:
    year = compute_year(authorities, method=PeerMethod.POOLED)
    for group, average in year.groups.items():
        members = [a for a in authorities if a.group == group]
        for proportion in Proportion:
            numerator = sum(m.fraction_parts(proportion)[0] for m in members)
            denominator = sum(m.fraction_parts(proportion)[1] for m in members)
            expected = Fraction(numerator, denominator) if denominator else None
            assert average.rate(proportion) == expected


@given(years())
def test_mean_average_lies_between_member_rates(authorities: list[AuthorityCounts]) -> None:
    year = compute_year(authorities, method=PeerMethod.MEAN)
    for group, average in year.groups.items():
        members = [a for a in authorities if a.group == group]
        for proportion in Proportion:
            rates = [
                Fraction(n, d) for n, d in (m.fraction_parts(proportion) for m in members) if d
            ]
            value = average.rate(proportion)
            if not rates:
                assert value is None
            else:
                assert value is not None and min(rates) <= value <= max(rates)


@given(years())
def test_national_totals_are_sums(authorities: list[AuthorityCounts]) -> None:
    year = compute_year(authorities)
    national = year.national.totals
    assert national.upheld == sum(a.upheld for a in authorities)
    assert national.decisions_made == sum(a.decisions_made for a in authorities)
    assert national.compliance_outcomes == sum(a.compliance_outcomes for a in authorities)
    assert sum(g.authorities for g in year.groups.values()) == len(authorities)


def test_the_comparison_rule_on_both_sides_of_each_boundary() -> None:
    """An interval touching the average at either end is similar; just clear of it, not."""
    half = Fraction(1, 2)
    assert compare(Interval(0.4, 0.5), half, 20, 5) is Comparison.SIMILAR  # upper = average
    assert compare(Interval(0.4, 0.4999), half, 20, 5) is Comparison.LOWER
    assert compare(Interval(0.5, 0.6), half, 20, 5) is Comparison.SIMILAR  # lower = average
    assert compare(Interval(0.5001, 0.6), half, 20, 5) is Comparison.HIGHER
    assert compare(Interval(0.6, 0.8), half, 5, 5) is Comparison.HIGHER  # denominator = threshold
    assert compare(Interval(0.6, 0.8), half, 4, 5) is Comparison.NOT_COMPARED
    assert compare(Interval(0.6, 0.8), None, 20, 5) is Comparison.NOT_COMPARED
    assert compare(Interval(0.6, 0.8), half, None, 5) is Comparison.NOT_COMPARED
