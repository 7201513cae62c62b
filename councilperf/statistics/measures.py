"""The metric registry: each published measure defined once. Pure: no Django, no I/O.

A measure is a ratio of two counts of an authority's year (or a rate per 100,000 residents).
The site's pages, the map, the compare tables, the national review, the letters and the
downloads all read these definitions, so a measure's name, its counts and which way is
better are written here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

PER = 100_000


class Kind(StrEnum):
    PERCENT = "percent"  # a proportion, shown as a whole percentage
    PER_100K = "per_100k"  # a rate per 100,000 residents, shown to one decimal


@dataclass(frozen=True, slots=True)
class Metric:
    code: str  # the export column of the rate: "upheld_rate"
    part: str  # the key of the stored figures (intervals, funnel, comparison): "upheld"
    kind: Kind
    label: str  # the map's and the downloads' name for it
    title: str  # the council page's and the compare page's heading
    short: str
    rate_short: str  # the compare table's column heading
    numerator: tuple[str, ...]  # count columns summed for the numerator
    numerator_label: str
    denominator: str  # count column of the denominator ("population" for per 100,000)
    denominator_label: str
    better: str  # "lower" or "higher": which way is better for residents
    lower_means: str  # what a low value means, in words
    breaks: tuple[float, ...]  # the map's class upper limits (the last class is open)
    letter_heading: str  # the annual review letter's heading of its block
    small_numbers: str = (
        "Not compared with similar authorities when the denominator is below the "
        "small-number threshold the year was computed with."
    )

    @property
    def percent(self) -> bool:
        return self.kind is Kind.PERCENT

    @property
    def key(self) -> str:
        """The same as ``code`` (templates and the map script say "key")."""
        return self.code

    @property
    def peer(self) -> str:
        """The export column of the similar-authority average."""
        return f"peer_{self.code}"


METRICS: tuple[Metric, ...] = (
    Metric(
        code="upheld_rate",
        part="upheld",
        kind=Kind.PERCENT,
        label="Complaints upheld (% of detailed investigations)",
        title="Complaints upheld",
        short="Upheld",
        rate_short="Upheld rate",
        numerator=("upheld",),
        numerator_label="Upheld",
        denominator="detailed_investigations",
        denominator_label="Detailed investigations",
        better="lower",
        lower_means="fewer complaints upheld",
        breaks=(0.2, 0.4, 0.6, 0.8),
        letter_heading="Complaints upheld",
    ),
    Metric(
        code="upheld_per_100k",
        part="upheld_per_100k",
        kind=Kind.PER_100K,
        label="Upheld decisions per 100,000 residents",
        title="Upheld decisions per 100,000 residents",
        short="Upheld per 100,000",
        rate_short="Upheld per 100,000",
        numerator=("upheld",),
        numerator_label="Upheld",
        denominator="population",
        denominator_label="Population",
        better="lower",
        lower_means="fewer upheld decisions for the number of residents",
        breaks=(2.0, 4.0, 6.0, 8.0),
        letter_heading="Upheld decisions per 100,000 residents",
    ),
    Metric(
        code="compliance_rate",
        part="compliance",
        kind=Kind.PERCENT,
        label="Compliance with recommendations (%)",
        title="Compliance with recommendations",
        short="Compliance",
        rate_short="Compliance rate",
        numerator=("complied", "complied_late"),
        numerator_label="Complied (on time or late)",
        denominator="compliance_outcomes",
        denominator_label="Compliance outcomes",
        better="higher",
        lower_means="fewer recommendations complied with",
        breaks=(0.9, 0.95, 0.99, 0.999),
        letter_heading="Compliance with Ombudsman recommendations",
    ),
    Metric(
        code="satisfactory_remedy_rate",
        part="satisfactory_remedy",
        kind=Kind.PERCENT,
        label="Satisfactory remedies by the council (% of upheld)",
        title="Satisfactory remedies by the council",
        short="Satisfactory remedy",
        rate_short="Satisfactory remedy rate",
        numerator=("upheld_with_satisfactory_remedy",),
        numerator_label="Remedied by the council",
        denominator="upheld",
        denominator_label="Upheld decisions",
        better="higher",
        lower_means="fewer upheld complaints already put right by the council",
        breaks=(0.1, 0.2, 0.3, 0.4),
        letter_heading="Satisfactory remedies provided by the authority",
    ),
)
METRIC: dict[str, Metric] = {m.code: m for m in METRICS}
BY_PART: dict[str, Metric] = {m.part: m for m in METRICS}

# The order the council page, the compare page and the letter show them in.
PAGE_ORDER: tuple[str, ...] = (
    "upheld_rate",
    "compliance_rate",
    "satisfactory_remedy_rate",
    "upheld_per_100k",
)
