"""Councils' own complaint handling of published years, as the public site, the API and the
open data read it: typed plain values out, nothing of a year before it is published.

A council's return for a year is shown only once it is signed off (``status ==
"submitted"``) *and* the year is public (``years.current()``: frozen, approved and its moment
come). Anything else — no return, a draft, one waiting for sign-off — is "not reported",
never zero. Every figure here is reported by the council and not verified by the ombudsman.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.portal import handling as measure
from councilperf.portal.code import HEADING, SECTION_KEYS
from councilperf.portal.models import ComplaintReturn, ReturnPeriod, SelfAssessment
from councilperf.statistics import format
from councilperf.statistics.figures import AuthorityFigures
from councilperf.years import ReportingYear

from . import figures
from .years import current

NOT_VERIFIED = "Reported by the council; not verified by the ombudsman"
NOT_REPORTED = "Not reported"


@dataclass(frozen=True)
class Assessment:
    section: str  # a key of portal.code.SECTIONS
    heading: str
    rating: str  # meets, partly or does_not
    rating_label: str
    comment: str


@dataclass(frozen=True)
class Row:
    """One line of the council page's table: a label and each stage's figure, as text."""

    key: str
    label: str
    stage1: str
    stage2: str


@dataclass(frozen=True)
class Handling:
    """One council's own complaint handling in a published year (``reported`` False: it did
    not report, and every count and measure is None)."""

    year: ReportingYear
    authority_code: str
    authority_name: str
    reported: bool
    population: int | None
    counts: measure.OwnCounts
    measures: measure.Measures
    self_assessment_url: str = ""
    self_assessment_date: dt.date | None = None
    signed_off: dt.date | None = None
    assessments: tuple[Assessment, ...] = ()
    synthetic: bool = False

    @property
    def self_assessment_link(self) -> str:
        """The address of its published self-assessment, if it is a web address ("" for
        anything else: a page never links to another scheme)."""
        url = self.self_assessment_url.strip()
        return url if url.lower().startswith(("https://", "http://")) else ""

    @property
    def rows(self) -> list[Row]:
        """The figures as the page shows them, through the one formatter (``–``: none)."""
        c, m = self.counts, self.measures
        return [
            Row(
                "received",
                "Complaints received",
                format.count(c.stage1_received),
                format.count(c.stage2_received),
            ),
            Row(
                "per_10k",
                "Complaints per 10,000 residents",
                format.one_decimal(m.stage1_per_10k),
                format.one_decimal(m.stage2_per_10k),
            ),
            Row(
                "responded",
                "Complaints answered",
                format.count(c.stage1_responded),
                format.count(c.stage2_responded),
            ),
            Row(
                "in_time",
                "Answered within the Code's limit (stage 1: 10 working days; stage 2: 20)",
                format.percent(m.stage1_in_time_rate),
                format.percent(m.stage2_in_time_rate),
            ),
            Row(
                "upheld",
                "Upheld by the council (of those answered)",
                format.percent(m.stage1_uphold_rate),
                format.percent(m.stage2_uphold_rate),
            ),
        ]

    @property
    def escalated_text(self) -> str:
        """ "12 (8% of stage 2 complaints answered)", or "–" when not reported."""
        if self.counts.escalated is None:
            return format.NONE
        share = self.measures.escalated_share
        found = format.count(self.counts.escalated)
        if share is None:
            return found
        return f"{found} ({format.percent(share)} of stage 2 complaints answered)"


def _submitted(year: ReportingYear) -> dict[int, ComplaintReturn]:
    found = ComplaintReturn.objects.filter(
        review_year__year=year.label, status=ComplaintReturn.Status.SUBMITTED
    ).prefetch_related("assessments")
    return {r.authority_id: r for r in found}


def _assessments(found: ComplaintReturn) -> tuple[Assessment, ...]:
    rows: dict[str, SelfAssessment] = {a.section: a for a in found.assessments.all()}
    return tuple(
        Assessment(key, HEADING[key], a.rating, a.get_rating_display(), a.comment)
        for key in SECTION_KEYS
        if (a := rows.get(key)) is not None
    )


def _handling(
    year: ReportingYear, figs: AuthorityFigures, found: ComplaintReturn | None
) -> Handling:
    if found is None:
        counts = measure.OwnCounts()
        return Handling(
            year=year,
            authority_code=figs.code,
            authority_name=figs.name,
            reported=False,
            population=figs.population,
            counts=counts,
            measures=measure.measures(counts, None),
            synthetic=figs.synthetic,
        )
    counts = measure.OwnCounts(**{name: getattr(found, name) for name in measure.COUNTS})
    signed = found.signed_off_at
    return Handling(
        year=year,
        authority_code=figs.code,
        authority_name=figs.name,
        reported=True,
        population=figs.population,
        counts=counts,
        measures=measure.measures(counts, figs.population),
        self_assessment_url=found.self_assessment_url,
        self_assessment_date=found.self_assessment_date,
        signed_off=timezone.localdate(signed) if signed else None,
        assessments=_assessments(found),
        synthetic=found.synthetic or figs.synthetic,
    )


def _asked(year: ReportingYear, submitted: dict[int, ComplaintReturn]) -> bool:
    """Whether councils were asked to report ``year`` (staff opened it for returns) or one
    did: a year before the Code, never opened, says nothing rather than "not reported"."""
    return bool(submitted) or ReturnPeriod.objects.filter(review_year__year=year.label).exists()


def council_handling(authority: Authority, year: ReportingYear) -> Handling | None:
    """The council's own complaint handling in ``year``; None unless the year is public, was
    opened for returns (or someone reported) and the council has published figures in it."""
    if current().get(year) is None:
        return None
    figs = figures.authority(year, authority.gss_code)
    submitted = _submitted(year)
    if figs is None or not _asked(year, submitted):
        return None
    return _handling(year, figs, submitted.get(authority.pk))


def year_handling(year: ReportingYear) -> list[Handling]:
    """Every council with published figures in ``year``, by official name, reported or not;
    [] for a year that is not public or was never opened for returns."""
    if current().get(year) is None:
        return []
    submitted = _submitted(year)
    if not _asked(year, submitted):
        return []
    by_code = dict(
        Authority.objects.filter(gss_code__in=list(figures.authorities(year))).values_list(
            "gss_code", "pk"
        )
    )
    return [
        _handling(year, figs, submitted.get(by_code.get(code, -1)))
        for code, figs in figures.authorities(year).items()
    ]
