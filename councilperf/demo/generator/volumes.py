"""Step A: complaints and enquiries received, their outcome classes and decision days."""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Sequence

from councilperf.years import ReportingYear

from .parameters import (
    CLOSED,
    DECISION_PAUSE,
    DI_PROPENSITY,
    GROUP_VOLUME,
    LAG_MEAN,
    LAG_MIN,
    NOT_UPHELD,
    OTHER_OUTCOMES,
    RECEIPT_PAUSE,
    VOLUME_YEARLY_SD,
    WEEKEND_RECEIPTS,
)
from .sampling import (
    _count_band,
    _cumulative,
    _decided_before,
    _mix,
    _poisson,
    _service_weights,
    _weekday,
)
from .state import _Base, _Case


class _Receipts(_Base):
    """Step A: receipts, outcome classes, decision dates."""

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

    def _year_weights(
        self, year: ReportingYear, mix: list[float]
    ) -> list[tuple[int, float, list[float], tuple[int, int]]]:
        """(authority index, weight, service weights, open window) of every authority existing
        in ``year``; weights are normalised to the national count by the caller."""
        full = self._full_weight(year)
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
        return rows

    def _receive(self) -> None:
        span = self.y.years
        for yi, year in enumerate(span):
            t = self.targets[yi]
            mix = _mix(year)
            di_share = t.detailed_investigations.value / t.received.value
            rows = self._year_weights(year, mix)
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
