"""Small SVG charts of national figures over the years: geometry only, no Django, no I/O.

Templates draw what is placed here (lines, dots, bars, ticks); the same geometry is used on
the review page and in its PDF, each chart followed by a table of the same figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from councilperf.site.presentation.funnel import AXIS_STEPS, Tick, nice_ceiling, ticks
from councilperf.statistics import format

# Line styles that differ in more than colour: solid, dashed, dotted, dash-dot, long dash and
# short dash (each at least 3:1 against white); six for the side-by-side page's councils.
STYLES: tuple[tuple[str, str], ...] = (
    ("#1d4f76", ""),
    ("#8a4b00", "8 5"),
    ("#005a30", "2 4"),
    ("#6f2c91", "12 4 2 4"),
    ("#a8002d", "16 6"),
    ("#383f43", "4 3"),
)
# The same styles in words: the chart key's swatches say what they look like (the review
# PDF gives each swatch this as its alternative text).
STYLE_WORDS: dict[tuple[str, str], str] = dict(
    zip(
        STYLES,
        (
            "solid blue line",
            "dashed brown line",
            "dotted green line",
            "dash-dot purple line",
            "long-dashed red line",
            "short-dashed grey line",
        ),
        strict=True,
    )
)


@dataclass(frozen=True, slots=True)
class Dot:
    x: float
    y: float
    label: str
    low: float | None = None  # y of the error bar's ends (the 95 % interval), if any
    high: float | None = None


@dataclass(frozen=True, slots=True)
class Line:
    name: str
    points: str  # SVG polyline points
    dots: tuple[Dot, ...]
    colour: str
    dash: str

    @property
    def look(self) -> str:
        """What the line looks like, in words ("dashed brown line")."""
        return STYLE_WORDS.get((self.colour, self.dash), "line")


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_label: str
    colour: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    x_labels: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    lines: tuple[Line, ...]
    bars: tuple[Bar, ...]


WIDTH, HEIGHT = 640, 260
LEFT, TOP, RIGHT_MARGIN, BOTTOM_MARGIN = 64, 16, 16, 40


def _frame(width: int, height: int) -> tuple[int, int]:
    return width - RIGHT_MARGIN, height - BOTTOM_MARGIN


def _ends(
    interval: tuple[float, float] | None, sy: Callable[[float], float]
) -> tuple[float | None, float | None]:
    """The y positions of an error bar's ends (None, None without an interval)."""
    if interval is None:
        return None, None
    return round(sy(interval[0]), 1), round(sy(interval[1]), 1)


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Fraction | float | None]]],
    *,
    y_max: float = 1.0,
    fmt: Callable[[Fraction | float], str] = format.percent,
    width: int = WIDTH,
    height: int = HEIGHT,
    y_ticks: Sequence[float] | None = None,
    margins: tuple[int, int, int, int] = (LEFT, TOP, RIGHT_MARGIN, BOTTOM_MARGIN),
    inset: float = 24,
    intervals: Sequence[Sequence[tuple[float, float] | None]] | None = None,
    dodge: float = 0.0,
) -> Chart:
    """One line per series over ``labels`` (years); gaps where a value is None.

    ``margins`` are left, top, right and bottom; ``inset`` keeps the first and last points
    off the axes. Dot labels are written by ``fmt`` on the value as given (exact if exact).
    ``intervals`` (per series, per label) draw an error bar through each dot; ``dodge``
    moves each series that many pixels from the next, so bars of one year do not overlap.
    """
    left, top, right_margin, bottom_margin = margins
    right, bottom = width - right_margin, height - bottom_margin
    count = len(labels)

    def sx(i: int) -> float:
        if count == 1:
            return (left + right) / 2
        return left + inset + (right - left - 2 * inset) * i / (count - 1)

    def sy(v: float) -> float:
        return bottom - (bottom - top) * min(max(v, 0.0), y_max) / y_max

    lines = []
    for index, (name, values) in enumerate(series):
        colour, dash = STYLES[index % len(STYLES)]
        shift = dodge * (index - (len(series) - 1) / 2)
        bars = intervals[index] if intervals else [None] * len(values)
        dots = tuple(
            Dot(round(sx(i) + shift, 1), round(sy(float(v)), 1), fmt(v), *_ends(bars[i], sy))
            for i, v in enumerate(values)
            if v is not None
        )
        points = " ".join(f"{d.x:.1f},{d.y:.1f}" for d in dots)
        lines.append(Line(name, points, dots, colour, dash))
    tick_values = ticks(y_max) if y_ticks is None else y_ticks
    return Chart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        x_labels=tuple(Tick(round(sx(i), 1), label) for i, label in enumerate(labels)),
        y_ticks=tuple(Tick(round(sy(v), 1), fmt(v)) for v in tick_values),
        lines=tuple(lines),
        bars=(),
    )


def bar_chart(
    labels: Sequence[str],
    values: Sequence[int],
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    colour: str = STYLES[0][0],
) -> Chart:
    """One bar per label (year), from 0 to a round number at or above the largest value."""
    right, bottom = _frame(width, height)
    y_max = nice_ceiling(max(values, default=0) * 1.05, AXIS_STEPS)
    slot = (right - LEFT) / max(len(labels), 1)
    bar_width = min(slot * 0.6, 72)

    def sy(v: float) -> float:
        return bottom - (bottom - TOP) * v / y_max

    bars = tuple(
        Bar(
            x=round(LEFT + slot * i + (slot - bar_width) / 2, 1),
            y=round(sy(v), 1),
            width=round(bar_width, 1),
            height=round(bottom - sy(v), 1),
            label=label,
            value_label=format.count(v),
            colour=colour,
        )
        for i, (label, v) in enumerate(zip(labels, values, strict=True))
    )
    return Chart(
        width=width,
        height=height,
        left=LEFT,
        top=TOP,
        right=right,
        bottom=bottom,
        x_labels=tuple(
            Tick(round(LEFT + slot * (i + 0.5), 1), label) for i, label in enumerate(labels)
        ),
        y_ticks=tuple(
            Tick(round(sy(v), 1), format.axis_count(v)) for v in ticks(y_max, whole=True)
        ),
        lines=(),
        bars=bars,
    )
