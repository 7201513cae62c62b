"""The readiness report: everything that must be right before a publisher may approve a year.

Each check gives a list of problems (empty: fine). Approval is refused while any check has a
problem; the staff dashboard shows the same report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from councilperf.authorities.models import Authority, AuthorityYear, ContactRole
from councilperf.letters import batch, services, sources
from councilperf.letters.models import LetterTemplate
from councilperf.statistics.core.counts import COUNT_FIELDS
from councilperf.statistics.gather import gather_year
from councilperf.statistics.models import AuthorityStatistics, ReviewYear
from councilperf.years import ReportingYear

SHOWN = 10  # problems listed per check; the count says how many in all


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Readiness:
    year: ReportingYear
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def problems(self) -> list[str]:
        return [f"{c.title}: {p}" for c in self.checks for p in c.problems]


def _named(authorities: list[Authority]) -> tuple[str, ...]:
    return tuple(f"{a.official_name} ({a.gss_code})" for a in authorities)


def readiness(*, review_year: ReviewYear) -> Readiness:
    """Run every check on ``review_year`` (frozen or not: a draft fails the first)."""
    year = review_year.reporting_year
    try:
        statistics = sources.load_statistics(year)
    except sources.StatisticsUnavailable as error:
        statistics = {}
        missing_statistics: tuple[str, ...] = (str(error),)
    else:
        missing_statistics = ()
    frozen = (
        ()
        if review_year.status == ReviewYear.Status.FROZEN
        else (f"{year} is a draft: freeze its statistics first",)
    )
    authorities = list(
        Authority.objects.filter(gss_code__in=list(statistics))
        .prefetch_related("contacts")
        .order_by("official_name")
    )
    checks = (
        Check("frozen", "Statistics frozen", frozen + missing_statistics),
        Check("chief_executive", "Chief executive email", _without_chief(authorities)),
        Check("population", "Population", _without_population(year, authorities)),
        Check("letters", "Letters made and up to date", _letters(review_year, statistics)),
        Check("template", "Letter template reviewed", _template_unchanged(review_year)),
        Check("changed", "Statistics unchanged since freezing", _changed_since(review_year)),
    )
    return Readiness(year=year, checks=checks)


def _without_chief(authorities: list[Authority]) -> tuple[str, ...]:
    found = [
        a
        for a in authorities
        if not any(c.role == ContactRole.CHIEF_EXECUTIVE and c.email for c in a.contacts.all())
    ]
    return _named(found)


def _without_population(year: ReportingYear, authorities: list[Authority]) -> tuple[str, ...]:
    lacking = set(
        AuthorityYear.objects.filter(
            year=year.label, population__isnull=True, authority__in=authorities
        ).values_list("authority_id", flat=True)
    )
    return _named([a for a in authorities if a.pk in lacking])


def _letters(review_year: ReviewYear, statistics: Mapping[str, object]) -> tuple[str, ...]:
    if not statistics:
        return ()
    try:
        template = services.template_for_year(review_year)
        jobs, _, authorities = batch.plan(
            review_year=review_year,
            template=template,
            statistics=sources.load_statistics(review_year.reporting_year),
            directory=batch.letters_directory(),
        )
    except services.LetterError as error:
        return (str(error),)
    if not jobs:
        return ()
    names = [authorities[job.authority_code] for job in jobs]
    return (
        f"{len(jobs)} letter(s) missing or out of date (generate the year's letters), e.g. "
        + "; ".join(_named(names[:SHOWN])),
    )


def _template_unchanged(review_year: ReviewYear) -> tuple[str, ...]:
    template = LetterTemplate.objects.filter(review_year=review_year).first()
    if template is None:
        return (f"{review_year.year} has no letter template yet",)
    # The body is last year's, or keeps a paragraph last year marked "this year only".
    return tuple(services.template_problems(template))


def _changed_since(review_year: ReviewYear) -> tuple[str, ...]:
    """Authorities whose counts, gathered from the casework now, differ from the latest
    frozen revision's (casework imported or changed after freezing)."""
    latest = review_year.revisions.filter(number__isnull=False).order_by("-number").first()
    if latest is None:
        return ()
    stored = {
        row.authority.gss_code: row
        for row in AuthorityStatistics.objects.filter(revision=latest).select_related("authority")
    }
    changed: list[Authority] = []
    for item in gather_year(review_year.reporting_year).authorities:
        row = stored.get(item.authority.gss_code)
        fields = (*COUNT_FIELDS, "population")
        if row is None or any(getattr(row, f) != getattr(item.counts, f) for f in fields):
            changed.append(item.authority)
    if not changed:
        return ()
    return (
        f"{len(changed)} authorit{'y' if len(changed) == 1 else 'ies'} changed: "
        + "; ".join(_named(changed[:SHOWN]))
        + " (record a correction)",
    )
