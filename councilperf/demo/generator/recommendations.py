"""Steps E to G: recommendations, compliance outcomes and public reports."""

from __future__ import annotations

import random

from .. import text
from .parameters import (
    COMPLIANCE_BAND,
    COMPLIED,
    COMPLIED_LATE,
    DUE_DAYS,
    IMPROVEMENT_KINDS,
    LATE_BAND,
    LONGEST_LATE,
    NO_RECOMMENDATION_SHARE,
    NOT_COMPLIED,
    PERSONAL_KINDS,
    PERSONAL_PROBABILITY,
    REPORT_WEIGHT,
    UPHELD,
)
from .sampling import (
    _band,
    _choose,
    _count_band,
    _decided,
    _next_working_day,
    _recorded,
    _round_half_up,
)
from .state import _Base, _Case


class _Recommendations(_Base):
    """Steps E to G: what follows an upheld decision."""

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
            elif rng.random() < t.late_pct.value / t.compliance_pct.value:
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
            self._band_late(cases, t.late_pct.value, rng)

    def _band_late(self, cases: list[_Case], pct: float, rng: random.Random) -> None:
        """Bring the year's share of outcomes complied late within LATE_BAND points of the
        target (published where known: 18 % in 2021-22, 20.8 % in 2023-24), switching
        unlocked outcomes between complied and complied late on their recorded day."""
        lo, hi = _band(len(cases), pct, LATE_BAND)
        late = [c for c in cases if c.comp and c.comp[1] == COMPLIED_LATE]
        if len(late) < lo:
            pool = [c for c in cases if c.comp and c.comp[1] == COMPLIED and not c.locked]
            for case in _choose(rng, pool, lo - len(late), lambda c: 1.0):
                case.comp = (_recorded(case), COMPLIED_LATE)
        elif len(late) > hi:
            pool = [c for c in late if not c.locked]
            for case in _choose(rng, pool, len(late) - hi, lambda c: 1.0):
                case.comp = (_recorded(case), COMPLIED)

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
