"""Councils' own complaint handling beside the ombudsman's figures on the group page and on
side by side: one small table per year, a row per council, its own measures through the one
formatter — or "Not reported" (never zero). Reported by the councils; not verified by the
ombudsman. Read through ``published.handling`` (public years only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.urls import reverse

from councilperf.authorities.models import Authority
from councilperf.portal import handling as measure
from councilperf.published import figures
from councilperf.published.handling import NOT_VERIFIED, Handling, year_handling
from councilperf.statistics import format
from councilperf.years import ReportingYear

# (measure, column heading) of the tables, in order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("stage1_per_10k", "Stage 1 per 10,000 residents"),
    ("stage1_in_time_rate", "Stage 1 in 10 working days"),
    ("stage1_uphold_rate", "Stage 1 upheld by the council"),
    ("stage2_per_10k", "Stage 2 per 10,000 residents"),
    ("stage2_in_time_rate", "Stage 2 in 20 working days"),
    ("stage2_uphold_rate", "Stage 2 upheld by the council"),
    ("escalated_share", "Stage 2 that went on to the ombudsman"),
)


@dataclass(frozen=True)
class OwnRow:
    code: str
    name: str
    url: str
    reported: bool
    cells: list[str]  # one per column; [] when not reported
    highlighted: bool = False


@dataclass(frozen=True)
class OwnTable:
    year: ReportingYear
    rows: list[OwnRow]
    label: str = NOT_VERIFIED
    columns: tuple[str, ...] = tuple(title for _, title in COLUMNS)

    @property
    def reported(self) -> int:
        return sum(r.reported for r in self.rows)


def cells(h: Handling) -> list[str]:
    """The council's own measures as text (``–``: nothing to divide by)."""
    found = h.measures.as_dict()
    return [
        format.percent(found[name]) if name in measure.RATES else format.one_decimal(found[name])
        for name, _ in COLUMNS
    ]


def _row(h: Handling, name: str, url: str, highlighted: bool) -> OwnRow:
    return OwnRow(
        h.authority_code, name, url, h.reported, cells(h) if h.reported else [], highlighted
    )


def group_table(
    year: ReportingYear, shown: Sequence[tuple[str, str, str, bool]]
) -> OwnTable | None:
    """The group page's table: ``shown`` is the main table's rows in order (code, name,
    address, highlighted); None when the year was never opened for returns."""
    found = {h.authority_code: h for h in year_handling(year)}
    if not found:
        return None
    rows = [_row(found[c], n, u, hl) for c, n, u, hl in shown if c in found]
    return OwnTable(year, rows)


def side_by_side_tables(chosen: Sequence[Authority]) -> list[OwnTable]:
    """One table per public year opened for returns, newest first, a row per chosen council
    that existed in it."""
    tables = []
    for year in reversed(figures.published_years()):
        found = {h.authority_code: h for h in year_handling(year)}
        rows = [
            _row(
                found[a.gss_code],
                a.short_name,
                reverse("site:council_year", args=[a.slug, year]),
                False,
            )
            for a in chosen
            if a.gss_code in found
        ]
        if rows:
            tables.append(OwnTable(year, rows))
    return tables
