"""The typed read model of the published statistics: what every surface reads.

One :class:`AuthorityFigures` per authority-year and one :class:`GroupFigures` per
comparison group (and England), made from a stored revision's rows. Values are exact:
counts are ints, a measure's value is the ``Fraction`` of its counts, a peer average is the
exact fraction the engine stored. Only interval ends and funnel limits are floats, as the
engine stored them. Nothing here formats a figure (``councilperf.statistics.format``
does). Pure: no Django, no I/O; ``statistics.selectors.figures`` reads the stored rows and
builds these with :func:`authority` and :func:`group`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from councilperf.groups import GROUP_PLURAL
from councilperf.schemes import OUTCOMES, export_cells
from councilperf.statistics.measures import METRICS, PER, Kind, Metric
from councilperf.years import ReportingYear

COUNTS: tuple[str, ...] = (
    "complaints_received",
    "decisions_made",
    "invalid_or_incomplete",
    "advice_given",
    "referred_back_for_local_resolution",
    "closed_after_initial_enquiries",
    "detailed_investigations",
    "upheld",
    "not_upheld",
    "upheld_with_satisfactory_remedy",
    "compliance_outcomes",
    "complied",
    "complied_late",
    "not_complied",
    "service_improvements",
    "public_reports",
)
# The counts a group's row sums (group_averages): all but the outcomes before an
# investigation, which only an authority's own row keeps.
GROUP_COUNTS: tuple[str, ...] = tuple(
    name for name in COUNTS if name not in OUTCOMES or name in ("upheld", "not_upheld")
)
NATIONAL = "national"  # the group key of England's totals


def _fraction(text: str | None) -> Fraction | None:
    return None if text in (None, "") else Fraction(str(text))


def _value(metric: Metric, numerator: int, denominator: int | None) -> Fraction | None:
    if not denominator:
        return None
    if metric.kind is Kind.PER_100K:
        return Fraction(numerator * PER, denominator)
    return Fraction(numerator, denominator)


@dataclass(frozen=True, slots=True)
class Measure:
    """One measure of one authority-year, exactly as the engine stored it."""

    metric: Metric
    numerator: int
    denominator: int | None  # None: no population known
    peer: Fraction | None  # the comparison group's average, exact
    lower: float | None = None  # 95% interval of the value
    upper: float | None = None
    comparison: str | None = None  # "lower", "similar", "higher", "not_compared" or None

    @property
    def value(self) -> Fraction | None:
        """numerator ÷ denominator (× 100,000 for a rate per residents); None without one."""
        return _value(self.metric, self.numerator, self.denominator)

    @property
    def rate(self) -> float | None:
        """The value as a float, for placing on a chart or a map class (never for text)."""
        found = self.value
        return None if found is None else float(found)


def _numerator(metric: Metric, counts: Mapping[str, int]) -> int:
    return sum(counts[name] for name in metric.numerator)


def _denominator(metric: Metric, counts: Mapping[str, int], population: int | None) -> int | None:
    return population if metric.denominator == "population" else counts[metric.denominator]


@dataclass(frozen=True, slots=True)
class AuthorityFigures:
    year: ReportingYear
    revision: int | None
    peer_method: str  # "pooled" or "mean": how the peer averages were made
    code: str
    name: str  # the official name
    group: str  # comparison group code
    synthetic: bool
    population: int | None
    counts: Mapping[str, int]
    measures: Mapping[str, Measure]  # by metric code
    by_service_area: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    @property
    def comparison_label(self) -> str:
        """ "District Councils": the similar authorities it is compared with."""
        return GROUP_PLURAL.get(self.group, "similar authorities")

    def count(self, name: str) -> int:
        return self.counts[name]


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """A comparison group's (or England's) summed counts and exact averages."""

    year: ReportingYear
    revision: int | None
    group: str
    authorities: int
    synthetic: bool
    population: int | None
    counts: Mapping[str, int]
    averages: Mapping[str, Fraction | None]  # by metric code, exact as stored

    @property
    def label(self) -> str:
        return GROUP_PLURAL.get(self.group, "England")

    def count(self, name: str) -> int:
        return self.counts[name]


def authority(
    *,
    year: ReportingYear,
    revision: int | None,
    peer_method: str,
    code: str,
    name: str,
    group: str,
    synthetic: bool,
    population: int | None,
    counts: Mapping[str, int],
    stored: Mapping[str, Any],
    by_service_area: Mapping[str, Mapping[str, int]],
) -> AuthorityFigures:
    """The read model of one stored authority row: its counts and stored ``figures``."""
    measures = {}
    for metric in METRICS:
        part = stored.get(metric.part) or {}
        measures[metric.code] = Measure(
            metric=metric,
            numerator=_numerator(metric, counts),
            denominator=_denominator(metric, counts, population),
            peer=_fraction(part.get("peer_exact")),
            lower=part.get("lower"),
            upper=part.get("upper"),
            comparison=part.get("comparison"),
        )
    return AuthorityFigures(
        year=year,
        revision=revision,
        peer_method=peer_method,
        code=code,
        name=name,
        group=group,
        synthetic=synthetic,
        population=population,
        counts=dict(counts),
        measures=measures,
        by_service_area=by_service_area,
    )


def group(
    *,
    year: ReportingYear,
    revision: int | None,
    code: str,
    authorities: int,
    synthetic: bool,
    population: int | None,
    counts: Mapping[str, int],
    stored: Mapping[str, Any],
) -> GroupFigures:
    """The read model of one stored group row (``stored``: its ``figures``)."""
    return GroupFigures(
        year=year,
        revision=revision,
        group=code,
        authorities=authorities,
        synthetic=synthetic,
        population=population,
        counts=dict(counts),
        averages={m.code: _fraction((stored.get(m.code) or {}).get("exact")) for m in METRICS},
    )


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def export_row(found: AuthorityFigures) -> dict[str, object]:
    """One row of the statistics export (``statistics.selectors.EXPORT_COLUMNS`` and
    ``synthetic``): counts as ints, rates and peer averages as floats of the exact values."""
    m = found.measures
    upheld = m["upheld_rate"]
    return {
        "year": found.year.label,
        "authority_code": found.code,
        "authority_name": found.name,
        "comparison_group": found.group,
        "complaints_received": found.count("complaints_received"),
        "decisions_made": found.count("decisions_made"),
        "detailed_investigations": found.count("detailed_investigations"),
        "upheld": found.count("upheld"),
        "upheld_rate": _float(upheld.value),
        "upheld_rate_lower": upheld.lower,
        "upheld_rate_upper": upheld.upper,
        "peer_upheld_rate": _float(upheld.peer),
        "upheld_comparison": upheld.comparison,
        "upheld_with_satisfactory_remedy": found.count("upheld_with_satisfactory_remedy"),
        "satisfactory_remedy_rate": _float(m["satisfactory_remedy_rate"].value),
        "peer_satisfactory_remedy_rate": _float(m["satisfactory_remedy_rate"].peer),
        "compliance_outcomes": found.count("compliance_outcomes"),
        "complied": found.count("complied"),
        "complied_late": found.count("complied_late"),
        "not_complied": found.count("not_complied"),
        "compliance_rate": _float(m["compliance_rate"].value),
        "peer_compliance_rate": _float(m["compliance_rate"].peer),
        "late_remedy_rate": _float(m["late_remedy_rate"].value),
        "late_remedy_rate_lower": m["late_remedy_rate"].lower,
        "late_remedy_rate_upper": m["late_remedy_rate"].upper,
        "peer_late_remedy_rate": _float(m["late_remedy_rate"].peer),
        **export_cells(found.year.start_year, found.counts),
        "service_improvements": found.count("service_improvements"),
        "public_reports": found.count("public_reports"),
        "population": found.population,
        "upheld_per_100k": _float(m["upheld_per_100k"].value),
        "peer_upheld_per_100k": _float(m["upheld_per_100k"].peer),
        "peer_method": found.peer_method,
        "revision": found.revision,
        "synthetic": found.synthetic,
    }
