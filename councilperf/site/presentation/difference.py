"""Whether another council's figure differs from a council's own: never a rank. Pure.

Two figures differ when their 95 % intervals do not overlap; a figure the engine did not
compare (its denominator is under the small-number threshold, or it has no interval) is
never said to differ. The words are the site's additional views beside the headline
comparison with the group average.
"""

from __future__ import annotations

from councilperf.statistics.figures import Measure

HIGHER, LOWER, OVERLAP, NOT_COMPARED = "higher", "lower", "overlap", "not_compared"

WORDS = {
    HIGHER: "Higher",
    LOWER: "Lower",
    OVERLAP: "No clear difference",
    NOT_COMPARED: "Too few cases to compare",
}


def difference(own: Measure, other: Measure) -> str:
    """``other`` against ``own``: higher, lower, overlap (the intervals meet) or not_compared."""
    for measure in (own, other):
        if measure.comparison == NOT_COMPARED or measure.lower is None or measure.upper is None:
            return NOT_COMPARED
    assert own.lower is not None and own.upper is not None
    assert other.lower is not None and other.upper is not None
    if other.lower > own.upper:
        return HIGHER
    if other.upper < own.lower:
        return LOWER
    return OVERLAP


def words(label: str, name: str) -> str:
    """ "Higher than North East Derbyshire", "No clear difference", …"""
    if label in (HIGHER, LOWER):
        return f"{WORDS[label]} than {name}"
    return WORDS[label]
