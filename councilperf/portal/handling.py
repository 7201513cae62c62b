"""A council's own complaint handling, measured: plain functions on plain data (it imports
nothing from Django, so it is tested exhaustively on its own).

From the counts a council reports for a year (``ComplaintReturn``) and the population the
ombudsman's figures of that year use (``AuthorityFigures.population``, the same one behind
"per 100,000 residents"):

- stage 1 and stage 2 complaints received per 10,000 residents;
- the share answered within the Code's limits, per stage: in time ÷ responded;
- the council's own uphold rate, per stage: upheld ÷ responded (the complaints it decided);
- the share escalated to the ombudsman: escalated ÷ stage 2 responded (the complaints that
  finished the council's own process, so could go on to the ombudsman).

Each measure is an exact fraction, or None when its denominator is 0 or missing (or its
numerator missing): never a zero that was not reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from councilperf.portal.code import COUNT_KEYS

PER_RESIDENTS = 10_000

# (measure, its label) in the order pages, the API and the files show them.
MEASURES: tuple[tuple[str, str], ...] = (
    ("stage1_per_10k", "Stage 1 complaints per 10,000 residents"),
    ("stage2_per_10k", "Stage 2 complaints per 10,000 residents"),
    ("stage1_in_time_rate", "Stage 1 answered within 10 working days"),
    ("stage2_in_time_rate", "Stage 2 answered within 20 working days"),
    ("stage1_uphold_rate", "Stage 1 complaints the council upheld"),
    ("stage2_uphold_rate", "Stage 2 complaints the council upheld"),
    ("escalated_share", "Stage 2 complaints that went on to the ombudsman"),
)
RATES = frozenset(m for m, _ in MEASURES if not m.endswith("_per_10k"))
LABEL = dict(MEASURES)

COUNTS: tuple[str, ...] = COUNT_KEYS


@dataclass(frozen=True)
class OwnCounts:
    """What the council reported (None: a count it left out)."""

    stage1_received: int | None = None
    stage1_responded: int | None = None
    stage1_in_time: int | None = None
    stage1_upheld: int | None = None
    stage2_received: int | None = None
    stage2_responded: int | None = None
    stage2_in_time: int | None = None
    stage2_upheld: int | None = None
    escalated: int | None = None


@dataclass(frozen=True)
class Measures:
    stage1_per_10k: Fraction | None
    stage2_per_10k: Fraction | None
    stage1_in_time_rate: Fraction | None
    stage2_in_time_rate: Fraction | None
    stage1_uphold_rate: Fraction | None
    stage2_uphold_rate: Fraction | None
    escalated_share: Fraction | None

    def as_dict(self) -> dict[str, Fraction | None]:
        return {name: getattr(self, name) for name, _ in MEASURES}


def ratio(numerator: int | None, denominator: int | None) -> Fraction | None:
    """``numerator`` ÷ ``denominator`` exactly; None when either is missing or the
    denominator is 0 (or negative: not a count)."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return Fraction(numerator, denominator)


def per_residents(count: int | None, population: int | None) -> Fraction | None:
    """``count`` per 10,000 residents; None without a count or a population."""
    found = ratio(count, population)
    return None if found is None else found * PER_RESIDENTS


def measures(counts: OwnCounts, population: int | None) -> Measures:
    """The derived measures of one council's reported counts."""
    return Measures(
        stage1_per_10k=per_residents(counts.stage1_received, population),
        stage2_per_10k=per_residents(counts.stage2_received, population),
        stage1_in_time_rate=ratio(counts.stage1_in_time, counts.stage1_responded),
        stage2_in_time_rate=ratio(counts.stage2_in_time, counts.stage2_responded),
        stage1_uphold_rate=ratio(counts.stage1_upheld, counts.stage1_responded),
        stage2_uphold_rate=ratio(counts.stage2_upheld, counts.stage2_responded),
        escalated_share=ratio(counts.escalated, counts.stage2_responded),
    )


def as_number(value: Fraction | None, places: int = 4) -> float | None:
    """An exact measure as a number for the API and the files (``places`` decimals)."""
    return None if value is None else round(float(value), places)
