"""Steps B to D: pinned years, detailed investigations, upheld or not, remedies."""

from __future__ import annotations

import random
from collections.abc import Sequence

from councilperf.years import ReportingYear

from .parameters import (
    AREA_UPHELD,
    CLOSED,
    DI_PROPENSITY,
    GROUP_BAND,
    GROUP_UPHELD,
    LONGEST_DUE,
    LONGEST_LATE,
    NOT_UPHELD,
    REMEDY_BAND,
    UPHELD,
    UPHELD_BAND,
)
from .sampling import (
    _band,
    _choose,
    _count_band,
    _mix,
    _next_working_day,
    _service_weights,
    _sigmoid,
    _solve_intercept,
)
from .state import _Base, _Case


class _Outcomes(_Base):
    """Steps B to D: the outcome of each decision."""

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
