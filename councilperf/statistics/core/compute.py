"""Rates, similar-authority averages, national totals and comparison labels for a year."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from councilperf.groups import NON_OVERLAPPING
from councilperf.statistics.core.counts import AuthorityCounts, Proportion
from councilperf.statistics.core.intervals import (
    Interval,
    byar_rate_interval,
    wilson_interval,
)

PER = 100_000
CONFIDENCE = 0.95

# Groups that together cover England once (districts lie inside counties): the national
# population is the sum of their populations.
NON_OVERLAPPING_GROUPS = NON_OVERLAPPING

NATIONAL = "national"


class PeerMethod(StrEnum):
    POOLED = "pooled"  # sum of numerators over sum of denominators
    MEAN = "mean"  # mean of authority rates, zero denominators left out


class Comparison(StrEnum):
    LOWER = "lower"
    SIMILAR = "similar"
    HIGHER = "higher"
    NOT_COMPARED = "not_compared"


def exact_rate(numerator: int, denominator: int) -> Fraction | None:
    if denominator == 0:
        return None
    return Fraction(numerator, denominator)


def per_100k(count: int, population: int | None) -> Fraction | None:
    if not population:
        return None
    return Fraction(count * PER, population)


def compare(
    interval: Interval | None,
    peer: Fraction | float | None,
    denominator: int | None,
    threshold: int,
) -> Comparison:
    """``lower``/``higher`` when the interval lies entirely below/above the peer average,
    ``similar`` when it contains it; ``not_compared`` when the denominator is below
    ``threshold`` or there is no interval or no peer average."""
    if interval is None or peer is None or denominator is None or denominator < threshold:
        return Comparison.NOT_COMPARED
    target = float(peer)
    if interval.upper < target:
        return Comparison.LOWER
    if interval.lower > target:
        return Comparison.HIGHER
    return Comparison.SIMILAR


@dataclass(frozen=True, slots=True)
class ProportionResult:
    """One key statistic of one authority, with its uncertainty and its peer comparison."""

    numerator: int
    denominator: int
    value: Fraction | None
    interval: Interval | None  # Wilson, 95 %
    peer: Fraction | None
    comparison: Comparison


@dataclass(frozen=True, slots=True)
class RateResult:
    """Upheld decisions per 100,000 residents, with Byar's 95 % interval."""

    count: int
    population: int | None
    value: Fraction | None
    interval: Interval | None
    peer: Fraction | None
    comparison: Comparison


@dataclass(frozen=True, slots=True)
class PeerAverage:
    """A comparison group's (or the nation's) totals and average rates for one year."""

    group: str
    method: PeerMethod
    authorities: int
    totals: AuthorityCounts
    population: int | None  # the population behind the per-100,000 average
    upheld_rate: Fraction | None
    satisfactory_remedy_rate: Fraction | None
    compliance_rate: Fraction | None
    upheld_per_100k: Fraction | None
    late_remedy_rate: Fraction | None = None

    def rate(self, proportion: Proportion) -> Fraction | None:
        return {
            Proportion.UPHELD: self.upheld_rate,
            Proportion.SATISFACTORY_REMEDY: self.satisfactory_remedy_rate,
            Proportion.COMPLIANCE: self.compliance_rate,
            Proportion.LATE_REMEDY: self.late_remedy_rate,
        }[proportion]


@dataclass(frozen=True, slots=True)
class AuthorityResult:
    counts: AuthorityCounts
    upheld: ProportionResult
    satisfactory_remedy: ProportionResult
    compliance: ProportionResult
    upheld_per_100k: RateResult
    late_remedy: ProportionResult

    def proportion(self, proportion: Proportion) -> ProportionResult:
        return {
            Proportion.UPHELD: self.upheld,
            Proportion.SATISFACTORY_REMEDY: self.satisfactory_remedy,
            Proportion.COMPLIANCE: self.compliance,
            Proportion.LATE_REMEDY: self.late_remedy,
        }[proportion]


@dataclass(frozen=True, slots=True)
class YearResult:
    method: PeerMethod
    threshold: int
    authorities: tuple[AuthorityResult, ...]
    groups: dict[str, PeerAverage]
    national: PeerAverage


def _mean(values: Iterable[Fraction | None]) -> Fraction | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present, Fraction(0)) / len(present)


def peer_average(
    members: Sequence[AuthorityCounts],
    *,
    group: str,
    method: PeerMethod,
    population: int | None = None,
) -> PeerAverage:
    """Totals and average rates of ``members``.

    Pooled: sum of numerators over sum of denominators. Mean: mean of the members' rates,
    leaving out members whose denominator is 0 (or whose population is unknown). The pooled
    rate per 100,000 uses ``population`` when given (the nation's, without double counting
    two tiers), else the members' summed known populations, counting only members with one.
    """
    totals = AuthorityCounts.total(list(members), key=group, group=group)
    rates: dict[Proportion, Fraction | None] = {}
    for proportion in Proportion:
        if method is PeerMethod.POOLED:
            rates[proportion] = exact_rate(*totals.fraction_parts(proportion))
        else:
            rates[proportion] = _mean(exact_rate(*m.fraction_parts(proportion)) for m in members)
    known = [m for m in members if m.population]
    if population is None:
        population = sum(m.population or 0 for m in known)
        upheld = sum(m.upheld for m in known)
    else:
        upheld = totals.upheld
    if method is PeerMethod.POOLED:
        rate_per_100k = per_100k(upheld, population)
    else:
        rate_per_100k = _mean(per_100k(m.upheld, m.population) for m in members)
    return PeerAverage(
        group=group,
        method=method,
        authorities=len(members),
        totals=totals,
        population=population or None,
        upheld_rate=rates[Proportion.UPHELD],
        satisfactory_remedy_rate=rates[Proportion.SATISFACTORY_REMEDY],
        compliance_rate=rates[Proportion.COMPLIANCE],
        upheld_per_100k=rate_per_100k,
        late_remedy_rate=rates[Proportion.LATE_REMEDY],
    )


def _proportion_result(
    counts: AuthorityCounts, proportion: Proportion, peer: Fraction | None, threshold: int
) -> ProportionResult:
    numerator, denominator = counts.fraction_parts(proportion)
    interval = wilson_interval(numerator, denominator, CONFIDENCE)
    return ProportionResult(
        numerator=numerator,
        denominator=denominator,
        value=exact_rate(numerator, denominator),
        interval=interval,
        peer=peer,
        comparison=compare(interval, peer, denominator, threshold),
    )


def authority_result(
    counts: AuthorityCounts, peers: PeerAverage, threshold: int
) -> AuthorityResult:
    interval = byar_rate_interval(counts.upheld, counts.population, per=PER)
    # The per-100,000 rate's denominator is the population: compared whenever it is known.
    rate = RateResult(
        count=counts.upheld,
        population=counts.population,
        value=per_100k(counts.upheld, counts.population),
        interval=interval,
        peer=peers.upheld_per_100k,
        comparison=compare(interval, peers.upheld_per_100k, counts.population, threshold),
    )
    return AuthorityResult(
        counts=counts,
        upheld=_proportion_result(counts, Proportion.UPHELD, peers.upheld_rate, threshold),
        satisfactory_remedy=_proportion_result(
            counts, Proportion.SATISFACTORY_REMEDY, peers.satisfactory_remedy_rate, threshold
        ),
        compliance=_proportion_result(
            counts, Proportion.COMPLIANCE, peers.compliance_rate, threshold
        ),
        upheld_per_100k=rate,
        late_remedy=_proportion_result(
            counts, Proportion.LATE_REMEDY, peers.late_remedy_rate, threshold
        ),
    )


def compute_year(
    authorities: Sequence[AuthorityCounts],
    *,
    method: PeerMethod = PeerMethod.POOLED,
    threshold: int = 5,
) -> YearResult:
    """Every authority's results, each group's averages and the national totals for a year.

    Each authority is compared with the average of its own group that year (itself included,
    as the ombudsman's "average of similar authorities" is).
    """
    keys = [a.key for a in authorities]
    if len(set(keys)) != len(keys):
        raise ValueError("each authority appears once in a year")
    by_group: dict[str, list[AuthorityCounts]] = {}
    for counts in authorities:
        by_group.setdefault(counts.group, []).append(counts)
    groups = {
        group: peer_average(members, group=group, method=method)
        for group, members in sorted(by_group.items())
    }
    national_population = sum(
        a.population or 0 for a in authorities if a.group in NON_OVERLAPPING_GROUPS
    )
    national = peer_average(
        authorities, group=NATIONAL, method=method, population=national_population
    )
    results = tuple(authority_result(a, groups[a.group], threshold) for a in authorities)
    return YearResult(
        method=method, threshold=threshold, authorities=results, groups=groups, national=national
    )
