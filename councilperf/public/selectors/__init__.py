"""Reads for the public site. Views call these and render; nothing here writes.

Only published review years exist on the public site: every selector that takes a year is
called after ``require_published`` (views) or filters to published years itself.
"""

from __future__ import annotations

from councilperf.public import figures

from .authorities import (
    authority_or_404,
    authority_years,
    public_authorities,
    search,
    suggestions,
)
from .cases import (
    AreaRow,
    decided_cases,
    decisions,
    has_synthetic_cases,
    outcome_counts,
    public_reports,
    publication_date,
    service_areas,
    service_improvements,
)
from .council import (
    KeyStatistic,
    TrendPoint,
    key_statistics,
    lineage,
    per_100k_statistic,
    trend,
    trend_chart,
    trend_rows,
)
from .formatting import (
    as_float,
    comparison_words,
    display,
    format_metric,
    legend,
    metric_class,
    metric_value,
    numerator,
    per_100k,
    percent,
    percent_of,
)
from .maps import (
    is_synthetic,
    map_figures,
    map_rows,
    published_groups,
    rows_by_code,
    sitemap_councils,
)
from .metrics import (
    CLASS_COLOURS,
    COMPARISON_WORDS,
    GROUP_PLURAL,
    GROUP_SINGULAR,
    METRICS,
    NO_DATA_COLOUR,
    TIERS,
    Metric,
)
from .review_letters import (
    PublicLetter,
    letter_body,
    letter_or_404,
    letters,
)
from .years import (
    latest_published_year,
    published_years,
    require_published,
)

__all__ = [
    "CLASS_COLOURS",
    "COMPARISON_WORDS",
    "GROUP_PLURAL",
    "GROUP_SINGULAR",
    "METRICS",
    "NO_DATA_COLOUR",
    "TIERS",
    "AreaRow",
    "KeyStatistic",
    "Metric",
    "PublicLetter",
    "TrendPoint",
    "as_float",
    "authority_or_404",
    "authority_years",
    "comparison_words",
    "decided_cases",
    "decisions",
    "display",
    "figures",
    "format_metric",
    "has_synthetic_cases",
    "is_synthetic",
    "key_statistics",
    "latest_published_year",
    "legend",
    "letter_body",
    "letter_or_404",
    "letters",
    "lineage",
    "map_figures",
    "map_rows",
    "metric_class",
    "metric_value",
    "numerator",
    "outcome_counts",
    "per_100k",
    "per_100k_statistic",
    "percent",
    "percent_of",
    "public_authorities",
    "public_reports",
    "publication_date",
    "published_groups",
    "published_years",
    "require_published",
    "rows_by_code",
    "search",
    "service_areas",
    "service_improvements",
    "sitemap_councils",
    "suggestions",
    "trend",
    "trend_chart",
    "trend_rows",
]
