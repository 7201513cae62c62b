"""The council page's additional views: its bordering councils and the councils nearest its
size, each with the three key statistics and whether it differs from the council."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from councilperf.authorities.models import Authority
from councilperf.authorities.reference.neighbours import similar_sized
from councilperf.published import figures
from councilperf.published.neighbours import bordering
from councilperf.site.presentation.difference import difference, words
from councilperf.statistics import format
from councilperf.statistics.figures import AuthorityFigures

KEY_MEASURES = ("upheld_rate", "compliance_rate", "satisfactory_remedy_rate")
MAX_SIDE_BY_SIDE = 6


@dataclass(frozen=True)
class Cell:
    code: str  # the measure
    value: str
    label: str  # higher, lower, overlap, not_compared ("" on the council's own row)
    words: str


@dataclass(frozen=True)
class Row:
    code: str
    slug: str
    name: str
    population: str
    cells: list[Cell]


@dataclass(frozen=True)
class Neighbours:
    own: Row  # the council itself, the row each table starts with
    bordering: list[Row]
    similar: list[Row]
    titles: list[str]  # the three measures' titles, in column order
    bordering_link: str  # the side-by-side page of the council and its first neighbours
    similar_link: str
    own_link: str  # "add to comparison": the side-by-side page starting with this council


def link(slugs: Sequence[str], **extra: str) -> str:
    """The side-by-side page's address for these councils (``/compare/?councils=a,b``)."""
    query = {"councils": ",".join(slugs)} if slugs else {}
    return "/compare/" + ("?" + urlencode({**query, **extra}, safe=",") if query or extra else "")


def side_by_side_link(slugs: list[str]) -> str:
    return link(slugs[:MAX_SIDE_BY_SIDE])


def _row(
    own: AuthorityFigures, own_name: str, other: AuthorityFigures, slug: str, name: str
) -> Row:
    cells = []
    for code in KEY_MEASURES:
        theirs = other.measures[code]
        label = "" if other is own else difference(own.measures[code], theirs)
        cells.append(
            Cell(
                code=code,
                value=format.figure(theirs.metric, theirs.value),
                label=label,
                words=words(label, own_name) if label else "",
            )
        )
    return Row(other.code, slug, name, format.count(other.population), cells)


def neighbours(authority: Authority, data: AuthorityFigures) -> Neighbours:
    """Both views of ``data``'s year (published: the caller's figures come from it)."""
    year_figures = figures.authorities(data.year)
    near = [c for c in bordering(data.code, data.year) if c in year_figures]
    sizes = {c: f.population for c, f in year_figures.items() if f.group == data.group}
    similar = similar_sized(data.code, sizes)
    names = {
        code: (slug, name)
        for code, slug, name in Authority.objects.filter(
            gss_code__in=[*near, *similar]
        ).values_list("gss_code", "slug", "short_name")
    }
    own = authority.short_name
    bordering_rows = sorted(
        (_row(data, own, year_figures[c], *names[c]) for c in near), key=lambda r: r.name
    )
    similar_rows = [_row(data, own, year_figures[c], *names[c]) for c in similar]
    return Neighbours(
        own=_row(data, own, data, authority.slug, own),
        bordering=bordering_rows,
        similar=similar_rows,
        titles=[data.measures[c].metric.title for c in KEY_MEASURES],
        bordering_link=side_by_side_link([authority.slug, *(r.slug for r in bordering_rows)]),
        similar_link=side_by_side_link([authority.slug, *(r.slug for r in similar_rows)]),
        own_link=side_by_side_link([authority.slug]),
    )
