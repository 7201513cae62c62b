"""Display rounding done on exact fractions, never on floats.

Letters and pages show whole percentages, rounded half away from zero: 89 of 200 is 44.5 %,
shown as 45 % (Python's ``round`` rounds half to even and, on the float 0.445, would give 44).
"""

from __future__ import annotations

from fractions import Fraction


def round_half_away_from_zero(value: Fraction | int) -> int:
    """The nearest integer to an exact value; halves go away from zero (2.5 → 3, -2.5 → -3)."""
    exact = Fraction(value)
    magnitude = abs(exact)
    # floor(|x| + 1/2) computed on integers: (2n + d) // 2d.
    rounded = (2 * magnitude.numerator + magnitude.denominator) // (2 * magnitude.denominator)
    return rounded if exact >= 0 else -rounded


def whole_percent(numerator: int, denominator: int) -> int | None:
    """``numerator / denominator`` as a whole percentage, or None when the denominator is 0."""
    if denominator == 0:
        return None
    if denominator < 0:
        raise ValueError("a denominator cannot be negative")
    return round_half_away_from_zero(Fraction(100 * numerator, denominator))


def whole_percent_of(value: Fraction | None) -> int | None:
    """An exact proportion (e.g. a peer average) as a whole percentage; None stays None."""
    if value is None:
        return None
    return round_half_away_from_zero(Fraction(value) * 100)
