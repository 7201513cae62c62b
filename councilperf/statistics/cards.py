"""The council's key-figure cards: the key statistics of one authority's year as the letter
states them, the rate per 100,000 residents and the counts under them, each written by the one
formatter. Read by the council page, the embed card and the staff pages' preview.

Pure: no Django, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from councilperf.statistics import format
from councilperf.statistics.figures import AuthorityFigures
from councilperf.statistics.words import comparison_words, plural


@dataclass(frozen=True)
class KeyStatistic:
    code: str  # the measure's code: the page's anchor for it (#upheld_rate)
    title: str
    value: str
    peer: str
    numerator: int
    denominator: int
    interval: str
    comparison: str | None
    comparison_words: str
    empty_text: str
    counts_text: str


@dataclass(frozen=True)
class RateStatistic:
    value: str
    peer: str
    interval: str
    words: str
    label: str


@dataclass(frozen=True)
class Totals:
    """The counts shown under the key statistics, written by the one formatter."""

    complaints_received: str
    decisions_made: str
    detailed_investigations: str
    service_improvements: str
    public_reports: str
    population: int | None
    revision: int | None


def _key(figures_: AuthorityFigures, code: str, empty: str, counts: str) -> KeyStatistic:
    measure = figures_.measures[code]
    return KeyStatistic(
        code=code,
        title=measure.metric.title,
        value=format.figure(measure.metric, measure.value),
        peer=format.figure(measure.metric, measure.peer),
        numerator=measure.numerator,
        denominator=measure.denominator or 0,
        interval=format.interval(measure.metric, measure.lower, measure.upper),
        comparison=measure.comparison,
        comparison_words=comparison_words(measure.comparison, figures_.group),
        empty_text=empty,
        counts_text=counts,
    )


def key_statistics(data: AuthorityFigures) -> list[KeyStatistic]:
    """The key statistics of one authority's year, as the letter states them, and the
    share of remedies completed late."""
    investigations = data.count("detailed_investigations")
    upheld = data.count("upheld")
    outcomes = data.count("compliance_outcomes")
    late = data.count("complied_late")
    complied = data.count("complied") + late
    remedied = data.count("upheld_with_satisfactory_remedy")
    period = data.year
    return [
        _key(
            data,
            "upheld_rate",
            "No detailed investigations in this period",
            f"{plural(upheld, 'upheld decision')} of "
            f"{plural(investigations, 'detailed investigation')}, 1 April "
            f"{period.start_year} to 31 March {period.end_year}",
        ),
        _key(
            data,
            "compliance_rate",
            "No recommendations were due for compliance in this period",
            f"{complied} of {plural(outcomes, 'compliance outcome')} complied with ({late} late)",
        ),
        _key(
            data,
            "satisfactory_remedy_rate",
            "The Ombudsman did not uphold any detailed investigations during this period",
            f"{remedied} of {plural(upheld, 'upheld decision')}",
        ),
        _key(
            data,
            "late_remedy_rate",
            "No recommendations were due for compliance in this period",
            f"{late} of {plural(outcomes, 'compliance outcome')} complied with late",
        ),
    ]


def per_100k_statistic(data: AuthorityFigures) -> RateStatistic:
    measure = data.measures["upheld_per_100k"]
    return RateStatistic(
        value=format.one_decimal(measure.value),
        peer=format.one_decimal(measure.peer),
        interval=format.interval(measure.metric, measure.lower, measure.upper),
        words=comparison_words(measure.comparison, data.group),
        label=str(measure.comparison or "not_compared"),
    )


def totals(data: AuthorityFigures) -> Totals:
    return Totals(
        complaints_received=format.count(data.count("complaints_received")),
        decisions_made=format.count(data.count("decisions_made")),
        detailed_investigations=format.count(data.count("detailed_investigations")),
        service_improvements=format.count(data.count("service_improvements")),
        public_reports=format.count(data.count("public_reports")),
        population=data.population,
        revision=data.revision,
    )
