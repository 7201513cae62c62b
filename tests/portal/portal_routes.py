"""Every address of the councils' portal, read from the URL resolver (not a list kept by hand),
so the isolation and accessibility tests cover routes as soon as they are added.

``portal_routes()`` walks the resolver for the ``portal`` and ``portal_staff`` namespaces,
whatever modules their routes come from, and fills each route's arguments: ``slug`` with the
council asked for, ``year`` with the year, ``token`` with a random string, anything else with a
value its converter accepts. Each address is resolved again to check it reaches the route it
was made from, so a route this cannot fill fails loudly instead of being left out.
"""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter, PathConverter, UUIDConverter
from django.urls.resolvers import RoutePattern

from councilperf.converters import CONVERTERS

NAMESPACES = ("portal", "portal_staff")
_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_BY_CONVERTER: dict[type, str] = {
    IntConverter: "1",
    UUIDConverter: str(uuid.UUID(int=1)),
    PathConverter: "x1",
    CONVERTERS["tier"]: "upper",
    CONVERTERS["group"]: "district",
    CONVERTERS["format"]: "csv",
    CONVERTERS["open_file"]: "statistics.csv",
    CONVERTERS["revision"]: "1",
}


@dataclass(frozen=True)
class Route:
    namespace: str  # portal or portal_staff
    name: str  # the route's name ("" if it has none)
    route: str  # the pattern, from the site's root ("/council/<slug:slug>/")
    address: str  # filled in
    kwargs: frozenset[str]

    @property
    def council(self) -> bool:
        """A page of one council (it takes the council's slug)."""
        return "slug" in self.kwargs

    def __str__(self) -> str:
        return f"{self.namespace}:{self.name or '?'} {self.route}"


def _walk(patterns: list[Any], prefix: str, namespace: str | None) -> list[tuple[str, str, Any]]:
    found = []
    for entry in patterns:
        inner = (entry.namespace if isinstance(entry, URLResolver) else None) or namespace
        if inner not in NAMESPACES:
            continue  # not the portal's (a portal route is never inside another namespace)
        if not isinstance(entry.pattern, RoutePattern):
            raise AssertionError(
                f"{entry} is a regular expression: write portal routes with path()"
            )
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            found.append((inner, route, entry))
    return found


def _fill(route: str, entry: URLPattern, values: dict[str, str]) -> tuple[str, frozenset[str]]:
    converters = entry.pattern.converters
    names = set()

    def value(match: re.Match[str]) -> str:
        name = match.group("name")
        names.add(name)
        if name in values:
            return values[name]
        converter = converters.get(name)
        if name == "token":
            return secrets.token_urlsafe(24)
        for kind, sample in _BY_CONVERTER.items():
            if isinstance(converter, kind):
                return sample
        if isinstance(converter, CONVERTERS["gss"]):
            return values["code"]
        return "x1"

    return "/" + _PARAMETER.sub(value, route), frozenset(names)


def portal_routes(*, slug: str, year: str, code: str, urlconf: str | None = None) -> list[Route]:
    """Every portal and staff-portal route, filled in for the council ``slug`` (GSS ``code``)."""
    values = {"slug": slug, "year": year, "code": code, "gss": code, "gss_code": code}
    routes = []
    for namespace, route, entry in _walk(get_resolver(urlconf).url_patterns, "", None):
        address, names = _fill(route, entry, values)
        match = resolve(address, urlconf)
        assert match.func == entry.callback, f"{address} does not reach {route}: fill it in"
        routes.append(Route(namespace, entry.name or "", "/" + route, address, names))
    return routes
