"""The group page's one table: each council, then each measure's rate and comparison label.

Sorted on the server from the address (``?sort=upheld_rate``, ``?sort=-upheld_rate`` for the
highest first; by name otherwise), so it works without JavaScript. Councils that are not
compared (too few cases) are never ranked and always come last; equal rates share a rank,
shown as a tie ("=3"). The filter (region, county, name) keeps some rows; the average and the
ranks stay the whole group's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from councilperf.published.place_filter import Place, PlaceFilter
from councilperf.statistics import format
from councilperf.statistics.figures import AuthorityFigures, Measure
from councilperf.statistics.measures import Metric

SHORT_WORDS = {
    "lower": "Lower",
    "similar": "Similar",
    "higher": "Higher",
    "not_compared": "Not compared",
}


class BadSort(ValueError):
    """An order the table does not offer."""


@dataclass(frozen=True)
class Cell:
    value_text: str
    comparison: str  # the engine's label: "lower", "similar", "higher", "not_compared", ""
    words: str  # "Similar", "Not compared"…


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    url: str
    highlighted: bool
    cells: list[Cell]
    rank_text: str  # on the sorted measure: "3", "=3", "Not ranked", or "" sorted by name


@dataclass(frozen=True)
class Column:
    code: str
    title: str
    short: str
    ascending_url: str
    descending_url: str
    sort: str  # "ascending", "descending" or "none" (aria-sort)


@dataclass(frozen=True)
class Table:
    columns: list[Column]
    rows: list[Row]
    sort: str  # "" (by name), "upheld_rate" or "-upheld_rate"
    sorted_title: str  # the measure sorted on, or ""
    descending: bool
    shown: int
    total: int


@dataclass(frozen=True)
class Council:
    """One member of the group as the table needs it."""

    figures: AuthorityFigures
    name: str
    url: str
    place: Place
    highlighted: bool


def read_sort(value: str, metrics: Sequence[Metric]) -> tuple[str, bool]:
    """The metric code sorted on ("" for by name) and whether highest first."""
    code = value.removeprefix("-")
    if value in ("", "name"):
        return "", False
    if code not in {m.code for m in metrics}:
        raise BadSort(f"the table cannot be sorted by “{value}”")
    return code, value.startswith("-")


def ranked(measure: Measure) -> bool:
    return measure.value is not None and measure.comparison not in (None, "not_compared")


def rank_texts(values: dict[str, Fraction], descending: bool) -> dict[str, str]:
    """Standard competition ranks (1, =2, =2, 4), lowest first unless ``descending``."""
    ordered = sorted(values.items(), key=lambda item: item[1], reverse=descending)
    counts: dict[Fraction, int] = {}
    for _, value in ordered:
        counts[value] = counts.get(value, 0) + 1
    texts: dict[str, str] = {}
    rank, previous = 0, None
    for position, (code, value) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        texts[code] = f"={rank}" if counts[value] > 1 else str(rank)
    return texts


def _order(
    councils: Sequence[Council], code: str, descending: bool
) -> tuple[list[Council], dict[str, str]]:
    by_name = sorted(councils, key=lambda c: c.name)
    if not code:
        return by_name, {}
    values = {
        c.figures.code: c.figures.measures[code].value
        for c in councils
        if ranked(c.figures.measures[code])
    }
    texts = rank_texts({k: v for k, v in values.items() if v is not None}, descending)
    first = sorted(
        (c for c in by_name if c.figures.code in texts),
        key=lambda c: values[c.figures.code] or 0,
        reverse=descending,
    )
    last = [c for c in by_name if c.figures.code not in texts]
    return first + last, texts


def _cell(metric: Metric, measure: Measure) -> Cell:
    label = str(measure.comparison or "")
    return Cell(format.figure(metric, measure.value), label, SHORT_WORDS.get(label, format.NONE))


def _columns(
    metrics: Sequence[Metric],
    chosen: PlaceFilter,
    extra: list[tuple[str, str]],
    code: str,
    descending: bool,
) -> list[Column]:
    def url(order: str) -> str:
        return chosen.query(("sort", order), *extra) or "?"

    return [
        Column(
            code=m.code,
            title=m.title,
            short=m.rate_short,
            ascending_url=url(m.code),
            descending_url=url("-" + m.code),
            sort=("descending" if descending else "ascending") if m.code == code else "none",
        )
        for m in metrics
    ]


def table(
    *,
    councils: Sequence[Council],
    metrics: Sequence[Metric],
    sort: str,
    chosen: PlaceFilter,
    highlight: str,
) -> Table:
    """The table of ``councils`` (the whole group) as filtered by ``chosen`` and sorted."""
    code, descending = read_sort(sort, metrics)
    ordered, texts = _order(councils, code, descending)
    rows = [
        Row(
            code=c.figures.code,
            name=c.name,
            url=c.url,
            highlighted=c.highlighted,
            cells=[_cell(m, c.figures.measures[m.code]) for m in metrics],
            rank_text=texts.get(c.figures.code, "Not ranked") if code else "",
        )
        for c in ordered
        if chosen.keeps(c.place, c.name)
    ]
    extra = [("council", highlight)]
    return Table(
        columns=_columns(metrics, chosen, extra, code, descending),
        rows=rows,
        sort=sort if code else "",
        sorted_title=next((m.title for m in metrics if m.code == code), ""),
        descending=descending,
        shown=len(rows),
        total=len(councils),
    )
