"""The figures review page of a year: what an analyst and a publisher check before freezing
and before approving (issue 26, point 3).

National totals and each comparison group's averages against last year, the councils whose
rates moved most (small-number councils left out of the ranking and listed apart), councils
with no population or no chief executive email, and the small-number councils. Every cell is
text written by ``statistics.format``; the page and its CSV show the same tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from councilperf.authorities.models import Authority, ContactRole
from councilperf.groups import GROUP_PLURAL
from councilperf.statistics import format as fmt
from councilperf.statistics import selectors as stats
from councilperf.statistics.figures import NATIONAL, AuthorityFigures, GroupFigures, Measure
from councilperf.statistics.measures import METRIC, PAGE_ORDER, Kind, Metric
from councilperf.years import ReportingYear

TOP = 5  # councils listed per measure in the moved-most ranking
TOTALS: tuple[tuple[str, str], ...] = (
    ("complaints_received", "Complaints received"),
    ("decisions_made", "Decisions made"),
    ("detailed_investigations", "Detailed investigations"),
    ("upheld", "Upheld"),
    ("upheld_with_satisfactory_remedy", "Upheld with a satisfactory remedy by the council"),
    ("compliance_outcomes", "Compliance outcomes"),
    ("complied", "Complied on time"),
    ("complied_late", "Complied late"),
    ("not_complied", "Not complied"),
    ("service_improvements", "Service improvements"),
    ("public_reports", "Public reports"),
)
CSV_HEADER = ("table", "row", "column", "value")

Figures = tuple[dict[str, AuthorityFigures], dict[str, GroupFigures]]


@dataclass(frozen=True)
class Table:
    key: str  # the element id on the page
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class FiguresReview:
    year: str
    previous: str
    which: str  # "the draft" or "revision 2"
    previous_which: str  # "" when last year has no statistics
    threshold: int
    tables: tuple[Table, ...]


def _load(year: ReportingYear) -> tuple[Figures, stats.RevisionInfo] | None:
    try:
        return stats.figures(year=year), stats.revision_info(year=year)
    except stats.StatisticsNotFound:
        return None


def _which(info: stats.RevisionInfo | None) -> str:
    if info is None:
        return ""
    return "the draft" if info.revision is None else f"revision {info.revision}"


def _signed(text: str, difference: Fraction) -> str:
    return f"+{text}" if difference > 0 else text


def count_change(now: int | None, before: int | None) -> str:
    if now is None or before is None:
        return fmt.NONE
    return _signed(fmt.count(now - before), Fraction(now - before))


def value_change(metric: Metric, now: Fraction | None, before: Fraction | None) -> str:
    """The change of a measure: percentage points for a percentage, else the rate's change."""
    if now is None or before is None:
        return fmt.NONE
    difference = now - before
    if metric.kind is Kind.PERCENT:
        return _signed(f"{fmt.one_decimal(difference * 100)} points", difference)
    return _signed(fmt.one_decimal(difference), difference)


def with_counts(measure: Measure) -> str:
    """ "29% (57 of 200)": the figure and the counts it is made of."""
    value = fmt.figure(measure.metric, measure.value)
    return f"{value} ({fmt.count(measure.numerator)} of {fmt.count(measure.denominator)})"


def _group_value(metric: Metric, group: GroupFigures | None) -> Fraction | None:
    return None if group is None else group.averages.get(metric.code)


def _totals(now: GroupFigures, before: GroupFigures | None, year: str, previous: str) -> Table:
    rows: list[tuple[str, ...]] = []
    for name, title in TOTALS:
        last = None if before is None else before.count(name)
        rows.append(
            (
                title,
                fmt.count(now.count(name)),
                fmt.count(last),
                count_change(now.count(name), last),
            )
        )
    for code in PAGE_ORDER:
        metric = METRIC[code]
        value, old = _group_value(metric, now), _group_value(metric, before)
        rows.append(
            (
                metric.label,
                fmt.figure(metric, value),
                fmt.figure(metric, old),
                value_change(metric, value, old),
            )
        )
    return Table("national", "England", ("Figure", year, previous, "Change"), tuple(rows))


def _groups(now: Mapping[str, GroupFigures], before: Mapping[str, GroupFigures]) -> Table:
    rows: list[tuple[str, ...]] = []
    for code, label in GROUP_PLURAL.items():
        group = now.get(code)
        if group is None:
            continue
        last = before.get(code)
        for metric_code in PAGE_ORDER:
            metric = METRIC[metric_code]
            value, old = _group_value(metric, group), _group_value(metric, last)
            rows.append(
                (
                    f"{label} ({fmt.count(group.authorities)})",
                    metric.label,
                    fmt.figure(metric, value),
                    fmt.figure(metric, old),
                    value_change(metric, value, old),
                )
            )
    header = ("Comparison group (councils)", "Average", "This year", "Last year", "Change")
    return Table("groups", "Comparison group averages", header, tuple(rows))


def _small(measure: Measure, threshold: int) -> bool:
    return measure.denominator is None or measure.denominator < threshold


def moved_most(
    now: Mapping[str, AuthorityFigures],
    before: Mapping[str, AuthorityFigures],
    *,
    threshold: int,
    top: int,
) -> tuple[Table, Table]:
    """The councils whose measures moved most, by measure; those with too few cases this
    year or last (a denominator under ``threshold``) go to a second table instead."""
    ranked: list[tuple[str, ...]] = []
    apart: list[tuple[str, ...]] = []
    for code in PAGE_ORDER:
        metric = METRIC[code]
        moves: list[tuple[Fraction, str, Measure, Measure]] = []
        for gss, found in now.items():
            old = before.get(gss)
            if old is None:
                continue
            measure, last = found.measures[code], old.measures[code]
            row = (metric.label, f"{found.name} ({gss})", with_counts(last), with_counts(measure))
            if _small(measure, threshold) or _small(last, threshold):
                apart.append(row)
            elif measure.value is not None and last.value is not None:
                moves.append((abs(measure.value - last.value), gss, measure, last))
        moves.sort(key=lambda move: (-move[0], now[move[1]].name))
        for _, gss, measure, last in moves[:top]:
            name = f"{now[gss].name} ({gss})"
            change = value_change(metric, measure.value, last.value)
            ranked.append((metric.label, name, with_counts(last), with_counts(measure), change))
    header = ("Measure", "Council", "Last year", "This year")
    return (
        Table("moved", "Moved most since last year", (*header, "Change"), tuple(ranked)),
        Table("moved-small", "Left out of the ranking: too few cases", header, tuple(apart)),
    )


def _missing(now: Mapping[str, AuthorityFigures]) -> tuple[Table, Table]:
    no_population = tuple(
        (f.name, gss, f.comparison_label) for gss, f in now.items() if f.population is None
    )
    with_chief = set(
        Authority.objects.filter(
            gss_code__in=list(now),
            contacts__role=ContactRole.CHIEF_EXECUTIVE,
            contacts__email__gt="",
        ).values_list("gss_code", flat=True)
    )
    no_contact = tuple(
        (f.name, gss, f.comparison_label) for gss, f in now.items() if gss not in with_chief
    )
    header = ("Council", "Code", "Comparison group")
    return (
        Table("no-population", "Councils with no population", header, no_population),
        Table("no-contact", "Councils with no chief executive email", header, no_contact),
    )


def _small_councils(now: Mapping[str, AuthorityFigures], threshold: int) -> Table:
    rows = tuple(
        (f.name, gss, fmt.count(f.count("detailed_investigations")))
        for gss, f in now.items()
        if f.count("detailed_investigations") < threshold
    )
    header = ("Council", "Code", "Detailed investigations")
    return Table("small", "Small-number councils", header, rows)


def figures_review(*, year: ReportingYear, top: int = TOP) -> FiguresReview:
    """The tables of the page (raises ``StatisticsNotFound`` when the year has none)."""
    previous = year.previous
    (authorities, groups), info = _load(year) or _raise(year.label)
    earlier = _load(previous)
    old_authorities, old_groups = earlier[0] if earlier else ({}, {})
    threshold = info.small_number_threshold
    moved, apart = moved_most(authorities, old_authorities, threshold=threshold, top=top)
    no_population, no_contact = _missing(authorities)
    tables = (
        _totals(groups[NATIONAL], old_groups.get(NATIONAL), year.label, previous.label),
        _groups(groups, old_groups),
        moved,
        apart,
        no_population,
        no_contact,
        _small_councils(authorities, threshold),
    )
    return FiguresReview(
        year=year.label,
        previous=previous.label,
        which=_which(info),
        previous_which=_which(earlier[1] if earlier else None),
        threshold=threshold,
        tables=tables,
    )


def _raise(label: str) -> tuple[Figures, stats.RevisionInfo]:
    raise stats.StatisticsNotFound(f"{label} has no statistics: compute them first")


def csv_rows(review: FiguresReview) -> list[tuple[str, str, str, str]]:
    """Every cell of every table as (table, row number, column heading, value), in the
    page's order (the CSV download writes these through ``councilperf.tables``)."""
    rows: list[tuple[str, str, str, str]] = []
    for table in review.tables:
        for index, row in enumerate(table.rows, start=1):
            for column, value in zip(table.header, row, strict=True):
                rows.append((table.title, str(index), column, value))
    return rows
