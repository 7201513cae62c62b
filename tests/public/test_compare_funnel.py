"""Funnel-plot geometry (public.presentation.funnel), checked against numbers worked by hand.

Hand arithmetic used below: z(95 %) = 1.959964, z(99.8 %) = 3.090232. Around a target of 1/2
with a denominator of 100 the standard error is √(0.5 × 0.5 / 100) = 0.05, so the limits are
0.5 ± 0.097998 (0.402002 to 0.597998) and 0.5 ± 0.154512 (0.345488 to 0.654512).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from councilperf.public.presentation import charts, funnel
from councilperf.public.presentation.funnel import Band, Entry, Kind


def test_proportion_limits_by_hand() -> None:
    limits = funnel.proportion_limits(Fraction(1, 2), 100)
    assert limits is not None
    assert limits.inner_lower == pytest.approx(0.402002, abs=1e-6)
    assert limits.inner_upper == pytest.approx(0.597998, abs=1e-6)
    assert limits.outer_lower == pytest.approx(0.345488, abs=1e-6)
    assert limits.outer_upper == pytest.approx(0.654512, abs=1e-6)
    # n = 4: 0.5 ± 1.959964 × 0.25 = 0.010009 to 0.989991; the 99.8 % funnel is cut at 0 and 1.
    small = funnel.proportion_limits(0.5, 4)
    assert small is not None
    assert (small.inner_lower, small.inner_upper) == pytest.approx((0.010009, 0.989991), abs=1e-6)
    assert (small.outer_lower, small.outer_upper) == (0.0, 1.0)
    assert funnel.proportion_limits(None, 10) is None
    assert funnel.proportion_limits(0.5, 0) is None


def test_rate_limits_by_hand() -> None:
    # 5 per 100,000 in 100,000 residents: expected count E = 5.
    # Byar, lower: 5 × (1 − 1/45 − 1.959964/(3√5))³ = 5 × 0.685604³ = 1.611348
    # upper: 6 × (1 − 1/54 + 1.959964/(3√6))³ = 6 × 1.248202³ = 11.668164
    limits = funnel.rate_limits(5.0, 100_000)
    assert limits is not None
    assert limits.inner_lower == pytest.approx(1.611348, abs=1e-5)
    assert limits.inner_upper == pytest.approx(11.668164, abs=1e-5)
    assert limits.outer_lower < limits.inner_lower < limits.inner_upper < limits.outer_upper
    # Four times the population: the same rate, narrower limits.
    wider = funnel.rate_limits(5.0, 400_000)
    assert wider is not None and wider.inner_upper < limits.inner_upper
    assert funnel.rate_limits(0, 1000) == funnel.Limits(0.0, 0.0, 0.0, 0.0)
    assert funnel.rate_limits(5.0, 0) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.20, Band.BELOW_OUTER),
        (0.40, Band.BELOW_INNER),  # 0.40 < 0.402002
        (0.41, Band.INSIDE),
        (0.50, Band.INSIDE),
        (0.60, Band.ABOVE_INNER),  # 0.60 > 0.597998
        (0.80, Band.ABOVE_OUTER),
        (None, Band.NONE),
    ],
)
def test_band(value: float | None, expected: Band) -> None:
    assert funnel.band(value, funnel.proportion_limits(0.5, 100)) is expected


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
