"""Reads for the public site. Views call these and render; nothing here writes.

Only published review years exist on the public site: every selector that takes a year is
called after ``require_published`` (views) or filters to published years itself.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from councilperf.authorities.models import TIER_GROUPS, Authority, AuthorityYear, ComparisonGroup
from councilperf.casework.models import (
    Case,
    Outcome,
    Recommendation,
    ServiceArea,
)
from councilperf.letters.batch import ensure_letter
from councilperf.letters.models import Letter
from councilperf.public import figures
from councilperf.public.figures import Row
from councilperf.statistics.core.rounding import round_half_away_from_zero, whole_percent
from councilperf.years import ReportingYear

TIERS: dict[str, str] = {
    "upper": "County & unitary tier",
    "lower": "District & unitary tier",
}


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    short: str
    denominator: str  # key of the count the rate is out of ("" for per-100k)
    numerator: str
    percent: bool
    peer_key: str
    denominator_label: str
    breaks: tuple[float, ...]  # class upper limits (the last class is open)


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric(
            "upheld_rate",
            "Complaints upheld (% of detailed investigations)",
            "Upheld",
            "detailed_investigations",
            "upheld",
            True,
            "peer_upheld_rate",
            "Detailed investigations",
            (0.2, 0.4, 0.6, 0.8),
        ),
        Metric(
            "upheld_per_100k",
            "Upheld decisions per 100,000 residents",
            "Upheld per 100,000",
            "population",
            "upheld",
            False,
            "peer_upheld_per_100k",
            "Population",
            (2.0, 4.0, 6.0, 8.0),
        ),
        Metric(
            "compliance_rate",
            "Compliance with recommendations (%)",
            "Compliance",
            "compliance_outcomes",
            "complied_total",
            True,
            "peer_compliance_rate",
            "Compliance outcomes",
            (0.9, 0.95, 0.99, 0.999),
        ),
        Metric(
            "satisfactory_remedy_rate",
            "Satisfactory remedies by the council (% of upheld)",
            "Satisfactory remedy",
            "upheld",
            "upheld_with_satisfactory_remedy",
            True,
            "peer_satisfactory_remedy_rate",
            "Upheld decisions",
            (0.1, 0.2, 0.3, 0.4),
        ),
    )
}

# Sequential blues (light to dark), each passing 3:1 against its neighbours' borders.
CLASS_COLOURS = ("#deebf7", "#9ecae1", "#5a9fcf", "#2b6ca8", "#0b3d6e")
NO_DATA_COLOUR = "#bfc1c3"  # grey: clearly not a shade of the blue scale

COMPARISON_WORDS = {
    "lower": "lower than",
    "similar": "similar to",
    "higher": "higher than",
}
GROUP_PLURAL = {value: label for value, label in ComparisonGroup.choices}
GROUP_SINGULAR = {
    "county": "County council",
    "district": "District council",
    "metropolitan": "Metropolitan borough",
    "unitary": "Unitary council",
    "london": "London borough",
}


# ── years ──────────────────────────────────────────────────────────────────────────────────


def published_years() -> list[str]:
    return figures.published_years()


def require_published(year: str) -> str:
    """The year label if it is a published review year; 404 otherwise."""
    try:
        label = ReportingYear.parse(year).label
    except ValueError:
        raise Http404("Not a reporting year") from None
    if label != year or not figures.is_published(label):
        raise Http404("No published review for this year")
    return label


def latest_published_year() -> str | None:
    years = published_years()
    return years[-1] if years else None


# ── numbers in words ───────────────────────────────────────────────────────────────────────


def as_float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    number = float(value)
    return None if math.isnan(number) else number


def percent(value: Any) -> str:
    """A proportion in [0, 1] as a whole percentage (for values with no exact counts)."""
    number = as_float(value)
    if number is None:
        return "–"
    return f"{round_half_away_from_zero(Fraction(number) * 100)}%"


def percent_of(numerator: int, denominator: int) -> str:
    """Rounded half away from zero on the exact fraction, as in the letters: "45%"."""
    value = whole_percent(numerator, denominator)
    return "–" if value is None else f"{value}%"


def _count(row: Row, key: str) -> int:
    return int(row.get(key) or 0)


def numerator(row: Row, metric: Metric) -> int:
    if metric.numerator == "complied_total":
        return _count(row, "complied") + _count(row, "complied_late")
    return _count(row, metric.numerator)


def display(row: Row, metric: Metric) -> str:
    """A row's figure for a metric as shown on the site (rounded on exact counts)."""
    if metric.percent:
        return percent_of(numerator(row, metric), _count(row, metric.denominator))
    return per_100k(row.get(metric.key))


def per_100k(value: Any) -> str:
    number = as_float(value)
    return "–" if number is None else f"{number:.1f}"


def format_metric(metric: Metric, value: Any) -> str:
    return percent(value) if metric.percent else per_100k(value)


def comparison_words(label: str | None, group: str) -> str:
    """ "similar to district councils"; "" when the engine gave no comparison."""
    group_name = GROUP_PLURAL.get(group, "similar authorities").lower()
    if label in COMPARISON_WORDS:
        return f"{COMPARISON_WORDS[label].capitalize()} {group_name}"
    if label == "not_compared":
        return "Not compared: too few cases to compare fairly"
    return ""


def metric_value(row: Row, metric: Metric) -> float | None:
    return as_float(row.get(metric.key))


def metric_class(metric: Metric, value: float | None) -> int | None:
    """Index of the legend class a value falls in (None: nothing to show)."""
    if value is None:
        return None
    for index, limit in enumerate(metric.breaks):
        if value < limit:
            return index
    return len(metric.breaks)


def legend(metric: Metric) -> list[dict[str, str]]:
    limits = (0.0, *metric.breaks)
    items = []
    for index, colour in enumerate(CLASS_COLOURS):
        low = limits[index]
        if index < len(metric.breaks):
            text = (
                f"{format_metric(metric, low)} to under {format_metric(metric, limits[index + 1])}"
            )
        else:
            text = f"{format_metric(metric, low)} or more"
        items.append({"colour": colour, "text": text})
    return items


# ── authorities and search ─────────────────────────────────────────────────────────────────


def public_authorities() -> QuerySet[Authority]:
    """Authorities that existed in at least one published year."""
    return Authority.objects.filter(years__year__in=published_years()).distinct()


def authority_or_404(slug: str) -> Authority:
    authority = public_authorities().filter(slug=slug).first()
    if authority is None:
        raise Http404("No council with published figures at this address")
    return authority


def authority_years(authority: Authority) -> list[str]:
    """Published years this authority existed in, oldest first."""
    published = set(published_years())
    return sorted(y for y in authority.years.values_list("year", flat=True) if y in published)


def search(query: str, *, limit: int = 20) -> list[Authority]:
    """Councils whose name contains every word of the query, best matches first."""
    words = [w for w in query.lower().replace(",", " ").split() if w not in {"council", "the"}]
    if not words:
        return []
    found = public_authorities()
    for word in words:
        found = found.filter(Q(short_name__icontains=word) | Q(official_name__icontains=word))
    text = " ".join(words)
    return sorted(
        found[:200],
        key=lambda a: (
            not a.short_name.lower().startswith(text),
            a.end_date is not None,
            a.short_name,
        ),
    )[:limit]


def suggestions() -> list[dict[str, str]]:
    """Every council with published figures, for the type-ahead (small: a few hundred)."""
    return [
        {
            "name": a.short_name,
            "official": a.official_name,
            "url": f"/councils/{a.slug}/",
            "group": GROUP_PLURAL.get(a.group, ""),
            "ended": a.end_date.isoformat() if a.end_date else "",
        }
        for a in public_authorities().order_by("short_name")
    ]


# ── the map and its table ──────────────────────────────────────────────────────────────────


def rows_by_code(year: str) -> dict[str, Row]:
    return {str(r["authority_code"]): r for r in figures.export_rows(year)}


def map_rows(year: str, tier: str, metric: Metric) -> list[dict[str, Any]]:
    """One row per authority drawn on the map of this year and tier, with its value."""
    groups = TIER_GROUPS[tier]
    rows = rows_by_code(year)
    result = []
    for ay in (
        AuthorityYear.objects.filter(year=year, group__in=groups)
        .select_related("authority")
        .order_by("authority__short_name")
    ):
        authority = ay.authority
        row = rows.get(authority.gss_code, {})
        value = metric_value(row, metric)
        denominator = row.get(metric.denominator)
        result.append(
            {
                "code": authority.gss_code,
                "name": authority.short_name,
                "slug": authority.slug,
                "group": GROUP_PLURAL.get(ay.group, ay.group),
                "value": value,
                "display": display(row, metric) if row else "–",
                "denominator": denominator,
                "class": metric_class(metric, value),
                "comparison": row.get(metric.key.replace("_rate", "") + "_comparison")
                if metric.key == "upheld_rate"
                else None,
                "synthetic": bool(row.get("synthetic")),
            }
        )
    return result


def map_figures(year: str) -> dict[str, Any]:
    """A year's figures for the map script: who is on each tier, and every metric's value."""
    rows = rows_by_code(year)
    authorities: dict[str, Any] = {}
    tiers: dict[str, list[str]] = {tier: [] for tier in TIERS}
    for ay in AuthorityYear.objects.filter(year=year).select_related("authority"):
        a = ay.authority
        row = rows.get(a.gss_code, {})
        for tier in TIERS:
            if ay.group in TIER_GROUPS[tier]:
                tiers[tier].append(a.gss_code)
        authorities[a.gss_code] = {
            "name": a.short_name,
            "url": f"/councils/{a.slug}/{year}/",
            "group": GROUP_PLURAL.get(ay.group, ay.group),
            "values": {key: as_float(row.get(key)) for key in METRICS},
            "display": {m.key: display(row, m) if row else "–" for m in METRICS.values()},
            "denominators": {m.key: row.get(m.denominator) for m in METRICS.values()},
        }
    return {
        "year": year,
        "tiers": tiers,
        "authorities": authorities,
        "synthetic": is_synthetic(rows.values()),
    }


def published_groups(year: str) -> list[str]:
    """Comparison groups with at least one authority in a published year, in display order."""
    present = {str(r.get("comparison_group")) for r in figures.export_rows(year)}
    return [g for g in GROUP_PLURAL if g in present]


def sitemap_councils() -> list[tuple[str, list[str]]]:
    published = published_years()
    by_slug: dict[str, list[str]] = {}
    for slug, year in (
        AuthorityYear.objects.filter(year__in=published)
        .order_by("authority__slug", "year")
        .values_list("authority__slug", "year")
    ):
        by_slug.setdefault(slug, []).append(year)
    return list(by_slug.items())


def is_synthetic(rows: Iterable[Row]) -> bool:
    return any(bool(r.get("synthetic")) for r in rows)


# ── a council's page ───────────────────────────────────────────────────────────────────────


@dataclass
class KeyStatistic:
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


def _range(part: dict[str, Any], fmt: Any) -> str:
    low, high = as_float(part.get("lower")), as_float(part.get("upper"))
    if low is None or high is None:
        return ""
    return f"{fmt(low)} to {fmt(high)}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def key_statistics(data: Row, group: str) -> list[KeyStatistic]:
    """The three key statistics of one authority's year, as the letter states them."""
    year = str(data["year"])
    parts: dict[str, Any] = data.get("figures") or {}
    investigations = _count(data, "detailed_investigations")
    upheld = _count(data, "upheld")
    outcomes = _count(data, "compliance_outcomes")
    late = _count(data, "complied_late")
    complied = _count(data, "complied") + late
    remedied = _count(data, "upheld_with_satisfactory_remedy")
    period = ReportingYear.parse(year)

    def made(
        title: str, part: str, rate: str, num: int, den: int, empty: str, counts: str
    ) -> KeyStatistic:
        found = parts.get(part) or {}
        label = found.get("comparison")
        return KeyStatistic(
            title=title,
            value=percent_of(num, den),
            peer=_peer_text(year, group, rate),
            numerator=num,
            denominator=den,
            interval=_range(found, percent),
            comparison=label,
            comparison_words=comparison_words(label, group),
            empty_text=empty,
            counts_text=counts,
        )

    return [
        made(
            "Complaints upheld",
            "upheld",
            "upheld_rate",
            upheld,
            investigations,
            "No detailed investigations in this period",
            f"{_plural(upheld, 'upheld decision')} of "
            f"{_plural(investigations, 'detailed investigation')}, 1 April "
            f"{period.start_year} to 31 March {period.end_year}",
        ),
        made(
            "Compliance with recommendations",
            "compliance",
            "compliance_rate",
            complied,
            outcomes,
            "No recommendations were due for compliance in this period",
            f"{complied} of {_plural(outcomes, 'compliance outcome')} complied with ({late} late)",
        ),
        made(
            "Satisfactory remedies by the council",
            "satisfactory_remedy",
            "satisfactory_remedy_rate",
            remedied,
            upheld,
            "The Ombudsman did not uphold any detailed investigations during this period",
            f"{remedied} of {_plural(upheld, 'upheld decision')}",
        ),
    ]


def per_100k_statistic(data: Row) -> dict[str, str]:
    part = (data.get("figures") or {}).get("upheld_per_100k") or {}
    label = part.get("comparison")
    return {
        "value": per_100k(data.get("upheld_per_100k")),
        "peer": per_100k(data.get("peer_upheld_per_100k")),
        "interval": _range(part, per_100k),
        "words": comparison_words(label, str(data.get("comparison_group", ""))),
        "label": str(label or "not_compared"),
    }


def lineage(authority: Authority) -> list[Authority]:
    """The authority and every authority it replaced, directly or not (nearest first)."""
    seen: dict[int, Authority] = {authority.pk: authority}
    frontier = [authority]
    while frontier:
        found = list(
            Authority.objects.filter(successors__in=frontier).exclude(pk__in=seen).distinct()
        )
        for a in found:
            seen[a.pk] = a
        frontier = found
    return list(seen.values())


@dataclass
class TrendPoint:
    year: str
    authority: Authority
    predecessor: bool
    row: Row


def trend(authority: Authority) -> list[TrendPoint]:
    """Key figures over every published year, with predecessors' years marked as such."""
    family = {a.gss_code: a for a in lineage(authority)}
    points = []
    for year in published_years():
        for code, row in rows_by_code(year).items():
            if code in family:
                points.append(TrendPoint(year, family[code], family[code].pk != authority.pk, row))
    return points


def trend_rows(points: Sequence[TrendPoint]) -> list[dict[str, Any]]:
    return [
        {
            "point": p,
            "upheld_rate": display(p.row, METRICS["upheld_rate"]),
            "peer": _peer_text(p.year, str(p.row.get("comparison_group", "")), "upheld_rate"),
            "compliance": display(p.row, METRICS["compliance_rate"]),
            "remedy": display(p.row, METRICS["satisfactory_remedy_rate"]),
            "per_100k": per_100k(p.row.get("upheld_per_100k")),
        }
        for p in points
    ]


def _peer_text(year: str, group: str, rate: str) -> str:
    value = figures.peer_percent(year, group, rate)
    return "–" if value is None else f"{value}%"


def trend_chart(points: Sequence[TrendPoint]) -> dict[str, Any] | None:
    """Coordinates for a small SVG line chart of the upheld rate and its peer average."""
    own = [p for p in points if not p.predecessor]
    if len(own) < 1:
        return None
    width, height, left, bottom, top, right = 640, 240, 48, 36, 12, 16
    xs = {p.year: i for i, p in enumerate(own)}
    span = max(len(own) - 1, 1)

    def x(i: int) -> float:
        return left + (width - left - right) * (i / span if len(own) > 1 else 0.5)

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - v)

    def line(key: str) -> str:
        parts = []
        for p in own:
            v = as_float(p.row.get(key))
            if v is not None:
                parts.append(f"{x(xs[p.year]):.1f},{y(v):.1f}")
        return " ".join(parts)

    dots = []
    for p in own:
        v = as_float(p.row.get("upheld_rate"))
        if v is not None:
            dots.append({"cx": f"{x(xs[p.year]):.1f}", "cy": f"{y(v):.1f}", "label": percent(v)})
    return {
        "width": width,
        "height": height,
        "own": line("upheld_rate"),
        "peer": line("peer_upheld_rate"),
        "dots": dots,
        "gridlines": [
            {"y": f"{y(v):.1f}", "label": f"{int(v * 100)}%"} for v in (0, 0.25, 0.5, 0.75, 1)
        ],
        "labels": [{"x": f"{x(xs[p.year]):.1f}", "text": p.year} for p in own],
        "left": left,
        "right": width - right,
        "bottom": height - bottom + 22,
    }


def _year_range(years: Iterable[str]) -> Q:
    q = Q(pk__in=[])
    for label in years:
        year = ReportingYear.parse(label)
        q |= Q(decision_date__gte=year.start, decision_date__lte=year.end)
    return q


def decided_cases(authority: Authority, years: Iterable[str]) -> QuerySet[Case]:
    """Decisions about the authority made in the given (published) years."""
    return (
        Case.objects.filter(authority=authority)
        .exclude(outcome="")
        .filter(_year_range(years))
        .select_related("dataset")
    )


@dataclass
class AreaRow:
    code: str
    label: str
    decisions: int
    investigations: int
    upheld: int
    rate: str
    bar: int = field(default=0)


def service_areas(data: Row) -> list[AreaRow]:
    """Decisions by service area from the published figures (not recomputed)."""
    labels = dict(ServiceArea.choices)
    outcomes = [str(o) for o in Outcome]
    rows = []
    for code, counts in (data.get("by_service_area") or {}).items():
        decided = sum(int(counts.get(o, 0)) for o in outcomes)
        if not decided:
            continue
        investigations = int(counts.get("upheld", 0)) + int(counts.get("not_upheld", 0))
        upheld = int(counts.get("upheld", 0))
        rows.append(
            AreaRow(
                code=code,
                label=labels.get(code, "Other or not recorded"),
                decisions=decided,
                investigations=investigations,
                upheld=upheld,
                rate=percent_of(upheld, investigations),
            )
        )
    top = max((r.decisions for r in rows), default=0)
    for r in rows:
        r.bar = round(100 * r.decisions / top) if top else 0
    return sorted(rows, key=lambda r: (-r.decisions, r.label))


def decisions(
    authority: Authority,
    years: Sequence[str],
    *,
    year: str = "",
    service_area: str = "",
    outcome: str = "",
) -> QuerySet[Case]:
    chosen = [year] if year in years else list(years)
    found = decided_cases(authority, chosen)
    if service_area in ServiceArea.values:
        found = found.filter(service_area=service_area)
    if outcome in Outcome.values:
        found = found.filter(outcome=outcome)
    return found.order_by("-decision_date", "reference")


def outcome_counts(authority: Authority, year: str) -> Counter[str]:
    return Counter(
        dict(
            decided_cases(authority, [year])
            .values_list("outcome")
            .annotate(n=Count("id"))
            .values_list("outcome", "n")
        )
    )


def public_reports(authority: Authority, years: Sequence[str]) -> QuerySet[Case]:
    return (
        decided_cases(authority, years)
        .filter(public_report_date__isnull=False)
        .order_by("-public_report_date")
    )


def service_improvements(authority: Authority, years: Sequence[str]) -> QuerySet[Recommendation]:
    cases = decided_cases(authority, years)
    return (
        Recommendation.objects.filter(service_improvement=True, case__in=cases)
        .select_related("case", "case__compliance")
        .order_by("-case__decision_date", "case__reference", "id")
    )


def has_synthetic_cases(authority: Authority, years: Sequence[str]) -> bool:
    return decided_cases(authority, years).filter(dataset__synthetic=True).exists()


def publication_date(year: str) -> dt.date | None:
    from councilperf.statistics.models import ReviewYear

    return ReviewYear.objects.filter(year=year).values_list("publication_date", flat=True).first()


# ── annual review letters ──────────────────────────────────────────────────────────────────


@dataclass
class PublicLetter:
    year: str
    title: str
    html_url: str
    pdf_url: str
    pdf_path: Path
    html_path: Path
    pdf_size: int
    content_hash: str
    synthetic: bool


def _public_letter(letter: Letter, slug: str) -> PublicLetter | None:
    pdf, html = Path(letter.pdf_path), Path(letter.html_path)
    if not pdf.is_file() or not html.is_file():
        return None
    year = letter.review_year.year
    return PublicLetter(
        year=year,
        title=f"Annual review letter {ReportingYear.parse(year).end_year}",
        html_url=reverse("public:letter", args=[slug, year]),
        pdf_url=reverse("public:letter_pdf", args=[slug, year]),
        pdf_path=pdf,
        html_path=html,
        pdf_size=pdf.stat().st_size,
        content_hash=letter.content_hash,
        synthetic=letter.synthetic,
    )


def letters(authority: Authority) -> list[PublicLetter]:
    """The authority's annual review letters of published years (made from frozen figures).

    A published year whose letter has not been rendered yet (``make demo`` renders only the
    latest years in its batch) is listed too, with ``pdf_size`` 0: :func:`letter_or_404`
    renders it on first request, making the same files and record as a batch run.
    """
    years = sorted(
        AuthorityYear.objects.filter(authority=authority, year__in=published_years())
        .values_list("year", flat=True)
        .distinct(),
        reverse=True,
    )
    found = Letter.objects.filter(
        authority=authority, review_year__year__in=years, statistics_revision__isnull=False
    ).select_related("review_year")
    ready = {letter.review_year.year: _public_letter(letter, authority.slug) for letter in found}
    return [ready.get(year) or _pending_letter(authority, year) for year in years]


def _pending_letter(authority: Authority, year: str) -> PublicLetter:
    return PublicLetter(
        year=year,
        title=f"Annual review letter {ReportingYear.parse(year).end_year}",
        html_url=reverse("public:letter", args=[authority.slug, year]),
        pdf_url=reverse("public:letter_pdf", args=[authority.slug, year]),
        pdf_path=Path(),
        html_path=Path(),
        pdf_size=0,
        content_hash="",
        synthetic=False,
    )


def letter_or_404(authority: Authority, year: str) -> PublicLetter:
    for letter in letters(authority):
        if letter.year != year:
            continue
        if letter.pdf_size:
            return letter
        made = _public_letter(ensure_letter(authority=authority, year=year), authority.slug)
        if made is not None:
            return made
    raise Http404("No published letter for this council and year")


_MAIN = re.compile(r"<main[^>]*>(?P<inner>.*)</main>", re.DOTALL)


def letter_body(letter: PublicLetter) -> str:
    """The letter itself (its ``<main>`` content) from the stored HTML file, as sent."""
    found = _MAIN.search(letter.html_path.read_text(encoding="utf-8"))
    if found is None:
        raise Http404("The letter file cannot be read")
    return found.group("inner")
