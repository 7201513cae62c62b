"""Side by side (``/compare/?councils=a,b,c``): two to six councils of any type, their key
statistics over the published years (a successor with its predecessors' years, as on its
own page), one chart per measure and a table per measure. Each figure comes with its 95 %
interval (error bars in the chart, "45% (38%–52%)" in the table) and its council's group
average that year, so a real difference can be told from noise."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from councilperf.authorities.models import Authority
from councilperf.groups import GROUP_PLURAL, GROUP_SINGULAR
from councilperf.published import authorities as councils
from councilperf.site.pages import own_handling
from councilperf.site.pages.council import TrendPoint, trend
from councilperf.site.pages.neighbours import link
from councilperf.site.presentation.charts import Chart, line_chart
from councilperf.site.presentation.funnel import AXIS_STEPS, nice_ceiling
from councilperf.statistics import format
from councilperf.statistics.measures import METRIC, Kind
from councilperf.years import ReportingYear, labels

FEWEST, MOST = 2, 6
MEASURES = ("upheld_rate", "compliance_rate", "satisfactory_remedy_rate", "upheld_per_100k")
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$")


class ChoiceError(ValueError):
    """The address names councils that cannot be compared: the sentence says why; ``kept``
    are the councils of the address that can be (at most six)."""

    def __init__(self, message: str, kept: list[Authority]) -> None:
        super().__init__(message)
        self.kept = kept


def read_slugs(raw: str) -> list[str]:
    """The comma-separated councils of the address, in order, each once, lower case."""
    slugs: list[str] = []
    for part in raw.split(","):
        slug = part.strip().lower()
        if slug and slug not in slugs:
            slugs.append(slug)
    return slugs


def choose(slugs: Sequence[str]) -> list[Authority]:
    """The councils the slugs name, in their order; ChoiceError when one is malformed or has
    no published figures, or there are more than six (fewer than two is the caller's)."""
    wellformed = [s for s in slugs if SLUG.match(s)]
    found = {a.slug: a for a in councils.public_authorities().filter(slug__in=wellformed)}
    kept = [found[s] for s in slugs if s in found][:MOST]
    if len(slugs) > MOST:
        raise ChoiceError(f"Choose at most {MOST} councils: this address names {len(slugs)}.", kept)
    malformed = [s for s in slugs if not SLUG.match(s)]
    if malformed:
        raise ChoiceError(f"“{malformed[0][:60]}” is not a council's address name.", kept)
    unknown = [s for s in slugs if s not in found]
    if unknown:
        names = ", ".join(f"“{s}”" for s in unknown)
        raise ChoiceError(
            f"No council with published figures is called {names}: search for it below.", kept
        )
    return kept


@dataclass(frozen=True)
class Chosen:
    slug: str
    name: str
    official_name: str
    kind: str  # "District council", …
    ended: str  # "" or the last day, written
    remove: str  # the address without this council


@dataclass(frozen=True)
class Shown:
    """One figure as the council's own page shows it, and whose it is."""

    text: str  # the figure, as the council's own page shows it: "45%"
    year: ReportingYear
    code: str  # the GSS code of the council the figure belongs to
    owner: str  # that council's short name
    predecessor: bool
    interval: str = ""  # its 95 % interval: "38%–52%" ("" without one)
    peer_text: str = ""  # the group's average that year: "Average of district councils: 45%"


@dataclass(frozen=True)
class YearRow:
    year: ReportingYear
    cells: list[list[Shown]]  # per chosen council: its figure, or its predecessors'


@dataclass(frozen=True)
class MeasureBlock:
    code: str
    title: str
    chart: Chart | None
    rows: list[YearRow]


@dataclass(frozen=True)
class SideBySidePage:
    chosen: list[Chosen]
    slugs: list[str]
    measures: list[MeasureBlock]
    problem: str = ""
    query: str = ""  # the search for a council to add
    matches: list[tuple[str, str]] = field(default_factory=list)  # (name, address with it)
    synthetic: bool = False
    full: bool = False  # six councils: no more can be added
    comparable: bool = False  # two to six councils, all known
    own: list[own_handling.OwnTable] = field(default_factory=list)  # their own handling


def _chosen(authority: Authority, slugs: Sequence[str]) -> Chosen:
    return Chosen(
        slug=authority.slug,
        name=authority.short_name,
        official_name=authority.official_name,
        kind=GROUP_SINGULAR.get(authority.group, "Council"),
        ended=authority.end_date.strftime("%-d %B %Y") if authority.end_date else "",
        remove=link([s for s in slugs if s != authority.slug]),
    )


def _shown(point: TrendPoint, code: str) -> Shown:
    measure = point.figures.measures[code]
    group = GROUP_PLURAL.get(point.figures.group, "similar councils").lower()
    return Shown(
        text=format.figure(measure.metric, measure.value),
        interval=format.interval(measure.metric, measure.lower, measure.upper, between="–"),
        year=point.year,
        code=point.figures.code,
        owner=point.authority.short_name,
        predecessor=point.predecessor,
        peer_text=f"Average of {group}: {format.figure(measure.metric, measure.peer)}",
    )


Bar = tuple[float, float] | None


def _chart(
    code: str, years: list[ReportingYear], names: list[str], trends: list[list[TrendPoint]]
) -> Chart:
    """One line per council (its own years), each figure with its 95 % interval as an error
    bar; the councils a few pixels apart so that their bars do not hide each other."""
    metric = METRIC[code]
    series, intervals = [], []
    for name, points in zip(names, trends, strict=True):
        own = {p.year: p.figures.measures[code] for p in points if not p.predecessor}
        series.append((name, [own[y].value if y in own else None for y in years]))
        intervals.append([_bar(own[y].lower, own[y].upper) if y in own else None for y in years])
    if metric.kind is Kind.PERCENT:
        return line_chart(
            labels(years), series, width=640, height=260, intervals=intervals, dodge=6
        )
    tops = [b[1] for bars in intervals for b in bars if b is not None]
    values = [float(v) for _, found in series for v in found if v is not None]
    return line_chart(
        labels(years),
        series,
        y_max=nice_ceiling(max([*tops, *values], default=0) * 1.05, AXIS_STEPS),
        fmt=lambda v: format.axis_rate(float(v)),
        width=640,
        height=260,
        intervals=intervals,
        dodge=6,
    )


def _bar(lower: float | None, upper: float | None) -> Bar:
    return None if lower is None or upper is None else (lower, upper)


def _blocks(names: list[str], trends: list[list[TrendPoint]]) -> list[MeasureBlock]:
    years = sorted({p.year for points in trends for p in points})
    blocks = []
    for code in MEASURES:
        rows = [
            YearRow(
                year=year,
                cells=[[_shown(p, code) for p in points if p.year == year] for points in trends],
            )
            for year in years
        ]
        blocks.append(
            MeasureBlock(
                code=code,
                title=METRIC[code].title,
                chart=_chart(code, years, names, trends) if years else None,
                rows=rows,
            )
        )
    return blocks


def side_by_side_page(
    *, chosen: Sequence[Authority], problem: str = "", query: str = ""
) -> SideBySidePage:
    """The page for councils already checked by ``choose`` (published figures only)."""
    slugs = [a.slug for a in chosen]
    matches = []
    if query:
        for found in councils.search(query, limit=10):
            if found.slug not in slugs and len(slugs) < MOST:
                matches.append((found.short_name, link([*slugs, found.slug])))
    comparable = len(chosen) >= FEWEST and not problem
    trends = [trend(a) for a in chosen] if comparable else []
    return SideBySidePage(
        chosen=[_chosen(a, slugs) for a in chosen],
        slugs=slugs,
        measures=_blocks([a.short_name for a in chosen], trends) if comparable else [],
        problem=problem,
        query=query,
        matches=matches,
        synthetic=any(p.figures.synthetic for points in trends for p in points),
        full=len(slugs) >= MOST,
        comparable=comparable,
        own=own_handling.side_by_side_tables(chosen) if comparable else [],
    )
