"""The compare page: every authority of one comparison group in one published year.

For each key rate a funnel plot (geometry from :mod:`councilperf.public.funnel`) and the
same figures as a table. Counts, rates, intervals, funnel limits at each authority's own
denominator and comparison labels are the statistics engine's stored figures; nothing here
recomputes them. Only the funnel curves between the points are drawn from the engine's
``funnel_limits`` (and, for rates per 100,000, :func:`funnel.rate_limits`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.http import Http404
from django.urls import reverse

from councilperf.authorities.models import Authority, ComparisonGroup
from councilperf.public import figures, funnel
from councilperf.public.figures import Row
from councilperf.public.selectors import (
    GROUP_PLURAL,
    as_float,
    comparison_words,
    per_100k,
    percent,
    percent_of,
)

GROUPS: tuple[str, ...] = tuple(ComparisonGroup.values)


@dataclass(frozen=True)
class CompareMetric:
    key: str  # also the stored figures' key
    title: str
    short: str
    numerator_label: str
    denominator_label: str
    numerator: tuple[str, ...]  # export columns summed for the numerator
    denominator: str  # export column
    peer: str  # group_averages key
    kind: funnel.Kind
    lower_is: str  # what a low value means, for the description


COMPARE_METRICS: tuple[CompareMetric, ...] = (
    CompareMetric(
        "upheld",
        "Complaints upheld",
        "Upheld rate",
        "Upheld",
        "Detailed investigations",
        ("upheld",),
        "detailed_investigations",
        "upheld_rate",
        funnel.Kind.PROPORTION,
        "fewer complaints upheld",
    ),
    CompareMetric(
        "compliance",
        "Compliance with recommendations",
        "Compliance rate",
        "Complied (on time or late)",
        "Compliance outcomes",
        ("complied", "complied_late"),
        "compliance_outcomes",
        "compliance_rate",
        funnel.Kind.PROPORTION,
        "fewer recommendations complied with",
    ),
    CompareMetric(
        "satisfactory_remedy",
        "Satisfactory remedies by the council",
        "Satisfactory remedy rate",
        "Remedied by the council",
        "Upheld decisions",
        ("upheld_with_satisfactory_remedy",),
        "upheld",
        "satisfactory_remedy_rate",
        funnel.Kind.PROPORTION,
        "fewer upheld complaints already put right by the council",
    ),
    CompareMetric(
        "upheld_per_100k",
        "Upheld decisions per 100,000 residents",
        "Upheld per 100,000",
        "Upheld",
        "Population",
        ("upheld",),
        "population",
        "upheld_per_100k",
        funnel.Kind.RATE,
        "fewer upheld decisions for the number of residents",
    ),
)


def require_group(group: str) -> str:
    if group not in GROUPS:
        raise Http404("No such comparison group")
    return group


@dataclass
class TableRow:
    code: str
    name: str
    url: str
    numerator: int
    denominator: int | None
    value: float | None
    value_text: str
    interval_text: str
    comparison: str
    comparison_words: str
    band: funnel.Band
    band_words: str
    limits_text: str
    rank: int | None
    highlighted: bool


@dataclass
class Section:
    metric: CompareMetric
    plot: funnel.Plot
    rows: list[TableRow]
    peer_text: str
    description: str
    points: list[tuple[funnel.Point, str]]  # each plotted point and its hover/focus text


def _count(row: Row, names: tuple[str, ...]) -> int:
    return sum(int(row.get(n) or 0) for n in names)


def _value_text(metric: CompareMetric, numerator: int, denominator: int | None, rate: Any) -> str:
    if metric.kind is funnel.Kind.PROPORTION:
        return percent_of(numerator, denominator or 0)
    return per_100k(rate)


def _fmt(metric: CompareMetric, value: float) -> str:
    return percent(value) if metric.kind is funnel.Kind.PROPORTION else per_100k(value)


def ranks(values: dict[str, float], eligible: set[str]) -> dict[str, int]:
    """Standard competition ranks (1, 2, 2, 4), lowest value first, of eligible keys only."""
    ordered = sorted((v, k) for k, v in values.items() if k in eligible)
    result: dict[str, int] = {}
    previous: float | None = None
    rank = 0
    for position, (value, key) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        result[key] = rank
    return result


def _target(metric: CompareMetric, stored: list[Row], group_row: Row | None) -> Fraction | None:
    """The group's average as an exact fraction (as stored with each authority's figures)."""
    for parts in stored:
        exact = ((parts.get("figures") or {}).get(metric.key) or {}).get("peer_exact")
        if exact:
            return Fraction(exact)
    value = as_float((group_row or {}).get(metric.peer))
    return Fraction(value) if value is not None else None


def _section(
    metric: CompareMetric,
    year: str,
    group: str,
    members: list[tuple[Row, str]],
    stored: dict[str, Row],
    group_row: Row | None,
    threshold: int,
    highlight: str,
) -> Section:
    target = _target(
        metric, [stored.get(str(r["authority_code"]), {}) for r, _ in members], group_row
    )
    entries = []
    for row, slug in members:
        denominator = row.get(metric.denominator)
        entries.append(
            funnel.Entry(
                key=str(row["authority_code"]),
                label=str(row["short_name"]),
                numerator=_count(row, metric.numerator),
                denominator=int(denominator) if denominator is not None else None,
                url=reverse("public:council_year", args=[slug, year]) if slug else "",
                highlighted=bool(highlight) and slug == highlight,
            )
        )
    plot = funnel.build(entries, target, metric.kind)
    placed = {p.entry.key: p for p in plot.points}
    eligible = {e.key for e in entries if e.denominator is not None and e.denominator >= threshold}
    order = ranks({k: p.value for k, p in placed.items()}, eligible)
    group_plural = GROUP_PLURAL.get(group, "similar councils").lower()
    rows: list[TableRow] = []
    details: dict[str, str] = {}
    for (row, _slug), entry in zip(members, entries, strict=True):
        part = (stored.get(entry.key, {}).get("figures") or {}).get(metric.key) or {}
        point = placed.get(entry.key)
        label = str(part.get("comparison") or "not_compared")
        words = comparison_words(label, group)
        low, high = as_float(part.get("lower")), as_float(part.get("upper"))
        limits = point.limits if point else None
        value_text = _value_text(metric, entry.numerator, entry.denominator, row.get(metric.key))
        band = point.band if point else funnel.Band.NONE
        rows.append(
            TableRow(
                code=entry.key,
                name=entry.label,
                url=entry.url,
                numerator=entry.numerator,
                denominator=entry.denominator,
                value=point.value if point else None,
                value_text=value_text,
                interval_text=(
                    f"{_fmt(metric, low)} to {_fmt(metric, high)}"
                    if low is not None and high is not None
                    else "–"
                ),
                comparison=label,
                comparison_words=words,
                band=band,
                band_words=funnel.BAND_WORDS[band],
                limits_text=(
                    f"{_fmt(metric, limits.inner_lower)} to {_fmt(metric, limits.inner_upper)}"
                    f" (99.8%: {_fmt(metric, limits.outer_lower)} to "
                    f"{_fmt(metric, limits.outer_upper)})"
                    if limits
                    else "–"
                ),
                rank=order.get(entry.key),
                highlighted=entry.highlighted,
            )
        )
        if point:
            details[entry.key] = (
                f"{entry.label}: {value_text} ({entry.numerator:,} of {entry.denominator:,}"
                f" {metric.denominator_label.lower()}). {funnel.BAND_WORDS[band]}. {words}."
            )
    bands = Counter(p.band for p in plot.points)
    peer_text = _fmt(metric, float(target)) if target is not None else "–"
    outside = [
        f"{bands[b]} {'lies' if bands[b] == 1 else 'lie'} {funnel.BAND_WORDS[b].lower()}"
        for b in (funnel.Band.ABOVE_OUTER, funnel.Band.BELOW_OUTER)
        if bands[b]
    ]
    description = (
        f"Funnel plot: {metric.short.lower()} of each of {len(plot.points)} "
        f"{group_plural} against {metric.denominator_label.lower()}. The horizontal line is the "
        f"average of {group_plural}, {peer_text}; the inner funnel marks the 95% limits and "
        f"the outer funnel the 99.8% limits around it, which narrow as the number grows. "
        + (("Of the councils, " + " and ".join(outside) + ". ") if outside else "")
        + "The figures are in the table that follows."
    )
    return Section(
        metric=metric,
        plot=plot,
        rows=rows,
        peer_text=peer_text,
        description=description,
        points=[(p, details.get(p.entry.key, p.entry.label)) for p in plot.points],
    )


def compare_page(year: str, group: str, highlight: str = "") -> dict[str, Any]:
    """Everything the compare page shows (``year`` already checked to be published)."""
    members_rows = [r for r in figures.export_rows(year) if r.get("comparison_group") == group]
    if not members_rows:
        raise Http404("No councils of this group in this year")
    found = {
        code: (slug, name)
        for code, slug, name in Authority.objects.filter(
            gss_code__in=[r["authority_code"] for r in members_rows]
        ).values_list("gss_code", "slug", "short_name")
    }
    members = []
    for row in members_rows:
        slug, name = found.get(str(row["authority_code"]), ("", str(row["authority_name"])))
        members.append(({**row, "short_name": name}, slug))
    members.sort(key=lambda m: str(m[0]["short_name"]))
    stored = figures.stored_figures(year)
    group_row = figures.group_averages(year).get(group)
    threshold = figures.small_number_threshold(year) or 0
    sections = [
        _section(m, year, group, members, stored, group_row, threshold, highlight)
        for m in COMPARE_METRICS
    ]
    highlighted = next(((r, s) for r, s in members if highlight and s == highlight), None)
    return {
        "group": group,
        "group_label": GROUP_PLURAL.get(group, group),
        "sections": sections,
        "threshold": threshold,
        "highlighted": highlighted[0] if highlighted else None,
        "highlight_slug": highlighted[1] if highlighted else "",
        "councils": len(members),
        "synthetic": any(bool(r.get("synthetic")) for r in members_rows),
    }
