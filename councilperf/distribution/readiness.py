"""The readiness report: everything that must be right before a publisher may approve a year.

Each check gives a list of problems (empty: fine). Approval is refused while any check has a
problem; the staff dashboard shows the same report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from councilperf.authorities.models import Authority, AuthorityYear, ContactRole
from councilperf.letters import batch, rendering, services, sources, wording
from councilperf.letters.models import Letter, LetterTemplate
from councilperf.statistics.core.counts import COUNT_FIELDS
from councilperf.statistics.gather import gather_year
from councilperf.statistics.models import AuthorityStatistics, ReviewYear
from councilperf.statistics.populations import population_changes
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
    template = LetterTemplate.objects.filter(review_year=review_year).first()
    checks = (
        Check("frozen", "Statistics frozen", frozen + missing_statistics),
        Check("chief_executive", "Chief executive email", _without_chief(authorities)),
        Check("copies", "An email for every role copied", _without_copies(template, authorities)),
        Check("population", "Population", _without_population(year, authorities)),
        Check("letters", "Letters made and up to date", _letters(review_year, statistics)),
        Check("dates", "Letters dated as the year", _dates(review_year, authorities)),
        Check("template", "Letter template reviewed", _not_reviewed(review_year, template)),
        Check("changed", "Statistics unchanged since freezing", _changed_since(review_year)),
        Check("population_changed", "Population unchanged since freezing", _population(year)),
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
    except rendering.LetterError as error:
        return (str(error),)
    if not jobs:
        return ()
    names = [authorities[job.authority_code] for job in jobs]
    return (
        f"{len(jobs)} letter(s) missing or out of date (generate the year's letters), e.g. "
        + "; ".join(_named(names[:SHOWN])),
    )


def _without_copies(
    template: LetterTemplate | None, authorities: list[Authority]
) -> tuple[str, ...]:
    """Each role the letter says it is copied to, with the councils that have no email for
    it (or take the role off the template's copies)."""
    problems = []
    for role in template.copy_roles if template else ():
        lacking = [
            a for a in authorities if not any(c.role == role and c.email for c in a.contacts.all())
        ]
        if lacking:
            label = ContactRole(role).label if role in ContactRole.values else role
            problems.append(
                f"{label}: no email for {len(lacking)} council(s), e.g. "
                + "; ".join(_named(lacking[:SHOWN]))
                + " (add the contacts, or stop copying the role in the template)"
            )
    return tuple(problems)


def _dates(review_year: ReviewYear, authorities: list[Authority]) -> tuple[str, ...]:
    """Letters whose file carries another letter date or publication date than the year's."""
    if review_year.letter_date is None or review_year.publication_date is None:
        return (f"{review_year.year} has no letter date or publication date: set them",)
    dated = f'datetime="{review_year.letter_date.isoformat()}"'
    published = wording.long_date(review_year.publication_date)
    template = LetterTemplate.objects.filter(review_year=review_year).first()
    says_publication = template is not None and "{publication_date}" in template.body
    wrong = []
    for letter in Letter.objects.filter(review_year=review_year).select_related("authority"):
        try:
            text = Path(letter.html_path).read_text(encoding="utf-8")
        except OSError:
            continue  # a missing letter is the "letters" check's
        if dated not in text or (says_publication and published not in " ".join(text.split())):
            wrong.append(letter.authority)
    if not wrong:
        return ()
    return (f"{len(wrong)} letter(s) dated otherwise: " + "; ".join(_named(wrong[:SHOWN])),)


def _not_reviewed(review_year: ReviewYear, template: LetterTemplate | None) -> tuple[str, ...]:
    """The template as it is now was reviewed by a publisher (who and when recorded)."""
    how = (
        "review it (the Review button, or review_letter_template "
        f"--year {review_year.year} --as USERNAME)"
    )
    if template is None:
        return (f"{review_year.year} has no letter template yet",)
    if not template.reviewed_by:
        return (f"not reviewed by a publisher yet: {how}",)
    if not template.reviewed:
        when = f"{template.reviewed_at:%Y-%m-%d %H:%M}" if template.reviewed_at else "earlier"
        return (f"changed since {template.reviewed_by} reviewed it ({when}): {how}",)
    return ()


def population_changed_warning(year: ReportingYear) -> str:
    """The dashboard's warning when the populations loaded now differ from the frozen ones
    ("" when they do not)."""
    changes = population_changes(year)
    if not changes:
        return ""
    return (
        f"Population changed since freezing for {len(changes)} council"
        f"{'' if len(changes) == 1 else 's'}: "
        + "; ".join(str(c) for c in changes[:SHOWN])
        + (f"; and {len(changes) - SHOWN} more" if len(changes) > SHOWN else "")
        + ". The published figures keep the frozen populations until a correction revision "
        f'carries the new ones: correct_statistics --year {year} --reason "..."'
    )


def _population(year: ReportingYear) -> tuple[str, ...]:
    warning = population_changed_warning(year)
    return (warning,) if warning else ()


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
        fields = COUNT_FIELDS  # a changed population has a check of its own
        if row is None or any(getattr(row, f) != getattr(item.counts, f) for f in fields):
            changed.append(item.authority)
    if not changed:
        return ()
    return (
        f"{len(changed)} authorit{'y' if len(changed) == 1 else 'ies'} changed: "
        + "; ".join(_named(changed[:SHOWN]))
        + " (record a correction)",
    )
