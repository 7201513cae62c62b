"""What a correction changes, said before it is sent: for each council whose letter changes,
why (its own figures, or only its group's averages moved) and the figures before and after.

The send page lists these for a corrected revision, so a publisher sees which councils get a
"Corrected" letter and why before confirming.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from councilperf.letters import sources
from councilperf.letters.wording import LetterStatistics
from councilperf.years import ReportingYear

OWN = {
    "detailed_investigations": "Detailed investigations",
    "upheld": "Upheld",
    "upheld_with_satisfactory_remedy": "Upheld with a satisfactory remedy",
    "compliance_outcomes": "Compliance outcomes",
    "not_complied": "Not complied",
    "population": "Population",
}
PEER = {
    "peer_upheld_rate": "Group average upheld rate",
    "peer_satisfactory_remedy_rate": "Group average remedy rate",
    "peer_compliance_rate": "Group average compliance rate",
    "peer_upheld_per_100k": "Group average upheld per 100,000",
    "peer_late_remedy_rate": "Group average late remedy rate",
}
OWN_FIGURES = "its own figures changed"
GROUP_MOVED = "its group's averages moved"


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    why: str
    differences: tuple[tuple[str, str, str], ...]  # (figure, before, after)


def _shown(value: object, name: str) -> str:
    if value is None:
        return "none"
    if isinstance(value, Fraction):
        if name.endswith("per_100k"):
            return f"{float(value):.1f}"
        return f"{float(value) * 100:.1f}%"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _differences(
    before: LetterStatistics | None, after: LetterStatistics, names: dict[str, str]
) -> tuple[tuple[str, str, str], ...]:
    found = []
    for name, label in names.items():
        old = getattr(before, name) if before is not None else None
        new = getattr(after, name)
        if old != new:
            found.append((label, _shown(old, name), _shown(new, name)))
    return tuple(found)


def changes(
    *, year: ReportingYear, old: int, new: int, codes: set[str] | None = None
) -> list[Change]:
    """The councils whose letter figures differ between revisions ``old`` and ``new``."""
    before = sources.load_statistics(year, revision=old)
    after = sources.load_statistics(year, revision=new)
    result = []
    for code, figures in sorted(after.items(), key=lambda item: item[1].authority_name):
        if codes is not None and code not in codes:
            continue
        own = _differences(before.get(code), figures, OWN)
        peer = _differences(before.get(code), figures, PEER)
        if own or peer:
            why = OWN_FIGURES if own else GROUP_MOVED
            result.append(Change(code, figures.authority_name, why, own + peer))
    return result
