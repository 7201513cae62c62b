"""What the generated records give, next to the national targets. Pure: no Django, no I/O.

Figures are computed from the records alone, the way the statistics are defined in DOMAIN.md:
decisions, upheld rates, remedies, recommendations and public reports by the reporting year
of their decision (or report) date; compliance by the year it was recorded; complaints and
enquiries received by received date.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from councilperf.years import ReportingYear

from .generator import AuthorityInput, DemoData
from .targets import Target, targets_for

RATE_TOLERANCE = 1.0  # percentage points
COUNT_TOLERANCE = 0.03  # share of the target
DETAILED = ("upheld", "not_upheld")
FUNNEL_Z = 3.09  # 99.8 % two-sided control limits


def display_percent(value: float) -> int:
    """A percentage as the letters show it: whole percent, halves away from zero."""
    return math.floor(abs(value) + 0.5) * (1 if value >= 0 else -1)


@dataclass(frozen=True, slots=True)
class Figure:
    year: str
    name: str
    kind: str  # "rate" (percent), "count", "per_100k" or "display" (whole-percent pin)
    target: float
    source: str
    generated: float

    @property
    def difference(self) -> float:
        return self.generated - self.target

    @property
    def ok(self) -> bool:
        if self.kind == "rate":
            return abs(self.difference) <= RATE_TOLERANCE + 1e-9
        if self.kind == "display":
            return display_percent(self.generated) == display_percent(self.target)
        if self.target == 0:
            return self.generated == 0
        return abs(self.difference) <= COUNT_TOLERANCE * self.target + 1e-9


@dataclass(frozen=True, slots=True)
class Spread:
    """Between-authority spread of one year's upheld rates (what a funnel plot shows)."""

    year: str
    authorities: int
    dispersion: float  # Pearson χ² / degrees of freedom: 1 for a pure binomial cloud
    outside_limits: int  # authorities outside the 99.8 % funnel limits
    expected_outside: float  # how many a pure binomial cloud would put there


@dataclass
class Calibration:
    figures: list[Figure]
    spread: list[Spread]

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.figures)

    def failures(self) -> list[Figure]:
        return [f for f in self.figures if not f.ok]


def _pct(numerator: int, denominator: int) -> float:
    return 100.0 * numerator / denominator if denominator else 0.0


@dataclass
class _Tallies:
    """The generated data's national counts by reporting year (and by group, by authority)."""

    years: set[str]
    residents: Counter[str] = field(default_factory=Counter)
    received: Counter[str] = field(default_factory=Counter)
    detailed: Counter[str] = field(default_factory=Counter)
    upheld: Counter[str] = field(default_factory=Counter)
    remedied: Counter[str] = field(default_factory=Counter)
    reports: Counter[str] = field(default_factory=Counter)
    group_detailed: Counter[tuple[str, str]] = field(default_factory=Counter)
    group_upheld: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_authority: dict[str, Counter[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    decided_year: dict[str, str] = field(default_factory=dict)
    improvements: Counter[str] = field(default_factory=Counter)
    personal: Counter[str] = field(default_factory=Counter)
    recorded: Counter[str] = field(default_factory=Counter)
    complied: Counter[str] = field(default_factory=Counter)

    def year_of(self, day: object) -> str | None:
        if day is None:
            return None
        label = ReportingYear.containing(day).label  # type: ignore[arg-type]
        return label if label in self.years else None


def _count_cases(tallies: _Tallies, data: DemoData, groups: dict[tuple[str, str], str]) -> None:
    for case in data.cases:
        y = tallies.year_of(case.received_date)
        if y:
            tallies.received[y] += 1
        y = tallies.year_of(case.decision_date)
        if y:
            tallies.decided_year[case.reference] = y
        if y and case.outcome in DETAILED:
            group = groups.get((case.authority_code, y), "")
            tallies.detailed[y] += 1
            tallies.group_detailed[y, group] += 1
            tallies.by_authority[y][case.authority_code, "detailed"] += 1
            if case.outcome == "upheld":
                tallies.upheld[y] += 1
                tallies.group_upheld[y, group] += 1
                tallies.by_authority[y][case.authority_code, "upheld"] += 1
                if case.remedied_by_authority:
                    tallies.remedied[y] += 1
        y = tallies.year_of(case.public_report_date)
        if y:
            tallies.reports[y] += 1


def _count(data: DemoData, authorities: Sequence[AuthorityInput]) -> _Tallies:
    tallies = _Tallies(set(data.years))
    groups = {(a.gss_code, r.year): r.group for a in authorities for r in a.years}
    for a in authorities:
        for r in a.years:
            if r.group != "county" and r.population:  # counties overlap their districts
                tallies.residents[r.year] += r.population
    _count_cases(tallies, data, groups)
    for rec in data.recommendations:
        y = tallies.decided_year.get(rec.reference)
        if y:
            (tallies.improvements if rec.service_improvement else tallies.personal)[y] += 1
    for outcome in data.compliance:
        y = tallies.year_of(outcome.recorded_date)
        if y:
            tallies.recorded[y] += 1
            if outcome.outcome in ("complied", "complied_late"):
                tallies.complied[y] += 1
    return tallies


def calibrate(data: DemoData, authorities: Sequence[AuthorityInput]) -> Calibration:
    """Each national target of each generated year, next to the generated figure."""
    tallies = _count(data, authorities)
    figures: list[Figure] = []
    spread: list[Spread] = []
    for label in data.years:
        figures += _year_figures(label, tallies, data.scale)
        spread.append(
            _spread(
                label, tallies.by_authority[label], tallies.upheld[label], tallies.detailed[label]
            )
        )
    return Calibration(figures, spread)


def _year_figures(label: str, c: _Tallies, scale: float) -> list[Figure]:
    t = targets_for(label)
    figures: list[Figure] = []

    def add(name: str, kind: str, target: Target, generated: float) -> None:
        value = target.value
        if kind == "count":  # a whole number of cases at any scale
            value = math.floor(target.value * scale + 0.5)
        elif kind == "per_100k":
            value = target.value * scale
        figures.append(Figure(label, name, kind, value, target.source, generated))

    add("complaints and enquiries received", "count", t.received, c.received[label])
    add("detailed investigations", "count", t.detailed_investigations, c.detailed[label])
    upheld_pct = _pct(c.upheld[label], c.detailed[label])
    add("upheld % of detailed investigations", "rate", t.upheld_pct, upheld_pct)
    for group, target in t.group_upheld_pct:
        add(
            f"upheld % – {group} councils (as displayed)",
            "display",
            target,
            _pct(c.group_upheld[label, group], c.group_detailed[label, group]),
        )
    compliance = _pct(c.complied[label], c.recorded[label])
    add("compliance with recommendations %", "rate", t.compliance_pct, compliance)
    remedy = _pct(c.remedied[label], c.upheld[label])
    add("satisfactory remedy by the authority % of upheld", "rate", t.remedy_pct, remedy)
    improvements = c.improvements[label]
    add("service improvements recommended", "count", t.service_improvements, improvements)
    if t.personal_recommendations is not None:
        add(
            "recommendations to put things right for individuals",
            "count",
            t.personal_recommendations,
            c.personal[label],
        )
    add("public reports", "count", t.public_reports, c.reports[label])
    if t.upheld_per_100k is not None and c.residents[label]:
        rate = 100_000 * c.upheld[label] / c.residents[label]
        add("upheld decisions per 100,000 residents", "per_100k", t.upheld_per_100k, rate)
    return figures


def _spread(label: str, counts: Counter[tuple[str, str]], upheld: int, detailed: int) -> Spread:
    codes = sorted({code for code, _ in counts})
    p = upheld / detailed if detailed else 0.0
    chi2 = 0.0
    outside = 0
    expected_outside = 0.0
    n_auth = 0
    for code in codes:
        n = counts[code, "detailed"]
        if n == 0 or p in (0.0, 1.0):
            continue
        n_auth += 1
        sd = math.sqrt(p * (1 - p) / n)
        rate = counts[code, "upheld"] / n
        chi2 += (rate - p) ** 2 / (sd * sd)
        if abs(rate - p) > FUNNEL_Z * sd:
            outside += 1
        expected_outside += 0.002
    dispersion = chi2 / (n_auth - 1) if n_auth > 1 else 0.0
    return Spread(label, n_auth, dispersion, outside, expected_outside)


def _format_value(kind: str, value: float) -> str:
    if kind in ("rate", "display"):
        return f"{value:.1f} %"
    if kind == "per_100k":
        return f"{value:.2f}"
    return f"{value:,.0f}"


def report_lines(calibration: Calibration, *, markdown: bool = False) -> list[str]:
    """The calibration table, as text (or as a Markdown table)."""
    header = ("year", "figure", "target", "generated", "ok", "source of the target")
    rows = [
        (
            f.year,
            f.name,
            _format_value(f.kind, f.target),
            _format_value(f.kind, f.generated),
            "yes" if f.ok else "NO",
            f.source,
        )
        for f in calibration.figures
    ]
    spread_header = (
        "year",
        "authorities",
        "dispersion (χ²/df)",
        "outside 99.8 % limits",
        "binomial expectation",
    )
    spread_rows = [
        (
            s.year,
            str(s.authorities),
            f"{s.dispersion:.2f}",
            str(s.outside_limits),
            f"{s.expected_outside:.1f}",
        )
        for s in calibration.spread
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        lines += ["", "| " + " | ".join(spread_header) + " |", "|" + "---|" * len(spread_header)]
        lines += ["| " + " | ".join(r) + " |" for r in spread_rows]
        return lines
    return [*_table(header, rows), "", *_table(spread_header, spread_rows)]


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]
    numeric = {2, 3} if len(header) == 6 else {1, 2, 3, 4}

    def fmt(row: tuple[str, ...]) -> str:
        cells = [
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    return [fmt(header), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows]


DOC_START = "<!-- calibration table: start (python manage.py generate_demo_data --update-doc) -->"
DOC_END = "<!-- calibration table: end -->"


def with_doc_table(document: str, lines: Sequence[str]) -> str:
    """``document`` with the text between the calibration markers replaced by ``lines``."""
    start, end = document.find(DOC_START), document.find(DOC_END)
    if start < 0 or end < start:
        raise ValueError("the document has no calibration table markers")
    head = document[: start + len(DOC_START)]
    return head + "\n" + "\n".join(lines) + "\n" + document[end:]


def doc_table(document: str) -> list[str]:
    """The lines between the calibration markers."""
    start, end = document.find(DOC_START), document.find(DOC_END)
    if start < 0 or end < start:
        return []
    return document[start + len(DOC_START) : end].strip("\n").splitlines()
