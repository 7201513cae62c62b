"""Every chart as data: the figures a chart draws (for its CSV) and what draws it (for its SVG).

Each chart of the site has a stable address beside its page (``…/chart.csv`` and
``…/chart.svg`` on a council page, ``…/funnel-upheld.csv`` on a compare page,
``…/chart-rates.svg`` on a review page) that reproduces the chart as the page shows it. The
rows here come from the same values the chart's geometry is placed from, so the CSV holds
exactly what is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from councilperf.authorities.models import Authority
from councilperf.groups import GROUP_PLURAL
from councilperf.published import figures
from councilperf.site.pages import compare, review, yearly
from councilperf.site.pages import council as council_pages
from councilperf.site.pages import side_by_side as side_by_side_pages
from councilperf.years import ReportingYear

Row = tuple[object, ...]


@dataclass(frozen=True)
class ChartData:
    name: str  # the file name's stem ("chart", "funnel-upheld", "chart-rates")
    title: str
    header: tuple[str, ...]
    rows: list[Row]
    template: str  # the SVG include that draws it
    width: int
    height: int
    synthetic: bool
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def csv_header(self) -> tuple[str, ...]:
        return (*self.header, "synthetic")

    @property
    def csv_rows(self) -> list[Row]:
        """The rows, each marked whether it is demonstration data (as the open data are)."""
        return [(*row, self.synthetic) for row in self.rows]


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def council_trend(authority: Authority, year: ReportingYear) -> ChartData:
    """The council page's "Over the years" chart: its upheld rate and its group's average."""
    points = council_pages.trend(authority)
    data = figures.authority(year, authority.gss_code)
    group = data.group if data else authority.group  # as the council page reads it
    notes = yearly.notes(sorted({p.year for p in points} | {year}), group=group)
    chart = council_pages.trend_chart(points, notes)
    if chart is None:
        raise Http404("No chart for this council")
    own = [p for p in points if not p.predecessor]
    rows: list[Row] = [
        (
            p.year.label,
            p.figures.code,
            p.figures.name,
            _number(p.figures.measures["upheld_rate"].value),
            _number(p.figures.measures["upheld_rate"].peer),
        )
        for p in own
    ]
    title = f"Complaints upheld, {authority.short_name} and similar councils"
    return ChartData(
        name="chart",
        title=title,
        header=("year", "code", "council", "upheld_rate", "similar_councils_upheld_rate"),
        rows=rows,
        template="site/includes/trend_svg.html",
        width=chart["width"],
        height=chart["height"],
        synthetic=any(p.figures.synthetic for p in own),
        context={"chart": chart, "authority": authority, "chart_title": title},
    )


REVIEW_CHARTS = ("received", "rates")


def review_chart(year: ReportingYear, name: str) -> ChartData:
    """One of the review page's charts: complaints received, or the three rates, by year."""
    if name not in REVIEW_CHARTS:
        raise Http404("No such chart")
    page = review.review_page(year)
    national = [(y, review.totals_of(figures.national(y))) for y in page.trend_years]
    if name == "received":
        title = "Complaints and enquiries received, England, by year"
        return ChartData(
            name="chart-received",
            title=title,
            header=("year", "complaints_received"),
            rows=[(y.label, int(t.get("complaints_received") or 0)) for y, t in national],
            template="site/includes/chart_svg.html",
            width=page.count_chart.width,
            height=page.count_chart.height,
            synthetic=page.synthetic,
            context={"chart": page.count_chart, "cid": "chart-received", "title": title},
        )
    keys = review.RATE_CHART
    title = "Upheld rate, compliance and satisfactory remedies, England, by year"
    return ChartData(
        name="chart-rates",
        title=title,
        header=("year", *keys),
        rows=[
            (y.label, *(_number(review.exact_measure(t, review.MEASURE[k])) for k in keys))
            for y, t in national
        ],
        template="site/includes/chart_svg.html",
        width=page.rate_chart.width,
        height=page.rate_chart.height,
        synthetic=page.synthetic,
        context={"chart": page.rate_chart, "cid": "chart-rates", "title": title},
    )


FUNNEL_HEADER = (
    "code",
    "council",
    "numerator",
    "denominator",
    "value",
    "group_average",
    "band",
    "lower_95",
    "upper_95",
    "lower_99_8",
    "upper_99_8",
)


def funnel_chart(year: ReportingYear, group: str, metric: str, highlight: str) -> ChartData:
    """A compare page's funnel plot of one measure (``metric`` is its key, "upheld")."""
    page = compare.compare_page(year, group, highlight)
    section = next((s for s in page.sections if s.metric.key == metric), None)
    if section is None:
        raise Http404("No such funnel plot")
    plot = section.plot
    rows: list[Row] = []
    for p in plot.points:
        limits = p.limits
        ends = (
            (limits.inner_lower, limits.inner_upper, limits.outer_lower, limits.outer_upper)
            if limits
            else (None, None, None, None)
        )
        rows.append(
            (
                p.entry.key,
                p.entry.label,
                p.entry.numerator,
                p.entry.denominator,
                p.value,
                plot.target,
                p.band.value,
                *ends,
            )
        )
    label = GROUP_PLURAL.get(group, group)
    return ChartData(
        name=f"funnel-{metric}",
        title=f"{section.metric.title}: {label.lower()}, {year}",
        header=FUNNEL_HEADER,
        rows=rows,
        template="site/includes/funnel_svg.html",
        width=plot.width,
        height=plot.height,
        synthetic=page.synthetic,
        context={
            "section": section,
            "plot": plot,
            "fid": f"funnel-{metric}",
            "group_label": label,
            "year": year,
        },
    )


def side_by_side_chart(raw: str, measure: str) -> ChartData:
    """A chart of the side-by-side page (``/compare/chart-upheld_rate.svg?councils=a,b``):
    one line per council, each figure with its likely range."""
    try:
        chosen = side_by_side_pages.choose(side_by_side_pages.read_slugs(raw))
    except side_by_side_pages.ChoiceError as error:
        raise Http404(str(error)) from None
    page = side_by_side_pages.side_by_side_page(chosen=chosen)
    block = next((m for m in page.measures if m.code == measure), None)
    if block is None or block.chart is None:
        raise Http404("No such chart")
    rows: list[Row] = []
    for authority in chosen:
        for p in council_pages.trend(authority):
            if p.predecessor:
                continue
            found = p.figures.measures[measure]
            rows.append(
                (
                    p.year.label,
                    p.figures.code,
                    authority.short_name,
                    _number(found.value),
                    found.lower,
                    found.upper,
                )
            )
    title = f"{block.title} by year"
    return ChartData(
        name=f"chart-{measure}",
        title=title,
        header=("year", "code", "council", measure, "lower_95", "upper_95"),
        rows=rows,
        template="site/includes/chart_svg.html",
        width=block.chart.width,
        height=block.chart.height,
        synthetic=page.synthetic,
        context={"chart": block.chart, "cid": f"chart-{measure}", "title": title},
    )
