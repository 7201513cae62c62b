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

import gc
from collections.abc import Sequence

from councilperf.years import ReportingYear

from ..targets import targets_for
from .data import (
    AuthorityInput,
    AuthorityYearInput,
    DemoData,
)
from .outcomes import _Outcomes
from .parameters import (
    ADVICE,
    AREA_UPHELD,
    AUTHORITY_REMEDY_SD,
    AUTHORITY_UPHELD_SD,
    CLOSED,
    COMPLIANCE_BAND,
    COMPLIED,
    COMPLIED_LATE,
    COUNT_BAND,
    DECISION_PAUSE,
    DEFAULT_YEARS,
    DI_PROPENSITY,
    DUE_DAYS,
    GROUP_BAND,
    GROUP_UPHELD,
    GROUP_VOLUME,
    GROUPS,
    IMPROVEMENT_KINDS,
    INVALID,
    LAG_MEAN,
    LAG_MIN,
    LONGEST_DUE,
    LONGEST_LATE,
    MIX_FIRST,
    MIX_LAST,
    MIX_YEARS,
    NO_RECOMMENDATION_SHARE,
    NOT_COMPLIED,
    NOT_UPHELD,
    OTHER_OUTCOMES,
    OUTCOMES,
    OUTLIER_SHARE,
    OUTLIER_SHIFT,
    PERSONAL_KINDS,
    PERSONAL_PROBABILITY,
    PINS,
    RECEIPT_PAUSE,
    REFERRED,
    REMEDY_BAND,
    REPORT_WEIGHT,
    SERVICE_AREAS,
    STATEMENT_BASE,
    UPHELD,
    UPHELD_BAND,
    UPPER_TIER_SHARE,
    VOLUME_SHAPE,
    VOLUME_YEARLY_SD,
    WEEKEND_RECEIPTS,
    YEARLY_UPHELD_SD,
    Pin,
)
from .recommendations import _Recommendations
from .references import _References
from .state import _Years
from .volumes import _Receipts

__all__ = [
    "ADVICE",
    "AREA_UPHELD",
    "AUTHORITY_REMEDY_SD",
    "AUTHORITY_UPHELD_SD",
    "CLOSED",
    "COMPLIANCE_BAND",
    "COMPLIED",
    "COMPLIED_LATE",
    "COUNT_BAND",
    "DECISION_PAUSE",
    "DEFAULT_YEARS",
    "DI_PROPENSITY",
    "DUE_DAYS",
    "GROUPS",
    "GROUP_BAND",
    "GROUP_UPHELD",
    "GROUP_VOLUME",
    "IMPROVEMENT_KINDS",
    "INVALID",
    "LAG_MEAN",
    "LAG_MIN",
    "LONGEST_DUE",
    "LONGEST_LATE",
    "MIX_FIRST",
    "MIX_LAST",
    "MIX_YEARS",
    "NOT_COMPLIED",
    "NOT_UPHELD",
    "NO_RECOMMENDATION_SHARE",
    "OTHER_OUTCOMES",
    "OUTCOMES",
    "OUTLIER_SHARE",
    "OUTLIER_SHIFT",
    "PERSONAL_KINDS",
    "PERSONAL_PROBABILITY",
    "PINS",
    "RECEIPT_PAUSE",
    "REFERRED",
    "REMEDY_BAND",
    "REPORT_WEIGHT",
    "SERVICE_AREAS",
    "STATEMENT_BASE",
    "UPHELD",
    "UPHELD_BAND",
    "UPPER_TIER_SHARE",
    "VOLUME_SHAPE",
    "VOLUME_YEARLY_SD",
    "WEEKEND_RECEIPTS",
    "YEARLY_UPHELD_SD",
    "AuthorityInput",
    "AuthorityYearInput",
    "DemoData",
    "Pin",
    "generate",
]


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


class _Generator(_Receipts, _Outcomes, _Recommendations, _References):
    """The steps A to H, each in its module, run in order on one state."""

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
