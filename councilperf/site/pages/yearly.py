"""What a year says about itself on the site: its method notes, numbered as markers, its
reporting scheme's categories, and where a run of years changes scheme."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from councilperf.published import figures
from councilperf.schemes import OUTCOMES, scheme_for
from councilperf.statistics import format
from councilperf.statistics.figures import AuthorityFigures, GroupFigures
from councilperf.statistics.measures import METRIC
from councilperf.years import ReportingYear


@dataclass(frozen=True)
class NoteMark:
    number: int
    year: str
    text: str
    scope: str  # "all measures" or a measure's title, and the group when it has one


def notes(years: Sequence[ReportingYear], *, group: str = "") -> list[NoteMark]:
    """The published years' method notes, numbered 1, 2… (those of another group left out)."""
    found = [n for n in figures.method_notes(years) if not n.group or not group or n.group == group]
    return [
        NoteMark(
            number=i,
            year=n.year,
            text=n.text,
            scope=(METRIC[n.measure].title if n.measure in METRIC else "All measures")
            + (f" ({n.group} councils)" if n.group else ""),
        )
        for i, n in enumerate(found, start=1)
    ]


def marks(found: Sequence[NoteMark]) -> dict[str, str]:
    """Each year's marker text: "1" or "1, 2", by the year's label."""
    by_year: dict[str, list[str]] = {}
    for note in found:
        by_year.setdefault(note.year, []).append(str(note.number))
    return {year: ", ".join(numbers) for year, numbers in by_year.items()}


def scheme_breaks(years: Sequence[ReportingYear]) -> dict[ReportingYear, str]:
    """The years (of ``years``, oldest first) that report in a different scheme from the
    year before, each with the words a table shows above it."""
    found = {}
    for before, year in itertools.pairwise(years):
        old = scheme_for(before.start_year)
        new = scheme_for(year.start_year)
        if old is not new:
            names = ", ".join(c.label.lower() for c in new.categories)
            found[year] = f"From {year} complaints are reported as {names}"
    return found


@dataclass(frozen=True)
class CategoryRow:
    code: str
    label: str
    count: str


def categories(data: AuthorityFigures | GroupFigures) -> tuple[str, list[CategoryRow]]:
    """The year's decisions in its own reporting categories: (heading, rows)."""
    scheme = scheme_for(data.year.start_year)
    counts = {code: data.count(code) for code in OUTCOMES}
    rows = [CategoryRow(c.code, c.label, format.count(n)) for c, n in scheme.counts(counts)]
    return scheme.label, rows
