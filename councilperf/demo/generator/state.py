"""The generator's internal state: cases, authorities, years, and the base of its steps."""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from councilperf.years import ReportingYear

from ..targets import YearTargets
from .data import AuthorityInput
from .parameters import (
    AUTHORITY_REMEDY_SD,
    AUTHORITY_UPHELD_SD,
    GROUPS,
    OUTLIER_SHARE,
    OUTLIER_SHIFT,
    VOLUME_SHAPE,
    YEARLY_UPHELD_SD,
    Pin,
)


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


class _Base:
    """The state every step reads and writes, and the lookups they share."""

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

    def _by_decision_year(self, predicate: Callable[[_Case], bool]) -> list[list[_Case]]:
        out: list[list[_Case]] = [[] for _ in self.y.years]
        for case in self.cases:
            if case.dy >= 0 and predicate(case):
                out[case.dy].append(case)
        return out
