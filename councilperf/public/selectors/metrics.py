"""The public site's metrics, map colours and comparison-group wording."""

from __future__ import annotations

from dataclasses import dataclass

from councilperf.authorities.models import ComparisonGroup

TIERS: dict[str, str] = {
    "upper": "County & unitary tier",
    "lower": "District & unitary tier",
}


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    short: str
    denominator: str  # key of the count the rate is out of ("" for per-100k)
    numerator: str
    percent: bool
    peer_key: str
    denominator_label: str
    breaks: tuple[float, ...]  # class upper limits (the last class is open)


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric(
            "upheld_rate",
            "Complaints upheld (% of detailed investigations)",
            "Upheld",
            "detailed_investigations",
            "upheld",
            True,
            "peer_upheld_rate",
            "Detailed investigations",
            (0.2, 0.4, 0.6, 0.8),
        ),
        Metric(
            "upheld_per_100k",
            "Upheld decisions per 100,000 residents",
            "Upheld per 100,000",
            "population",
            "upheld",
            False,
            "peer_upheld_per_100k",
            "Population",
            (2.0, 4.0, 6.0, 8.0),
        ),
        Metric(
            "compliance_rate",
            "Compliance with recommendations (%)",
            "Compliance",
            "compliance_outcomes",
            "complied_total",
            True,
            "peer_compliance_rate",
            "Compliance outcomes",
            (0.9, 0.95, 0.99, 0.999),
        ),
        Metric(
            "satisfactory_remedy_rate",
            "Satisfactory remedies by the council (% of upheld)",
            "Satisfactory remedy",
            "upheld",
            "upheld_with_satisfactory_remedy",
            True,
            "peer_satisfactory_remedy_rate",
            "Upheld decisions",
            (0.1, 0.2, 0.3, 0.4),
        ),
    )
}

# Sequential blues (light to dark), each passing 3:1 against its neighbours' borders.
CLASS_COLOURS = ("#deebf7", "#9ecae1", "#5a9fcf", "#2b6ca8", "#0b3d6e")
NO_DATA_COLOUR = "#bfc1c3"  # grey: clearly not a shade of the blue scale

COMPARISON_WORDS = {
    "lower": "lower than",
    "similar": "similar to",
    "higher": "higher than",
}
GROUP_PLURAL = {value: label for value, label in ComparisonGroup.choices}
GROUP_SINGULAR = {
    "county": "County council",
    "district": "District council",
    "metropolitan": "Metropolitan borough",
    "unitary": "Unitary council",
    "london": "London borough",
}
