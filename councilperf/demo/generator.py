"""Seeded synthetic casework, calibrated to the ombudsman's national figures.

Pure: plain functions from a list of authorities, years, a seed and a scale to casework
records (``councilperf.casework.records``). No Django, no I/O, no global random state: the same
inputs give the same records, byte for byte.

The model, in the order it runs:

A. Complaints and enquiries received: per authority and reporting year a Poisson count whose
   mean scales with population, the services the authority's tier provides (no adult care or
   education for districts), its comparison group and a persistent per-authority volume effect
   (gamma), normalised so the authorities given share the national count for the year. Each
   case gets a service area, a received day (fewer at weekends, none while the ombudsman was
   closed to new complaints in 2020), an outcome class and a decision day after a lag that
   depends on the outcome (detailed investigations take months). Casework paused from late March
   to 29 June 2020, so decisions due then slip past it. Cases undecided at the end of the last
   year stay open. Cases received in the year before the first are generated too, so the first
   year's decisions include the carried-in work.
B. Pinned authority-years are set (North East Derbyshire 2019-20: 2 detailed investigations,
   none upheld), then detailed investigations per decision year are brought within 1 % of the
   target by turning decisions closed after initial enquiries into investigations or back.
C. Upheld or not: a logistic model with a service-area effect (planning lowest, education
   highest), a comparison-group effect and a per-authority random effect (persistent, plus a
   little yearly noise, plus a few genuine outliers), so rates are over-dispersed between
   authorities as in a real funnel plot. The yearly intercept is solved so the expected national
   rate equals the target (and a comparison group's rate where one is pinned); the few cases
   needed to land within a quarter of a point are then flipped, chosen by their probability.
D. Satisfactory remedy by the authority (upheld only), the same way, per-authority effect.
E. Recommendations on the other upheld decisions: personal remedies and service improvements,
   due one to three months after the decision; counts calibrated per decision year.
F. Compliance: one outcome per decision with recommendations, recorded after the last is due
   (later if complied late); not recorded if that is after the last year. Not-complied counts
   are calibrated per year recorded.
G. Public reports: exactly the target number per decision year among upheld decisions.
H. References ("19 001 234": two-digit year received, then a running number), short decision
   summaries and example.org statement links for decisions with a published statement.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import hashlib
import heapq
import math
import operator
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from councilperf.casework.records import CaseRecord, ComplianceRecord, RecommendationRecord
from councilperf.years import ReportingYear

from . import text
from .targets import YearTargets, targets_for

# ----------------------------------------------------------------------------------------------
# Codes (DOMAIN.md). The tests check they match the casework models' choices.

SERVICE_AREAS = (
    "adult_care",
    "benefits_and_tax",
    "corporate_and_other",
    "education_and_childrens",
    "environment_and_regulation",
    "highways_and_transport",
    "housing",
    "planning_and_development",
)
OUTCOMES = (
    "invalid_or_incomplete",
    "advice_given",
    "referred_back_for_local_resolution",
    "closed_after_initial_enquiries",
    "not_upheld",
    "upheld",
)
INVALID, ADVICE, REFERRED, CLOSED, NOT_UPHELD, UPHELD = range(6)
GROUPS = ("county", "district", "metropolitan", "unitary", "london")
PERSONAL_KINDS = ("apology", "financial_redress", "records_correction", "other")
IMPROVEMENT_KINDS = ("procedure_change", "training")
COMPLIED, COMPLIED_LATE, NOT_COMPLIED = "complied", "complied_late", "not_complied"

STATEMENT_BASE = "https://example.org/decisions"
DEFAULT_YEARS = "2018-19:2024-25"

# ----------------------------------------------------------------------------------------------
# Model parameters.

# Covid-19: closed to new complaints from 19 March 2020, open again from Monday 29 June 2020;
# all casework paused from the end of March.
RECEIPT_PAUSE = (dt.date(2020, 3, 19).toordinal(), dt.date(2020, 6, 28).toordinal())
DECISION_PAUSE = (dt.date(2020, 3, 26).toordinal(), dt.date(2020, 6, 28).toordinal())
WEEKEND_RECEIPTS = 0.35  # a weekend day's share of a weekday's complaints

# National share of complaints received by service area, 2018-19 and 2024-25 (interpolated
# between): education & children's rising to 27 %, housing to 17 %, planning falling to 9 %.
MIX_FIRST = (0.17, 0.09, 0.09, 0.20, 0.11, 0.09, 0.12, 0.13)
MIX_LAST = (0.13, 0.08, 0.08, 0.27, 0.10, 0.08, 0.17, 0.09)
MIX_YEARS = (2018, 2024)

# In two-tier areas, the share of each service's complaints that is the county's (the rest are
# the district's). Unitary, metropolitan and London councils provide every service.
UPPER_TIER_SHARE = (1.0, 0.0, 0.4, 1.0, 0.3, 0.9, 0.0, 0.15)
# Complaints per resident relative to a unitary council (London highest).
GROUP_VOLUME = {
    "county": 0.95,
    "district": 0.95,
    "metropolitan": 1.05,
    "unitary": 1.0,
    "london": 1.2,
}
VOLUME_SHAPE = 6.0  # gamma shape of the per-authority volume effect (CV ≈ 0.41)
VOLUME_YEARLY_SD = 0.10

# How much more likely than average a complaint in each area is to be investigated in detail.
DI_PROPENSITY = (1.3, 0.8, 0.7, 1.4, 0.7, 0.8, 1.0, 0.9)
# The rest: incomplete/invalid, advice given, referred back, closed after initial enquiries,
# with the shortest and mean extra days to their decision (exponential).
OTHER_OUTCOMES = (0.08, 0.05, 0.52, 0.35)
LAG_MIN = (1, 2, 1, 10)
LAG_MEAN = (6.0, 10.0, 7.0, 40.0)

# Logit effects on being upheld (from 2022-23 area rates against 74 % nationally).
AREA_UPHELD = (-0.05, 0.28, -0.20, 0.61, 0.0, -0.51, 0.22, -1.13)
GROUP_UPHELD = {
    "county": 0.10,
    "district": -0.30,  # districts' upheld average: 45 % in 2019-20, about 59 % in 2022-23
    "metropolitan": 0.0,
    "unitary": 0.0,
    "london": 0.0,
}
AUTHORITY_UPHELD_SD = 0.35
YEARLY_UPHELD_SD = 0.15
OUTLIER_SHARE = 0.05  # authorities with a genuinely different upheld rate
OUTLIER_SHIFT = (0.9, 1.4)
AUTHORITY_REMEDY_SD = 0.5

NO_RECOMMENDATION_SHARE = 0.08  # upheld: fault, but no injustice needing a remedy
PERSONAL_PROBABILITY = {
    "apology": 0.75,
    "financial_redress": 0.55,
    "records_correction": 0.15,
    "other": 0.25,
}
DUE_DAYS = {
    "apology": 30,
    "financial_redress": 30,
    "records_correction": 30,
    "other": 60,
    "procedure_change": 90,
    "training": 90,
}
LONGEST_DUE = max(DUE_DAYS.values())
LONGEST_LATE = 120
REPORT_WEIGHT = (2.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.5, 1.0)

# Calibration bands: how close to each target the calibration steps bring the data.
COUNT_BAND = 0.01  # ± 1 % of a count
UPHELD_BAND = 0.25  # ± percentage points
GROUP_BAND = 0.3
REMEDY_BAND = 0.3
COMPLIANCE_BAND = 0.1


@dataclass(frozen=True, slots=True)
class Pin:
    """Facts of one authority-year that must hold exactly (from the reference letter)."""

    gss_code: str
    year: str
    detailed_investigations: int
    upheld: int
    no_compliance: bool = True


PINS = (Pin("E07000038", "2019-20", detailed_investigations=2, upheld=0),)


# ----------------------------------------------------------------------------------------------
# Inputs and outputs.


@dataclass(frozen=True, slots=True)
class AuthorityYearInput:
    year: str
    group: str
    population: int | None


@dataclass(frozen=True, slots=True)
class AuthorityInput:
    gss_code: str
    start_date: dt.date | None
    end_date: dt.date | None
    years: tuple[AuthorityYearInput, ...]

    def year(self, label: str) -> AuthorityYearInput | None:
        for row in self.years:
            if row.year == label:
                return row
        return None


@dataclass
class DemoData:
    """What the generator made, in reference order."""

    years: list[str]
    seed: int
    scale: float
    cases: list[CaseRecord] = field(default_factory=list)
    recommendations: list[RecommendationRecord] = field(default_factory=list)
    compliance: list[ComplianceRecord] = field(default_factory=list)

    def digest(self) -> str:
        """sha256 of a canonical text form of every record: equal digests, equal data."""
        h = hashlib.sha256()
        for records in (self.cases, self.recommendations, self.compliance):
            if not records:
                h.update(b"--\n")
                continue
            values = operator.attrgetter(*records[0].__slots__)
            for start in range(0, len(records), 10_000):
                chunk = records[start : start + 10_000]
                lines = ["\t".join(map(str, values(r))) for r in chunk]
                h.update(("\n".join(lines) + "\n").encode())
            h.update(b"--\n")
        return h.hexdigest()


# ----------------------------------------------------------------------------------------------
# Internal state.


class _Case:
    __slots__ = (
        "auth",
        "comp",
        "dec",
        "dy",
        "issue",
        "kind",
        "locked",
        "p",
        "recs",
        "recv",
        "remedied",
        "report",
        "svc",
    )

    def __init__(self, auth: int, svc: int, recv: int, kind: int, dec: int | None) -> None:
        self.auth = auth
        self.svc = svc
        self.recv = recv
        self.kind = kind
        self.dec = dec
        self.dy = -1  # index of the year decided in (-1: undecided or outside the years)
        self.locked = False
        self.p = 0.0
        self.remedied = False
        self.report: int | None = None
        self.recs: list[tuple[str, int, int]] = []  # (kind, due ordinal, variant)
        self.comp: tuple[int, str] | None = None
        self.issue = 0


@dataclass
class _Auth:
    code: str
    start: int | None
    end: int | None
    groups: dict[str, str]
    populations: dict[str, int]
    volume: float
    upheld_effect: float
    remedy_effect: float
    yearly_upheld: list[float]  # yearly noise on the upheld logit, by year index


@dataclass
class _Years:
    """The reporting years generated, plus lookups from a day to its year."""

    years: list[ReportingYear]

    def __post_init__(self) -> None:
        self.starts = [y.start.toordinal() for y in self.years]
        self.ends = [y.end.toordinal() for y in self.years]
        self.labels = [y.label for y in self.years]

    def index(self, day: int | None) -> int:
        """Index of the year containing the day, or -1 outside the years."""
        if day is None or day < self.starts[0] or day > self.ends[-1]:
            return -1
        return bisect.bisect_right(self.starts, day) - 1


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _round_half_up(x: float) -> int:
    return math.floor(x + 0.5)


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam < 30:
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, _round_half_up(rng.gauss(lam, math.sqrt(lam))))


def _decided(case: _Case) -> int:
    if case.dec is None:
        raise ValueError("an undecided case has no decision day")
    return case.dec


def _recorded(case: _Case) -> int:
    if case.comp is None:
        raise ValueError("no compliance outcome recorded")
    return case.comp[0]


def _decided_before(received: int, last: int, u: float) -> int:
    """A decision day between receipt and ``last`` (an abolished authority's last day): a
    working day outside the 2020 pause where possible."""
    day = received + int((last - received) * u)
    if DECISION_PAUSE[0] <= day <= DECISION_PAUSE[1]:
        day = max(received, DECISION_PAUSE[0] - 1)
    weekday = _weekday(day)
    if weekday >= 5:
        earlier = day - (weekday - 4)
        day = earlier if earlier >= received else min(day + 7 - weekday, last)
    return day


def _weekday(day: int) -> int:
    return (day - 1) % 7  # date.fromordinal(1) is a Monday


def _next_working_day(day: int) -> int:
    wd = _weekday(day)
    return day + (7 - wd if wd >= 5 else 0)


def _mix(year: ReportingYear) -> list[float]:
    first, last = MIX_YEARS
    t = min(1.0, max(0.0, (year.start_year - first) / (last - first)))
    shares = [a + (b - a) * t for a, b in zip(MIX_FIRST, MIX_LAST, strict=True)]
    total = sum(shares)
    return [s / total for s in shares]


def _service_weights(group: str, mix: Sequence[float]) -> list[float]:
    if group == "county":
        return [m * u for m, u in zip(mix, UPPER_TIER_SHARE, strict=True)]
    if group == "district":
        return [m * (1.0 - u) for m, u in zip(mix, UPPER_TIER_SHARE, strict=True)]
    return list(mix)


def _cumulative(weights: Iterable[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rng: random.Random, cumulative: Sequence[float]) -> int:
    return min(bisect.bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def _choose(
    rng: random.Random, candidates: Sequence[_Case], k: int, weight: Callable[[_Case], float]
) -> list[_Case]:
    """k of the candidates, without replacement, more likely the heavier (Efraimidis–Spirakis)."""
    if k <= 0 or not candidates:
        return []
    keyed = []
    for i, case in enumerate(candidates):
        w = weight(case)
        u = rng.random()
        key = math.log(u) / w if w > 0 and u > 0 else -math.inf
        keyed.append((key, i))
    return [candidates[i] for _, i in heapq.nlargest(k, keyed)]


def _band(n: int, pct: float, tolerance: float) -> tuple[int, int]:
    """The counts out of n whose percentage is within tolerance points of pct."""
    lo = math.ceil((pct - tolerance) / 100 * n - 1e-9)
    hi = math.floor((pct + tolerance) / 100 * n + 1e-9)
    if lo > hi:
        lo = hi = _round_half_up(pct / 100 * n)
    return max(0, lo), min(n, hi)


def _count_band(target: float, scale: float) -> tuple[int, int]:
    value = target * scale
    lo, hi = math.ceil(value * (1 - COUNT_BAND)), math.floor(value * (1 + COUNT_BAND))
    if lo > hi:
        lo = hi = _round_half_up(value)
    return lo, hi


def _solve_intercept(etas: Sequence[float], share: float) -> float:
    """α with mean(sigmoid(α + η)) = share (Newton's method, from the logit of the share)."""
    if not etas:
        return 0.0
    share = min(max(share, 1e-6), 1 - 1e-6)
    mean_eta = sum(etas) / len(etas)
    alpha = math.log(share / (1 - share)) - mean_eta
    n = len(etas)
    for _ in range(30):
        total = slope = 0.0
        for eta in etas:
            p = _sigmoid(alpha + eta)
            total += p
            slope += p * (1 - p)
        diff = total / n - share
        if abs(diff) < 1e-7 or slope == 0:
            break
        alpha -= diff / (slope / n)
    return alpha


# ----------------------------------------------------------------------------------------------
# The generator.


def generate(
    authorities: Sequence[AuthorityInput],
    *,
    years: str | Sequence[str] = DEFAULT_YEARS,
    seed: int = 1,
    scale: float = 1.0,
    pins: Sequence[Pin] = PINS,
) -> DemoData:
    """Casework records for every authority in every year it has (``AuthorityInput.years``)."""
    if scale <= 0:
        raise ValueError("the scale must be positive")
    labels = [years] if isinstance(years, str) else list(years)
    span = sorted({y for label in labels for y in ReportingYear.span(label)})
    if [y.start_year for y in span] != list(range(span[0].start_year, span[-1].start_year + 1)):
        raise ValueError("demo years must be consecutive")
    targets = [targets_for(y.label) for y in span]
    gen = _Generator(authorities, _Years(span), targets, seed=seed, scale=scale, pins=pins)
    # Millions of small objects and no cycles: the cyclic garbage collector would only rescan
    # them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return gen.run()
    finally:
        if collecting:
            gc.enable()


class _Generator:
    def __init__(
        self,
        authorities: Sequence[AuthorityInput],
        years: _Years,
        targets: list[YearTargets],
        *,
        seed: int,
        scale: float,
        pins: Sequence[Pin],
    ) -> None:
        self.y = years
        self.targets = targets
        self.seed = seed
        self.scale = scale
        self.pins = [p for p in pins if p.year in years.labels]
        self.auths = self._authorities(sorted(authorities, key=lambda a: a.gss_code))
        self.by_code = {a.code: i for i, a in enumerate(self.auths)}
        self.cases: list[_Case] = []
        self.horizon = years.ends[-1]
        self._window_cache: dict[tuple[int, int], tuple[list[int], list[float]]] = {}

    # -- setup -----------------------------------------------------------------------------

    def _authorities(self, inputs: Sequence[AuthorityInput]) -> list[_Auth]:
        out = []
        for a in inputs:
            groups = {row.year: row.group for row in a.years}
            known = [row.population for row in a.years if row.population]
            populations = {}
            for row in a.years:
                if row.population:
                    populations[row.year] = row.population
                elif known:
                    populations[row.year] = known[-1]
            for g in groups.values():
                if g not in GROUPS:
                    raise ValueError(f"{a.gss_code}: unknown comparison group {g!r}")
            # Each authority's own stream: its effects do not depend on who else is generated.
            rng = random.Random(f"{self.seed}:authority:{a.gss_code}")
            effect = rng.gauss(0.0, AUTHORITY_UPHELD_SD)
            if rng.random() < OUTLIER_SHARE:
                shift = rng.uniform(*OUTLIER_SHIFT)
                effect += shift if rng.random() < 0.5 else -shift
            out.append(
                _Auth(
                    code=a.gss_code,
                    start=a.start_date.toordinal() if a.start_date else None,
                    end=a.end_date.toordinal() if a.end_date else None,
                    groups=groups,
                    populations=populations,
                    volume=rng.gammavariate(VOLUME_SHAPE, 1.0 / VOLUME_SHAPE),
                    upheld_effect=effect,
                    remedy_effect=rng.gauss(0.0, AUTHORITY_REMEDY_SD),
                    yearly_upheld=[rng.gauss(0.0, YEARLY_UPHELD_SD) for _ in self.y.years],
                )
            )
        # Authorities with no population in any year get their group's median.
        for auth in out:
            if auth.populations:
                continue
            for label, group in auth.groups.items():
                peers = sorted(
                    p
                    for b in out
                    for lab, p in b.populations.items()
                    if lab == label and b.groups.get(lab) == group
                )
                auth.populations[label] = peers[len(peers) // 2] if peers else 100_000
        return out

    def _window(self, auth: _Auth, first: int, last: int) -> tuple[int, int] | None:
        lo = max(first, auth.start) if auth.start is not None else first
        hi = min(last, auth.end) if auth.end is not None else last
        return (lo, hi) if lo <= hi else None

    def _open_days(self, lo: int, hi: int) -> tuple[list[int], list[float]]:
        """Days complaints could be received in [lo, hi], with cumulative weights."""
        cached = self._window_cache.get((lo, hi))
        if cached is None:
            days, weights = [], []
            for day in range(lo, hi + 1):
                if RECEIPT_PAUSE[0] <= day <= RECEIPT_PAUSE[1]:
                    continue
                days.append(day)
                weights.append(WEEKEND_RECEIPTS if _weekday(day) >= 5 else 1.0)
            cached = (days, _cumulative(weights))
            self._window_cache[(lo, hi)] = cached
        return cached

    def _full_weight(self, year: ReportingYear) -> float:
        lo, hi = year.start.toordinal(), year.end.toordinal()
        _, cum = self._open_days(lo, hi)
        return cum[-1] if cum else 0.0

    # -- A: receipts, outcome classes, decision dates ----------------------------------------

    def run(self) -> DemoData:
        self._receive()
        self._pin_decisions()
        self._calibrate_detailed()
        self._decide_upheld()
        self._decide_remedies()
        self._recommend()
        self._record_compliance()
        self._choose_public_reports()
        return self._records()

    def _receive(self) -> None:
        span = self.y.years
        for yi, year in enumerate(span):
            t = self.targets[yi]
            mix = _mix(year)
            di_share = t.detailed_investigations.value / t.received.value
            full = self._full_weight(year)
            # Weights of every authority existing this year; normalised to the national count.
            rows: list[tuple[int, float, list[float], tuple[int, int]]] = []
            for ai, auth in enumerate(self.auths):
                group = auth.groups.get(year.label)
                if group is None:
                    continue
                window = self._window(auth, year.start.toordinal(), year.end.toordinal())
                if window is None:
                    continue
                _, cum = self._open_days(*window)
                if not cum:
                    continue
                services = _service_weights(group, mix)
                weight = (
                    auth.populations[year.label]
                    * GROUP_VOLUME[group]
                    * sum(services)
                    * auth.volume
                    * (cum[-1] / full)
                )
                rows.append((ai, weight, services, window))
            year_rng = random.Random(f"{self.seed}:received:{year.label}")
            weights = [w * math.exp(year_rng.gauss(0.0, VOLUME_YEARLY_SD)) for _, w, _, _ in rows]
            total = sum(weights)
            if total <= 0:
                continue
            # The national count: Poisson, kept within 1 % of the target; shared out between
            # the authorities in proportion to their weights (multinomial).
            lo, hi = _count_band(t.received.value, self.scale)
            national = min(hi, max(lo, _poisson(year_rng, t.received.value * self.scale)))
            counts = [0] * len(rows)
            for i in year_rng.choices(
                range(len(rows)), cum_weights=_cumulative(weights), k=national
            ):
                counts[i] += 1
            # Average detailed-investigation propensity nationally this year, to normalise.
            mean_prop = sum(m * p for m, p in zip(mix, DI_PROPENSITY, strict=True))
            di_scale = di_share / mean_prop
            for (ai, _, services, window), weight, n in zip(rows, weights, counts, strict=True):
                auth = self.auths[ai]
                stream = random.Random(f"{self.seed}:{auth.code}:{year.label}")
                self._receive_cases(stream, ai, services, window, n, di_scale)
                if yi == 0:
                    # Carried in: received the year before, decided in the first year or later.
                    before = year.previous
                    prior = self._window(auth, before.start.toordinal(), before.end.toordinal())
                    if prior is not None:
                        share = (prior[1] - prior[0] + 1) / ((before.end - before.start).days + 1)
                        lam = national * weight / total * share
                        self._receive_cases(
                            stream,
                            ai,
                            services,
                            prior,
                            _poisson(stream, lam),
                            di_scale,
                            keep_from=year.start.toordinal(),
                        )

    def _receive_cases(
        self,
        rng: random.Random,
        ai: int,
        services: Sequence[float],
        window: tuple[int, int],
        n: int,
        di_scale: float,
        keep_from: int | None = None,
    ) -> None:
        auth = self.auths[ai]
        days, cum = self._open_days(*window)
        uniform, log, bisect_right = rng.random, math.log, bisect.bisect_right
        areas = rng.choices(range(len(services)), cum_weights=_cumulative(services), k=n)
        received = rng.choices(days, cum_weights=cum, k=n)
        di_probability = [p * di_scale for p in DI_PROPENSITY]
        other_cum = _cumulative(OTHER_OUTCOMES)
        pause_lo, pause_hi = DECISION_PAUSE
        end, horizon, starts = auth.end, self.horizon, self.y.starts
        batch = []
        for svc, recv in zip(areas, received, strict=True):
            if uniform() < di_probability[svc]:
                kind = NOT_UPHELD
                # 45 days plus a gamma(2, 60 days) wait: mean about five and a half months.
                lag = min(45.0 - 60.0 * log((1.0 - uniform()) * (1.0 - uniform())), 700.0)
            else:
                kind = min(bisect_right(other_cum, uniform() * other_cum[-1]), CLOSED)
                lag = LAG_MIN[kind] - log(1.0 - uniform()) * LAG_MEAN[kind]
            day = recv + int(lag)
            if pause_lo <= day <= pause_hi:
                day += pause_hi + 1 - pause_lo
            weekday = (day - 1) % 7
            if weekday >= 5:
                day += 7 - weekday
            if end is not None and day > end:
                day = _decided_before(recv, end, uniform())
            issue = int(uniform() * 3)
            if day > horizon:
                if keep_from is not None:
                    continue
                case = _Case(ai, svc, recv, kind, None)
            else:
                if keep_from is not None and day < keep_from:
                    continue
                case = _Case(ai, svc, recv, kind, day)
                case.dy = bisect_right(starts, day) - 1
            case.issue = issue
            batch.append(case)
        batch.sort(key=lambda c: c.recv)
        self.cases.extend(batch)

    # -- B: pins and detailed investigations --------------------------------------------------

    def _decided_in(self, yi: int) -> tuple[int, int]:
        return self.y.starts[yi], self.y.ends[yi]

    def _pin_decisions(self) -> None:
        for pin in self.pins:
            ai = self.by_code.get(pin.gss_code)
            if ai is None or pin.year not in self.auths[ai].groups:
                continue
            yi = self.y.labels.index(pin.year)
            lo, hi = self._decided_in(yi)
            mine = sorted(
                (c for c in self.cases if c.auth == ai and c.dec is not None and lo <= c.dec <= hi),
                key=lambda c: (c.recv, c.dec),
            )
            detailed = [c for c in mine if c.kind in (UPHELD, NOT_UPHELD)]
            others = [c for c in mine if c.kind not in (UPHELD, NOT_UPHELD)]
            others.sort(key=lambda c: (c.kind != CLOSED, c.recv))
            while len(detailed) < pin.detailed_investigations and others:
                detailed.append(others.pop(0))
            rng = random.Random(f"{self.seed}:pin:{pin.gss_code}:{pin.year}")
            while len(detailed) < pin.detailed_investigations:
                auth = self.auths[ai]
                window = self._window(auth, lo, hi - 120) or (lo, lo)
                recv = window[0] + int((window[1] - window[0]) * rng.random())
                case = _Case(
                    ai,
                    self._pinned_service(ai, pin.year),
                    recv,
                    NOT_UPHELD,
                    min(hi, _next_working_day(recv + 90)),
                )
                case.dy = yi
                self.cases.append(case)
                detailed.append(case)
            for case in detailed[pin.detailed_investigations :]:
                case.kind = CLOSED
            for i, case in enumerate(detailed[: pin.detailed_investigations]):
                case.kind = UPHELD if i < pin.upheld else NOT_UPHELD
            for case in mine + detailed:
                case.locked = True

    def _pinned_service(self, ai: int, label: str) -> int:
        group = self.auths[ai].groups[label]
        weights = _service_weights(group, _mix(ReportingYear.parse(label)))
        return max(range(len(weights)), key=lambda i: weights[i])

    def _by_decision_year(self, predicate: Callable[[_Case], bool]) -> list[list[_Case]]:
        out: list[list[_Case]] = [[] for _ in self.y.years]
        for case in self.cases:
            if case.dy >= 0 and predicate(case):
                out[case.dy].append(case)
        return out

    def _calibrate_detailed(self) -> None:
        detailed = self._by_decision_year(lambda c: c.kind in (UPHELD, NOT_UPHELD))
        closed = self._by_decision_year(lambda c: c.kind == CLOSED)
        for yi, t in enumerate(self.targets):
            rng = random.Random(f"{self.seed}:detailed:{self.y.labels[yi]}")
            lo, hi = _count_band(t.detailed_investigations.value, self.scale)
            count = len(detailed[yi])
            if count < lo:
                pool = [c for c in closed[yi] if not c.locked]
                for case in _choose(rng, pool, lo - count, lambda c: DI_PROPENSITY[c.svc]):
                    case.kind = NOT_UPHELD
            elif count > hi:
                pool = [c for c in detailed[yi] if not c.locked]
                for case in _choose(rng, pool, count - hi, lambda c: 1.0 / DI_PROPENSITY[c.svc]):
                    case.kind = CLOSED

    # -- C: upheld ---------------------------------------------------------------------------

    def _group(self, case: _Case, yi: int) -> str:
        auth = self.auths[case.auth]
        return auth.groups.get(self.y.labels[yi]) or next(iter(auth.groups.values()))

    def _decide_upheld(self) -> None:
        detailed = self._by_decision_year(lambda c: c.kind in (UPHELD, NOT_UPHELD))
        for yi, t in enumerate(self.targets):
            cases = detailed[yi]
            if not cases:
                continue
            rng = random.Random(f"{self.seed}:upheld:{self.y.labels[yi]}")
            etas = []
            for case in cases:
                auth = self.auths[case.auth]
                etas.append(
                    AREA_UPHELD[case.svc]
                    + GROUP_UPHELD[self._group(case, yi)]
                    + auth.upheld_effect
                    + auth.yearly_upheld[yi]
                )
            national = t.upheld_pct.value
            n = len(cases)
            # A comparison group with its own target is solved first; the rest make up the
            # national rate.
            pinned_groups = dict((g, target.value) for g, target in t.group_upheld_pct)
            groups: list[tuple[list[int], float]] = []
            rest = list(range(n))
            for group, pct in sorted(pinned_groups.items()):
                members = [i for i in rest if self._group(cases[i], yi) == group]
                if members:
                    groups.append((members, pct))
                    rest = [i for i in rest if self._group(cases[i], yi) != group]
            fixed = sum(len(m) * pct / 100 for m, pct in groups)
            subsets = list(groups)
            if rest:
                rest_pct = 100 * (national / 100 * n - fixed) / len(rest)
                subsets.append((rest, min(99.0, max(1.0, rest_pct))))
            for members, pct in subsets:
                alpha = _solve_intercept([etas[i] for i in members], pct / 100)
                for i in members:
                    case = cases[i]
                    case.p = _sigmoid(alpha + etas[i])
                    if not case.locked:
                        case.kind = UPHELD if rng.random() < case.p else NOT_UPHELD
            # Flips: first each pinned group into its band, then the rest into the national band.
            settled = 0
            for members, pct in groups:
                group_cases = [cases[i] for i in members]
                self._flip_upheld(rng, group_cases, *_band(len(group_cases), pct, GROUP_BAND))
                settled += sum(1 for c in group_cases if c.kind == UPHELD)
            lo, hi = _band(n, national, UPHELD_BAND)
            if rest:
                rest_cases = [cases[i] for i in rest]
                self._flip_upheld(rng, rest_cases, max(0, lo - settled), max(0, hi - settled))

    def _flip_upheld(self, rng: random.Random, cases: Sequence[_Case], lo: int, hi: int) -> None:
        count = sum(1 for c in cases if c.kind == UPHELD)
        if count < lo:
            pool = [c for c in cases if c.kind == NOT_UPHELD and not c.locked]
            for case in _choose(rng, pool, lo - count, lambda c: c.p):
                case.kind = UPHELD
        elif count > hi:
            pool = [c for c in cases if c.kind == UPHELD and not c.locked]
            for case in _choose(rng, pool, count - hi, lambda c: 1.0 - c.p):
                case.kind = NOT_UPHELD

    # -- D: satisfactory remedies ---------------------------------------------------------------

    def _decide_remedies(self) -> None:
        # A pinned year without compliance outcomes: upheld decisions whose compliance would be
        # recorded in it were remedied by the authority before they reached the ombudsman.
        for pin in self.pins:
            ai = self.by_code.get(pin.gss_code)
            if ai is None or not pin.no_compliance:
                continue
            yi = self.y.labels.index(pin.year)
            first = self.y.starts[yi] - LONGEST_DUE - LONGEST_LATE - 7
            for case in self.cases:
                if (
                    case.auth == ai
                    and case.kind == UPHELD
                    and case.dec is not None
                    and first <= case.dec <= self.y.ends[yi]
                ):
                    case.remedied = True
                    case.locked = True
        upheld = self._by_decision_year(lambda c: c.kind == UPHELD)
        for yi, t in enumerate(self.targets):
            cases = upheld[yi]
            if not cases:
                continue
            rng = random.Random(f"{self.seed}:remedy:{self.y.labels[yi]}")
            etas = [self.auths[c.auth].remedy_effect for c in cases]
            alpha = _solve_intercept(etas, t.remedy_pct.value / 100)
            for case, eta in zip(cases, etas, strict=True):
                case.p = _sigmoid(alpha + eta)
                if not case.locked:
                    case.remedied = rng.random() < case.p
            lo, hi = _band(len(cases), t.remedy_pct.value, REMEDY_BAND)
            count = sum(1 for c in cases if c.remedied)
            if count < lo:
                pool = [c for c in cases if not c.remedied and not c.locked]
                for case in _choose(rng, pool, lo - count, lambda c: c.p):
                    case.remedied = True
            elif count > hi:
                pool = [c for c in cases if c.remedied and not c.locked]
                for case in _choose(rng, pool, count - hi, lambda c: 1.0 - c.p):
                    case.remedied = False

    # -- E: recommendations --------------------------------------------------------------------

    def _due(self, decided: int, kind: str) -> int:
        return _next_working_day(decided + DUE_DAYS[kind])

    def _recommend(self) -> None:
        eligible = self._by_decision_year(lambda c: c.kind == UPHELD and not c.remedied)
        for yi, t in enumerate(self.targets):
            cases = eligible[yi]
            if not cases:
                continue
            rng = random.Random(f"{self.seed}:recommend:{self.y.labels[yi]}")
            with_recs = len(cases) * (1 - NO_RECOMMENDATION_SHARE)
            si_mean = t.service_improvements.value * self.scale / max(with_recs, 1.0)
            si_p = min(0.95, si_mean / len(IMPROVEMENT_KINDS))
            personal_factor = 1.0
            if t.personal_recommendations is not None:
                base = sum(PERSONAL_PROBABILITY.values())
                personal_factor = (
                    t.personal_recommendations.value * self.scale / max(with_recs, 1.0) / base
                )
            for case in cases:
                if rng.random() < NO_RECOMMENDATION_SHARE:
                    continue
                kinds = [
                    k
                    for k in PERSONAL_KINDS
                    if rng.random() < min(0.95, PERSONAL_PROBABILITY[k] * personal_factor)
                ]
                if not kinds:
                    kinds = ["apology"]
                kinds += [k for k in IMPROVEMENT_KINDS if rng.random() < si_p]
                variant = int(rng.random() * len(text.PAYMENTS))
                case.recs = [(k, self._due(_decided(case), k), variant) for k in kinds]
            with_any = [c for c in cases if c.recs and not c.locked]
            self._calibrate_recs(rng, with_any, IMPROVEMENT_KINDS, t.service_improvements.value)
            if t.personal_recommendations is not None:
                self._calibrate_recs(
                    rng, with_any, PERSONAL_KINDS, t.personal_recommendations.value
                )

    def _calibrate_recs(
        self, rng: random.Random, cases: list[_Case], kinds: tuple[str, ...], target: float
    ) -> None:
        lo, hi = _count_band(target, self.scale)
        count = sum(1 for c in cases for r in c.recs if r[0] in kinds)
        if count < lo:
            pool = [c for c in cases if sum(1 for r in c.recs if r[0] in kinds) < len(kinds)]
            for case in _choose(rng, pool, lo - count, lambda c: 1.0):
                have = {r[0] for r in case.recs}
                kind = next(k for k in kinds if k not in have)
                case.recs.append((kind, self._due(_decided(case), kind), case.recs[0][2]))
        elif count > hi:
            # Never leave a case with recommendations but none of its personal remedies.
            def removable(c: _Case) -> bool:
                mine = sum(1 for r in c.recs if r[0] in kinds)
                return mine > (1 if kinds == PERSONAL_KINDS else 0)

            pool = [c for c in cases if removable(c)]
            for case in _choose(rng, pool, count - hi, lambda c: 1.0):
                for i in range(len(case.recs) - 1, -1, -1):
                    if case.recs[i][0] in kinds:
                        del case.recs[i]
                        break

    # -- F: compliance ---------------------------------------------------------------------------

    def _record_compliance(self) -> None:
        by_recorded: list[list[_Case]] = [[] for _ in self.y.years]
        rng = random.Random(f"{self.seed}:comply")
        for case in self.cases:
            if not case.recs:
                continue
            auth = self.auths[case.auth]
            last_due = max(r[1] for r in case.recs)
            due_year = self.y.index(last_due)
            t = self.targets[due_year if due_year >= 0 else -1]
            u = rng.random()
            if u < 1 - t.compliance_pct.value / 100:
                outcome, delay = NOT_COMPLIED, 30 + int(rng.random() * 60)
            elif rng.random() < t.late_share:
                outcome, delay = COMPLIED_LATE, 15 + int(rng.random() * (LONGEST_LATE - 15))
            else:
                outcome, delay = COMPLIED, int(rng.random() * 14)
            recorded = _next_working_day(last_due + delay)
            if recorded > self.horizon or (auth.end is not None and recorded > auth.end):
                continue
            case.comp = (recorded, outcome)
            yi = self.y.index(recorded)
            if yi >= 0:
                by_recorded[yi].append(case)
        for pin in self.pins:
            ai = self.by_code.get(pin.gss_code)
            if ai is None or not pin.no_compliance:
                continue
            yi = self.y.labels.index(pin.year)
            for case in by_recorded[yi]:
                if case.auth == ai:  # the remedy step above makes this not happen
                    case.comp = None
            by_recorded[yi] = [c for c in by_recorded[yi] if c.comp is not None]
        for yi, t in enumerate(self.targets):
            cases = by_recorded[yi]
            rng = random.Random(f"{self.seed}:compliance:{self.y.labels[yi]}")
            # Band on the share complied, expressed as a band on not-complied counts.
            lo_ok, hi_ok = _band(len(cases), t.compliance_pct.value, COMPLIANCE_BAND)
            lo, hi = len(cases) - hi_ok, len(cases) - lo_ok
            failing = [c for c in cases if c.comp and c.comp[1] == NOT_COMPLIED]
            if len(failing) < lo:
                pool = [c for c in cases if c.comp and c.comp[1] != NOT_COMPLIED and not c.locked]
                for case in _choose(rng, pool, lo - len(failing), lambda c: 1.0):
                    case.comp = (_recorded(case), NOT_COMPLIED)
            elif len(failing) > hi:
                pool = [c for c in failing if not c.locked]
                for case in _choose(rng, pool, len(failing) - hi, lambda c: 1.0):
                    case.comp = (_recorded(case), COMPLIED_LATE)

    # -- G: public reports -----------------------------------------------------------------------

    def _choose_public_reports(self) -> None:
        upheld = self._by_decision_year(lambda c: c.kind == UPHELD and not c.remedied)
        for yi, t in enumerate(self.targets):
            rng = random.Random(f"{self.seed}:reports:{self.y.labels[yi]}")
            k = _round_half_up(t.public_reports.value * self.scale)
            pool = [c for c in upheld[yi] if not c.locked]
            for case in _choose(rng, pool, k, lambda c: REPORT_WEIGHT[c.svc]):
                assert case.dec is not None
                day = _next_working_day(case.dec + 7 + int(rng.random() * 21))
                auth = self.auths[case.auth]
                if day > self.y.ends[yi] or (auth.end is not None and day > auth.end):
                    day = case.dec
                case.report = day

    # -- H: records -------------------------------------------------------------------------------

    def _records(self) -> DemoData:
        data = DemoData(years=list(self.y.labels), seed=self.seed, scale=self.scale)
        cases, recommendations, compliance = data.cases, data.recommendations, data.compliance
        # Every day a record can carry, made once: records share the date objects.
        first = min((c.recv for c in self.cases), default=self.y.starts[0])
        last = self.horizon + 2 * LONGEST_DUE + LONGEST_LATE
        base = dt.date.fromordinal(first)
        days = [base + dt.timedelta(days=i) for i in range(last - first + 1)]

        def day(ordinal: int) -> dt.date:
            return days[ordinal - first]

        codes = [a.code for a in self.auths]  # sorted, so authority index orders like its code
        slugs = [area.replace("_", "-") for area in SERVICE_AREAS]
        # Received day, then authority; ties keep the order they were generated in.
        self.cases.sort(key=lambda c: c.recv * 65_536 + c.auth)
        running: dict[int, int] = {}
        for case in self.cases:
            received = day(case.recv)
            yy = received.year if received.month >= 4 else received.year - 1
            number = running.get(yy, 0) + 1
            running[yy] = number
            if number > 999_999:
                raise ValueError("more than 999,999 cases received in a year: lower the scale")
            reference = f"{yy % 100:02d} {number // 1000:03d} {number % 1000:03d}"
            area = SERVICE_AREAS[case.svc]
            outcome = OUTCOMES[case.kind]
            summary = url = ""
            decided = None
            if case.dec is None:
                area = outcome = ""
            else:
                decided = day(case.dec)
                if case.kind >= CLOSED:  # closed after initial enquiries, not upheld, upheld
                    kinds = tuple(r[0] for r in case.recs)
                    summary = text.summary(
                        area, case.issue, outcome, case.remedied, kinds, case.recv % 3
                    )
                    url = f"{STATEMENT_BASE}/{slugs[case.svc]}/{reference.replace(' ', '-')}"
            cases.append(
                CaseRecord(
                    reference,
                    codes[case.auth],
                    received,
                    decided,
                    area,
                    outcome,
                    case.remedied and case.kind == UPHELD,
                    day(case.report) if case.report is not None else None,
                    summary,
                    url,
                )
            )
            if case.recs:
                if len(case.recs) > 1:
                    case.recs.sort(key=lambda r: (r[1], r[0]))
                for kind, due, variant in case.recs:
                    recommendations.append(
                        RecommendationRecord(
                            reference,
                            kind,
                            day(due),
                            text.recommendation_description(kind, area, variant),
                            kind in IMPROVEMENT_KINDS,
                        )
                    )
            if case.comp is not None:
                compliance.append(ComplianceRecord(reference, day(case.comp[0]), case.comp[1]))
        return data
