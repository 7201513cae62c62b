"""The API's figures as plain data, made from the typed read model. Pure: no Django, no I/O.

Every figure here comes from ``statistics.figures`` (the same typed figures the pages and the
downloads read): counts as whole numbers, a rate as its exact fraction written as a string
("9/18" reduced to "1/2") and as a decimal, the interval and the peer average as stored.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from councilperf.statistics.figures import AuthorityFigures, GroupFigures, Measure
from councilperf.statistics.measures import METRICS

NOT_COMPARED = "not_compared"


def fraction_text(value: Fraction | None) -> str | None:
    """ "1/2", "3" for a whole number, None for no value."""
    if value is None:
        return None
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )


def decimal(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def measure(found: Measure) -> dict[str, Any]:
    metric = found.metric
    interval = None
    if found.lower is not None and found.upper is not None:
        interval = {"lower": found.lower, "upper": found.upper, "level": 0.95}
    return {
        "code": metric.code,
        "label": metric.label,
        "kind": str(metric.kind),
        "better": metric.better,
        "numerator": found.numerator,
        "numerator_label": metric.numerator_label,
        "denominator": found.denominator,
        "denominator_label": metric.denominator_label,
        "rate_fraction": fraction_text(found.value),
        "rate": decimal(found.value),
        "interval": interval,
        "peer_average_fraction": fraction_text(found.peer),
        "peer_average": decimal(found.peer),
        "comparison": found.comparison,
        "small_number": found.comparison == NOT_COMPARED,
    }


def authority_figures(found: AuthorityFigures, *, slug: str) -> dict[str, Any]:
    return {
        "year": found.year.label,
        "revision": found.revision,
        "authority_code": found.code,
        "authority_name": found.name,
        "slug": slug,
        "comparison_group": found.group,
        "comparison_label": found.comparison_label,
        "peer_method": found.peer_method,
        "population": found.population,
        "synthetic": found.synthetic,
        "counts": dict(found.counts),
        "measures": [
            {**measure(found.measures[m.code]), "page": f"/councils/{slug}/{found.year}/#{m.code}"}
            for m in METRICS
        ],
        "page": f"/councils/{slug}/{found.year}/",
    }


def group_figures(found: GroupFigures) -> dict[str, Any]:
    return {
        "year": found.year.label,
        "revision": found.revision,
        "group": found.group,
        "label": found.label,
        "authorities": found.authorities,
        "population": found.population,
        "synthetic": found.synthetic,
        "counts": dict(found.counts),
        "averages": [
            {
                "code": m.code,
                "label": m.label,
                "average_fraction": fraction_text(found.averages.get(m.code)),
                "average": decimal(found.averages.get(m.code)),
            }
            for m in METRICS
        ],
    }


def page_links(
    *, count: int, page: int, per_page: int, path: str, query: str, base: str = ""
) -> dict[str, str]:
    """The addresses of the pages around ``page`` by relation (RFC 8288: ``first``, ``prev``,
    ``next``, ``last``; none past either end), absolute when ``base`` is the site's address."""
    last = max(1, -(-count // per_page))

    def link(number: int) -> str:
        joiner = "&" if query else ""
        return f"{base}{path}?{query}{joiner}page={number}&per_page={per_page}"

    found = {"first": link(1)}
    if 1 < page <= last:
        found["prev"] = link(page - 1)
    if page < last:
        found["next"] = link(page + 1)
    found["last"] = link(last)
    return found


def link_header(links: dict[str, str]) -> str:
    """``Link`` (RFC 8288) of :func:`page_links`: ``<url>; rel="next", …``."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())


def page_of(
    items: list[Any], *, page: int, per_page: int, path: str, query: str, base: str = ""
) -> dict[str, Any]:
    """One page of an already ordered list, with links to the pages either side."""
    start = (page - 1) * per_page
    links = page_links(
        count=len(items), page=page, per_page=per_page, path=path, query=query, base=base
    )
    return {
        "count": len(items),
        "page": page,
        "per_page": per_page,
        "pages": max(1, -(-len(items) // per_page)),
        "next": links.get("next"),
        "previous": links.get("prev"),
        "results": items[start : start + per_page],
    }
