"""Reporting schemes: which categories a year publishes its decisions in. Pure: no Django.

The outcome codes of the casework never change; what changes is how the ombudsman groups
them when it reports a year. Until 2023-24 a year reports the classic six outcomes; from
2024-25 it reports complaints *dealt with*, *not for us*, *assessed and closed*,
*investigated* and *upheld*. Each category names the outcome counts it adds up, so any year's
figures can be shown in that year's own terms, and a table spanning years can mark where the
scheme changes.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

OUTCOMES: tuple[str, ...] = (
    "invalid_or_incomplete",
    "advice_given",
    "referred_back_for_local_resolution",
    "closed_after_initial_enquiries",
    "not_upheld",
    "upheld",
)


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    label: str
    outcomes: tuple[str, ...]  # the outcome counts it is the sum of

    def count(self, counts: Mapping[str, int]) -> int:
        return sum(counts[name] for name in self.outcomes)


@dataclass(frozen=True, slots=True)
class Scheme:
    code: str
    label: str
    first_year: int  # the start year of the first reporting year that uses it
    categories: tuple[Category, ...]

    def counts(self, counts: Mapping[str, int]) -> tuple[tuple[Category, int], ...]:
        return tuple((category, category.count(counts)) for category in self.categories)


CLASSIC = Scheme(
    code="classic",
    label="Decisions by outcome",
    first_year=0,
    categories=(
        Category("invalid_or_incomplete", "Invalid or incomplete", ("invalid_or_incomplete",)),
        Category("advice_given", "Advice given", ("advice_given",)),
        Category(
            "referred_back_for_local_resolution",
            "Referred back for local resolution",
            ("referred_back_for_local_resolution",),
        ),
        Category(
            "closed_after_initial_enquiries",
            "Closed after initial enquiries",
            ("closed_after_initial_enquiries",),
        ),
        Category("not_upheld", "Not upheld", ("not_upheld",)),
        Category("upheld", "Upheld", ("upheld",)),
    ),
)

DEALT_WITH = Scheme(
    code="dealt_with",
    label="Complaints dealt with",
    first_year=2024,
    categories=(
        Category("dealt_with", "Dealt with", OUTCOMES),
        Category(
            "not_for_us",
            "Not for us",
            ("invalid_or_incomplete", "referred_back_for_local_resolution"),
        ),
        Category(
            "assessed_and_closed",
            "Assessed and closed",
            ("advice_given", "closed_after_initial_enquiries"),
        ),
        Category("investigated", "Investigated", ("not_upheld", "upheld")),
        Category("upheld", "Upheld", ("upheld",)),
    ),
)

SCHEMES: tuple[Scheme, ...] = (CLASSIC, DEALT_WITH)
BY_CODE: dict[str, Scheme] = {scheme.code: scheme for scheme in SCHEMES}


def scheme_for(start_year: int) -> Scheme:
    """The scheme the reporting year starting in April of ``start_year`` publishes."""
    return [s for s in SCHEMES if s.first_year <= start_year][-1]


def breaks(start_years: Sequence[int]) -> frozenset[int]:
    """The years (of ``start_years``, in order) whose scheme differs from the year before's:
    where a table spanning them draws a break."""
    found = set()
    for before, year in itertools.pairwise(start_years):
        if scheme_for(before) is not scheme_for(year):
            found.add(year)
    return frozenset(found)


# The export's columns of decisions by category: every category of every scheme but the
# ones every scheme shares with a column of its own (upheld) or that the export already has
# (decisions made: "dealt with").
SCHEME_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(
        c.code for s in SCHEMES for c in s.categories if c.code not in ("upheld", "dealt_with")
    )
)


def export_cells(start_year: int, counts: Mapping[str, int]) -> dict[str, object]:
    """The export's scheme columns of one authority-year: its own scheme's categories filled
    in, the other scheme's left blank (None)."""
    scheme = scheme_for(start_year)
    cells: dict[str, object] = {"reporting_scheme": scheme.code}
    cells.update(dict.fromkeys(SCHEME_COLUMNS))
    for category, count in scheme.counts(counts):
        if category.code in SCHEME_COLUMNS:
            cells[category.code] = count
    return cells
