"""Comparison groups and map tiers, defined once. Pure: no Django, no I/O.

The ombudsman compares each council with the "similar authorities" of its group; the map
shows one of two tiers at a time, because counties and their districts cover the same
ground. The register loader, the statistics core, the demo generator, the site and the URL
patterns all read these definitions.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Group:
    code: str
    plural: str  # "District Councils"
    singular: str  # "District council"
    register_types: tuple[str, ...]  # the local authority register's type codes


GROUPS: tuple[Group, ...] = (
    Group("county", "County Councils", "County council", ("CTY",)),
    Group("district", "District Councils", "District council", ("NMD",)),
    Group("metropolitan", "Metropolitan Boroughs", "Metropolitan borough", ("MD",)),
    Group("unitary", "Unitary Councils", "Unitary council", ("UA",)),
    # The City of London (CC) counts with the London Boroughs.
    Group("london", "London Boroughs", "London borough", ("LBO", "CC")),
)
GROUP_CODES: tuple[str, ...] = tuple(g.code for g in GROUPS)
GROUP_PLURAL: dict[str, str] = {g.code: g.plural for g in GROUPS}
GROUP_SINGULAR: dict[str, str] = {g.code: g.singular for g in GROUPS}
REGISTER_TYPE_GROUPS: dict[str, str] = {t: g.code for g in GROUPS for t in g.register_types}

# Groups whose areas never overlap: their populations add up to England's once.
SINGLE_TIER: frozenset[str] = frozenset({"unitary", "metropolitan", "london"})
NON_OVERLAPPING: frozenset[str] = SINGLE_TIER | {"county"}

TIERS: dict[str, str] = {
    "upper": "County & unitary tier",
    "lower": "District & unitary tier",
}
TIER_GROUPS: dict[str, frozenset[str]] = {
    "upper": SINGLE_TIER | {"county"},
    "lower": SINGLE_TIER | {"district"},
}


def url_pattern(codes: tuple[str, ...] | list[str]) -> str:
    """A regular expression matching exactly these codes (for URL converters)."""
    return "|".join(codes)
