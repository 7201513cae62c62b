"""The statistics page of an annual review letter, in words. Pure: no Django, no I/O.

The input is :class:`LetterStatistics`, one authority's frozen figures for one reporting year
(made from a row of the statistics export). :func:`statistics_blocks` turns it into the
blocks of sentences the letter prints, with every branch of the ombudsman's wording: no
detailed investigations, none upheld, no compliance outcomes, compliance below 100 %,
singular and plural. Percentages are whole numbers rounded half away from zero on the exact
fraction (89 of 200 → 45 %), never on a float.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from councilperf.schemes import OUTCOMES
from councilperf.statistics import format
from councilperf.statistics.figures import AuthorityFigures
from councilperf.statistics.measures import METRIC

DEMO_LABEL = "Demonstration data — not real ombudsman decisions"

# The blocks a template may show, in the order the letter prints them.
UPHELD = "upheld"
COMPLIANCE = "compliance"
REMEDY = "remedy"
UPHELD_PER_100K = "upheld_per_100k"
BLOCK_ORDER = (UPHELD, COMPLIANCE, REMEDY, UPHELD_PER_100K)

COMPLIANCE_BELOW_100 = (
    "Failure to comply with our recommendations is rare. An authority with a compliance rate "
    "below 100% should scrutinise those complaints where it failed to comply and identify any "
    "learning."
)

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: dt.date) -> str:
    """``22 July 2020``: the letter's way of writing a date (no leading zero, any locale)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


# Figures are written by the site's one formatter: 89 of 200 → "45%", 1/4 → "0.3".
percent = format.percent
one_decimal = format.one_decimal


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 upheld decision``, ``2 upheld decisions``, ``0 upheld decisions``."""
    return f"{format.count(count)} {singular if count == 1 else (plural_form or singular + 's')}"


@dataclass(frozen=True, slots=True)
class LetterStatistics:
    """What one letter needs of an authority's frozen statistics for one reporting year."""

    year: str
    authority_code: str
    authority_name: str
    detailed_investigations: int
    upheld: int
    upheld_with_satisfactory_remedy: int
    compliance_outcomes: int
    not_complied: int
    peer_upheld_rate: Fraction | None = None
    peer_satisfactory_remedy_rate: Fraction | None = None
    peer_compliance_rate: Fraction | None = None
    comparison_group: str = ""
    population: int | None = None
    upheld_per_100k: Fraction | None = None
    peer_upheld_per_100k: Fraction | None = None
    peer_method: str = ""
    revision: int | None = None
    synthetic: bool = False
    counts: tuple[tuple[str, int], ...] = ()  # decisions by outcome code, and complied_late
    peer_late_remedy_rate: Fraction | None = None

    def __post_init__(self) -> None:
        counts = (
            self.detailed_investigations,
            self.upheld,
            self.upheld_with_satisfactory_remedy,
            self.compliance_outcomes,
            self.not_complied,
        )
        if min(counts) < 0:
            raise ValueError(f"{self.authority_code} {self.year}: a count is negative")
        if self.upheld > self.detailed_investigations:
            raise ValueError(f"{self.authority_code} {self.year}: more upheld than investigated")
        if self.upheld_with_satisfactory_remedy > self.upheld:
            raise ValueError(f"{self.authority_code} {self.year}: more remedies than upheld")
        if self.not_complied > self.compliance_outcomes:
            raise ValueError(
                f"{self.authority_code} {self.year}: more not complied than compliance outcomes"
            )

    @property
    def complied(self) -> int:
        """Compliance outcomes where the authority complied, on time or late."""
        return self.compliance_outcomes - self.not_complied

    @classmethod
    def from_figures(cls, figures: AuthorityFigures) -> LetterStatistics:
        """From the typed read model: exact counts and the exact peer averages as stored."""
        measures = figures.measures
        return cls(
            year=figures.year.label,
            authority_code=figures.code,
            authority_name=figures.name,
            comparison_group=figures.group,
            detailed_investigations=figures.count("detailed_investigations"),
            upheld=figures.count("upheld"),
            upheld_with_satisfactory_remedy=figures.count("upheld_with_satisfactory_remedy"),
            compliance_outcomes=figures.count("compliance_outcomes"),
            not_complied=figures.count("not_complied"),
            peer_upheld_rate=measures["upheld_rate"].peer,
            peer_satisfactory_remedy_rate=measures["satisfactory_remedy_rate"].peer,
            peer_compliance_rate=measures["compliance_rate"].peer,
            population=figures.population,
            upheld_per_100k=measures["upheld_per_100k"].value,
            peer_upheld_per_100k=measures["upheld_per_100k"].peer,
            peer_method=figures.peer_method,
            revision=figures.revision,
            synthetic=figures.synthetic,
            counts=tuple((code, figures.count(code)) for code in (*OUTCOMES, "complied_late")),
            peer_late_remedy_rate=measures["late_remedy_rate"].peer,
        )


@dataclass(frozen=True, slots=True)
class Sentence:
    """One line of a statistics block; ``figure`` is the part printed prominently.

    ``kind`` says how it is shown: ``headline`` (the rate), ``comparison`` (the
    similar-authority average, in bold), ``count`` (a big number above its label), ``basis``
    (what the figures are based on), ``note`` (advice) and ``empty`` (nothing to show).
    """

    kind: str
    before: str
    figure: str = ""
    after: str = ""

    @property
    def text(self) -> str:
        return f"{self.before}{self.figure}{self.after}"


@dataclass(frozen=True, slots=True)
class Block:
    key: str
    heading: str
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        return "\n".join([self.heading, *(s.text for s in self.sentences)])


def _period(year_start: dt.date, year_end: dt.date) -> str:
    # The letter's own wording ("between ... to ..."), kept as published.
    return f"for the period between {long_date(year_start)} to {long_date(year_end)}"


def _basis(count: int, noun: str, year_start: dt.date, year_end: dt.date) -> Sentence:
    """ "Statistics are based on a total of N <noun>(s) for the period between …"."""
    return Sentence(
        "basis",
        f"Statistics are based on a total of {plural(count, noun)} {_period(year_start, year_end)}",
    )


def _comparison(peer: Fraction | None) -> list[Sentence]:
    if peer is None:
        return []
    return [
        Sentence(
            "comparison",
            "This compares to an average of ",
            percent(peer),
            " in similar authorities.",
        )
    ]


def upheld_block(stats: LetterStatistics, year_start: dt.date, year_end: dt.date) -> Block:
    heading = METRIC["upheld_rate"].letter_heading
    investigated = stats.detailed_investigations
    if investigated == 0:
        return Block(
            UPHELD,
            heading,
            (
                Sentence(
                    "empty", "We did not complete any detailed investigations for this period."
                ),
            ),
        )
    rate = Fraction(stats.upheld, investigated)
    sentences = [
        Sentence("headline", "", percent(rate), " of complaints we investigated were upheld."),
        *_comparison(stats.peer_upheld_rate),
        Sentence(
            "count",
            "",
            format.count(stats.upheld),
            " upheld decision" if stats.upheld == 1 else " upheld decisions",
        ),
        _basis(investigated, "detailed investigation", year_start, year_end),
    ]
    return Block(UPHELD, heading, tuple(sentences))


def compliance_block(stats: LetterStatistics, year_start: dt.date, year_end: dt.date) -> Block:
    heading = METRIC["compliance_rate"].letter_heading
    outcomes = stats.compliance_outcomes
    if outcomes == 0:
        return Block(
            COMPLIANCE,
            heading,
            (Sentence("empty", "No recommendations were due for compliance in this period"),),
        )
    rate = Fraction(stats.complied, outcomes)
    sentences = [
        Sentence(
            "headline",
            "In ",
            percent(rate),
            " of cases we were satisfied the authority had successfully implemented our "
            "recommendations.",
        ),
        *_comparison(stats.peer_compliance_rate),
    ]
    # Below 100 % on the exact figure: 399 of 400 shows as 100% yet one was not complied with.
    if stats.not_complied:
        sentences.append(Sentence("note", COMPLIANCE_BELOW_100))
    sentences.append(_basis(outcomes, "compliance outcome", year_start, year_end))
    return Block(COMPLIANCE, heading, tuple(sentences))


def remedy_block(stats: LetterStatistics, year_start: dt.date, year_end: dt.date) -> Block:
    heading = METRIC["satisfactory_remedy_rate"].letter_heading
    if stats.upheld == 0:
        return Block(
            REMEDY,
            heading,
            (
                Sentence(
                    "empty",
                    "The Ombudsman did not uphold any detailed investigations during this period",
                ),
            ),
        )
    remedied = stats.upheld_with_satisfactory_remedy
    rate = Fraction(remedied, stats.upheld)
    sentences = [
        Sentence(
            "headline",
            "In ",
            percent(rate),
            " of upheld cases we found the authority had provided a satisfactory remedy before "
            "the complaint reached the Ombudsman.",
        ),
        *_comparison(stats.peer_satisfactory_remedy_rate),
        Sentence(
            "count",
            "",
            format.count(remedied),
            " satisfactory remedy decision" if remedied == 1 else " satisfactory remedy decisions",
        ),
        _basis(stats.upheld, "upheld decision", year_start, year_end),
    ]
    return Block(REMEDY, heading, tuple(sentences))


def upheld_per_100k_block(stats: LetterStatistics, year_start: dt.date, year_end: dt.date) -> Block:
    heading = METRIC["upheld_per_100k"].letter_heading
    if not stats.population:
        return Block(
            UPHELD_PER_100K,
            heading,
            (Sentence("empty", "Population figures are not available for this period."),),
        )
    rate = stats.upheld_per_100k
    if rate is None:
        rate = Fraction(stats.upheld * 100_000, stats.population)
    sentences = [
        Sentence("headline", "", one_decimal(rate), " upheld decisions per 100,000 residents."),
    ]
    if stats.peer_upheld_per_100k is not None:
        sentences.append(
            Sentence(
                "comparison",
                "This compares to an average of ",
                one_decimal(stats.peer_upheld_per_100k),
                " in similar authorities.",
            )
        )
    sentences.append(
        Sentence(
            "basis",
            f"Statistics are based on {plural(stats.upheld, 'upheld decision')} and a population "
            f"of {format.count(stats.population)} {_period(year_start, year_end)}",
        )
    )
    return Block(UPHELD_PER_100K, heading, tuple(sentences))


_BUILDERS = {
    UPHELD: upheld_block,
    COMPLIANCE: compliance_block,
    REMEDY: remedy_block,
    UPHELD_PER_100K: upheld_per_100k_block,
}


def statistics_blocks(
    stats: LetterStatistics,
    *,
    year_start: dt.date,
    year_end: dt.date,
    blocks: Iterable[str] = (UPHELD, COMPLIANCE, REMEDY),
) -> tuple[Block, ...]:
    """The letter's statistics blocks, in the letter's order, for the keys asked for."""
    wanted = set(blocks)
    unknown = wanted - set(BLOCK_ORDER)
    if unknown:
        raise ValueError(f"unknown statistics blocks: {', '.join(sorted(unknown))}")
    return tuple(
        _BUILDERS[key](stats, year_start, year_end) for key in BLOCK_ORDER if key in wanted
    )
