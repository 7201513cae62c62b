"""Which populations a revision's figures used, and whether the reference data has moved on.

A frozen revision keeps the population each council's figures were computed with
(``AuthorityStatistics.population``, ``population_estimate``, ``population_file``): loading
a new estimate changes the authorities' years, never a published figure. When the two
differ, the year's dashboard says "population changed since freezing" and a correction
revision (``correct_statistics``) carries the new populations.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from councilperf.authorities.models import AuthorityYear
from councilperf.statistics.models import AuthorityStatistics, ReviewYear
from councilperf.statistics.selectors import _revision
from councilperf.years import ReportingYear


@dataclass(frozen=True)
class PopulationChange:
    code: str
    name: str
    frozen: int | None
    frozen_estimate: int | None
    current: int | None
    current_estimate: int | None
    current_file: str

    def __str__(self) -> str:
        def one(people: int | None, estimate: int | None) -> str:
            return "none" if people is None else f"{people:,} (mid-{estimate})"

        return (
            f"{self.name} ({self.code}): {one(self.frozen, self.frozen_estimate)} frozen, "
            f"{one(self.current, self.current_estimate)} now"
            + (f" from {self.current_file}" if self.current_file else "")
        )


@dataclass(frozen=True)
class EstimateUsed:
    estimate_year: int | None
    file: str
    councils: int


def population_changes(year: ReportingYear) -> list[PopulationChange]:
    """Councils whose population in the latest frozen revision of ``year`` differs from the
    one loaded now (empty for a draft year or one never frozen)."""
    review_year = ReviewYear.objects.filter(year=year.label).first()
    if review_year is None or review_year.status != ReviewYear.Status.FROZEN:
        return []
    latest = review_year.revisions.filter(number__isnull=False).order_by("-number").first()
    if latest is None:
        return []
    frozen = {
        row.authority_id: row
        for row in AuthorityStatistics.objects.filter(revision=latest).select_related("authority")
    }
    changes = []
    for now in AuthorityYear.objects.filter(year=year.label, authority_id__in=list(frozen)):
        row = frozen[now.authority_id]
        if (row.population, row.population_estimate) != (now.population, now.population_estimate):
            changes.append(
                PopulationChange(
                    code=row.authority.gss_code,
                    name=row.authority.official_name,
                    frozen=row.population,
                    frozen_estimate=row.population_estimate,
                    current=now.population,
                    current_estimate=now.population_estimate,
                    current_file=now.population_file,
                )
            )
    return sorted(changes, key=lambda c: c.name)


def estimates_used(year: ReportingYear, revision: int | None = None) -> list[EstimateUsed]:
    """The (estimate year, file) pairs a revision's figures used, with how many councils
    took each; latest estimate first. ``revision`` as in ``statistics.selectors``."""
    found = _revision(year, revision)
    counts: Counter[tuple[int | None, str]] = Counter(
        AuthorityStatistics.objects.filter(revision=found, population__isnull=False).values_list(
            "population_estimate", "population_file"
        )
    )
    return [
        EstimateUsed(estimate, file, n)
        for (estimate, file), n in sorted(counts.items(), key=lambda i: (-(i[0][0] or 0), i[0][1]))
    ]


def sources_by_authority(
    year: ReportingYear, revision: int | None = None
) -> dict[str, tuple[int | None, str]]:
    """Each council's (estimate year, reference file) in a revision's figures, by GSS code
    (``(None, "")`` where no population was known)."""
    found = _revision(year, revision)
    rows = AuthorityStatistics.objects.filter(revision=found).values_list(
        "authority__gss_code", "population_estimate", "population_file"
    )
    return {code: (estimate, file or "") for code, estimate, file in rows}
