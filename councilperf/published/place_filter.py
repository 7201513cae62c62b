"""Region, county and name filters read from a web address. Pure: no Django, no I/O.

A filtered view is reproduced by its address: ``?region=east-midlands&county=derbyshire&name=
bol``. The region is the register's region (by its slug); the county is the county council of
a district's upper tier (by the county council's slug); the name is any part of a council's
name, in any case. An unknown region or county is a :class:`BadFilter` with a message a person
can read (answered with 400 Bad Request), never an empty page that looks like "no councils".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

NAME_LIMIT = 100


class BadFilter(ValueError):
    """A filter value the site does not know; ``str()`` says which, in plain words."""


def slug(text: str) -> str:
    """ "East Midlands" → "east-midlands"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class Place:
    """Where one council lies: its region's name and its county council's slug and name."""

    region: str = ""
    county: str = ""
    county_name: str = ""


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True, slots=True)
class PlaceFilter:
    region: str = ""  # a region's slug
    county: str = ""  # a county council's slug
    name: str = ""  # any part of a council's name

    @property
    def active(self) -> bool:
        return bool(self.region or self.county or self.name)

    def keeps(self, place: Place, name: str) -> bool:
        if self.region and slug(place.region) != self.region:
            return False
        if self.county and place.county != self.county:
            return False
        return not self.name or self.name.casefold() in name.casefold()

    def pairs(self) -> list[tuple[str, str]]:
        """The filter's non-empty parameters, in a fixed order."""
        found = (("region", self.region), ("county", self.county), ("name", self.name))
        return [(key, value) for key, value in found if value]

    def query(self, *extra: tuple[str, str]) -> str:
        """ "?region=…&sort=…" with ``extra`` pairs after the filter's; "" when empty."""
        pairs = self.pairs() + [(k, v) for k, v in extra if v]
        return "?" + urlencode(pairs) if pairs else ""


def read(
    params: Mapping[str, str], *, regions: Iterable[str], counties: Mapping[str, str]
) -> PlaceFilter:
    """The filter of ``params`` (a query), checked against the register's ``regions`` (names)
    and ``counties`` (slug → name)."""
    region = params.get("region", "").strip()
    county = params.get("county", "").strip()
    name = " ".join(params.get("name", "").split())
    if region and region not in {slug(r) for r in regions if r}:
        raise BadFilter(f"there is no region called “{region}”")
    if county and county not in counties:
        raise BadFilter(f"there is no county council called “{county}”")
    if len(name) > NAME_LIMIT:
        raise BadFilter(f"a council's name is never longer than {NAME_LIMIT} characters")
    return PlaceFilter(region=region, county=county, name=name)


def region_options(regions: Iterable[str], chosen: PlaceFilter) -> list[Option]:
    """Each region once, by name, for a ``<select>``."""
    names = sorted({r for r in regions if r})
    return [Option(slug(r), r, slug(r) == chosen.region) for r in names]


def county_options(places: Iterable[Place], chosen: PlaceFilter) -> list[Option]:
    """Each county council once, by name, for a ``<select>`` (none for councils without)."""
    found = {p.county: p.county_name for p in places if p.county}
    ordered = sorted(found.items(), key=lambda item: item[1])
    return [Option(value, label, value == chosen.county) for value, label in ordered]
