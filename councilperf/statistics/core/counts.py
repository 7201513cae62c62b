"""The counts of one authority's reporting year (or of a sum of them) and the proportions
built from them. Definitions: ../shared/guide/DOMAIN.md."""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum


class Proportion(StrEnum):
    """The key statistics: each a numerator over a denominator of the same year."""

    UPHELD = "upheld"  # upheld / detailed investigations
    SATISFACTORY_REMEDY = "satisfactory_remedy"  # upheld with remedy by authority / upheld
    COMPLIANCE = "compliance"  # complied (on time or late) / compliance outcomes recorded
    LATE_REMEDY = "late_remedy"  # complied late / compliance outcomes recorded


class DerivedCounts:
    """The counts built from others, for anything holding the counts as attributes (the
    core's ``AuthorityCounts`` and the stored rows alike): one definition of each."""

    __slots__ = ()

    invalid_or_incomplete: int
    advice_given: int
    referred_back_for_local_resolution: int
    closed_after_initial_enquiries: int
    not_upheld: int
    upheld: int
    complied: int
    complied_late: int
    not_complied: int

    @property
    def decisions_made(self) -> int:
        return (
            self.invalid_or_incomplete
            + self.advice_given
            + self.referred_back_for_local_resolution
            + self.closed_after_initial_enquiries
            + self.not_upheld
            + self.upheld
        )

    @property
    def detailed_investigations(self) -> int:
        return self.upheld + self.not_upheld

    @property
    def compliance_outcomes(self) -> int:
        return self.complied + self.complied_late + self.not_complied


@dataclass(frozen=True, slots=True)
class AuthorityCounts(DerivedCounts):
    """What happened about one authority in one reporting year.

    ``key`` identifies the authority to the caller (a GSS code, say); ``group`` is its
    comparison group that year. Counts are of decisions by decision date, of cases by
    received date, of compliance outcomes by recorded date, of public reports by report date.
    ``population`` is None when unknown.
    """

    key: str
    group: str
    complaints_received: int = 0
    invalid_or_incomplete: int = 0
    advice_given: int = 0
    referred_back_for_local_resolution: int = 0
    closed_after_initial_enquiries: int = 0
    not_upheld: int = 0
    upheld: int = 0
    upheld_with_satisfactory_remedy: int = 0
    complied: int = 0
    complied_late: int = 0
    not_complied: int = 0
    service_improvements: int = 0
    public_reports: int = 0
    population: int | None = None

    def __post_init__(self) -> None:
        for name in COUNT_FIELDS:
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative")
        if self.upheld_with_satisfactory_remedy > self.upheld:
            raise ValueError("more upheld decisions with a satisfactory remedy than upheld")
        if self.population is not None and self.population < 0:
            raise ValueError("population cannot be negative")

    @property
    def complied_in_any_time(self) -> int:
        return self.complied + self.complied_late

    def fraction_parts(self, proportion: Proportion) -> tuple[int, int]:
        """(numerator, denominator) of one of the three key statistics."""
        if proportion is Proportion.UPHELD:
            return self.upheld, self.detailed_investigations
        if proportion is Proportion.SATISFACTORY_REMEDY:
            return self.upheld_with_satisfactory_remedy, self.upheld
        if proportion is Proportion.LATE_REMEDY:
            return self.complied_late, self.compliance_outcomes
        return self.complied_in_any_time, self.compliance_outcomes

    def plus(self, other: AuthorityCounts, *, key: str, group: str) -> AuthorityCounts:
        """The sum of two sets of counts (populations add; unknown counts as 0)."""
        values = {name: getattr(self, name) + getattr(other, name) for name in COUNT_FIELDS}
        population = (self.population or 0) + (other.population or 0)
        return AuthorityCounts(key=key, group=group, population=population, **values)

    @classmethod
    def total(cls, items: list[AuthorityCounts], *, key: str, group: str) -> AuthorityCounts:
        result = cls(key=key, group=group, population=0)
        for item in items:
            result = result.plus(item, key=key, group=group)
        return result


COUNT_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(AuthorityCounts) if f.name not in {"key", "group", "population"}
)
