"""Funnel-plot geometry (site.presentation.funnel), checked against numbers worked by hand.

Labels come from exact tail probabilities (``statistics.core.tails``, checked against scipy in
tests/statistics/test_core_tails.py) and the limits are drawn as the exact steps, half a count
beyond the last whole count inside. By hand, Binomial(10, 0.45): P(X ≥ 10) = 0.45¹⁰ = 0.00034
(above 99.8 %), P(X ≥ 9) = 0.0045 (above 95 %), P(X ≥ 8) = 0.0274 (inside); P(X ≤ 1) = 0.0233
(below 95 %), P(X ≤ 0) = 0.55¹⁰ = 0.0025 (not below 99.8 %). So the 95 % limits are drawn at
1.5 and 8.5 of 10 (15 %, 85 %), the 99.8 % ones at 0 (−0.5, cut) and 9.5 (95 %).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import pytest

from councilperf.site.presentation import charts, funnel
from councilperf.site.presentation.funnel import Band, Entry, Kind
from councilperf.statistics.core import tails


def _values(limits: funnel.Limits | None) -> tuple[float, float, float, float]:
    assert limits is not None
    return (limits.outer_lower, limits.inner_lower, limits.inner_upper, limits.outer_upper)


def test_proportion_limits_by_hand() -> None:
    ten = funnel.proportion_limits(Fraction(45, 100), 10)
    assert _values(ten) == pytest.approx((0.0, 0.15, 0.85, 0.95), abs=1e-12)
    # Binomial(4, ½): P(X ≥ 4) = P(X ≤ 0) = 1/16 > 0.025, so nothing of 4 is outside; the
    # limits are cut at 0 % and 100 %.
    assert _values(funnel.proportion_limits(Fraction(1, 2), 4)) == (0.0, 0.0, 1.0, 1.0)
    assert funnel.proportion_limits(None, 10) is None
    assert funnel.proportion_limits(0.5, 0) is None


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, Band.BELOW_INNER),
        (1, Band.BELOW_INNER),
        (2, Band.INSIDE),
        (8, Band.INSIDE),
        (9, Band.ABOVE_INNER),
        (10, Band.ABOVE_OUTER),
    ],
)
def test_band_of_counts_of_ten_around_45_percent(count: int, expected: Band) -> None:
    limits = funnel.proportion_limits(0.45, 10)
    assert funnel.band(count, limits) is expected
    # The label is the exact tails' own.
    assert expected.value == tails.proportion_position(count, 10, 0.45).value
    assert funnel.band(count, limits, small=True) is Band.TOO_FEW
    assert funnel.band(count, None) is Band.NONE


def test_one_upheld_of_one_is_within_the_funnel() -> None:
    """The issue's case: 1 of 1 against 45 % (P(X ≥ 1) = 0.45) was "above the 99.8 % limit"
    under the interpolated limit of 0.998; now it is inside, and drawn inside (limit 100 %)."""
    one = funnel.proportion_limits(0.45, 1)
    assert funnel.band(1, one) is Band.INSIDE
    assert _values(one) == (0.0, 0.0, 1.0, 1.0)
    for n in (1, 2, 3):
        assert funnel.band(n, funnel.proportion_limits(0.45, n)) is Band.INSIDE


def test_rate_limits_by_hand() -> None:
    # 5 per 100,000 in 100,000 residents: Poisson with mean 5.
    pmf = [math.exp(-5) * 5**k / math.factorial(k) for k in range(40)]
    upper = [math.fsum(pmf[k:]) for k in range(40)]
    lower = [math.fsum(pmf[: k + 1]) for k in range(40)]
    inner_upper = max(k for k in range(40) if upper[k] >= 0.025)  # 10
    outer_upper = max(k for k in range(40) if upper[k] >= 0.001)  # 13
    inner_lower = min(k for k in range(40) if lower[k] >= 0.025)  # 1
    assert (inner_lower, inner_upper, outer_upper) == (1, 10, 13)
    assert lower[0] >= 0.001  # e⁻⁵ = 0.0067: nothing below the 99.8 % limit
    limits = funnel.rate_limits(5.0, 100_000)
    assert _values(limits) == pytest.approx((0.0, 0.5, 10.5, 13.5), abs=1e-12)
    # Four times the population: the same rate, narrower limits.
    wider = funnel.rate_limits(5.0, 400_000)
    assert wider is not None and limits is not None and wider.inner_upper < limits.inner_upper
    # An average of 0: any event is above both limits, drawn half an event (50 per 100,000 of
    # 1,000 residents) above 0.
    assert _values(funnel.rate_limits(0, 1000)) == (0.0, 0.0, 50.0, 50.0)
    assert funnel.rate_limits(5.0, 0) is None
    assert funnel.rate_limits(None, 1000) is None


def test_no_upheld_of_about_one_expected_is_within_the_limits() -> None:
    # North East Derbyshire 2019-20: 0.0 per 100,000 where about 1.2 were expected.
    limits = funnel.rate_limits(1.2, 100_000)
    assert limits is not None and limits.inner_lower == 0.0
    assert funnel.band(0, limits) is Band.INSIDE


def test_axes() -> None:
    assert funnel.nice_ceiling(104, funnel.AXIS_STEPS) == 120
    assert funnel.nice_ceiling(0) == 1.0
    assert funnel.ticks(120) == [0, 25, 50, 75, 100]
    assert funnel.ticks(1_560_000) == [0, 500_000, 1_000_000, 1_500_000]
    assert funnel.thousands(1_500_000) == "1,500,000"


@pytest.mark.parametrize(
    ("maximum", "whole", "expected"),
    [
        (1.2, False, [0, 0.25, 0.5, 0.75, 1.0]),
        (1.2, True, [0, 1]),  # a quarter of a case is no tick
        (2, True, [0, 1, 2]),
        (12, False, [0, 2.5, 5, 7.5, 10]),
        (12, True, [0, 5, 10]),  # 2.5 would be labelled "2" or "3"
        (30, True, [0, 10, 20, 30]),
        (120, True, [0, 25, 50, 75, 100]),  # 25 is whole: kept
    ],
)
def test_ticks_of_a_count_are_whole(maximum: float, whole: bool, expected: list[float]) -> None:
    assert funnel.ticks(maximum, whole=whole) == expected


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
    few = charts.bar_chart(["2018-19", "2019-20"], [0, 1])
    assert [t.label for t in few.y_ticks] == ["0", "1"]  # not "0", "0", "1", "1", "1"


# --- by value, both levels, both kinds ----------------------------------------------------


def test_rate_limits_per_another_number_of_residents() -> None:
    # 5 per 1,000 in 1,000 residents is also a mean of 5: the same limits, per 1,000.
    per_1000 = funnel.rate_limits(5.0, 1_000, per=1_000)
    assert per_1000 == funnel.rate_limits(5.0, 100_000)
    assert funnel.rate_limits(5.0, 1_000) != per_1000  # per 100,000: a mean of 0.05


def test_plot_area_and_value_labels() -> None:
    plot = funnel.build([Entry("A", "A", 1, 4)], Fraction(1, 2), Kind.PROPORTION)
    assert (plot.plot_width, plot.plot_height) == (556, 308)
    assert plot.value_label(0.125) == "13%"
    assert plot.target == 0.5
    assert (plot.width, plot.height) == (640, 380)
    small = funnel.build([Entry("A", "A", 1, 4)], 0.5, Kind.PROPORTION, width=300, height=200)
    assert (small.right, small.bottom, small.plot_width, small.plot_height) == (280, 144, 216, 128)


def test_plot_ticks_points_and_order() -> None:
    entries = [
        Entry("A", "A", 20, 100),
        Entry("E", "E", 4, 4),  # 100 %: at the top edge, not beyond it
        Entry("D", "D", 80, 100, highlighted=True),
        Entry("S", "S", 1, 4),
    ]
    plot = funnel.build(entries, Fraction(1, 2), Kind.PROPORTION)
    assert [(t.position, t.label) for t in plot.x_ticks] == [
        (64.0, "0"),
        (179.8, "25"),  # 64 + 556 × 25 / 120 = 179.83
        (295.7, "50"),
        (411.5, "75"),
        (527.3, "100"),
    ]
    assert [t.position for t in plot.y_ticks] == [324.0, 262.4, 200.8, 139.2, 77.6, 16.0]
    # Largest denominator first, the highlighted one last.
    assert [(p.entry.key, p.value, p.x, p.y, p.clipped) for p in plot.points] == [
        ("A", 0.2, 527.3, 262.4, False),
        ("E", 1.0, 82.5, 16.0, False),
        ("S", 0.25, 82.5, 247.0, False),
        ("D", 0.8, 527.3, 77.6, False),
    ]
    assert plot.points[0].limits == funnel.proportion_limits(Fraction(1, 2), 100)
    assert plot.points[1].limits == funnel.proportion_limits(Fraction(1, 2), 4)
    # The curves start at a denominator of 1: x = 64 + 556 / 120 = 68.6.
    assert plot.inner_upper.split()[0].startswith("68.6,")
    assert plot.outer_lower.split()[0] == "68.6,324.0"


def test_rate_plot_axes_and_points_by_value() -> None:
    entries = [Entry("A", "A", 30, 100_000), Entry("B", "B", 4, 200_000)]
    plot = funnel.build(entries, 10.0, Kind.RATE)
    # y runs to a round number above 1.05 × 30 = 31.5 (and 2 × 10): 40.
    assert [(t.position, t.label) for t in plot.y_ticks] == [
        (324.0, "0"),
        (247.0, "10"),
        (170.0, "20"),
        (93.0, "30"),
        (16.0, "40"),
    ]
    assert [t.label for t in plot.x_ticks] == [
        "0",
        "50,000",
        "100,000",
        "150,000",
        "200,000",
        "250,000",
    ]
    assert [(p.entry.key, p.value, p.x, p.y, p.band) for p in plot.points] == [
        ("B", 2.0, 508.8, 308.6, Band.BELOW_OUTER),
        ("A", 30.0, 286.4, 93.0, Band.ABOVE_OUTER),
    ]
    assert plot.points[0].limits == funnel.rate_limits(10.0, 200_000)
    assert plot.target_y == 247.0
    # Twice the average sets the top when it is higher: 2 × 20 = 40, not 1.05 × 30.
    doubled = funnel.build([Entry("A", "A", 3, 100_000)], 20.0, Kind.RATE)
    assert [t.label for t in doubled.y_ticks][-1] == "40"
    assert doubled.y_ticks[-1].position == 16.0


def test_rate_plot_ticks_off_the_tenth() -> None:
    # Average 6: the y axis runs to 12, ticks every 2.5, at 324 − 308 × 2.5 / 12 = 259.83.
    plot = funnel.build([Entry("A", "A", 1, 100_000)], 6, Kind.RATE)
    assert [(t.position, t.label) for t in plot.y_ticks] == [
        (324.0, "0"),
        (259.8, "2.5"),
        (195.7, "5"),
        (131.5, "7.5"),
        (67.3, "10"),
    ]
    assert plot.target_y == 170.0


def test_a_plot_with_nothing_to_place() -> None:
    nothing = funnel.build([Entry("Z", "Zero", 0, 0)], None, Kind.RATE)
    assert nothing.target is None and nothing.target_y is None
    assert nothing.points == () and [e.key for e in nothing.left_out] == ["Z"]
    assert (nothing.inner_lower, nothing.inner_upper) == ("", "")
    assert (nothing.outer_lower, nothing.outer_upper) == ("", "")
    # Both axes fall back to their least: x to 1.2 (1 × 1.04), y to 1.
    assert nothing.x_ticks[-1].position == pytest.approx(64 + 556 * 1 / 1.2, abs=0.05)
    assert [t.label for t in nothing.x_ticks] == ["0", "1"]  # was "0", "0", "1", "1", "1"
    assert [t.label for t in nothing.y_ticks] == ["0", "0.2", "0.4", "0.6", "0.8", "1"]
    low = funnel.build([], 0.25, Kind.RATE)
    assert [t.label for t in low.y_ticks][-1] == "1"
    assert low.target_y == pytest.approx(324 - 308 * 0.25, abs=0.05)


def test_value_of() -> None:
    assert funnel.value_of(Entry("A", "A", 1, 4), Kind.PROPORTION) == 0.25
    assert funnel.value_of(Entry("A", "A", 3, 150_000), Kind.RATE) == 2.0
    assert funnel.value_of(Entry("A", "A", 3, 0), Kind.RATE) is None
    assert funnel.value_of(Entry("A", "A", 3, None), Kind.PROPORTION) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2.0, 2.0),
        (1.0, 1.0),
        (250.0, 250.0),
        (0.5, 0.5),
        (2.01, 2.5),
        (-3.0, 1.0),
        (11.0, 20.0),
        (2.000000000002, 2.0),  # a relative 10⁻¹² above a step (float noise) is the step
        (2.000000000003, 2.5),
    ],
)
def test_nice_ceiling_at_and_just_past_a_step(value: float, expected: float) -> None:
    assert funnel.nice_ceiling(value) == expected


def test_nice_ceiling_beyond_the_steps_given() -> None:
    assert funnel.nice_ceiling(5.0, (1.0, 2.0)) == 10.0
    assert funnel.nice_ceiling(50.0, (1.0, 2.0)) == 100.0
    assert funnel.nice_ceiling(1.1, funnel.AXIS_STEPS) == 1.2


def test_ticks_reach_a_round_maximum() -> None:
    assert funnel.ticks(100) == [0, 20, 40, 60, 80, 100]  # the step 20 is itself a step
    assert funnel.ticks(10, count=2) == [0, 5, 10]
    # A maximum a relative 10⁻⁹ short of 100 (float noise) still has its tick at 100.
    assert funnel.ticks(99.99999989999999) == [0, 20, 40, 60, 80, 100]
    assert funnel.ticks(1) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1.0], abs=1e-12)


def test_positions_off_the_tenth_are_rounded_to_one_decimal() -> None:
    # 1 of 3 around an average of 1/3: y = 324 − 308 / 3 = 221.33 → 221.3.
    plot = funnel.build([Entry("A", "A", 1, 3)], Fraction(1, 3), Kind.PROPORTION)
    assert plot.target_y == 221.3
    assert (plot.points[0].x, plot.points[0].y) == (481.0, 221.3)  # x: 64 + 556 × 3 / 4


def denominators(points: str, plot: funnel.Plot, x_max: float) -> list[float]:
    """The denominators a polyline was sampled at, read back from its x positions."""
    return [
        (float(xy.split(",")[0]) - plot.left) * x_max / plot.plot_width for xy in points.split()
    ]


def test_limit_curves_are_sampled_on_a_log_scale_from_their_start() -> None:
    # A rate plot to 250,000 residents, 20,000 px wide: samples from 250,000 / 200 = 1,250 to
    # 250,000, 97 of them, each 200^(1/96) = 1.0567 times the one before.
    entries = [Entry("A", "A", 30, 240_000)]
    plot = funnel.build(entries, 10.0, Kind.RATE, width=20_084)
    for curve in (plot.inner_lower, plot.inner_upper, plot.outer_lower, plot.outer_upper):
        found = denominators(curve, plot, 250_000)
        assert len(found) == 98  # and the council's own population, 240,000
        assert any(f == pytest.approx(240_000, abs=2) for f in found)
        found = [f for f in found if f != pytest.approx(240_000, abs=2)]
        assert found[0] == pytest.approx(1_250, abs=2)
        assert found[-1] == pytest.approx(250_000, abs=2)
        ratios = [b / a for a, b in itertools.pairwise(found)]
        assert all(r == pytest.approx(200 ** (1 / 96), abs=2e-3) for r in ratios)
    # Proportions start at a denominator of 1 whatever the axis: 1,200 here.
    wide = funnel.build([Entry("A", "A", 1, 1_000)], 0.5, Kind.PROPORTION, width=20_084)
    assert denominators(wide.inner_upper, wide, 1_200)[0] == pytest.approx(1, abs=0.1)
    # So do rates on an axis under 400 residents: 300 / 200 = 1.5, taken as 1.
    few = funnel.build([Entry("A", "A", 1, 250)], 10.0, Kind.RATE, width=20_084)
    assert denominators(few.outer_upper, few, 300)[0] == pytest.approx(1, abs=0.1)
