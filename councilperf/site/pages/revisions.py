"""Revisions on the site: the "Revised on …: reason" notes of a year's pages, and the read-only
page of an earlier revision's figures (kept for the record, not indexed by search engines).
The letters sent stay the letters sent: only the figures pages show later revisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from councilperf.published import figures
from councilperf.statistics import format
from councilperf.statistics.figures import NATIONAL, AuthorityFigures, GroupFigures
from councilperf.years import ReportingYear


@dataclass(frozen=True)
class RevisionNote:
    number: int
    date: dt.date
    reason: str
    url: str  # the page of this revision's figures ("" for the one the site shows)


@dataclass(frozen=True)
class Revisions:
    """What a year's page says about its revisions."""

    current: int | None
    revised: list[RevisionNote]  # each revision after the first, oldest first
    earlier: list[RevisionNote]  # each revision before the one shown, with its page


def revisions(year: ReportingYear) -> Revisions:
    history = figures.revision_history(year)
    current = history[-1].revision if history else None
    notes = [
        RevisionNote(
            number=info.revision or 0,
            date=timezone.localtime(info.computed_at).date(),
            reason=info.reason,
            url=""
            if info.revision == current
            else reverse("site:revision", args=[year, info.revision]),
        )
        for info in history
    ]
    return Revisions(
        current=current,
        revised=[note for note in notes if note.number > 1],
        earlier=[note for note in notes if note.url],
    )


@dataclass(frozen=True)
class Row:
    name: str
    code: str
    decisions: str
    upheld_rate: str
    compliance_rate: str


@dataclass(frozen=True)
class RevisionPage:
    year: ReportingYear
    number: int
    note: RevisionNote
    revisions: Revisions
    rows: list[Row]
    england: Row | None


def _row(found: AuthorityFigures) -> Row:
    return Row(
        name=found.name,
        code=found.code,
        decisions=format.count(found.counts.get("decisions_made")),
        upheld_rate=format.percent(found.measures["upheld_rate"].value),
        compliance_rate=format.percent(found.measures["compliance_rate"].value),
    )


def _england(found: GroupFigures) -> Row:
    return Row(
        name="England",
        code="",
        decisions=format.count(found.counts.get("decisions_made")),
        upheld_rate=format.percent(found.averages.get("upheld_rate")),
        compliance_rate=format.percent(found.averages.get("compliance_rate")),
    )


def revision_page(year: ReportingYear, number: int) -> RevisionPage | None:
    """The page of an earlier revision's figures, or None (not published, or not earlier)."""
    found = figures.earlier_revision(year, number)
    if found is None:
        return None
    authorities, groups = found
    history = revisions(year)
    note = next(n for n in history.earlier if n.number == number)
    national = groups.get(NATIONAL)
    return RevisionPage(
        year=year,
        number=number,
        note=note,
        revisions=history,
        rows=[_row(found) for found in authorities.values()],
        england=_england(national) if national else None,
    )
