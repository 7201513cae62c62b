"""Whether another council's figure differs from a council's own (intervals, never a rank)."""

from __future__ import annotations

import pytest

from councilperf.site.presentation.charts import STYLES
from councilperf.site.presentation.difference import difference, words
from councilperf.statistics.figures import Measure
from councilperf.statistics.measures import METRIC

UPHELD = METRIC["upheld_rate"]


def measure(
    lower: float | None, upper: float | None, comparison: str | None = "similar"
) -> Measure:
    return Measure(
        metric=UPHELD,
        numerator=5,
        denominator=10,
        peer=None,
        lower=lower,
        upper=upper,
        comparison=comparison,
    )


@pytest.mark.parametrize(
    ("own", "other", "expected"),
    [
        ((0.2, 0.4), (0.5, 0.7), "higher"),
        ((0.5, 0.7), (0.2, 0.4), "lower"),
        ((0.2, 0.5), (0.4, 0.7), "overlap"),
        ((0.2, 0.5), (0.5, 0.7), "overlap"),  # ranges that meet at a point overlap
        ((0.3, 0.4), (0.1, 0.9), "overlap"),  # one inside the other
        ((0.2, 0.4), (0.4000001, 0.7), "higher"),
    ],
)
def test_intervals_decide(
    own: tuple[float, float], other: tuple[float, float], expected: str
) -> None:
    assert difference(measure(*own), measure(*other)) == expected
    # The question the other way round has the mirror answer.
    mirror = {"higher": "lower", "lower": "higher", "overlap": "overlap"}[expected]
    assert difference(measure(*other), measure(*own)) == mirror


def test_the_small_number_rule_and_missing_intervals_are_never_compared() -> None:
    far = measure(0.8, 0.9)
    assert difference(measure(0.1, 0.2, "not_compared"), far) == "not_compared"
    assert difference(far, measure(0.1, 0.2, "not_compared")) == "not_compared"
    assert difference(measure(None, None, None), far) == "not_compared"
    assert difference(far, measure(0.1, None)) == "not_compared"


def test_words() -> None:
    assert words("higher", "Chesterfield") == "Higher than Chesterfield"
    assert words("lower", "Chesterfield") == "Lower than Chesterfield"
    assert words("overlap", "Chesterfield") == "No clear difference"
    assert words("not_compared", "Chesterfield") == "Too few cases to compare"


def test_six_line_styles_each_distinct_in_colour_and_dash() -> None:
    assert len(STYLES) >= 6
    assert len({c for c, _ in STYLES}) == len(STYLES)
    assert len({d for _, d in STYLES}) == len(STYLES)
