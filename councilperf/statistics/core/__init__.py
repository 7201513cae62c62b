"""The statistics core: plain functions and frozen dataclasses, no Django and no I/O.

Everything the ombudsman publishes about an authority's year is computed here from counts
(:class:`AuthorityCounts`) gathered elsewhere:

- :mod:`.rounding` — exact display rounding (``whole_percent``);
- :mod:`.intervals` — Wilson score and Byar's intervals;
- :mod:`.tails` — exact binomial and Poisson tail probabilities, funnel labels and limits;
- :mod:`.counts` — the counts of one authority's year, and their sums;
- :mod:`.compute` — rates, similar-authority (peer) averages, national totals and the
  comparison label of each rate, for a whole year at once.
"""

from councilperf.statistics.core.compute import (
    AuthorityResult,
    Comparison,
    PeerAverage,
    PeerMethod,
    ProportionResult,
    RateResult,
    YearResult,
    compare,
    compute_year,
    peer_average,
)
from councilperf.statistics.core.counts import AuthorityCounts, Proportion
from councilperf.statistics.core.intervals import (
    Interval,
    byar_count_interval,
    byar_rate_interval,
    wilson_interval,
    z_value,
)
from councilperf.statistics.core.rounding import round_half_away_from_zero, whole_percent

__all__ = [
    "AuthorityCounts",
    "AuthorityResult",
    "Comparison",
    "Interval",
    "PeerAverage",
    "PeerMethod",
    "Proportion",
    "ProportionResult",
    "RateResult",
    "YearResult",
    "byar_count_interval",
    "byar_rate_interval",
    "compare",
    "compute_year",
    "peer_average",
    "round_half_away_from_zero",
    "whole_percent",
    "wilson_interval",
    "z_value",
]
