"""Where councils lie, for the region and county filters: the register's regions and each
district's county council (``presentation.place_filter`` reads and applies the filter)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import Exists, OuterRef
from django.http import QueryDict

from councilperf.authorities.models import Authority
from councilperf.published import place_filter
from councilperf.published.place_filter import Place, PlaceFilter


def places(codes: Iterable[str] | None = None) -> dict[str, Place]:
    """Each council's place, by GSS code (every council's when ``codes`` is None). A county
    council lies in its own county, with its districts."""
    query = (
        Authority.objects.all()
        if codes is None
        else Authority.objects.filter(gss_code__in=list(codes))
    )
    found = query.annotate(has_districts=Exists(Authority.objects.filter(county=OuterRef("pk"))))
    rows = found.values_list(
        "gss_code",
        "region",
        "county__slug",
        "county__short_name",
        "slug",
        "short_name",
        "has_districts",
    )
    return {
        code: Place(region, own if has else county or "", own_name if has else name or "")
        for code, region, county, name, own, own_name, has in rows
    }


def regions() -> list[str]:
    """Every region of the register, by name."""
    found = Authority.objects.exclude(region="").values_list("region", flat=True).distinct()
    return sorted(set(found))


def counties() -> dict[str, str]:
    """Every county council with districts: slug → short name."""
    found = Authority.objects.filter(districts__isnull=False).values_list("slug", "short_name")
    return dict(found)


def read_filter(query: QueryDict | Mapping[str, str]) -> PlaceFilter:
    """The address's region, county and name filter; :class:`place_filter.BadFilter` when a
    region or county is unknown."""
    params = {key: query.get(key, "") or "" for key in ("region", "county", "name")}
    needs = bool(params["region"] or params["county"])
    return place_filter.read(
        params,
        regions=regions() if needs else (),
        counties=counties() if params["county"] else {},
    )
