"""The API's filter values: each filter takes the site's slug, the code and the name alike.

``region=north-east`` (the site's address), ``region=North East`` (the register's name) and
``region=north east`` all mean the region the register calls "North East"; ``group=district``,
``group=District Councils`` and ``group=district-councils`` all mean the group ``district``.
Two spellings are the same when their slugs are (``place_filter.slug``: lower case, every run
of other characters a hyphen). A value that matches nothing is :class:`UnknownValue`, which
the API answers with a 400 problem naming the parameter, the value and the values allowed —
never a silent empty list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from councilperf.casework.codes import Outcome, ServiceArea
from councilperf.groups import GROUPS
from councilperf.published import places
from councilperf.published.place_filter import slug
from councilperf.statistics.measures import METRICS


class UnknownValue(ValueError):
    """A filter value that names nothing: which parameter, the value, the values allowed."""

    def __init__(self, parameter: str, value: str, allowed: Iterable[str]) -> None:
        self.parameter = parameter
        self.value = value
        self.allowed = sorted(allowed)
        super().__init__(
            f"Unknown {parameter} {value!r}: one of {', '.join(self.allowed)} (or its slug or name)"
        )


def resolve(parameter: str, value: str, options: Mapping[str, Iterable[str]]) -> str:
    """The canonical value (a key of ``options``) that ``value`` spells, "" for no value.

    ``options`` maps each canonical value to its other spellings (names, labels)."""
    value = value.strip()
    if not value:
        return ""
    wanted = slug(value)
    for canonical, names in options.items():
        if wanted in {slug(canonical), *(slug(n) for n in names)}:
            return canonical
    raise UnknownValue(parameter, value, options)


GROUP_NAMES: dict[str, tuple[str, ...]] = {g.code: (g.plural, g.singular) for g in GROUPS}
SERVICE_AREAS: dict[str, tuple[str, ...]] = {s.value: (s.label,) for s in ServiceArea}
OUTCOMES: dict[str, tuple[str, ...]] = {o.value: (o.label,) for o in Outcome}
MEASURES: dict[str, tuple[str, ...]] = {m.code: (m.label, m.title) for m in METRICS}


def group(value: str) -> str:
    """A comparison group's code from its code, slug or name ("London Boroughs")."""
    return resolve("group", value, GROUP_NAMES)


def region(value: str) -> str:
    """A region's name as the register writes it ("North East") from its slug or name."""
    if not value.strip():
        return ""
    return resolve("region", value, {name: () for name in places.regions()})


def service_area(value: str) -> str:
    return resolve("service_area", value, SERVICE_AREAS)


def outcome(value: str) -> str:
    return resolve("outcome", value, OUTCOMES)


def measure(value: str) -> str:
    """A measure's code ("upheld_rate") from its code, slug or label."""
    return resolve("measure", value, MEASURES)
