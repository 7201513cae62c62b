"""The compare (group) page: every authority of one comparison group in one published year.

One table of all measures (:mod:`compare_table`: each council's rates and comparison labels,
sorted and filtered from the address), then for each key rate a funnel plot (geometry from
:mod:`councilperf.site.presentation.funnel`) with the figures behind it. Counts, intervals
and comparison labels are the statistics engine's stored figures (the typed read model). The
funnel labels come from exact tail probabilities (binomial or Poisson,
:mod:`councilperf.statistics.core.tails`) and may differ from the comparison, which uses the
council's own 95 % interval: the page says so. A council under the small-number rule is drawn
but never labelled, counted or ranked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from django.http import Http404
from django.urls import reverse

from councilperf.authorities.models import Authority
from councilperf.groups import GROUP_CODES, GROUP_PLURAL
from councilperf.published import figures, place_filter, places
from councilperf.published.place_filter import Option, Place, PlaceFilter
from councilperf.site.pages import compare_table, own_handling
from councilperf.site.presentation import funnel
from councilperf.statistics import format
from councilperf.statistics.figures import AuthorityFigures
from councilperf.statistics.measures import METRIC, Kind, Metric
from councilperf.statistics.words import comparison_words
from councilperf.years import ReportingYear

GROUPS: tuple[str, ...] = GROUP_CODES
NOWHERE = Place()
UNFILTERED = PlaceFilter()


@dataclass(frozen=True)
class CompareMetric:
    """A registry metric as the compare page names it (``key`` is its stored part)."""

    metric: Metric

    @property
    def key(self) -> str:
        return self.metric.part

    @property
    def title(self) -> str:
        return self.metric.title

    @property
    def short(self) -> str:
        return self.metric.rate_short

    @property
    def numerator_label(self) -> str:
        return self.metric.numerator_label

    @property
    def denominator_label(self) -> str:
        return self.metric.denominator_label

    @property
    def kind(self) -> funnel.Kind:
        return funnel.Kind.PROPORTION if self.metric.kind is Kind.PERCENT else funnel.Kind.RATE


COMPARE_METRICS: tuple[CompareMetric, ...] = tuple(
    CompareMetric(METRIC[code])
    for code in (
        "upheld_rate",
        "compliance_rate",
        "satisfactory_remedy_rate",
        "upheld_per_100k",
        "late_remedy_rate",
    )
)


def require_group(group: str) -> str:
    if group not in GROUPS:
        raise Http404("No such comparison group")
    return group


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Section:
    metric: CompareMetric
    plot: funnel.Plot
    rows: list[TableRow]
    peer_text: str
    description: str
    points: list[tuple[funnel.Point, str]]  # each plotted point and its hover/focus text


@dataclass(frozen=True)
class Member:
    figures: AuthorityFigures
    slug: str
    short_name: str
    place: Place = NOWHERE


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


def _target(
    metric: Metric, members: list[Member], year: ReportingYear, group: str
) -> Fraction | None:
    """The group's average, exactly as stored with each authority's figures (or the group's)."""
    for m in members:
        peer = m.figures.measures[metric.code].peer
        if peer is not None:
            return peer
    found = figures.groups(year).get(group)
    return found.averages.get(metric.code) if found else None


def _small(denominator: int | None, threshold: int) -> bool:
    """Under the small-number rule: fewer cases than the threshold (the engine's rule)."""
    return denominator is not None and denominator < threshold


def _limits_text(metric: Metric, limits: funnel.Limits | None, denominator: int | None) -> str:
    """The whole counts within the 95 % (and 99.8 %) limits at this council's size: the
    exact steps, not a rounded percentage that might sit on the wrong side of a count."""
    if limits is None:
        return format.NONE
    c = limits.counts
    of = f" of {format.count(denominator or 0)}" if metric.kind is Kind.PERCENT else ""
    return (
        f"{format.count(c.inner_lower)} to {format.count(c.inner_upper)}{of}"
        f" (99.8%: {format.count(c.outer_lower)} to {format.count(c.outer_upper)})"
    )


def _row(
    metric: Metric,
    member: Member,
    entry: funnel.Entry,
    point: funnel.Point | None,
    rank: int | None,
) -> TableRow:
    measure = member.figures.measures[metric.code]
    label = str(measure.comparison or "not_compared")
    band = point.band if point else funnel.Band.NONE
    return TableRow(
        code=entry.key,
        name=entry.label,
        url=entry.url,
        numerator=entry.numerator,
        denominator=entry.denominator,
        value=point.value if point else None,
        value_text=format.figure(metric, measure.value),
        interval_text=format.interval(metric, measure.lower, measure.upper) or format.NONE,
        comparison=label,
        comparison_words=comparison_words(label, member.figures.group),
        band=band,
        band_words=funnel.BAND_WORDS[band],
        limits_text=_limits_text(metric, point.limits if point else None, entry.denominator),
        rank=rank,
        highlighted=entry.highlighted,
    )


def _description(compare: CompareMetric, plot: funnel.Plot, group: str, peer_text: str) -> str:
    group_plural = GROUP_PLURAL.get(group, "similar councils").lower()
    bands = Counter(p.band for p in plot.points)
    outside = [
        f"{bands[b]} {'lies' if bands[b] == 1 else 'lie'} {funnel.BAND_WORDS[b].lower()}"
        for b in (funnel.Band.ABOVE_OUTER, funnel.Band.BELOW_OUTER)
        if bands[b]
    ]
    return (
        f"Funnel plot: {compare.short.lower()} of each of {len(plot.points)} "
        f"{group_plural} against {compare.denominator_label.lower()}. The horizontal line is "
        f"the average of {group_plural}, {peer_text}; the inner funnel marks the 95% limits and "
        f"the outer funnel the 99.8% limits around it, which narrow as the number grows. "
        + (("Of the councils, " + " and ".join(outside) + ". ") if outside else "")
        + "The figures are in the table that follows."
    )


def _section(
    compare: CompareMetric,
    year: ReportingYear,
    group: str,
    members: list[Member],
    threshold: int,
    highlight: str,
) -> Section:
    metric = compare.metric
    target = _target(metric, members, year, group)
    entries = [
        funnel.Entry(
            key=m.figures.code,
            label=m.short_name,
            numerator=m.figures.measures[metric.code].numerator,
            denominator=m.figures.measures[metric.code].denominator,
            url=reverse("site:council_year", args=[m.slug, year]) if m.slug else "",
            highlighted=bool(highlight) and m.slug == highlight,
            small=_small(m.figures.measures[metric.code].denominator, threshold),
        )
        for m in members
    ]
    plot = funnel.build(entries, target, compare.kind)
    placed = {p.entry.key: p for p in plot.points}
    eligible = {e.key for e in entries if e.denominator is not None and not e.small}
    order = ranks({k: p.value for k, p in placed.items()}, eligible)
    rows = [
        _row(metric, m, e, placed.get(e.key), order.get(e.key))
        for m, e in zip(members, entries, strict=True)
    ]
    details = {
        r.code: (
            f"{r.name}: {r.value_text} ({format.count(r.numerator)} of "
            f"{format.count(r.denominator or 0)}"
            f" {compare.denominator_label.lower()}). {r.band_words}. {r.comparison_words}."
        )
        for r in rows
        if r.code in placed
    }
    peer_text = format.figure(metric, target)
    return Section(
        metric=compare,
        plot=plot,
        rows=rows,
        peer_text=peer_text,
        description=_description(compare, plot, group, peer_text),
        points=[(p, details.get(p.entry.key, p.entry.label)) for p in plot.points],
    )


@dataclass(frozen=True)
class ComparePage:
    group: str
    group_label: str
    sections: list[Section]
    table: compare_table.Table
    filter: PlaceFilter
    region_options: list[Option]
    county_options: list[Option]
    threshold: int
    highlighted: Member | None
    highlight_slug: str
    councils: int
    synthetic: bool
    group_query: str  # the filter, for the other groups' links
    year_query: str  # the filter and the highlighted council, for the other years' links
    name_query: str  # the same in order of name
    clear_query: str  # every council, the same order and highlight
    own: own_handling.OwnTable | None = None  # the councils' own complaint handling


def _members(year: ReportingYear, group: str) -> list[Member]:
    found = [f for f in figures.authorities(year).values() if f.group == group]
    names = {
        code: (slug, name)
        for code, slug, name in Authority.objects.filter(
            gss_code__in=[f.code for f in found]
        ).values_list("gss_code", "slug", "short_name")
    }
    where = places.places(f.code for f in found)
    members = [
        Member(f, *names.get(f.code, ("", f.name)), where.get(f.code, NOWHERE)) for f in found
    ]
    return sorted(members, key=lambda m: m.short_name)


def _table(
    year: ReportingYear, members: list[Member], chosen: PlaceFilter, sort: str, highlight: str
) -> compare_table.Table:
    councils = [
        compare_table.Council(
            figures=m.figures,
            name=m.short_name,
            url=reverse("site:council_year", args=[m.slug, year]) if m.slug else "",
            place=m.place,
            highlighted=bool(highlight) and m.slug == highlight,
        )
        for m in members
    ]
    metrics = [c.metric for c in COMPARE_METRICS]
    return compare_table.table(
        councils=councils, metrics=metrics, sort=sort, chosen=chosen, highlight=highlight
    )


def compare_page(
    year: ReportingYear,
    group: str,
    highlight: str = "",
    *,
    chosen: PlaceFilter = UNFILTERED,
    sort: str = "",
) -> ComparePage:
    """Everything the compare page shows (``year`` already checked to be published).

    Raises :class:`compare_table.BadSort` for an order the table does not offer."""
    members = _members(year, group)
    if not members:
        raise Http404("No councils of this group in this year")
    threshold = figures.small_number_threshold(year) or 0
    sections = [_section(m, year, group, members, threshold, highlight) for m in COMPARE_METRICS]
    highlighted = next((m for m in members if highlight and m.slug == highlight), None)
    where = [m.place for m in members]
    slug = highlighted.slug if highlighted else ""
    table = _table(year, members, chosen, sort, slug)
    return ComparePage(
        group=group,
        group_label=GROUP_PLURAL.get(group, group),
        sections=sections,
        table=table,
        filter=chosen,
        region_options=place_filter.region_options((p.region for p in where), chosen),
        county_options=place_filter.county_options(where, chosen),
        threshold=threshold,
        highlighted=highlighted,
        highlight_slug=slug,
        councils=len(members),
        synthetic=any(m.figures.synthetic for m in members),
        group_query=chosen.query(),
        year_query=chosen.query(("council", slug)),
        name_query=chosen.query(("council", slug)),
        clear_query=UNFILTERED.query(("sort", sort), ("council", slug)),
        own=own_handling.group_table(
            year, [(r.code, r.name, r.url, r.highlighted) for r in table.rows]
        ),
    )
