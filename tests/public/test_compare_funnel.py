"""Funnel-plot geometry (public.presentation.funnel), checked against numbers worked by hand.

The limits are exact with Spiegelhalter's interpolation (``statistics.core.exact_limits``,
checked against scipy in tests/statistics/test_core_exact_limits.py). By hand: Binomial(4, ½)
has F(0) = 1/16, F(3) = 15/16, F(4) = 1, so the 95 % upper limit is
(4 − (1 − 0.975) × 16) / 4 = 0.9 and the 99.8 % one (4 − 0.016) / 4 = 0.996; both lower limits
fall below 0 and are cut there.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from councilperf.public.presentation import charts, funnel
from councilperf.public.presentation.funnel import Band, Entry, Kind


def test_proportion_limits_by_hand() -> None:
    small = funnel.proportion_limits(Fraction(1, 2), 4)
    assert small is not None
    assert (small.inner_lower, small.inner_upper) == pytest.approx((0.0, 0.9), abs=1e-12)
    assert (small.outer_lower, small.outer_upper) == pytest.approx((0.0, 0.996), abs=1e-12)
    # The example: 10 cases around 45 %, 99.8 % upper limit 88.4 % (normal: 93.6 %).
    ten = funnel.proportion_limits(Fraction(45, 100), 10)
    assert ten is not None and round(ten.outer_upper, 3) == 0.884
    assert funnel.band(0.9, ten) is Band.ABOVE_OUTER
    assert funnel.proportion_limits(None, 10) is None
    assert funnel.proportion_limits(0.5, 0) is None


def test_rate_limits_by_hand() -> None:
    # 5 per 100,000 in 100,000 residents: expected count E = 5, F(0) = e⁻⁵, F(1) = 6e⁻⁵, so
    # the 95 % lower limit is 1 − (6e⁻⁵ − 0.025) / (5e⁻⁵) = 0.542066.
    limits = funnel.rate_limits(5.0, 100_000)
    assert limits is not None
    e5 = math.exp(-5)
    assert limits.inner_lower == pytest.approx(1 - (6 * e5 - 0.025) / (5 * e5), abs=1e-12)
    assert limits.inner_lower == pytest.approx(0.542066, abs=1e-6)
    assert limits.outer_lower < limits.inner_lower < limits.inner_upper < limits.outer_upper
    # Four times the population: the same rate, narrower limits.
    wider = funnel.rate_limits(5.0, 400_000)
    assert wider is not None and wider.inner_upper < limits.inner_upper
    assert funnel.rate_limits(0, 1000) == funnel.Limits(0.0, 0.0, 0.0, 0.0)
    assert funnel.rate_limits(5.0, 0) is None
    assert funnel.rate_limits(None, 1000) is None


def test_no_upheld_of_about_one_expected_is_within_the_limits() -> None:
    # North East Derbyshire 2019-20: 0.0 per 100,000 where about 1.2 were expected.
    limits = funnel.rate_limits(1.2, 100_000)
    assert limits is not None and limits.inner_lower == 0.0
    assert funnel.band(0.0, limits) is Band.INSIDE


LIMITS = funnel.Limits(0.40, 0.60, 0.35, 0.65)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.20, Band.BELOW_OUTER),
        (0.349, Band.BELOW_OUTER),
        (0.35, Band.BELOW_INNER),
        (0.399, Band.BELOW_INNER),
        (0.40, Band.INSIDE),
        (0.50, Band.INSIDE),
        (0.60, Band.INSIDE),
        (0.601, Band.ABOVE_INNER),
        (0.65, Band.ABOVE_INNER),
        (0.651, Band.ABOVE_OUTER),
        (None, Band.NONE),
    ],
)
def test_band(value: float | None, expected: Band) -> None:
    assert funnel.band(value, LIMITS) is expected
    assert funnel.band(value, None) is Band.NONE


def test_axes() -> None:
    assert funnel.nice_ceiling(104, funnel.AXIS_STEPS) == 120
    assert funnel.nice_ceiling(0) == 1.0
    assert funnel.ticks(120) == [0, 25, 50, 75, 100]
    assert funnel.ticks(1_560_000) == [0, 500_000, 1_000_000, 1_500_000]
    assert funnel.thousands(1_500_000) == "1,500,000"


def test_plot_geometry() -> None:
    entries = [
        Entry("A", "Ambridge", 20, 100),
        Entry("D", "Darrington", 80, 100, highlighted=True),
        Entry("E", "Edgeley", 2, 4),
        Entry("Z", "Zero", 0, 0),
    ]
    plot = funnel.build(entries, Fraction(1, 2), Kind.PROPORTION)
    # Plot area: x 64 to 620 for denominators 0 to 120 (a round number above 104);
    # y 324 (0 %) to 16 (100 %).
    assert (plot.left, plot.right, plot.top, plot.bottom) == (64, 620, 16, 324)
    by_key = {p.entry.key: p for p in plot.points}
    assert by_key["A"].x == pytest.approx(64 + 556 * 100 / 120, abs=0.05)  # 527.3
    assert by_key["A"].y == pytest.approx(324 - 308 * 0.2, abs=0.05)  # 262.4
    assert by_key["A"].band is Band.BELOW_OUTER
    assert by_key["D"].band is Band.ABOVE_OUTER
    assert by_key["E"].band is Band.INSIDE
    assert plot.target_y == 170.0
    assert plot.points[-1].entry.key == "D", "the highlighted point is drawn last, on top"
    assert [e.key for e in plot.left_out] == ["Z"]
    assert [t.label for t in plot.y_ticks] == ["0%", "20%", "40%", "60%", "80%", "100%"]
    # The limit curves are polylines inside the plot area, and narrow to the right.
    uppers = [tuple(map(float, xy.split(","))) for xy in plot.inner_upper.split()]
    assert all(64 <= x <= 620 and 16 <= y <= 324 for x, y in uppers)
    assert uppers[-1][1] > uppers[0][1]  # nearer the target line at the right


def test_rate_plot_y_axis_covers_the_highest_rate() -> None:
    entries = [Entry("A", "A", 30, 100_000), Entry("B", "B", 4, 200_000)]
    plot = funnel.build(entries, 10.0, Kind.RATE)
    assert plot.y_ticks[-1].label in {"30", "40"}
    assert not any(p.clipped for p in plot.points)
    assert plot.value_label(12.34) == "12.3"


def test_charts() -> None:
    chart = charts.line_chart(["2018-19", "2019-20"], [("Upheld", [0.5, None]), ("C", [1, 1])])
    assert len(chart.lines[0].dots) == 1
    assert chart.lines[1].points.count(",") == 2
    bars = charts.bar_chart(["2018-19", "2019-20"], [100, 150])
    assert [b.value_label for b in bars.bars] == ["100", "150"]
    assert bars.bars[1].height > bars.bars[0].height
